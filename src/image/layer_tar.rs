//! Writing a folder as a layer tar, for layers that start life as a folder:
//! `image busybox`, `image from-host`, `layer add DIR` and `commit`.
//!
//! overlayfs records a deletion in the upper folder as a 0/0 character device
//! and an opaque folder as the xattr `trusted.overlay.opaque=y`; a layer tar
//! says the same with OCI whiteout names (`.wh.NAME`, `.wh..wh..opq`). This
//! writer translates, so a committed container layer is an ordinary layer.

use super::view::is_opaque;
use super::{ImageError, Result};
use crate::sys::tree::{self, Entry, FileKind, Stat};
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// How entry times are written: as they are, or all the same fixed time so
/// that building the same tree twice gives the same digest (and so one layer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Times {
    Keep,
    Fixed(u64),
}

fn header_for(stat: &Stat, kind: tar::EntryType, times: Times) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(stat.mode & 0o7777);
    h.set_uid(stat.uid as u64);
    h.set_gid(stat.gid as u64);
    h.set_mtime(match times {
        Times::Keep => stat.mtime.max(0) as u64,
        Times::Fixed(t) => t,
    });
    h.set_size(0);
    h
}

/// Writes `dir`'s tree as a tar to `out`, entries sorted so the same folder
/// always gives the same bytes (and so the same digest). The tree is read
/// with `sys::tree::walk`: a container layer is written by the box while
/// this reads it, and nothing it swaps in may lead the walk out of it.
pub fn write_tree(dir: &Path, out: impl Write, times: Times) -> Result<()> {
    let mut builder = tar::Builder::new(out);
    builder.follow_symlinks(false);
    tree::walk(dir, |e| append(&mut builder, e, times))?;
    builder.into_inner().map_err(ImageError::io(dir))?.flush().map_err(ImageError::io(dir))
}

/// Writes the tree a stack of layers merges into (`trees` top first, as
/// overlayfs stacks them) as one tar with no whiteouts: what a box's `/`
/// holds, for `export --bundle`. Per path the topmost layer that has it
/// wins; a whiteout, an opaque folder or a non-folder hides the layers
/// below at and under its path (see `view` for the rules).
pub fn write_merged(trees: &[std::path::PathBuf], out: impl Write) -> Result<()> {
    use std::collections::HashSet;
    let mut builder = tar::Builder::new(out);
    builder.follow_symlinks(false);
    // Paths written, and paths whose lower copies are hidden whole.
    let mut taken: HashSet<std::path::PathBuf> = HashSet::new();
    let mut hidden: HashSet<std::path::PathBuf> = HashSet::new();
    for tree in trees {
        let mut hides = vec![];
        tree::walk(tree, |e| {
            if e.rel.ancestors().skip(1).any(|a| hidden.contains(a)) || hidden.contains(e.rel) {
                return Ok(());
            }
            if e.stat.is_whiteout() {
                hides.push(e.rel.to_path_buf());
                return Ok(());
            }
            let is_dir = e.dir.is_some();
            if !is_dir || e.dir.is_some_and(is_opaque) {
                hides.push(e.rel.to_path_buf());
            }
            if !taken.insert(e.rel.to_path_buf()) {
                return Ok(());
            }
            if let Some(dir) = e.dir {
                let mut h = header_for(&e.stat, tar::EntryType::Directory, Times::Keep);
                let _ = dir;
                return builder.append_data(&mut h, e.rel, std::io::empty()).map_err(ImageError::io(e.rel));
            }
            append(&mut builder, e, Times::Keep)
        })?;
        hidden.extend(hides);
    }
    let dir = trees.first().map(|p| p.as_path()).unwrap_or(Path::new("."));
    builder.into_inner().map_err(ImageError::io(dir))?.flush().map_err(ImageError::io(dir))
}

fn append<W: Write>(b: &mut tar::Builder<W>, e: &Entry, times: Times) -> Result<()> {
    let io = ImageError::io(e.rel);
    if let Some(dir) = e.dir {
        let mut h = header_for(&e.stat, tar::EntryType::Directory, times);
        b.append_data(&mut h, e.rel, std::io::empty()).map_err(io)?;
        if is_opaque(dir) {
            let mut h = header_for(&e.stat, tar::EntryType::Regular, times);
            b.append_data(&mut h, e.rel.join(".wh..wh..opq"), std::io::empty()).map_err(ImageError::io(e.rel))?;
        }
    } else if e.stat.kind == FileKind::Symlink {
        // Gone or replaced since the walk looked: the box changed it meanwhile.
        let Ok(target) = tree::read_link(e.parent, e.name) else { return Ok(()) };
        let mut h = header_for(&e.stat, tar::EntryType::Symlink, times);
        let target = OsStr::from_bytes(target.to_bytes());
        b.append_link(&mut h, e.rel, target).map_err(io)?;
    } else if e.stat.is_whiteout() {
        let mut h = header_for(&e.stat, tar::EntryType::Regular, times);
        let wh = e.rel.with_file_name(OsStr::from_bytes(&[b".wh.", e.name.to_bytes()].concat()));
        b.append_data(&mut h, wh, std::io::empty()).map_err(io)?;
    } else if e.stat.kind == FileKind::File {
        let Some((file, stat)) = tree::open_file(e.parent, e.name)? else { return Ok(()) };
        let mut h = header_for(&stat, tar::EntryType::Regular, times);
        h.set_size(stat.size);
        // Exactly the size the header says, even if the box grows or
        // truncates the file while it is read.
        let body = file.take(stat.size).chain(std::io::repeat(0)).take(stat.size);
        b.append_data(&mut h, e.rel, body).map_err(io)?;
    }
    // Sockets, FIFOs and devices other than whiteouts are not layer content.
    Ok(())
}
