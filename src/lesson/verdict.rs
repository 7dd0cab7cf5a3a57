//! `lesson check`: run the current lesson's checks, print each as passed,
//! failed (expected vs actual) or skipped, and on a full pass mark the
//! lesson done and name the next one.

use super::catalogue::Catalogue;
use super::check::{self, CheckResult, Env, Glassbox, Outcome};
use super::progress::{CheckSeen, Progress};
use super::runner::{pick, require_started};
use super::{hints, question};
use crate::context::Ctx;
use crate::doctor::Machine;
use crate::error::{Error, Result, UsageError};
use crate::i18n::tr;
use crate::output::say_to;
use serde::Serialize;

#[derive(Serialize)]
struct CheckOut<'a> {
    id: &'a str,
    /// Every check passes.
    passed: bool,
    /// Every check passes and every question is answered.
    done: bool,
    /// The questions (1-based) not answered yet.
    unanswered: Vec<usize>,
    checks: &'a [CheckResult],
    hint: Option<String>,
    /// The check the hint belongs to (None: one of the lesson's own).
    hint_for: Option<String>,
    next: Option<&'a str>,
}

/// After a pass: the next lesson, or, after the last one, what is left.
fn print_next(w: &mut String, cat: &Catalogue, progress: &Progress, dir: &str) -> std::fmt::Result {
    if let Some(n) = cat.next_after(dir) {
        return say_to!(w, "{}", tr!("lesson-next", id = n.dir, title = n.title()));
    }
    let left: Vec<&str> =
        cat.lessons.iter().map(|l| l.dir.as_str()).filter(|d| !progress.get(d).is_some_and(|p| p.done)).collect();
    match left.first() {
        None => say_to!(w, "{}", tr!("lesson-course-done", count = cat.lessons.len())),
        Some(first) => {
            let (count, list) = (cat.lessons.len(), left.join(", "));
            say_to!(w, "{}", tr!("lesson-last-but-left", left = left.len(), count = count, list = list, first = first))
        }
    }
}

pub fn check(id: Option<&str>, ctx: &Ctx) -> Result<u8> {
    let cat = Catalogue::load()?;
    let mut progress = Progress::load(&ctx.root)?;
    let lesson = pick(&cat, &progress, id)?;
    let spec = &lesson.spec_for(&lesson.vars(&ctx.root))?;
    require_started(&progress, lesson)?;
    let checks = spec.typed_checks().map_err(|e| {
        Error::from(UsageError::LessonChecksInvalid { lesson: lesson.dir.clone(), reason: e.to_string() })
    })?;
    let machine = Machine::new();
    let gb = Glassbox::new(&ctx.root);
    let results = check::run_all(&Env { root: &ctx.root, machine: &machine, glassbox: &gb }, spec, &checks);
    let passed = !results.is_empty() && results.iter().all(|r| r.outcome == Outcome::Passed);
    let unanswered = question::unanswered(spec, progress.get(&lesson.dir));
    let done = passed && unanswered.is_empty();
    let entry = progress.entry(&lesson.dir);
    let at = super::progress::now();
    // Kept under the English `what`, whatever the language: the web page
    // matches it in its own language.
    let english = lesson.spec_in(&lesson.vars(&ctx.root), crate::i18n::Lang::En)?;
    let key = |i: usize, r: &CheckResult| english.checks.get(i).map_or_else(|| r.what.clone(), |c| c.what.clone());
    entry.last_checks = results
        .iter()
        .enumerate()
        .map(|(i, r)| CheckSeen { what: key(i, r), result: r.outcome.verdict(), at })
        .collect();
    let mut hint = None;
    if done {
        entry.done = true;
    } else if !passed {
        hint = hints::after_failure(spec, &checks, &results, entry);
    }
    progress.save(&ctx.root)?;
    let next = cat.next_after(&lesson.dir).map(|l| l.dir.as_str());
    // The exit code says whether the checks pass (scripts and tests read
    // it); `done` also needs every question answered.
    let code = if passed { 0 } else { 1 };
    let hint_text = hint.as_ref().map(|h| h.text.clone());
    let out = CheckOut {
        id: &lesson.dir,
        passed,
        done,
        unanswered: unanswered.clone(),
        checks: &results,
        hint: hint_text,
        hint_for: hint.as_ref().and_then(|h| h.check.clone()),
        next,
    };
    let text = check_text(spec, &lesson.dir, &results, (&cat, &progress), (passed, done, &unanswered), hint.as_ref())
        .expect("a String takes any write");
    ctx.show(crate::output::outcome::Said::of(out).and(text)).map(|_| code)
}

/// `lesson check` as a person reads it: each check, the score, what next.
fn check_text(
    spec: &super::spec::Spec,
    dir: &str,
    results: &[CheckResult],
    (cat, progress): (&Catalogue, &Progress),
    (passed, done, unanswered): (bool, bool, &[usize]),
    hint: Option<&hints::Shown>,
) -> std::result::Result<String, std::fmt::Error> {
    let mut text = String::new();
    let w = &mut text;
    say_to!(w, "{}", tr!("lesson-heading", id = dir, title = spec.title))?;
    let mark = |id| crate::i18n::pad(&crate::i18n::message(id, &[]), 8);
    for r in results {
        match &r.outcome {
            Outcome::Passed => say_to!(w, "  {} {}", mark("lesson-check-passed"), r.what)?,
            Outcome::Failed { expected, actual } => {
                say_to!(w, "  {} {}", mark("lesson-check-failed"), r.what)?;
                say_to!(w, "           {}", tr!("lesson-expected", value = expected))?;
                say_to!(w, "           {}", tr!("lesson-actual", value = actual))?;
            }
            Outcome::Skipped { reason, fix } => {
                say_to!(
                    w,
                    "  {} {} ({})",
                    mark("lesson-check-skipped"),
                    r.what,
                    tr!("lesson-skip-why", reason = reason, fix = fix)
                )?;
            }
        }
    }
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|r| f(&r.outcome)).count();
    let (ok, skipped) = (count(|o| *o == Outcome::Passed), count(|o| matches!(o, Outcome::Skipped { .. })));
    say_to!(w)?;
    if let Some(score) = question::score(spec, progress.get(dir)) {
        say_to!(w, "{score}")?;
    }
    if done {
        say_to!(w, "{}", tr!("lesson-all-done", count = results.len(), id = dir))?;
        print_next(w, cat, progress, dir)?;
        return Ok(text);
    }
    if passed {
        let first = unanswered.first().copied().unwrap_or(1);
        say_to!(w, "{}", tr!("lesson-all-pass-questions", count = results.len(), id = dir, first = first))?;
        return Ok(text);
    }
    let count = results.len();
    if skipped > 0 {
        say_to!(w, "{}", tr!("lesson-some-pass-skipped", ok = ok, count = count, skipped = skipped))?;
    } else {
        say_to!(w, "{}", tr!("lesson-some-pass", ok = ok, count = count))?;
    }
    if let Some(h) = hint {
        say_to!(w, "{}", h.line())?;
        if h.more() {
            say_to!(w, "{}", tr!("lesson-hint-more"))?;
        }
    }
    Ok(text)
}
