//! A compose box's health on its page: the status as a badge and the line
//! `inspect` prints, from the record its project's supervisor keeps.

use super::guard::AllowedHosts;
use super::routes::{App, router};
use super::source::Source;
use super::tests::{HOST, fixture_box, fixture_host};
use crate::model::BoxModel;
use crate::model::host::HostModel;
use crate::state::health::{Health, Status};
use axum::body::Body;
use axum::http::{Request, header};
use std::sync::Arc;
use tower::ServiceExt;

struct Watched;

impl Source for Watched {
    fn box_names(&self) -> Vec<String> {
        vec!["shop-db-1".into(), "plain".into()]
    }
    fn one(&self, name: &str) -> Option<BoxModel> {
        let mut m = fixture_box(name);
        if name == "shop-db-1" {
            let mut h = Health::new(vec!["pg_isready".into()], Some(3));
            h.status = Some(Status::Unhealthy);
            (h.failing_streak, h.checks, h.last_output) = (3, 9, "exit code 2: no answer".into());
            (h.runs, h.restarts, h.last_exit) = (2, 1, Some(1));
            m.health = Some(h);
        }
        Some(m)
    }
    fn host_summary(&self) -> HostModel {
        fixture_host()
    }
    fn host(&self, _boxes: &[BoxModel]) -> HostModel {
        fixture_host()
    }
}

async fn page(name: &str) -> String {
    let app = router(App::new(Arc::new(Watched), AllowedHosts::new(7878, &[]), super::live::Live::new()));
    let path = if name.is_empty() { "/".to_string() } else { format!("/box/{name}") };
    let req = Request::get(path).header(header::HOST, HOST).body(Body::empty()).unwrap();
    let resp = app.oneshot(req).await.expect("router answers");
    let body = axum::body::to_bytes(resp.into_body(), 1 << 22).await.expect("body");
    String::from_utf8_lossy(&body).into_owned()
}

/// The text of `body` from `start` to the first `end` after it.
fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = &body[body.find(start).unwrap_or_else(|| panic!("no {start:?} in {body}"))..];
    &from[..from.find(end).expect("its end")]
}

#[tokio::test]
async fn the_box_page_shows_the_health_its_supervisor_recorded() {
    let body = page("shop-db-1").await;
    let p = between(&body, "<p id=\"box-health\">", "</p>");
    assert!(p.contains("<span class=\"state unhealthy\">unhealthy</span>"), "{p}");
    assert!(
        p.contains("health: unhealthy (failing streak 3 of 9 checks; last: exit code 2: no answer) · restarts: 1 of 3 (last exit code 1)"),
        "{p}"
    );
    assert!(!page("plain").await.contains("box-health"), "a box no supervisor watches has no health line");
}

#[tokio::test]
async fn the_overview_shows_the_health_beside_the_state() {
    let body = page("").await;
    let row = between(&body, "href=\"/box/shop-db-1\"", "</tr>");
    assert!(row.contains("<span class=\"state unhealthy\">unhealthy</span>"), "{row}");
    let plain = between(&body, "href=\"/box/plain\"", "</tr>");
    assert!(!plain.contains("healthy"), "no health for a box nobody watches: {plain}");
}
