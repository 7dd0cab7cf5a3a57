//! Writing beneath a directory descriptor: the `*at` family of calls.
//!
//! A layer tar names files by path, and a path is only as trustworthy as every
//! component on it. If extraction joined `dest` and an entry name into a string
//! and called `open`, the kernel would follow any symlink on the way: an
//! archive holding `s -> /` and then `s/etc/passwd` would write the host's
//! password file (the "tar slip" family of bugs). So glassbox never resolves a
//! whole path. It holds a descriptor on the staging folder and walks one
//! component at a time with `openat(dirfd, name, O_DIRECTORY | O_NOFOLLOW)`:
//! a symlink on the way fails the open (ENOTDIR or ELOOP) instead of being
//! followed, and `..` never reaches the kernel because the caller rejects it.
//! The last component is then created or changed relative to its parent's
//! descriptor with calls that do not follow a final symlink either:
//! `mkdirat`, `openat(O_CREAT | O_EXCL | O_NOFOLLOW)`, `symlinkat`, `linkat`
//! without `AT_SYMLINK_FOLLOW`, `fchownat(AT_SYMLINK_NOFOLLOW)`,
//! `utimensat(AT_SYMLINK_NOFOLLOW)`; modes and xattrs are set through a
//! descriptor (`fchmod`, `fsetxattr`) opened the same way.
//!
//! Linux 5.6 offers the same guarantee in one call, `openat2(2)` with
//! `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS`; the walk here shows what it does.
//! See openat(2), path_resolution(7), symlink(7).

use super::fd::sys_with;
use super::{SysError, SysResult};
use rustix::fs::{AtFlags, Mode, OFlags, Timespec, Timestamps};
use std::ffi::{CStr, CString};
use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

// Reading beneath a folder lives with the tree walker; writers use it too.
pub use super::tree::{FileKind, Stat, get_xattr, list, stat};

/// Why a walk stopped before reaching the directory it was asked for.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{component} is a symlink (not followed)")]
    Symlink { component: String },
    #[error("{component} is not a directory")]
    NotDir { component: String },
    #[error(transparent)]
    Sys(#[from] SysError),
}

pub(super) fn name_of(name: &CStr) -> String {
    name.to_string_lossy().escape_debug().to_string()
}

/// Every name handed to these calls must be one path component: with a `/`
/// the kernel would resolve (and follow symlinks in) the part before it, and
/// `..` would climb out. Callers split paths; this refuses anything else.
pub(super) fn single(name: &CStr) -> SysResult<()> {
    let bytes = name.to_bytes();
    if bytes.is_empty() || bytes == b".." || bytes.contains(&b'/') {
        let einval = std::io::Error::from_raw_os_error(libc::EINVAL);
        return Err(SysError::io(format!("{} is not a single path component", name_of(name)), einval));
    }
    Ok(())
}

/// Opens the staging folder itself; refuses a symlink in its last component.
pub fn open_root(path: &Path) -> SysResult<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    rustix::fs::open(path, flags, Mode::empty()).map_err(sys_with(|| format!("open {}", path.display())))
}

/// Opens the directory `name` inside `dir`, never following a symlink.
pub fn open_dir(dir: BorrowedFd, name: &CStr) -> SysResult<OwnedFd> {
    single(name)?;
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    rustix::fs::openat(dir, name, flags, Mode::empty())
        .map_err(sys_with(|| format!("openat {} O_DIRECTORY|O_NOFOLLOW", name_of(name))))
}

/// Walks `components` below `root` one `openat(O_NOFOLLOW)` at a time and
/// returns the last directory; with `create`, missing ones are made 0755.
pub fn walk(root: BorrowedFd, components: &[CString], create: bool) -> Result<OwnedFd, WalkError> {
    let mut cur = root.try_clone_to_owned().map_err(|e| SysError::io("dup staging folder", e))?;
    for name in components {
        let next = match open_dir(cur.as_fd(), name) {
            Ok(fd) => fd,
            Err(e) if e.errno() == Some(libc::ENOENT) && create => {
                mkdir(cur.as_fd(), name, 0o755)?;
                let fd = open_dir(cur.as_fd(), name)?;
                // mkdir applies the umask; layers should not depend on it.
                chmod(fd.as_fd(), 0o755)?;
                fd
            }
            // O_DIRECTORY|O_NOFOLLOW on a symlink gives ENOTDIR or ELOOP:
            // look (without following) to say which it was.
            Err(e) if matches!(e.errno(), Some(libc::ENOTDIR | libc::ELOOP)) => {
                let component = name_of(name);
                return Err(match stat(cur.as_fd(), name)? {
                    Some(Stat { kind: FileKind::Symlink, .. }) => WalkError::Symlink { component },
                    _ => WalkError::NotDir { component },
                });
            }
            Err(e) => return Err(e.into()),
        };
        cur = next;
    }
    Ok(cur)
}

