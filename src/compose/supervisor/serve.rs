//! The supervisor process itself: one thread per watched box.
//!
//! The main thread rereads `watch.json` every 100 ms: a box added gets a
//! thread, a box whose entry changed (made again) gets a new one. The
//! supervisor ends when its folder is gone (`down`) or when no box it
//! watches exists for two seconds (they were removed by hand): it is never
//! left behind with nothing to watch.
//!
//! A box's thread runs the healthcheck at once and then every `interval`
//! (Docker waits one interval first; compose here wants an answer soon),
//! each check killed after `timeout`. A failure inside `start_period`, before
//! any check passed, is not counted; `retries` counted failures in a row
//! make the box unhealthy, one pass makes it healthy again. A supervised
//! service's main process is this thread's `glassbox run`: when it exits
//! non-zero, the thread runs it again (after 0.1 s, doubling to 10 s
//! between tries, as Docker does), at most `restart` times. A box in a pool
//! follows its health there: out while unhealthy, serving once healthy.

use super::{Watch, Watched};
use crate::compose::runner::Steps;
use crate::output::say_err;
use crate::state::health::{self, Health, Status};
use crate::state::{BoxRecord, Root};
use std::collections::BTreeMap;
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const TICK: Duration = Duration::from_millis(50);

pub fn main(args: &[String]) -> ! {
    let (Some(project), Some(state)) = (args.get(1), args.get(3)) else {
        say_err!("glassbox-supervisor is started by `glassbox compose up`, not by hand");
        crate::sys::process::exit_now(2)
    };
    crate::sys::detached::on_its_own();
    crate::sys::process::set_name("gb-supervisor");
    let state = std::path::Path::new(state);
    let root = if state == std::path::Path::new(crate::state::paths::DEFAULT_STATE) {
        Root::new(None)
    } else {
        Root::new(Some(state))
    };
    serve(&root, project);
    crate::sys::process::exit_now(0)
}

struct Worker {
    watched: Watched,
    stop: Arc<AtomicBool>,
    handle: JoinHandle<()>,
}

