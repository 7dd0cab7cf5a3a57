//! unshare(2), setns(2) and the nsfs files under /proc/PID/ns.
//!
//! A namespace is a kernel object; the files under `/proc/PID/ns/` are
//! handles to it, and their inode number is its identity (`lsns` prints
//! the same number). Opening one gives a descriptor that setns(2) accepts, and
//! bind-mounting one keeps the namespace alive with no process in it.

use super::{SysError, SysResult};
use nix::sched::CloneFlags;
use rustix::thread::CpuSet;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub fn unshare(flags: libc::c_int, name: &str) -> SysResult<()> {
    nix::sched::unshare(CloneFlags::from_bits_retain(flags))
        .map_err(|e| SysError::io(format!("unshare({name})"), e.into()))
}

pub fn setns(fd: &OwnedFd, flags: libc::c_int, name: &str) -> SysResult<()> {
    nix::sched::setns(fd, CloneFlags::from_bits_retain(flags))
        .map_err(|e| SysError::io(format!("setns({name})"), e.into()))
}

/// The namespace's identity: the inode number of an nsfs file.
pub fn inode(path: &Path) -> SysResult<u64> {
    std::fs::metadata(path).map(|m| m.ino()).map_err(|e| super::SysError::io(format!("stat {}", path.display()), e))
}

/// Opens a namespace handle (a hold file or /proc/PID/ns/KIND) for setns.
pub fn open(path: &Path) -> SysResult<OwnedFd> {
    super::fd::open_read(path)
}

/// NS_GET_MNTNS_ID from linux/nsfs.h: `_IOR(0xb7, 0x5, __u64)`, Linux 6.8+.
const NS_GET_MNTNS_ID: libc::c_ulong = 0x8008_b705;

/// The kernel's id of this process's mount namespace (not its inode: the
/// number the kernel orders namespaces by); `None` before Linux 6.8.
pub fn own_mount_ns_id() -> Option<u64> {
    let fd = open(Path::new("/proc/self/ns/mnt")).ok()?;
    let mut id: u64 = 0;
    // SAFETY: the ioctl writes one u64 through a pointer to a live local.
    // Neither rustix nor nix names NS_GET_MNTNS_ID (Linux 6.8).
    let r = unsafe { libc::ioctl(fd.as_raw_fd(), NS_GET_MNTNS_ID, &mut id) };
    (r == 0).then_some(id)
}

/// Namespace ids spent at a time, and how many times, before giving up.
const SPEND: usize = 4096;
const SPEND_ROUNDS: usize = 4;

/// unshare(CLONE_NEWNS), making a namespace that a process whose own mount
/// namespace has the id `holder` may hold by a bind mount.
///
/// The kernel's rule (fs/namespace.c, `mnt_ns_loop()` in `do_loopback()`):
/// `mount --bind /proc/PID/ns/mnt FILE` is refused with EINVAL unless the
/// namespace bound has a larger id than the binder's own mount namespace,
/// so that no namespace can hold itself or, through others, a chain back
/// to itself. Up to Linux 6.17 ids came from one counter, and a namespace
/// made after glassbox started always had a larger one. Since 6.18 ("mnt:
/// support ns lookup") every kind of namespace takes its id from per-CPU
/// batches of 4096 (`gen_cookie_next()`): one made later on another CPU can
/// get a smaller id than glassbox's own namespace, when glassbox runs in a
/// mount namespace of its own (a service with private mounts, a CI runner,
/// a container). So, when that happens here, this CPU's batch is spent by
/// a child making throwaway UTS namespaces (the cheapest kind, and the
/// child's, not ours) and the mount namespace is made again: a CPU that
/// starts a new batch gets ids above every one handed out before, the
/// holder's included. The process stays on one CPU meanwhile, so the batch
/// spent is the one it draws from next.
pub fn unshare_mount_holdable_by(holder: Option<u64>) -> SysResult<()> {
    let unshare_mnt = || unshare(libc::CLONE_NEWNS, "CLONE_NEWNS");
    unshare_mnt()?;
    let Some(holder) = holder else { return Ok(()) };
    let holdable = || own_mount_ns_id().is_none_or(|id| id > holder);
    if holdable() {
        return Ok(());
    }
    let allowed = affinity()?;
    pin_to_this_cpu()?;
    let made = (|| {
        for _ in 0..SPEND_ROUNDS {
            spend_namespace_ids(SPEND)?;
            unshare_mnt()?;
            if holdable() {
                return Ok(());
            }
        }
        let why = format!(
            "unshare(CLONE_NEWNS): the new namespace's id stays below glassbox's own ({holder}), so no bind mount may hold it"
        );
        Err(SysError::io(why, std::io::Error::from_raw_os_error(libc::EINVAL)))
    })();
    set_affinity(&allowed)?;
    made
}

fn spend_namespace_ids(count: usize) -> SysResult<()> {
    super::process::in_child(|| (0..count).try_for_each(|_| unshare(libc::CLONE_NEWUTS, "CLONE_NEWUTS")))
}

fn affinity() -> SysResult<CpuSet> {
    rustix::thread::sched_getaffinity(None).map_err(super::fd::sys("sched_getaffinity"))
}

fn set_affinity(set: &CpuSet) -> SysResult<()> {
    rustix::thread::sched_setaffinity(None, set).map_err(super::fd::sys("sched_setaffinity"))
}

fn pin_to_this_cpu() -> SysResult<()> {
    let mut only = CpuSet::new();
    only.set(rustix::thread::sched_getcpu());
    set_affinity(&only)
}
