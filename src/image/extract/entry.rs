//! Reading the tar's entries and deciding what each one is: long names and
//! PAX records applied, numeric fields checked, the name split into safe
//! components, and `.wh.` names recognised as whiteouts.

use super::stream::{Meter, Ticker};
use super::writer::Writer;
use super::{ExtractError, Limits, invalid, shown};
use std::ffi::{CStr, CString};
use std::io::{self, Read};

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

pub(super) fn read_entries<R: Read>(
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
pub(super) struct Item {
    pub(super) path: Vec<u8>,
    pub(super) link: Option<Vec<u8>>,
    pub(super) kind: u8,
    pub(super) mode: u32,
    pub(super) uid: u32,
    pub(super) gid: u32,
    pub(super) mtime: i64,
    pub(super) size: u64,
    pub(super) dev: Option<(u32, u32)>,
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
                    limits.over_size(size)?;
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

/// Splits an entry name into components: leading `/` and `.` parts dropped
/// (as tar does), `..` refused, length and depth checked.
pub(super) fn components(raw: &[u8], limits: &Limits) -> Result<Vec<CString>, ExtractError> {
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
pub(super) enum Whiteout {
    /// `.wh..wh..opq`: hide every lower entry of the parent directory.
    Opaque,
    /// `.wh.NAME`: hide lower `NAME`.
    Hide(CString),
}

pub(super) fn whiteout(name: &CStr) -> Result<Option<Whiteout>, &'static str> {
    let Some(rest) = name.to_bytes().strip_prefix(b".wh.") else { return Ok(None) };
    match rest {
        b".wh..opq" => Ok(Some(Whiteout::Opaque)),
        b"" | b"." | b".." => Err("whiteout of '.', '..' or nothing"),
        r if r.starts_with(b".wh.") => Err("unknown whiteout metadata name"),
        r => Ok(Some(Whiteout::Hide(CString::new(r).map_err(|_| "nul byte in name")?))),
    }
}
