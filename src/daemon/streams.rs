//! Output as Docker carries it: logs, attach, exec.
//!
//! Without a terminal a container has two output streams, and one HTTP
//! body carries both: each chunk goes in a frame of 8 bytes (the stream, 1
//! stdout or 2 stderr, three zero bytes, the length as a big-endian u32)
//! and its bytes; `docker` splits them back onto its own stdout and stderr
//! (`application/vnd.docker.multiplexed-stream`).
//!
//! attach and exec take over the connection: the client asks to upgrade
//! (`Connection: Upgrade`, `Upgrade: tcp`), the daemon answers `101
//! UPGRADED`, and from then on the socket carries stdin one way and the
//! framed output the other, with no HTTP around it. A client that asks no
//! upgrade gets the same bytes as a plain body.
//!
//! A container's output goes to two files beside its record (the command
//! writes them itself, so they outlive the daemon); logs and attach read
//! them and follow them as they grow. Within one stream the order is
//! exact; between stdout and stderr it is as the reads found it.

use super::App;
use super::api::{ApiResult, Call, JSON_LIMIT, Key};
use super::containers::{Container, Status, find, meta, reload};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use std::io::{Read, Seek, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

pub const MULTIPLEXED: &str = "application/vnd.docker.multiplexed-stream";
pub const STDOUT: u8 = 1;
pub const STDERR: u8 = 2;
/// How often a followed file is looked at for new bytes.
const POLL: Duration = Duration::from_millis(15);
/// The most read from one file at one look: a container that writes
/// gigabytes is sent in pieces, never held whole.
const PIECE: u64 = 1 << 20;

/// One chunk of a stream in Docker's frame.
pub fn frame(stream: u8, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + data.len());
    out.extend_from_slice(&[stream, 0, 0, 0]);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
    out
}

/// A body fed from a channel, chunk by chunk, as it is produced.
pub struct Chunks(mpsc::Receiver<Bytes>);

impl futures_util::Stream for Chunks {
    type Item = Result<Bytes, std::convert::Infallible>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|c| c.map(Ok))
    }
}

/// A sender and the body it feeds; the body ends when the sender is dropped.
pub fn channel_body() -> (mpsc::Sender<Bytes>, Body) {
    let (tx, rx) = mpsc::channel(16);
    (tx, Body::from_stream(Chunks(rx)))
}

/// The container's output files, each with its stream, read from an offset on.
pub struct Tail {
    files: Vec<(u8, std::fs::File, u64)>,
    /// A terminal's output: one stream, sent as it is, without frames.
    pub raw: bool,
}

impl Tail {
    /// From the start of each file, or from its end (`attach` without logs).
    pub fn open(root: &crate::state::Root, c: &Container, stdout: bool, stderr: bool, from_start: bool) -> Tail {
        let (out, err) = match &c.meta {
            Some(_) => meta::logs(root, c.name()),
            None => (root.log_path(c.name()), std::path::PathBuf::new()),
        };
        let mut files = vec![];
        for (stream, path, wanted) in [(STDOUT, out, stdout), (STDERR, err, stderr)] {
            if let (true, Ok(mut f)) = (wanted, std::fs::File::open(&path)) {
                let at = if from_start { 0 } else { f.seek(SeekFrom::End(0)).unwrap_or(0) };
                files.push((stream, f, at));
            }
        }
        Tail { files, raw: c.meta.as_ref().is_some_and(|m| m.tty()) }
    }

    /// Only the last piece of each file is read (for `--tail N`).
    pub fn skip_to_last_piece(&mut self) {
        for (_, f, at) in &mut self.files {
            *at = f.metadata().map_or(0, |m| m.len().saturating_sub(PIECE));
        }
    }

    /// The content type of what `read_new` gives.
    pub fn content_type(&self) -> &'static str {
        if self.raw { super::tty::RAW } else { MULTIPLEXED }
    }

    /// What the files gained since the last read, framed.
    pub fn read_new(&mut self) -> Vec<u8> {
        let mut out = vec![];
        for (stream, f, at) in &mut self.files {
            let mut buf = vec![];
            let read = f.seek(SeekFrom::Start(*at)).is_ok() && f.by_ref().take(PIECE).read_to_end(&mut buf).is_ok();
            if read && !buf.is_empty() {
                *at += buf.len() as u64;
                if self.raw {
                    out.extend(buf);
                    continue;
                }
                for chunk in buf.chunks(1 << 16) {
                    out.extend(frame(*stream, chunk));
                }
            }
        }
        out
    }
}

/// The last `n` lines of each stream, for `logs --tail N`.
fn tail_lines(framed: Vec<u8>, n: usize) -> Vec<u8> {
    let mut streams: [Vec<u8>; 3] = Default::default();
    let mut rest = framed.as_slice();
    while rest.len() >= 8 {
        let len = u32::from_be_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
        streams[rest[0] as usize % 3].extend_from_slice(&rest[8..8 + len]);
        rest = &rest[8 + len..];
    }
    let mut out = vec![];
    for (stream, bytes) in streams.iter().enumerate().filter(|(_, b)| !b.is_empty()) {
        let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
        let kept = lines[lines.len().saturating_sub(n)..].concat();
        out.extend(frame(stream as u8, &kept));
    }
    out
}

/// True once the container's command is over (or the box is gone): the
/// end of a followed stream, after one last read.
fn over(app: &App, name: &str, id: &str) -> bool {
    match reload(&app.root, name).ok().filter(|c| c.id == id) {
        None => true,
        Some(c) => matches!(c.status(), Status::Exited { .. }) && c.meta.as_ref().is_none_or(|m| m.finished.is_some()),
    }
}

