//! Cgroups: one control group per box, where the kernel counts and limits
//! what the box's processes use (cgroups(7)).
//!
//! Two versions exist. cgroup v2 is one tree (`/sys/fs/cgroup`), every
//! controller in it, enabled per subtree through `cgroup.subtree_control`;
//! processes live only in leaves (the "no internal processes" rule). cgroup
//! v1 has one tree per controller (`/sys/fs/cgroup/memory`, `…/cpu`, …) and
//! a box needs a folder in each. Many machines are *hybrid*: v1 controllers
//! plus a v2 tree holding none of them; there glassbox uses the v1 trees,
//! because that is where the controllers are. The two drivers below write
//! different files with the same meaning; `--explain` shows which.

mod facts;
pub mod limits;
pub mod remove;
pub mod usage;
mod v1;
mod v2;

use crate::plan::Op;
use crate::plan::op;
use crate::state::Root;
pub use facts::CgroupFacts;
use limits::{Limit, Limits};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

pub const DEFAULT_FS: &str = "/sys/fs/cgroup";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// cgroup v2 only.
    Unified,
    /// v1 controllers beside a v2 tree that has none of them.
    Hybrid,
    /// cgroup v1 only.
    Legacy,
}

impl Layout {
    pub fn explain(self) -> &'static str {
        match self {
            Layout::Unified => "cgroup v2 (unified): one tree, controllers enabled per subtree",
            Layout::Hybrid => {
                "hybrid: the controllers sit in the cgroup v1 trees and the v2 tree has none, so glassbox uses v1"
            }
            Layout::Legacy => "cgroup v1 (legacy): one tree per controller",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CgroupDriver {
    V2 { fs: PathBuf },
    V1 { layout: Layout, mounts: BTreeMap<String, PathBuf> },
}

#[derive(Debug, thiserror::Error)]
pub enum CgroupError {
    #[error(
        "no cgroup filesystem under {0}: mount one (mount -t cgroup2 none /sys/fs/cgroup) or boot with cgroups enabled"
    )]
    NotFound(PathBuf),
    #[error("the {controller} controller is not available here ({why}); {fix}")]
    Missing { controller: &'static str, why: String, fix: String },
}

const KNOWN: [&str; 6] = ["memory", "cpu", "cpuacct", "pids", "cpuset", "blkio"];

/// Which v1 controllers a hierarchy folder carries: by its name, as every
/// distribution mounts them (`memory`, `cpu,cpuacct`), or by the files it
/// holds (the root of `pids` has none of its own files, hence the name).
fn v1_controllers_in(dir: &Path) -> Vec<&'static str> {
    let has = |f: &str| dir.join(f).exists();
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut v: Vec<&'static str> = KNOWN.into_iter().filter(|k| name.split(',').any(|t| t == *k)).collect();
    if dir.join("cgroup.controllers").exists() || !has("cgroup.procs") {
        return vec![];
    }
    for (c, file) in [
        ("memory", "memory.limit_in_bytes"),
        ("cpu", "cpu.cfs_quota_us"),
        ("cpuacct", "cpuacct.usage"),
        ("pids", "pids.max"),
        ("cpuset", "cpuset.cpus"),
        ("blkio", "blkio.reset_stats"),
    ] {
        if has(file) && !v.contains(&c) {
            v.push(c);
        }
    }
    v
}

/// Reads the layout from a cgroupfs root (a parameter, so tests can give a
/// fake one).
pub fn detect(fs: &Path) -> Result<CgroupDriver, CgroupError> {
    if fs.join("cgroup.controllers").exists() {
        return Ok(CgroupDriver::V2 { fs: fs.to_path_buf() });
    }
    let mut mounts = BTreeMap::new();
    let mut unified = false;
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(fs).map_err(|_| CgroupError::NotFound(fs.into()))?.flatten().map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        if dir.join("cgroup.controllers").exists() {
            unified = true;
        }
        for c in v1_controllers_in(&dir) {
            // Comounted trees appear twice (cpu and cpu,cpuacct): keep one.
            mounts.entry(c.to_string()).or_insert_with(|| dir.canonicalize().unwrap_or(dir.clone()));
        }
    }
    if mounts.is_empty() {
        return Err(CgroupError::NotFound(fs.into()));
    }
    let layout = if unified { Layout::Hybrid } else { Layout::Legacy };
    Ok(CgroupDriver::V1 { layout, mounts })
}

