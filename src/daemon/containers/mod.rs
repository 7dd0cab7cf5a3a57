//! Containers are boxes. Every box under the root is a container to the
//! API, whoever made it: `docker ps` lists the boxes made with the CLI
//! too, and `glassbox ls` the ones made through the API. What Docker knows
//! that a box record does not (the image as the client named it, the
//! create request, when the command started and how it ended) is kept
//! beside the record, in `meta`.
//!
//! A container's ID is derived from its box's name and creation time, so
//! it is stable across daemon restarts and differs for a new box of the
//! same name. Its state is Docker's: `created` until `start`, `running`
//! while the command runs, `exited` with its code after.

pub mod lifecycle;
pub mod meta;
pub mod monitor;
pub mod ops;
pub mod start;
pub mod view;

use super::App;
use super::api::{ApiError, ApiResult};
use super::steps::Held;
use crate::state::{BoxLock, BoxRecord, BoxState, Root, StateError, names};
use meta::Meta;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

/// What the daemon keeps in memory about containers (all of it can be
/// lost: a restarted daemon finds the rest in the records).
#[derive(Default)]
pub struct Live {
    /// Exit codes of containers removed after they ended, by ID, for
    /// `wait?condition=removed` (`docker run --rm`).
    pub removed: Mutex<HashMap<String, i32>>,
    /// The stdin of running containers made with -i, by box name.
    pub stdin: Mutex<HashMap<String, tokio::process::ChildStdin>>,
    /// The terminal (its master side) of running containers made with -t.
    pub ttys: Mutex<HashMap<String, std::sync::Arc<std::os::fd::OwnedFd>>>,
    /// Boxes whose `glassbox run` this daemon started and waits for.
    pub watched: Mutex<HashSet<String>>,
}

/// A box seen as a container.
pub struct Container {
    pub id: String,
    pub record: BoxRecord,
    pub meta: Option<Meta>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    Created,
    Running,
    Exited { code: i32, at: u64 },
}

impl Status {
    pub fn word(&self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Exited { .. } => "exited",
        }
    }
}

/// A box's container ID: 64 hex digits, from its name and creation time.
pub fn id_of(record: &BoxRecord) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(format!("glassbox box {} {}", record.name, record.created_at)))
}

impl Container {
    pub fn of(root: &Root, record: BoxRecord) -> Container {
        let meta = meta::load(root, &record.name);
        Container { id: id_of(&record), record, meta }
    }

    pub fn name(&self) -> &str {
        &self.record.name
    }

    pub fn status(&self) -> Status {
        let last_exit = self.record.last_exit;
        let Some(meta) = &self.meta else {
            return match (self.record.state(), last_exit) {
                (BoxState::Running, _) => Status::Running,
                (BoxState::Stopped, e) => Status::Exited { code: e.map_or(0, |e| e.code), at: e.map_or(0, |e| e.at) },
                (BoxState::Created, Some(e)) => Status::Exited { code: e.code, at: e.at },
                (BoxState::Created, None) => Status::Created,
            };
        };
        // A container's box has its init from `unshare pid` on; the
        // container runs once `start` ran its command.
        let Some(started) = meta.started else { return Status::Created };
        if started.client.alive() {
            return Status::Running;
        }
        // The daemon notes the end when it sees it; the run's own record of
        // it covers an end the daemon missed (it was stopped meanwhile).
        let finished = meta.finished;
        let recorded = last_exit.filter(|e| e.step > started.steps_before);
        match (finished, recorded) {
            (Some(f), _) => Status::Exited { code: f.code, at: f.at },
            (None, Some(e)) => Status::Exited { code: e.code, at: e.at },
            (None, None) => Status::Exited { code: UNKNOWN_EXIT, at: started.at },
        }
    }

    /// The host pids of the container's command(s): the box init's
    /// children, or the main process of a box without a PID namespace.
    pub fn main_pids(&self) -> Vec<i32> {
        match (self.record.init, self.record.main) {
            (Some(init), _) if init.alive() => crate::sys::proc::children(init.pid),
            (_, Some(main)) if main.alive() => vec![main.pid],
            _ => vec![],
        }
    }
}

/// The exit code of a command whose end nobody saw.
pub const UNKNOWN_EXIT: i32 = 255;

/// Every box as a container.
pub fn all(root: &Root) -> Vec<Container> {
    BoxRecord::load_all(root).into_iter().map(|r| Container::of(root, r)).collect()
}

/// A container by name, full ID or unique ID prefix, as Docker finds it.
pub fn find(root: &Root, key: &str) -> ApiResult<Container> {
    let key = key.trim_start_matches('/');
    if names::validate("box", key).is_ok() {
        match BoxRecord::load(root, key) {
            Ok(r) => return Ok(Container::of(root, r)),
            Err(StateError::NoSuchBox(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let matches: Vec<String> =
        ids(root).into_iter().filter(|(_, id)| !key.is_empty() && id.starts_with(key)).map(|(n, _)| n).collect();
    match matches.as_slice() {
        [] => Err(ApiError::not_found(format!("No such container: {key}"))),
        [name] => reload(root, name),
        _ => Err(ApiError::bad(format!("multiple containers found with provided prefix: {key}"))),
    }
}

/// Every box's name and container ID. An ID needs the box's record (its
/// creation time), so IDs are kept by name and by the inode of the box's
/// folder: a box made again under the same name has a new folder, and a
/// request by ID reads no record it read before.
fn ids(root: &Root) -> Vec<(String, String)> {
    use std::os::unix::fs::MetadataExt;
    static KNOWN: Mutex<Option<HashMap<String, (u64, String)>>> = Mutex::new(None);
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    let known = known.get_or_insert_with(HashMap::new);
    let mut out = vec![];
    for name in BoxRecord::list(root) {
        let Ok(inode) = std::fs::metadata(root.box_dir(&name)).map(|m| m.ino()) else { continue };
        let id = match known.get(&name) {
            Some((i, id)) if *i == inode => id.clone(),
            _ => match BoxRecord::load(root, &name) {
                Ok(r) => id_of(&r),
                Err(_) => continue,
            },
        };
        known.insert(name.clone(), (inode, id.clone()));
        out.push((name, id));
    }
    out
}

/// Takes the box's lock for the steps of one request, waiting as a typed
/// command would (without blocking the daemon's other requests).
pub async fn lock(app: &App, name: &str) -> ApiResult<Held> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match BoxLock::acquire(&app.root, name, Duration::ZERO) {
            Ok(lock) => return Ok(Held { name: name.to_string(), lock }),
            Err(StateError::Busy(_)) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => return Err(ApiError::conflict(e.to_string())),
        }
    }
}

/// The container again, as it is now (under its lock, say).
pub fn reload(root: &Root, name: &str) -> ApiResult<Container> {
    match BoxRecord::load(root, name) {
        Ok(r) => Ok(Container::of(root, r)),
        Err(StateError::NoSuchBox(_)) => Err(ApiError::not_found(format!("No such container: {name}"))),
        Err(e) => Err(e.into()),
    }
}