pub fn mkdir(dir: BorrowedFd, name: &CStr, mode: u32) -> SysResult<()> {
    single(name)?;
    rustix::fs::mkdirat(dir, name, Mode::from_raw_mode(mode)).map_err(sys_with(|| format!("mkdirat {}", name_of(name))))
}

/// Creates a new regular file (never opening one that exists, never through
/// a symlink), mode 0600 until the caller sets the archive's mode.
pub fn create_file(dir: BorrowedFd, name: &CStr) -> SysResult<File> {
    single(name)?;
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd = rustix::fs::openat(dir, name, flags, Mode::from_raw_mode(0o600))
        .map_err(sys_with(|| format!("openat {} O_CREAT|O_EXCL|O_NOFOLLOW", name_of(name))))?;
    Ok(File::from(fd))
}

/// A symlink whose target text is stored verbatim; nothing resolves it here.
pub fn symlink(target: &CStr, dir: BorrowedFd, name: &CStr) -> SysResult<()> {
    single(name)?;
    rustix::fs::symlinkat(target, dir, name)
        .map_err(sys_with(|| format!("symlinkat {} -> {}", name_of(name), name_of(target))))
}

/// `linkat` without `AT_SYMLINK_FOLLOW`: links the old name itself.
pub fn hard_link(old_dir: BorrowedFd, old: &CStr, new_dir: BorrowedFd, new: &CStr) -> SysResult<()> {
    single(old)?;
    single(new)?;
    rustix::fs::linkat(old_dir, old, new_dir, new, AtFlags::empty())
        .map_err(sys_with(|| format!("linkat {} => {}", name_of(new), name_of(old))))
}

/// An overlayfs whiteout: a character device with device number 0/0.
pub fn whiteout(dir: BorrowedFd, name: &CStr) -> SysResult<()> {
    single(name)?;
    let dev = rustix::fs::makedev(0, 0);
    rustix::fs::mknodat(dir, name, rustix::fs::FileType::CharacterDevice, Mode::empty(), dev)
        .map_err(sys_with(|| format!("mknodat {} c 0 0", name_of(name))))
}

pub fn unlink(dir: BorrowedFd, name: &CStr, is_dir: bool) -> SysResult<()> {
    single(name)?;
    let flags = if is_dir { AtFlags::REMOVEDIR } else { AtFlags::empty() };
    rustix::fs::unlinkat(dir, name, flags).map_err(sys_with(|| format!("unlinkat {}", name_of(name))))
}

/// Removes `name` and, if it is a directory, everything below it, walking
/// with the same no-follow descriptors. Absent names are fine.
pub fn remove_all(dir: BorrowedFd, name: &CStr) -> SysResult<()> {
    match stat(dir, name)? {
        None => Ok(()),
        Some(Stat { kind: FileKind::Dir, .. }) => {
            let sub = open_dir(dir, name)?;
            for child in list(sub.as_fd())? {
                remove_all(sub.as_fd(), &child)?;
            }
            unlink(dir, name, true)
        }
        Some(_) => unlink(dir, name, false),
    }
}

pub fn chown(dir: BorrowedFd, name: &CStr, uid: u32, gid: u32) -> SysResult<()> {
    single(name)?;
    let (owner, group) = (rustix::fs::Uid::from_raw_unchecked(uid), rustix::fs::Gid::from_raw_unchecked(gid));
    rustix::fs::chownat(dir, name, Some(owner), Some(group), AtFlags::SYMLINK_NOFOLLOW)
        .map_err(sys_with(|| format!("fchownat {} {uid}:{gid} AT_SYMLINK_NOFOLLOW", name_of(name))))
}

/// `fchmod` on a descriptor opened without following symlinks.
pub fn chmod(fd: BorrowedFd, mode: u32) -> SysResult<()> {
    rustix::fs::fchmod(fd, Mode::from_raw_mode(mode)).map_err(sys_with(|| format!("fchmod {mode:o}")))
}

/// Sets atime and mtime of `name` in `dir` (not following it), or of `dir`
/// itself when `name` is `None`.
pub fn set_mtime(dir: BorrowedFd, name: Option<&CStr>, secs: i64) -> SysResult<()> {
    name.map(single).transpose()?;
    let t = Timespec { tv_sec: secs, tv_nsec: 0 };
    let times = Timestamps { last_access: t, last_modification: t };
    let set = match name {
        Some(n) => rustix::fs::utimensat(dir, n, &times, AtFlags::SYMLINK_NOFOLLOW),
        None => rustix::fs::futimens(dir, &times),
    };
    set.map_err(sys_with(|| format!("utimensat {} {secs}", name.map_or("(dir)".into(), name_of))))
}

