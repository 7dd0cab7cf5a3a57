//! The eight kinds of Linux namespace (namespaces(7)).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One kind of namespace. The declaration order is the order glassbox makes
/// and joins them in: `user` first, because every namespace made after it is
/// *owned* by it (root in the box may then act on them); `mnt` next, because
/// joining it changes which paths the rest of the work can see; `pid` last,
/// because making it also starts the box init, which should be born inside
/// all the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NamespaceKind {
    User,
    Mnt,
    Uts,
    Ipc,
    Net,
    Cgroup,
    Time,
    Pid,
}

use NamespaceKind::*;

impl NamespaceKind {
    pub const ALL: [NamespaceKind; 8] = [User, Mnt, Uts, Ipc, Net, Cgroup, Time, Pid];

    pub fn name(self) -> &'static str {
        self.facts().name
    }

    /// The file under /proc/PID/ns/ naming this process's namespace.
    pub fn proc_file(self) -> &'static str {
        self.name()
    }

    pub fn clone_flag(self) -> libc::c_int {
        self.facts().flag
    }

    pub fn flag_name(self) -> &'static str {
        self.facts().flag_name
    }

    /// The util-linux option (`unshare --uts`, `nsenter --uts`).
    pub fn util_linux_option(self) -> &'static str {
        self.facts().option
    }

    /// What a process in a new namespace of this kind no longer shares.
    pub fn isolates(self) -> &'static str {
        self.facts().isolates
    }

    pub fn man_page(self) -> &'static str {
        self.facts().man
    }

    /// Namespaces whose new instance applies to the caller's *children* only
    /// (the caller itself stays where it was; see pid_namespaces(7), time_namespaces(7)).
    pub fn applies_to_children(self) -> bool {
        matches!(self, Pid | Time)
    }

    pub fn parse(s: &str) -> Option<NamespaceKind> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }

    pub fn valid_names() -> String {
        Self::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(" ")
    }

    fn facts(self) -> &'static KindFacts {
        &FACTS[self as usize]
    }
}

struct KindFacts {
    name: &'static str,
    flag: libc::c_int,
    flag_name: &'static str,
    option: &'static str,
    isolates: &'static str,
    man: &'static str,
}

const FACTS: [KindFacts; 8] = [
    KindFacts {
        name: "user",
        flag: libc::CLONE_NEWUSER,
        flag_name: "CLONE_NEWUSER",
        option: "--user",
        isolates: "user and group IDs: root inside maps to an unprivileged uid outside",
        man: "user_namespaces(7)",
    },
    KindFacts {
        name: "mnt",
        flag: libc::CLONE_NEWNS,
        flag_name: "CLONE_NEWNS",
        option: "--mount",
        isolates: "the mount table: mounts made inside are invisible outside",
        man: "mount_namespaces(7)",
    },
    KindFacts {
        name: "uts",
        flag: libc::CLONE_NEWUTS,
        flag_name: "CLONE_NEWUTS",
        option: "--uts",
        isolates: "the hostname and NIS domain name",
        man: "uts_namespaces(7)",
    },
    KindFacts {
        name: "ipc",
        flag: libc::CLONE_NEWIPC,
        flag_name: "CLONE_NEWIPC",
        option: "--ipc",
        isolates: "System V IPC objects and POSIX message queues",
        man: "ipc_namespaces(7)",
    },
    KindFacts {
        name: "net",
        flag: libc::CLONE_NEWNET,
        flag_name: "CLONE_NEWNET",
        option: "--net",
        isolates: "network devices, addresses, routes, ports and firewall rules",
        man: "network_namespaces(7)",
    },
    KindFacts {
        name: "cgroup",
        flag: libc::CLONE_NEWCGROUP,
        flag_name: "CLONE_NEWCGROUP",
        option: "--cgroup",
        isolates: "the view of the cgroup tree: the box's cgroup appears as /",
        man: "cgroup_namespaces(7)",
    },
    KindFacts {
        name: "time",
        flag: libc::CLONE_NEWTIME,
        flag_name: "CLONE_NEWTIME",
        option: "--time",
        isolates: "the CLOCK_MONOTONIC and CLOCK_BOOTTIME offsets",
        man: "time_namespaces(7)",
    },
    KindFacts {
        name: "pid",
        flag: libc::CLONE_NEWPID,
        flag_name: "CLONE_NEWPID",
        option: "--pid",
        isolates: "process IDs: the box gets its own PID 1 and sees no host processes",
        man: "pid_namespaces(7)",
    },
];

impl fmt::Display for NamespaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_line_up_with_kinds() {
        for k in NamespaceKind::ALL {
            assert_eq!(NamespaceKind::parse(k.name()), Some(k));
            assert!(k.flag_name().ends_with(&k.name().to_uppercase()) || k == Mnt, "{k}");
        }
        assert_eq!(NamespaceKind::parse("mount"), None);
    }
}
