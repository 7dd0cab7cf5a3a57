//! A rolling update on the overview and in /api/rollouts: the phase, the
//! reason of a rollback, and each replica's image, old or new, and state.

use super::guard::AllowedHosts;
use super::routes::{App, router};
use super::source::Source;
use super::tests::{HOST, fixture_box, fixture_host};
use crate::model::BoxModel;
use crate::model::host::HostModel;
use crate::model::rollout::{Age, ReplicaModel, ReplicaState, RolloutModel};
use axum::body::Body;
use axum::http::{Request, header};
use std::sync::Arc;
use tower::ServiceExt;

/// Project shop, its service web rolling from web-v1 to web-v2 (or rolled back).
struct Rolling {
    phase: &'static str,
}

const REPLICAS: [(&str, &str, Age, ReplicaState); 3] = [
    ("shop-web-1", "web-v1", Age::Old, ReplicaState::Draining),
    ("shop-web-2", "web-v1", Age::Old, ReplicaState::Healthy),
    ("shop-web-3", "web-v2", Age::New, ReplicaState::Starting),
];

impl Source for Rolling {
    fn box_names(&self) -> Vec<String> {
        REPLICAS.iter().map(|r| r.0.to_string()).chain(["demo".to_string()]).collect()
    }
    fn one(&self, name: &str) -> Option<BoxModel> {
        let mut m = fixture_box(name);
        m.project = name.starts_with("shop-").then(|| "shop".into());
        Some(m)
    }
    fn host_summary(&self) -> HostModel {
        fixture_host()
    }
    fn host(&self, _boxes: &[BoxModel]) -> HostModel {
        fixture_host()
    }
    fn rollouts(&self) -> Vec<RolloutModel> {
        let replicas = REPLICAS
            .iter()
            .map(|(n, i, age, state)| ReplicaModel {
                name: n.to_string(),
                image: Some(i.to_string()),
                age: *age,
                state: *state,
            })
            .collect();
        vec![RolloutModel {
            project: "shop".into(),
            service: "web".into(),
            from: vec!["web-v1".into()],
            to: "web-v2".into(),
            phase: self.phase.into(),
            reason: (self.phase == "rolled back").then(|| "shop-web-3 never became healthy".into()),
            replicas,
        }]
    }
}

async fn get(phase: &'static str, path: &str, lang: &str) -> String {
    let app = router(App::new(Arc::new(Rolling { phase }), AllowedHosts::new(7878, &[]), super::live::Live::new()));
    let req = Request::get(path)
        .header(header::HOST, HOST)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::empty())
        .unwrap();
    let resp = app.oneshot(req).await.expect("router answers");
    let body = axum::body::to_bytes(resp.into_body(), 1 << 22).await.expect("body");
    String::from_utf8_lossy(&body).into_owned()
}

fn row<'a>(page: &'a str, replica: &str) -> &'a str {
    let from =
        &page[page.find(&format!("data-replica=\"{replica}\"")).unwrap_or_else(|| panic!("{replica}: {page}"))..];
    &from[..from.find("</tr>").unwrap()]
}

#[tokio::test]
async fn the_overview_shows_each_replica_s_image_old_or_new_and_its_state_under_its_project() {
    let page = get("rolling", "/", "en").await;
    let table = &page[page.find("<table class=\"rollout phase-rolling\" data-service=\"web\"").expect(&page)..];
    assert!(page.find("id=\"project-shop\"").unwrap() < page.find("class=\"rollout ").unwrap(), "under shop");
    assert!(table.contains("rolling update of web: web-v1 → web-v2 · <span class=\"phase rolling\">updating</span>"));
    let one = row(&page, "shop-web-1");
    assert!(one.contains("<td>web-v1</td>") && one.contains("<span class=\"age old\">old</span>"), "{one}");
    assert!(one.contains("<span class=\"state draining\">draining</span>"), "{one}");
    let three = row(&page, "shop-web-3");
    assert!(three.contains("<td>web-v2</td>") && three.contains("<span class=\"age new\">new</span>"), "{three}");
    assert!(three.contains("<span class=\"state starting\">starting</span>"), "{three}");
    assert!(row(&page, "shop-web-2").contains(">healthy<"));
    assert!(!page.contains("data-replica=\"demo\""), "a box of no project is no replica");
}

#[tokio::test]
async fn a_rollback_says_why_in_either_language() {
    let page = get("rolled back", "/", "en").await;
    assert!(page.contains("<span class=\"phase rolled-back\">rolled back</span>"), "{page}");
    assert!(page.contains("why: shop-web-3 never became healthy"), "{page}");
    let ko = get("rolled back", "/", "ko").await;
    assert!(ko.contains("web의 롤링 업데이트: web-v1 → web-v2"), "{ko}");
    assert!(ko.contains(">롤백됨<") && ko.contains("이유: shop-web-3 never became healthy"), "{ko}");
    assert!(ko.contains(">복제본<") && ko.contains(">옛 이미지<") && ko.contains(">드레인 중<"), "{ko}");
}

#[tokio::test]
async fn the_api_serves_the_same_rollout() {
    let body = get("done", "/api/rollouts", "en").await;
    let v: serde_json::Value = serde_json::from_str(&body).expect(&body);
    assert_eq!(v[0]["phase"], "done");
    let replicas: Vec<(&str, &str, &str)> = v[0]["replicas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap(), r["age"].as_str().unwrap(), r["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        replicas,
        [("shop-web-1", "old", "draining"), ("shop-web-2", "old", "healthy"), ("shop-web-3", "new", "starting")]
    );
}
