//! Detached mount trees — open_tree(2), mount_setattr(2), move_mount(2) —
//! and paths resolved inside a box's root with openat2(2).
//!
//! `open_tree(OPEN_TREE_CLONE)` copies the mounts at a path into a tree that
//! is attached nowhere and held by a descriptor; `move_mount` attaches it,
//! in whatever mount namespace the caller is in by then. That is how
//! glassbox hands a box a host folder the box's root no longer shows, and
//! how a root filesystem built apart (in a scratch mount namespace) joins
//! the box's own mount table in one step, or not at all.
//!
//! A read-only flag set this way can be cleared again by anyone with
//! CAP_SYS_ADMIN over the mount namespace — and root in a box with a user
//! namespace has it over the box's. The kernel *locks* mounts only when it
//! copies them into a mount namespace owned by a less privileged user
//! namespace (mount_namespaces(7), "Restrictions on mount namespaces"):
//! every flag then set (read-only, nosuid, nodev, noexec) can no longer be
//! cleared, and every mount below the copied tree's top is locked to its
//! parent (umount fails). A copy of a locked mount keeps its flags locked.
//! So a tree the box must not change is copied once more from a mount
//! namespace that the box's user namespace owns, and that copy is attached.
//!
//! A path in the box is resolved with `RESOLVE_IN_ROOT`: the root folder
//! acts as `/` for the whole walk, so an image symlink `/data -> /etc` or
//! `-> ../../..` leads to the box's `/etc` or `/`, never the host's.

use super::fd::{sys, sys_with};
use super::process::{Exit, Forked, exit_now, fork, wait};
use super::{SysError, SysResult, socket};
use rustix::fs::{CWD, Mode, OFlags, ResolveFlags};
use rustix::io::Errno;
use rustix::mount::{MoveMountFlags, OpenTreeFlags};
use std::ffi::CStr;
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::path::{Component, Path, PathBuf};

/// struct mount_attr of mount_setattr(2), which neither rustix nor nix wraps.
#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

fn errno(n: i32) -> std::io::Error {
    std::io::Error::from_raw_os_error(n)
}

/// A folder as an O_PATH descriptor: a place to resolve from or mount on.
pub fn open_dir(path: &Path) -> SysResult<OwnedFd> {
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
    rustix::fs::open(path, flags, Mode::empty()).map_err(sys_with(|| format!("open {}", path.display())))
}

/// The folder at `path` with `root` as `/` for the whole walk: symlinks,
/// absolute or with `..`, stay inside it; magic links (/proc/PID/fd/N) are
/// refused outright.
pub fn open_in_root(root: &OwnedFd, path: &Path) -> SysResult<OwnedFd> {
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let resolve = ResolveFlags::IN_ROOT | ResolveFlags::NO_MAGICLINKS;
    // A `..` is walked only if no rename or mount happened anywhere on the
    // machine meanwhile, else openat2 says EAGAIN and asks to be retried.
    let mut tries = 0;
    loop {
        match rustix::fs::openat2(root, path, flags, Mode::empty(), resolve) {
            Err(Errno::AGAIN) if tries < 1000 => tries += 1,
            other => return other.map_err(sys_with(|| format!("openat2({}, RESOLVE_IN_ROOT)", path.display()))),
        }
    }
}

/// Writes a whole file at `dir/name` with `root` as `/` (the folder made
/// if missing): an image's symlink for the folder stays inside the root,
/// and the file itself is never opened through a symlink.
pub fn write_in_root(root: &OwnedFd, dir: &Path, name: &std::ffi::CStr, data: &[u8]) -> SysResult<()> {
    mkdir_in_root(root, dir)?;
    let dirfd = open_in_root(root, dir)?;
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let what = || format!("write {}/{} (inside the box)", dir.display(), name.to_string_lossy());
    let fd = rustix::fs::openat(&dirfd, name, flags, Mode::from_raw_mode(0o644)).map_err(sys_with(what))?;
    let mut file = std::fs::File::from(fd);
    std::io::Write::write_all(&mut file, data).map_err(|e| SysError::io(what(), e))
}

/// `mkdir -p` inside `root`, also through a dangling symlink of the image:
/// its target is made, resolved from the root as the box will resolve it.
pub fn mkdir_in_root(root: &OwnedFd, path: &Path) -> SysResult<()> {
    make_in_root(root, path, 0)
}

