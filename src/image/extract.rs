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
//! in the tar does not matter. See the overlayfs documentation
//! (Documentation/filesystems/overlayfs.rst) and the OCI image-spec layer.md.
//!
//! **Digests.** An image manifest names a compressed blob by the sha256 of its
//! bytes, but the image config lists each layer by its *diff ID*: the sha256
//! of the uncompressed tar. The same layer recompressed (another gzip level)
//! keeps its diff ID, so the store is keyed by it. Both are computed while
//! streaming, and the stream is read to its end so they cover every byte.
//!
//! **Limits** stop archives built to exhaust the machine with a named limit
//! before the disk or memory fills: entries, depth, path and name length, and
//! content bytes (checked against each header's size before writing), plus
//! fixed bounds on PAX headers (1 MiB), zero padding after the end (1 MiB)
//! and the whole stream (twice the content limit plus 1 MiB), so a gzip bomb
//! that expands into padding or skipped entries stops too.

use crate::sys::SysError;
use crate::sys::beneath::{self, FileKind, WalkError};
use sha2::{Digest, Sha256};
use std::cell::{Cell, RefCell};
use std::ffi::{CStr, CString};
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;
use std::rc::Rc;

/// Bounds on what one layer may hold; exceeding one is `LimitExceeded`.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_entries: u64,
    pub max_depth: usize,
    pub max_path_bytes: usize,
    /// Bytes of file contents. The uncompressed stream as a whole (headers,
    /// padding, trailing zeros) may be twice this plus 1 MiB.
    pub max_bytes: u64,
}

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
            // Bigger than any sensible layer, small enough that a gzip bomb
            // stops before filling a classroom VM's disk.
            max_bytes: 8 << 30,
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
    for (name, sig) in [("zstd", &b"\x28\xb5\x2f\xfd"[..]), ("xz", b"\xfd7zXZ\0"), ("bzip2", b"BZh")] {
        if magic.starts_with(sig) {
            return Err(invalid(format!("{name}-compressed layers are not supported (plain tar or gzip only)")));
        }
    }
    // A plain tar is its own uncompressed stream: hash it once.
    meter.tar.hashing.set(gzip);
    let head = io::Cursor::new(magic).chain(raw);
    let decoded = if gzip { Decoded::Gzip(flate2::read::MultiGzDecoder::new(head)) } else { Decoded::Plain(head) };
    let mut archive = tar::Archive::new(Metered { inner: decoded, meter: meter.clone(), raw: false });

    let mut ticker = Ticker { report: progress, last: 0 };
    let mut writer = Writer::new(root, limits);
    read_entries(&mut archive, &mut writer, &meter, &mut ticker)?;
    drain(archive.into_inner(), &meter)?;
    writer.finish()?;
    (ticker.report)(meter.raw.bytes.get());
    let mut out = writer.out;
    out.diff_id = if gzip { meter.tar.digest() } else { meter.raw.digest() };
    out.blob_digest = meter.raw.digest();
    Ok(out)
}

/// Calls the progress callback at most once per MiB read.
struct Ticker<'p> {
    report: &'p mut dyn FnMut(u64),
    last: u64,
}

impl Ticker<'_> {
    fn tick(&mut self, meter: &Meter) {
        let now = meter.raw.bytes.get();
        if now >= self.last + (1 << 20) {
            self.last = now;
            (self.report)(now);
        }
    }
}

/// Byte count and running sha256 of one stage of the stream.
struct Side {
    bytes: Cell<u64>,
    hash: RefCell<Sha256>,
    hashing: Cell<bool>,
    eof: Cell<bool>,
}

impl Default for Side {
    fn default() -> Self {
        Side { bytes: Cell::default(), hash: RefCell::default(), hashing: Cell::new(true), eof: Cell::default() }
    }
}

impl Side {
    fn digest(&self) -> String {
        format!("sha256:{}", hex::encode(self.hash.borrow().clone().finalize()))
    }
}

/// Shared between the raw and the uncompressed reader: counts, hashes, and
/// why a read failed (a limit, the input itself, or bad data).
struct Meter {
    raw: Side,
    tar: Side,
    cap: u64,
    over: Cell<Option<u64>>,
    input_failed: Cell<bool>,
}

impl Meter {
    fn new(limits: &Limits) -> Meter {
        let cap = limits.max_bytes.saturating_mul(2).saturating_add(1 << 20);
        Meter { raw: Side::default(), tar: Side::default(), cap, over: Cell::new(None), input_failed: Cell::new(false) }
    }

    /// Names the cause of an error that came up through the decoder or tar.
    fn fail(&self, e: io::Error) -> ExtractError {
        if let Some(value) = self.over.get() {
            ExtractError::LimitExceeded { limit: "stream bytes", value, max: self.cap }
        } else if self.input_failed.get() {
            ExtractError::Read { source: e }
        } else {
            // The tar crate quotes header bytes in its messages: escape them.
            invalid(shown(e.to_string().as_bytes()))
        }
    }
}

struct Metered<R> {
    inner: R,
    meter: Rc<Meter>,
    raw: bool,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // Only the raw side's errors are the input's own; the
                    // decoder's are about the data.
                    if self.raw {
                        self.meter.input_failed.set(true);
                    }
                    return Err(e);
                }
                Ok(n) => break n,
            }
        };
        let side = if self.raw { &self.meter.raw } else { &self.meter.tar };
        side.eof.set(side.eof.get() || (n == 0 && !buf.is_empty()));
        if side.hashing.get() {
            side.hash.borrow_mut().update(&buf[..n]);
        }
        let total = side.bytes.get() + n as u64;
        side.bytes.set(total);
        if total > self.meter.cap {
            self.meter.over.set(Some(total));
            return Err(io::Error::other("stream limit reached"));
        }
        Ok(n)
    }
}

