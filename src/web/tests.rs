//! Router tests without a socket: requests go to the router with `oneshot`,
//! over fixture models (the kernel-facing side is tested in tests/it/web.rs
//! against a real `serve` and real boxes).

use super::guard::AllowedHosts;
use super::routes::{App, router};
use super::source::Source;
use crate::model::host::{HostModel, HostNamespace};
use crate::model::layers::{LayerModel, StackModel};
use crate::model::reference::{HostReference, HostSource};
use crate::model::{BoxModel, NamespaceModel, ProcessModel, StepModel};
use crate::plan::Faces;
use crate::plan::op::Actor;

use crate::stage::NamespaceKind;
use crate::state::BoxState;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::sync::Arc;
use tower::ServiceExt;

const PORT: u16 = 7878;
pub const HOST: &str = "127.0.0.1:7878";
const EVIL: &str = "<img src=x onerror=alert(1)>";

fn host_reference() -> HostReference {
    HostReference {
        source: HostSource::Pid1,
        explained: "the host's namespaces are PID 1's".into(),
        inodes: NamespaceKind::ALL.iter().map(|k| (*k, 4026531000)).collect(),
    }
}

pub fn fixture_box(name: &str) -> BoxModel {
    let isolated = [NamespaceKind::Uts, NamespaceKind::Pid, NamespaceKind::Mnt];
    BoxModel {
        name: name.into(),
        project: None,
        state: BoxState::Running,
        broken: None,
        created_at: 0,
        hostname: Some(format!("<script>alert('{name}')</script>")),
        user_map: None,
        time_offsets: None,
        host_reference: host_reference(),
        namespaces: NamespaceKind::ALL
            .iter()
            .map(|k| NamespaceModel {
                kind: *k,
                inode: Some(if isolated.contains(k) { 4026532000 } else { 4026531000 }),
                host_inode: Some(4026531000),
                isolated: isolated.contains(k),
                held_by: isolated.contains(k).then(|| format!("bind mount /run/x/{}", k.name())),
                isolates: k.isolates(),
                made_by: None,
                joined: None,
                shared_with: vec![],
                maker_gone: false,
            })
            .collect(),
        processes: vec![
            ProcessModel {
                host_pid: 100,
                pid_inside: 1,
                ppid_inside: 0,
                host_ppid: 1,
                command: "glassbox-init demo 3 /root".into(),
                uid_on_host: Some(0),
                uid_inside: Some(0),
                role: "init".into(),
                differs_in: vec![],
                confinement: None,
            },
            ProcessModel {
                host_pid: 101,
                pid_inside: 2,
                ppid_inside: 1,
                host_ppid: 100,
                command: EVIL.into(),
                uid_on_host: Some(0),
                uid_inside: Some(0),
                role: String::new(),
                differs_in: vec![NamespaceKind::Uts],
                confinement: None,
            },
        ],
        steps: vec![StepModel {
            n: 1,
            at: 0,
            command: "glassbox unshare demo uts".into(),
            cause: None,
            ops: vec![Faces {
                actor: Actor::Helper,
                syscall: "unshare(CLONE_NEWUTS)".into(),
                shell: "unshare --uts".into(),
                why: "a hostname of its own <b>".into(),
            }],
            makes: vec![NamespaceKind::Uts],
        }],
        runtime_dir: "/run/x".into(),
        rootfs: Some(StackModel {
            image: Some("busybox".into()),
            mounted: true,
            layers: vec![
                LayerModel {
                    role: "container".into(),
                    made_by: "box".into(),
                    digest: None,
                    source: "writable".into(),
                    created_by: None,
                    files: 2,
                    bytes: 10,
                    path: "/x/upper".into(),
                },
                LayerModel {
                    role: "base".into(),
                    made_by: "commit".into(),
                    digest: Some("sha256:0123456789abcdef".into()),
                    source: "busybox".into(),
                    created_by: Some("RUN echo <b>made</b> > /etc/motd".into()),
                    files: 400,
                    bytes: 1 << 20,
                    path: "/x/layer".into(),
                },
            ],
            lowerdir: "/x/layer".into(),
            upperdir: "/x/upper".into(),
            workdir: "/x/work".into(),
        }),
        cgroup: None,
        volumes: vec![],
        network: Some(crate::model::NetworkModel {
            interface: "eth0",
            address: "10.88.0.2/24".into(),
            gateway: "10.88.0.1".into(),
            bridge: "gb0".into(),
            host_veth: "gbv1".into(),
            published: vec!["127.0.0.1:8080 -> 10.88.0.2/24:80".into()],
            unforwarded: vec![],
            ports: vec![crate::model::PortModel {
                host_port: 8080,
                box_port: 80,
                url: "http://127.0.0.1:8080/".into(),
            }],
        }),
        mounts: vec![crate::model::MountModel {
            target: "/".into(),
            fstype: "overlay".into(),
            source: "overlay".into(),
            read_only: false,
        }],
        hardening: Default::default(),
        health: None,
    }
}