fn make_in_root(root: &OwnedFd, path: &Path, depth: u32) -> SysResult<()> {
    // The kernel's own limit on symlinks in one walk.
    if depth > 40 {
        return Err(SysError::io(format!("mkdir -p {} (inside the box)", path.display()), errno(libc::ELOOP)));
    }
    let mut cur = PathBuf::from("/");
    for comp in path.components() {
        let Component::Normal(name) = comp else { continue };
        let next = cur.join(name);
        match open_in_root(root, &next) {
            Ok(_) => {}
            Err(e) if e.errno() == Some(libc::ENOENT) => {
                let parent = open_in_root(root, &cur)?;
                match read_link_at(&parent, &next)? {
                    Some(link) => make_in_root(root, &lexical(&cur.join(link)), depth + 1)?,
                    None => mkdir_at(&parent, &next)?,
                }
            }
            Err(e) => return Err(e),
        }
        cur = next;
    }
    Ok(())
}

/// The target of the symlink `path` (in `parent`), None if it is none.
fn read_link_at(parent: &OwnedFd, path: &Path) -> SysResult<Option<PathBuf>> {
    use std::os::unix::ffi::OsStringExt;
    let name = path.file_name().unwrap_or_default();
    match rustix::fs::readlinkat(parent, name, Vec::new()) {
        Ok(target) => Ok(Some(PathBuf::from(std::ffi::OsString::from_vec(target.into_bytes())))),
        Err(Errno::INVAL | Errno::NOENT) => Ok(None),
        Err(e) => Err(SysError::io(format!("readlink {}", path.display()), e.into())),
    }
}

fn mkdir_at(parent: &OwnedFd, path: &Path) -> SysResult<()> {
    let name = path.file_name().unwrap_or_default();
    rustix::fs::mkdirat(parent, name, Mode::from_raw_mode(0o755))
        .map_err(sys_with(|| format!("mkdir {} (inside the box)", path.display())))
}

/// `..` resolved by name, clamped at `/` as the kernel clamps it at a root.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for c in path.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    out
}

/// Whether two descriptors name the same folder.
pub fn same_folder(a: &OwnedFd, b: &OwnedFd) -> SysResult<bool> {
    let id = |fd: &OwnedFd| rustix::fs::fstat(fd).map(|st| (st.st_dev, st.st_ino)).map_err(sys("fstat"));
    Ok(id(a)? == id(b)?)
}

/// A detached copy of the mount tree at `path` (a bind mount not yet
/// attached anywhere), made private so nothing mounted in it later can
/// propagate back, and read-only if asked. Held as a descriptor, it can be
/// attached in another mount namespace, where `path` is not even visible.
pub fn clone_tree(path: &Path, read_only: bool) -> SysResult<OwnedFd> {
    let flags = OpenTreeFlags::OPEN_TREE_CLONE | OpenTreeFlags::OPEN_TREE_CLOEXEC | OpenTreeFlags::AT_RECURSIVE;
    let fd = rustix::mount::open_tree(CWD, path, flags)
        .map_err(sys_with(|| format!("open_tree({}, OPEN_TREE_CLONE)", path.display())))?;
    let attr = MountAttr {
        attr_set: if read_only { super::mounts::MOUNT_ATTR_RDONLY } else { 0 },
        attr_clr: 0,
        propagation: libc::MS_PRIVATE,
        userns_fd: 0,
    };
    let at = libc::AT_EMPTY_PATH as libc::c_uint | libc::AT_RECURSIVE as libc::c_uint;
    set_attr(fd.as_raw_fd(), c"", at, &attr, || {
        format!("mount_setattr({}, private{})", path.display(), if read_only { ", read-only" } else { "" })
    })?;
    Ok(fd)
}

/// A detached copy of the mount tree whose top is at `dir`; with the box's
/// user namespace, a locked one (see the module's comment).
pub fn copy_tree(dir: &OwnedFd, lock_with: Option<&OwnedFd>) -> SysResult<OwnedFd> {
    match lock_with {
        None => open_tree_at(dir),
        Some(userns) => locked_copy(dir, userns),
    }
}

fn open_tree_at(dir: impl AsFd) -> SysResult<OwnedFd> {
    let flags = OpenTreeFlags::AT_EMPTY_PATH
        | OpenTreeFlags::OPEN_TREE_CLONE
        | OpenTreeFlags::AT_RECURSIVE
        | OpenTreeFlags::OPEN_TREE_CLOEXEC;
    rustix::mount::open_tree(dir, "", flags).map_err(sys("open_tree(OPEN_TREE_CLONE|AT_RECURSIVE)"))
}

