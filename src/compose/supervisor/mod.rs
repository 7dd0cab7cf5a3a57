//! The project's supervisor: what keeps watching after `compose up -d` returns.
//!
//! Healthchecks run on a schedule and a `restart: on-failure` service's main
//! process is started again when it fails; something must stay behind to do
//! both once `up` has returned. One place owns it: a **supervisor process per
//! project**, started by `compose up` and stopped by `compose down` and
//! `reset`, not the daemon (`glassbox daemon`), which a class may never
//! start and which serves Docker's API, not compose files. It is a copy of
//! glassbox started detached (its own session, no parent waiting, stdio on
//! /dev/null), named `glassbox-supervisor PROJECT FD ROOT` so `ps` shows
//! what it is and `down` and `reset` find it by its argv even if its record
//! was lost. It acts only through glassbox steps, as a learner would type
//! them: each check is `glassbox exec BOX -- TEST` (not recorded: it changes
//! nothing), each restart a `glassbox run BOX -- CMD` recorded in the box's
//! history with the supervisor as its cause. Every process it starts dies
//! with it (the parent-death signal), so none is left behind.
//!
//! `up` writes what to watch (`watch.json`) after each wave, and waits for
//! a `service_healthy` dependency by reading what the supervisor recorded,
//! so the healthcheck has one owner from the first check on.

mod serve;

pub use serve::main;

use super::ComposeError;
use super::plan::BoxPlan;
use super::project::Project;
use super::resolve::Health as Check;
use crate::state::Root;
use crate::state::health::{self, Health, Status};
use crate::sys::proc::ProcRef;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// What the supervisor watches in one box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Watched {
    pub health: Option<Check>,
    /// `restart: on-failure[:N]`: N, and the `run` step it starts and restarts.
    pub restart: Option<(u32, Vec<String>)>,
    /// Which box of that name: when its folder was made (ns) and its
    /// inode (`made`). A box removed and made again is another box: its supervisor
    /// thread and its health record start over.
    pub made: (u64, u64),
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Watch {
    pub boxes: BTreeMap<String, Watched>,
}