type Head<R> = io::Chain<io::Cursor<Vec<u8>>, Metered<R>>;

enum Decoded<R: Read> {
    Plain(Head<R>),
    Gzip(flate2::read::MultiGzDecoder<Head<R>>),
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoded::Plain(r) => r.read(buf),
            Decoded::Gzip(r) => r.read(buf),
        }
    }
}

/// tar pads an archive to its record size: 10 KiB by default, a few hundred
/// KiB with a large `-b`. A MiB of zeros after the end is a bomb, not padding.
const MAX_PADDING: u64 = 1 << 20;

/// Reads what follows the end-of-archive block: only zeros may (padding to
/// the record size); then the raw input to its end, for the blob digest.
fn drain<R: Read>(mut tail: Metered<Decoded<R>>, meter: &Meter) -> Result<(), ExtractError> {
    if meter.tar.eof.get() {
        return Err(invalid("archive ends without its end-of-archive blocks (truncated?)"));
    }
    let mut buf = vec![0u8; 64 << 10];
    let mut padding = 0u64;
    loop {
        let n = tail.read(&mut buf).map_err(|e| meter.fail(e))?;
        if n == 0 {
            break;
        }
        if buf[..n].iter().any(|b| *b != 0) {
            return Err(invalid("data after the end-of-archive blocks"));
        }
        padding += n as u64;
        if padding > MAX_PADDING {
            return Err(ExtractError::LimitExceeded { limit: "padding bytes", value: padding, max: MAX_PADDING });
        }
    }
    let raw = match tail.inner {
        Decoded::Plain(r) => r,
        Decoded::Gzip(r) => r.into_inner(),
    };
    io::copy(&mut raw.into_inner().1, &mut io::sink()).map_err(|e| meter.fail(e))?;
    Ok(())
}

/// GNU long names, long link names and PAX records waiting for their entry.
#[derive(Default)]
struct Pending {
    name: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    pax: Option<Vec<u8>>,
}

/// PAX records carry paths, times, ids and xattrs; 1 MiB is far beyond any
/// real header and keeps a hostile one from filling memory.
const MAX_PAX_BYTES: u64 = 1 << 20;

fn read_entries<R: Read>(
    archive: &mut tar::Archive<R>,
    writer: &mut Writer,
    meter: &Meter,
    ticker: &mut Ticker,
) -> Result<(), ExtractError> {
    let limits = writer.limits;
    let mut pending = Pending::default();
    let mut count = 0u64;
    // Raw mode: the tar crate would read a long-name or PAX member of any
    // size into memory; here each is bounded before it is read.
    for entry in archive.entries().map_err(|e| meter.fail(e))?.raw(true) {
        let mut entry = entry.map_err(|e| match meter.fail(e) {
            ExtractError::InvalidArchive { reason } if count == 0 => invalid(format!("not a tar archive ({reason})")),
            other => other,
        })?;
        let kind = entry.header().entry_type().as_byte();
        // Long names carry a NUL terminator: room for it, but not counted.
        let path_max = limits.max_path_bytes as u64;
        let slot = match kind {
            b'L' => Some((&mut pending.name, "path bytes", path_max, 1)),
            b'K' => Some((&mut pending.link, "path bytes", path_max, 1)),
            b'x' => Some((&mut pending.pax, "pax header bytes", MAX_PAX_BYTES, 0)),
            _ => None,
        };
        if let Some((slot, limit, max, nul)) = slot {
            if slot.is_some() {
                return Err(invalid("two extension headers of one kind for one entry"));
            }
            if entry.size() > max + nul {
                return Err(ExtractError::LimitExceeded { limit, value: entry.size() - nul, max });
            }
            let mut data = Vec::new();
            entry.read_to_end(&mut data).map_err(|e| meter.fail(e))?;
            if kind != b'x' {
                let end = data.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
                data.truncate(end);
            }
            *slot = Some(data);
            continue;
        }
        count += 1;
        if count > limits.max_entries {
            return Err(ExtractError::LimitExceeded { limit: "entries", value: count, max: limits.max_entries });
        }
        if kind == b'g' {
            // Global PAX defaults (git archive's commit id): nothing to apply.
            continue;
        }
        let item = Item::new(entry.header(), std::mem::take(&mut pending), limits)?;
        writer.apply(&item, &mut entry, meter, ticker)?;
        ticker.tick(meter);
    }
    if pending.name.is_some() || pending.link.is_some() || pending.pax.is_some() {
        return Err(invalid("extension header with no entry after it"));
    }
    Ok(())
}

/// One tar entry's metadata, with long names and PAX records applied.
struct Item {
    path: Vec<u8>,
    link: Option<Vec<u8>>,
    kind: u8,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: i64,
    size: u64,
    dev: Option<(u32, u32)>,
}

fn num<T: std::str::FromStr>(what: &str, v: &[u8]) -> Result<T, ExtractError> {
    std::str::from_utf8(v).ok().and_then(|s| s.trim().parse().ok()).ok_or_else(|| invalid(format!("bad {what} value")))
}

