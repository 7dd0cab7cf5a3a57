//! Applying the hardening operations (see `plan::confine`): messages to the
//! box init on the host's side, mounts inside the box's mount namespace on
//! the helper's.

use crate::init::policy::{self, Tightening};
use crate::plan::confine::ConfineOp;
use crate::sys::{SysError, SysResult, devcg, mount_tree, mounts};
use std::os::fd::OwnedFd;
use std::path::Path;

pub(super) fn host(op: &ConfineOp) -> SysResult<()> {
    match op {
        ConfineOp::KeepCaps { socket, keep, .. } => {
            let mask = crate::stage::caps::mask_of(keep)
                .map_err(|e| SysError::io("capabilities", std::io::Error::other(e)))?;
            policy::send(socket, Tightening::KeepCaps { mask }, None)
        }
        ConfineOp::NoNewPrivs { socket } => policy::send(socket, Tightening::NoNewPrivs, None),
        ConfineOp::LoadFilter { socket, file, .. } => policy::send(socket, Tightening::Filter, Some(file)),
        ConfineOp::Unconfined => Ok(()),
        ConfineOp::AttachDeviceProgram { cgroup, rules, .. } => {
            let rules = crate::stage::devices::kernel_rules(rules)
                .map_err(|e| SysError::io("device rules", std::io::Error::other(e)))?;
            devcg::attach(cgroup, &devcg::assemble(&rules))
        }
        other => unreachable!("{other:?} is a helper operation"),
    }
}

/// The copy of the host's /dev/null that masks files, taken while the
/// host's /dev is still in view: the box's own /dev/null is the box's to
/// replace (with a device the box should not read, say).
pub(super) fn open_up_front(op: &ConfineOp) -> Option<SysResult<OwnedFd>> {
    matches!(op, ConfineOp::Mask { .. }).then(|| mount_tree::clone_tree(Path::new("/dev/null"), false))
}

pub(super) fn helper(op: &ConfineOp, null: Option<&OwnedFd>) -> SysResult<()> {
    match op {
        ConfineOp::Mask { path, .. } => match std::fs::metadata(path) {
            // Nothing there in this box: nothing to hide (Docker does the same).
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(SysError::io(format!("stat {}", path.display()), e)),
            Ok(m) if m.is_dir() => mounts::mount_fs("tmpfs", path, true, "size=4k"),
            Ok(_) => {
                mount_tree::attach(null.expect("the null device is cloned up front"), &mount_tree::open_target(path)?)
            }
        },
        // The root itself (--read-only): the mount at / in place, not a copy
        // over it, which the box's processes (rooted below it) would never see.
        ConfineOp::ReadOnly { path } if path == Path::new("/") => mount_tree::read_only_in_place(path),
        ConfineOp::ReadOnly { path } => match mount_tree::clone_tree(path, true) {
            Err(e) if e.errno() == Some(libc::ENOENT) => Ok(()),
            tree => mount_tree::attach(&tree?, &mount_tree::open_target(path)?),
        },
        other => unreachable!("{other:?} is a host operation"),
    }
}
