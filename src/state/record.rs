//! The box record: what a box is made of, written atomically.
//!
//! A record is replaced, never edited in place: write a temp file, fsync it,
//! rename it over the old one. A glassbox killed half way, or a machine that
//! loses power, leaves either the old record or the new one, never a torn one.
//!
//! A box record's folder is not fsync'd after the rename (a second journal
//! commit on every step; see docs/performance.md): a power cut may then lose the last
//! rename, and the box is as it was one step before. What that step made in
//! the kernel — holds, an init, a cgroup — is gone with the power cut anyway.
//! Other files written with [`write_atomic`] (an image's record, lesson
//! progress) describe nothing the kernel holds, and their folder is fsync'd.

use super::{Root, StateError};
use crate::domain::NamespaceKind;
use crate::plan::Plan;
use crate::sys::proc::ProcRef;
// The parts are domain vocabulary; kept here under their old paths.
pub use crate::domain::record::{
    BoxState, CgroupRecord, Exit, HeldNamespace, Holder, IdMap, LayerRole, StackLayer, Unfinished,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One applied step: the command a user typed and the plan it applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub n: usize,
    pub at: u64,
    pub command: Vec<String>,
    pub plan: Plan,
    /// The request that made the step, when a front door ran it (see `cause`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<super::cause::Cause>,
}

