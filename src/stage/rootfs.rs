//! Root filesystem: the box's own `/`, stacked from layers with overlayfs
//! and made the root of its mount namespace with pivot_root(2).
//!
//! overlayfs (filesystems/overlayfs in the kernel docs) merges read-only
//! *lower* folders (the image's layers, the top one wins) with one writable
//! *upper* folder, the container layer: a write copies the file up, a delete
//! leaves a whiteout. pivot_root then swaps the mount namespace's root for
//! the overlay and the old root is detached, which is what makes it a
//! container and not a chroot: a chroot can be escaped with a second chroot
//! and `..`, a detached root cannot be reached at all.
//!
//! The mounts are made by a helper that is still root of the host (it does
//! not enter the box's user namespace), so it can mount any filesystem; in
//! a user namespace the image's files then belong to uids the box does not
//! map, and show as `nobody`. It builds the tree in a scratch copy of the
//! box's mount namespace and hands it over whole before pivot_root (see
//! `mount`), so the read-only /sys and read-only volumes are locked.

use super::{NamespaceKind, StageError};
use crate::plan::op;
use crate::plan::{Op, Plan};
use crate::state::{BoxRecord, Root};
use std::path::{Path, PathBuf};

/// Device nodes a program expects in /dev; none of them reaches the host.
const DEVICES: [&str; 6] = ["null", "zero", "full", "random", "urandom", "tty"];

/// overlayfs splits its options at `,` and its lowerdir at `:`, and `\`
/// escapes: a path holding one would become extra options.
pub fn check_overlay_path(path: &Path) -> Result<(), StageError> {
    let text = path.display().to_string();
    if text.contains([',', ':', '\\']) {
        return Err(StageError::BadValue {
            what: "layer path",
            value: text,
            reason: "it contains ',', ':' or '\\', which overlayfs would read as options; use a --root without them"
                .into(),
        });
    }
    Ok(())
}

/// The commands that give a box its root filesystem from where it stands:
/// `rootfs` needs a mount namespace first.
pub fn rootfs_commands(name: &str, has_mnt: bool, image: &str) -> String {
    let rootfs = format!("glassbox rootfs {name} {image}");
    if has_mnt { rootfs } else { format!("glassbox unshare {name} mnt && {rootfs}") }
}

pub fn check(record: &BoxRecord) -> Result<(), StageError> {
    if !record.has(NamespaceKind::Mnt) {
        return Err(StageError::NeedsFirst {
            what: "rootfs-needs-mnt".into(),
            fix: format!("glassbox unshare {} mnt", record.name),
        });
    }
    super::share::check_own_mounts(record, "rootfs")?;
    if record.rootfs_mounted {
        return Err(StageError::NeedsFirst {
            what: format!(
                "box {} already has a root filesystem (image {})",
                record.name,
                record.image.as_deref().unwrap_or("?")
            ),
            fix: format!("glassbox rm --force {0} && glassbox create {0}", record.name),
        });
    }
    Ok(())
}

/// The plan of `rootfs BOX IMAGE`; `lower` is the stack's trees, top first.
pub fn plan(root: &Root, record: &BoxRecord, lower: Vec<PathBuf>) -> Result<Plan, StageError> {
    check(record)?;
    let (upper, work) = root.container_layer(&record.name);
    for p in lower.iter().chain([&upper, &work]) {
        check_overlay_path(p)?;
    }
    let target = root.rootfs_mount(&record.name);
    let owner = record.id_map.as_ref().map(|m| m.outside);
    let mut ops = vec![
        op::PrepareContainerLayer { upper: upper.clone(), work: work.clone(), owner }.into(),
        op::MakeDir { path: target.clone() }.into(),
    ];
    // Enter mnt (where to mount), net (whose /sys to show) and pid (whose
    // /proc to show); not user: the mounts are made as the host's root.
    for kind in [NamespaceKind::Mnt, NamespaceKind::Net, NamespaceKind::Pid] {
        if let Some(handle) = record.handle(kind) {
            ops.push(op::Join { kind, handle }.into());
        }
    }
    // Built apart, then handed over whole (see `mount`): locked for a box
    // with a user namespace, and nothing half built if a mount fails.
    ops.push(crate::plan::Op::from(op::ScratchMounts));
    ops.push(op::MountOverlay { lower, upper, work, target: target.clone() }.into());
    ops.extend(filesystems(&target));
    // Volumes go in last, resolved inside the new root.
    ops.extend(record.volumes.iter().map(|m| super::volume::mount_op(root, m, &target)));
    ops.extend(super::mount::hand_over(record, &target));
    ops.push(op::PivotRoot { new_root: target }.into());
    Ok(Plan::new(ops))
}

/// Whether a `rootfs` plan that failed at operation `failed` (1-based, as
/// [`crate::executor::ApplyError`] counts) left the box's mount
/// namespace as it was: everything up to the hand-over happens apart, and
/// an attach that fails attaches nothing.
pub fn failure_left_box_as_it_was(plan: &Plan, failed: usize) -> bool {
    plan.ops
        .iter()
        .position(|o| matches!(o.as_rootfs_helper(), Some(op::AttachTree { .. })))
        .is_some_and(|attach| failed <= attach + 1)
}

fn fs(fstype: &str, target: PathBuf, options: &str, read_only: bool) -> Op {
    op::MountFs { fstype: fstype.into(), target, options: options.into(), read_only }.into()
}

/// /proc, a minimal /dev, a read-only /sys and /tmp, inside the new root.
fn filesystems(root: &Path) -> Vec<Op> {
    let at = |p: &str| root.join(p);
    let mut ops = vec![];
    for d in ["proc", "dev", "sys", "tmp"] {
        ops.push(op::EnsureDir { path: at(d) }.into());
    }
    ops.push(op::MountProc { target: at("proc") }.into());
    ops.push(fs("tmpfs", at("dev"), "mode=755,size=1m", false));
    for name in DEVICES {
        ops.push(op::BindDevice { name: name.into(), target: at("dev").join(name) }.into());
    }
    ops.push(op::EnsureDir { path: at("dev/pts") }.into());
    ops.push(fs("devpts", at("dev/pts"), "newinstance,ptmxmode=0666,mode=0620", false));
    ops.push(op::Symlink { link: at("dev/ptmx"), to: "pts/ptmx".into() }.into());
    ops.push(op::EnsureDir { path: at("dev/shm") }.into());
    ops.push(fs("tmpfs", at("dev/shm"), "mode=1777,size=64m", false));
    ops.push(fs("sysfs", at("sys"), "", true));
    ops.push(fs("tmpfs", at("tmp"), "mode=1777", false));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_paths_with_option_characters_are_refused() {
        assert!(check_overlay_path(Path::new("/var/lib/glassbox/layers/sha256-ab/fs")).is_ok());
        for bad in ["/tmp/a,upperdir=/etc", "/tmp/a:b", "/tmp/a\\b"] {
            assert!(check_overlay_path(Path::new(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn mount_points_are_made_safe_before_mounting() {
        let ops = filesystems(Path::new("/r"));
        let pos = |want: &Op| ops.iter().position(|o| o == want).unwrap();
        let dev = PathBuf::from("/r/dev");
        assert!(pos(&op::EnsureDir { path: dev.clone() }.into()) < pos(&fs("tmpfs", dev, "mode=755,size=1m", false)));
    }
}