impl Item {
    fn new(h: &tar::Header, pending: Pending, limits: &Limits) -> Result<Item, ExtractError> {
        // An empty field (all NULs, as tar::Builder leaves unset ones) reads
        // as 0, like GNU tar and Go's archive/tar read it.
        let field = |parsed: io::Result<u64>, at: std::ops::Range<usize>, what: &str| {
            parsed.or_else(|e| match h.as_bytes()[at].iter().all(|b| matches!(b, 0 | b' ')) {
                true => Ok(0),
                false => Err(invalid(format!("bad {what} field: {}", shown(e.to_string().as_bytes())))),
            })
        };
        let kind = h.entry_type().as_byte();
        let dev = match (kind, h.as_ustar().is_some() || h.as_gnu().is_some()) {
            (b'3' | b'4', true) => Some((
                field(h.device_major().map(|d| d.unwrap_or(0).into()), 329..337, "devmajor")? as u32,
                field(h.device_minor().map(|d| d.unwrap_or(0).into()), 337..345, "devminor")? as u32,
            )),
            _ => None,
        };
        let id = |v: u64| u32::try_from(v).map_err(|_| invalid(format!("owner id {v} out of range")));
        let mut item = Item {
            path: pending.name.unwrap_or_else(|| h.path_bytes().into_owned()),
            link: pending.link.or_else(|| h.link_name_bytes().map(|l| l.into_owned())),
            kind,
            mode: field(h.mode().map(u64::from), 100..108, "mode")? as u32 & 0o7777,
            uid: id(field(h.uid(), 108..116, "uid")?)?,
            gid: id(field(h.gid(), 116..124, "gid")?)?,
            mtime: i64::try_from(field(h.mtime(), 136..148, "mtime")?).unwrap_or(i64::MAX),
            // The tar crate already parsed the size to find the next header.
            size: field(h.entry_size(), 124..136, "size")?,
            dev,
        };
        for record in tar::PaxExtensions::new(pending.pax.as_deref().unwrap_or_default()) {
            let record = record.map_err(|e| invalid(format!("malformed pax header: {e}")))?;
            let value = record.value_bytes();
            match record.key_bytes() {
                b"path" => item.path = value.to_vec(),
                b"linkpath" => item.link = Some(value.to_vec()),
                b"uid" => item.uid = num("pax uid", value)?,
                b"gid" => item.gid = num("pax gid", value)?,
                b"mtime" => item.mtime = num("pax mtime", value.split(|b| *b == b'.').next().unwrap_or_default())?,
                b"size" => {
                    // The tar crate steps over the header's size in raw mode;
                    // a disagreeing PAX size would desynchronise the stream.
                    let size: u64 = num("pax size", value)?;
                    if size > limits.max_bytes {
                        return Err(ExtractError::LimitExceeded { limit: "bytes", value: size, max: limits.max_bytes });
                    }
                    if size != item.size {
                        return Err(invalid("pax size differs from the header size"));
                    }
                }
                k if k.starts_with(b"GNU.sparse.") => return Err(invalid("sparse files are not supported")),
                _ => {}
            }
        }
        // Old (v7) tars mark directories by a trailing slash on a '\0' entry.
        if item.kind == 0 && item.path.ends_with(b"/") {
            item.kind = b'5';
        }
        Ok(item)
    }
}

/// An entry name for messages: lossy UTF-8, control characters escaped,
/// long names shortened.
fn shown(raw: &[u8]) -> String {
    let lossy = String::from_utf8_lossy(raw);
    let text: String = lossy.chars().take(160).collect();
    let more = if text.len() < lossy.len() { "…" } else { "" };
    format!("{}{more}", text.escape_debug())
}

/// Splits an entry name into components: leading `/` and `.` parts dropped
/// (as tar does), `..` refused, length and depth checked.
fn components(raw: &[u8], limits: &Limits) -> Result<Vec<CString>, ExtractError> {
    let unsafe_entry = |reason: &str| ExtractError::UnsafeEntry { path: shown(raw), reason: reason.into() };
    if raw.len() > limits.max_path_bytes {
        let (value, max) = (raw.len() as u64, limits.max_path_bytes as u64);
        return Err(ExtractError::LimitExceeded { limit: "path bytes", value, max });
    }
    let mut out = Vec::new();
    for part in raw.split(|b| *b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => return Err(unsafe_entry("'..' component")),
            _ if part.len() > NAME_MAX => {
                return Err(ExtractError::LimitExceeded {
                    limit: "name bytes",
                    value: part.len() as u64,
                    max: NAME_MAX as u64,
                });
            }
            _ => out.push(CString::new(part).map_err(|_| unsafe_entry("name contains a nul byte"))?),
        }
    }
    if out.len() > limits.max_depth {
        let (value, max) = (out.len() as u64, limits.max_depth as u64);
        return Err(ExtractError::LimitExceeded { limit: "depth", value, max });
    }
    Ok(out)
}

/// The longest file name Linux filesystems accept (NAME_MAX).
const NAME_MAX: usize = 255;

/// What a `.wh.` name asks for.
#[derive(Debug, PartialEq)]
enum Whiteout {
    /// `.wh..wh..opq`: hide every lower entry of the parent directory.
    Opaque,
    /// `.wh.NAME`: hide lower `NAME`.
    Hide(CString),
}

fn whiteout(name: &CStr) -> Result<Option<Whiteout>, &'static str> {
    let Some(rest) = name.to_bytes().strip_prefix(b".wh.") else { return Ok(None) };
    match rest {
        b".wh..opq" => Ok(Some(Whiteout::Opaque)),
        b"" | b"." | b".." => Err("whiteout of '.', '..' or nothing"),
        r if r.starts_with(b".wh.") => Err("unknown whiteout metadata name"),
        r => Ok(Some(Whiteout::Hide(CString::new(r).map_err(|_| "nul byte in name")?))),
    }
}

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
struct Writer<'l> {
    root: OwnedFd,
    limits: &'l Limits,
    /// The parent directory of the previous entry: tars list siblings
    /// together, so most entries skip the walk from the root.
    parent: Option<(Vec<CString>, OwnedFd)>,
    /// Directory mtimes, set last (creating children changes them).
    dir_times: Vec<(Vec<CString>, i64)>,
    out: Extracted,
    more_warnings: u64,
}

