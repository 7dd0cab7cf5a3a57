//! The writes, all beneath the staging folder's descriptor (`sys::beneath`):
//! files, directories, links and whiteouts, and directory mtimes at the end.

use super::entry::{Item, Whiteout, components, whiteout};
use super::stream::{Meter, Ticker};
use super::{ExtractError, Extracted, Limits, invalid, shown};
use crate::sys::SysError;
use crate::sys::beneath::{self, FileKind, WalkError};
use std::collections::BTreeMap;
use std::ffi::{CStr, CString};
use std::io::{Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

fn sys_err(path: &[u8]) -> impl Fn(SysError) -> ExtractError + '_ {
    move |source| ExtractError::Io { path: shown(path), source }
}

fn walk_err(path: &[u8]) -> impl Fn(WalkError) -> ExtractError + '_ {
    move |e| match e {
        WalkError::Sys(source) => ExtractError::Io { path: shown(path), source },
        other => ExtractError::UnsafeEntry { path: shown(path), reason: other.to_string() },
    }
}

/// Applies entries beneath the staging descriptor.
pub(super) struct Writer<'l> {
    root: OwnedFd,
    pub(super) limits: &'l Limits,
    /// The parent directory of the previous entry: tars list siblings
    /// together, so most entries skip the walk from the root.
    parent: Option<(Vec<CString>, OwnedFd)>,
    /// Directory mtimes, set last (creating children changes them).
    dir_times: Vec<(Vec<CString>, i64)>,
    /// The whiteouts made, by directory: settled once the layer is complete.
    whiteouts: BTreeMap<Vec<CString>, Vec<CString>>,
    pub(super) out: Extracted,
    more_warnings: u64,
}

impl<'l> Writer<'l> {
    pub(super) fn new(root: OwnedFd, limits: &'l Limits) -> Self {
        Writer {
            root,
            limits,
            parent: None,
            dir_times: Vec::new(),
            whiteouts: BTreeMap::new(),
            out: Extracted::default(),
            more_warnings: 0,
        }
    }

    fn unsafe_entry(path: &[u8], reason: impl Into<String>) -> ExtractError {
        ExtractError::UnsafeEntry { path: shown(path), reason: reason.into() }
    }

    pub(super) fn apply(
        &mut self,
        item: &Item,
        data: &mut dyn Read,
        meter: &Meter,
        ticker: &mut Ticker,
    ) -> Result<(), ExtractError> {
        let path = item.path.as_slice();
        let comps = components(path, self.limits)?;
        let Some((name, parents)) = comps.split_last() else {
            return match item.kind {
                b'5' => self.dir(
                    self.root.try_clone().map_err(|e| sys_err(path)(SysError::io("dup", e)))?,
                    c".",
                    item,
                    comps,
                ),
                _ => Err(Self::unsafe_entry(path, "names the layer root")),
            };
        };
        if parents.iter().any(|p| p.to_bytes().starts_with(b".wh.")) {
            return Err(Self::unsafe_entry(path, "whiteout name used as a directory"));
        }
        let marker = whiteout(name).map_err(|reason| Self::unsafe_entry(path, reason))?;
        let (key, dir) = match self.parent.take() {
            Some((key, fd)) if key == parents => (key, fd),
            _ => (parents.to_vec(), beneath::walk(self.root.as_fd(), parents, true).map_err(walk_err(path))?),
        };
        let at = dir.as_fd();
        match (marker, item.kind) {
            // Opacity is the parent's attribute, so the marker's place in the tar does not matter.
            (Some(Whiteout::Opaque), _) => {
                beneath::set_xattr(at, OPAQUE, b"y").map_err(sys_err(path))?;
            }
            (Some(Whiteout::Hide(hidden)), _) => self.whiteout(at, parents, &hidden, path)?,
            (None, b'3') if item.dev == Some((0, 0)) => self.whiteout(at, parents, name, path)?,
            (None, b'0' | 0 | b'7') => self.file(at, name, item, data, meter, ticker)?,
            (None, b'5') => {
                let sub = self.replace_with_dir(at, name, path)?;
                self.dir(sub, c".", item, comps.clone())?;
            }
            (None, b'2') => self.symlink(at, name, item)?,
            (None, b'1') => self.hard_link(at, name, item)?,
            (None, kind) => self.skip(item, kind)?,
        }
        self.parent = Some((key, dir));
        Ok(())
    }

