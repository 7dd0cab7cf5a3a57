//! Mount namespace: a private copy of the mount table (mount_namespaces(7)).
//!
//! A new mount namespace starts as a *copy* of its creator's mounts, with
//! their propagation: on a systemd host `/` is shared, so a mount made inside
//! would travel back to the host. Making everything private first stops that
//! (`unshare --mount` does it by default). The copy also contains every
//! namespace handle bind-mounted on the host (other boxes' holds, `ip netns`
//! files); glassbox detaches them so this box does not keep those namespaces
//! alive.
//!
//! With a user namespace there is a catch: mounts copied into a mount
//! namespace owned by a less privileged user namespace are *locked* together
//! and can no longer be unmounted one by one. So the cleaning is done first,
//! in a scratch mount namespace still owned by the host, and the box's own
//! mount namespace is then copied from that clean one.
//!
//! The same rule is what keeps glassbox's read-only mounts read-only. Root
//! in a box with a user namespace has CAP_SYS_ADMIN over the box's mount
//! namespace, so a mount glassbox merely *sets* read-only there it could
//! `mount -o remount,rw`. So a tree of mounts for the box (its root
//! filesystem, a volume added later) is built in a scratch mount namespace
//! owned by the host, copied from a mount namespace the box's user namespace
//! owns — the copy that locks it — and only then attached in the box's own.
//! Building apart has a second use: a step that fails half way leaves the
//! box's mount table as it was.

use crate::plan::Op;
use crate::plan::op;
use crate::stage::NamespaceKind;
use crate::state::BoxRecord;
use std::path::Path;

/// The scratch copy, cleaned while still root of the host.
pub fn prepare_copy() -> Vec<Op> {
    vec![
        op::Unshare { kind: NamespaceKind::Mnt }.into(),
        crate::plan::Op::from(op::MakeRprivate),
        crate::plan::Op::from(op::DetachHandles),
    ]
}

pub fn setup(user_involved: bool) -> Vec<Op> {
    if user_involved {
        vec![]
    } else {
        vec![crate::plan::Op::from(op::MakeRprivate), crate::plan::Op::from(op::DetachHandles)]
    }
}

/// Hands the tree built at `path` (in a scratch namespace, see
/// [`op::ScratchMounts`]) to the box's mount namespace: copied (locked, when
/// the box has a user namespace), then attached at the same path there.
pub fn hand_over(record: &BoxRecord, path: &Path) -> Vec<Op> {
    let handle = record.handle(NamespaceKind::Mnt).expect("a box with mounts to hand over has a mount namespace");
    vec![
        op::CopyTree { path: path.to_path_buf(), lock_with: record.handle(NamespaceKind::User) }.into(),
        op::Join { kind: NamespaceKind::Mnt, handle }.into(),
        op::AttachTree { target: path.to_path_buf() }.into(),
    ]
}