impl Step {
    /// The command as a shell would need it typed again (quoted).
    pub fn command_line(&self) -> String {
        self.command.iter().map(|a| crate::output::escape::shell_word(a)).collect::<Vec<_>>().join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoxRecord {
    pub name: String,
    pub created_at: u64,
    pub namespaces: BTreeMap<NamespaceKind, HeldNamespace>,
    pub init: Option<ProcRef>,
    /// The detached main process of a box without a PID namespace.
    pub main: Option<ProcRef>,
    pub hostname: Option<String>,
    pub id_map: Option<IdMap>,
    pub time_offsets: Option<(i64, i64)>,
    /// The image `rootfs` used, if any.
    #[serde(default)]
    pub image: Option<String>,
    /// The read-only layers of the root filesystem, bottom first.
    #[serde(default)]
    pub layers: Vec<StackLayer>,
    /// How the image says to run it (Cmd, Entrypoint, Env, WorkingDir,
    /// User…), copied at `rootfs`: `run BOX` with no command runs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_config: Option<oci_spec::image::Config>,
    /// The overlay is mounted and is the root of the box's mount namespace.
    #[serde(default)]
    pub rootfs_mounted: bool,
    /// The box's cgroup, once `limit` made it.
    #[serde(default)]
    pub cgroup: Option<CgroupRecord>,
    /// Volumes mounted (or to be mounted at `rootfs`) into the box.
    #[serde(default)]
    pub volumes: Vec<crate::domain::volume::VolumeMount>,
    /// The box's connection to the bridge, noted before it is made.
    #[serde(default)]
    pub net: Option<crate::domain::network::NetRecord>,
    /// A step that began changing the box and did not get to its end (see
    /// [`Unfinished`]): while noted, the box is broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<Unfinished>,
    /// Capabilities, no_new_privs, seccomp, devices and masks (`stage::hardening`).
    #[serde(default)]
    pub hardening: crate::domain::hardening::Hardening,
    /// How the last command a foreground `run` waited for ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_exit: Option<Exit>,
    /// The compose project that made the box (`create --project`), so
    /// `compose ps/down` and the web page find a project's boxes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub steps: Vec<Step>,
}

pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl BoxRecord {
    pub fn new(name: &str) -> BoxRecord {
        BoxRecord {
            name: name.into(),
            created_at: now(),
            namespaces: BTreeMap::new(),
            init: None,
            main: None,
            hostname: None,
            id_map: None,
            time_offsets: None,
            image: None,
            layers: vec![],
            image_config: None,
            rootfs_mounted: false,
            cgroup: None,
            volumes: vec![],
            net: None,
            unfinished: None,
            hardening: Default::default(),
            last_exit: None,
            project: None,
            steps: vec![],
        }
    }

    pub fn has(&self, kind: NamespaceKind) -> bool {
        self.namespaces.contains_key(&kind)
    }

    /// Whether a step ran a command (`run`, not through the init) before the
    /// step that started the box's init, or with no init at all.
    pub fn ran_a_command_before_its_init(&self) -> bool {
        use crate::plan::Op;
        let has = |s: &Step, want: fn(&Op) -> bool| s.plan.ops.iter().any(want);
        self.steps.iter().take_while(|s| !has(s, Op::is_start_init)).any(|s| has(s, Op::is_exec))
    }

    pub fn state(&self) -> BoxState {
        self.state_in(Path::new(crate::sys::proc::PROC_ROOT))
    }

    /// As [`BoxRecord::state`], with the processes looked up under a /proc root.
    pub fn state_in(&self, proc_root: &Path) -> BoxState {
        match (self.init, self.main) {
            _ if self.shared_pid_ended_in(proc_root) => BoxState::Stopped,
            (Some(init), _) if init.alive_in(proc_root) => BoxState::Running,
            (Some(_), _) => BoxState::Stopped,
            (None, Some(main)) if main.alive_in(proc_root) => BoxState::Running,
            _ => BoxState::Created,
        }
    }

    /// The file a process opens to enter the box's namespace of this kind.
    pub fn handle(&self, kind: NamespaceKind) -> Option<PathBuf> {
        match &self.namespaces.get(&kind)?.holder {
            Holder::BindMount { path } => Some(path.clone()),
            Holder::Process { pid, .. } => Some(PathBuf::from(format!("/proc/{pid}/ns/{}", kind.proc_file()))),
        }
    }

    /// Notes (and saves) that the step `command` begins changing the box.
    pub fn begin(&mut self, root: &Root, command: &[String]) -> Result<(), StateError> {
        let command = command.iter().map(|a| crate::output::escape::shell_word(a)).collect::<Vec<_>>().join(" ");
        self.unfinished = Some(Unfinished { command, since: now() });
        self.save(root)
    }

    /// Refuses a box that a step left half made.
    pub fn require_intact(&self) -> Result<(), StateError> {
        match &self.unfinished {
            Some(u) => Err(StateError::Broken { name: self.name.clone(), step: u.command.clone() }),
            None => Ok(()),
        }
    }

    pub fn record_step(&mut self, command: Vec<String>, plan: Plan) {
        let n = self.steps.len() + 1;
        self.steps.push(Step { n, at: now(), command, plan, cause: super::cause::current() });
    }

    pub fn load(root: &Root, name: &str) -> Result<BoxRecord, StateError> {
        let path = root.record_path(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            // A folder without its record is what a command killed part way left.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && root.box_dir(name).is_dir() => {
                return Err(StateError::NoRecord(name.into()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StateError::NoSuchBox(name.into()));
            }
            Err(e) => return Err(StateError::io(path, e)),
        };
        serde_json::from_str(&text).map_err(|source| StateError::Corrupt { path, source })
    }

    pub fn save(&self, root: &Root) -> Result<(), StateError> {
        self.draft(root)?.publish()
    }

    /// The record written and fsync'd beside the current one, to be put in
    /// its place once the step is known to have happened.
    pub fn draft(&self, root: &Root) -> Result<Draft, StateError> {
        let text = serde_json::to_vec_pretty(self).expect("a box record always serialises");
        Draft::write(root.record_path(&self.name), &text)
    }

    /// Every layer some box's stack uses (so the store keeps it).
    pub fn layer_digests(root: &Root) -> Vec<String> {
        Self::list(root)
            .iter()
            .filter_map(|n| Self::load(root, n).ok())
            .flat_map(|r| r.layers)
            .map(|l| l.digest)
            .collect()
    }

    /// Names of all boxes under the root, sorted.
    pub fn list(root: &Root) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(root.boxes_dir()) else {
            return vec![];
        };
        let mut v: Vec<String> = dir
            .flatten()
            .filter(|e| e.path().join("box.json").exists())
            .filter_map(|e| e.file_name().to_str().map(String::from))
            .collect();
        v.sort();
        v
    }

    /// Every box folder under the root, sorted, whether its record was
    /// written or not: `create` makes the folder before it renames the
    /// record into it, and `rm` deletes the record with the folder.
    pub fn folders(root: &Root) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(root.boxes_dir()) else {
            return vec![];
        };
        let mut v: Vec<String> = dir
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().to_str().map(String::from))
            .collect();
        v.sort();
        v
    }

    /// Box folders with no readable record: a command killed part way left
    /// them, and only `rm --force` (or `reset`) takes them apart.
    pub fn broken(root: &Root) -> Vec<String> {
        let is_box = |n: &String| super::names::validate("box", n).is_ok();
        Self::folders(root).into_iter().filter(is_box).filter(|n| Self::load(root, n).is_err()).collect()
    }

    /// Every box's record under the root that can be read, by name.
    pub fn load_all(root: &Root) -> Vec<BoxRecord> {
        BoxRecord::list(root).iter().filter_map(|n| BoxRecord::load(root, n).ok()).collect()
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let folder = path.parent().expect("a record lives in a folder").to_path_buf();
    Draft::write(path.to_path_buf(), bytes)?.publish()?;
    // The rename itself made durable (see the module's comment).
    if let Ok(d) = std::fs::File::open(&folder) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A record's new text, durable under a temporary name: `publish` renames it
/// over the record (atomic: a reader sees the old text or the new, never a
/// mix), dropping it deletes it.
pub struct Draft {
    /// None once published.
    tmp: Option<std::path::PathBuf>,
    path: std::path::PathBuf,
}

impl Draft {
    fn write(path: std::path::PathBuf, bytes: &[u8]) -> Result<Draft, StateError> {
        // A name of this process's own: writers that hold no common lock (two
        // imports of one image name) must not write into the same temp file.
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(format!(".{}.tmp", std::process::id()));
        let tmp = std::path::PathBuf::from(tmp);
        let io = |e| StateError::io(&tmp, e);
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        let draft = Draft { tmp: Some(tmp.clone()), path };
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
        Ok(draft)
    }

    pub fn publish(mut self) -> Result<(), StateError> {
        let tmp = self.tmp.take().expect("a draft is published once");
        if let Err(e) = std::fs::rename(&tmp, &self.path) {
            self.tmp = Some(tmp);
            return Err(StateError::io(&self.path, e));
        }
        Ok(())
    }
}

impl Drop for Draft {
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
        }
    }
}
