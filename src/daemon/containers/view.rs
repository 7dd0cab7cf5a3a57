//! `docker ps` and `docker inspect`: a box in Docker's shapes. Everything
//! comes from the box record (and its `meta`, for boxes the API made), so a
//! box made with the CLI shows up too, with what Docker would call its image
//! (the one `rootfs` used), its command (the last `run`) and its status.

use super::super::App;
use super::super::api::{ApiResult, Call, JSON_LIMIT, Key, ok_json};
use super::super::clock;
use super::{Container, Status, find};
use crate::volume::Source;
use axum::extract::{Request, State};
use serde_json::{Value, json};

/// The command as Docker shows it: Entrypoint then Cmd, or the box's last `run`.
fn argv(c: &Container) -> Vec<String> {
    if c.meta.is_some() {
        let (entrypoint, cmd) = entrypoint_and_cmd(c);
        return entrypoint.into_iter().flatten().chain(cmd.into_iter().flatten()).collect();
    }
    let run = c.record.steps.iter().rev().find(|s| s.command.get(1).is_some_and(|w| w == "run"));
    run.and_then(|s| s.command.iter().position(|a| a == "--").map(|i| s.command[i + 1..].to_vec())).unwrap_or_default()
}

/// Entrypoint and Cmd as dockerd shows them, the request's merged with the
/// image's: a request's Entrypoint replaces the image's and its Cmd.
fn entrypoint_and_cmd(c: &Container) -> (Option<Vec<String>>, Option<Vec<String>>) {
    let Some(m) = &c.meta else { return (None, None) };
    let config = c.record.image_config.as_ref();
    let image_cmd = config.and_then(|c| c.cmd().clone());
    let cmd = m.request.cmd.as_ref().map(|w| w.to_vec()).filter(|c| !c.is_empty());
    match m.request.entrypoint.as_ref().map(|w| w.to_vec()) {
        None => (config.and_then(|c| c.entrypoint().clone()), cmd.or(image_cmd)),
        Some(ep) if ep.iter().all(String::is_empty) => (None, cmd.or(image_cmd)),
        Some(ep) => (Some(ep), cmd),
    }
}

fn image(c: &Container) -> String {
    c.meta.as_ref().map(|m| m.image.clone()).or_else(|| c.record.image.clone()).unwrap_or_default()
}

fn image_id(app: &App, c: &Container) -> String {
    let store = crate::image::Store::at(&app.root);
    c.record
        .image
        .as_deref()
        .and_then(|i| store.image(i).ok())
        .map(|i| super::super::images::image_id(&i))
        .unwrap_or_default()
}

/// "Up 5 minutes", "Exited (0) 2 seconds ago", "Created".
fn status_text(s: Status, started: u64) -> String {
    let now = clock::now();
    match s {
        Status::Created => "Created".into(),
        Status::Running => format!("Up {}", clock::human(now.saturating_sub(started))),
        Status::Exited { code, at } => format!("Exited ({code}) {} ago", clock::human(now.saturating_sub(at))),
    }
}

fn started_at(c: &Container) -> u64 {
    c.meta.as_ref().and_then(|m| m.started).map_or(c.record.created_at, |s| s.at)
}

fn ports(c: &Container) -> Vec<Value> {
    let published = c.record.net.iter().flat_map(|n| n.published.iter());
    published
        .map(|p| json!({ "IP": "127.0.0.1", "PrivatePort": p.box_port, "PublicPort": p.host_port, "Type": "tcp" }))
        .collect()
}

fn mounts(app: &App, c: &Container) -> Vec<Value> {
    c.record
        .volumes
        .iter()
        .map(|v| {
            let (kind, name) = match &v.source {
                Source::Named { name } => ("volume", name.clone()),
                Source::Host { .. } => ("bind", String::new()),
            };
            json!({
                "Type": kind, "Name": name, "Source": crate::volume::host_path(&app.root, v), "Destination": v.target,
                "Driver": if kind == "volume" { "local" } else { "" }, "Mode": if v.read_only { "ro" } else { "" },
                "RW": !v.read_only, "Propagation": if kind == "bind" { "rprivate" } else { "" },
            })
        })
        .collect()
}

