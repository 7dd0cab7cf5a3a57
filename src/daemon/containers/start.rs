//! `docker start`: the `run` step. Its `glassbox run` waits for the
//! container's command in a session of its own: the container's monitor
//! (containerd's shim, for dockerd), which outlives the daemon. The
//! command's output goes to the container's log files, or through a
//! terminal the daemon holds (`-t`, see `tty`).

use super::super::App;
use super::super::api::{ApiError, ApiResult, Call, JSON_LIMIT, Key, no_content};
use super::super::tty;
use super::meta::{self, Meta, Started};
use super::{Container, Status, find, lock, reload};
use crate::output::say;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::process::Stdio;
use std::time::Duration;

/// `POST /containers/ID/start`.
pub async fn start(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let c = find(&app.root, &key)?;
    let name = c.name().to_string();
    say!("{}", call.cause.line());
    let held = lock(&app, &name).await?;
    let c = reload(&app.root, &name)?;
    let Some(mut meta) = c.meta.clone() else {
        return Err(ApiError::bad(format!(
            "box {name} was made with the glassbox CLI: start its command with glassbox run {name} -- COMMAND"
        )));
    };
    match c.status() {
        Status::Running => return Ok(StatusCode::NOT_MODIFIED.into_response()),
        Status::Exited { .. } => {
            return Err(ApiError::bad(format!(
                "glassbox cannot start container {name} again: its init ended with its command, and the PID namespace with it; docker rm it and run a new one"
            )));
        }
        Status::Created => {}
    }
    let mut args = vec!["run".to_string(), name.clone()];
    if meta.tty() {
        args.insert(1, "-t".into());
    }
    args.extend(meta.run_flags.iter().cloned());
    // With no command of its own, `run` runs the image's Entrypoint and Cmd.
    if !meta.command.is_empty() {
        args.push("--".into());
        args.extend(meta.command.iter().cloned());
    }
    say!("  {} glassbox {}", crate::i18n::tr!("daemon-step"), super::super::steps::shown(&args));
    let mut cmd = app.steps.command(&args, Some(&call.cause), Some(&held));
    crate::sys::child::new_session(&mut cmd);
    let terminal = connect(&app, &name, &meta, &mut cmd)?;
    let mut child = tokio::process::Command::from(cmd)
        .spawn()
        .map_err(|e| ApiError::internal(format!("cannot start glassbox run: {e}")))?;
    if let Some(p) = terminal {
        // Our copy of the slave side goes: the terminal then ends with the
        // command, and so does the thread recording it.
        let master = std::sync::Arc::new(p.master);
        tty::record(master.clone(), meta::logs(&app.root, &name).0);
        app.live.ttys.lock().expect("not poisoned").insert(name.clone(), master);
    }
    let client = child
        .id()
        .and_then(|pid| crate::sys::proc::ProcRef::of(pid as i32))
        .ok_or_else(|| ApiError::internal("glassbox run ended at once"))?;
    meta.started = Some(Started { at: super::super::clock::now(), client, steps_before: c.record.steps.len() });
    meta.finished = None;
    meta::save(&app.root, &name, &meta)?;
    if let Some(stdin) = child.stdin.take() {
        app.live.stdin.lock().expect("not poisoned").insert(name.clone(), stdin);
    }
    app.live.watched.lock().expect("not poisoned").insert(name.clone());
    started(&app, &name, &c, &mut child).await;
    drop(held);
    tokio::spawn(super::monitor::watch(app.clone(), name.clone(), child));
    app.events.container("start", &c.id, &name, &meta.image);
    Ok(no_content())
}

/// The command's stdin, stdout and stderr: a terminal the daemon holds
/// (-t), or the log files and a pipe for stdin (-i) or nothing.
fn connect(
    app: &App,
    name: &str,
    meta: &Meta,
    cmd: &mut std::process::Command,
) -> ApiResult<Option<crate::sys::pty::Pty>> {
    if meta.tty() {
        let size = tty::console_size(meta.request.host_config.as_ref().and_then(|h| h.console_size.as_ref()));
        let p = tty::open(size)?;
        let [i, o, e] = tty::stdio(&p)?;
        cmd.stdin(i).stdout(o).stderr(e);
        return Ok(Some(p));
    }
    let (out, err) = meta::logs(&app.root, name);
    let file = |p: &std::path::Path| {
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(p)
            .map_err(|e| ApiError::internal(format!("{}: {e}", p.display())))
    };
    cmd.stdin(if meta.open_stdin() { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(file(&out)?).stderr(file(&err)?);
    Ok(None)
}

/// Waits (a few seconds at most) until the run has recorded its step or
/// the command is running or over, so the lock is not let go while the
/// `run` step still needs it.
async fn started(app: &App, name: &str, c: &Container, child: &mut tokio::process::Child) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while tokio::time::Instant::now() < deadline {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        let now = reload(&app.root, name).ok();
        let recorded = now.as_ref().is_some_and(|n| n.record.steps.len() > c.record.steps.len());
        let running = c.record.init.is_some_and(|i| !crate::sys::proc::children(i.pid).is_empty());
        if recorded || running {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
