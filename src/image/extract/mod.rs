//! Safe extraction of one layer tar into an empty staging folder.
//!
//! **Beneath, never by path.** Every write goes through a descriptor on the
//! staging folder: each parent component is opened with
//! `openat(O_DIRECTORY | O_NOFOLLOW)` from the one before (see
//! `sys::beneath`), so an archive that plants `s -> /` and then writes
//! `s/etc/passwd` is refused at `s` instead of followed. Leading `/` and `./`
//! are stripped like tar does (`/etc/cron.d/x` lands at `dest/etc/cron.d/x`),
//! `..` is refused, symlinks are stored with their target text verbatim (it
//! only means something inside the container, resolved against the box's
//! root), and a hard link must name a regular file this layer already holds.
//! Device nodes, FIFOs and sockets are skipped: a layer must not hand a box
//! `/dev/sda`.
//!
//! **Whiteouts.** A layer deletes a file of the layers below with a marker.
//! Docker and OCI tars spell it as an empty file `dir/.wh.NAME`, and "hide
//! everything below in `dir`" as `dir/.wh..wh..opq`. overlayfs spells the
//! same things differently: a character device with device number 0/0 named
//! `dir/NAME`, and the xattr `trusted.overlay.opaque=y` on `dir` (only root
//! may set `trusted.*`). Extraction converts as it goes; because opacity is an
//! attribute of the directory and not a file inside it, the marker's position
//! in the tar does not matter. Once the layer is complete, whiteouts below an
//! opaque folder of the same layer are dropped (they hide nothing), and every
//! folder still holding one is marked so overlayfs never lists it, whatever
//! lies below (`Writer::settle_whiteouts` says how). See the overlayfs
//! documentation (Documentation/filesystems/overlayfs.rst) and the OCI
//! image-spec layer.md.
//!
//! **Digests.** An image manifest names a compressed blob by the sha256 of its
//! bytes, but the image config lists each layer by its *diff ID*: the sha256
//! of the uncompressed tar. The same layer recompressed (another gzip level)
//! keeps its diff ID, so the store is keyed by it. Both are computed while
//! streaming, and the stream is read to its end so they cover every byte.
//!
//! **Limits** stop archives built to exhaust the machine with a named limit
//! before the disk or memory fills: entries, depth, path and name length, and
//! two on how far an archive may expand. The *size* limit bounds the
//! uncompressed bytes of one whole import (every layer's tar stream, headers
//! and padding included); file contents are checked against it by each
//! header's size before anything is written. The *compression ratio* limit
//! stops a gzip bomb long before the size limit would: once a layer has
//! expanded past 64 MiB, more than `max_ratio` uncompressed bytes per
//! compressed byte read is refused (real layers compress 2:1 to 10:1; a
//! gzip of zeros, 1000:1). Below 64 MiB any ratio passes, so small and
//! highly compressible layers (a tree of empty files) still import. Fixed
//! bounds cover PAX headers (1 MiB) and zero padding after the end (1 MiB).

// Reading tar entries: names, PAX records, whiteout markers, limits.
mod entry;
// The bytes under the tar reader: gzip, digests, the stream cap, padding.
mod stream;
#[cfg(test)]
mod tests;
// Creating what the entries describe, beneath the staging descriptor.
mod writer;

use crate::sys::SysError;
use crate::sys::beneath;
use entry::read_entries;
use std::io::{self, Read};
use std::os::fd::AsFd;
use std::path::Path;
use std::rc::Rc;
pub use stream::HashPipe;
use stream::{Decoded, Meter, Metered, Ticker, drain};
use writer::Writer;

/// Bounds on what one import may hold; exceeding one is `LimitExceeded`,
/// naming it (`SIZE_LIMIT`, `RATIO_LIMIT`, "entries", …).
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_entries: u64,
    pub max_depth: usize,
    pub max_path_bytes: usize,
    /// Uncompressed bytes of the whole import: every layer's tar stream
    /// together (`image import --max-size`).
    pub max_size: u64,
    /// Of `max_size`, what earlier layers of the same import took.
    pub size_spent: u64,
    /// Uncompressed bytes per compressed byte, checked once a layer has
    /// expanded past `RATIO_FLOOR` (`image import --max-ratio`).
    pub max_ratio: u64,
}

/// The size limit's name in `LimitExceeded`.
pub const SIZE_LIMIT: &str = "size";
/// The compression ratio limit's name in `LimitExceeded`.
pub const RATIO_LIMIT: &str = "compression ratio";
/// Below this many uncompressed bytes a layer may have any ratio.
pub const RATIO_FLOOR: u64 = 64 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // The largest real layers (CUDA, TeX Live) hold a few hundred
            // thousand files; a million-entry archive is an attack on inodes.
            max_entries: 500_000,
            // Real trees stay under ~40 levels; deeper nesting only serves to
            // make walks and recursive removals slow.
            max_depth: 256,
            // PATH_MAX: a longer name could not be opened inside the box.
            max_path_bytes: 4096,
            // A classroom VM has a disk of 20-40 GB: room for any image a
            // lesson uses (most are under 1 GiB) with the disk far from full.
            max_size: 4 << 30,
            size_spent: 0,
            // Ten times what real layers reach; a gzip bomb is at 1000:1.
            max_ratio: 100,
        }
    }
}

impl Limits {
    /// The limits for a tree on this disk that glassbox itself writes as a
    /// plain tar (commit, `layer add DIR`, busybox): it cannot expand, and the
    /// disk already holds it, so only the shape limits apply.
    pub fn own_tree() -> Limits {
        Limits { max_size: u64::MAX, ..Limits::default() }
    }

