//! When a container's command ends: note the exit code, stop the box (its
//! init and whatever the command left running: a Docker container ends
//! with its command), remove it if it was made with `--rm`, and tell the
//! waiters. The daemon watches the `glassbox run` it started; a run that
//! ended while no daemon watched (it was stopped, or killed) is found by
//! `watch_orphans`, and its exit code is in the box record, where the run
//! wrote it.

use super::super::App;
use super::super::api::{ApiResult, Call, JSON_LIMIT, Key};
use super::meta::{self, Finished};
use super::{Status, UNKNOWN_EXIT, find, lock, reload};
use axum::body::Bytes;
use axum::extract::{Request, State};
use std::time::{Duration, Instant};

/// Waits for the `glassbox run` this daemon started, then ends the container.
pub async fn watch(app: App, name: String, mut child: tokio::process::Child) {
    let code = child.wait().await.ok().and_then(|s| {
        use std::os::unix::process::ExitStatusExt;
        s.code().or_else(|| s.signal().map(|sig| 128 + sig))
    });
    app.live.watched.lock().expect("not poisoned").remove(&name);
    ended(&app, &name, code).await;
}

/// Every second: runs whose daemon was not there to see them end.
pub async fn watch_orphans(app: App) {
    loop {
        for c in super::all(&app.root) {
            let Some(m) = &c.meta else { continue };
            let unnoted = m.started.is_some_and(|s| !s.client.alive()) && m.finished.is_none();
            let watched = app.live.watched.lock().expect("not poisoned").contains(c.name());
            if unnoted && !watched {
                ended(&app, c.name(), None).await;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = super::super::stopping(&app) => return,
        }
    }
}

/// The container's command ended with `client_code` (the exit code of its
/// `glassbox run`, when this daemon saw it).
async fn ended(app: &App, name: &str, client_code: Option<i32>) {
    app.live.stdin.lock().expect("not poisoned").remove(name);
    app.live.ttys.lock().expect("not poisoned").remove(name);
    let Ok(held) = lock(app, name).await else { return };
    let Ok(c) = reload(&app.root, name) else { return };
    let Some(mut m) = c.meta.clone() else { return };
    let Some(started) = m.started else { return };
    if m.finished.is_some() {
        return;
    }
    // The run's own record is exact; its process's exit code is the same
    // number unless glassbox itself failed.
    let recorded = c.record.last_exit.filter(|e| e.step > started.steps_before).map(|e| e.code);
    let code = recorded.or(client_code).unwrap_or(UNKNOWN_EXIT);
    m.finished = Some(Finished { at: super::super::clock::now(), code });
    let _ = meta::save(&app.root, name, &m);
    // A box made with --rm goes whole (rm --force ends what runs in it).
    if c.record.state() == crate::state::BoxState::Running && !m.auto_remove() {
        let stop = ["stop".to_string(), name.to_string(), "--timeout".into(), "1".into()];
        let _ = app.steps.run(&stop, None, Some(&held)).await;
    }
    app.events.container_exit(&c.id, name, &m.image, code);
    if m.auto_remove() {
        app.live.removed.lock().expect("not poisoned").insert(c.id.clone(), code);
        let _ = app.steps.run(&["rm".into(), "--force".into(), name.to_string()], None, Some(&held)).await;
        drop(held);
        super::lifecycle::remove_anonymous(app, &c, None).await;
        app.events.container("destroy", &c.id, name, &m.image);
    }
}

/// `POST /containers/ID/wait?condition=not-running|next-exit|removed`.
/// The status line and headers go at once (the docker CLI starts the
/// container only after it has them), the exit code when it comes.
pub async fn wait(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let c = find(&app.root, &key)?;
    let condition = call.query.get("condition").cloned().unwrap_or_else(|| "not-running".into());
    if !matches!(condition.as_str(), "not-running" | "next-exit" | "removed") {
        return Err(super::super::api::ApiError::bad(format!("invalid condition: {condition}")));
    }
    let (tx, body) = super::super::streams::channel_body();
    let (id, name) = (c.id.clone(), c.name().to_string());
    let before = Run::of(&c);
    tokio::spawn(async move {
        let code = wait_for(&app, &id, &name, &condition, before).await;
        let reply = serde_json::json!({ "StatusCode": code, "Error": null });
        let _ = tx.send(Bytes::from(format!("{reply}\n"))).await;
    });
    Ok(super::super::api::bytes("application/json", body))
}

/// Its command ended, and neither the daemon nor the run has noted how.
fn unnoted(c: &super::Container) -> bool {
    let noted = c.meta.as_ref().is_some_and(|m| m.finished.is_some());
    matches!(c.status(), Status::Exited { code: UNKNOWN_EXIT, .. }) && !noted
}

/// Which run of the container a waiter saw first: a later one that has
/// ended is the "next exit" (however quickly it went by).
#[derive(PartialEq)]
struct Run(Option<crate::sys::proc::ProcRef>, bool);

impl Run {
    fn of(c: &super::Container) -> Run {
        Run(c.meta.as_ref().and_then(|m| m.started).map(|s| s.client), c.status() == Status::Running)
    }
}

async fn wait_for(app: &App, id: &str, name: &str, condition: &str, before: Run) -> i32 {
    let mut events = app.events.subscribe();
    // The command's client can be gone a moment before the daemon has
    // noted how it ended (`ended`): an exit nobody noted yet is not
    // answered as unknown until that moment has surely passed.
    let noting = Instant::now() + Duration::from_secs(3);
    loop {
        match reload(&app.root, name).ok().filter(|c| c.id == id) {
            None => return app.live.removed.lock().expect("not poisoned").get(id).copied().unwrap_or(0),
            Some(c) if unnoted(&c) && Instant::now() < noting => {}
            Some(c) => match (c.status(), condition) {
                (Status::Exited { code, .. }, "not-running") => return code,
                (Status::Created, "not-running") => return 0,
                (Status::Exited { code, .. }, "next-exit") if before.1 || Run::of(&c).0 != before.0 => return code,
                _ => {}
            },
        }
        // An event says when something changed; the look every 250 ms
        // covers what changed without one (a box removed with the CLI).
        tokio::select! {
            _ = events.recv() => {}
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = super::super::stopping(app) => return UNKNOWN_EXIT,
        }
    }
}
