//! `/_ping`, `/version`, `/info` and `/events`: how a client finds out what
//! it talks to. The docker CLI pings first and reads `API-Version` from the
//! answer, then speaks that version (`/v1.47/containers/json`): docker 28
//! and 20.10 both settle on a version this daemon serves.

use super::api::{ApiResult, Call, JSON_LIMIT, ok_json};
use super::streams::channel_body;
use super::{API_VERSION, App, MIN_API_VERSION, clock, containers};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method};
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::Mutex;
use tokio::sync::broadcast;

/// `GET|HEAD /_ping`.
pub async fn ping(method: Method) -> Response {
    let mut r = Response::new(if method == Method::HEAD { Body::empty() } else { Body::from("OK") });
    let h = r.headers_mut();
    for (k, v) in [
        ("api-version", API_VERSION),
        ("docker-experimental", "false"),
        ("ostype", "linux"),
        ("builder-version", "1"),
        ("cache-control", "no-cache, no-store, must-revalidate"),
        ("pragma", "no-cache"),
        ("content-type", "text/plain; charset=utf-8"),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    r
}

fn kernel() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim().to_string()
}

fn arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        a => a,
    }
}

/// `GET /version`.
pub async fn version() -> ApiResult {
    let v = env!("CARGO_PKG_VERSION");
    Ok(ok_json(&json!({
        "Platform": { "Name": "glassbox" },
        "Components": [{ "Name": "Engine", "Version": v, "Details": {
            "ApiVersion": API_VERSION, "MinAPIVersion": MIN_API_VERSION, "Os": "linux", "Arch": arch(),
            "KernelVersion": kernel(), "Experimental": "false", "GitCommit": "glassbox", "GoVersion": "rust" } }],
        "Version": v, "ApiVersion": API_VERSION, "MinAPIVersion": MIN_API_VERSION, "GitCommit": "glassbox",
        "GoVersion": "rust", "Os": "linux", "Arch": arch(), "KernelVersion": kernel(), "BuildTime": "",
    })))
}

/// `GET /info`: counts, the kernel, the cgroup layout, and what glassbox is.
pub async fn info(State(app): State<App>) -> ApiResult {
    let all = containers::all(&app.root);
    let count = |s: &str| all.iter().filter(|c| c.status().word() == s).count();
    let driver = crate::stage::cgroup::detect(std::path::Path::new(crate::stage::cgroup::DEFAULT_FS)).ok();
    let cgroup_version = driver.as_ref().map_or("", |d| d.version().trim_start_matches('v'));
    let mem_total = crate::sys::proc::mem_total_bytes().unwrap_or(0);
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default().trim().to_string();
    Ok(ok_json(&json!({
        "ID": "glassbox", "Name": host, "Containers": all.len(), "ContainersRunning": count("running"),
        "ContainersPaused": 0, "ContainersStopped": count("exited"),
        "Images": crate::image::Store::at(&app.root).images().len(),
        "Driver": "overlay", "DriverStatus": [["Backing Filesystem", "glassbox layer store"]],
        "DockerRootDir": app.root.state, "Plugins": { "Volume": ["local"], "Network": ["bridge", "null"], "Log": ["file"] },
        "MemoryLimit": true, "SwapLimit": true, "CpuCfsPeriod": true, "CpuCfsQuota": true, "PidsLimit": true,
        "KernelVersion": kernel(), "OperatingSystem": "glassbox (a container runtime you can see through)", "OSType": "linux",
        "Architecture": std::env::consts::ARCH, "NCPU": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "MemTotal": mem_total, "ServerVersion": env!("CARGO_PKG_VERSION"), "CgroupDriver": "cgroupfs",
        "CgroupVersion": cgroup_version, "LoggingDriver": "json-file", "DefaultRuntime": "glassbox",
        "Runtimes": { "glassbox": { "path": std::env::current_exe().unwrap_or_default() } },
        "LiveRestoreEnabled": true, "Swarm": { "LocalNodeState": "inactive", "NodeID": "", "NodeAddr": "" }, "SecurityOptions": [], "InitBinary": "glassbox-init", "Isolation": "",
        "Warnings": [
            "glassbox runs every request as glassbox steps: see them with `glassbox history BOX`",
            "no capability, seccomp or no_new_privs steps yet: containers keep every capability root has",
        ],
    })))
}