    fn file(
        &mut self,
        dir: BorrowedFd,
        name: &CStr,
        item: &Item,
        data: &mut dyn Read,
        meter: &Meter,
        ticker: &mut Ticker,
    ) -> Result<(), ExtractError> {
        let path = item.path.as_slice();
        // Checked before writing: a header may promise far more than follows.
        self.limits.over_size(self.out.bytes.saturating_add(item.size))?;
        beneath::remove_all(dir, name).map_err(sys_err(path))?;
        let mut file = beneath::create_file(dir, name).map_err(sys_err(path))?;
        let mut buf = vec![0u8; (64 << 10).min(item.size as usize).max(1)];
        let mut copied = 0u64;
        loop {
            let n = data.read(&mut buf).map_err(|e| meter.fail(e))?;
            if n == 0 {
                break;
            }
            file.write_all(&buf[..n]).map_err(|e| sys_err(path)(SysError::io("write", e)))?;
            copied += n as u64;
            ticker.tick(meter);
        }
        if copied != item.size {
            return Err(invalid(format!("{} ends early ({copied} of {} bytes)", shown(path), item.size)));
        }
        self.out.bytes += copied;
        // Owner before mode: chown(2) clears the setuid and setgid bits.
        beneath::chown(dir, name, item.uid, item.gid).map_err(sys_err(path))?;
        beneath::chmod(file.as_fd(), item.mode).map_err(sys_err(path))?;
        beneath::set_mtime(dir, Some(name), item.mtime).map_err(sys_err(path))?;
        self.out.files += 1;
        Ok(())
    }

    /// An existing directory is kept with its children (a tar may list a
    /// directory twice); anything else by that name is replaced.
    fn replace_with_dir(&mut self, dir: BorrowedFd, name: &CStr, path: &[u8]) -> Result<OwnedFd, ExtractError> {
        let found = beneath::stat(dir, name).map_err(sys_err(path))?;
        if found.is_some_and(|st| st.kind != FileKind::Dir) {
            beneath::remove_all(dir, name).map_err(sys_err(path))?;
        }
        if found.is_none_or(|st| st.kind != FileKind::Dir) {
            beneath::mkdir(dir, name, 0o700).map_err(sys_err(path))?;
        }
        beneath::open_dir(dir, name).map_err(sys_err(path))
    }

    /// Owner and mode of a directory now; its mtime once the layer is done.
    fn dir(&mut self, fd: OwnedFd, dot: &CStr, item: &Item, comps: Vec<CString>) -> Result<(), ExtractError> {
        let path = item.path.as_slice();
        beneath::chown(fd.as_fd(), dot, item.uid, item.gid).map_err(sys_err(path))?;
        beneath::chmod(fd.as_fd(), item.mode).map_err(sys_err(path))?;
        self.dir_times.push((comps, item.mtime));
        self.out.files += 1;
        Ok(())
    }