/// The host as the overview shows it (no namespaces listed).
pub fn fixture_host() -> HostModel {
    HostModel {
        kernel: "6.1.0".into(),
        cgroup_layout: "unified".into(),
        cgroup_explained: "v2".into(),
        state_root: "/tmp/root".into(),
        runtime_root: "/tmp/root/run".into(),
        host_reference: host_reference(),
        namespaces: vec![],
    }
}

struct Fixture;

impl Source for Fixture {
    fn box_names(&self) -> Vec<String> {
        vec!["demo".into(), "other".into()]
    }
    fn one(&self, name: &str) -> Option<BoxModel> {
        self.box_names().contains(&name.to_string()).then(|| fixture_box(name))
    }
    fn host_summary(&self) -> HostModel {
        fixture_host()
    }
    fn host(&self, _boxes: &[BoxModel]) -> HostModel {
        HostModel {
            namespaces: vec![HostNamespace {
                kind: NamespaceKind::Uts,
                inode: 4026532000,
                processes: 1,
                first_pid: 101,
                command: EVIL.into(),
                is_host: false,
                of_box: Some("demo".into()),
            }],
            ..self.host_summary()
        }
    }
}

fn app() -> axum::Router {
    router(App::new(Arc::new(Fixture), AllowedHosts::new(PORT, &[]), super::live::Live::new()))
}

pub async fn send(req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let resp = app().oneshot(req).await.expect("router answers");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 22).await.expect("body");
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

async fn get(path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    send(Request::get(path).header(header::HOST, HOST).body(Body::empty()).unwrap()).await
}

const ROUTES: [&str; 9] =
    ["/", "/box/demo", "/box/gone", "/host", "/api/boxes", "/api/boxes/demo", "/api/host", "/static/app.js", "/nope"];

#[tokio::test]
async fn box_page_shows_every_namespace_the_tree_and_the_stack() {
    let (status, _, body) = get("/box/demo").await;
    assert_eq!(status, StatusCode::OK);
    for kind in NamespaceKind::ALL {
        assert!(body.contains(&format!("data-kind=\"{}\"", kind.name())), "row for {kind:?}");
    }
    assert!(body.contains("bind mount /run/x/uts"));
    assert!(body.contains("init (PID 1)"));
    assert!(body.contains("not in it: pid 101"), "a process outside the box's uts namespace is highlighted");
    assert!(body.contains("data-role=\"container\"") && body.contains("data-role=\"base\""));
    assert!(body.contains("unshare(CLONE_NEWUTS)"));
}

#[tokio::test]
async fn box_page_draws_the_walls_and_says_what_the_tables_used_to_leave_out() {
    let (_, _, body) = get("/box/demo").await;
    // Walls in the order the steps made them; the process started before the uts step outside it.
    let walls: Vec<&str> = body.match_indices("<g class=\"wall ").map(|(i, _)| &body[i + 15..i + 18]).collect();
    assert_eq!(
        &walls[..3],
        ["uts", "mnt", "pid"].as_slice(),
        "uts made by step 1, the others never recorded: {walls:?}"
    );
    assert!(
        body.contains("data-pid=\"101\" data-depth=\"0\""),
        "pid 101 is not in the uts namespace, the outermost wall"
    );
    assert!(body.contains("data-pid=\"100\" data-depth=\"3\""), "the init is inside all three");
    assert!(body.contains(">1 operation<"), "one operation, not \"1 operations\"");
    assert!(body.contains("<time datetime=\"1970-01-01T00:00:00Z\">"), "the step's time");
    assert!(body.contains("<a href=\"http://127.0.0.1:8080/\""), "a published port is a link");
    assert!(body.contains("<th scope=\"col\">uid inside</th>"));
    assert!(body.contains("committed layer"), "a layer made by commit is not called base");
    assert!(
        body.contains("<code class=\"line\">RUN echo &#60;b&#62;made&#60;/b&#62; &#62; /etc/motd</code>"),
        "its line, escaped: {body}"
    );
    assert!(body.contains("id=\"mount-table\"") && body.contains(">overlay<"));
    assert!(body.contains("class=\"skip\" href=\"#main\"") && body.contains("aria-live=\"polite\""));
}

#[test]
fn the_process_tree_draws_siblings_and_last_children_and_sorts_by_pid_inside() {
    let p = |host: i32, inside: i32, parent: i32| ProcessModel {
        host_pid: host,
        pid_inside: inside,
        ppid_inside: 0,
        host_ppid: parent,
        command: format!("p{inside}"),
        uid_on_host: Some(100000),
        uid_inside: Some(0),
        role: String::new(),
        differs_in: vec![],
        confinement: None,
    };
    // Host pids in another order than the pids inside.
    let ps = [p(50, 1, 1), p(90, 2, 50), p(60, 3, 50), p(70, 4, 60), p(80, 5, 50)];
    let rows = super::views::process_tree(&ps);
    let drawn: Vec<String> = rows.iter().map(|r| format!("{}{}", r.indent, r.command)).collect();
    assert_eq!(drawn, ["p1", "├─ p2", "├─ p3", "│  └─ p4", "└─ p5"]);
    assert_eq!(rows[0].uid_inside, "0");
    assert_eq!(rows[0].uid_on_host, "100000");
}

