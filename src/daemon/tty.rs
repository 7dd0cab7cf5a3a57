//! Containers and execs with a terminal (`docker run -it`, `docker exec -it`).
//!
//! The daemon opens a pseudo-terminal and gives its slave side to `glassbox
//! run -t` (or `exec -t`) as stdin, stdout and stderr: to glassbox it is the
//! user's terminal, which it puts in raw mode and relays to the box's own
//! terminal, the controlling terminal of the command (so Ctrl-C and job
//! control work inside). The daemon keeps the master side: the client's
//! keys go in there, and what comes out goes to the container's log (for
//! attach and logs) or straight to the exec's connection, raw: one stream,
//! no frames, as Docker sends a terminal's output.
//!
//! The terminal's size is the client's at start (`ConsoleSize` in the
//! request); glassbox's own relay does not follow a later resize yet.

use super::api::{ApiError, ApiResult};
use crate::sys::pty;
use axum::body::Bytes;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;
use tokio::io::AsyncRead;
use tokio::sync::mpsc;

pub const RAW: &str = "application/vnd.docker.raw-stream";

/// A new terminal of the given size (rows, columns).
pub fn open(size: Option<(u16, u16)>) -> ApiResult<pty::Pty> {
    let p = pty::open().map_err(|e| ApiError::internal(format!("no terminal for the container: {e}")))?;
    if let Some((rows, cols)) = size.filter(|(r, c)| *r > 0 && *c > 0) {
        pty::set_window_size(p.master.as_raw_fd(), rows, cols);
    }
    Ok(p)
}

/// Docker's `ConsoleSize: [height, width]`.
pub fn console_size(v: Option<&Vec<u16>>) -> Option<(u16, u16)> {
    match v.map(Vec::as_slice) {
        Some([h, w]) => Some((*h, *w)),
        _ => None,
    }
}

/// The slave side three times, for stdin, stdout and stderr.
pub fn stdio(p: &pty::Pty) -> ApiResult<[std::process::Stdio; 3]> {
    let dup =
        || p.slave.try_clone().map(std::process::Stdio::from).map_err(|e| ApiError::internal(format!("dup: {e}")));
    Ok([dup()?, dup()?, dup()?])
}

/// Copies what the terminal prints into `log`, on a thread of its own (a
/// blocking read), until the command's side is closed.
pub fn record(master: Arc<OwnedFd>, log: std::path::PathBuf) {
    std::thread::spawn(move || {
        let Ok(mut out) = std::fs::OpenOptions::new().append(true).open(&log) else { return };
        let mut from = std::fs::File::from(match master.try_clone() {
            Ok(fd) => fd,
            Err(_) => return,
        });
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = from.read(&mut buf) {
            if out.write_all(&buf[..n]).is_err() {
                return;
            }
        }
    });
}

/// The same into a channel (an exec's connection).
pub fn forward(master: &OwnedFd, tx: mpsc::Sender<Bytes>) -> ApiResult<std::thread::JoinHandle<()>> {
    let mut from = std::fs::File::from(master.try_clone().map_err(|e| ApiError::internal(format!("dup: {e}")))?);
    Ok(std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = from.read(&mut buf) {
            if tx.blocking_send(Bytes::copy_from_slice(&buf[..n])).is_err() {
                return;
            }
        }
    }))
}

/// The client's keys into the terminal until the client stops sending
/// (the writes block, so a thread of its own makes them).
pub async fn feed(master: &OwnedFd, mut reader: impl AsyncRead + Unpin) {
    use tokio::io::AsyncReadExt;
    let Ok(fd) = master.try_clone() else { return };
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut to = std::fs::File::from(fd);
        for chunk in rx {
            if to.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let mut buf = vec![0; 4096];
    while let Ok(n @ 1..) = reader.read(&mut buf).await {
        if tx.send(buf[..n].to_vec()).is_err() {
            return;
        }
    }
}

pub fn resize(master: &OwnedFd, rows: u16, cols: u16) {
    pty::set_window_size(master.as_raw_fd(), rows, cols);
}
