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

use super::process::{Exit, Forked, exit_now, fork, wait};
use super::{SysError, SysResult, check, cpath, socket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Component, Path, PathBuf};

// Values from <linux/mount.h>, which libc does not carry.
const OPEN_TREE_CLONE: libc::c_uint = 1;
const AT_RECURSIVE: libc::c_uint = 0x8000;
const MOVE_MOUNT_F_EMPTY_PATH: libc::c_uint = 0x4;
const MOVE_MOUNT_T_EMPTY_PATH: libc::c_uint = 0x40;

#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

fn owned(ret: libc::c_long) -> OwnedFd {
    // SAFETY: the caller passes a descriptor the kernel just returned to us.
    unsafe { OwnedFd::from_raw_fd(ret as i32) }
}

fn errno(n: i32) -> std::io::Error {
    std::io::Error::from_raw_os_error(n)
}

/// A folder as an O_PATH descriptor: a place to resolve from or mount on.
pub fn open_dir(path: &Path) -> SysResult<OwnedFd> {
    let c = cpath(path)?;
    let flags = libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC;
    // SAFETY: a NUL-terminated path and constant flags.
    let fd = check(unsafe { libc::open(c.as_ptr(), flags) }, || format!("open {}", path.display()))?;
    Ok(owned(fd.into()))
}

/// The folder at `path` with `root` as `/` for the whole walk: symlinks,
/// absolute or with `..`, stay inside it; magic links (/proc/PID/fd/N) are
/// refused outright.
pub fn open_in_root(root: &OwnedFd, path: &Path) -> SysResult<OwnedFd> {
    let c = cpath(path)?;
    // SAFETY: open_how is plain data; all-zero is a valid value of it.
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = (libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC) as u64;
    how.resolve = libc::RESOLVE_IN_ROOT | libc::RESOLVE_NO_MAGICLINKS;
    // A `..` is walked only if no rename or mount happened anywhere on the
    // machine meanwhile, else openat2 says EAGAIN and asks to be retried.
    let mut tries = 0;
    loop {
        // SAFETY: how is a valid open_how of the size passed; the path is NUL-terminated.
        let ret = unsafe {
            libc::syscall(libc::SYS_openat2, root.as_raw_fd(), c.as_ptr(), &how, size_of::<libc::open_how>())
        };
        match check(ret, || format!("openat2({}, RESOLVE_IN_ROOT)", path.display())) {
            Err(e) if e.errno() == Some(libc::EAGAIN) && tries < 1000 => tries += 1,
            other => return other.map(owned),
        }
    }
}

