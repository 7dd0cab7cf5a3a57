//! The current lesson on the page: its title, its checks, and whether
//! they passed, read from the lesson progress of the served root
//! (`lesson::progress`, the file `glassbox lesson` keeps). The page only
//! reads it; `glassbox lesson check` runs the checks.
//!
//! Progress records that every check passed once (`done`), not each
//! check's last verdict, so a check shows "passed" when the lesson is
//! done and "not passed yet" otherwise. Fields this version does not know
//! are ignored (serde's default), so a newer `glassbox lesson` writing more
//! does not break the page.

use crate::lesson::catalogue::Catalogue;
use crate::lesson::progress::Progress;
use crate::state::Root;

pub struct CheckView {
    pub what: String,
    pub box_name: String,
    pub passed: bool,
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
    let spec = lesson.spec_for(&lesson.vars(root)).ok()?;
    let state = progress.get(&lesson.dir).cloned().unwrap_or_default();
    let first_box = spec.boxes.first().cloned().unwrap_or_default();
    Some(LessonView {
        checks: spec
            .checks
            .iter()
            .map(|c| CheckView {
                what: c.what.clone(),
                box_name: c.box_name.clone().unwrap_or_else(|| first_box.clone()),
                passed: state.done,
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