fn networks(c: &Container) -> Value {
    match &c.record.net {
        Some(n) => json!({ "bridge": {
            "IPAddress": n.address.to_string(), "IPPrefixLen": n.prefix, "Gateway": n.gateway.to_string(),
            "NetworkID": "", "EndpointID": n.host_veth, "MacAddress": "",
        } }),
        None => {
            json!({ "none": { "IPAddress": "", "IPPrefixLen": 0, "Gateway": "", "NetworkID": "", "EndpointID": "" } })
        }
    }
}

fn summary(app: &App, c: &Container) -> Value {
    let status = c.status();
    let argv = argv(c);
    json!({
        "Id": c.id, "Names": [format!("/{}", c.name())], "Image": image(c), "ImageID": image_id(app, c),
        "Command": argv.iter().map(|a| crate::output::escape::shell_word(a)).collect::<Vec<_>>().join(" "),
        "Created": c.record.created_at, "Ports": ports(c),
        "Labels": c.meta.as_ref().and_then(|m| m.request.labels.clone()).unwrap_or_default(),
        "State": status.word(), "Status": status_text(status, started_at(c)),
        "HostConfig": { "NetworkMode": if c.record.net.is_some() { "bridge" } else { "none" } },
        "NetworkSettings": { "Networks": networks(c) }, "Mounts": mounts(app, c),
    })
}

/// Docker's `filters` for `ps`: status, name, id, label.
fn matches(c: &Container, filters: &Value) -> bool {
    let list = |key: &str| -> Vec<String> {
        match &filters[key] {
            Value::Object(o) => o.keys().cloned().collect(),
            Value::Array(a) => a.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
            _ => vec![],
        }
    };
    let any = |key: &str, ok: &dyn Fn(&str) -> bool| {
        let l = list(key);
        l.is_empty() || l.iter().any(|w| ok(w))
    };
    let labels = c.meta.as_ref().and_then(|m| m.request.labels.clone()).unwrap_or_default();
    any("status", &|w| w == c.status().word())
        && any("name", &|w| c.name().contains(w.trim_start_matches('/')))
        && any("id", &|w| c.id.starts_with(w))
        && any("label", &|w| match w.split_once('=') {
            Some((k, v)) => labels.get(k).is_some_and(|x| x == v),
            None => labels.contains_key(w),
        })
}

/// `GET /containers/json?all=1&filters=…&limit=N`.
pub async fn list(State(app): State<App>, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let filters: Value = call.query.get("filters").and_then(|f| serde_json::from_str(f).ok()).unwrap_or(Value::Null);
    let all = call.flag("all");
    let mut found: Vec<Container> = super::all(&app.root)
        .into_iter()
        .filter(|c| all || c.status() == Status::Running || filters["status"] != Value::Null)
        .filter(|c| matches(c, &filters))
        .collect();
    // Newest first, as docker ps lists.
    found.sort_by(|a, b| b.record.created_at.cmp(&a.record.created_at).then(b.name().cmp(a.name())));
    if let Some(n) = call.query.get("limit").and_then(|l| l.parse::<usize>().ok()).filter(|n| *n > 0) {
        found.truncate(n);
    }
    Ok(ok_json(&found.iter().map(|c| summary(&app, c)).collect::<Vec<_>>()))
}

/// `GET /containers/ID/json`.
pub async fn inspect(State(app): State<App>, Key(key): Key) -> ApiResult {
    let c = find(&app.root, &key)?;
    Ok(ok_json(&inspected(&app, &c)))
}

