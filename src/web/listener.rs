//! A listener that holds at most N connections open at once (see slots.rs
//! for which one gives way when all are taken), each closed when it keeps
//! its slot without using it.
//!
//! Two deadlines free slots without any new connection asking for them.
//! A connection waiting for a request head must have sent all of it within
//! HEAD of connecting (or of its previous answer ending): one that says
//! nothing, or trickles a header a byte at a time, is never "idle" and
//! would otherwise keep its slot forever. A connection being answered is
//! closed after IDLE with no byte either way; a live page's event stream is
//! never that quiet, as it carries a keep-alive every 10 s. axum gives
//! hyper no timer, so hyper's own header timeout is off: these are the
//! server's only ones.

use super::slots::{Slot, Slots};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Duration, Instant, Sleep};

/// A whole request head must arrive within this of the connection's wait
/// for it starting. Loopback and SSH tunnels send a head in milliseconds;
/// a browser reconnects by itself when a kept-alive connection was closed.
pub const HEAD: Duration = Duration::from_secs(5);
/// No byte in or out for this long closes a connection being answered.
pub const IDLE: Duration = Duration::from_secs(20);

pub struct LimitedListener {
    inner: TcpListener,
    slots: Arc<Slots>,
}

impl LimitedListener {
    pub fn new(inner: TcpListener, max_connections: usize) -> LimitedListener {
        LimitedListener { inner, slots: Arc::new(Slots::new(max_connections)) }
    }
}

/// A connection that gives its slot back when it closes.
pub struct Limited {
    stream: TcpStream,
    slot: Arc<Slot>,
    slots: Arc<Slots>,
    deadline: Pin<Box<Sleep>>,
    /// When a byte last went in or out.
    moved_at: Instant,
}

impl Limited {
    pub fn slot(&self) -> Arc<Slot> {
        self.slot.clone()
    }

    /// An evicted connection ends at its next poll.
    fn evicted<T>(&self) -> Option<Poll<io::Result<T>>> {
        let gone = io::Error::new(io::ErrorKind::ConnectionAborted, "slot given to a newer connection");
        self.slot.is_evicted().then(|| Poll::Ready(Err(gone)))
    }

    /// Progress is noted; no progress past the phase's deadline is an error.
    fn watch<T>(&mut self, cx: &mut Context<'_>, polled: Poll<io::Result<T>>, moved: bool) -> Poll<io::Result<T>> {
        if moved {
            self.moved_at = Instant::now();
        }
        if polled.is_ready() {
            return polled;
        }
        self.slot.wake_on_eviction(cx.waker());
        if let Some(gone) = self.evicted() {
            return gone;
        }
        let deadline = match self.slot.waiting_since() {
            Some(since) => since + HEAD,
            None => self.moved_at + IDLE,
        };
        if self.deadline.deadline() != deadline {
            self.deadline.as_mut().reset(deadline);
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "slot held unused"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Limited {
    fn drop(&mut self) {
        self.slots.release(&self.slot);
    }
}

impl axum::serve::Listener for LimitedListener {
    type Io = Limited;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Limited, std::net::SocketAddr) {
        loop {
            let (stream, addr) = axum::serve::Listener::accept(&mut self.inner).await;
            // No slot: closed at once, unanswered, and the server goes on.
            let Some(slot) = self.slots.admit() else { continue };
            let _ = stream.set_nodelay(true);
            let now = Instant::now();
            let deadline = Box::pin(tokio::time::sleep_until(now + HEAD));
            return (Limited { stream, slot, slots: self.slots.clone(), deadline, moved_at: now }, addr);
        }
    }

    fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.inner.local_addr()
    }
}

impl AsyncRead for Limited {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if let Some(gone) = self.evicted() {
            return gone;
        }
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        let moved = buf.filled().len() > before;
        self.watch(cx, polled, moved)
    }
}

impl AsyncWrite for Limited {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if let Some(gone) = self.evicted() {
            return gone;
        }
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        let moved = matches!(polled, Poll::Ready(Ok(n)) if n > 0);
        self.watch(cx, polled, moved)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