    fn symlink(&mut self, dir: BorrowedFd, name: &CStr, item: &Item) -> Result<(), ExtractError> {
        let path = item.path.as_slice();
        let target = item.link.as_deref().unwrap_or_default();
        if target.len() > self.limits.max_path_bytes {
            let (value, max) = (target.len() as u64, self.limits.max_path_bytes as u64);
            return Err(ExtractError::LimitExceeded { limit: "path bytes", value, max });
        }
        let target = CString::new(target).map_err(|_| Self::unsafe_entry(path, "nul byte in symlink target"))?;
        if target.is_empty() {
            return Err(Self::unsafe_entry(path, "symlink with an empty target"));
        }
        beneath::remove_all(dir, name).map_err(sys_err(path))?;
        beneath::symlink(&target, dir, name).map_err(sys_err(path))?;
        beneath::chown(dir, name, item.uid, item.gid).map_err(sys_err(path))?;
        beneath::set_mtime(dir, Some(name), item.mtime).map_err(sys_err(path))?;
        self.out.files += 1;
        Ok(())
    }

    /// A hard link may only name a regular file this layer already holds,
    /// found by the same no-follow walk: never a host file, never a symlink.
    fn hard_link(&mut self, dir: BorrowedFd, name: &CStr, item: &Item) -> Result<(), ExtractError> {
        let path = item.path.as_slice();
        let target = item.link.as_deref().unwrap_or_default();
        let refuse = |why: &str| Self::unsafe_entry(path, format!("hard link target {} {why}", shown(target)));
        let comps = components(target, self.limits).map_err(|e| match e {
            ExtractError::UnsafeEntry { reason, .. } => refuse(&format!("is unsafe: {reason}")),
            other => other,
        })?;
        let Some((tname, tparents)) = comps.split_last() else { return Err(refuse("is the layer root")) };
        let tdir = match beneath::walk(self.root.as_fd(), tparents, false) {
            Ok(fd) => fd,
            Err(WalkError::Sys(e)) if e.errno() == Some(libc::ENOENT) => return Err(refuse("is not in this layer")),
            Err(e) => return Err(refuse(&format!("is unreachable: {e}"))),
        };
        let found = match beneath::stat(tdir.as_fd(), tname).map_err(sys_err(path))? {
            None => return Err(refuse("is not in this layer")),
            Some(st) if st.kind != FileKind::File => return Err(refuse(described(st.kind))),
            Some(st) => st,
        };
        match beneath::stat(dir, name).map_err(sys_err(path))? {
            Some(st) if (st.dev, st.ino) == (found.dev, found.ino) => {}
            _ => {
                beneath::remove_all(dir, name).map_err(sys_err(path))?;
                beneath::hard_link(tdir.as_fd(), tname, dir, name).map_err(sys_err(path))?;
            }
        }
        self.out.files += 1;
        Ok(())
    }

    fn skip(&mut self, item: &Item, kind: u8) -> Result<(), ExtractError> {
        let name = shown(&item.path);
        let what = match (kind, item.dev) {
            (b'3', Some((major, minor))) => format!("device node {name} (char {major}:{minor})"),
            (b'4', Some((major, minor))) => format!("device node {name} (block {major}:{minor})"),
            (b'3' | b'4', None) => format!("device node {name}"),
            (b'6', _) => format!("fifo {name}"),
            (b'S', _) => return Err(invalid(format!("{name}: gnu sparse files are not supported"))),
            _ => format!("{name} (unsupported entry type {:?})", kind as char),
        };
        if self.out.warnings.len() < MAX_WARNINGS {
            self.out.warnings.push(format!("skipped {what}"));
        } else {
            self.more_warnings += 1;
        }
        Ok(())
    }

    /// Turns `name` into an overlayfs whiteout, replacing whatever this
    /// layer already put there.
    fn whiteout(&mut self, dir: BorrowedFd, parents: &[CString], name: &CStr, path: &[u8]) -> Result<(), ExtractError> {
        beneath::remove_all(dir, name).map_err(sys_err(path))?;
        beneath::whiteout(dir, name).map_err(sys_err(path))?;
        self.whiteouts.entry(parents.to_vec()).or_default().push(name.to_owned());
        Ok(())
    }