/// The parent cgroup of all boxes of one state root: `glassbox` for the
/// default root, `glassbox-<hash>` for another, so test roots never collide.
pub fn parent_name(root: &Root) -> String {
    use sha2::Digest;
    if root.state == Path::new(crate::state::paths::DEFAULT_STATE) {
        return "glassbox".into();
    }
    let hash = hex::encode(sha2::Sha256::digest(root.state.display().to_string().as_bytes()));
    format!("glassbox-{}", &hash[..10])
}

/// The box's cgroup folders that exist, found without working out the
/// layout: `<fs>/<parent>/<box>` on v2, `<fs>/<hierarchy>/<parent>/<box>` on
/// v1. Teardown runs on every `rm`, mostly of boxes that never had a cgroup:
/// this is a readdir and a stat per hierarchy, where `detect` probes about a
/// hundred files.
pub fn existing_box_dirs(fs: &Path, root: &Root, name: &str) -> Vec<PathBuf> {
    let tail = Path::new(&parent_name(root)).join(name);
    let is_v2_tree = |dir: &Path| dir.join("cgroup.controllers").exists();
    // On v2 the folders below the root are cgroups, not hierarchies: a box's
    // name one level further down (`lxc.payload.c1/glassbox/BOX`, made by a
    // glassbox inside a container) is not this box. In hybrid, glassbox never
    // uses the v2 tree.
    let candidates: Vec<PathBuf> = if is_v2_tree(fs) {
        vec![fs.join(&tail)]
    } else {
        let hierarchies: Vec<PathBuf> =
            std::fs::read_dir(fs).map(|rd| rd.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        hierarchies.into_iter().filter(|h| !is_v2_tree(h)).map(|h| h.join(&tail)).collect()
    };
    let mut found: Vec<((u64, u64), PathBuf)> = candidates
        .into_iter()
        .filter_map(|dir| std::fs::metadata(&dir).ok().map(|m| ((m.dev(), m.ino()), dir)))
        .collect();
    // Comounted v1 trees are reachable under several names (cpu, cpuacct,
    // cpu,cpuacct): one folder, one identity.
    found.sort();
    found.dedup_by_key(|(id, _)| *id);
    found.into_iter().map(|(_, dir)| dir).collect()
}

impl CgroupDriver {
    pub fn layout(&self) -> Layout {
        match self {
            CgroupDriver::V2 { .. } => Layout::Unified,
            CgroupDriver::V1 { layout, .. } => *layout,
        }
    }

    pub fn version(&self) -> &'static str {
        match self {
            CgroupDriver::V2 { .. } => "v2",
            CgroupDriver::V1 { .. } => "v1",
        }
    }

    /// The parent folders (one per hierarchy) holding this root's boxes.
    pub fn parents(&self, root: &Root) -> Vec<PathBuf> {
        let parent = parent_name(root);
        let mut v: Vec<PathBuf> = match self {
            CgroupDriver::V2 { fs } => vec![fs.join(&parent)],
            CgroupDriver::V1 { mounts, .. } => mounts.values().map(|m| m.join(&parent)).collect(),
        };
        v.sort();
        v.dedup();
        v
    }

    /// The box's cgroup folders (one in v2, one per hierarchy in v1).
    pub fn box_paths(&self, root: &Root, name: &str) -> Vec<PathBuf> {
        self.parents(root).into_iter().map(|p| p.join(name)).collect()
    }

    /// Creating the box's cgroup, parents first, from the facts
    /// [`CgroupDriver::facts`] read.
    pub fn plan_create(&self, facts: &CgroupFacts, root: &Root, name: &str) -> Vec<Op> {
        match self {
            CgroupDriver::V2 { fs } => v2::plan_create(facts, fs, &fs.join(parent_name(root)), name),
            CgroupDriver::V1 { .. } => v1::plan_create(facts, &parent_name(root), name),
        }
    }

    /// Writing the limits; an error names a missing controller.
    pub fn plan_limits(
        &self,
        facts: &CgroupFacts,
        root: &Root,
        name: &str,
        limits: &Limits,
    ) -> Result<Vec<Op>, CgroupError> {
        match self {
            CgroupDriver::V2 { .. } => v2::plan_limits(facts, &self.box_paths(root, name)[0], limits),
            CgroupDriver::V1 { mounts, .. } => v1::plan_limits(facts, mounts, &parent_name(root), name, limits),
        }
    }

    /// The `cgroup.procs` files a process writes its pid to, to join the box.
    pub fn procs_files(&self, root: &Root, name: &str) -> Vec<PathBuf> {
        self.box_paths(root, name).into_iter().map(|p| p.join("cgroup.procs")).collect()
    }
}