    /// The size error if this layer's `used` bytes take the import past
    /// `max_size`.
    fn over_size(&self, used: u64) -> Result<(), ExtractError> {
        let value = self.size_spent.saturating_add(used);
        match value > self.max_size {
            true => Err(ExtractError::LimitExceeded { limit: SIZE_LIMIT, value, max: self.max_size }),
            false => Ok(()),
        }
    }
}

/// What one extraction produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// `sha256:<hex>` of the uncompressed tar stream (the OCI diff ID).
    pub diff_id: String,
    /// `sha256:<hex>` of the bytes as read (equal to `diff_id` when plain).
    pub blob_digest: String,
    /// Regular files, directories, symlinks and hard links created.
    pub files: u64,
    /// Bytes of file contents written.
    pub bytes: u64,
    /// Bytes of the uncompressed tar stream (what counts toward `max_size`).
    pub size: u64,
    /// Entries skipped on purpose, e.g. "skipped device node dev/sda (block 8:0)".
    pub warnings: Vec<String>,
}

/// What stopped an extraction. The first three are the archive's fault
/// (`is_invalid_archive`); callers print them after "invalid archive: ".
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{reason}")]
    InvalidArchive { reason: String },
    #[error("{limit} limit exceeded: {value} > {max}")]
    LimitExceeded { limit: &'static str, value: u64, max: u64 },
    #[error("unsafe entry {path}: {reason}")]
    UnsafeEntry { path: String, reason: String },
    #[error("extracting {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: SysError,
    },
    #[error("reading the archive: {source}")]
    Read {
        #[source]
        source: io::Error,
    },
    #[error("staging folder {path}: {reason}")]
    Dest { path: String, reason: String },
}

impl ExtractError {
    /// True when the archive is at fault (corrupt, over a limit, or an entry
    /// that would escape): bad input, exit code 2. False for the machine's
    /// faults (disk full, unreadable input, unusable staging folder).
    pub fn is_invalid_archive(&self) -> bool {
        matches!(self, Self::InvalidArchive { .. } | Self::LimitExceeded { .. } | Self::UnsafeEntry { .. })
    }
}

fn invalid(reason: impl Into<String>) -> ExtractError {
    ExtractError::InvalidArchive { reason: reason.into() }
}

/// An entry name for messages: lossy UTF-8, control characters escaped,
/// long names shortened.
pub(crate) fn shown(raw: &[u8]) -> String {
    let lossy = String::from_utf8_lossy(raw);
    let text: String = lossy.chars().take(160).collect();
    let more = if text.len() < lossy.len() { "…" } else { "" };
    format!("{}{more}", text.escape_debug())
}

/// Extracts one layer from `reader` (plain tar, or gzip detected by its magic
/// bytes 1f 8b) into the existing empty directory `dest`.
///
/// Nothing is ever written outside `dest`; on error `dest` holds a partial
/// tree, which the caller removes (it is a staging folder).
pub fn extract_layer(
    reader: impl Read,
    dest: &Path,
    limits: &Limits,
    progress: &mut dyn FnMut(u64),
) -> Result<Extracted, ExtractError> {
    let dest_err = |reason: String| ExtractError::Dest { path: dest.display().to_string(), reason };
    let root = beneath::open_root(dest).map_err(|e| dest_err(e.to_string()))?;
    if !beneath::list(root.as_fd()).map_err(|e| dest_err(e.to_string()))?.is_empty() {
        return Err(dest_err("is not empty".into()));
    }
    let meter = Rc::new(Meter::new(limits));
    let mut raw = Metered { inner: reader, meter: meter.clone(), raw: true };
    let mut magic = Vec::with_capacity(6);
    (&mut raw).take(6).read_to_end(&mut magic).map_err(|e| meter.fail(e))?;
    let gzip = magic.starts_with(&[0x1f, 0x8b]);
    // OCI's `+zstd` layers: a zstd frame's magic number.
    let zstd = magic.starts_with(b"\x28\xb5\x2f\xfd");
    for (name, sig) in [("xz", &b"\xfd7zXZ\0"[..]), ("bzip2", b"BZh")] {
        if magic.starts_with(sig) {
            return Err(invalid(format!("{name}-compressed layers are not supported (plain tar, gzip or zstd only)")));
        }
    }
    let compressed = gzip || zstd;
    // A plain tar is its own uncompressed stream: hash it once.
    meter.tar.hashing.set(compressed);
    let head = io::Cursor::new(magic).chain(raw);
    let decoded = if gzip {
        Decoded::Gzip(flate2::read::MultiGzDecoder::new(head))
    } else if zstd {
        Decoded::Zstd(zstd::stream::read::Decoder::new(head).map_err(|e| meter.fail(e))?)
    } else {
        Decoded::Plain(head)
    };
    let mut archive = tar::Archive::new(Metered { inner: decoded, meter: meter.clone(), raw: false });

    let mut ticker = Ticker { report: progress, last: 0 };
    let mut writer = Writer::new(root, limits);
    read_entries(&mut archive, &mut writer, &meter, &mut ticker)?;
    drain(archive.into_inner(), &meter)?;
    writer.finish()?;
    (ticker.report)(meter.raw.bytes.get());
    let mut out = writer.out;
    out.size = meter.tar.bytes.get();
    out.diff_id = if compressed { meter.tar.digest() } else { meter.raw.digest() };
    out.blob_digest = meter.raw.digest();
    Ok(out)
}
