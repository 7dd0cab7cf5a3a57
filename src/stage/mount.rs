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

use crate::plan::Op;
use crate::stage::NamespaceKind;

/// The scratch copy, cleaned while still root of the host.
pub fn prepare_copy() -> Vec<Op> {
    vec![Op::Unshare { kind: NamespaceKind::Mnt }, Op::MakeRprivate, Op::DetachHandles]
}

pub fn setup(user_involved: bool) -> Vec<Op> {
    if user_involved { vec![] } else { vec![Op::MakeRprivate, Op::DetachHandles] }
}