/// The value glassbox writes for a limit.
pub fn format_limit(l: Limit, max_word: &str) -> String {
    match l {
        Limit::Max => max_word.to_string(),
        Limit::Value(v) => v.to_string(),
    }
}

fn write(file: PathBuf, value: String, why: &str) -> Op {
    op::WriteCgroup { file, value, why: why.to_string() }.into()
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod plan_tests;

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake cgroupfs; `tag` keeps the folders of tests running in parallel apart.
    fn fake(tag: &str, files: &[&str]) -> crate::state::paths::UnitTestDir {
        let dir = crate::state::paths::unit_test_dir(&format!("cg-{tag}"));
        for f in files {
            let p = dir.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        dir
    }

    #[test]
    fn detects_the_three_layouts() {
        let v2 = fake("v2", &["cgroup.controllers"]);
        assert_eq!(detect(&v2).unwrap().layout(), Layout::Unified);
        let hybrid = fake(
            "hybrid",
            &["memory/cgroup.procs", "memory/memory.limit_in_bytes", "pids/cgroup.procs", "unified/cgroup.controllers"],
        );
        let d = detect(&hybrid).unwrap();
        assert_eq!(d.layout(), Layout::Hybrid);
        assert_eq!(d.version(), "v1");
        let legacy =
            fake("legacy", &["memory/cgroup.procs", "cpu,cpuacct/cgroup.procs", "cpu,cpuacct/cpu.cfs_quota_us"]);
        let d = detect(&legacy).unwrap();
        assert_eq!(d.layout(), Layout::Legacy);
        let CgroupDriver::V1 { mounts, .. } = d else { panic!() };
        assert_eq!(mounts["cpu"], mounts["cpuacct"], "comounted controllers share one folder");
        assert!(detect(&fake("empty", &[])).is_err());
    }

    #[test]
    fn finds_a_box_in_every_layout_without_detecting_it() {
        let root = Root::new(Some(Path::new("/tmp/gb-unit-root")));
        let tail = format!("{}/b1", parent_name(&root));
        let v2 = fake(
            "find-v2",
            &["cgroup.controllers", &format!("{tail}/cgroup.procs"), &format!("lxc.payload.c1/{tail}/cgroup.procs")],
        );
        assert_eq!(existing_box_dirs(&v2, &root, "b1"), vec![v2.join(&tail)], "not the one in a container's cgroup");
        assert!(existing_box_dirs(&v2, &root, "b2").is_empty(), "another box's name finds nothing");
        let v1 = fake(
            "find-v1",
            &[
                "memory/cgroup.procs",
                &format!("memory/{tail}/cgroup.procs"),
                &format!("pids/{tail}/cgroup.procs"),
                "unified/cgroup.controllers",
                &format!("unified/{tail}/cgroup.procs"),
            ],
        );
        std::os::unix::fs::symlink(v1.join("memory"), v1.join("mem")).unwrap();
        let found = existing_box_dirs(&v1, &root, "b1");
        assert_eq!(found.len(), 2, "one folder per v1 hierarchy, a comount alias once, not the v2 tree: {found:?}");
        assert!(existing_box_dirs(&v1.join("none"), &root, "b1").is_empty());
    }

    #[test]
    fn parents_differ_per_root() {
        let a = parent_name(&Root::new(Some(Path::new("/tmp/a"))));
        let b = parent_name(&Root::new(Some(Path::new("/tmp/b"))));
        assert_ne!(a, b);
        assert!(a.starts_with("glassbox-"));
        assert_eq!(parent_name(&Root::new(None)), "glassbox");
    }
}
