//! Volumes: a host folder attached at a path in the box. Before `rootfs`
//! a bind mount into the new root; on a running box, a detached copy of
//! the folder's mount taken on the host (open_tree(2)) and attached inside
//! (move_mount(2)) — see `stage::volume`.

use super::apply::HelperCx;
use super::op::{HelperStep, Text, Words};
use super::script::StepScript;
use crate::i18n::tr;
use crate::output::escape::shell_word;
use crate::sys::{SysError, SysResult, mount_tree, mounts};
use serde::{Deserialize, Serialize};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum VolumesHelper {
    /// Attach a host folder (a volume) at a path in the box, resolved
    /// with `root` as `/`: the box's root filesystem, built or in use.
    MountVolume {
        source: PathBuf,
        #[serde(default = "slash")]
        root: PathBuf,
        target: PathBuf,
        read_only: bool,
    },
    /// Detach a volume from the box.
    UnmountVolume { target: PathBuf },
}

/// Where a volume recorded before `MountVolume` had a root was resolved.
fn slash() -> PathBuf {
    PathBuf::from("/")
}

impl HelperStep for VolumesHelper {
    fn text(&self, w: &Words) -> Text {
        match self {
            VolumesHelper::MountVolume { source, root, target, read_only } => Text::new(
                format!(
                    "open_tree(\"{}\", OPEN_TREE_CLONE|AT_RECURSIVE) before entering; mount_setattr(MS_PRIVATE{}); mkdir -p and openat2(\"{}\", \"{t}\", RESOLVE_IN_ROOT); move_mount(tree, that folder)",
                    source.display(),
                    if *read_only { ", MOUNT_ATTR_RDONLY" } else { "" },
                    root.display(),
                    t = target.display()
                ),
                {
                    let inside = format!("<rootfs>{}", w.path(target));
                    format!(
                        "# no util-linux 2.38 command: after pivot_root {} is not visible inside; before it: mount --bind {} {inside}{}",
                        source.display(),
                        w.path(source),
                        if *read_only { format!(" && mount -o remount,bind,ro {inside}") } else { String::new() }
                    )
                },
                tr!("why-mount-volume"),
            ),
            VolumesHelper::UnmountVolume { target } => Text::new(
                format!("umount2(\"{}\", MNT_DETACH)", target.display()),
                format!("umount -l {}", w.path(target)),
                tr!("why-unmount-volume"),
            ),
        }
    }

    /// A volume's source is a host path: clone it now, before a later setns
    /// hides the host's folders.
    fn open_up_front(&self, _: &mut Vec<OwnedFd>) -> Option<SysResult<OwnedFd>> {
        match self {
            VolumesHelper::MountVolume { source, read_only, .. } => Some(mount_tree::clone_tree(source, *read_only)),
            VolumesHelper::UnmountVolume { .. } => None,
        }
    }

    fn apply(&self, _: &mut HelperCx, opened: Option<&OwnedFd>) -> SysResult<()> {
        match self {
            VolumesHelper::MountVolume { root, target, .. } => {
                let dir = volume_folder(root, target)?;
                mount_tree::attach(opened.expect("every volume is cloned up front"), &dir)
            }
            VolumesHelper::UnmountVolume { target } => unmount_volume(target),
        }
    }

    /// The script binds the host folder before the box's root is pivoted
    /// (it pivots last, see `rootfs`), where the host's paths are still in
    /// view: then `mount --bind` does what open_tree and move_mount do.
    fn script(&self, s: &mut StepScript) {
        match self {
            VolumesHelper::MountVolume { source, root, target, read_only } => {
                let at = in_box(s, root, target);
                let ro = if *read_only { format!(" && mount -o remount,bind,ro {at}") } else { String::new() };
                s.inside(format!("mkdir -p {at} && mount --bind {} {at}{ro}", s.words().path(source)));
            }
            VolumesHelper::UnmountVolume { target } => {
                let at = in_box(s, Path::new("/"), target);
                s.inside(format!("umount -l {at}"))
            }
        }
    }
}

/// `target` as the script reaches it: below the root filesystem being
/// built, or (a box without one) in the mount namespace as it is.
fn in_box(s: &StepScript, root: &Path, target: &Path) -> String {
    let inside = target.strip_prefix("/").unwrap_or(target);
    match (root == Path::new("/"), s.box_root()) {
        (true, Some(built)) => format!("{built}/{}", shell_word(&inside.to_string_lossy())),
        _ => s.words().path(&root.join(inside)),
    }
}

/// The folder a volume goes on: `target` made (if missing) and resolved
/// with `root` as `/`. An image symlink that resolves it to the root itself
/// (`/data -> ..`) would put the volume in place of the box's whole tree.
fn volume_folder(root: &Path, target: &Path) -> SysResult<OwnedFd> {
    let root = mount_tree::open_dir(root)?;
    mount_tree::mkdir_in_root(&root, target)?;
    let dir = mount_tree::open_in_root(&root, target)?;
    if mount_tree::same_folder(&dir, &root)? {
        return Err(SysError::io(
            format!("{} leads to the box's / (through a symlink of the image)", target.display()),
            std::io::Error::from_raw_os_error(libc::EINVAL),
        ));
    }
    Ok(dir)
}

/// A volume attached with the root filesystem of a box with a user
/// namespace is locked to it (see `mount_tree`): no one can unmount it there.
/// `volume rm` deletes its folder next, which leaves the box an empty
/// folder it cannot write in.
fn unmount_volume(target: &Path) -> SysResult<()> {
    match mounts::umount_detach(target) {
        Err(e) if e.errno() == Some(libc::EINVAL) => Ok(()),
        other => other,
    }
}
