//! The hardening operations (`caps`, `nnp`, `seccomp`, `devices`, `mask`)
//! and their faces: what they ask of the kernel, the shell that does the
//! same, and why.
//!
//! Capabilities, no_new_privs and seccomp filters can only be taken on by a
//! process itself, so their operation is a message to the box init, which
//! applies them in each process it starts; their syscall face says what the
//! init does there, in its order (see `sys::confine`).

use super::op::{Actor, Faces};
use crate::output::escape::shell_word as shell_quote;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "confine", rename_all = "snake_case")]
pub enum ConfineOp {
    /// The processes the init starts keep these capabilities only.
    KeepCaps { socket: PathBuf, keep: Vec<String>, dropped: usize },
    /// The processes the init starts gain no privileges through execve.
    NoNewPrivs { socket: PathBuf },
    /// The processes the init starts run under this compiled filter.
    LoadFilter { socket: PathBuf, file: PathBuf, profile: String, instructions: usize },
    /// No filter: recorded so the box says so.
    Unconfined,
    /// cgroup v2: a device program attached to the box's cgroup.
    AttachDeviceProgram { cgroup: PathBuf, rules: Vec<String>, instructions: usize },
    /// Hide a path in the box: /dev/null over a file, an empty read-only
    /// tmpfs over a folder (`folder`: what the step saw there, if it could look).
    Mask { path: PathBuf, folder: Option<bool> },
    /// Make a path in the box read-only.
    ReadOnly { path: PathBuf },
}

fn q(p: &Path) -> String {
    shell_quote(&p.to_string_lossy())
}

fn tell(socket: &Path, what: &str) -> String {
    format!("connect(\"{}\"); sendmsg({what})", socket.display())
}

const MASK_FILE: &str = "open_tree(\"/dev/null\", OPEN_TREE_CLONE) before entering; move_mount(tree, \"{p}\")";
const MASK_DIR: &str = "mount(\"tmpfs\", \"{p}\", \"tmpfs\", MS_RDONLY|MS_NOSUID|MS_NODEV, \"size=4k\")";

/// setpriv's spelling of a capability set: `-all,+chown,+kill`.
pub fn setpriv_caps(keep: &[String]) -> String {
    let mut s = String::from("-all");
    for c in keep {
        s.push_str(&format!(",+{}", c.trim_start_matches("CAP_").to_lowercase()));
    }
    s
}

