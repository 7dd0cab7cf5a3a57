//! Masked and read-only paths: the host kernel's files the box should not
//! read or write.
//!
//! /proc and /sys inside a box are the host kernel's own: /proc/kcore is
//! the kernel's memory, /proc/timer_list and /proc/sched_debug show every
//! process on the host, /proc/sys/kernel/core_pattern names a program the
//! kernel runs as host root when any process dumps core, and a write to
//! /proc/sysrq-trigger can reboot the machine. Docker hides the first kind
//! (a bind of /dev/null over a file, an empty read-only tmpfs over a folder)
//! and makes the second kind read-only, inside the box's mount namespace
//! only. Root with CAP_SYS_ADMIN could unmount either: `caps` closes that.

use super::StageError;
use super::hardening;
use crate::plan::Plan;
use crate::plan::op;
use crate::stage::NamespaceKind;
use crate::state::BoxRecord;
use std::path::{Component, Path};

/// Docker's masked paths (moby's oci/defaults.go).
pub const DOCKER_MASKED: [&str; 11] = [
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];

/// Docker's read-only paths.
pub const DOCKER_READ_ONLY: [&str; 5] = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

/// A path in the box: absolute, plain, not `/`.
pub fn validate(path: &str) -> Result<(), StageError> {
    let bad = |reason: &str| StageError::BadValue { what: "path to mask", value: path.into(), reason: reason.into() };
    let p = Path::new(path);
    if !p.is_absolute() || path.len() > 4096 {
        return Err(bad("give an absolute path inside the box, such as /proc/kcore"));
    }
    if path.chars().any(|c| c.is_control()) || p.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(bad("it holds `..` or a control character"));
    }
    if p.components().all(|c| c == Component::RootDir) {
        return Err(bad("masking / would hide the whole box"));
    }
    Ok(())
}

/// What the init sees at the box's path, through `<proc>/PID/root`:
/// Some(Some(true)) a folder, Some(None) nothing (this kernel has no such
/// file); None: it cannot tell (the init is not in the box's mount namespace).
fn seen(proc_root: &Path, record: &BoxRecord, init: i32, path: &str) -> Option<Option<bool>> {
    let box_mnt = record.namespaces.get(&NamespaceKind::Mnt)?.inode;
    if crate::sys::proc::ns_inode_in(proc_root, init, "mnt") != Some(box_mnt) {
        return None;
    }
    let at = proc_root.join(init.to_string()).join("root").join(path.trim_start_matches('/'));
    Some(std::fs::metadata(at).ok().map(|m| m.is_dir()))
}

/// The plan of `glassbox mask`: a helper enters the box's namespaces and
/// mounts over each path in its mount namespace. What the box has at each
/// path is looked at under `proc_root` (the host's /proc, or a fixture).
pub fn plan(record: &BoxRecord, masked: &[String], read_only: &[String], proc_root: &Path) -> Result<Plan, StageError> {
    let init = hardening::require_init(record, "mask")?;
    if !record.has(NamespaceKind::Mnt) {
        return Err(StageError::NeedsFirst {
            what: format!("mask mounts over paths in the box's own mount table, and box {} has none", record.name),
            fix: format!("glassbox unshare {} mnt", record.name),
        });
    }
    for p in masked {
        validate(p)?;
    }
    // `/` may be made read-only (--read-only), never hidden.
    for p in read_only.iter().filter(|p| p.as_str() != "/") {
        validate(p)?;
    }
    let mut ops = super::join_existing(record);
    // A path this kernel does not have needs no mount (Docker skips it too).
    for p in masked {
        match seen(proc_root, record, init, p) {
            Some(None) => {}
            folder => ops.push(op::Mask { path: p.into(), folder: folder.flatten() }.into()),
        }
    }
    for p in read_only.iter().filter(|p| seen(proc_root, record, init, p) != Some(None)) {
        ops.push(op::ReadOnly { path: p.into() }.into());
    }
    Ok(Plan::new(ops))
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_must_be_plain_and_absolute() {
        assert!(super::validate("/proc/kcore").is_ok());
        for bad in ["proc/kcore", "/", "//", "/proc/../etc", "/a\nb", ""] {
            assert!(super::validate(bad).is_err(), "{bad:?}");
        }
    }
}
