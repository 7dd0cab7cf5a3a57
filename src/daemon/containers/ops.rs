//! What a running container is doing: `docker top` (its processes, from
//! /proc), `docker stats` (its cgroup's counters), `docker diff` (its
//! container layer). Reads only, as the web page's are.

use super::super::App;
use super::super::api::{ApiError, ApiResult, Call, JSON_LIMIT, Key, ok_json};
use super::super::clock;
use super::{Container, Status, find};
use crate::stage::cgroup::usage::Usage;
use axum::body::Bytes;
use axum::extract::{Request, State};
use serde_json::{Value, json};

/// `GET /containers/ID/top`: host pid, parent and command of each process
/// in the box, as `glassbox ps BOX` lists them.
pub async fn top(State(app): State<App>, Key(key): Key) -> ApiResult {
    let c = find(&app.root, &key)?;
    if c.status() != Status::Running {
        return Err(ApiError::conflict(format!("container {} is not running", c.id)));
    }
    let model = crate::model::collect(&app.root, &c.record);
    let rows: Vec<Value> = model
        .processes
        .iter()
        .map(|p| {
            let uid = p.uid_on_host.map_or("?".to_string(), |u| u.to_string());
            json!([uid, p.host_pid.to_string(), p.host_ppid.to_string(), p.pid_inside.to_string(), p.role, p.command])
        })
        .collect();
    Ok(ok_json(&json!({ "Titles": ["UID", "PID", "PPID", "PID INSIDE", "ROLE", "CMD"], "Processes": rows })))
}

fn usage(c: &Container) -> Usage {
    let Some(cg) = &c.record.cgroup else { return Usage::default() };
    match crate::stage::cgroup::detect(std::path::Path::new(crate::stage::cgroup::DEFAULT_FS)) {
        Ok(driver) => crate::stage::cgroup::usage::read_usage(&driver, &cg.paths),
        Err(_) => Usage::default(),
    }
}

fn sample(c: &Container, before: &Value) -> Value {
    let u = usage(c);
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mem_total = crate::sys::proc::mem_total_bytes().unwrap_or(0);
    json!({
        "read": clock::rfc3339(clock::now()), "preread": before["read"].clone(),
        "name": format!("/{}", c.name()), "id": c.id,
        "pids_stats": { "current": u.pids.unwrap_or(0), "limit": u.pids_limit },
        "cpu_stats": {
            "cpu_usage": { "total_usage": u.cpu_usage_usec.unwrap_or(0) * 1000, "usage_in_kernelmode": 0, "usage_in_usermode": 0 },
            "system_cpu_usage": crate::sys::proc::machine_cpu_ns(), "online_cpus": cpus,
            "throttling_data": { "periods": 0, "throttled_periods": u.cpu_throttled_periods.unwrap_or(0), "throttled_time": u.cpu_throttled_usec.unwrap_or(0) * 1000 },
        },
        "precpu_stats": before["cpu_stats"].clone(),
        "memory_stats": {
            "usage": u.memory_bytes.unwrap_or(0), "max_usage": u.memory_peak_bytes.unwrap_or(0),
            "limit": u.memory_limit_bytes.unwrap_or(mem_total), "failcnt": u.memory_limit_hits.unwrap_or(0), "stats": {},
        },
        "networks": {},
    })
}

/// `GET /containers/ID/stats?stream=0`: one sample (with the one before a
/// second earlier, for the CPU %), or one every second.
pub async fn stats(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let c = find(&app.root, &key)?;
    let stream =
        call.query.get("stream").is_none_or(|s| super::super::api::flag(&call.query, "stream") || s.is_empty());
    let empty =
        json!({ "read": clock::ZERO, "cpu_stats": { "cpu_usage": { "total_usage": 0 }, "system_cpu_usage": 0 } });
    if !stream {
        let first = if call.flag("one-shot") {
            empty
        } else {
            let s = sample(&c, &empty);
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            s
        };
        return Ok(ok_json(&sample(&c, &first)));
    }
    let (tx, body) = super::super::streams::channel_body();
    tokio::spawn(async move {
        let mut before = empty;
        loop {
            let Ok(c) = super::reload(&app.root, c.name()) else { return };
            let now = sample(&c, &before);
            if tx.send(Bytes::from(format!("{now}\n"))).await.is_err() || c.status() != Status::Running {
                return;
            }
            before = now;
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                _ = super::super::stopping(&app) => return,
            }
        }
    });
    Ok(super::super::api::bytes("application/json", body))
}

/// `GET /containers/ID/changes`: `glassbox diff` as Docker numbers its
/// kinds (0 changed, 1 added, 2 deleted).
pub async fn changes(State(app): State<App>, Key(key): Key) -> ApiResult {
    let c = find(&app.root, &key)?;
    let out = app.steps.read(&["--json".into(), "diff".into(), c.name().into()]).await?;
    let list: Vec<Value> =
        serde_json::from_str(&out).map_err(|e| ApiError::internal(format!("glassbox diff --json: {e}")))?;
    let changes: Vec<Value> = list
        .iter()
        .map(|ch| {
            let kind = match ch["kind"].as_str() {
                Some("A") => 1,
                Some("D") => 2,
                _ => 0,
            };
            json!({ "Path": ch["path"], "Kind": kind })
        })
        .collect();
    Ok(ok_json(&changes))
}

/// `POST /containers/ID/resize?h=ROWS&w=COLUMNS`: the container's terminal
/// takes the client's new size.
pub async fn resize(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let c = find(&app.root, &key)?;
    let size = |k: &str| call.query.get(k).and_then(|v| v.parse::<u16>().ok()).unwrap_or(0);
    if let Some(master) = app.live.ttys.lock().expect("not poisoned").get(c.name()) {
        super::super::tty::resize(master, size("h"), size("w"));
    }
    Ok(ok_json(&json!({})))
}

/// `pause`, `unpause`, `rename`, `update`, `export`, `archive`.
pub async fn refused(Key(_key): Key) -> ApiResult {
    Err(ApiError::bad(
        "glassbox's daemon does not do this to a container (pause, rename, update, export and copying files are not served); see `glassbox --help` for what a box can do",
    ))
}
