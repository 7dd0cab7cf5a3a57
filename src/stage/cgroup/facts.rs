//! What the cgroup planners need to know of the cgroupfs, read once before
//! planning. The planners (`v1`, `v2`) are then pure: given the same facts
//! they make the same writes, and a test gives them the facts of a fake
//! cgroupfs folder (see `plan_tests.rs`), the way youki's cgroup tests do.

use super::CgroupDriver;
use crate::state::Root;
use std::path::{Path, PathBuf};

/// One v1 hierarchy a box needs a folder in (comounted controllers once).
#[derive(Debug, Clone, PartialEq)]
pub struct Hierarchy {
    pub mount: PathBuf,
    /// The parent cgroup of this root's boxes exists already.
    pub parent_exists: bool,
    /// A cpuset hierarchy: the CPUs and memory nodes its root has, which
    /// a new v1 cpuset must be given before a process may join it.
    pub cpuset: Option<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CgroupFacts {
    /// v2: the controllers the tree offers (`cgroup.controllers`).
    pub available: Vec<String>,
    /// v2: the controllers the root enables for its children.
    pub root_enabled: Vec<String>,
    /// v2: those the boxes' parent enables; None while it does not exist.
    pub parent_enabled: Option<Vec<String>>,
    /// v1: the hierarchies, in the order of their first controller's name.
    pub hierarchies: Vec<Hierarchy>,
    /// v1: the memory hierarchy counts swap (`memory.memsw.limit_in_bytes`).
    pub swap_counted: bool,
    /// v1: the blkio weight file the disks' scheduler offers, if any.
    pub blkio_weight: Option<&'static str>,
}

fn listed(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file).unwrap_or_default().split_whitespace().map(String::from).collect()
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap_or_default().trim().to_string()
}

impl CgroupDriver {
    /// Reads the facts the planners need from this driver's cgroupfs.
    pub fn facts(&self, root: &Root) -> CgroupFacts {
        let parent = super::parent_name(root);
        match self {
            CgroupDriver::V2 { fs } => CgroupFacts {
                available: listed(&fs.join("cgroup.controllers")),
                root_enabled: listed(&fs.join("cgroup.subtree_control")),
                parent_enabled: fs
                    .join(&parent)
                    .is_dir()
                    .then(|| listed(&fs.join(&parent).join("cgroup.subtree_control"))),
                ..Default::default()
            },
            CgroupDriver::V1 { mounts, .. } => {
                let mut hierarchies: Vec<Hierarchy> = vec![];
                for mount in mounts.values() {
                    if hierarchies.iter().any(|h| &h.mount == mount) {
                        continue;
                    }
                    let cpuset = mount
                        .join("cpuset.cpus")
                        .exists()
                        .then(|| (read(&mount.join("cpuset.cpus")), read(&mount.join("cpuset.mems"))));
                    hierarchies.push(Hierarchy {
                        mount: mount.clone(),
                        parent_exists: mount.join(&parent).is_dir(),
                        cpuset,
                    });
                }
                let blkio = mounts.get("blkio");
                CgroupFacts {
                    hierarchies,
                    swap_counted: mounts.get("memory").is_some_and(|m| m.join("memory.memsw.limit_in_bytes").exists()),
                    blkio_weight: ["blkio.weight", "blkio.bfq.weight"]
                        .into_iter()
                        .find(|f| blkio.is_some_and(|b| b.join(f).exists())),
                    ..Default::default()
                }
            }
        }
    }
}
