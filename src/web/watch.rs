//! The watcher: learns that a box changed and tells the pages.
//!
//! Steps change the state folder, so the folder tells: inotify reports a
//! record renamed into place, a box folder made or deleted, an output log
//! written (`sys::inotify`), the lesson progress replaced by `lesson
//! check` (`lessons/`), a compose project's rolling update turning or a
//! replica's health changing (`compose/`, watch_compose.rs), and nothing
//! is looked at until it does. What
//! changes without a step — a process started inside a box, or one ending,
//! a box's init dying — leaves the folder as it is, so while some page
//! listens, one pass over /proc a second compares each box's state and
//! processes (`Source::fingerprints`, no per-process reads). The same tick
//! reads the cgroup counters of the boxes that an open page shows, and no
//! others.

use super::live::{Change, Live, News};
use super::source::Source;
use super::watch_compose::ComposeWatches;
use crate::sys::inotify::{self, Inotify};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::unix::AsyncFd;

/// How often processes and usage are looked at while a page listens.
pub const TICK: Duration = Duration::from_secs(1);
/// Events that come together (a step writes its record more than once)
/// are handled together.
const SETTLE: Duration = Duration::from_millis(15);
/// A box that writes output all the time makes its page fetch at most this often.
const LOG_EVERY: Duration = Duration::from_millis(500);

pub fn spawn(source: Arc<dyn Source>, live: Arc<Live>) {
    tokio::spawn(first_look(source.clone(), live.clone()));
    tokio::spawn(follow_folder(source.clone(), live.clone()));
    tokio::spawn(tick(source, live));
}

/// Every box as it is when `serve` starts: the "before" of the next step.
async fn first_look(source: Arc<dyn Source>, live: Arc<Live>) {
    let names = source.box_names();
    live.bump(&names);
    let Ok(models) = tokio::task::spawn_blocking(move || source.boxes()).await else { return };
    for m in &models {
        live.timeline.note(m);
    }
}

/// The watches: the state folder (for `boxes/` and `lessons/` appearing),
/// `boxes/`, each box's folder, and `lessons/` (the lesson progress).
pub(super) struct Watches {
    inotify: Inotify,
    state: PathBuf,
    state_watch: i32,
    boxes_watch: Option<i32>,
    box_watches: HashMap<i32, String>,
    lessons_watch: Option<i32>,
    /// Something in `lessons/` changed since the last [`Watches::lesson_moved`].
    lesson_moved: bool,
    /// The compose projects' folders: rolling updates and health.
    compose: ComposeWatches,
}

impl std::os::fd::AsRawFd for Watches {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.inotify.as_raw_fd()
    }
}

impl Watches {
    pub(super) fn new(state: &Path) -> std::io::Result<Watches> {
        let inotify = Inotify::new().map_err(std::io::Error::other)?;
        let state_watch = inotify.watch(state, libc::IN_CREATE | libc::IN_MOVED_TO).map_err(std::io::Error::other)?;
        let mut w = Watches {
            inotify,
            state: state.to_path_buf(),
            state_watch,
            boxes_watch: None,
            box_watches: HashMap::new(),
            lessons_watch: None,
            lesson_moved: false,
            compose: ComposeWatches::default(),
        };
        w.watch_boxes();
        w.watch_lessons();
        w.compose.watch_all(&w.inotify, state);
        Ok(w)
    }

    /// `lessons/`, where `lesson check` renames the progress into place.
    fn watch_lessons(&mut self) {
        let lessons = crate::lesson::progress::path_in(&self.state);
        let folder = lessons.parent().expect("progress.json lives in a folder");
        self.lessons_watch = self.inotify.watch(folder, inotify::FOLDER_CHANGES).ok();
    }

    /// Whether the lesson progress changed since last asked.
    pub(super) fn lesson_moved(&mut self) -> bool {
        std::mem::take(&mut self.lesson_moved)
    }

