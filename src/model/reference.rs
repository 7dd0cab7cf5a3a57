//! What "the host's namespace" means, in one place.
//!
//! A box is isolated in a kind when its namespace differs from the host's.
//! The host's namespaces are the machine's first ones, those of PID 1:
//! what `lsns` and every guide mean by "the host". Reading /proc/1/ns/*
//! needs ptrace access to PID 1, which some machines refuse even to root
//! (a VM whose PID 1 is its own agent, a hardened kernel): there the
//! reference is glassbox's own process, whose namespaces every box starts
//! from, and the model says so. `inspect`, `unshare`'s report, the web page
//! and the lessons all take the host's inodes from [`host_namespaces`].

use crate::stage::NamespaceKind;
use crate::sys::proc;
use serde::Serialize;
use std::collections::BTreeMap;

/// Whose namespaces stand for the host's.
#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum HostSource {
    /// PID 1's, read from /proc/1/ns.
    Pid1,
    /// glassbox's own, because /proc/1/ns could not be read.
    Glassbox,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct HostReference {
    pub source: HostSource,
    /// One sentence: where the inodes come from and, for `glassbox`, why.
    pub explained: String,
    /// The host's inode of each kind this kernel has (the models show them
    /// next to the box's, as `host_inode`).
    #[serde(skip)]
    pub inodes: BTreeMap<NamespaceKind, u64>,
}

impl HostReference {
    pub fn inode(&self, kind: NamespaceKind) -> Option<u64> {
        self.inodes.get(&kind).copied()
    }
}

/// The host's namespaces: PID 1's when every kind glassbox itself has can
/// be read there, glassbox's own otherwise (never a mix of the two).
pub fn host_namespaces() -> HostReference {
    let own: BTreeMap<NamespaceKind, u64> = NamespaceKind::ALL
        .into_iter()
        .filter_map(|k| Some((k, proc::ns_inode(proc::self_pid(), k.proc_file())?)))
        .collect();
    let mut first: BTreeMap<NamespaceKind, u64> = BTreeMap::new();
    for kind in own.keys() {
        match proc::ns_inode_read(1, kind.proc_file()) {
            Ok(inode) => {
                first.insert(*kind, inode);
            }
            Err(e) => {
                return HostReference {
                    source: HostSource::Glassbox,
                    explained: format!(
                        "glassbox's own namespaces (/proc/self/ns) stand for the host's: /proc/1/ns/{} cannot be read ({e})",
                        kind.proc_file()
                    ),
                    inodes: own,
                };
            }
        }
    }
    HostReference {
        source: HostSource::Pid1,
        explained: "the host's namespaces are PID 1's (/proc/1/ns), as lsns shows them".into(),
        inodes: first,
    }
}
