//! COPY and ADD: a layer written from the build context, nothing run.
//!
//! The context is read the way a container layer is (`sys::tree::walk`):
//! by descriptor, never following a symlink, so nothing outside the
//! context folder is ever read. A symlink in the context is copied as a
//! symlink, whatever it points at; a source with `..` is refused before the
//! walk. While the layer tar is written, a digest of what it holds (each
//! path, kind, mode, owner, size, and the content's sha256 or the link's
//! target — not the times) is computed: the build cache's key for the step.

use super::ignore::{Ignore, components, has_glob, matches};
use crate::error::UsageError;
use crate::sys::tree::{self, Entry, FileKind, Stat};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Usage(#[from] UsageError),
    #[error(transparent)]
    Sys(#[from] crate::sys::SysError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// What one COPY or ADD takes and where it puts it.
pub struct CopyRequest<'a> {
    pub context: &'a Path,
    pub ignore: &'a Ignore,
    /// The sources as the line names them (variables expanded).
    pub sources: Vec<String>,
    /// The destination inside the image, absolute (WORKDIR applied).
    pub dest: String,
    pub owner: Option<(u32, u32)>,
    pub chmod: Option<u32>,
    /// ADD: a local tar (plain or gzip) is extracted at the destination.
    pub extract_tars: bool,
    /// The instruction, for messages.
    pub what: String,
}

/// The layer tar written, and the digest of its content.
pub struct Copied {
    pub digest: String,
}

/// Where a source's matches go.
struct Top {
    prefix: Vec<String>,
    dest: Vec<String>,
}

struct Writer<W: Write> {
    tar: tar::Builder<W>,
    hash: Sha256,
    made: BTreeSet<Vec<String>>,
    owner: Option<(u32, u32)>,
    chmod: Option<u32>,
}

/// Checks the sources, walks the context and writes the layer tar to `out`.
pub fn write_layer(req: &CopyRequest, out: impl Write) -> Result<Copied, CopyError> {
    let patterns = check_sources(req)?;
    let dest = components(&req.dest);
    let into_folder = req.dest.ends_with('/') || req.sources.len() > 1 || req.sources.iter().any(|s| has_glob(s));
    if (req.sources.len() > 1 || req.sources.iter().any(|s| has_glob(s))) && !req.dest.ends_with('/') {
        return Err(UsageError::CopyDestNotFolder { what: req.what.clone(), dest: req.dest.clone() }.into());
    }
    let mut w = Writer {
        tar: tar::Builder::new(out),
        hash: Sha256::new(),
        made: BTreeSet::new(),
        owner: req.owner,
        chmod: req.chmod,
    };
    let mut tops: Vec<Top> = vec![];
    let mut matched = vec![false; patterns.len()];
    for (i, p) in patterns.iter().enumerate() {
        if p.is_empty() {
            // `.`: the context's contents.
            w.parents(&dest, true)?;
            tops.push(Top { prefix: vec![], dest: dest.clone() });
            matched[i] = true;
        }
    }
    let mut visit = |e: &Entry| -> Result<(), CopyError> {
        let rel: Vec<String> = e.rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
        if req.ignore.excludes(&rel) {
            return Ok(());
        }
        if let Some(top) = tops.iter().find(|t| rel.starts_with(&t.prefix)) {
            let target: Vec<String> = top.dest.iter().chain(&rel[top.prefix.len()..]).cloned().collect();
            return w.entry(e, &target);
        }
        for (i, p) in patterns.iter().enumerate() {
            if p.is_empty() || !matches(p, &rel) {
                continue;
            }
            matched[i] = true;
            let name = rel.last().cloned().unwrap_or_default();
            if e.dir.is_some() {
                w.parents(&dest, true)?;
                w.entry(e, &dest)?;
                tops.push(Top { prefix: rel.clone(), dest: dest.clone() });
            } else {
                let target = if into_folder { dest.iter().cloned().chain([name]).collect() } else { dest.clone() };
                w.parents(&target, false)?;
                if req.extract_tars && e.stat.kind == FileKind::File && is_tar(e)? {
                    w.parents(&dest, true)?;
                    w.extract(e, &dest, &req.what)?;
                } else {
                    w.entry(e, &target)?;
                }
            }
            break;
        }
        Ok(())
    };
    tree::walk(req.context, &mut visit)?;
    if let Some(i) = matched.iter().position(|m| !m) {
        let (what, source, context) = (req.what.clone(), format!("{:?}", req.sources[i]), req.context.into());
        return Err(UsageError::CopyNotInContext { what, source, context }.into());
    }
    let io = |source| CopyError::Io { path: req.context.to_path_buf(), source };
    w.tar.into_inner().map_err(io)?.flush().map_err(io)?;
    Ok(Copied { digest: format!("sha256:{}", hex::encode(w.hash.finalize())) })
}

/// The sources as patterns; `..` (out of the context) and URLs refused.
fn check_sources(req: &CopyRequest) -> Result<Vec<Vec<String>>, CopyError> {
    req.sources
        .iter()
        .map(|s| {
            if s.contains("://") {
                return Err(UsageError::CopyUrl { what: req.what.clone(), source: format!("{s:?}") }.into());
            }
            let parts = components(s);
            if parts.iter().any(|c| c == "..") {
                let (what, source, context) = (req.what.clone(), format!("{s:?}"), req.context.into());
                return Err(UsageError::CopyOutsideContext { what, source, context }.into());
            }
            Ok(parts)
        })
        .collect()
}

/// A local file ADD extracts: gzip's magic bytes, or tar's `ustar` at 257.
fn is_tar(e: &Entry) -> Result<bool, CopyError> {
    let Some((file, _)) = tree::open_file(e.parent, e.name)? else { return Ok(false) };
    let mut head = vec![];
    file.take(263).read_to_end(&mut head).map_err(|source| CopyError::Io { path: e.rel.into(), source })?;
    Ok(head.starts_with(&[0x1f, 0x8b]) || head.get(257..262) == Some(b"ustar"))
}

impl<W: Write> Writer<W> {
    fn header(&self, kind: tar::EntryType, stat: &Stat, copied: bool) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        let mode = match (copied, self.chmod) {
            (true, Some(m)) => m,
            _ => stat.mode & 0o7777,
        };
        h.set_mode(mode);
        let (uid, gid) = match (copied, self.owner) {
            (true, Some(o)) => o,
            (true, None) => (stat.uid, stat.gid),
            (false, _) => (0, 0),
        };
        h.set_uid(uid.into());
        h.set_gid(gid.into());
        h.set_mtime(stat.mtime.max(0) as u64);
        h.set_size(0);
        h
    }

    fn note(&mut self, path: &str, h: &tar::Header, tail: &str) {
        let line = format!(
            "{path}\0{:?}\0{:o}\0{}\0{}\0{}\0{tail}\n",
            h.entry_type(),
            h.mode().unwrap_or(0),
            h.uid().unwrap_or(0),
            h.gid().unwrap_or(0),
            h.size().unwrap_or(0)
        );
        self.hash.update(line.as_bytes());
    }

    fn io(path: &str) -> impl FnOnce(std::io::Error) -> CopyError + '_ {
        move |source| CopyError::Io { path: path.into(), source }
    }

    /// The folders above `target` (and `target` itself when `with_self`),
    /// made root-owned 0755 where this layer has not made them yet.
    fn parents(&mut self, target: &[String], with_self: bool) -> Result<(), CopyError> {
        let upto = if with_self { target.len() } else { target.len().saturating_sub(1) };
        for n in 1..=upto {
            let dir = target[..n].to_vec();
            if self.made.insert(dir.clone()) {
                let stat = Stat {
                    kind: FileKind::Dir,
                    dev: 0,
                    ino: 0,
                    mode: 0o755,
                    uid: 0,
                    gid: 0,
                    size: 0,
                    mtime: 0,
                    rdev: 0,
                };
                let mut h = self.header(tar::EntryType::Directory, &stat, false);
                let path = dir.join("/");
                self.note(&path, &h, "");
                self.tar.append_data(&mut h, &path, std::io::empty()).map_err(Self::io(&path))?;
            }
        }
        Ok(())
    }

    /// One entry of the context at `target`.
    fn entry(&mut self, e: &Entry, target: &[String]) -> Result<(), CopyError> {
        let path = target.join("/");
        if path.is_empty() {
            return Ok(());
        }
        if e.dir.is_some() {
            if self.made.insert(target.to_vec()) {
                let mut h = self.header(tar::EntryType::Directory, &e.stat, true);
                self.note(&path, &h, "");
                self.tar.append_data(&mut h, &path, std::io::empty()).map_err(Self::io(&path))?;
            }
        } else if e.stat.kind == FileKind::Symlink {
            let Ok(link) = tree::read_link(e.parent, e.name) else { return Ok(()) };
            let link = link.to_string_lossy().into_owned();
            let mut h = self.header(tar::EntryType::Symlink, &e.stat, true);
            self.note(&path, &h, &link);
            self.tar.append_link(&mut h, &path, &link).map_err(Self::io(&path))?;
        } else if e.stat.kind == FileKind::File {
            let Some((file, stat)) = tree::open_file(e.parent, e.name)? else { return Ok(()) };
            let mut h = self.header(tar::EntryType::Regular, &stat, true);
            h.set_size(stat.size);
            let mut hasher = Sha256::new();
            let body =
                Hashing { inner: file.take(stat.size).chain(std::io::repeat(0)).take(stat.size), hash: &mut hasher };
            self.tar.append_data(&mut h, &path, body).map_err(Self::io(&path))?;
            let content = hex::encode(hasher.finalize());
            self.note(&path, &h, &content);
        }
        // FIFOs, sockets and devices in a context are not copied.
        Ok(())
    }

    /// ADD of a local tar: its entries under `dest`, each name kept inside.
    fn extract(&mut self, e: &Entry, dest: &[String], what: &str) -> Result<(), CopyError> {
        let Some((file, _)) = tree::open_file(e.parent, e.name)? else { return Ok(()) };
        let mut head = std::io::BufReader::new(file);
        let gz = {
            let buf = std::io::BufRead::fill_buf(&mut head).map_err(Self::io(what))?;
            buf.starts_with(&[0x1f, 0x8b])
        };
        let reader: Box<dyn Read> = if gz { Box::new(flate2::read::GzDecoder::new(head)) } else { Box::new(head) };
        let mut archive = tar::Archive::new(reader);
        let bad = |reason: String| {
            CopyError::Usage(UsageError::CopyBadArchive { what: what.into(), file: e.rel.to_path_buf(), reason })
        };
        for entry in archive.entries().map_err(|e| bad(e.to_string()))? {
            let mut entry = entry.map_err(|e| bad(e.to_string()))?;
            let name = entry.path().map_err(|e| bad(e.to_string()))?.to_string_lossy().into_owned();
            let parts = components(&name);
            if parts.iter().any(|c| c == "..") {
                return Err(bad(format!("entry {name:?} leaves the destination folder")));
            }
            if parts.is_empty() {
                continue;
            }
            let target: Vec<String> = dest.iter().chain(&parts).cloned().collect();
            self.parents(&target, false)?;
            let mut h = entry.header().clone();
            let path = target.join("/");
            let kind = h.entry_type();
            if kind.is_symlink() || kind.is_hard_link() {
                let link = entry.link_name().ok().flatten().map(|l| l.to_string_lossy().into_owned());
                let mut link = link.unwrap_or_default();
                if kind.is_hard_link() {
                    let lp = components(&link);
                    if lp.iter().any(|c| c == "..") {
                        return Err(bad(format!("hard link {name:?} points out of the archive")));
                    }
                    link = dest.iter().chain(&lp).cloned().collect::<Vec<_>>().join("/");
                }
                self.note(&path, &h, &link);
                self.tar.append_link(&mut h, &path, &link).map_err(Self::io(&path))?;
            } else if kind.is_dir() || kind.is_file() {
                if kind.is_dir() && !self.made.insert(target.clone()) {
                    continue;
                }
                let mut hasher = Sha256::new();
                let body = Hashing { inner: &mut entry, hash: &mut hasher };
                self.tar.append_data(&mut h, &path, body).map_err(Self::io(&path))?;
                let content = hex::encode(hasher.finalize());
                self.note(&path, &h, &content);
            }
        }
        Ok(())
    }
}

/// A reader that hashes what passes through it.
struct Hashing<'h, R> {
    inner: R,
    hash: &'h mut Sha256,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}