/// Writes a whole file at `dir/name` with `root` as `/` (the folder made
/// if missing): an image's symlink for the folder stays inside the root,
/// and the file itself is never opened through a symlink.
pub fn write_in_root(root: &OwnedFd, dir: &Path, name: &std::ffi::CStr, data: &[u8]) -> SysResult<()> {
    mkdir_in_root(root, dir)?;
    let dirfd = open_in_root(root, dir)?;
    let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    let what = || format!("write {}/{} (inside the box)", dir.display(), name.to_string_lossy());
    // SAFETY: a live descriptor, a NUL-terminated name, the mode passed as the variadic argument.
    let fd = check(unsafe { libc::openat(dirfd.as_raw_fd(), name.as_ptr(), flags, 0o644 as libc::c_uint) }, what)?;
    let mut file = std::fs::File::from(owned(fd.into()));
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
    use std::os::unix::ffi::OsStrExt;
    let name = cpath(Path::new(path.file_name().unwrap_or_default()))?;
    let mut buf = vec![0u8; libc::PATH_MAX as usize];
    // SAFETY: buf is writable for its length; name is NUL-terminated.
    let n = unsafe { libc::readlinkat(parent.as_raw_fd(), name.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        let e = SysError::last(format!("readlink {}", path.display()));
        return if matches!(e.errno(), Some(libc::EINVAL | libc::ENOENT)) { Ok(None) } else { Err(e) };
    }
    buf.truncate(n as usize);
    Ok(Some(PathBuf::from(std::ffi::OsStr::from_bytes(&buf))))
}

fn mkdir_at(parent: &OwnedFd, path: &Path) -> SysResult<()> {
    let name = cpath(Path::new(path.file_name().unwrap_or_default()))?;
    // SAFETY: a live descriptor and a NUL-terminated single name.
    check(unsafe { libc::mkdirat(parent.as_raw_fd(), name.as_ptr(), 0o755) }, || {
        format!("mkdir {} (inside the box)", path.display())
    })?;
    Ok(())
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
    let id = |fd: &OwnedFd| {
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: st is large enough for struct stat; fd is live.
        check(unsafe { libc::fstat(fd.as_raw_fd(), st.as_mut_ptr()) }, || "fstat".into())?;
        // SAFETY: fstat succeeded and filled st.
        let st = unsafe { st.assume_init() };
        Ok::<_, SysError>((st.st_dev, st.st_ino))
    };
    Ok(id(a)? == id(b)?)
}

/// A detached copy of the mount tree at `path` (a bind mount not yet
/// attached anywhere), made private so nothing mounted in it later can
/// propagate back, and read-only if asked. Held as a descriptor, it can be
/// attached in another mount namespace, where `path` is not even visible.
pub fn clone_tree(path: &Path, read_only: bool) -> SysResult<OwnedFd> {
    let c = cpath(path)?;
    let flags = OPEN_TREE_CLONE | libc::O_CLOEXEC as libc::c_uint | AT_RECURSIVE;
    // SAFETY: open_tree with a NUL-terminated path; returns a new fd.
    let fd = check(unsafe { libc::syscall(libc::SYS_open_tree, libc::AT_FDCWD, c.as_ptr(), flags) }, || {
        format!("open_tree({}, OPEN_TREE_CLONE)", path.display())
    })?;
    let fd = owned(fd);
    let attr = MountAttr {
        attr_set: if read_only { super::mounts::MOUNT_ATTR_RDONLY } else { 0 },
        attr_clr: 0,
        propagation: libc::MS_PRIVATE,
        userns_fd: 0,
    };
    let empty = super::cstring("")?;
    let at = libc::AT_EMPTY_PATH as libc::c_uint | AT_RECURSIVE;
    // SAFETY: attr is a valid mount_attr of the size passed.
    check(
        unsafe {
            libc::syscall(libc::SYS_mount_setattr, fd.as_raw_fd(), empty.as_ptr(), at, &attr, size_of::<MountAttr>())
        },
        || format!("mount_setattr({}, private{})", path.display(), if read_only { ", read-only" } else { "" }),
    )?;
    Ok(fd)
}

/// A detached copy of the mount tree whose top is at `dir`; with the box's
/// user namespace, a locked one (see the module's comment).
pub fn copy_tree(dir: &OwnedFd, lock_with: Option<&OwnedFd>) -> SysResult<OwnedFd> {
    match lock_with {
        None => open_tree_at(dir.as_raw_fd()),
        Some(userns) => locked_copy(dir, userns),
    }
}

fn open_tree_at(dir: i32) -> SysResult<OwnedFd> {
    let flags = libc::AT_EMPTY_PATH as libc::c_uint | OPEN_TREE_CLONE | AT_RECURSIVE | libc::O_CLOEXEC as libc::c_uint;
    // SAFETY: open_tree on a live descriptor with an empty path; returns a new fd.
    let fd = check(unsafe { libc::syscall(libc::SYS_open_tree, dir, c"".as_ptr(), flags) }, || {
        "open_tree(OPEN_TREE_CLONE|AT_RECURSIVE)".into()
    })?;
    Ok(owned(fd))
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
    // SAFETY: fchdir on a live descriptor.
    check(unsafe { libc::fchdir(dir.as_raw_fd()) }, || "fchdir(tree)".into())?;
    super::ns::setns(userns, libc::CLONE_NEWUSER, "CLONE_NEWUSER")?;
    super::ns::unshare(libc::CLONE_NEWNS, "CLONE_NEWNS")?;
    open_tree_at(libc::AT_FDCWD)
}

/// A handle on `path` itself (file or folder, never through a final
/// symlink) for [`attach`] to mount over.
pub fn open_target(path: &Path) -> SysResult<OwnedFd> {
    let c = cpath(path)?;
    let flags = libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    // SAFETY: a NUL-terminated path and constant flags.
    let fd = check(unsafe { libc::open(c.as_ptr(), flags) }, || format!("open {}", path.display()))?;
    Ok(owned(fd.into()))
}

/// Makes the mount at `path` itself read-only, in place and alone: the
/// mounts below it (a box's /proc, /dev, volumes) keep their own flags,
/// as runc's read-only root filesystem does.
pub fn read_only_in_place(path: &Path) -> SysResult<()> {
    let c = cpath(path)?;
    let attr = MountAttr { attr_set: super::mounts::MOUNT_ATTR_RDONLY, attr_clr: 0, propagation: 0, userns_fd: 0 };
    // SAFETY: a NUL-terminated path and a valid mount_attr of the size passed.
    check(
        unsafe { libc::syscall(libc::SYS_mount_setattr, libc::AT_FDCWD, c.as_ptr(), 0, &attr, size_of::<MountAttr>()) },
        || format!("mount_setattr({}, MOUNT_ATTR_RDONLY)", path.display()),
    )?;
    Ok(())
}

/// Attaches a detached tree at the folder `dir`, in whatever mount
/// namespace this process is in now.
pub fn attach(tree: &OwnedFd, dir: &OwnedFd) -> SysResult<()> {
    // SAFETY: move_mount with live descriptors and empty paths.
    check(
        unsafe {
            libc::syscall(
                libc::SYS_move_mount,
                tree.as_raw_fd(),
                c"".as_ptr(),
                dir.as_raw_fd(),
                c"".as_ptr(),
                MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH,
            )
        },
        || "move_mount(tree, folder)".into(),
    )?;
    Ok(())
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