impl<'l> Writer<'l> {
    fn new(root: OwnedFd, limits: &'l Limits) -> Self {
        Writer { root, limits, parent: None, dir_times: Vec::new(), out: Extracted::default(), more_warnings: 0 }
    }

    fn unsafe_entry(path: &[u8], reason: impl Into<String>) -> ExtractError {
        ExtractError::UnsafeEntry { path: shown(path), reason: reason.into() }
    }

    fn apply(
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
                beneath::set_xattr(at, c"trusted.overlay.opaque", b"y").map_err(sys_err(path))?;
            }
            (Some(Whiteout::Hide(hidden)), _) => whiteout_at(at, &hidden, path)?,
            (None, b'3') if item.dev == Some((0, 0)) => whiteout_at(at, name, path)?,
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
        let total = self.out.bytes.saturating_add(item.size);
        if total > self.limits.max_bytes {
            return Err(ExtractError::LimitExceeded { limit: "bytes", value: total, max: self.limits.max_bytes });
        }
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

    /// Sets directory mtimes last: creating entries inside changed them.
    fn finish(&mut self) -> Result<(), ExtractError> {
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

fn described(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Dir => "is a directory",
        FileKind::Symlink => "is a symlink",
        FileKind::File => "is a file",
        FileKind::Other => "is a device, fifo or whiteout",
    }
}

/// Turns `name` into an overlayfs whiteout, replacing whatever this layer
/// already put there.
fn whiteout_at(dir: BorrowedFd, name: &CStr, path: &[u8]) -> Result<(), ExtractError> {
    beneath::remove_all(dir, name).map_err(sys_err(path))?;
    beneath::whiteout(dir, name).map_err(sys_err(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
    use std::path::PathBuf;

    /// One raw ustar header, written by hand: tar::Builder refuses `..`,
    /// absolute names and the other shapes these tests need.
    struct H<'a> {
        name: &'a [u8],
        kind: u8,
        mode: u32,
        link: &'a str,
        size: u64,
        dev: (u32, u32),
        owner: (u32, u32),
        mtime: u64,
    }

    fn h(name: &(impl AsRef<[u8]> + ?Sized), kind: u8) -> H<'_> {
        let mode = if kind == b'5' { 0o755 } else { 0o644 };
        H { name: name.as_ref(), kind, mode, link: "", size: 0, dev: (0, 0), owner: (0, 0), mtime: 1_600_000_000 }
    }

    fn octal(field: &mut [u8], v: u64) {
        let w = field.len() - 1;
        field[..w].copy_from_slice(format!("{v:0w$o}").as_bytes());
    }

    impl H<'_> {
        fn block(&self) -> [u8; 512] {
            let mut b = [0u8; 512];
            b[..self.name.len().min(100)].copy_from_slice(&self.name[..self.name.len().min(100)]);
            octal(&mut b[100..108], self.mode as u64);
            octal(&mut b[108..116], self.owner.0 as u64);
            octal(&mut b[116..124], self.owner.1 as u64);
            octal(&mut b[124..136], self.size);
            octal(&mut b[136..148], self.mtime);
            b[156] = self.kind;
            b[157..157 + self.link.len()].copy_from_slice(self.link.as_bytes());
            b[257..265].copy_from_slice(b"ustar\x0000");
            octal(&mut b[329..337], self.dev.0 as u64);
            octal(&mut b[337..345], self.dev.1 as u64);
            seal(&mut b);
            b
        }
    }

