//! The current lesson on the page: its title, its checks, and whether
//! they passed, read from the lesson progress of the served root
//! (`lesson::progress`, the file `glassbox lesson` keeps). The page only
//! reads it; `glassbox lesson check` runs the checks.
//!
//! `lesson check` records each check's last result (`last_checks`), so a
//! check shows passed, FAILED or skipped as it last ended, and "not
//! checked yet" before its first run. A progress file from before those
//! records says only whether the lesson is done: its checks then show
//! passed when it is. Fields this version does not know are ignored
//! (serde's default), so a newer `glassbox lesson` writing more does not
//! break the page. The watcher sees the progress file change (watch.rs),
//! so the page follows each `lesson check` live.

use crate::lesson::catalogue::Catalogue;
use crate::lesson::progress::{CheckSeen, LessonProgress, Progress, Verdict};
use crate::state::Root;

pub struct CheckView {
    pub what: String,
    pub box_name: String,
    pub passed: bool,
    /// How it last ended; None: not checked yet.
    pub verdict: Option<Verdict>,
    /// When it was last checked (RFC 3339, UTC); empty when never or not known.
    pub when: String,
}

impl CheckView {
    /// The class the page styles the check with.
    pub fn class(&self) -> &'static str {
        match self.verdict {
            Some(Verdict::Passed) => "passed",
            Some(Verdict::Failed) => "failed",
            Some(Verdict::Skipped) => "skipped",
            None => "pending",
        }
    }

    /// Its verdict in words (web.ftl).
    pub fn label(&self) -> String {
        super::lang::t(match self.verdict {
            Some(Verdict::Passed) => "web-check-passed",
            Some(Verdict::Failed) => "web-check-failed",
            Some(Verdict::Skipped) => "web-check-skipped",
            None => "web-check-not-yet",
        })
    }
}

/// The `n`th check's view from its last recorded result (if it is the
/// same check: its `what` matches).
pub fn check_view(state: &LessonProgress, n: usize, what: &str, box_name: String) -> CheckView {
    let seen: Option<&CheckSeen> = state.last_checks.get(n).filter(|s| s.what == what);
    let verdict = match seen {
        Some(s) => Some(s.result),
        None if state.done && state.last_checks.is_empty() => Some(Verdict::Passed),
        None => None,
    };
    CheckView {
        what: what.to_string(),
        box_name,
        passed: verdict == Some(Verdict::Passed),
        verdict,
        when: seen.filter(|s| s.at > 0).map(|s| crate::image::config::timestamp(s.at)).unwrap_or_default(),
    }
}

pub struct LessonView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub done: bool,
    pub hints_shown: usize,
    pub checks: Vec<CheckView>,
    /// The boxes the lesson works on.
    pub boxes: Vec<String>,
    /// The book chapter of this lesson, in the book's source and as
    /// `mdbook serve book` shows it.
    pub chapter_file: String,
    pub chapter_url: String,
}

/// Where `mdbook serve book` puts the book.
const BOOK_SERVED_AT: &str = "http://localhost:3000";

/// The current lesson of this root; None when no lesson was started (or
/// the progress file or the lesson cannot be read: the page then says how
/// to start one).
pub fn current(root: &Root) -> Option<LessonView> {
    let progress = Progress::load(root).ok()?;
    let id = progress.current.clone()?;
    let catalogue = Catalogue::load().ok()?;
    let lesson = catalogue.find(&id).ok()?;
    let vars = lesson.vars(root);
    // The page's language for what it shows; English for what `lesson
    // check` recorded (the key it matches, whatever language checked).
    let spec = lesson.spec_in(&vars, super::lang::lang()).ok()?;
    let english = lesson.spec_in(&vars, crate::i18n::Lang::En).ok()?;
    let state = progress.get(&lesson.dir).cloned().unwrap_or_default();
    let first_box = spec.boxes.first().cloned().unwrap_or_default();
    Some(LessonView {
        checks: spec
            .checks
            .iter()
            .zip(&english.checks)
            .enumerate()
            .map(|(n, (c, en))| CheckView {
                what: c.what.clone(),
                ..check_view(&state, n, &en.what, c.box_name.clone().unwrap_or_else(|| first_box.clone()))
            })
            .collect(),
        title: spec.title.clone(),
        summary: spec.summary.clone(),
        done: state.done,
        hints_shown: state.hints_shown,
        boxes: spec.boxes.clone(),
        chapter_file: format!("book/src/stages/{}.md", lesson.dir),
        chapter_url: format!("{BOOK_SERVED_AT}/stages/{}.html", lesson.dir),
        id: lesson.dir.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_check_shows_its_last_result_and_an_older_progress_file_still_reads() {
        // Written before checks' results were kept: only `done`.
        let old: LessonProgress = serde_json::from_str(r#"{"started": true, "done": true, "hints_shown": 1}"#).unwrap();
        assert_eq!(check_view(&old, 0, "hostname is sandbox", String::new()).verdict, Some(Verdict::Passed));
        let fresh = LessonProgress { started: true, ..Default::default() };
        assert_eq!(check_view(&fresh, 0, "hostname is sandbox", String::new()).class(), "pending");
        let seen = |what: &str, result| CheckSeen { what: what.into(), result, at: 1_765_000_000 };
        let checked = LessonProgress {
            started: true,
            last_checks: vec![seen("own uts", Verdict::Passed), seen("hostname is sandbox", Verdict::Failed)],
            ..Default::default()
        };
        let failed = check_view(&checked, 1, "hostname is sandbox", "l02".into());
        assert_eq!((failed.class(), failed.passed, failed.when.as_str()), ("failed", false, "2025-12-06T05:46:40Z"));
        assert!(check_view(&checked, 0, "own uts", String::new()).passed);
        assert_eq!(
            check_view(&checked, 1, "a check renamed since", String::new()).verdict,
            None,
            "not another's result"
        );
        assert_eq!(check_view(&checked, 2, "a check added since", String::new()).verdict, None);
        // Kept in the file and read back.
        let again: LessonProgress = serde_json::from_str(&serde_json::to_string(&checked).unwrap()).unwrap();
        assert_eq!(again.last_checks, checked.last_checks);
    }
}