/// What happened, as `docker events` prints it; the last few are kept for
/// `--since`, and every listener gets the new ones.
pub struct Events {
    tx: broadcast::Sender<Value>,
    recent: Mutex<VecDeque<Value>>,
}

const RECENT: usize = 256;

impl Default for Events {
    fn default() -> Events {
        Events { tx: broadcast::channel(256).0, recent: Mutex::new(VecDeque::new()) }
    }
}

impl Events {
    pub fn emit(&self, kind: &str, action: &str, id: &str, attributes: Value) {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let e = json!({
            "Type": kind, "Action": action, "Actor": { "ID": id, "Attributes": attributes }, "scope": "local",
            "time": now.as_secs(), "timeNano": now.as_nanos() as u64, "status": action, "id": id,
        });
        let mut recent = self.recent.lock().expect("not poisoned");
        if recent.len() == RECENT {
            recent.pop_front();
        }
        recent.push_back(e.clone());
        let _ = self.tx.send(e);
    }

    /// Every event from now on: waiters wake on them instead of polling.
    pub fn subscribe(&self) -> broadcast::Receiver<Value> {
        self.tx.subscribe()
    }

    pub fn container(&self, action: &str, id: &str, name: &str, image: &str) {
        self.emit("container", action, id, json!({ "name": name, "image": image }));
    }

    pub fn container_exit(&self, id: &str, name: &str, image: &str, code: i32) {
        self.emit("container", "die", id, json!({ "name": name, "image": image, "exitCode": code.to_string() }));
    }

    pub fn image(&self, action: &str, id: &str, name: &str) {
        self.emit("image", action, id, json!({ "name": name }));
    }
}

/// `GET /events?since=T&until=T&filters=…`: one JSON object a line, as
/// things happen, until `until` or the client leaves.
pub async fn events(State(app): State<App>, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let time = |k: &str| call.query.get(k).and_then(|t| t.split('.').next()?.parse::<u64>().ok());
    let (since, until) = (time("since"), time("until"));
    let filters: Value = call.query.get("filters").and_then(|f| serde_json::from_str(f).ok()).unwrap_or(Value::Null);
    let wanted = move |e: &Value| {
        let t = e["time"].as_u64().unwrap_or(0);
        let want = |key: &str, got: &Value| match filters[key]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .or_else(|| {
                filters[key].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
            }) {
            Some(list) if !list.is_empty() => got.as_str().is_some_and(|g| list.iter().any(|w| w == g)),
            _ => true,
        };
        until.is_none_or(|u| t <= u)
            && want("type", &e["Type"])
            && want("event", &e["Action"])
            && (want("container", &e["Actor"]["Attributes"]["name"]) || want("container", &e["id"]))
    };
    let mut rx = app.events.tx.subscribe();
    let past: Vec<Value> = match since {
        Some(s) => app
            .events
            .recent
            .lock()
            .expect("not poisoned")
            .iter()
            .filter(|e| e["time"].as_u64() >= Some(s))
            .cloned()
            .collect(),
        None => vec![],
    };
    let (tx, body) = channel_body();
    tokio::spawn(async move {
        let line = |e: &Value| Bytes::from(format!("{e}\n"));
        for e in past.iter().filter(|e| wanted(e)) {
            if tx.send(line(e)).await.is_err() {
                return;
            }
        }
        loop {
            let deadline = until.map(|u| std::time::Duration::from_secs(u.saturating_sub(clock::now())));
            let next = async {
                match deadline {
                    Some(d) => tokio::time::timeout(d, rx.recv()).await.ok(),
                    None => Some(rx.recv().await),
                }
            };
            tokio::select! {
                e = next => match e {
                    Some(Ok(e)) if wanted(&e) => if tx.send(line(&e)).await.is_err() { return },
                    Some(Ok(_)) | Some(Err(broadcast::error::RecvError::Lagged(_))) => {}
                    _ => return,
                },
                _ = tx.closed() => return,
                _ = super::stopping(&app) => return,
            }
        }
    });
    Ok(super::api::bytes("application/json", body))
}