    /// Writes a header's checksum: the byte sum with the field itself as spaces.
    fn seal(b: &mut [u8]) {
        b[148..156].copy_from_slice(b"        ");
        let sum: u32 = b[..512].iter().map(|x| *x as u32).sum();
        b[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    }

    #[derive(Default)]
    struct Tar(Vec<u8>);

    impl Tar {
        /// Appends a header (preceded by a GNU long-name entry if the name
        /// needs one) and its data.
        fn put(mut self, mut hdr: H, data: &[u8]) -> Self {
            if hdr.name.len() > 100 {
                let long = [hdr.name, b"\0"].concat();
                self = self.put(H { size: long.len() as u64, ..h("././@LongLink", b'L') }, &long);
            }
            hdr.size = hdr.size.max(data.len() as u64);
            self.0.extend_from_slice(&hdr.block());
            self.0.extend_from_slice(data);
            self.0.resize(self.0.len().div_ceil(512) * 512, 0);
            self
        }
        fn file(self, name: &str, data: &str) -> Self {
            self.put(h(name, b'0'), data.as_bytes())
        }
        fn dir(self, name: &str, mode: u32) -> Self {
            self.put(H { mode, ..h(name, b'5') }, b"")
        }
        fn sym(self, name: &str, target: &str) -> Self {
            self.put(H { link: target, ..h(name, b'2') }, b"")
        }
        fn link(self, name: &str, target: &str) -> Self {
            self.put(H { link: target, ..h(name, b'1') }, b"")
        }
        fn dev(self, name: &str, kind: u8, major: u32, minor: u32) -> Self {
            self.put(H { dev: (major, minor), ..h(name, kind) }, b"")
        }
        fn pax(self, records: &[(&str, &str)]) -> Self {
            let mut body = Vec::new();
            for (k, v) in records {
                let rest = format!(" {k}={v}\n");
                let mut len = rest.len() + 1;
                len += format!("{len}").len() - 1;
                body.extend_from_slice(format!("{len}{rest}").as_bytes());
            }
            self.put(h("PaxHeader", b'x'), &body)
        }
        fn end(mut self) -> Vec<u8> {
            self.0.extend_from_slice(&[0u8; 1024]);
            self.0
        }
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    /// A staging folder and, beside it, a victim folder whose file must come
    /// through every scenario unchanged (content, mode, link count).
    struct Scene {
        top: PathBuf,
        dest: PathBuf,
        victim: PathBuf,
        secret: String,
    }

    impl Scene {
        fn new(test: &str) -> Scene {
            let top = std::env::temp_dir().join(format!("glassbox-extract-{test}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&top);
            let (dest, victim) = (top.join("dest"), top.join("victim"));
            std::fs::create_dir_all(&dest).unwrap();
            std::fs::create_dir_all(&victim).unwrap();
            let seed = format!("{test}{:?}", std::time::SystemTime::now());
            let secret = hex::encode(Sha256::digest(seed.as_bytes()));
            std::fs::write(victim.join("file"), &secret).unwrap();
            std::fs::set_permissions(victim.join("file"), std::fs::Permissions::from_mode(0o640)).unwrap();
            std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o750)).unwrap();
            Scene { top, dest, victim, secret }
        }
        fn run(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
            self.run_with(bytes, &Limits::default())
        }
        fn run_with(&self, bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
            extract_layer(bytes, &self.dest, limits, &mut |_| {})
        }
        fn at(&self, rel: &str) -> PathBuf {
            self.dest.join(rel)
        }
        fn victim_str(&self) -> String {
            self.victim.display().to_string()
        }
        fn assert_victim_intact(&self) {
            let names = |dir: &Path| {
                let mut v: Vec<String> =
                    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
                v.sort();
                v
            };
            assert_eq!(names(&self.top), ["dest", "victim"], "something appeared beside the staging folder");
            assert_eq!(names(&self.victim), ["file"]);
            let dir = std::fs::symlink_metadata(&self.victim).unwrap();
            assert!(dir.is_dir() && dir.mode() & 0o7777 == 0o750, "victim dir changed: {:o}", dir.mode());
            let file = std::fs::symlink_metadata(self.victim.join("file")).unwrap();
            assert_eq!((file.mode() & 0o7777, file.nlink(), file.uid()), (0o640, 1, 0));
            assert_eq!(std::fs::read_to_string(self.victim.join("file")).unwrap(), self.secret);
        }
    }

    impl Drop for Scene {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.top);
        }
    }