impl Watch {
    pub fn load(root: &Root, project: &str) -> Option<Watch> {
        serde_json::from_slice(&std::fs::read(health::watch_path(root, project)).ok()?).ok()
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> ComposeError {
    ComposeError::Failed(format!("the project's supervisor: {what}: {e}"))
}

/// A wave's boxes that need watching, added to the project's watch file;
/// then the supervisor is started if none runs.
pub fn watch(root: &Root, p: &Project, wave: &[BoxPlan]) -> Result<(), ComposeError> {
    let mut added = BTreeMap::new();
    for b in wave {
        let s = &p.services[&b.service];
        let restart = b.supervised.then(|| (s.restart.unwrap_or(0), b.steps[b.run_at()].clone()));
        if s.health.is_some() || restart.is_some() {
            added.insert(b.name.clone(), Watched { health: s.health.clone(), restart, made: made(root, &b.name) });
        }
    }
    if added.is_empty() {
        return Ok(());
    }
    // The boxes of a wave are made in parallel: one writer of the file at a time.
    static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = health::project_dir(root, &p.name);
    std::fs::create_dir_all(&dir).map_err(|e| failed(&format!("mkdir {}", dir.display()), e))?;
    let mut all = Watch::load(root, &p.name).unwrap_or_default();
    for (name, w) in &added {
        // What a removed box of this name recorded is not this box's health.
        if all.boxes.get(name).is_some_and(|old| old.made != w.made) {
            let _ = std::fs::remove_file(health::health_path(root, &p.name, name));
        }
    }
    // Boxes gone (a rolling update's old replicas) are watched no more.
    all.boxes.retain(|name, _| root.record_path(name).exists());
    all.boxes.extend(added);
    let bytes = serde_json::to_vec_pretty(&all).expect("a watch serialises");
    crate::state::record::write_atomic(&health::watch_path(root, &p.name), &bytes).map_err(|e| failed("watch", e))?;
    ensure(root, &p.name)
}

/// Which box of that name is there now (see `Watched::made`): when its
/// folder was made, in nanoseconds, and its inode; (0, 0) when there is
/// none. Not the record's `created_at`: in seconds, with the inode the
/// filesystem hands out again at once, a `scale` down and up within a
/// second made a new box look like the old one, whose thread then went on
/// watching (and restarting) it.
fn made(root: &Root, name: &str) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let Ok(record) = crate::state::BoxRecord::load(root, name) else { return (0, 0) };
    let Ok(meta) = std::fs::metadata(root.box_dir(name)) else { return (0, 0) };
    let born = meta.created().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    (born.map_or(record.created_at.saturating_mul(1_000_000_000), |d| d.as_nanos() as u64), meta.ino())
}

/// A project whose boxes are all there: its supervisor again, should it have
/// been killed (`up` with nothing to make).
pub fn resume(root: &Root, project: &str) -> Result<(), ComposeError> {
    match Watch::load(root, project) {
        Some(w) if w.boxes.keys().any(|b| root.record_path(b).exists()) => ensure(root, project),
        _ => Ok(()),
    }
}

/// The project's supervisor as recorded, if it still runs.
fn running(root: &Root, project: &str) -> Option<ProcRef> {
    let text = std::fs::read(health::supervisor_path(root, project)).ok()?;
    let p: ProcRef = serde_json::from_slice(&text).ok()?;
    let argv = crate::sys::proc::argv(p.pid);
    (p.alive() && argv.first().map(String::as_str) == Some(crate::teardown::SUPERVISOR.0)).then_some(p)
}

/// Starts the project's supervisor unless one runs.
fn ensure(root: &Root, project: &str) -> Result<(), ComposeError> {
    if running(root, project).is_some() {
        return Ok(());
    }
    let null = crate::sys::fd::open_null().map_err(|e| failed("open /dev/null", e))?;
    let argv = [crate::teardown::SUPERVISOR.0, project, "", &root.state.display().to_string()].map(String::from);
    let fd = std::os::fd::AsRawFd::as_raw_fd(&null);
    let pid = crate::sys::detached::start_self_detached(&argv, fd, 2, crate::sys::detached::Detached::on_disk())
        .and_then(crate::sys::detached::Starting::started)
        .map_err(|e| failed("start", e))?;
    let me = ProcRef::of(pid).ok_or_else(|| failed("start", "it ended at once"))?;
    let bytes = serde_json::to_vec(&me).expect("a process serialises");
    crate::state::record::write_atomic(&health::supervisor_path(root, project), &bytes)
        .map_err(|e| failed("record", e))?;
    crate::output::progress!("{}", crate::i18n::tr!("compose-supervisor-runs", project = project, pid = pid));
    Ok(())
}

/// Stops the project's supervisor (recorded or found by its argv) and
/// removes its folder: `compose down`, and a failed `up` that left no box.
pub fn stop(root: &Root, project: &str) {
    let mut procs = crate::teardown::find_supervisors(root, Some(project));
    procs.extend(running(root, project));
    crate::teardown::terminate(&procs, Duration::from_secs(2));
    let _ = std::fs::remove_dir_all(health::project_dir(root, project));
    // (The folder of all projects too, once the last one is gone.)
    let _ = std::fs::remove_dir(health::projects_dir(root));
}

/// `reset`: every supervisor of this root, and every project's folder.
pub fn stop_all(root: &Root) {
    crate::teardown::terminate(&crate::teardown::find_supervisors(root, None), Duration::from_secs(2));
    let _ = std::fs::remove_dir_all(health::projects_dir(root));
}

/// Waits until the supervisor has started a supervised box's main process.
pub fn wait_started(root: &Root, project: &str, name: &str) -> Result<(), ComposeError> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let h = Health::load(root, Some(project), name);
        if h.as_ref().is_some_and(|h| h.runs > 0) {
            return Ok(());
        }
        if running(root, project).is_none() || Instant::now() > deadline {
            let why = h.map(|h| h.last_output).filter(|o| !o.is_empty()).unwrap_or_else(|| "no answer".into());
            return Err(ComposeError::Failed(format!("{name}: its supervisor did not start it ({why})")));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until the supervisor records `name` healthy; an error once it records it unhealthy.
pub fn wait_healthy(root: &Root, project: &str, name: &str) -> Result<(), ComposeError> {
    crate::output::progress!("{}", crate::i18n::tr!("compose-waiting-healthy", name = name));
    loop {
        let h = Health::load(root, Some(project), name);
        match h.as_ref().and_then(|h| h.status) {
            Some(Status::Healthy) => {
                crate::output::progress!("{}", crate::i18n::tr!("compose-healthy", name = name));
                return Ok(());
            }
            Some(Status::Unhealthy) => {
                let h = h.expect("a status comes with its record");
                return Err(ComposeError::Failed(format!(
                    "{name} never became healthy: its healthcheck failed {} times (last: {})",
                    h.failing_streak, h.last_output
                )));
            }
            _ if running(root, project).is_none() => {
                return Err(ComposeError::Failed(format!("{name}: the project's supervisor is gone")));
            }
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// A service that others wait to complete runs to its end under `up`: no supervisor restarts it.
pub fn refuse_restart_of_completed(p: &Project) -> Result<(), ComposeError> {
    use super::spec::Condition;
    for s in p.services.values().filter(|s| s.restart.is_some()) {
        if let Some(o) = p
            .services
            .values()
            .find(|o| o.depends_on.iter().any(|(d, c)| *d == s.name && *c == Condition::CompletedSuccessfully))
        {
            return Err(ComposeError::Bad(format!(
                "services.{}.restart: {} waits for it to complete (service_completed_successfully), so nothing may restart it: use restart: no",
                s.name, o.name
            )));
        }
    }
    Ok(())
}
