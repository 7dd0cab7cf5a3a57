//! A listener that holds at most N connections open at once, each closed
//! after a spell with no bytes either way.
//!
//! Past the limit a new connection is closed at once instead of queued: a
//! flood of 10 000 connections then costs a few accepts, the server keeps
//! its memory and descriptors, and the learner's page (already connected,
//! or retrying a second later) goes on working. The idle deadline frees the
//! slots of connections that connect and say nothing (axum gives hyper no
//! timer, so hyper's own header timeout is off); a live page's event stream
//! is never idle, as it carries a keep-alive every 10 s. A request must be
//! answered within REQUEST of its first byte: a client trickling a header a
//! byte at a time is never idle, and 256 of them would hold every slot.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Duration, Instant, Sleep};

/// No byte in or out for this long closes the connection.
pub const IDLE: Duration = Duration::from_secs(20);
/// Bytes in and none out for this long, from the first of them, closes it.
pub const REQUEST: Duration = Duration::from_secs(10);

pub struct LimitedListener {
    inner: TcpListener,
    slots: Arc<Semaphore>,
}

impl LimitedListener {
    pub fn new(inner: TcpListener, max_connections: usize) -> LimitedListener {
        LimitedListener { inner, slots: Arc::new(Semaphore::new(max_connections)) }
    }
}

/// A connection that gives its slot back when it closes.
pub struct Limited {
    stream: TcpStream,
    _slot: OwnedSemaphorePermit,
    idle: Pin<Box<Sleep>>,
    /// When the first byte came in since the server last wrote one.
    asked_at: Option<Instant>,
}

impl Limited {
    /// Progress pushes the deadline back; no progress past it is an error.
    fn watch<T>(&mut self, cx: &mut Context<'_>, polled: Poll<io::Result<T>>, moved: bool) -> Poll<io::Result<T>> {
        match polled {
            Poll::Ready(r) => {
                if moved {
                    let now = Instant::now();
                    let deadline = self.asked_at.map_or(now + IDLE, |asked| (now + IDLE).min(asked + REQUEST));
                    self.idle.as_mut().reset(deadline);
                }
                Poll::Ready(r)
            }
            Poll::Pending => match self.idle.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "idle connection"))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl axum::serve::Listener for LimitedListener {
    type Io = Limited;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Limited, std::net::SocketAddr) {
        loop {
            let (stream, addr) = axum::serve::Listener::accept(&mut self.inner).await;
            match self.slots.clone().try_acquire_owned() {
                Ok(slot) => {
                    let _ = stream.set_nodelay(true);
                    let idle = Box::pin(tokio::time::sleep(IDLE));
                    return (Limited { stream, _slot: slot, idle, asked_at: None }, addr);
                }
                Err(_) => drop(stream),
            }
        }
    }

    fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.inner.local_addr()
    }
}

impl AsyncRead for Limited {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        let moved = buf.filled().len() > before;
        if moved && self.asked_at.is_none() {
            self.asked_at = Some(Instant::now());
        }
        self.watch(cx, polled, moved)
    }
}

impl AsyncWrite for Limited {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        let moved = matches!(polled, Poll::Ready(Ok(n)) if n > 0);
        if moved {
            self.asked_at = None;
        }
        self.watch(cx, polled, moved)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
