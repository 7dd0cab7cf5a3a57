//! A pod on the box page: the namespaces two boxes share drawn as one wall
//! around both boxes, each with its own walls or processes inside.

use super::diagram::{self, PodBox};
use super::guard::AllowedHosts;
use super::routes::{App, router};
use super::source::Source;
use super::tests::{HOST, fixture_box, fixture_host};
use crate::model::BoxModel;
use crate::model::host::HostModel;
use crate::stage::NamespaceKind;
use axum::body::Body;
use axum::http::{Request, header};
use std::sync::Arc;
use tower::ServiceExt;

const SHARED: [NamespaceKind; 3] = [NamespaceKind::Net, NamespaceKind::Ipc, NamespaceKind::Uts];

/// Box `name` of the pod pod-a made and pod-b joined (net, ipc, uts).
fn pod_box(name: &str) -> BoxModel {
    let mut m = fixture_box(name);
    let other = if name == "pod-a" { "pod-b" } else { "pod-a" };
    for n in m.namespaces.iter_mut().filter(|n| SHARED.contains(&n.kind)) {
        n.isolated = true;
        n.inode = Some(4026533000 + n.kind as u64);
        n.made_by = Some("pod-a".into());
        n.joined = (name == "pod-b").then(|| "pod-a".into());
        n.shared_with = vec![other.into()];
    }
    for (i, p) in m.processes.iter_mut().enumerate() {
        p.host_pid = if name == "pod-a" { 200 } else { 300 } + i as i32;
        p.differs_in.clear();
    }
    m
}

struct Pod;

impl Source for Pod {
    fn box_names(&self) -> Vec<String> {
        vec!["pod-a".into(), "pod-b".into()]
    }
    fn one(&self, name: &str) -> Option<BoxModel> {
        self.box_names().contains(&name.to_string()).then(|| pod_box(name))
    }
    fn host_summary(&self) -> HostModel {
        fixture_host()
    }
    fn host(&self, _boxes: &[BoxModel]) -> HostModel {
        fixture_host()
    }
}

#[test]
fn one_net_wall_goes_around_both_boxes_of_the_pod() {
    let (a, b) = (pod_box("pod-a"), pod_box("pod-b"));
    assert_eq!(diagram::pod_of(&a).1, ["pod-b"]);
    for width in [diagram::WIDE, diagram::NARROW] {
        let d = diagram::diagram(&a, &[PodBox::of(&b)], width);
        let kinds: Vec<&str> = d.walls.iter().map(|w| w.kind).collect();
        let mut outer = kinds[..3].to_vec();
        outer.sort();
        assert_eq!(outer, ["ipc", "net", "uts"], "the pod's walls outermost: {kinds:?}");
        assert_eq!(kinds.iter().filter(|k| **k == "net").count(), 1, "one net wall");
        let net = d.walls.iter().find(|w| w.kind == "net").unwrap();
        let made =
            if width == diagram::WIDE { "made by this box · shared with pod-b" } else { "net · made by this box" };
        assert!(net.label.contains(made), "{}", net.label);
        let names: Vec<&str> = d.blocks.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["pod-a", "pod-b"]);
        for k in &d.blocks {
            for w in &d.walls[..3] {
                assert!(
                    k.x > w.x && k.y > w.y && k.x + k.w < w.x + w.w && k.y + k.h < w.y + w.h,
                    "{} in {}",
                    k.name,
                    w.kind
                );
            }
            assert!(k.x + k.w <= width);
        }
        // pod-a's own walls (mnt, pid) inside its block; pod-b's processes listed in its.
        let (this, other) = (&d.blocks[0], &d.blocks[1]);
        for w in &d.walls[3..] {
            assert!(w.x > this.x && w.y > this.y && w.y + w.h <= this.y + this.h, "{} inside pod-a's block", w.kind);
        }
        assert!(other.lines.iter().any(|(y, t)| t.starts_with("pid 1 · ") && *y < other.y + other.h));
        assert!(other.y >= this.y + this.h, "the blocks do not overlap");
    }
}

#[tokio::test]
async fn the_box_page_draws_the_pod_wall_with_both_names() {
    let app = router(App::new(Arc::new(Pod), AllowedHosts::new(7878, &[]), super::live::Live::new()));
    let req = Request::get("/box/pod-b").header(header::HOST, HOST).body(Body::empty()).unwrap();
    let resp = app.oneshot(req).await.expect("router answers");
    let body = axum::body::to_bytes(resp.into_body(), 1 << 22).await.expect("body");
    let body = String::from_utf8_lossy(&body);
    let wide = &body[body.find("<svg id=\"ns-diagram\"").unwrap()..];
    let wide = &wide[..wide.find("</svg>").unwrap()];
    assert_eq!(wide.matches("<g class=\"wall net\"").count(), 1, "{wide}");
    assert!(wide.contains("made by box pod-a"), "{wide}");
    assert!(wide.contains("data-box=\"pod-b\"") && wide.contains(">box pod-b (this page)<"), "{wide}");
    assert!(wide.contains("<a href=\"/box/pod-a\">") && wide.contains(">box pod-a →<"), "{wide}");
    // A link inside role="img" is hidden from a screen reader (axe: nested-interactive).
    assert!(wide.contains("role=\"group\"") && !wide.contains("role=\"img\""), "{wide}");
    assert!(wide.contains("host 200"), "pod-a's processes listed: {wide}");
    assert!(wide.contains("around a pod: box pod-b (this page). box pod-a ("), "the description says so: {wide}");
}
