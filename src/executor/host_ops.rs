//! Operations performed by glassbox itself, in the host's namespaces.

use super::{Applied, ApplyOptions, Shared};
use crate::plan::Op;
use crate::stage::NamespaceKind;
use crate::sys::{SysError, SysResult, ids, mounts, netlink, socket};
use std::path::Path;

pub(super) fn apply(
    op: &Op,
    opts: &ApplyOptions,
    shared: &mut Shared,
    applied: &mut Applied,
    helper: Option<i32>,
) -> SysResult<()> {
    let helper = || helper.expect("host operations that name the helper come after it started");
    match op {
        Op::PrivateRuntime { dir } => private_runtime(dir)?,
        Op::PrepareHolds { dir } | Op::MakeDir { path: dir } => mkdir(dir)?,
        Op::MountHolds { dir } => {
            mounts::mount_named(crate::plan::HOLDS_SOURCE, "tmpfs", dir, false, crate::plan::HOLDS_TMPFS)?
        }
        Op::PrepareContainerLayer { upper, work, owner } => {
            mkdir(upper)?;
            mkdir(work)?;
            if let Some(uid) = owner {
                std::os::unix::fs::chown(upper, Some(*uid), Some(*uid))
                    .map_err(|e| SysError::io(format!("chown {}", upper.display()), e))?;
            }
        }
        Op::ListenControl { socket: path } => {
            mkdir(path.parent().expect("a socket lives in a folder"))?;
            shared.listener = Some(socket::listen(path)?);
        }
        Op::CreateBridge { name, address, prefix } => {
            netlink::create_bridge(name)?;
            netlink::add_address(name, *address, *prefix)?;
            netlink::set_up(name)?
        }
        Op::CreateVeth { host, peer, netns } => netlink::create_veth(host, peer, &crate::sys::ns::open(netns)?)?,
        Op::AttachToBridge { link, bridge } => {
            netlink::set_master(link, bridge)?;
            netlink::set_up(link)?
        }
        Op::MakeCgroup { path } => match std::fs::create_dir(path) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(SysError::io(format!("mkdir {}", path.display()), e));
            }
            _ => {}
        },
        Op::WriteCgroup { file, value, .. } => write_file(file, value)?,
        Op::WriteCgroupIfPresent { file, value, .. } => {
            if file.exists() {
                write_file(file, value)?
            }
        }
        Op::MapIds { file, inside, outside, count } => ids::write_id_map(helper(), file, *inside, *outside, *count)?,
        Op::Hold { kind, path } => hold(*kind, helper(), path)?,
        Op::Release { path, .. } => {
            mounts::umount_detach(path)?;
            let _ = std::fs::remove_file(path);
        }
        Op::Confine(c) => super::confine_ops::host(c)?,
        Op::AskInit { socket: path, joins, argv, process } => {
            applied.asking = Some(crate::init::client::ask(path, joins, argv, process, opts.stdio, opts.tty)?);
        }
        other => unreachable!("{other:?} is a helper operation"),
    }
    Ok(())
}

fn write_file(file: &Path, value: &str) -> SysResult<()> {
    std::fs::write(file, value).map_err(|e| SysError::io(format!("write {value:?} to {}", file.display()), e))
}

fn mkdir(dir: &Path) -> SysResult<()> {
    std::fs::create_dir_all(dir).map_err(|e| SysError::io(format!("mkdir -p {}", dir.display()), e))
}

/// The runtime folder becomes a mount of its own with private propagation,
/// so the holds made below it never appear in another mount namespace (the
/// same thing `ip netns` does for /run/netns).
fn private_runtime(dir: &Path) -> SysResult<()> {
    crate::state::private::make_private_dir(dir)
        .map_err(|e| SysError::io(format!("mkdir -p -m 700 {}", dir.display()), e))?;
    // The first steps of two boxes of one root at once would each see no
    // mount and mount one each, stacking two: one at a time. The folder is
    // its own lock: whoever opened it before the tmpfs was mounted has the
    // folder below, and whoever opened it after sees the mount.
    let folder = std::fs::File::open(dir).map_err(|e| SysError::io(format!("open {}", dir.display()), e))?;
    crate::sys::fd::lock_exclusive(&folder)?;
    if !mounts::is_mount_point(dir) {
        mounts::mount_fs("tmpfs", dir, false, crate::plan::RUNTIME_TMPFS)?;
    }
    mounts::make_private(dir, false)
}

/// Bound from glassbox's own mount namespace: the kernel lets it bind a
/// mount namespace only if that one's id is above its own, which the
/// helper saw to when it made it (`ns::unshare_mount_holdable_by`).
fn hold(kind: NamespaceKind, helper: i32, path: &Path) -> SysResult<()> {
    let file = if kind == NamespaceKind::Time { "time_for_children" } else { kind.proc_file() };
    std::fs::File::create(path).map_err(|e| SysError::io(format!("touch {}", path.display()), e))?;
    mounts::bind(&Path::new("/proc").join(helper.to_string()).join("ns").join(file), path)
}
