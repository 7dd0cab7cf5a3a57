//! Live updates: one watcher looks at every box a few times a second while
//! some page listens, and tells the pages which boxes changed; each page
//! then fetches its own fresh part. Server-sent events, because they
//! reconnect by themselves when `serve` restarts and need no script library.

use super::source::Source;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// How often the watcher looks. A step shows up on the page within this
/// plus one fetch: well inside the one second a learner should wait.
pub const PERIOD: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// Boxes that are new or differ in anything the model shows.
    pub boxes: Vec<String>,
    pub removed: Vec<String>,
    /// The watcher's first look after a quiet spell: anything may have
    /// changed since a page last fetched, so every page fetches again.
    pub all: bool,
}

type Fingerprints = BTreeMap<String, u64>;

fn fingerprints(source: &dyn Source) -> Fingerprints {
    source
        .boxes()
        .iter()
        .map(|m| {
            let mut h = DefaultHasher::new();
            serde_json::to_string(m).unwrap_or_default().hash(&mut h);
            (m.name.clone(), h.finish())
        })
        .collect()
}

pub fn diff(before: &Fingerprints, now: &Fingerprints) -> Option<Change> {
    let boxes: Vec<String> = now.iter().filter(|(n, f)| before.get(*n) != Some(f)).map(|(n, _)| n.clone()).collect();
    let removed: Vec<String> = before.keys().filter(|n| !now.contains_key(*n)).cloned().collect();
    (!boxes.is_empty() || !removed.is_empty()).then_some(Change { boxes, removed, all: false })
}

pub fn spawn_watcher(source: Arc<dyn Source>) -> broadcast::Sender<Change> {
    let (tx, _) = broadcast::channel(64);
    let sender = tx.clone();
    tokio::spawn(async move {
        let mut last: Option<Fingerprints> = None;
        loop {
            tokio::time::sleep(PERIOD).await;
            if sender.receiver_count() == 0 {
                // Nobody listens: look at nothing. A page that connects later
                // fetches everything fresh anyway.
                last = None;
                continue;
            }
            let src = source.clone();
            let Ok(now) = tokio::task::spawn_blocking(move || fingerprints(&*src)).await else { continue };
            // A page that just connected fetched on its own, but a step may
            // have landed between that fetch and this first look: no earlier
            // look to compare with, so tell every page to fetch again.
            let change = match &last {
                Some(before) => diff(before, &now),
                None => Some(Change { boxes: now.keys().cloned().collect(), removed: vec![], all: true }),
            };
            if let Some(change) = change {
                let _ = sender.send(change);
            }
            last = Some(now);
        }
    });
    tx
}

fn change_event(c: &Change) -> Event {
    Event::default().event("change").data(serde_json::to_string(c).unwrap_or_default())
}

/// The event stream. A slow reader that missed events is told that
/// everything may have changed, rather than silently left stale.
pub fn stream(rx: broadcast::Receiver<Change>) -> Response {
    let hello =
        futures_util::stream::once(async { Event::default().event("hello").retry(Duration::from_secs(1)).data("{}") });
    let changes = futures_util::stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            Ok(c) => Some((change_event(&c), rx)),
            Err(broadcast::error::RecvError::Lagged(_)) => {
                Some((change_event(&Change { boxes: vec![], removed: vec![], all: true }), rx))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    });
    let events = hello.chain(changes).map(Ok::<_, std::convert::Infallible>);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(10))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(pairs: &[(&str, u64)]) -> Fingerprints {
        pairs.iter().map(|(n, f)| (n.to_string(), *f)).collect()
    }

    #[test]
    fn diff_names_new_changed_and_removed_boxes_only() {
        assert_eq!(diff(&fp(&[("a", 1)]), &fp(&[("a", 1)])), None);
        let c = diff(&fp(&[("a", 1), ("b", 2)]), &fp(&[("a", 9), ("c", 3)])).unwrap();
        assert_eq!(c.boxes, vec!["a", "c"]);
        assert_eq!(c.removed, vec!["b"]);
    }
}
