//! The byte stream under the tar reader: gzip or zstd decompression (detected in
//! `extract_layer`), byte counts and sha256 digests of both the raw and the
//! uncompressed stream, the size and compression ratio limits, the progress ticker,
//! and the check of what follows the end-of-archive blocks.

use super::{ExtractError, Limits, RATIO_FLOOR, RATIO_LIMIT, invalid, shown};
use sha2::{Digest, Sha256};
use std::cell::{Cell, RefCell};
use std::io::{self, Read};
use std::rc::Rc;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Calls the progress callback at most once per MiB read.
pub(super) struct Ticker<'p> {
    pub(super) report: &'p mut dyn FnMut(u64),
    pub(super) last: u64,
}

impl Ticker<'_> {
    pub(super) fn tick(&mut self, meter: &Meter) {
        let now = meter.raw.bytes.get();
        if now >= self.last + (1 << 20) {
            self.last = now;
            (self.report)(now);
        }
    }
}

/// A sha256 computed on another thread while this one writes files: the
/// hash alone costs about half of what extracting costs, so running both at
/// once keeps an import close to `tar -xf`. Chunks travel by a bounded
/// channel, so memory stays flat however large the layer.
pub struct HashPipe {
    tx: Option<SyncSender<Vec<u8>>>,
    worker: Option<JoinHandle<String>>,
    /// Small reads (tar reads 512-byte headers) are gathered before sending.
    pending: Vec<u8>,
    done: Option<String>,
}

const HASH_CHUNK: usize = 256 << 10;

impl HashPipe {
    pub fn start() -> HashPipe {
        let (tx, rx) = sync_channel::<Vec<u8>>(64);
        let worker = std::thread::spawn(move || {
            let mut h = Sha256::new();
            for chunk in rx {
                h.update(&chunk);
            }
            format!("sha256:{}", hex::encode(h.finalize()))
        });
        HashPipe { tx: Some(tx), worker: Some(worker), pending: Vec::with_capacity(HASH_CHUNK), done: None }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= HASH_CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if let Some(tx) = &self.tx {
            let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(HASH_CHUNK));
            // A worker that is gone (it cannot be) would only lose the digest.
            let _ = tx.send(chunk);
        }
    }

    pub fn finish(&mut self) -> String {
        if self.done.is_none() {
            self.flush();
            drop(self.tx.take());
            let digest = self.worker.take().and_then(|w| w.join().ok()).unwrap_or_default();
            self.done = Some(digest);
        }
        self.done.clone().unwrap_or_default()
    }
}

/// Byte count and running sha256 of one stage of the stream.
pub(super) struct Side {
    pub(super) bytes: Cell<u64>,
    hash: RefCell<HashPipe>,
    pub(super) hashing: Cell<bool>,
    eof: Cell<bool>,
}

impl Default for Side {
    fn default() -> Self {
        Side {
            bytes: Cell::default(),
            hash: RefCell::new(HashPipe::start()),
            hashing: Cell::new(true),
            eof: Cell::default(),
        }
    }
}

impl Side {
    /// The digest of everything read; ends the hashing thread.
    pub(super) fn digest(&self) -> String {
        self.hash.borrow_mut().finish()
    }
}

/// Shared between the raw and the uncompressed reader: counts, hashes, and
/// why a read failed (a limit, the input itself, or bad data).
pub(super) struct Meter {
    pub(super) raw: Side,
    pub(super) tar: Side,
    limits: Limits,
    input_failed: Cell<bool>,
}

impl Meter {
    pub(super) fn new(limits: &Limits) -> Meter {
        Meter { raw: Side::default(), tar: Side::default(), limits: limits.clone(), input_failed: Cell::new(false) }
    }

    /// The limit the bytes read so far break. Checked after every read, so
    /// the read that breaks one fails and nothing after it is read.
    fn broken_limit(&self) -> Option<ExtractError> {
        let (raw, tar, l) = (self.raw.bytes.get(), self.tar.bytes.get(), &self.limits);
        let left = l.max_size.saturating_sub(l.size_spent);
        // gzip adds a few bytes per 32 KiB block to data it cannot shrink;
        // compressed input much larger than its limit is no layer (and a raw
        // stream that never ends stops here).
        let raw_cap = left.saturating_add(left / 64).saturating_add(1 << 20);
        let ratio = tar / raw.max(1);
        if let Err(e) = l.over_size(tar) {
            Some(e)
        } else if raw > raw_cap {
            l.over_size(raw).err()
        } else if tar > RATIO_FLOOR && ratio > l.max_ratio {
            Some(ExtractError::LimitExceeded { limit: RATIO_LIMIT, value: ratio, max: l.max_ratio })
        } else {
            None
        }
    }

    /// Names the cause of an error that came up through the decoder or tar.
    pub(super) fn fail(&self, e: io::Error) -> ExtractError {
        if let Some(limit) = self.broken_limit() {
            limit
        } else if self.input_failed.get() {
            ExtractError::Read { source: e }
        } else {
            // The tar crate quotes header bytes in its messages: escape them.
            invalid(shown(e.to_string().as_bytes()))
        }
    }
}

pub(super) struct Metered<R> {
    pub(super) inner: R,
    pub(super) meter: Rc<Meter>,
    pub(super) raw: bool,
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
        side.bytes.set(side.bytes.get() + n as u64);
        if self.meter.broken_limit().is_some() {
            return Err(io::Error::other("limit reached"));
        }
        Ok(n)
    }
}

pub(super) type Head<R> = io::Chain<io::Cursor<Vec<u8>>, Metered<R>>;

pub(super) enum Decoded<R: Read> {
    Plain(Head<R>),
    Gzip(flate2::read::MultiGzDecoder<Head<R>>),
    Zstd(zstd::stream::read::Decoder<'static, io::BufReader<Head<R>>>),
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoded::Plain(r) => r.read(buf),
            Decoded::Gzip(r) => r.read(buf),
            Decoded::Zstd(r) => r.read(buf),
        }
    }
}

/// tar pads an archive to its record size: 10 KiB by default, a few hundred
/// KiB with a large `-b`. A MiB of zeros after the end is a bomb, not padding.
const MAX_PADDING: u64 = 1 << 20;

/// Reads what follows the end-of-archive block: only zeros may (padding to
/// the record size); then the raw input to its end, for the blob digest.
pub(super) fn drain<R: Read>(mut tail: Metered<Decoded<R>>, meter: &Meter) -> Result<(), ExtractError> {
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
        Decoded::Zstd(r) => r.finish().into_inner(),
    };
    io::copy(&mut raw.into_inner().1, &mut io::sink()).map_err(|e| meter.fail(e))?;
    Ok(())
}