    /// The error's kind: "invalid", "unsafe", "dest", "io", or the limit name.
    fn kind(err: &ExtractError) -> &'static str {
        match err {
            ExtractError::InvalidArchive { .. } => "invalid",
            ExtractError::LimitExceeded { limit, .. } => limit,
            ExtractError::UnsafeEntry { .. } => "unsafe",
            ExtractError::Dest { .. } => "dest",
            ExtractError::Io { .. } | ExtractError::Read { .. } => "io",
        }
    }

    fn fails(result: Result<Extracted, ExtractError>, want: &str) -> String {
        let err = result.expect_err(want);
        assert_eq!(kind(&err), want, "{err}");
        assert_eq!(err.is_invalid_archive(), !matches!(want, "dest" | "io"));
        err.to_string()
    }

    type Build<'a> = &'a dyn Fn(&Scene) -> Vec<u8>;

    /// Runs each archive in a fresh scene, expecting `want` and an intact victim.
    fn each_fails(test: &str, want: &str, cases: &[(&str, Build)]) {
        for (i, (what, build)) in cases.iter().enumerate() {
            let scene = Scene::new(&format!("{test}{i}"));
            let Err(err) = scene.run(&build(&scene)) else { panic!("{what}: extracted without error") };
            assert_eq!(kind(&err), want, "{what}: {err}");
            scene.assert_victim_intact();
        }
    }

    #[test]
    fn extract_digests_cover_plain_and_gzip_streams() {
        let tar = Tar::default().dir("./", 0o755).file("etc/hostname", "box\n").sym("bin", "usr/bin").end();
        let scene = Scene::new("digests");
        let mut seen = Vec::new();
        let x = extract_layer(&tar[..], &scene.dest, &Limits::default(), &mut |n| seen.push(n)).unwrap();
        let want = format!("sha256:{}", hex::encode(Sha256::digest(&tar)));
        assert_eq!(
            (x.diff_id.as_str(), x.blob_digest.as_str(), x.files, x.bytes),
            (want.as_str(), want.as_str(), 3, 4)
        );
        assert_eq!(seen.last(), Some(&(tar.len() as u64)));
        let zipped = gz(&tar);
        let scene = Scene::new("digests-gz");
        let y = scene.run(&zipped).unwrap();
        assert_eq!(y.diff_id, want);
        assert_eq!(y.blob_digest, format!("sha256:{}", hex::encode(Sha256::digest(&zipped))));
        assert_eq!(std::fs::read_link(scene.at("bin")).unwrap(), Path::new("usr/bin"));
        scene.assert_victim_intact();
    }

    #[test]
    fn extract_refuses_dotdot_and_roots_absolute_names_in_dest() {
        each_fails(
            "dotdot",
            "unsafe",
            &[
                ("../../escape", &|_| Tar::default().file("../../escape", "x").end()),
                ("../victim/file", &|_| Tar::default().file("../victim/file", "x").end()),
                ("a/../../victim", &|_| Tar::default().file("a/../../victim/file", "x").end()),
                ("pax path ..", &|_| Tar::default().pax(&[("path", "../x")]).file("x", "").end()),
            ],
        );
        let scene = Scene::new("escapes");
        let err = fails(scene.run(&Tar::default().file("\x1b[2J/../x", "").end()), "unsafe");
        assert!(err.starts_with("unsafe entry \\u{1b}[2J/../x:"), "{err}");
        let scene = Scene::new("absolute");
        let victim_file = format!("{}/file", scene.victim_str());
        scene.run(&Tar::default().file("/etc/cron.d/x", "job").file(&victim_file, "pwned").end()).unwrap();
        assert_eq!(std::fs::read_to_string(scene.at("etc/cron.d/x")).unwrap(), "job");
        assert_eq!(std::fs::read_to_string(scene.dest.join(victim_file.trim_start_matches('/'))).unwrap(), "pwned");
        scene.assert_victim_intact();
    }

    #[test]
    fn extract_never_walks_through_a_symlink() {
        let escape = format!("glassbox-escape-{}", std::process::id());
        each_fails(
            "symlink",
            "unsafe",
            &[
                ("s -> / then s/<victim>/file", &|s| {
                    let through = format!("s{}/file", s.victim_str());
                    Tar::default().sym("s", "/").file(&through, "pwned").end()
                }),
                ("s -> ../../.. then dir s/x/y/", &|_| {
                    Tar::default().sym("s", "../../..").dir(&format!("s/{escape}/y/"), 0o755).end()
                }),
                ("t -> .. then dir t/victim/y/", &|_| Tar::default().sym("t", "..").dir("t/victim/y/", 0o755).end()),
                ("s -> victim then s/file", &|s| Tar::default().sym("s", &s.victim_str()).file("s/file", "x").end()),
            ],
        );
        let up = std::fs::canonicalize(std::env::temp_dir()).unwrap().join("../..").join(&escape);
        assert!(!up.exists() && !Path::new("/").join(&escape).exists());
    }

    #[test]
    fn extract_dir_entry_replaces_a_symlink_instead_of_chmodding_its_target() {
        let scene = Scene::new("chmod");
        scene.run(&Tar::default().sym("d", &scene.victim_str()).dir("d", 0o777).end()).unwrap();
        let d = std::fs::symlink_metadata(scene.at("d")).unwrap();
        assert!(d.is_dir() && d.mode() & 0o7777 == 0o777);
        scene.assert_victim_intact();
    }

    #[test]
    fn extract_hard_links_only_to_files_of_this_layer() {
        each_fails(
            "hardlink",
            "unsafe",
            &[
                ("/etc/shadow", &|_| Tar::default().link("h", "/etc/shadow").end()),
                ("../../x", &|_| Tar::default().link("h", "../../x").end()),
                ("victim by absolute path", &|s| Tar::default().link("h", &format!("{}/file", s.victim_str())).end()),
                ("a name not in the archive", &|_| Tar::default().file("f", "x").link("h", "missing").end()),
                ("an in-archive symlink out", &|s| {
                    Tar::default().sym("s", &format!("{}/file", s.victim_str())).link("h", "s").end()
                }),
                ("through an in-archive symlink", &|s| {
                    Tar::default().sym("s", &s.victim_str()).link("h", "s/file").end()
                }),
                ("a directory", &|_| Tar::default().dir("d", 0o755).link("h", "d").end()),
                ("the layer root", &|_| Tar::default().link("h", "./").end()),
            ],
        );
        let scene = Scene::new("hardlink-ok");
        scene.run(&Tar::default().file("a/f", "x").link("h", "/a/f").link("a/f", "a/f").end()).unwrap();
        let (f, l) = (std::fs::metadata(scene.at("a/f")).unwrap(), std::fs::metadata(scene.at("h")).unwrap());
        assert_eq!((f.ino(), f.nlink()), (l.ino(), 2));
        scene.assert_victim_intact();
    }

    #[test]
    fn extract_skips_devices_and_fifos_but_keeps_whiteout_nodes() {
        let scene = Scene::new("devices");
        let tar = Tar::default().dev("dev/sda", b'4', 8, 0).dev("dev/null", b'3', 1, 3).dev("p", b'6', 0, 0);
        let x = scene.run(&tar.dev("wh", b'3', 0, 0).end()).unwrap();
        assert_eq!(
            x.warnings,
            ["skipped device node dev/sda (block 8:0)", "skipped device node dev/null (char 1:3)", "skipped fifo p"]
        );
        assert!(!scene.at("dev/sda").exists() && !scene.at("dev/null").exists() && !scene.at("p").exists());
        let wh = std::fs::symlink_metadata(scene.at("wh")).unwrap();
        assert!(wh.file_type().is_char_device() && wh.rdev() == 0);
        scene.assert_victim_intact();
    }

    fn is_whiteout(p: &Path) -> bool {
        std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_char_device() && m.rdev() == 0)
    }

    fn opaque(p: &Path) -> Option<Vec<u8>> {
        let fd = beneath::open_root(p).unwrap();
        beneath::get_xattr(fd.as_fd(), c"trusted.overlay.opaque").unwrap()
    }

    #[test]
    fn extract_converts_whiteouts_to_overlay_form() {
        let scene = Scene::new("whiteouts");
        let tar = Tar::default().dir("a", 0o755).file("a/foo/bar", "x").file("a/.wh.foo", "").file(".wh.gone", "");
        scene.run(&tar.file("b/.wh..wh..opq", "").end()).unwrap();
        assert!(is_whiteout(&scene.at("a/foo")) && is_whiteout(&scene.at("gone")));
        assert!(!scene.at("a/.wh.foo").exists() && !scene.at(".wh.gone").exists());
        assert_eq!(opaque(&scene.at("b")), Some(b"y".to_vec()));
        assert!(!scene.at("b/.wh..wh..opq").exists());
        scene.assert_victim_intact();
    }

    #[test]
    fn extract_opaque_marker_before_or_after_gives_the_same_tree() {
        let before = Tar::default().file("a/.wh..wh..opq", "").dir("a", 0o755).file("a/b/c/foo", "x").end();
        let after = Tar::default().dir("a", 0o755).file("a/b/c/foo", "x").file("a/.wh..wh..opq", "").end();
        for (what, tar) in [("before", before), ("after", after)] {
            let scene = Scene::new(&format!("opaque-{what}"));
            scene.run(&tar).unwrap();
            assert_eq!(opaque(&scene.at("a")), Some(b"y".to_vec()), "{what}");
            assert_eq!(opaque(&scene.at("a/b")), None, "{what}");
            assert_eq!(std::fs::read_to_string(scene.at("a/b/c/foo")).unwrap(), "x", "{what}");
            assert_eq!(std::fs::read_dir(scene.at("a")).unwrap().count(), 1, "{what}");
            scene.assert_victim_intact();
        }
    }

    #[test]
    fn extract_rejects_reserved_whiteout_names_and_keeps_the_parent() {
        for (i, name) in [".wh..", ".wh...", ".wh.", ".wh..wh..opqX", ".wh..wh.plnk"].iter().enumerate() {
            let scene = Scene::new(&format!("reserved{i}"));
            let tar = Tar::default().file("a/keep", "k").file(&format!("a/{name}"), "").end();
            fails(scene.run(&tar), "unsafe");
            assert_eq!(std::fs::read_to_string(scene.at("a/keep")).unwrap(), "k", "{name}");
            scene.assert_victim_intact();
        }
        let scene = Scene::new("reserved-dir");
        fails(scene.run(&Tar::default().file("a/.wh.x/y", "").end()), "unsafe");
    }

    #[test]
    fn extract_replaces_files_and_keeps_repeated_directories() {
        let scene = Scene::new("replace");
        let victim_file = format!("{}/file", scene.victim_str());
        let tar = Tar::default().dir("a", 0o755).file("a/f", "child").dir("a", 0o700).file("f", "one").file("f", "two");
        let tar = tar.sym("l", &victim_file).file("l", "mine").file("g", "file").dir("g", 0o755).sym("g/s", "x");
        scene.run(&tar.file("a", "now a file").end()).unwrap();
        assert_eq!(std::fs::read_to_string(scene.at("f")).unwrap(), "two");
        assert_eq!(std::fs::read_to_string(scene.at("l")).unwrap(), "mine");
        assert!(std::fs::symlink_metadata(scene.at("g/s")).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(scene.at("a")).unwrap(), "now a file");
        scene.assert_victim_intact();
        let scene = Scene::new("replace-dir");
        scene.run(&Tar::default().dir("a", 0o755).file("a/f", "child").dir("a", 0o700).end()).unwrap();
        assert_eq!(std::fs::metadata(scene.at("a")).unwrap().mode() & 0o7777, 0o700);
        assert_eq!(std::fs::read_to_string(scene.at("a/f")).unwrap(), "child");
    }

    #[test]
    fn extract_keeps_mode_owner_and_mtime() {
        let scene = Scene::new("meta");
        let tar = Tar::default()
            .put(H { mode: 0o750, mtime: 1_100_000_000, owner: (7, 8), ..h("bin", b'5') }, b"")
            .put(H { mode: 0o4755, owner: (1234, 5678), mtime: 1_000_000_000, ..h("bin/su", b'0') }, b"#!")
            .put(H { link: "su", owner: (9, 9), ..h("bin/s", b'2') }, b"")
            .pax(&[("uid", "4000000"), ("mtime", "1234567890.5")])
            .file("bin/pax", "");
        scene.run(&tar.end()).unwrap();
        let su = std::fs::symlink_metadata(scene.at("bin/su")).unwrap();
        assert_eq!((su.mode() & 0o7777, su.uid(), su.gid(), su.mtime()), (0o4755, 1234, 5678, 1_000_000_000));
        let bin = std::fs::symlink_metadata(scene.at("bin")).unwrap();
        assert_eq!((bin.mode() & 0o7777, bin.uid(), bin.gid(), bin.mtime()), (0o750, 7, 8, 1_100_000_000));
        let s = std::fs::symlink_metadata(scene.at("bin/s")).unwrap();
        assert_eq!((s.uid(), s.mtime()), (9, 1_600_000_000));
        let pax = std::fs::symlink_metadata(scene.at("bin/pax")).unwrap();
        assert_eq!((pax.uid(), pax.mtime()), (4_000_000, 1_234_567_890));
        scene.assert_victim_intact();
    }

    #[test]
    fn extract_reads_empty_numeric_fields_as_zero() {
        let scene = Scene::new("empty-fields");
        let mut tar = Tar::default().put(H { owner: (5, 5), mtime: 9, ..h("f", b'0') }, b"x").end();
        tar[108..124].fill(0);
        tar[136..148].fill(0);
        seal(&mut tar);
        scene.run(&tar).unwrap();
        let f = std::fs::symlink_metadata(scene.at("f")).unwrap();
        assert_eq!((f.uid(), f.gid(), f.mtime()), (0, 0, 0));
        tar[108] = b'z';
        seal(&mut tar);
        let scene = Scene::new("bad-fields");
        fails(scene.run(&tar), "invalid");
    }

    #[test]
    fn extract_long_names_from_gnu_and_pax_headers() {
        let scene = Scene::new("long");
        let long = format!("{}/file", "d".repeat(150));
        let tar = Tar::default().file(&long, "gnu").pax(&[("path", "p/very-long-pax-name")]).file("short", "pax");
        scene.run(&tar.end()).unwrap();
        assert_eq!(std::fs::read_to_string(scene.at(&long)).unwrap(), "gnu");
        assert_eq!(std::fs::read_to_string(scene.at("p/very-long-pax-name")).unwrap(), "pax");
    }

    #[test]
    fn extract_limits_stop_hostile_shapes() {
        let small = Limits { max_entries: 3, ..Limits::default() };
        let scene = Scene::new("limit-entries");
        let many = Tar::default().file("a", "").file("b", "").file("c", "").file("d", "").end();
        fails(scene.run_with(&many, &small), "entries");
        each_fails("limit-depth", "depth", &[("depth 300", &|_| Tar::default().file(&"a/".repeat(300), "").end())]);
        each_fails(
            "limit-path",
            "path bytes",
            &[
                ("depth 5000", &|_| Tar::default().file(&format!("{}f", "a/".repeat(5000)), "").end()),
                ("5000-byte name", &|_| Tar::default().file(&"n".repeat(5000), "").end()),
                ("1 GiB long-name header", &|_| {
                    Tar::default().put(H { size: 1 << 30, ..h("././@LongLink", b'L') }, b"").end()
                }),
            ],
        );
        let ten_mib = Limits { max_bytes: 10 << 20, ..Limits::default() };
        let mib = gz(&vec![0u8; 1 << 20]);
        let header = Tar::default().put(H { size: 50 << 20, ..h("bomb", b'0') }, b"").0;
        let bomb = [gz(&header), mib.repeat(50)].concat();
        let scene = Scene::new("limit-bomb");
        fails(scene.run_with(&bomb, &ten_mib), "bytes");
        assert!(!scene.at("bomb").exists());
        scene.assert_victim_intact();
        let scene = Scene::new("limit-zeros");
        fails(scene.run(&mib.repeat(50)), "padding bytes");
        scene.assert_victim_intact();
        let fifo = Tar::default().put(H { size: 50 << 20, ..h("fifo", b'6') }, b"").0;
        let scene = Scene::new("limit-stream");
        fails(scene.run_with(&[gz(&fifo), mib.repeat(50)].concat(), &ten_mib), "stream bytes");
        scene.assert_victim_intact();
    }

    #[test]
    fn extract_corrupt_input_is_an_invalid_archive() {
        let good = Tar::default().file("f", "hello").end();
        let zipped = gz(&good);
        let mut bad_sum = good.clone();
        bad_sum[0] ^= 0x20;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("truncated gzip", zipped[..zipped.len() / 2].to_vec()),
            ("gzip without its trailer", zipped[..zipped.len() - 4].to_vec()),
            ("gzip then garbage", [zipped.clone(), b"garbage".to_vec()].concat()),
            ("bad checksum", bad_sum),
            ("trailing garbage", [good.clone(), b"garbage after the end".to_vec()].concat()),
            ("not a tar", b"this is not an archive at all".repeat(40)),
            ("short", b"tiny".to_vec()),
            ("empty", vec![]),
            ("truncated content", good[..512 + 3].to_vec()),
            ("no end blocks", good[..1024].to_vec()),
            ("long name with no entry", Tar::default().put(h("././@LongLink", b'L'), b"x\0").end()),
            ("sparse", Tar::default().put(h("s", b'S'), b"").end()),
            ("zstd", b"\x28\xb5\x2f\xfd rest of a zstd frame".to_vec()),
        ];
        for (i, (what, bytes)) in cases.iter().enumerate() {
            let scene = Scene::new(&format!("corrupt{i}"));
            let err = fails(scene.run(bytes), "invalid");
            assert!(!err.is_empty(), "{what}");
            scene.assert_victim_intact();
        }
    }

    /// Yields its bytes, then fails like a disk that went away.
    struct Failing<'a>(&'a [u8]);

    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::from_raw_os_error(libc::EIO));
            }
            self.0.read(buf)
        }
    }

    #[test]
    fn extract_input_errors_are_not_blamed_on_the_archive() {
        let plain = Tar::default().file("f", "hello").end();
        for (i, bytes) in [gz(&plain), plain[..700].to_vec()].iter().enumerate() {
            let scene = Scene::new(&format!("input{i}"));
            let reader = Failing(&bytes[..bytes.len() - 10]);
            let err = fails(extract_layer(reader, &scene.dest, &Limits::default(), &mut |_| {}), "io");
            assert!(err.starts_with("reading the archive:"), "{err}");
            scene.assert_victim_intact();
        }
    }

    #[test]
    fn extract_needs_an_empty_real_directory() {
        let scene = Scene::new("dest");
        let tar = Tar::default().file("f", "x").end();
        std::os::unix::fs::symlink(&scene.victim, scene.top.join("link")).unwrap();
        fails(extract_layer(&tar[..], &scene.top.join("link"), &Limits::default(), &mut |_| {}), "dest");
        std::fs::remove_file(scene.top.join("link")).unwrap();
        std::fs::write(scene.at("old"), b"").unwrap();
        fails(scene.run(&tar), "dest");
        std::fs::remove_file(scene.at("old")).unwrap();
        scene.assert_victim_intact();
    }
}
