//! Reading a tree that a box may be changing while glassbox reads it.
//!
//! A box's container layer (and a volume it mounts) is written by processes
//! glassbox does not control, and they may write at the same moment as
//! `commit`, `diff` or `inspect` read. A reader that looks at a path and
//! then uses the same path (`lstat` says "folder", then `opendir`) gives a
//! box the time between the two calls to swap the folder for a symlink to
//! `/etc` (`renameat2(RENAME_EXCHANGE)` does it atomically, in a loop): the
//! use then follows the symlink and reads the host. So nothing here opens
//! or lists a path. Every step is relative to a descriptor of the folder
//! already reached, and never follows a symlink: `fstatat` with
//! `AT_SYMLINK_NOFOLLOW`, `openat` with `O_NOFOLLOW`, `readlinkat`. What a
//! descriptor names cannot be swapped any more; at worst an entry changed
//! between the look and the use, and then the reader skips it, as if it had
//! read a moment earlier or later.
//!
//! A file is opened with `O_PATH` first and only reopened for reading once
//! `fstat` says it is a regular file: opening a device node a box made (or
//! swapped in) could have effects on the host's hardware, and a FIFO would
//! block the reader forever. See openat(2), readlinkat(2), rename(2).

use super::beneath::{name_of, open_dir, open_root, single};
use super::fd::{sys, sys_with};
use super::{SysError, SysResult};
use rustix::fs::{AtFlags, Mode, OFlags};
use rustix::io::Errno;
use std::ffi::{CStr, CString, OsStr};
use std::fs::File;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// What an entry already on disk is, as `fstatat(AT_SYMLINK_NOFOLLOW)` sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Dir,
    File,
    Symlink,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub kind: FileKind,
    pub dev: u64,
    pub ino: u64,
    /// The whole `st_mode`: file type and permission bits.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub mtime: i64,
    pub rdev: u64,
}

impl Stat {
    fn of(st: &rustix::fs::Stat) -> Stat {
        let kind = match st.st_mode & libc::S_IFMT {
            libc::S_IFDIR => FileKind::Dir,
            libc::S_IFREG => FileKind::File,
            libc::S_IFLNK => FileKind::Symlink,
            _ => FileKind::Other,
        };
        Stat {
            kind,
            dev: st.st_dev,
            ino: st.st_ino,
            mode: st.st_mode,
            uid: st.st_uid,
            gid: st.st_gid,
            size: st.st_size.max(0) as u64,
            mtime: st.st_mtime,
            rdev: st.st_rdev,
        }
    }

    /// overlayfs's mark of a deleted name: a character device 0/0.
    pub fn is_whiteout(&self) -> bool {
        self.mode & libc::S_IFMT == libc::S_IFCHR && self.rdev == 0
    }
}

/// `fstatat(AT_SYMLINK_NOFOLLOW)`; `None` when nothing has that name.
pub fn stat(dir: BorrowedFd, name: &CStr) -> SysResult<Option<Stat>> {
    single(name)?;
    match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => Ok(Some(Stat::of(&st))),
        Err(Errno::NOENT) => Ok(None),
        Err(e) => Err(SysError::io(format!("fstatat {}", name_of(name)), e.into())),
    }
}

/// `fstat` of what a descriptor names.
pub fn fstat(fd: BorrowedFd) -> SysResult<Stat> {
    rustix::fs::fstat(fd).map(|st| Stat::of(&st)).map_err(sys("fstat"))
}

/// The names in a directory, without `.` and `..`.
pub fn list(dir: BorrowedFd) -> SysResult<Vec<CString>> {
    // A fresh open of "." gives the listing its own file offset.
    let own = open_dir(dir, c".")?;
    let entries = rustix::fs::Dir::new(own).map_err(sys("fdopendir"))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(sys("readdir"))?;
        let name = entry.file_name();
        if name != c"." && name != c".." {
            names.push(name.to_owned());
        }
    }
    Ok(names)
}

/// The target text of the symlink `name` in `dir`, as stored (not resolved).
pub fn read_link(dir: BorrowedFd, name: &CStr) -> SysResult<CString> {
    single(name)?;
    rustix::fs::readlinkat(dir, name, Vec::new()).map_err(sys_with(|| format!("readlinkat {}", name_of(name))))
}

/// Opens the regular file `name` in `dir` for reading, never through a
/// symlink and never opening anything else: `None` when it is not (or no
/// longer) a regular file.
pub fn open_file(dir: BorrowedFd, name: &CStr) -> SysResult<Option<(File, Stat)>> {
    single(name)?;
    let flags = OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let path = match rustix::fs::openat(dir, name, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::NOENT) => return Ok(None),
        Err(e) => return Err(SysError::io(format!("openat {} O_PATH|O_NOFOLLOW", name_of(name)), e.into())),
    };
    let st = fstat(path.as_fd())?;
    if st.kind != FileKind::File {
        return Ok(None);
    }
    // Reopening the O_PATH descriptor's magic link opens that same inode.
    let again = format!("/proc/self/fd/{}", path.as_raw_fd());
    let file = File::open(&again).map_err(|e| SysError::io(format!("open {again}"), e))?;
    Ok(Some((file, st)))
}