pub fn set_xattr(fd: BorrowedFd, key: &CStr, value: &[u8]) -> SysResult<()> {
    rustix::fs::fsetxattr(fd, key, value, rustix::fs::XattrFlags::empty())
        .map_err(sys_with(|| format!("fsetxattr {}", name_of(key))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink as host_symlink;
    use std::path::PathBuf;

    /// A scratch folder with `root/` to write beneath and `victim/` beside it.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(test: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!("glassbox-beneath-{test}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("root")).unwrap();
            std::fs::create_dir_all(dir.join("victim")).unwrap();
            std::fs::write(dir.join("victim/keep"), b"x").unwrap();
            Scratch(dir)
        }
        fn victim_intact(&self) {
            let names: Vec<_> =
                std::fs::read_dir(self.0.join("victim")).unwrap().map(|e| e.unwrap().file_name()).collect();
            assert_eq!(names, ["keep"]);
            assert_eq!(std::fs::read(self.0.join("victim/keep")).unwrap(), b"x");
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn beneath_walk_refuses_symlink_components() {
        let s = Scratch::new("walk");
        host_symlink(s.0.join("victim"), s.0.join("root/s")).unwrap();
        let root = open_root(&s.0.join("root")).unwrap();
        let err = walk(root.as_fd(), &[c"s".to_owned(), c"x".to_owned()], true).unwrap_err();
        assert!(matches!(err, WalkError::Symlink { .. }), "{err}");
        std::fs::write(s.0.join("root/f"), b"").unwrap();
        let err = walk(root.as_fd(), &[c"f".to_owned()], true).unwrap_err();
        assert!(matches!(err, WalkError::NotDir { .. }), "{err}");
        let err = walk(root.as_fd(), &[c"missing".to_owned()], false).unwrap_err();
        assert!(matches!(err, WalkError::Sys(ref e) if e.errno() == Some(libc::ENOENT)), "{err}");
        let made = walk(root.as_fd(), &[c"a".to_owned(), c"b".to_owned()], true).unwrap();
        set_xattr(made.as_fd(), c"trusted.overlay.opaque", b"y").unwrap();
        assert_eq!(get_xattr(made.as_fd(), c"trusted.overlay.opaque").unwrap(), Some(b"y".to_vec()));
        assert!(s.0.join("root/a/b").is_dir());
        assert!(open_root(&s.0.join("root/s")).is_err(), "open_root followed a symlink");
        s.victim_intact();
    }

    #[test]
    fn beneath_creates_without_following_the_last_component() {
        let s = Scratch::new("create");
        let root = open_root(&s.0.join("root")).unwrap();
        host_symlink(s.0.join("victim/keep"), s.0.join("root/l")).unwrap();
        assert_eq!(create_file(root.as_fd(), c"l").unwrap_err().errno(), Some(libc::EEXIST));
        chown(root.as_fd(), c"l", 1234, 1234).unwrap();
        set_mtime(root.as_fd(), Some(c"l"), 1).unwrap();
        assert_eq!(stat(root.as_fd(), c"l").unwrap().map(|st| st.kind), Some(FileKind::Symlink));
        whiteout(root.as_fd(), c"w").unwrap();
        assert_eq!(stat(root.as_fd(), c"w").unwrap().map(|st| st.kind), Some(FileKind::Other));
        let mut names = list(root.as_fd()).unwrap();
        names.sort();
        assert_eq!(names, [c"l".to_owned(), c"w".to_owned()]);
        let keep = std::fs::symlink_metadata(s.0.join("victim/keep")).unwrap();
        assert_eq!(std::os::unix::fs::MetadataExt::uid(&keep), 0);
        s.victim_intact();
    }

    #[test]
    fn beneath_remove_all_does_not_follow() {
        let s = Scratch::new("remove");
        std::fs::create_dir_all(s.0.join("root/t/u")).unwrap();
        host_symlink(s.0.join("victim"), s.0.join("root/t/u/link")).unwrap();
        let root = open_root(&s.0.join("root")).unwrap();
        remove_all(root.as_fd(), c"t").unwrap();
        remove_all(root.as_fd(), c"absent").unwrap();
        for bad in [c"..", c"t/..", c"", c"../victim"] {
            assert_eq!(open_dir(root.as_fd(), bad).unwrap_err().errno(), Some(libc::EINVAL));
            assert_eq!(remove_all(root.as_fd(), bad).unwrap_err().errno(), Some(libc::EINVAL));
        }
        assert!(create_file(root.as_fd(), c"../victim/new").is_err());
        assert!(!s.0.join("root/t").exists());
        s.victim_intact();
    }
}
