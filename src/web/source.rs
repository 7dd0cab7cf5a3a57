//! Where the web server's models come from. The server reads the same model
//! as `inspect --json` (never a second description of a box); tests put
//! fixture models behind the same trait to test routes without a kernel.

use crate::model::files::{self, LayerFiles, Lower};
use crate::model::host::{self, HostModel};
use crate::model::rollout::RolloutModel;
use crate::model::summary::{self, BoxSummary};
use crate::model::{self, BoxModel, ProcScan};
use crate::stage::NamespaceKind;
use crate::stage::cgroup::usage::Usage;
use crate::state::health::Health;
use crate::state::{BoxRecord, Root, names};
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub trait Source: Send + Sync + 'static {
    fn box_names(&self) -> Vec<String>;
    /// None: no such box (never made, or removed).
    fn one(&self, name: &str) -> Option<BoxModel>;
    fn host_summary(&self) -> HostModel;
    fn host(&self, boxes: &[BoxModel]) -> HostModel;

    fn boxes(&self) -> Vec<BoxModel> {
        self.box_names().iter().filter_map(|n| self.one(n)).collect()
    }
    /// One line per box, for the overview.
    fn summaries(&self) -> Vec<BoxSummary> {
        self.boxes().iter().map(BoxSummary::from).collect()
    }
    /// The compose services' rolling updates, with their replicas now.
    fn rollouts(&self) -> Vec<RolloutModel> {
        vec![]
    }
    /// The files of each layer of the box, top first.
    fn files(&self, _name: &str) -> Vec<LayerFiles> {
        vec![]
    }
    /// The end of the box's output log.
    fn log_tail(&self, _name: &str) -> Option<String> {
        None
    }
    /// What changes without a step, per box: its state and which processes
    /// run in it. Equal numbers: nothing of that changed.
    fn fingerprints(&self) -> BTreeMap<String, u64> {
        self.boxes().iter().map(|m| (m.name.clone(), hash(&(m.state, m.processes.len())))).collect()
    }
    /// The box's cgroup counters now (none without a cgroup).
    fn usage(&self, name: &str) -> Option<Usage> {
        self.one(name)?.cgroup.map(|c| c.usage)
    }
    /// Every namespace on the machine, the boxes' marked.
    fn host_page(&self) -> HostModel {
        self.host(&self.boxes())
    }
    /// The lesson the learner started last, from the root's lesson progress.
    fn lesson(&self) -> Option<super::lesson::LessonView> {
        None
    }
    /// The folder whose changes mean a box changed (inotify watches it).
    fn state_folder(&self) -> Option<PathBuf> {
        None
    }
}

fn hash(v: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

impl From<&BoxModel> for BoxSummary {
    fn from(m: &BoxModel) -> BoxSummary {
        BoxSummary {
            name: m.name.clone(),
            project: m.project.clone(),
            state: m.state,
            broken: m.broken.clone(),
            isolated: m.namespaces.iter().filter(|n| n.isolated).map(|n| n.kind).collect(),
            limits: m.cgroup.as_ref().map(|c| c.limits.clone()),
            layers: m.rootfs.as_ref().map_or(0, |s| s.layers.len()),
            volumes: m.volumes.len(),
            address: m.network.as_ref().map(|n| n.address.clone()),
            processes: m.processes.len(),
            steps: m.steps.len(),
            health: m.health.as_ref().and_then(|h| h.status),
        }
    }
}

/// The boxes under one glassbox root, read from their records and /proc.
pub struct LiveSource {
    pub root: Root,
    /// Records already parsed, by the identity of the file they came from:
    /// a step renames a new record over the old, which gives it a new inode.
    records: Mutex<HashMap<String, (RecordStamp, Arc<BoxRecord>)>>,
    /// The read-only layers' files, by the stack's digests: layers never change.
    lowers: Mutex<HashMap<Vec<String>, Arc<Lower>>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct RecordStamp {
    ino: u64,
    size: u64,
    mtime_ns: i128,
}

impl LiveSource {
    pub fn new(root: Root) -> LiveSource {
        LiveSource { root, records: Mutex::default(), lowers: Mutex::default() }
    }

    /// The box's record, parsed again only when its file was replaced.
    fn record(&self, name: &str) -> Option<Arc<BoxRecord>> {
        use std::os::unix::fs::MetadataExt;
        names::validate("box", name).ok()?;
        let meta = std::fs::metadata(self.root.record_path(name)).ok()?;
        let stamp = RecordStamp {
            ino: meta.ino(),
            size: meta.size(),
            mtime_ns: meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128,
        };
        let mut cache = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, r)) = cache.get(name) {
            if *s == stamp {
                return Some(r.clone());
            }
        }
        let record = Arc::new(BoxRecord::load(&self.root, name).ok()?);
        cache.insert(name.to_string(), (stamp, record.clone()));
        Some(record)
    }

    fn records(&self) -> Vec<Arc<BoxRecord>> {
        let names = BoxRecord::list(&self.root);
        self.records.lock().unwrap_or_else(|e| e.into_inner()).retain(|n, _| names.contains(n));
        names.iter().filter_map(|n| self.record(n)).collect()
    }
}