/// The value of an xattr, `None` when the file has no such attribute.
pub fn get_xattr(fd: BorrowedFd, key: &CStr) -> SysResult<Option<Vec<u8>>> {
    let mut buf = vec![0u8; 256];
    match rustix::fs::fgetxattr(fd, key, &mut buf) {
        Ok(n) => {
            buf.truncate(n);
            Ok(Some(buf))
        }
        Err(Errno::NODATA) => Ok(None),
        Err(e) => Err(SysError::io(format!("fgetxattr {}", name_of(key)), e.into())),
    }
}

/// One entry met by [`walk`].
pub struct Entry<'a> {
    /// The folder holding the entry; open it or read it relative to this.
    pub parent: BorrowedFd<'a>,
    pub name: &'a CStr,
    /// The entry's path below the walk's root, for naming it (never for opening it).
    pub rel: &'a Path,
    pub stat: Stat,
    /// The folder itself, already opened without following, when it is one.
    pub dir: Option<BorrowedFd<'a>>,
}

/// One folder being walked: its descriptor, its names not visited yet.
struct Level {
    dir: OwnedFd,
    rel: PathBuf,
    names: std::vec::IntoIter<CString>,
}

fn level(dir: OwnedFd, rel: PathBuf) -> SysResult<Level> {
    let mut names = list(dir.as_fd())?;
    // Sorted, so that the same tree always gives the same order (and tar).
    names.sort();
    Ok(Level { dir, rel, names: names.into_iter() })
}

/// An entry that changed between a look and a use (gone, no longer a
/// folder, now a symlink, no longer a symlink): not an error of the reader.
pub fn changed_meanwhile(e: &SysError) -> bool {
    matches!(e.errno(), Some(libc::ENOENT | libc::ENOTDIR | libc::ELOOP | libc::EINVAL))
}

/// Visits every entry below `root`, parents before their contents and names
/// in byte order, each as `fstatat` saw it; folders are entered through the
/// descriptor [`Entry::dir`] holds, so what a box swaps in meanwhile is
/// either skipped or read where it is, inside the tree.
pub fn walk<E: From<SysError>>(root: &Path, mut visit: impl FnMut(&Entry) -> Result<(), E>) -> Result<(), E> {
    let mut stack = vec![level(open_root(root)?, PathBuf::new())?];
    while let Some(top) = stack.last_mut() {
        let Some(name) = top.names.next() else {
            stack.pop();
            continue;
        };
        let rel = top.rel.join(OsStr::from_bytes(name.to_bytes()));
        let Some(stat) = stat(top.dir.as_fd(), &name)? else { continue };
        if stat.kind != FileKind::Dir {
            visit(&Entry { parent: top.dir.as_fd(), name: &name, rel: &rel, stat, dir: None })?;
            continue;
        }
        let sub = match open_dir(top.dir.as_fd(), &name) {
            Ok(fd) => fd,
            Err(e) if changed_meanwhile(&e) => continue,
            Err(e) => return Err(e.into()),
        };
        visit(&Entry { parent: top.dir.as_fd(), name: &name, rel: &rel, stat, dir: Some(sub.as_fd()) })?;
        stack.push(level(sub, rel)?);
    }
    Ok(())
}

/// How many entries a tree holds and how many bytes its non-folders take,
/// as far as it can be read (a folder that cannot be opened counts empty).
pub fn count(root: &Path) -> (u64, u64) {
    let (mut files, mut bytes) = (0, 0);
    let _ = walk::<SysError>(root, |e| {
        files += 1;
        if e.dir.is_none() {
            bytes += e.stat.size;
        }
        Ok(())
    });
    (files, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_meets_symlinks_as_entries_and_never_enters_them() {
        let dir = std::env::temp_dir().join(format!("glassbox-tree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("root/b/c")).unwrap();
        std::fs::create_dir_all(dir.join("host")).unwrap();
        std::fs::write(dir.join("root/b/c/f"), "12345").unwrap();
        std::fs::write(dir.join("host/secret"), "host").unwrap();
        std::os::unix::fs::symlink(dir.join("host"), dir.join("root/a")).unwrap();
        let mut met = vec![];
        walk::<SysError>(&dir.join("root"), |e| {
            met.push((e.rel.display().to_string(), e.stat.kind, e.dir.is_some()));
            Ok(())
        })
        .unwrap();
        let want = [("a", FileKind::Symlink, false), ("b", FileKind::Dir, true), ("b/c", FileKind::Dir, true)];
        let mut want: Vec<_> = want.iter().map(|(p, k, d)| (p.to_string(), *k, *d)).collect();
        want.push(("b/c/f".into(), FileKind::File, false));
        assert_eq!(met, want);
        let link_len = dir.join("host").as_os_str().len() as u64;
        assert_eq!(count(&dir.join("root")), (4, 5 + link_len));
        let a = open_root(&dir.join("root")).unwrap();
        assert!(open_file(a.as_fd(), c"a").unwrap().is_none(), "a symlink is not a file to read");
        assert!(walk::<SysError>(&dir.join("root/a"), |_| Ok(())).is_err(), "the root itself is not followed");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
