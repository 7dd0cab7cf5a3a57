//! create, start, stop, kill, rm: each the glassbox steps it is.

use super::super::api::{ApiError, ApiResult, Call, JSON_LIMIT, Key, json, no_content};
use super::super::translate::{self, Given, Refusal};
use super::super::types::CreateRequest;
use super::super::{App, images};
use super::meta::{self, Meta};
use super::{Container, Status, find, lock, reload};
use crate::output::say;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::time::Duration;

/// `POST /containers/create?name=NAME`: `glassbox create`, then the steps
/// the request asks for, all under the box's lock. A step that fails
/// takes the box away again (Docker makes a container whole or not at all).
pub async fn create(State(app): State<App>, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let request = joined_by_name(&app.root, call.json()?)?;
    let reference = request.image.clone().filter(|i| !i.is_empty()).ok_or_else(|| ApiError::bad("no image given"))?;
    let image = images::resolve(&app.root, &reference)?;
    let name = match call.query.get("name").map(|n| n.trim_start_matches('/')).filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        None => free_name(&app),
    };
    crate::state::names::validate("box", &name)
        .map_err(|e| ApiError::bad(format!("{e} (glassbox box names are lowercase)")))?;
    // Refused before anything is made; translated again below, with the ID.
    let mut no_port = || Some(1);
    let given = Given { name: &name, hostname: "x", image: &image, free_port: &mut no_port, profile_file: "-" };
    translate::translate(&request, given).map_err(refused)?;
    say!("{}", call.cause.line());
    let held = lock(&app, &name).await?;
    if let Ok(c) = reload(&app.root, &name) {
        return Err(ApiError::conflict(format!(
            "Conflict. The container name \"/{name}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
            c.id
        )));
    }
    let cause = Some(&call.cause);
    app.steps.run(&["create".into(), name.clone()], cause, Some(&held)).await?;
    let made = reload(&app.root, &name)?;
    let mut free = || std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok().map(|a| a.port());
    let profile = app.root.box_dir(&name).join("docker-seccomp.json").display().to_string();
    let given =
        Given { name: &name, hostname: &made.id[..12], image: &image, free_port: &mut free, profile_file: &profile };
    let plan = match translate::translate(&request, given) {
        Ok(p) => p,
        Err(refusal) => {
            undo(&app, &held).await;
            return Err(refused(refusal));
        }
    };
    let meta = Meta {
        image: reference,
        request,
        command: plan.command.clone(),
        run_flags: plan.run_flags.clone(),
        anonymous: plan.anonymous.clone(),
        ..Default::default()
    };
    meta::save(&app.root, &name, &meta)?;
    let (out, err) = meta::logs(&app.root, &name);
    for f in [out, err] {
        std::fs::File::create(&f).map_err(|e| ApiError::internal(format!("{}: {e}", f.display())))?;
    }
    // The profile the CLI read from its file, kept beside the box for its step.
    if let Some(text) = &plan.seccomp_profile {
        std::fs::write(&profile, text).map_err(|e| ApiError::internal(format!("{profile}: {e}")))?;
    }
    if let Err(e) = build(&app, &held, &call, &plan).await {
        undo(&app, &held).await;
        return Err(e);
    }
    drop(held);
    app.events.container("create", &made.id, &name, &meta.image);
    Ok(json(StatusCode::CREATED, &serde_json::json!({ "Id": made.id, "Warnings": plan.warnings })))
}

/// `--network container:KEY` names a container by name or ID; its step
/// (`unshare NAME net --join BOX`) names the box.
fn joined_by_name(root: &crate::state::Root, mut request: CreateRequest) -> ApiResult<CreateRequest> {
    let host = request.host_config.as_mut();
    let Some(host) = host.filter(|h| h.network_mode.as_deref().is_some_and(|m| m.starts_with("container:"))) else {
        return Ok(request);
    };
    let key = host.network_mode.as_deref().unwrap_or_default().trim_start_matches("container:");
    if !key.is_empty() {
        // 400, not 404: the docker CLI takes a 404 from create for a missing image and pulls.
        let other = find(root, key)
            .map_err(|_| ApiError::bad(format!("No such container: {key} (--network container:{key})")))?;
        host.network_mode = Some(format!("container:{}", other.name()));
    }
    Ok(request)
}