fn serve(root: &Root, project: &str) {
    let mut workers: BTreeMap<String, Worker> = BTreeMap::new();
    let mut idle = 0;
    while let Some(watch) = Watch::load(root, project) {
        let changed: Vec<String> = workers
            .iter()
            .filter(|(n, w)| watch.boxes.get(*n) != Some(&w.watched) || w.handle.is_finished())
            .map(|(n, _)| n.clone())
            .collect();
        for name in changed {
            let w = workers.remove(&name).expect("listed above");
            w.stop.store(true, Ordering::Relaxed);
            let _ = w.handle.join();
        }
        for (name, watched) in &watch.boxes {
            // Not a box of that name made since the entry was written
            // (its own entry comes once `up` has made it).
            if workers.contains_key(name) || !root.record_path(name).exists() || super::made(root, name) != watched.made
            {
                continue;
            }
            let stop = Arc::new(AtomicBool::new(false));
            let (r, p, n, w, s) = (root.clone(), project.to_string(), name.clone(), watched.clone(), stop.clone());
            let handle = std::thread::spawn(move || watch_box(&r, &p, &n, &w, &s));
            workers.insert(name.clone(), Worker { watched: watched.clone(), stop, handle });
        }
        let any = watch.boxes.keys().any(|n| root.record_path(n).exists());
        idle = if any { 0 } else { idle + 1 };
        if idle >= 20 {
            // Its own files; a rolling update's record beside them stays
            // (its new replicas may not be made yet).
            let _ = std::fs::remove_file(health::watch_path(root, project));
            let _ = std::fs::remove_file(health::supervisor_path(root, project));
            let _ = std::fs::remove_dir_all(health::project_dir(root, project).join("health"));
            let _ = std::fs::remove_dir(health::project_dir(root, project));
            let _ = std::fs::remove_dir(health::projects_dir(root));
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One box, until it is gone or its entry changes (made again).
fn watch_box(root: &Root, project: &str, name: &str, w: &Watched, stop: &AtomicBool) {
    let limit = w.restart.as_ref().map(|r| r.0);
    // A supervisor started again (`up` found the old one killed): the main
    // process the old one ran is no child of this one, whose exit it cannot
    // see; the record goes on (its checks counted on), and the main process
    // is not started twice. (A box made again has no record yet: `watch`
    // removed the one of the box before it.)
    let earlier = Health::load(root, Some(project), name);
    let fresh = earlier.as_ref().is_none_or(|h| h.runs == 0);
    let mut h =
        earlier.unwrap_or_else(|| Health::new(w.health.as_ref().map(|c| c.argv.clone()).unwrap_or_default(), limit));
    // Only this box's thread writes its record: a box of the same name
    // made again is another thread's (`Watched::made`).
    let mine = || super::made(root, name) == w.made;
    let save = |h: &Health| {
        if mine() {
            let _ = h.save(root, project, name);
        }
    };
    save(&h);
    let began = Instant::now();
    let mut ever_healthy = false;
    let mut next_check = began;
    let mut backoff = Duration::from_millis(100);
    let mut restart_at: Option<Instant> = None;
    let mut main = w
        .restart
        .as_ref()
        .filter(|_| fresh)
        .and_then(|(_, run)| start(root, project, name, run, "supervisor: start", &mut h));
    save(&h);
    // Until the box is gone or another of its name took its place (checked
    // by identity, not by name: a `scale` down and up again between two
    // ticks must not leave this thread restarting the new box's main process).
    while !stop.load(Ordering::Relaxed) && mine() {
        if let Some(code) = main.as_mut().and_then(ended) {
            main = None;
            h.last_exit = Some(code);
            if code != 0 && h.restarts < limit.unwrap_or(0) {
                restart_at = Some(Instant::now() + backoff);
                backoff = (backoff * 2).min(Duration::from_secs(10));
            }
            save(&h);
        }
        if restart_at.is_some_and(|t| Instant::now() >= t) && !running(root, name) {
            // `glassbox stop` ended it, not a failure of its own (as Docker's on-failure).
            restart_at = None;
            h.last_output = "not restarted: the box was stopped".into();
            save(&h);
        }
        if restart_at.is_some_and(|t| Instant::now() >= t)
            && let Some((max, run)) = &w.restart
            && !stop.load(Ordering::Relaxed)
            && mine()
        {
            restart_at = None;
            h.restarts += 1;
            let of = if *max == u32::MAX { String::new() } else { format!(" of {max}") };
            let why = format!(
                "supervisor: restart {}{of} (exit code {}, restart: on-failure)",
                h.restarts,
                h.last_exit.unwrap_or(-1)
            );
            main = start(root, project, name, run, &why, &mut h);
            save(&h);
        }
        if let Some(check) = w.health.as_ref().filter(|_| Instant::now() >= next_check)
            && let Ok(steps) = Steps::new(root, false, "supervisor: healthcheck", project)
        {
            let (passed, said) = crate::compose::health::check(&steps.tied(), name, check);
            h.checks += 1;
            h.last_check = crate::state::record::now();
            h.last_output = said;
            if passed {
                ever_healthy = true;
                h.failing_streak = 0;
                h.status = Some(Status::Healthy);
            } else if ever_healthy || began.elapsed() >= check.start_period {
                h.failing_streak += 1;
                if h.failing_streak >= check.retries.max(1) {
                    h.status = Some(Status::Unhealthy);
                }
            }
            save(&h);
            follow_in_pools(root, name, h.status);
            next_check = Instant::now() + check.interval.max(Duration::from_millis(100));
        }
        std::thread::sleep(TICK);
    }
    // Gone: this record was of the box that was. (Made again, the record
    // is the new box's: `watch` removed ours before the new thread began.
    // A supervisor killed leaves it, and the next one goes on with it.)
    if !root.record_path(name).exists() {
        let _ = std::fs::remove_file(health::health_path(root, project, name));
    }
}

/// A box serving in a pool follows its health there: out (no new
/// connection) once recorded unhealthy, serving again once healthy. A
/// draining one stays draining; one not in a pool yet (a rolling update
/// adds it once healthy) is left alone.
fn follow_in_pools(root: &Root, name: &str, status: Option<Status>) {
    use crate::pool::MemberState;
    let want = match status {
        Some(Status::Healthy) => MemberState::Serving,
        Some(Status::Unhealthy) => MemberState::Out,
        _ => return,
    };
    for p in crate::pool::of_member(root, name) {
        let now = p.members.iter().find(|m| m.name == name).map(|m| m.state);
        if now.is_some_and(|s| s != want && s != MemberState::Draining)
            && let Err(e) = crate::pool::mark(root, &p.name, name, want)
        {
            say_err!("{name}: not marked {want} in pool {}: {e}", p.name);
        }
    }
}

fn running(root: &Root, name: &str) -> bool {
    BoxRecord::load(root, name).is_ok_and(|r| r.state() == crate::state::BoxState::Running)
}

/// Its exit code once the run has ended (128 + signal when killed).
fn ended(child: &mut Child) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    let status = child.try_wait().ok()??;
    Some(status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0)))
}

/// Starts the box's main process as `glassbox run` (its output to the box's
/// log, as `run -d` writes it), recorded as a step with `why` as its cause;
/// returns once the step is recorded or the run has ended.
fn start(root: &Root, project: &str, name: &str, run: &[String], why: &str, h: &mut Health) -> Option<Child> {
    let steps_before = BoxRecord::load(root, name).map(|r| r.steps.len()).unwrap_or(0);
    let log = std::fs::OpenOptions::new().create(true).append(true).open(root.log_path(name));
    let spawned = Steps::new(root, false, why, project).map_err(|e| e.to_string()).and_then(|steps| {
        let log = log.map_err(|e| format!("open {}: {e}", root.log_path(name).display()))?;
        let mut cmd = steps.tied().command(run);
        cmd.stdin(std::process::Stdio::null());
        cmd.stdout(log.try_clone().map_err(|e| e.to_string())?).stderr(log);
        cmd.spawn().map_err(|e| format!("start glassbox run: {e}"))
    });
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            h.last_output = e;
            return None;
        }
    };
    h.runs += 1;
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
        if BoxRecord::load(root, name).is_ok_and(|r| r.steps.len() > steps_before) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Some(child)
}
