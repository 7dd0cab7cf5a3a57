//! Writing a folder as a layer tar, for layers that start life as a folder:
//! `image busybox`, `image from-host`, `layer add DIR` and `commit`.
//!
//! overlayfs records a deletion in the upper folder as a 0/0 character device
//! and an opaque folder as the xattr `trusted.overlay.opaque=y`; a layer tar
//! says the same with OCI whiteout names (`.wh.NAME`, `.wh..wh..opq`). This
//! writer translates, so a committed container layer is an ordinary layer.

use super::{ImageError, Result};
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

/// How entry times are written: as they are, or all the same fixed time so
/// that building the same tree twice gives the same digest (and so one layer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Times {
    Keep,
    Fixed(u64),
}

fn header_for(meta: &std::fs::Metadata, kind: tar::EntryType, times: Times) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(meta.mode() & 0o7777);
    h.set_uid(meta.uid() as u64);
    h.set_gid(meta.gid() as u64);
    h.set_mtime(match times {
        Times::Keep => meta.mtime().max(0) as u64,
        Times::Fixed(t) => t,
    });
    h.set_size(0);
    h
}

fn is_whiteout(meta: &std::fs::Metadata) -> bool {
    meta.file_type().is_char_device() && meta.rdev() == 0
}

fn is_opaque(path: &Path) -> bool {
    crate::sys::xattr::get(path, "trusted.overlay.opaque").is_some_and(|v| v == b"y")
}

/// Writes `dir`'s tree as a tar to `out`, entries sorted so the same folder
/// always gives the same bytes (and so the same digest).
pub fn write_tree(dir: &Path, out: impl Write, times: Times) -> Result<()> {
    let mut builder = tar::Builder::new(out);
    builder.follow_symlinks(false);
    append_dir(&mut builder, dir, Path::new(""), times)?;
    builder.into_inner().map_err(ImageError::io(dir))?.flush().map_err(ImageError::io(dir))
}

fn append_dir<W: Write>(b: &mut tar::Builder<W>, base: &Path, rel: &Path, times: Times) -> Result<()> {
    let dir = base.join(rel);
    let mut names: Vec<_> =
        std::fs::read_dir(&dir).map_err(ImageError::io(&dir))?.flatten().map(|e| e.file_name()).collect();
    names.sort();
    if !rel.as_os_str().is_empty() && is_opaque(&dir) {
        let meta = std::fs::symlink_metadata(&dir).map_err(ImageError::io(&dir))?;
        let mut h = header_for(&meta, tar::EntryType::Regular, times);
        b.append_data(&mut h, rel.join(".wh..wh..opq"), std::io::empty()).map_err(ImageError::io(&dir))?;
    }
    for name in names {
        let rel_path = rel.join(&name);
        let path = base.join(&rel_path);
        let meta = std::fs::symlink_metadata(&path).map_err(ImageError::io(&path))?;
        let ft = meta.file_type();
        if ft.is_dir() {
            let mut h = header_for(&meta, tar::EntryType::Directory, times);
            b.append_data(&mut h, &rel_path, std::io::empty()).map_err(ImageError::io(&path))?;
            append_dir(b, base, &rel_path, times)?;
        } else if ft.is_symlink() {
            let target = std::fs::read_link(&path).map_err(ImageError::io(&path))?;
            let mut h = header_for(&meta, tar::EntryType::Symlink, times);
            b.append_link(&mut h, &rel_path, &target).map_err(ImageError::io(&path))?;
        } else if is_whiteout(&meta) {
            let mut h = header_for(&meta, tar::EntryType::Regular, times);
            let wh = rel.join(format!(".wh.{}", name.to_string_lossy()));
            b.append_data(&mut h, wh, std::io::empty()).map_err(ImageError::io(&path))?;
        } else if ft.is_file() {
            let mut h = header_for(&meta, tar::EntryType::Regular, times);
            h.set_size(meta.len());
            let f = std::fs::File::open(&path).map_err(ImageError::io(&path))?;
            b.append_data(&mut h, &rel_path, f).map_err(ImageError::io(&path))?;
        }
        // Sockets, FIFOs and devices other than whiteouts are not layer content.
    }
    Ok(())
}
