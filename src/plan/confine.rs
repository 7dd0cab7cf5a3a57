//! The hardening operations (`caps`, `nnp`, `seccomp`, `devices`, `mask`)
//! and their faces: what they ask of the kernel, the shell that does the
//! same, and why.
//!
//! Capabilities, no_new_privs and seccomp filters can only be taken on by a
//! process itself, so their operation is a message to the box init, which
//! applies them in each process it starts; their syscall face says what the
//! init does there, in its order (see `sys::confine`).

use super::apply::{HelperCx, HostCx};
use super::op::{HelperStep, HostStep, Text, Words};
use super::script::StepScript;
use crate::i18n::tr;
use crate::init::policy::{self, Tightening};
use crate::output::escape::shell_word as shell_quote;
use crate::sys::{SysError, SysResult, devcg, mount_tree, mounts};
use serde::{Deserialize, Serialize};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// What glassbox tells the box init, or attaches to the box's cgroup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "confine", rename_all = "snake_case")]
pub enum ConfineHost {
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
}

/// What the helper mounts in the box's mount namespace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "confine", rename_all = "snake_case")]
pub enum ConfineHelper {
    /// Hide a path in the box: /dev/null over a file, an empty read-only
    /// tmpfs over a folder (`folder`: what the step saw there, if it could look).
    Mask { path: PathBuf, folder: Option<bool> },
    /// Make a path in the box read-only.
    ReadOnly { path: PathBuf },
}

// A record stores a hardening operation as `{"op": "confine", "confine": …}`.
super::op::tagged_family!(Confine);

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

impl HostStep for ConfineHost {
    fn text(&self, _: &Words) -> Text {
        match self {
            ConfineHost::KeepCaps { socket, keep, dropped } => Text::new(
                format!(
                    "{}; the init, in each process it starts, before execve: prctl(PR_CAPBSET_DROP, cap) for the {dropped} others; \
                     prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL); capset(effective = permitted = the {}, inheritable = none)",
                    tell(socket, &format!("keep {} capabilities", keep.len())),
                    keep.len()
                ),
                format!(
                    "setpriv --bounding-set {s} --inh-caps -all --ambient-caps -all -- CMD",
                    s = setpriv_caps(keep)
                ),
                match keep.is_empty() {
                    true => tr!("why-keep-no-caps"),
                    false => tr!("why-keep-caps", caps = keep.join(" ")),
                },
            ),
            ConfineHost::NoNewPrivs { socket } => Text::new(
                format!(
                    "{}; the init, in each process it starts, after the bounding set: prctl(PR_SET_NO_NEW_PRIVS, 1)",
                    tell(socket, "no_new_privs")
                ),
                "setpriv --no-new-privs -- CMD",
                tr!("why-no-new-privs"),
            ),
            ConfineHost::LoadFilter { socket, file, profile, instructions } => Text::new(
                format!(
                    "{}; the init, in each process it starts, last before execve: seccomp(SECCOMP_SET_MODE_FILTER, 0, \
                     {{len = {instructions}, {} bytes}})",
                    tell(socket, &format!("SCM_RIGHTS: {}", file.display())),
                    instructions * 8
                ),
                format!(
                    "# no util-linux command loads a filter; bwrap --seccomp 3 … 3<{} loads this one (docker run --security-opt seccomp={})",
                    shell_quote(&file.to_string_lossy()),
                    shell_quote(profile)
                ),
                tr!("why-load-filter", profile = profile),
            ),
            ConfineHost::Unconfined => Text::new(
                "nothing: no seccomp filter",
                "docker run --security-opt seccomp=unconfined",
                tr!("why-unconfined"),
            ),
            ConfineHost::AttachDeviceProgram { cgroup, rules, instructions } => Text::new(
                format!(
                    "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE, {instructions} instructions); \
                     bpf(BPF_PROG_ATTACH, open(\"{}\"), BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI)",
                    cgroup.display()
                ),
                format!(
                    "# no util-linux command: bpftool prog load PROG.o /sys/fs/bpf/p && bpftool cgroup attach {} device pinned /sys/fs/bpf/p multi",
                    shell_quote(&cgroup.to_string_lossy())
                ),
                tr!("why-attach-device-program", rules = rules.join(", ")),
            ),
        }
    }

    fn apply(&self, _: &mut HostCx) -> SysResult<()> {
        match self {
            ConfineHost::KeepCaps { socket, keep, .. } => {
                let mask = mask_of(keep).map_err(|e| SysError::io("capabilities", std::io::Error::other(e)))?;
                policy::send(socket, Tightening::KeepCaps { mask }, None)
            }
            ConfineHost::NoNewPrivs { socket } => policy::send(socket, Tightening::NoNewPrivs, None),
            ConfineHost::LoadFilter { socket, file, .. } => policy::send(socket, Tightening::Filter, Some(file)),
            ConfineHost::Unconfined => Ok(()),
            ConfineHost::AttachDeviceProgram { cgroup, rules, .. } => {
                let rules =
                    devcg::kernel_rules(rules).map_err(|e| SysError::io("device rules", std::io::Error::other(e)))?;
                devcg::attach(cgroup, &devcg::assemble(&rules))
            }
        }
    }

