//! Answers kept while what they show stays the same.
//!
//! A page is made from the boxes' records, which only a step changes, the
//! processes in the boxes, and a few live numbers. Reading fifty boxes from
//! /proc takes milliseconds (the host page, thousands of readlinks); sending
//! an answer already made takes microseconds. So every page and API answer
//! is kept with the key of the world it was made in, and sent again while
//! the key is the same and the answer is younger than [`MAX_AGE`]. The key:
//!
//! - the state folder's inotify events, read at once without waiting: a
//!   step that returned has queued its event before the next request comes,
//!   so no answer from before a finished step is ever sent again;
//! - the live versions ([`Live::era`]): they rise when the watcher sees a
//!   box change, a process starting or ending in it included, while a page
//!   listens; a page then carries the current ones.
//!
//! What the key does not see — usage numbers, processes starting or ending
//! while no page listens, a process unsharing in place — is at most
//! `MAX_AGE` old, as old as the watcher's tick lets a live page be anyway.
//! Not a listing of /proc per request to see processes come and go: with a
//! thousand processes on the machine that listing alone takes longer than
//! the whole answer should.

use super::live::Live;
use super::routes::App;
use super::watch::Watches;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The oldest a kept answer may be (the watcher's tick).
pub const MAX_AGE: Duration = super::watch::TICK;
/// Answers kept at most (pages of boxes, with and without `?part=main`, made in one second).
const KEEP: usize = 256;
/// The biggest answer kept (the API of fifty boxes is about 1 MB).
const BIGGEST: usize = 8 << 20;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct WorldKey {
    steps: u64,
    era: u64,
}

struct Kept {
    key: WorldKey,
    made: Instant,
    status: StatusCode,
    content_type: Option<HeaderValue>,
    body: Bytes,
}

pub struct Answers {
    state: Option<PathBuf>,
    /// Own watches (the watcher waits for events; these are read now) and
    /// how many times they saw a change.
    watches: Mutex<(Option<Watches>, u64)>,
    kept: Mutex<HashMap<String, Kept>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Answers {
    /// `state`: the folder steps change; without one nothing is kept.
    pub fn new(state: Option<PathBuf>) -> Arc<Answers> {
        Arc::new(Answers { state, watches: Mutex::default(), kept: Mutex::default() })
    }

    /// The world now; None when it cannot be told (no state folder yet).
    pub fn key(&self, live: &Live) -> Option<WorldKey> {
        let state = self.state.as_ref()?;
        let mut w = lock(&self.watches);
        if w.0.is_none() {
            // Made lazily: a fresh root has no state folder until its first step.
            w.0 = Some(Watches::new(state).ok()?);
            w.1 += 1;
        }
        let (mut touched, mut logs) = (BTreeSet::new(), BTreeSet::new());
        if w.0.as_mut().is_some_and(|watches| watches.take(&mut touched, &mut logs) > 0) {
            w.1 += 1;
        }
        Some(WorldKey { steps: w.1, era: live.era() })
    }

    fn find(&self, what: &str, key: &WorldKey) -> Option<Response> {
        let kept = lock(&self.kept);
        let k = kept.get(what).filter(|k| k.key == *key && k.made.elapsed() < MAX_AGE)?;
        let mut r = (k.status, k.body.clone()).into_response();
        if let Some(t) = &k.content_type {
            r.headers_mut().insert(header::CONTENT_TYPE, t.clone());
        }
        Some(r)
    }

    /// Keeps an answer; those too old to be sent again go (a class that
    /// opened every box's page would otherwise keep them all in memory).
    fn keep(&self, what: String, kept: Kept) {
        let mut all = lock(&self.kept);
        all.retain(|_, k| k.made.elapsed() < MAX_AGE && k.key == kept.key);
        if all.len() >= KEEP {
            all.clear();
        }
        all.insert(what, kept);
    }
}

/// Middleware on the pages and the API: a kept answer when the world is
/// the same, else the route's, kept for next time.
pub async fn kept(State(app): State<App>, request: Request, next: Next) -> Response {
    let answers = &app.answers;
    let key = if request.method() == Method::GET { answers.key(&app.live) } else { None };
    let Some(key) = key else { return next.run(request).await };
    // The same page in another language is another answer.
    let what = format!("{} {}", super::lang::tag(), request.uri());
    if let Some(r) = answers.find(&what, &key) {
        return r;
    }
    let made = Instant::now();
    let (parts, body) = next.run(request).await.into_parts();
    if !matches!(parts.status, StatusCode::OK | StatusCode::NOT_FOUND) {
        return Response::from_parts(parts, body);
    }
    let Ok(body) = axum::body::to_bytes(body, BIGGEST).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "answer too big").into_response();
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).cloned();
    answers.keep(what, Kept { key, made, status: parts.status, content_type, body: body.clone() });
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_in_the_state_folder_changes_the_key_and_nothing_else_does() {
        let dir = std::env::temp_dir().join(format!("glassbox-answers-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("boxes/a")).unwrap();
        let answers = Answers::new(Some(dir.clone()));
        let live = Live::new();
        let first = answers.key(&live).unwrap();
        assert_eq!(answers.key(&live).unwrap().steps, first.steps, "nothing happened");
        std::fs::write(dir.join("boxes/a/box.json"), "{}").unwrap();
        let after_step = answers.key(&live).unwrap();
        assert_ne!(after_step.steps, first.steps, "a record written is seen at once");
        live.bump(&["a".into()]);
        assert_ne!(answers.key(&live).unwrap().era, after_step.era);
        assert!(Answers::new(None).key(&live).is_none(), "no state folder: nothing kept");
        // `lesson check` replacing the progress: its folder made, then the file renamed in.
        let progress = crate::lesson::progress::path_in(&dir);
        std::fs::create_dir_all(progress.parent().unwrap()).unwrap();
        let made = answers.key(&live).unwrap();
        assert_ne!(made.steps, after_step.steps, "the lessons folder made is seen");
        crate::state::record::write_atomic(&progress, b"{}").unwrap();
        assert_ne!(answers.key(&live).unwrap().steps, made.steps, "a lesson check is seen at once");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
