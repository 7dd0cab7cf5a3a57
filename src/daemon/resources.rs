//! Volumes and networks. A Docker volume is a glassbox named volume
//! (`glassbox volume create/rm`); glassbox has two networks, `bridge`
//! (its bridge, made on a box's first `net` step) and `none` (a box's own
//! network namespace with only `lo`).

use super::App;
use super::api::{ApiError, ApiResult, Call, JSON_LIMIT, Key, json, no_content, ok_json};
use super::containers;
use super::types::VolumeCreate;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

fn volume_json(app: &App, name: &str) -> Value {
    let info = crate::volume::info(&app.root, name);
    let created = std::fs::metadata(&info.path).ok().and_then(|m| m.modified().ok());
    let created = created.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
    json!({
        "Name": name, "Driver": "local", "Mountpoint": info.path, "CreatedAt": super::clock::rfc3339(created),
        "Labels": {}, "Scope": "local", "Options": {},
        "UsageData": { "Size": info.bytes, "RefCount": info.boxes.len() },
    })
}

/// `GET /volumes`.
pub async fn list(State(app): State<App>) -> ApiResult {
    let all: Vec<Value> = crate::volume::list(&app.root).iter().map(|n| volume_json(&app, n)).collect();
    Ok(ok_json(&json!({ "Volumes": all, "Warnings": [] })))
}

/// `POST /volumes/create`: `glassbox volume create NAME`; a name that is
/// there already is the volume (Docker's create is idempotent).
pub async fn create(State(app): State<App>, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let r: VolumeCreate = call.json()?;
    if r.driver.as_deref().is_some_and(|d| !d.is_empty() && d != "local") {
        return Err(ApiError::bad("glassbox volumes are folders under its state root: the driver is local"));
    }
    if r.driver_opts.as_ref().is_some_and(|o| !o.is_empty()) {
        return Err(ApiError::bad("glassbox volumes take no driver options (-o)"));
    }
    let name = r.name.filter(|n| !n.is_empty()).unwrap_or_else(anonymous_name);
    if !crate::volume::exists(&app.root, &name) {
        crate::output::say!("{}", call.cause.line());
        app.steps.run(&["volume".into(), "create".into(), name.clone()], Some(&call.cause), None).await?;
        app.events.emit("volume", "create", &name, json!({}));
    }
    Ok(json(StatusCode::CREATED, &volume_json(&app, &name)))
}

/// Docker names a volume nobody named with 64 random hex digits; glassbox
/// names are 63 characters at most.
fn anonymous_name() -> String {
    use sha2::Digest;
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    hex::encode(sha2::Sha256::digest(format!("volume {t} {}", std::process::id())))[..48].to_string()
}

/// `GET /volumes/NAME`.
pub async fn inspect(State(app): State<App>, Key(name): Key) -> ApiResult {
    if crate::state::names::validate("volume", &name).is_err() || !crate::volume::exists(&app.root, &name) {
        return Err(ApiError::not_found(format!("get {name}: no such volume")));
    }
    Ok(ok_json(&volume_json(&app, &name)))
}

/// `DELETE /volumes/NAME?force=1`: `glassbox volume rm NAME`.
pub async fn remove(State(app): State<App>, Key(name): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    if crate::state::names::validate("volume", &name).is_err() || !crate::volume::exists(&app.root, &name) {
        return Err(ApiError::not_found(format!("get {name}: no such volume")));
    }
    let users = crate::volume::users(&app.root, &name);
    if !users.is_empty() && !call.flag("force") {
        return Err(ApiError::conflict(format!("remove {name}: volume is in use - [{}]", users.join(", "))));
    }
    crate::output::say!("{}", call.cause.line());
    let mut args = vec!["volume".to_string(), "rm".into(), name.clone()];
    if call.flag("force") {
        args.push("--force".into());
    }
    app.steps.run(&args, Some(&call.cause), None).await?;
    app.events.emit("volume", "destroy", &name, json!({}));
    Ok(no_content())
}

/// The bridge's address and the boxes on it, as Docker's network inspect shows them.
fn network_json(app: &App, name: &str) -> Option<Value> {
    let id = |n: &str| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(format!("glassbox network {n} {}", app.root.state.display())))
    };
    let all = containers::all(&app.root);
    let on = |bridge: bool| -> serde_json::Map<String, Value> {
        all.iter()
            .filter(|c| c.record.net.is_some() == bridge && c.record.has(crate::stage::NamespaceKind::Net))
            .map(|c| {
                let addr = c.record.net.as_ref().map(|n| format!("{}/{}", n.address, n.prefix)).unwrap_or_default();
                (c.id.clone(), json!({ "Name": c.name(), "IPv4Address": addr, "MacAddress": "", "IPv6Address": "" }))
            })
            .collect()
    };
    let (driver, ipam, containers) = match name {
        "bridge" => {
            let subnet = crate::stage::bridge::Subnet::default_for(&app.root);
            let config = json!([{ "Subnet": format!("{}/24", subnet.0), "Gateway": subnet.gateway().to_string() }]);
            ("bridge", config, on(true))
        }
        "none" => ("null", json!([]), on(false)),
        _ => return None,
    };
    Some(json!({
        "Name": name, "Id": id(name), "Created": super::clock::rfc3339(0), "Scope": "local", "Driver": driver,
        "EnableIPv6": false, "IPAM": { "Driver": "default", "Options": null, "Config": ipam },
        "Internal": false, "Attachable": false, "Ingress": false, "ConfigOnly": false,
        "Containers": containers, "Options": { "com.docker.network.bridge.name": crate::stage::bridge::bridge_name(&app.root) }, "Labels": {},
    }))
}

/// `GET /networks`.
pub async fn networks(State(app): State<App>) -> ApiResult {
    let all: Vec<Value> = ["bridge", "none"].iter().filter_map(|n| network_json(&app, n)).collect();
    Ok(ok_json(&all))
}

/// `GET /networks/ID`: by name, or by (a prefix of) its ID.
pub async fn network(State(app): State<App>, Key(key): Key) -> ApiResult {
    ["bridge", "none"]
        .iter()
        .filter_map(|n| network_json(&app, n))
        .find(|n| {
            n["Name"] == key.as_str() || n["Id"].as_str().is_some_and(|id| !key.is_empty() && id.starts_with(&key))
        })
        .map(|n| ok_json(&n))
        .ok_or_else(|| ApiError::not_found(format!("network {key} not found")))
}

/// `POST /networks/create` and the rest of what changes networks.
pub async fn network_refused() -> ApiResult {
    Err(ApiError::bad(
        "glassbox has one bridge (and none): it makes no user-defined networks; boxes on the bridge reach each other by address",
    ))
}
