//! Volume: a host folder bind-mounted into the box (mount(2) bind mounts,
//! and the newer open_tree(2) / move_mount(2)).
//!
//! A bind mount makes a folder visible at a second place; the data is the
//! same inode, so writes skip the box's overlay and its container layer.
//! Before `rootfs`, a volume is only recorded, and `rootfs` mounts it into the
//! new root. After it, the host's paths are no longer visible inside the box
//! (the root was pivoted away), so glassbox takes a detached copy of the
//! folder's mount with open_tree while still on the host, then enters the
//! box's mount namespace and attaches it with move_mount — which is how a
//! volume can be added to a *running* box. The target path is resolved inside
//! the box's own root, so an image symlink such as `/data -> /etc` can only
//! lead to the box's `/etc`, never the host's.

use super::{NamespaceKind, StageError};
use crate::plan::op;
use crate::plan::{Op, Plan};
use crate::state::{BoxRecord, Root};
use crate::volume::{self, VolumeMount};
use std::path::Path;

pub fn check(record: &BoxRecord, m: &VolumeMount) -> Result<(), StageError> {
    if !record.has(NamespaceKind::Mnt) {
        return Err(StageError::NeedsFirst {
            what: "volume add needs a mount namespace first, or the bind mount would land on the host".into(),
            fix: format!("glassbox unshare {} mnt", record.name),
        });
    }
    super::share::check_own_mounts(record, "volume add")?;
    if let Some(other) = record.volumes.iter().find(|v| v.target == m.target) {
        return Err(StageError::BadValue {
            what: "volume target",
            value: m.target.display().to_string(),
            reason: format!("box {} already has a volume there ({:?}); pick another path", record.name, other.source),
        });
    }
    Ok(())
}

/// The mount of one volume, its target resolved with `in_root` as `/`.
pub fn mount_op(root: &Root, m: &VolumeMount, in_root: &Path) -> Op {
    op::MountVolume {
        source: volume::host_path(root, m),
        root: in_root.to_path_buf(),
        target: m.target.clone(),
        read_only: m.read_only,
    }
    .into()
}

/// `volume add`: mounted now when the box has its root filesystem, else at
/// `rootfs`. With a user namespace it is mounted apart and handed over
/// locked (see `mount`), else directly in the box's mount namespace.
pub fn plan_add(root: &Root, record: &BoxRecord, m: &VolumeMount) -> Result<Plan, StageError> {
    check(record, m)?;
    if !record.rootfs_mounted {
        return Ok(Plan::default());
    }
    let handle = record.handle(NamespaceKind::Mnt).expect("checked above");
    let box_root = Path::new("/");
    let mut ops = vec![op::Join { kind: NamespaceKind::Mnt, handle }.into()];
    if record.has(NamespaceKind::User) {
        ops.push(crate::plan::Op::from(op::ScratchMounts));
        ops.push(mount_op(root, m, box_root));
        ops.extend(super::mount::hand_over(record, &m.target));
    } else {
        ops.push(mount_op(root, m, box_root));
    }
    Ok(Plan::new(ops))
}

/// Detaching a volume from a box whose root filesystem is mounted.
pub fn plan_remove(record: &BoxRecord, m: &VolumeMount) -> Plan {
    match (record.rootfs_mounted, record.handle(NamespaceKind::Mnt)) {
        (true, Some(handle)) => Plan::new(vec![
            op::Join { kind: NamespaceKind::Mnt, handle }.into(),
            op::UnmountVolume { target: m.target.clone() }.into(),
        ]),
        _ => Plan::default(),
    }
}