/// In a forked child: enter the box's user namespace and make a mount
/// namespace of it (a copy of this one, every mount locked), and copy the
/// tree from there. The child's working folder is the way back to the tree:
/// unshare moves it into the new namespace's copy, while a descriptor would
/// still name the mount in the old one. The copy comes back over a socket.
fn locked_copy(dir: &OwnedFd, userns: &OwnedFd) -> SysResult<OwnedFd> {
    let (mine, theirs) = socket::pair()?;
    match fork()? {
        Forked::Child => {
            drop(mine);
            let sent =
                copy_from_box_user_ns(dir, userns).and_then(|tree| socket::send(&theirs, b"tree", &[tree.as_raw_fd()]));
            exit_now(match sent {
                Ok(()) => 0,
                Err(e) => e.errno().unwrap_or(libc::EIO),
            })
        }
        Forked::Parent(pid) => {
            drop(theirs);
            let got = socket::recv(&mine);
            let exit = wait(pid)?;
            let call = "fork(); fchdir(tree); setns(user); unshare(CLONE_NEWNS); open_tree(\".\")";
            match (got, exit) {
                (Ok((_, mut fds)), Exit::Code(0)) if fds.len() == 1 => Ok(fds.remove(0)),
                (_, Exit::Code(n)) if n != 0 => Err(SysError::io(call, errno(n))),
                (Err(e), _) => Err(e),
                _ => Err(SysError::io(call, std::io::Error::other("the child sent no tree"))),
            }
        }
    }
}

fn copy_from_box_user_ns(dir: &OwnedFd, userns: &OwnedFd) -> SysResult<OwnedFd> {
    rustix::process::fchdir(dir).map_err(sys("fchdir(tree)"))?;
    super::ns::setns(userns, libc::CLONE_NEWUSER, "CLONE_NEWUSER")?;
    super::ns::unshare(libc::CLONE_NEWNS, "CLONE_NEWNS")?;
    open_tree_at(CWD)
}

/// A handle on `path` itself (file or folder, never through a final
/// symlink) for [`attach`] to mount over.
pub fn open_target(path: &Path) -> SysResult<OwnedFd> {
    let flags = OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    rustix::fs::open(path, flags, Mode::empty()).map_err(sys_with(|| format!("open {}", path.display())))
}

/// Makes the mount at `path` itself read-only, in place and alone: the
/// mounts below it (a box's /proc, /dev, volumes) keep their own flags,
/// as runc's read-only root filesystem does.
pub fn read_only_in_place(path: &Path) -> SysResult<()> {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| SysError::io(format!("mount_setattr({})", path.display()), errno(libc::EINVAL)))?;
    let attr = MountAttr { attr_set: super::mounts::MOUNT_ATTR_RDONLY, attr_clr: 0, propagation: 0, userns_fd: 0 };
    set_attr(libc::AT_FDCWD, &c, 0, &attr, || format!("mount_setattr({}, MOUNT_ATTR_RDONLY)", path.display()))
}

/// mount_setattr(2): neither rustix nor nix has it (Linux 5.12).
fn set_attr(
    dirfd: RawFd,
    path: &CStr,
    at: libc::c_uint,
    attr: &MountAttr,
    what: impl FnOnce() -> String,
) -> SysResult<()> {
    // SAFETY: a NUL-terminated path and a valid mount_attr of the size passed.
    let ret = unsafe { libc::syscall(libc::SYS_mount_setattr, dirfd, path.as_ptr(), at, attr, size_of::<MountAttr>()) };
    super::check(ret, what)?;
    Ok(())
}

/// Attaches a detached tree at the folder `dir`, in whatever mount
/// namespace this process is in now.
pub fn attach(tree: &OwnedFd, dir: &OwnedFd) -> SysResult<()> {
    let flags = MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH | MoveMountFlags::MOVE_MOUNT_T_EMPTY_PATH;
    rustix::mount::move_mount(tree, "", dir, "", flags).map_err(sys("move_mount(tree, folder)"))
}

#[cfg(test)]
mod tests {
    use super::lexical;
    use std::path::Path;

    #[test]
    fn dot_dot_stops_at_the_root() {
        assert_eq!(lexical(Path::new("/a/../../../etc")), Path::new("/etc"));
        assert_eq!(lexical(Path::new("/data/x/../y")), Path::new("/data/y"));
    }
}