fn refused(r: Refusal) -> ApiError {
    match r {
        Refusal::Bad(m) => ApiError::bad(m),
        Refusal::NotFound(m) => ApiError::not_found(m),
    }
}

/// The volumes the steps need that are not there yet, then the steps.
async fn build(app: &App, held: &super::super::steps::Held, call: &Call, plan: &translate::Steps) -> ApiResult<()> {
    let cause = Some(&call.cause);
    for v in plan.volumes.iter().chain(&plan.anonymous) {
        if !crate::volume::exists(&app.root, v) {
            app.steps.run(&["volume".into(), "create".into(), v.clone()], cause, None).await?;
        }
    }
    for step in &plan.steps {
        app.steps.run(step, cause, Some(held)).await?;
    }
    Ok(())
}

/// A half-made container goes again, as `glassbox rm --force` takes it.
async fn undo(app: &App, held: &super::super::steps::Held) {
    let _ = app.steps.run(&["rm".into(), "--force".into(), held.name.clone()], None, Some(held)).await;
}

/// A name as Docker makes one when none is given: adjective_scientist.
fn free_name(app: &App) -> String {
    const ADJECTIVES: [&str; 12] =
        ["brave", "calm", "eager", "fond", "keen", "lucid", "merry", "nifty", "quiet", "sharp", "tender", "witty"];
    const NAMES: [&str; 12] = [
        "hopper",
        "turing",
        "lovelace",
        "ritchie",
        "thompson",
        "torvalds",
        "kernighan",
        "liskov",
        "knuth",
        "hamilton",
        "curie",
        "noether",
    ];
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
        as usize;
    (0..1000)
        .map(|i| {
            let n = seed.wrapping_add(i * 7919);
            let base = format!("{}_{}", ADJECTIVES[n % 12], NAMES[(n / 12) % 12]);
            if i < 144 { base } else { format!("{base}{i}") }
        })
        .find(|n| !app.root.box_dir(n).exists())
        .unwrap_or_else(|| format!("box{seed}"))
}