    /// overlayfs hides whiteouts from a listing only in a directory it
    /// merges with a lower one. A directory that stands alone (opaque, new
    /// in this layer, or a directory over a lower file or symlink) is listed
    /// as it is on disk, so its whiteouts show up in `ls` as names that then
    /// fail with ENOENT. Which layers end up below is not known here (a
    /// layer is stored once and stacked under many images), so:
    ///
    /// - a whiteout below an opaque directory of its own layer hides nothing
    ///   (OCI layer.md: whiteouts apply to lower layers only, and the opaque
    ///   directory already hides all of those): it is removed;
    /// - every other directory holding a whiteout gets an empty
    ///   `trusted.overlay.origin`, overlayfs's own mark for "copied up from a
    ///   lower layer, origin unknown". overlayfs then treats the directory as
    ///   one that may hold whiteouts and lists it through its merging
    ///   readdir, which leaves them out, whatever lies below.
    ///
    /// Done at the end, because an opaque marker may come after the
    /// whiteouts it covers, and before directory mtimes (unlinking changes them).
    fn settle_whiteouts(&mut self) -> Result<(), ExtractError> {
        for (parents, names) in std::mem::take(&mut self.whiteouts) {
            // A directory replaced or whited out later in the layer is gone, and its whiteouts with it.
            let Some((dir, covered)) = self.open_below_opaque(&parents) else { continue };
            let shown_dir = parents.iter().map(|c| c.to_bytes()).collect::<Vec<_>>().join(&b'/');
            let mut kept = false;
            for name in names {
                // Only a whiteout is `Other` here: devices, FIFOs and sockets are skipped.
                if beneath::stat(dir.as_fd(), &name).map_err(sys_err(&shown_dir))?.map(|st| st.kind)
                    != Some(FileKind::Other)
                {
                    continue;
                }
                if covered {
                    beneath::unlink(dir.as_fd(), &name, false).map_err(sys_err(&shown_dir))?;
                } else {
                    kept = true;
                }
            }
            if kept {
                beneath::set_xattr(dir.as_fd(), c"trusted.overlay.origin", b"").map_err(sys_err(&shown_dir))?;
            }
        }
        Ok(())
    }

    /// Opens the directory at `comps` and says whether it, or a directory
    /// above it other than the layer root, is opaque. `None` when it is gone.
    fn open_below_opaque(&self, comps: &[CString]) -> Option<(OwnedFd, bool)> {
        let mut dir = self.root.try_clone().ok()?;
        let mut covered = false;
        for name in comps {
            dir = beneath::open_dir(dir.as_fd(), name).ok()?;
            covered = covered || beneath::get_xattr(dir.as_fd(), OPAQUE).ok().flatten().is_some_and(|v| v == b"y");
        }
        Some((dir, covered))
    }

    /// Sets directory mtimes last: creating entries inside changed them.
    pub(super) fn finish(&mut self) -> Result<(), ExtractError> {
        self.settle_whiteouts()?;
        for (comps, mtime) in std::mem::take(&mut self.dir_times) {
            let (name, parents) = comps.split_last().map_or((c".", &[][..]), |(n, p)| (n.as_c_str(), p));
            // A directory replaced or whited out later in the layer is gone.
            let Ok(dir) = beneath::walk(self.root.as_fd(), parents, false) else { continue };
            match beneath::set_mtime(dir.as_fd(), Some(name), mtime) {
                Err(e) if e.errno() == Some(libc::ENOENT) => {}
                other => other.map_err(sys_err(name.to_bytes()))?,
            }
        }
        if self.more_warnings > 0 {
            self.out.warnings.push(format!("… and {} more skipped entries", self.more_warnings));
        }
        Ok(())
    }
}

const MAX_WARNINGS: usize = 100;

/// overlayfs's mark of a directory that hides everything below it.
const OPAQUE: &CStr = c"trusted.overlay.opaque";

fn described(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Dir => "is a directory",
        FileKind::Symlink => "is a symlink",
        FileKind::File => "is a file",
        FileKind::Other => "is a device, fifo or whiteout",
    }
}
