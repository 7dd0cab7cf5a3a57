//! Live updates: what the pages are told, and when.
//!
//! Each box has a version, a number the server raises whenever something
//! the box page shows changed other than its usage: a step (the record was
//! replaced), the box made or removed, a process started or ended. Pages
//! are rendered with the versions they show, and the event stream says
//! which boxes moved to which version, so a page fetches only when its own
//! box moved, and the first `hello` tells a page just loaded whether it is
//! already stale. Usage (memory, CPU, pids) changes all the time and goes
//! separately, as values, only to the streams of pages that show that box:
//! a page updates its gauges and charts from them without fetching.
//! Server-sent events, because they reconnect by themselves when `serve`
//! restarts and need no script library.

use super::timeline::Snapshots;
use super::usage::{History, Sample};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Change {
    /// Boxes that are new or differ in anything the model shows.
    pub boxes: Vec<String>,
    pub removed: Vec<String>,
    /// Anything may have changed (a listener fell behind): fetch again.
    pub all: bool,
    /// The new version of each box named in `boxes`.
    pub versions: BTreeMap<String, u64>,
    /// Boxes whose output log grew (their page shows its end).
    pub logs: Vec<String>,
    /// The lesson progress changed (`lesson check` ran): /lesson fetches.
    pub lesson: bool,
}

/// What goes to the event streams.
#[derive(Debug, Clone)]
pub enum News {
    Change(Change),
    Usage(Sample),
}

/// The state the watcher and the pages share.
pub struct Live {
    pub tx: broadcast::Sender<News>,
    versions: Mutex<BTreeMap<String, u64>>,
    /// Raised with every version: a page made at another era may carry old versions.
    era: AtomicU64,
    /// How many open streams show each box: usage is read for these only.
    viewers: Mutex<HashMap<String, usize>>,
    /// The last minutes of usage of each box someone viewed.
    pub usage: History,
    /// The model before and after each step seen.
    pub timeline: Snapshots,
}

impl Live {
    pub fn new() -> Arc<Live> {
        let (tx, _) = broadcast::channel(256);
        Arc::new(Live {
            tx,
            versions: Mutex::default(),
            era: AtomicU64::new(0),
            viewers: Mutex::default(),
            usage: History::default(),
            timeline: Snapshots::default(),
        })
    }

    pub fn version(&self, name: &str) -> u64 {
        lock(&self.versions).get(name).copied().unwrap_or(0)
    }

    /// Raises the versions of these boxes; their new versions.
    pub fn bump(&self, names: &[String]) -> BTreeMap<String, u64> {
        let mut versions = lock(&self.versions);
        self.era.fetch_add(1, Ordering::Relaxed);
        names
            .iter()
            .map(|n| {
                let v = versions.entry(n.clone()).or_insert(0);
                *v += 1;
                (n.clone(), *v)
            })
            .collect()
    }

    /// A removed box: its version goes up too, so a page rendered as
    /// "removed" differs from one rendered before.
    pub fn remove(&self, names: &[String]) -> BTreeMap<String, u64> {
        for n in names {
            self.usage.forget(n);
            self.timeline.forget(n);
        }
        self.bump(names)
    }

    /// How many times versions were raised: equal, and every version is as it was.
    pub fn era(&self) -> u64 {
        self.era.load(Ordering::Relaxed)
    }

    pub fn versions(&self) -> BTreeMap<String, u64> {
        lock(&self.versions).clone()
    }

    /// Boxes some open page shows.
    pub fn viewed(&self) -> Vec<String> {
        lock(&self.viewers).keys().cloned().collect()
    }

    pub fn announce(&self, change: Change) {
        if !change.boxes.is_empty()
            || !change.removed.is_empty()
            || !change.logs.is_empty()
            || change.all
            || change.lesson
        {
            let _ = self.tx.send(News::Change(change));
        }
    }

    fn view(self: &Arc<Self>, name: Option<String>) -> Viewing {
        if let Some(n) = &name {
            *lock(&self.viewers).entry(n.clone()).or_insert(0) += 1;
        }
        Viewing { live: self.clone(), name }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One open stream's interest in a box, given back when the stream closes.
struct Viewing {
    live: Arc<Live>,
    name: Option<String>,
}

impl Drop for Viewing {
    fn drop(&mut self) {
        let Some(n) = &self.name else { return };
        let mut viewers = lock(&self.live.viewers);
        if let Some(c) = viewers.get_mut(n) {
            *c -= 1;
            if *c == 0 {
                viewers.remove(n);
            }
        }
    }
}

fn json_event(kind: &str, data: &impl Serialize) -> Event {
    Event::default().event(kind).data(serde_json::to_string(data).unwrap_or_default())
}

/// The event stream of one page; `viewing` is the box it shows, whose
/// usage it is sent. A slow reader that missed events is told that
/// everything may have changed, rather than silently left stale.
pub fn stream(live: &Arc<Live>, viewing: Option<String>) -> Response {
    let rx = live.tx.subscribe();
    let hello = json_event("hello", &serde_json::json!({ "versions": live.versions() }));
    let hello = futures_util::stream::once(async move { hello.retry(Duration::from_secs(1)) });
    let state = (rx, live.view(viewing));
    let news = futures_util::stream::unfold(state, |(mut rx, viewing)| async move {
        loop {
            let event = match rx.recv().await {
                Ok(News::Change(c)) => json_event("change", &c),
                Ok(News::Usage(s)) if viewing.name.as_deref() == Some(s.box_name.as_str()) => json_event("usage", &s),
                Ok(News::Usage(_)) => continue,
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    json_event("change", &Change { all: true, ..Change::default() })
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            return Some((event, (rx, viewing)));
        }
    });
    let events = hello.chain(news).map(Ok::<_, std::convert::Infallible>);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(10))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_rise_per_box_and_viewers_are_counted_until_their_stream_ends() {
        let live = Live::new();
        assert_eq!(live.version("a"), 0);
        assert_eq!(live.bump(&["a".into(), "b".into()]), BTreeMap::from([("a".into(), 1), ("b".into(), 1)]));
        assert_eq!(live.bump(&["a".into()])["a"], 2);
        let one = live.view(Some("a".into()));
        let two = live.view(Some("a".into()));
        assert_eq!(live.viewed(), vec!["a".to_string()]);
        drop(one);
        assert_eq!(live.viewed(), vec!["a".to_string()]);
        drop(two);
        assert!(live.viewed().is_empty());
    }
}