    /// Watches `boxes/` and every box folder in it; the names found.
    fn watch_boxes(&mut self) -> Vec<String> {
        let boxes = self.state.join("boxes");
        let Ok(wd) = self.inotify.watch(&boxes, inotify::FOLDER_CHANGES) else { return vec![] };
        self.boxes_watch = Some(wd);
        let names: Vec<String> = std::fs::read_dir(&boxes)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(String::from))
            .collect();
        for n in &names {
            self.watch_box(n);
        }
        names
    }

    fn watch_box(&mut self, name: &str) {
        if crate::state::names::validate("box", name).is_err() {
            return;
        }
        if let Ok(wd) = self.inotify.watch(&self.state.join("boxes").join(name), inotify::FOLDER_CHANGES) {
            self.box_watches.insert(wd, name.to_string());
        }
    }

    /// Reads the queued events: boxes whose record or folder changed, and
    /// boxes whose log grew. How many events there were (an overflow of
    /// the queue is one, matching no watch: still a change).
    pub(super) fn take(&mut self, touched: &mut BTreeSet<String>, logs: &mut BTreeSet<String>) -> usize {
        let Ok(events) = self.inotify.read() else { return 1 };
        let count = events.len();
        for e in events {
            let name = e.name.as_ref().and_then(|n| n.to_str()).map(String::from);
            if e.watch == self.state_watch {
                match name.as_deref() {
                    Some("boxes") => touched.extend(self.watch_boxes()),
                    Some("lessons") => {
                        self.watch_lessons();
                        self.lesson_moved = true;
                    }
                    Some("compose") => self.compose.watch_all(&self.inotify, &self.state),
                    _ => {}
                }
            } else if self.compose.take(&self.inotify, &self.state, &e, touched) {
                // A rollout record or a replica's health (watch_compose.rs).
            } else if Some(e.watch) == self.lessons_watch {
                self.lesson_moved = true;
            } else if Some(e.watch) == self.boxes_watch {
                let Some(n) = name else { continue };
                if e.mask & (libc::IN_CREATE | libc::IN_MOVED_TO) != 0 {
                    // The record may be renamed into it before this watch exists.
                    self.watch_box(&n);
                }
                touched.insert(n);
            } else if let Some(b) = self.box_watches.get(&e.watch).cloned() {
                if e.mask & libc::IN_IGNORED != 0 {
                    self.box_watches.remove(&e.watch);
                }
                match name.as_deref() {
                    Some("output.log") => {
                        logs.insert(b);
                    }
                    Some(n) if n.starts_with("box.json.") => {} // a record being written
                    _ => {
                        touched.insert(b);
                    }
                }
            }
        }
        count
    }
}

async fn follow_folder(source: Arc<dyn Source>, live: Arc<Live>) {
    let Some(state) = source.state_folder() else { return };
    // A fresh root has no state folder until the first command makes one.
    let watches = loop {
        if let Ok(w) = Watches::new(&state) {
            // Deprecated for descriptors the value does not own; `Watches`
            // owns its inotify descriptor, so it stays open while registered.
            #[allow(deprecated)]
            if let Ok(fd) = AsyncFd::with_interest(w, tokio::io::Interest::READABLE) {
                break fd;
            }
        }
        tokio::time::sleep(TICK).await;
    };
    let mut watches = watches;
    let mut pending_logs = BTreeSet::new();
    let mut logs_sent = Instant::now() - LOG_EVERY;
    loop {
        let wait = if pending_logs.is_empty() { Duration::from_secs(3600) } else { LOG_EVERY };
        if let Ok(Ok(mut ready)) = tokio::time::timeout(wait, watches.readable_mut()).await {
            ready.clear_ready();
        }
        tokio::time::sleep(SETTLE).await;
        let mut touched: BTreeSet<String> = BTreeSet::new();
        watches.get_mut().take(&mut touched, &mut pending_logs);
        let mut change = Change { lesson: watches.get_mut().lesson_moved(), ..Change::default() };
        if !touched.is_empty() {
            let (there, gone): (Vec<String>, Vec<String>) = touched
                .into_iter()
                .filter(|n: &String| crate::state::names::validate("box", n).is_ok())
                .partition(|n| state.join("boxes").join(n).join("box.json").exists());
            change.versions = live.bump(&there);
            change.versions.extend(live.remove(&gone));
            change.boxes = there;
            change.removed = gone;
        }
        if !pending_logs.is_empty() && logs_sent.elapsed() >= LOG_EVERY {
            change.logs = std::mem::take(&mut pending_logs).into_iter().collect();
            logs_sent = Instant::now();
        }
        let changed = change.boxes.clone();
        live.announce(change);
        // The facts after the step, for the timeline (a page may note them first).
        for name in changed {
            let (src, l) = (source.clone(), live.clone());
            if let Ok(Some(m)) = tokio::task::spawn_blocking(move || src.one(&name)).await {
                l.timeline.note(&m);
            }
        }
    }
}

async fn tick(source: Arc<dyn Source>, live: Arc<Live>) {
    let mut last: Option<BTreeMap<String, u64>> = None;
    loop {
        tokio::time::sleep(TICK).await;
        if live.tx.receiver_count() == 0 {
            // Nobody listens: look at nothing. A page that connects later
            // is rendered fresh anyway.
            last = None;
            continue;
        }
        let src = source.clone();
        let Ok(now) = tokio::task::spawn_blocking(move || src.fingerprints()).await else { continue };
        if let Some(before) = &last {
            let moved: Vec<String> =
                now.iter().filter(|(n, f)| before.get(*n) != Some(f)).map(|(n, _)| n.clone()).collect();
            if !moved.is_empty() {
                let versions = live.bump(&moved);
                live.announce(Change { boxes: moved, versions, ..Change::default() });
            }
        }
        last = Some(now);
        for name in live.viewed() {
            let src = source.clone();
            let n = name.clone();
            let Ok(Some(usage)) = tokio::task::spawn_blocking(move || src.usage(&n)).await else { continue };
            let sample = live.usage.record(&name, &usage);
            let _ = live.tx.send(News::Usage(sample));
        }
    }
}
