//! Hardening: what stops root in a box from reaching the host.
//!
//! A box is not a virtual machine: its processes make system calls to the
//! host's own kernel, and namespaces only change what some of those calls
//! see. Root in a box with every capability can still load a kernel module,
//! write /proc/sys/kernel/core_pattern (which the kernel runs as host root
//! on the next crash), mknod the host's disk and mount it. Docker closes
//! these doors with five more layers, and glassbox makes each one a step:
//!
//! - `caps`: the capabilities (root's powers, one by one) a process keeps;
//! - `nnp`: no_new_privs, so no execve (setuid, file capabilities) adds any;
//! - `seccomp`: a filter the kernel runs at every system call;
//! - `devices`: which device nodes the box may open (a cgroup rule);
//! - `mask`: kernel files hidden (/proc/kcore) or read-only (/proc/sys).
//!
//! The first three are properties of a process that only the process itself
//! can take on, so they are recorded here as the box's policy and applied
//! by the box init to every process it starts (`init::policy`): a box needs
//! an init, and processes already running keep what they had. The last two
//! act on the box as a whole at once: a cgroup rule holds for every process
//! in the cgroup, a mount for every process in the mount namespace.
//! None of them can be undone short of rebuilding the box.

use super::StageError;
pub use crate::domain::hardening::{DevicesRecord, FilterRecord, Hardening, MaskRecord};
use crate::state::{BoxRecord, BoxState};

/// Every hardening step acts through the box init, or on a box that has one.
pub fn require_init(record: &BoxRecord, verb: &str) -> Result<i32, StageError> {
    let name = &record.name;
    let Some(init) = record.init else {
        return Err(StageError::NeedsFirst {
            what: format!(
                "{verb} hardens the processes the box init starts, and box {name} has no init (no PID namespace)"
            ),
            fix: format!("give it one first: glassbox unshare {name} pid mnt"),
        });
    };
    if record.state() == BoxState::Stopped {
        return Err(StageError::Stopped { name: name.clone() });
    }
    Ok(init.pid)
}

/// The capabilities the box's processes get now: the recorded policy, or
/// else the init's bounding set (what root in the box can have).
pub fn current_caps(record: &BoxRecord) -> u64 {
    if let Some(names) = &record.hardening.caps {
        return super::caps::mask_of(names).unwrap_or(0);
    }
    record
        .init
        .and_then(|i| crate::sys::confine::proc_confinement(i.pid))
        .map_or(u64::MAX >> (63 - crate::sys::confine::last_cap()), |c| c.bounding)
}

/// Whether a process may load a seccomp filter under this policy: with
/// no_new_privs, or with CAP_SYS_ADMIN.
pub fn may_load_filter(no_new_privs: bool, caps: u64) -> bool {
    no_new_privs || caps & caps::Capability::CAP_SYS_ADMIN.bitmask() != 0
}

/// The refusal of an order the kernel would refuse: a filter without
/// no_new_privs and without CAP_SYS_ADMIN (seccomp(2), EACCES).
pub fn filter_needs_nnp(name: &str, what: &str) -> StageError {
    StageError::NeedsFirst {
        what: format!(
            "{what}: the kernel loads a seccomp filter only into a process with no_new_privs or CAP_SYS_ADMIN (seccomp(2)), \
             so no command could start in box {name}"
        ),
        fix: format!("set no_new_privs first: glassbox nnp {name}"),
    }
}