    /// What the init applies to each process it starts: the script's box
    /// has no init, so the tool that does the same to one command is named.
    fn script(&self, s: &mut StepScript) {
        s.note(format!("# every later command: {}", self.text(s.words()).shell.trim_start_matches("# ")));
    }
}

impl HelperStep for ConfineHelper {
    fn text(&self, w: &Words) -> Text {
        match self {
            ConfineHelper::Mask { path, folder } => {
                let p = path.display().to_string();
                let file_call = MASK_FILE.replace("{p}", &p);
                let dir_call = MASK_DIR.replace("{p}", &p);
                let (file_sh, dir_sh) = (
                    format!("mount --bind /dev/null {}", w.path(path)),
                    format!("mount -t tmpfs -o ro,size=4k tmpfs {}", w.path(path)),
                );
                let (syscall, shell) = match folder {
                    Some(false) => (file_call, file_sh),
                    Some(true) => (dir_call, dir_sh),
                    None => (
                        format!("a file: {file_call}; a folder: {dir_call}"),
                        format!("if [ -d {p} ]; then {dir_sh}; elif [ -e {p} ]; then {file_sh}; fi", p = w.path(path)),
                    ),
                };
                Text::new(syscall, shell, tr!("why-mask", path = p))
            }
            ConfineHelper::ReadOnly { path } if path == Path::new("/") => Text::new(
                "mount_setattr(\"/\", 0, MOUNT_ATTR_RDONLY)",
                format!("mount -o remount,bind,ro {}", w.path(path)),
                tr!("why-read-only-root"),
            ),
            ConfineHelper::ReadOnly { path } => Text::new(
                format!(
                    "open_tree(\"{p}\", OPEN_TREE_CLONE|AT_RECURSIVE); mount_setattr(MOUNT_ATTR_RDONLY, MS_PRIVATE); move_mount(tree, \"{p}\")",
                    p = path.display()
                ),
                format!("mount --rbind {p} {p} && mount -o remount,bind,ro {p}", p = w.path(path)),
                tr!("why-read-only", path = path.display().to_string()),
            ),
        }
    }

    /// The copy of the host's /dev/null that masks files, taken while the
    /// host's /dev is still in view: the box's own /dev/null is the box's to
    /// replace (with a device the box should not read, say).
    fn open_up_front(&self, _: &mut Vec<OwnedFd>) -> Option<SysResult<OwnedFd>> {
        matches!(self, ConfineHelper::Mask { .. }).then(|| mount_tree::clone_tree(Path::new("/dev/null"), false))
    }

    fn apply(&self, _: &mut HelperCx, null: Option<&OwnedFd>) -> SysResult<()> {
        match self {
            ConfineHelper::Mask { path, .. } => match std::fs::metadata(path) {
                // Nothing there in this box: nothing to hide (Docker does the same).
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(SysError::io(format!("stat {}", path.display()), e)),
                Ok(m) if m.is_dir() => mounts::mount_fs("tmpfs", path, true, "size=4k"),
                Ok(_) => mount_tree::attach(
                    null.expect("the null device is cloned up front"),
                    &mount_tree::open_target(path)?,
                ),
            },
            // The root itself (--read-only): the mount at / in place, not a copy
            // over it, which the box's processes (rooted below it) would never see.
            ConfineHelper::ReadOnly { path } if path == Path::new("/") => mount_tree::read_only_in_place(path),
            ConfineHelper::ReadOnly { path } => match mount_tree::clone_tree(path, true) {
                Err(e) if e.errno() == Some(libc::ENOENT) => Ok(()),
                tree => mount_tree::attach(&tree?, &mount_tree::open_target(path)?),
            },
        }
    }

    /// Mounted in the box's mount namespace, below its root filesystem.
    fn script(&self, s: &mut StepScript) {
        let line = self.text(&s.in_box_words()).shell;
        s.inside(line)
    }
}

/// Capability names (`cap_chown`) as the bit mask the box init keeps: made
/// when the step is applied, so the record keeps the names a reader knows.
pub fn mask_of(names: &[String]) -> Result<u64, String> {
    names.iter().try_fold(0u64, |m, n| {
        Ok(m | <caps::Capability as std::str::FromStr>::from_str(n)
            .map_err(|_| format!("unknown capability {n}"))?
            .bitmask())
    })
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
        let op = crate::plan::Op::from(ConfineHelper::ReadOnly { path: "/proc/sys".into() });
        let text = serde_json::to_string(&op).unwrap();
        assert_eq!(text, r#"{"op":"confine","confine":"read_only","path":"/proc/sys"}"#);
        assert_eq!(serde_json::from_str::<crate::plan::Op>(&text).unwrap(), op, "{text}");
        assert!(op.faces().syscall.contains("MOUNT_ATTR_RDONLY"));
    }
}