#[tokio::test]
async fn strings_from_a_box_are_escaped_everywhere() {
    for path in ["/box/demo", "/host", "/"] {
        let (_, _, body) = get(path).await;
        assert!(!body.contains("<img src=x"), "{path}: raw <img> from a box in the page");
        assert!(!body.contains("<script>alert"), "{path}: raw script in the page");
        assert!(!body.contains("<b>\n") && !body.contains("own <b>"), "{path}: raw markup from a step");
    }
    let (_, _, body) = get("/box/demo").await;
    assert!(body.contains("&#60;img src=x onerror=alert(1)&#62;"), "shown as text");
}

#[tokio::test]
async fn overview_has_eight_badges_per_box() {
    let (_, _, body) = get("/").await;
    let off = body.matches("class=\"badge\"").count();
    assert_eq!(off + body.matches("class=\"badge on\"").count(), 16);
    assert_eq!(body.matches("class=\"badge on\"").count(), 6);
    assert!(body.contains("href=\"/box/other\""));
}

#[tokio::test]
async fn a_removed_box_says_removed_not_an_error() {
    let (status, _, body) = get("/box/gone?part=main").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains(">removed<"));
    assert!(body.starts_with("<main") || body.trim_start().starts_with("<main"), "part=main is only <main>");
    let (status, _, body) = get("/api/boxes/gone").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["error"].is_string());
}

#[tokio::test]
async fn the_api_returns_the_inspect_model() {
    let (status, headers, body) = get("/api/boxes").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let got: serde_json::Value = serde_json::from_str(&body).unwrap();
    let want = serde_json::to_value(Fixture.boxes()).unwrap();
    assert_eq!(got, want);
    let (_, _, one) = get("/api/boxes/demo").await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&one).unwrap(),
        serde_json::to_value(fixture_box("demo")).unwrap()
    );
    let (_, _, host) = get("/api/host").await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&host).unwrap()["namespaces"][0]["of_box"], "demo");
}

#[tokio::test]
async fn a_foreign_host_is_refused_on_every_route_before_routing() {
    for path in ROUTES.iter().chain(&["/events"]) {
        for host in ["evil.example:7878", "127.0.0.1", "0.0.0.0:7878", "127.0.0.2:7878", "localhost:1"] {
            let req = Request::get(*path).header(header::HOST, host).body(Body::empty()).unwrap();
            let (status, headers, _) = send(req).await;
            assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{path} with Host {host}");
            assert_eq!(headers[header::CONTENT_SECURITY_POLICY], "default-src 'self'; frame-ancestors 'none'");
        }
        let (status, _, _) = send(Request::get(*path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{path} without Host");
        let req = Request::get(*path).header(header::HOST, HOST).header("x-forwarded-host", HOST).body(Body::empty());
        assert_eq!(send(req.unwrap()).await.0, StatusCode::FORBIDDEN, "{path} with X-Forwarded-Host");
        let req = Request::get(*path).header(header::HOST, HOST).header("forwarded", "host=x").body(Body::empty());
        assert_eq!(send(req.unwrap()).await.0, StatusCode::FORBIDDEN, "{path} with Forwarded");
    }
}

#[tokio::test]
async fn every_response_has_csp_nosniff_and_no_cors() {
    for path in ROUTES {
        let req = Request::get(path).header(header::HOST, HOST).header(header::ORIGIN, "http://evil.example");
        let (_, headers, _) = send(req.body(Body::empty()).unwrap()).await;
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], "default-src 'self'; frame-ancestors 'none'", "{path}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert!(!headers.keys().any(|k| k.as_str().starts_with("access-control-")), "{path}: CORS header");
    }
}

#[tokio::test]
async fn nothing_can_be_changed_through_the_server() {
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in ["/", "/box/demo", "/api/boxes", "/api/boxes/demo", "/events"] {
            let req = Request::builder().method(method).uri(path).header(header::HOST, HOST);
            let (status, _, _) = send(req.body(Body::from("{}")).unwrap()).await;
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        }
    }
}

#[tokio::test]
async fn the_event_stream_refuses_a_foreign_origin() {
    let req = |origin: Option<&str>| {
        let mut r = Request::get("/events").header(header::HOST, HOST);
        if let Some(o) = origin {
            r = r.header(header::ORIGIN, o);
        }
        r.body(Body::empty()).unwrap()
    };
    for bad in ["http://evil.example", "http://127.0.0.1:9999", "null", "https://127.0.0.1:7878"] {
        let resp = app().oneshot(req(Some(bad))).await.unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{bad}");
    }
    for good in [None, Some("http://127.0.0.1:7878"), Some("http://localhost:7878")] {
        let resp = app().oneshot(req(good)).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{good:?}");
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/event-stream");
    }
}

#[tokio::test]
async fn static_files_come_from_the_binary() {
    let (status, headers, body) = get("/static/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript"));
    assert!(body.contains("EventSource"));
    assert_eq!(get("/static/..%2fCargo.toml").await.0, StatusCode::NOT_FOUND);
}