impl ConfineOp {
    pub fn faces(&self) -> Faces {
        use Actor::*;
        let (actor, syscall, shell, why): (Actor, String, String, String) = match self {
            ConfineOp::KeepCaps { socket, keep, dropped } => (
                Host,
                format!(
                    "{}; the init, in each process it starts, before execve: prctl(PR_CAPBSET_DROP, cap) for the {dropped} others; \
                     prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL); capset(effective = permitted = the {}, inheritable = none)",
                    tell(socket, &format!("keep {} capabilities", keep.len())),
                    keep.len()
                ),
                format!("setpriv --bounding-set {s} --inh-caps -all --ambient-caps -all -- CMD", s = setpriv_caps(keep)),
                format!(
                    "root in a box is root of the host's kernel; capabilities are root's powers one by one, and the box keeps {}. \
                     The bounding set goes first (dropping from it needs CAP_SETPCAP, which capset may remove): for root, \
                     execve grants the bounding set plus the inheritable set, which is emptied",
                    if keep.is_empty() { "none".to_string() } else { keep.join(" ") }
                ),
            ),
            ConfineOp::NoNewPrivs { socket } => (
                Host,
                format!(
                    "{}; the init, in each process it starts, after the bounding set: prctl(PR_SET_NO_NEW_PRIVS, 1)",
                    tell(socket, "no_new_privs")
                ),
                "setpriv --no-new-privs -- CMD".into(),
                "execve can no longer add privileges: a setuid-root program runs as its caller, file capabilities are \
                 ignored; it also lets a process without CAP_SYS_ADMIN load a seccomp filter, so it comes before the filter"
                    .into(),
            ),
            ConfineOp::LoadFilter { socket, file, profile, instructions } => (
                Host,
                format!(
                    "{}; the init, in each process it starts, last before execve: seccomp(SECCOMP_SET_MODE_FILTER, 0, \
                     {{len = {instructions}, {} bytes}})",
                    tell(socket, &format!("SCM_RIGHTS: {}", file.display())),
                    instructions * 8
                ),
                format!(
                    "# no util-linux command loads a filter; bwrap --seccomp 3 … 3<{} loads this one (docker run --security-opt seccomp={})",
                    q(file),
                    shell_quote(profile)
                ),
                format!(
                    "the kernel runs this program at every system call and does what it answers ({profile}, compiled once, \
                     here). Last, because it may forbid the prctl and capset calls before it, and loading it needs \
                     no_new_privs or CAP_SYS_ADMIN"
                ),
            ),
            ConfineOp::Unconfined => (
                Host,
                "nothing: no seccomp filter".into(),
                "docker run --security-opt seccomp=unconfined".into(),
                "every system call the capabilities allow is allowed; a filter, once loaded, could not be taken back".into(),
            ),
            ConfineOp::AttachDeviceProgram { cgroup, rules, instructions } => (
                Host,
                format!(
                    "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE, {instructions} instructions); \
                     bpf(BPF_PROG_ATTACH, open(\"{}\"), BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI)",
                    cgroup.display()
                ),
                format!("# no util-linux command: bpftool prog load PROG.o /sys/fs/bpf/p && bpftool cgroup attach {} device pinned /sys/fs/bpf/p multi", q(cgroup)),
                format!(
                    "cgroup v2 has no devices files: the kernel runs this program at every open and mknod of a device node \
                     in the box, and it allows {} and nothing else (EPERM)",
                    rules.join(", ")
                ),
            ),
            ConfineOp::Mask { path, folder } => {
                let p = path.display().to_string();
                let file_call = MASK_FILE.replace("{p}", &p);
                let dir_call = MASK_DIR.replace("{p}", &p);
                let (file_sh, dir_sh) =
                    (format!("mount --bind /dev/null {}", q(path)), format!("mount -t tmpfs -o ro,size=4k tmpfs {}", q(path)));
                let (syscall, shell) = match folder {
                    Some(false) => (file_call, file_sh),
                    Some(true) => (dir_call, dir_sh),
                    None => (
                        format!("a file: {file_call}; a folder: {dir_call}"),
                        format!("if [ -d {p} ]; then {dir_sh}; elif [ -e {p} ]; then {file_sh}; fi", p = q(path)),
                    ),
                };
                (Helper, syscall, shell, format!("{} is the host kernel's, not the box's: hide it (reads give nothing)", p))
            }
            ConfineOp::ReadOnly { path } if path == Path::new("/") => (
                Helper,
                "mount_setattr(\"/\", 0, MOUNT_ATTR_RDONLY)".into(),
                "mount -o remount,bind,ro /".into(),
                "the box's root filesystem becomes read-only (docker run --read-only): writes fail with EROFS; \
                 volumes, /proc, /dev and /tmp are mounts of their own and keep their flags"
                    .into(),
            ),
            ConfineOp::ReadOnly { path } => (
                Helper,
                format!(
                    "open_tree(\"{p}\", OPEN_TREE_CLONE|AT_RECURSIVE); mount_setattr(MOUNT_ATTR_RDONLY, MS_PRIVATE); move_mount(tree, \"{p}\")",
                    p = path.display()
                ),
                format!("mount --rbind {p} {p} && mount -o remount,bind,ro {p}", p = q(path)),
                format!("{} writes to the host's kernel: the box may read it, writes fail with EROFS", path.display()),
            ),
        };
        Faces { actor, syscall, shell, why }
    }

    /// The lines `history --script` gives this operation.
    pub fn script_line(&self) -> String {
        match self {
            ConfineOp::Mask { .. } | ConfineOp::ReadOnly { .. } => {
                format!("nsenter \"${{MOUNTER[@]}}\" -- sh -c {}\n", shell_quote(&self.faces().shell))
            }
            _ => format!("# every later command: {}\n", self.faces().shell.trim_start_matches("# ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setpriv_spells_capabilities_its_way() {
        assert_eq!(setpriv_caps(&["CAP_NET_BIND_SERVICE".into(), "CAP_KILL".into()]), "-all,+net_bind_service,+kill");
        assert_eq!(setpriv_caps(&[]), "-all");
    }

    #[test]
    fn a_confine_op_round_trips_inside_op() {
        let op = crate::plan::Op::Confine(ConfineOp::ReadOnly { path: "/proc/sys".into() });
        let text = serde_json::to_string(&op).unwrap();
        assert_eq!(serde_json::from_str::<crate::plan::Op>(&text).unwrap(), op, "{text}");
        assert!(op.faces().syscall.contains("MOUNT_ATTR_RDONLY"));
    }
}