/// Sends a container's new output until it is over, the client is gone,
/// or the daemon stops. A container not started yet is waited for.
async fn follow(app: &App, c: &Container, mut tail: Tail, tx: &mpsc::Sender<Bytes>) {
    let (name, id) = (c.name().to_string(), c.id.clone());
    let mut events = app.events.subscribe();
    loop {
        let done = over(app, &name, &id);
        let bytes = tail.read_new();
        if !bytes.is_empty() && tx.send(Bytes::from(bytes)).await.is_err() {
            return;
        }
        if done {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = events.recv() => {}
            _ = tx.closed() => return,
            _ = super::stopping(app) => return,
        }
    }
}

/// `GET /containers/ID/logs?stdout=1&stderr=1&follow=1&tail=N`.
pub async fn logs(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let c = find(&app.root, &key)?;
    let mut tail = Tail::open(&app.root, &c, call.flag("stdout"), call.flag("stderr"), true);
    let last = call.query.get("tail").and_then(|t| t.parse::<usize>().ok());
    if last.is_some() {
        tail.skip_to_last_piece();
    }
    let kind = tail.content_type();
    let follows = call.flag("follow");
    let (tx, body) = channel_body();
    tokio::spawn(async move {
        // What is there now, a piece at a time, then what comes (-f).
        let mut first = true;
        loop {
            let mut bytes = tail.read_new();
            if bytes.is_empty() {
                break;
            }
            if let (true, Some(n), false) = (first, last, tail.raw) {
                bytes = tail_lines(bytes, n);
            }
            first = false;
            if tx.send(Bytes::from(bytes)).await.is_err() {
                return;
            }
        }
        if follows {
            follow(&app, &c, tail, &tx).await;
        }
    });
    Ok(super::api::bytes(kind, body))
}

/// A connection taken over from HTTP (or its stand-in for a client that
/// asked no upgrade).
pub trait Conn: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Conn for T {}

/// Answers `101 UPGRADED` and hands the raw connection to `serve`; without
/// an upgrade asked, a 200 whose body is what `serve` writes.
pub fn hijack<F, Fut>(req: &mut Request, content_type: &'static str, serve: F) -> Response
where
    F: FnOnce(Box<dyn Conn>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let upgrade = req.headers().get(header::UPGRADE).is_some();
    let mut response = if upgrade {
        let on = hyper::upgrade::on(&mut *req);
        tokio::spawn(async move {
            if let Ok(upgraded) = on.await {
                serve(Box::new(hyper_util::rt::TokioIo::new(upgraded))).await;
            }
        });
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
        r.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
        r.headers_mut().insert(header::UPGRADE, HeaderValue::from_static("tcp"));
        r
    } else {
        let (ours, mut theirs) = tokio::io::duplex(1 << 16);
        tokio::spawn(serve(Box::new(ours)));
        let (tx, body) = channel_body();
        tokio::spawn(async move {
            let mut buf = vec![0; 1 << 16];
            while let Ok(n @ 1..) = theirs.read(&mut buf).await {
                if tx.send(Bytes::copy_from_slice(&buf[..n])).await.is_err() {
                    return;
                }
            }
        });
        Response::new(body)
    };
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// `POST /containers/ID/attach?stream=1&stdin=1&stdout=1&stderr=1&logs=1`:
/// the container's output from now on (from its start with logs=1) until
/// its command ends, and the client's bytes to its stdin (made with -i).
pub async fn attach(State(app): State<App>, Key(key): Key, mut req: Request) -> ApiResult {
    let q = super::api::query(req.uri().query());
    let c = find(&app.root, &key)?;
    let flag = |k: &str| super::api::flag(&q, k);
    let tail = Tail::open(&app.root, &c, flag("stdout"), flag("stderr"), flag("logs"));
    let stdin = flag("stdin") && c.meta.as_ref().is_some_and(|m| m.open_stdin());
    let once = c.meta.as_ref().and_then(|m| m.request.stdin_once).unwrap_or(false);
    let stream = flag("stream");
    Ok(hijack(&mut req, tail.content_type(), move |conn| async move {
        let (mut reader, writer) = tokio::io::split(conn);
        if stdin {
            let (app, name) = (app.clone(), c.name().to_string());
            tokio::spawn(async move { feed_stdin(&app, &name, &mut reader, once).await });
        }
        let (tx, rx) = mpsc::channel(16);
        let pump = tokio::spawn(pump(rx, writer));
        if stream {
            follow(&app, &c, tail, &tx).await;
        }
        drop(tx);
        let _ = pump.await;
    }))
}

/// Chunks from the channel onto the connection; the write side is shut
/// when the channel ends (the client reads EOF), the read side left open.
pub async fn pump(mut rx: mpsc::Receiver<Bytes>, mut writer: impl AsyncWrite + Unpin) {
    while let Some(chunk) = rx.recv().await {
        if writer.write_all(&chunk).await.is_err() || writer.flush().await.is_err() {
            return;
        }
    }
    let _ = writer.shutdown().await;
}

/// The client's bytes into the container's stdin (or its terminal), once
/// it has one.
async fn feed_stdin(app: &App, name: &str, reader: &mut (impl AsyncRead + Unpin), once: bool) {
    let stdin = loop {
        let terminal = app.live.ttys.lock().expect("not poisoned").get(name).cloned();
        if let Some(master) = terminal {
            return super::tty::feed(&master, reader).await;
        }
        if let Some(s) = app.live.stdin.lock().expect("not poisoned").remove(name) {
            break s;
        }
        if super::containers::reload(&app.root, name).is_err() {
            return;
        }
        tokio::time::sleep(POLL).await;
    };
    let mut stdin = stdin;
    let _ = tokio::io::copy(reader, &mut stdin).await;
    if !once {
        app.live.stdin.lock().expect("not poisoned").insert(name.to_string(), stdin);
    }
}