impl Source for LiveSource {
    fn box_names(&self) -> Vec<String> {
        BoxRecord::list(&self.root)
    }
    fn one(&self, name: &str) -> Option<BoxModel> {
        Some(model::collect(&self.root, &*self.record(name)?))
    }
    fn boxes(&self) -> Vec<BoxModel> {
        let scan = ProcScan::now();
        self.records().iter().map(|r| model::collect_with(&self.root, r, &scan)).collect()
    }
    fn summaries(&self) -> Vec<BoxSummary> {
        let scan = ProcScan::now();
        let health = |r: &BoxRecord| Health::load(&self.root, r.project.as_deref(), &r.name).and_then(|h| h.status);
        self.records().iter().map(|r| BoxSummary { health: health(r), ..summary::summarize(r, &scan) }).collect()
    }
    fn rollouts(&self) -> Vec<RolloutModel> {
        let records = self.records();
        model::rollout::collect(&self.root, &records.iter().map(|r| &**r).collect::<Vec<_>>())
    }
    fn files(&self, name: &str) -> Vec<LayerFiles> {
        let Some(record) = self.record(name) else { return vec![] };
        let key = files::lower_key(&record);
        let cached = self.lowers.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        let lower = cached.unwrap_or_else(|| {
            let lower = Arc::new(files::lower(&self.root, &record));
            let mut all = self.lowers.lock().unwrap_or_else(|e| e.into_inner());
            // Stacks of boxes long removed: a classroom makes few distinct ones.
            if all.len() > 64 {
                all.clear();
            }
            all.insert(key, lower.clone());
            lower
        });
        files::with_container(&self.root, &record, &lower)
    }
    fn log_tail(&self, name: &str) -> Option<String> {
        model::output::tail(&self.root, name, LOG_TAIL)
    }
    fn fingerprints(&self) -> BTreeMap<String, u64> {
        let scan = ProcScan::now();
        self.records()
            .iter()
            .map(|r| {
                let pids: Vec<i32> = match r.namespaces.get(&NamespaceKind::Pid) {
                    Some(held) => scan.pids_in(held.inode).collect(),
                    None => r.main.filter(|m| m.alive()).map(|m| m.pid).into_iter().collect(),
                };
                (r.name.clone(), hash(&(r.state(), pids)))
            })
            .collect()
    }
    fn usage(&self, name: &str) -> Option<Usage> {
        let record = self.record(name)?;
        let cg = record.cgroup.as_ref()?;
        let driver = crate::stage::cgroup::detect(std::path::Path::new(crate::stage::cgroup::DEFAULT_FS)).ok()?;
        Some(crate::stage::cgroup::usage::read_usage(&driver, &cg.paths))
    }
    fn state_folder(&self) -> Option<PathBuf> {
        Some(self.root.state.clone())
    }
    fn lesson(&self) -> Option<super::lesson::LessonView> {
        super::lesson::current(&self.root)
    }
    fn host_summary(&self) -> HostModel {
        host::summary(&self.root)
    }
    fn host(&self, boxes: &[BoxModel]) -> HostModel {
        host::collect(&self.root, boxes)
    }
    fn host_page(&self) -> HostModel {
        host::collect_owned(&self.root, &host::owners_of(&self.records()))
    }
}

/// How much of a box's output log the page shows: its last lines.
const LOG_TAIL: u64 = 4096;
