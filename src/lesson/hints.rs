//! Hints that follow the failed check. Each check may name its own hints;
//! a failed `lesson check` shows the next unused one of the first failed
//! check by itself (not counted as asked), and `lesson hint` gives the
//! next one of the first failing check, then the lesson's own top-level
//! hints when that check has none left.

use super::catalogue::Catalogue;
use super::check::{self, CheckResult, Env, Glassbox, Outcome};
use super::progress::{LessonProgress, Progress};
use super::runner::pick;
use super::spec::{Check, Spec};
use crate::context::Ctx;
use crate::doctor::Machine;
use crate::error::Result;
use crate::i18n::tr;

/// A hint to print: where it comes from, its number of how many, its text.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Shown {
    /// The check it belongs to (its `what`), or None for the lesson's own.
    pub check: Option<String>,
    pub n: usize,
    pub of: usize,
    pub text: String,
}

impl Shown {
    pub fn line(&self) -> String {
        match &self.check {
            Some(what) => tr!("lesson-hint-for", what = what, n = self.n, of = self.of, text = self.text),
            None => tr!("lesson-hint", n = self.n, of = self.of, text = self.text),
        }
    }

    pub fn more(&self) -> bool {
        self.n < self.of
    }
}

/// Every hint of the lesson: its own and its checks'.
pub fn total(spec: &Spec) -> usize {
    spec.hints.len() + spec.checks.iter().map(|c| c.hints.len()).sum::<usize>()
}

/// The first failed check, with its number (1-based).
fn first_failed<'a>(checks: &'a [Check], results: &[CheckResult]) -> Option<(usize, &'a Check)> {
    let i = results.iter().position(|r| matches!(r.outcome, Outcome::Failed { .. }))?;
    checks.get(i).map(|c| (i + 1, c))
}

/// Reveals the next unused hint of check `n`, if it has one left.
fn next_of_check(entry: &mut LessonProgress, n: usize, check: &Check) -> Option<Shown> {
    let used = entry.check_hints.get(&n).copied().unwrap_or(0);
    let text = check.hints.get(used)?.clone();
    entry.check_hints.insert(n, used + 1);
    Some(Shown { check: Some(check.what.clone()), n: used + 1, of: check.hints.len(), text })
}

/// What a failed check run shows by itself: the next unused hint of the
/// first failed check; else the lesson's latest revealed hint (the first
/// one the first time). Only `lesson hint` moves the lesson's own on.
pub fn after_failure(
    spec: &Spec,
    checks: &[Check],
    results: &[CheckResult],
    entry: &mut LessonProgress,
) -> Option<Shown> {
    let (n, failed) = first_failed(checks, results)?;
    if let Some(s) = next_of_check(entry, n, failed) {
        return Some(s);
    }
    if spec.hints.is_empty() {
        return None;
    }
    entry.hints_shown = entry.hints_shown.clamp(1, spec.hints.len());
    let n = entry.hints_shown;
    Some(Shown { check: None, n, of: spec.hints.len(), text: spec.hints[n - 1].clone() })
}

/// `glassbox lesson hint`
pub fn hint(id: Option<&str>, ctx: &Ctx) -> Result<Given> {
    let cat = Catalogue::load()?;
    let mut progress = Progress::load(&ctx.root)?;
    let lesson = pick(&cat, &progress, id)?;
    let spec = &lesson.spec_for(&lesson.vars(&ctx.root))?;
    // The checks say where the learner is stuck; a lesson not set up yet
    // fails them all, so only a started one is checked.
    let started = progress.get(&lesson.dir).is_some_and(|p| p.started);
    let checks = spec.typed_checks().unwrap_or_default();
    let failed = if started && checks.iter().any(|c| !c.hints.is_empty()) {
        let (machine, gb) = (Machine::new(), Glassbox::new(&ctx.root));
        let results = check::run_all(&Env { root: &ctx.root, machine: &machine, glassbox: &gb }, spec, &checks);
        first_failed(&checks, &results).map(|(n, c)| (n, c.clone()))
    } else {
        None
    };
    let entry = progress.entry(&lesson.dir);
    if let Some(shown) = failed.and_then(|(n, c)| next_of_check(entry, n, &c)) {
        entry.hints_asked += 1;
        progress.save(&ctx.root)?;
        let note = (!shown.more()).then(|| tr!("lesson-hint-check-last"));
        return Ok(Given { lesson: lesson.dir.clone(), hint: Some(shown), note });
    }
    if spec.hints.is_empty() {
        return Ok(Given { lesson: lesson.dir.clone(), hint: None, note: None });
    }
    let was_last = entry.hints_shown >= spec.hints.len();
    if !was_last {
        entry.hints_asked += 1;
    }
    entry.hints_shown = (entry.hints_shown + 1).min(spec.hints.len());
    let n = entry.hints_shown;
    progress.save(&ctx.root)?;
    let shown = Shown { check: None, n, of: spec.hints.len(), text: spec.hints[n - 1].clone() };
    let note = was_last.then(|| tr!("lesson-hint-last"));
    Ok(Given { lesson: lesson.dir.clone(), hint: Some(shown), note })
}

/// What `lesson hint` gives: the next hint (none when the lesson has no
/// more), and a note when it was the last of its kind.
#[derive(Debug, serde::Serialize)]
pub struct Given {
    pub lesson: String,
    pub hint: Option<Shown>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl std::fmt::Display for Given {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.hint {
            None => f.write_str(&tr!("lesson-no-more-hints", id = self.lesson)),
            Some(shown) => {
                f.write_str(&shown.line())?;
                self.note.iter().try_for_each(|n| write!(f, "\n{n}"))
            }
        }
    }
}