fn inspected(app: &App, c: &Container) -> Value {
    let status = c.status();
    let argv = argv(c);
    let request = c.meta.as_ref().map(|m| m.request.clone()).unwrap_or_default();
    let host = request.host_config.clone().unwrap_or_default();
    let (code, finished) = match status {
        Status::Exited { code, at } => (code, clock::rfc3339(at)),
        _ => (0, clock::ZERO.to_string()),
    };
    let started = c.meta.as_ref().and_then(|m| m.started).map(|s| clock::rfc3339(s.at));
    let pid = if status == Status::Running { c.main_pids().first().copied().unwrap_or(0) } else { 0 };
    let (upper, work) = app.root.container_layer(c.name());
    let published: serde_json::Map<String, Value> = ports(c)
        .iter()
        .map(|p| {
            (
                format!("{}/tcp", p["PrivatePort"]),
                json!([{ "HostIp": "127.0.0.1", "HostPort": p["PublicPort"].to_string() }]),
            )
        })
        .collect();
    let net = c.record.net.as_ref();
    json!({
        "Id": c.id, "Created": clock::rfc3339(c.record.created_at), "Path": argv.first().cloned().unwrap_or_default(),
        "Args": argv.iter().skip(1).collect::<Vec<_>>(),
        "State": {
            "Status": status.word(), "Running": status == Status::Running, "Paused": false, "Restarting": false,
            "OOMKilled": false, "Dead": false, "Pid": pid, "ExitCode": code, "Error": c.record.unfinished.as_ref().map(|u| format!("half made by `{}`", u.command)).unwrap_or_default(),
            "StartedAt": started.unwrap_or_else(|| clock::ZERO.into()), "FinishedAt": finished,
        },
        "Image": image_id(app, c), "Name": format!("/{}", c.name()), "RestartCount": 0, "Driver": "overlay", "Platform": "linux",
        "LogPath": super::meta::logs(&app.root, c.name()).0, "MountLabel": "", "ProcessLabel": "", "AppArmorProfile": "", "ExecIDs": null,
        "HostConfig": {
            "Binds": host.binds, "NetworkMode": if net.is_some() { "bridge" } else { "none" }, "PortBindings": published.clone(),
            "AutoRemove": host.auto_remove.unwrap_or(false), "Privileged": false, "ReadonlyRootfs": false,
            "Memory": host.memory.unwrap_or(0), "NanoCpus": host.nano_cpus.unwrap_or(0), "PidsLimit": host.pids_limit,
            "CpusetCpus": host.cpuset_cpus.unwrap_or_default(), "LogConfig": { "Type": "json-file", "Config": {} },
            "RestartPolicy": { "Name": "no", "MaximumRetryCount": 0 }, "CapAdd": null, "CapDrop": null, "SecurityOpt": null,
        },
        "GraphDriver": { "Name": "overlay", "Data": { "UpperDir": upper, "WorkDir": work, "MergedDir": app.root.rootfs_mount(c.name()) } },
        "Mounts": mounts(app, c),
        "Config": {
            "Hostname": c.record.hostname.clone().unwrap_or_default(), "Domainname": "", "User": "",
            "AttachStdin": request.attach_stdin.unwrap_or(false), "AttachStdout": true, "AttachStderr": true,
            "Tty": false, "OpenStdin": request.open_stdin.unwrap_or(false), "StdinOnce": request.stdin_once.unwrap_or(false),
            "Env": request.env, "Cmd": entrypoint_and_cmd(c).1, "Entrypoint": entrypoint_and_cmd(c).0, "Image": image(c),
            "Volumes": request.volumes, "WorkingDir": "", "Labels": request.labels.unwrap_or_default(),
            "ExposedPorts": request.exposed_ports,
        },
        "NetworkSettings": {
            "Ports": published, "IPAddress": net.map(|n| n.address.to_string()).unwrap_or_default(),
            "IPPrefixLen": net.map_or(0, |n| n.prefix), "Gateway": net.map(|n| n.gateway.to_string()).unwrap_or_default(),
            "MacAddress": "", "Networks": networks(c),
        },
        "Glassbox": {
            "Box": c.name(), "Steps": c.record.steps.len(),
            "History": format!("glassbox history {}", c.name()), "Inspect": format!("glassbox inspect {}", c.name()),
        },
    })
}