/// `POST /containers/ID/stop?t=SECONDS`: `glassbox stop`, SIGTERM then SIGKILL.
pub async fn stop(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let c = find(&app.root, &key)?;
    if c.status() != Status::Running {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let t: u64 = call.query.get("t").and_then(|t| t.parse().ok()).unwrap_or(10);
    say!("{}", call.cause.line());
    let held = lock(&app, c.name()).await?;
    app.steps
        .run(&["stop".into(), c.name().into(), "--timeout".into(), t.to_string()], Some(&call.cause), Some(&held))
        .await?;
    drop(held);
    until_not_running(&app, c.name(), Duration::from_secs(t + 5)).await;
    Ok(no_content())
}

/// `POST /containers/ID/restart`: a stopped box cannot run again (its
/// PID namespace ended with its init), so only a created one starts.
pub async fn restart(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let c = find(&app.root, &key)?;
    if c.status() == Status::Created {
        return super::start::start(State(app), Key(key), req).await;
    }
    Err(ApiError::bad(format!(
        "glassbox cannot restart container {}: its init ends with its command, and the PID namespace with it; docker rm it and run a new one",
        c.name()
    )))
}

/// `POST /containers/ID/kill?signal=SIG`: the signal to the container's
/// command (the box init's children); the monitor sees it end.
pub async fn kill(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let c = find(&app.root, &key)?;
    if c.status() != Status::Running {
        return Err(ApiError::conflict(format!("Container {} is not running", c.id)));
    }
    let signal = signal_number(call.query.get("signal").map(String::as_str).unwrap_or("KILL"))?;
    say!("{}", call.cause.line());
    say!("  {}", crate::i18n::tr!("daemon-kill", name = c.name(), signal = signal));
    for pid in c.main_pids() {
        let _ = crate::sys::process::kill(pid, signal);
    }
    if signal == libc::SIGKILL {
        until_not_running(&app, c.name(), Duration::from_secs(5)).await;
    }
    Ok(no_content())
}

/// `KILL`, `SIGKILL` or `9`.
fn signal_number(text: &str) -> ApiResult<i32> {
    const NAMES: [(&str, i32); 10] = [
        ("KILL", libc::SIGKILL),
        ("TERM", libc::SIGTERM),
        ("INT", libc::SIGINT),
        ("HUP", libc::SIGHUP),
        ("QUIT", libc::SIGQUIT),
        ("USR1", libc::SIGUSR1),
        ("USR2", libc::SIGUSR2),
        ("STOP", libc::SIGSTOP),
        ("CONT", libc::SIGCONT),
        ("WINCH", libc::SIGWINCH),
    ];
    let upper = text.to_ascii_uppercase();
    let bare = upper.trim_start_matches("SIG");
    NAMES
        .iter()
        .find(|(n, _)| *n == bare)
        .map(|(_, s)| *s)
        .or_else(|| text.parse().ok().filter(|n| (1..=64).contains(n)))
        .ok_or_else(|| ApiError::bad(format!("invalid signal: {text}")))
}

/// Waits until the container is no longer running (the monitor noted its end).
pub async fn until_not_running(app: &App, name: &str, patience: Duration) {
    let deadline = tokio::time::Instant::now() + patience;
    while tokio::time::Instant::now() < deadline {
        match reload(&app.root, name) {
            Ok(c)
                if c.status() == Status::Running
                    || c.meta.as_ref().is_some_and(|m| m.started.is_some() && m.finished.is_none()) => {}
            _ => return,
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `DELETE /containers/ID?force=1&v=1`: `glassbox rm [--force]`, and with
/// -v the container's anonymous volumes.
pub async fn remove(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let c = find(&app.root, &key)?;
    let force = call.flag("force");
    if c.status() == Status::Running && !force {
        return Err(ApiError::conflict(format!(
            "You cannot remove a running container {}. Stop the container before attempting removal or force remove",
            c.id
        )));
    }
    say!("{}", call.cause.line());
    let held = lock(&app, c.name()).await?;
    let mut args = vec!["rm".to_string(), c.name().to_string()];
    // A created container's box already has its init (the PID namespace's
    // first process), which plain `glassbox rm` would call running.
    if force || c.record.unfinished.is_some() || c.status() == Status::Created {
        args.insert(1, "--force".into());
    }
    app.steps.run(&args, Some(&call.cause), Some(&held)).await?;
    drop(held);
    if let Status::Exited { code, .. } = c.status() {
        app.live.removed.lock().expect("not poisoned").insert(c.id.clone(), code);
    }
    if call.flag("v") {
        remove_anonymous(&app, &c, Some(&call.cause)).await;
    }
    let image = c.meta.as_ref().map(|m| m.image.clone()).unwrap_or_default();
    app.events.container("destroy", &c.id, c.name(), &image);
    Ok(no_content())
}

/// The volumes made for this container alone.
pub async fn remove_anonymous(app: &App, c: &Container, cause: Option<&crate::state::cause::Cause>) {
    for v in c.meta.iter().flat_map(|m| m.anonymous.iter()) {
        let _ = app.steps.run(&["volume".into(), "rm".into(), v.clone()], cause, None).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_are_named_as_docker_kill_names_them() {
        assert_eq!(signal_number("KILL").unwrap(), libc::SIGKILL);
        assert_eq!(signal_number("SIGTERM").unwrap(), libc::SIGTERM);
        assert_eq!(signal_number("sigusr1").unwrap(), libc::SIGUSR1);
        assert_eq!(signal_number("9").unwrap(), 9);
        assert!(signal_number("NOPE").is_err() && signal_number("0").is_err());
    }
}
