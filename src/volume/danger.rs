//! Host folders too dangerous to hand a box as a volume.
//!
//! A volume is a bind mount: the box sees the host folder itself, not a
//! copy, and root in the box can read and often write all of it. Some
//! folders are the host's own controls — the kernel's pseudo-filesystems
//! (`/proc/<pid>/root` is another process's root, `/sys/fs/cgroup` the
//! limits of every process), service sockets under `/run` (a container
//! runtime's socket is root on the host), the boot loader — and some hold
//! glassbox's own state, whose holds and layers a box must not reach.
//! The path is checked after symlinks and `..` are resolved, so a link to
//! `/run` is refused as `/run`. `--force` overrides the refusal.

use std::path::{Path, PathBuf};

/// How a rule's path is compared with the folder asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Only the folder itself.
    Exact,
    /// The folder and everything under it.
    Subtree,
    /// The folder and every folder above it (which would expose it too).
    AndAbove,
}

struct Danger {
    path: &'static str,
    reach: Reach,
    why: &'static str,
}

/// The one table of host folders a volume may not expose without `--force`.
const DANGERS: [Danger; 8] = [
    Danger { path: "/", reach: Reach::Exact, why: "the host's whole filesystem" },
    Danger { path: "/etc", reach: Reach::Exact, why: "the host's configuration, its password hashes included" },
    Danger {
        path: "/proc",
        reach: Reach::Subtree,
        why: "the kernel's view of the host's processes (/proc/PID/root is another process's root)",
    },
    Danger {
        path: "/sys",
        reach: Reach::Subtree,
        why: "the kernel's settings and devices (/sys/fs/cgroup holds every process's limits)",
    },
    Danger { path: "/dev", reach: Reach::Subtree, why: "the host's devices and shared memory (/dev/shm)" },
    Danger {
        path: "/run",
        reach: Reach::Subtree,
        why: "the host's running services: their sockets (a container engine's is root on the host) and glassbox's namespace holds",
    },
    Danger { path: "/boot", reach: Reach::Subtree, why: "the host's kernel and boot loader" },
    Danger {
        path: "/var/lib",
        reach: Reach::AndAbove,
        why: "the state of every service on the host, glassbox's default store included",
    },
];

/// Why `resolved` (absolute, symlinks and `..` resolved) must not become a
/// volume, or None. `own` are this root's state and runtime folders.
pub fn reason(resolved: &Path, own: &[&Path]) -> Option<String> {
    table_reason(resolved).or_else(|| own_reason(resolved, own)).or_else(|| other_root_reason(resolved))
}

fn table_reason(resolved: &Path) -> Option<String> {
    DANGERS.iter().find_map(|d| {
        let rule = Path::new(d.path);
        let said = match d.reach {
            _ if resolved == rule => format!("{} is {}", d.path, d.why),
            Reach::Subtree if resolved.starts_with(rule) => format!("it is under {}, {}", d.path, d.why),
            Reach::AndAbove if rule.starts_with(resolved) => format!("it holds {}, {}", d.path, d.why),
            _ => return None,
        };
        Some(said)
    })
}

fn own_reason(resolved: &Path, own: &[&Path]) -> Option<String> {
    own.iter().find_map(|o| {
        if resolved.starts_with(o) {
            Some(format!("it is inside glassbox's own state ({})", o.display()))
        } else if o.starts_with(resolved) {
            Some(format!("it holds glassbox's own state ({})", o.display()))
        } else {
            None
        }
    })
}

/// Another glassbox root, recognised by its layout: inside one, or one a
/// few levels down (deeper is not searched: a volume's folder may be big).
fn other_root_reason(resolved: &Path) -> Option<String> {
    if let Some(root) = resolved.ancestors().find(|a| looks_like_a_root(a)) {
        return Some(format!("it is inside a glassbox root ({})", root.display()));
    }
    root_below(resolved).map(|root| format!("it holds a glassbox root ({})", root.display()))
}

/// How deep and how wide the search for a root below a folder goes.
const SEARCH_DEPTH: usize = 3;
const SEARCH_FOLDERS: usize = 2000;

fn root_below(dir: &Path) -> Option<PathBuf> {
    let mut level = vec![dir.to_path_buf()];
    let mut seen = 0;
    for _ in 0..SEARCH_DEPTH {
        let mut next = vec![];
        for d in &level {
            for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
                // Not through symlinks: a link names another place, not this one's content.
                if !e.file_type().is_ok_and(|t| t.is_dir()) {
                    continue;
                }
                let p = e.path();
                if looks_like_a_root(&p) {
                    return Some(p);
                }
                seen += 1;
                if seen > SEARCH_FOLDERS {
                    return None;
                }
                next.push(p);
            }
        }
        level = next;
    }
    None
}

/// The folders a state root holds (see `state::paths` and the stores):
/// two of them make a glassbox root; a plain folder rarely has both.
const ROOT_LAYOUT: [&str; 5] = ["boxes", "layers", "images", "volumes", "locks"];

pub fn looks_like_a_root(dir: &Path) -> bool {
    ROOT_LAYOUT.iter().filter(|n| dir.join(n).is_dir()).take(2).count() == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(p: &str) -> bool {
        table_reason(Path::new(p)).is_some()
    }

    #[test]
    fn the_table_knows_exact_subtree_and_above() {
        for bad in [
            "/",
            "/etc",
            "/proc",
            "/proc/1/root",
            "/sys/fs/cgroup",
            "/dev/shm",
            "/run",
            "/run/docker.sock",
            "/boot/grub",
            "/var/lib",
            "/var",
        ] {
            assert!(refused(bad), "{bad}");
        }
        for fine in ["/etc/nginx", "/var/lib/app", "/srv/data", "/home/a/run", "/procedures", "/runner", "/var/log"] {
            assert!(!refused(fine), "{fine}");
        }
        assert_eq!(table_reason(Path::new("/run/x")).unwrap().split(',').next().unwrap(), "it is under /run");
        assert!(table_reason(Path::new("/var")).unwrap().starts_with("it holds /var/lib"));
    }

    #[test]
    fn own_state_refused_inside_and_above() {
        let own = [Path::new("/var/lib/glassbox")];
        assert!(own_reason(Path::new("/var/lib/glassbox/volumes"), &own).is_some());
        assert!(own_reason(Path::new("/var"), &own).is_some(), "a parent of the store exposes it too");
        assert!(own_reason(Path::new("/srv/data"), &own).is_none());
    }

    #[test]
    fn another_root_is_recognised_by_its_layout() {
        let base = crate::state::paths::unit_test_dir("danger-root");
        let root = base.join("class/root");
        std::fs::create_dir_all(root.join("boxes/b")).unwrap();
        std::fs::create_dir_all(root.join("layers")).unwrap();
        std::fs::create_dir_all(base.join("plain/volumes")).unwrap();
        let said = |p: &Path| other_root_reason(p).unwrap_or_default();
        assert!(said(&root.join("boxes/b")).contains("inside a glassbox root"));
        assert!(said(&base).contains("holds a glassbox root"), "{}", said(&base));
        assert_eq!(said(&base.join("plain")), "", "one folder named like a part is not a root");
    }
}
