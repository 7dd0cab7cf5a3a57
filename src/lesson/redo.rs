//! The learner's ways out: `lesson solution` (the worked answer, noted as
//! seen when the lesson is not passed yet) and `lesson reset` (the lesson
//! made afresh). Each returns the value `Ctx::show` prints.

use super::catalogue::Catalogue;
use super::check::Glassbox;
use super::progress::Progress;
use super::runner::{pick, remove_made};
use crate::context::Ctx;
use crate::error::{Error, Result, UsageError};
use crate::output::say_err;
use serde::Serialize;

pub fn solution(id: Option<&str>, ctx: &Ctx) -> Result<Solution> {
    let cat = Catalogue::load()?;
    let mut progress = Progress::load(&ctx.root)?;
    let lesson = pick(&cat, &progress, id)?;
    let text = lesson
        .file("solution.sh")
        .ok_or_else(|| Error::from(UsageError::LessonNoSolution { lesson: lesson.dir.clone() }))?;
    let done = progress.get(&lesson.dir).is_some_and(|p| p.done);
    if !done {
        say_err!("{}", crate::i18n::tr!("lesson-solution-note", lesson = lesson.dir));
        progress.entry(&lesson.dir).solution_seen = true;
        progress.save(&ctx.root)?;
    }
    Ok(Solution { lesson: lesson.dir.clone(), script: text.to_string() })
}

/// A lesson's worked solution (`--json`: the script as a string).
#[derive(Serialize)]
pub struct Solution {
    lesson: String,
    script: String,
}

impl std::fmt::Display for Solution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.script)
    }
}

/// A lesson made afresh: its boxes, what it made and its progress gone.
#[derive(Serialize)]
pub struct Reset {
    reset: String,
}

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let l = &self.reset;
        write!(
            f,
            "Lesson {l} reset: its boxes, what it made and its progress are gone. `glassbox lesson start {l}` begins it again."
        )
    }
}

pub fn reset(id: Option<&str>, ctx: &Ctx) -> Result<Reset> {
    let cat = Catalogue::load()?;
    let mut progress = Progress::load(&ctx.root)?;
    let lesson = pick(&cat, &progress, id)?;
    if let Ok(spec) = lesson.spec_for(&lesson.vars(&ctx.root)) {
        let _ = remove_made(&spec, &Glassbox::new(&ctx.root), &ctx.root);
    }
    super::compare::forget(&ctx.root, &lesson.dir);
    progress.lessons.remove(&lesson.dir);
    if progress.current.as_deref() == Some(lesson.dir.as_str()) {
        progress.current = None;
    }
    progress.save(&ctx.root)?;
    Ok(Reset { reset: lesson.dir.clone() })
}
