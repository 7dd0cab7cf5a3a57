//! Who holds the server's connection slots, and which of them may be made
//! to give theirs up.
//!
//! The server keeps at most N connections open. Each is in one of two
//! phases: waiting for a request head (just connected, or between two
//! requests of a kept-alive connection), or being answered (from the moment
//! the router sees a request head until its response body ends; an event
//! stream is answered for as long as the page listens). A connection that
//! waits costs the client nothing to hold, so a flood of connections that
//! say nothing, or trickle a header byte at a time, is made of waiting
//! ones. When every slot is taken, a new connection takes the slot of the
//! one that has waited longest: a real client sends its whole head at once
//! and is answered a moment later, so it is the newest waiter, never the
//! oldest, and the flood only evicts itself. Only when every slot is being
//! answered is a new connection refused.

use axum::body::{Body, HttpBody};
use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::serve::IncomingStream;
use futures_util::task::AtomicWaker;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use tokio::time::Instant;

/// One connection's slot, shared by its stream, the listener and the router.
#[derive(Debug)]
pub struct Slot {
    /// Since when the connection waits for a request head; `None` while a
    /// request is being answered.
    waiting_since: Mutex<Option<Instant>>,
    evicted: AtomicBool,
    /// The connection's task, woken when its deadline or eviction changes.
    task: AtomicWaker,
}

impl Slot {
    fn waiting() -> Slot {
        Slot {
            waiting_since: Mutex::new(Some(Instant::now())),
            evicted: AtomicBool::new(false),
            task: AtomicWaker::new(),
        }
    }

    fn phase(&self) -> MutexGuard<'_, Option<Instant>> {
        self.waiting_since.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn waiting_since(&self) -> Option<Instant> {
        *self.phase()
    }

    fn answering(&self) {
        *self.phase() = None;
    }

    /// Also wakes the connection: it may be parked on the longer deadline
    /// of a connection being answered, and must take the head deadline now.
    fn answered(&self) {
        *self.phase() = Some(Instant::now());
        self.task.wake();
    }

    pub fn is_evicted(&self) -> bool {
        self.evicted.load(Ordering::Acquire)
    }

    /// Remembers the task to wake if the connection is evicted meanwhile.
    pub fn wake_on_eviction(&self, waker: &Waker) {
        self.task.register(waker);
    }

    fn evict(&self) {
        self.evicted.store(true, Ordering::Release);
        self.task.wake();
    }
}

/// Every slot held, at most `max` of them.
#[derive(Debug)]
pub struct Slots {
    max: usize,
    held: Mutex<Vec<Arc<Slot>>>,
}

impl Slots {
    pub fn new(max: usize) -> Slots {
        Slots { max, held: Mutex::new(Vec::with_capacity(max)) }
    }

    fn held(&self) -> MutexGuard<'_, Vec<Arc<Slot>>> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A slot for a new connection: a free one, or the one of the
    /// connection that has waited longest for its request head, which is
    /// evicted. `None` when every slot is being answered.
    pub fn admit(&self) -> Option<Arc<Slot>> {
        let mut held = self.held();
        if held.len() >= self.max {
            let (longest, _) = held
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.waiting_since().map(|t| (i, t)))
                .min_by_key(|(_, t)| *t)?;
            held.swap_remove(longest).evict();
        }
        let slot = Arc::new(Slot::waiting());
        held.push(slot.clone());
        Some(slot)
    }

    /// Gives a closed connection's slot back (an evicted one gave it already).
    pub fn release(&self, slot: &Arc<Slot>) {
        self.held().retain(|s| !Arc::ptr_eq(s, slot));
    }
}

/// The router's handle on the slot of the connection a request came on.
#[derive(Clone, Debug)]
pub struct SlotOf(pub Arc<Slot>);

impl Connected<IncomingStream<'_, super::listener::LimitedListener>> for SlotOf {
    fn connect_info(stream: IncomingStream<'_, super::listener::LimitedListener>) -> SlotOf {
        SlotOf(stream.io().slot())
    }
}

/// Middleware: the connection is being answered from now until the
/// response body ends (or is dropped, when the client goes away).
pub async fn answering(ConnectInfo(SlotOf(slot)): ConnectInfo<SlotOf>, request: Request, next: Next) -> Response {
    slot.answering();
    next.run(request).await.map(|body| Body::new(Answer { body, slot }))
}

/// A response body that puts its connection back to waiting when it ends.
struct Answer {
    body: Body,
    slot: Arc<Slot>,
}

impl Drop for Answer {
    fn drop(&mut self) {
        self.slot.answered();
    }
}

impl HttpBody for Answer {
    type Data = <Body as HttpBody>::Data;
    type Error = <Body as HttpBody>::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_house_evicts_the_longest_waiter_and_spares_the_answered() {
        let slots = Slots::new(3);
        let pause = || std::thread::sleep(std::time::Duration::from_millis(2));
        let first = slots.admit().unwrap();
        pause();
        let second = slots.admit().unwrap();
        pause();
        let third = slots.admit().unwrap();
        first.answering();
        let fourth = slots.admit().expect("a waiter makes room");
        assert!(second.is_evicted(), "the longest waiter goes");
        assert!(!first.is_evicted() && !third.is_evicted() && !fourth.is_evicted());
        third.answering();
        fourth.answering();
        assert!(slots.admit().is_none(), "every slot answered: refused");
        slots.release(&first);
        assert!(slots.admit().is_some(), "a closed connection's slot is free again");
    }
}
