//! `lesson check`: run the current lesson's checks, print each as passed,
//! failed (expected vs actual) or skipped, and on a full pass mark the
//! lesson done and name the next one.

use super::catalogue::Catalogue;
use super::check::{self, CheckResult, Env, Glassbox, Outcome};
use super::progress::{CheckSeen, Progress};
use super::runner::{pick, require_started};
use super::{hints, question};
use crate::commands::Ctx;
use crate::doctor::Machine;
use crate::error::{Error, Result, UsageError};
use crate::output::say;
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
fn print_next(cat: &Catalogue, progress: &Progress, dir: &str) {
    if let Some(n) = cat.next_after(dir) {
        say!("Next: glassbox lesson start {}  ({})", n.dir, n.title());
        return;
    }
    let left: Vec<&str> =
        cat.lessons.iter().map(|l| l.dir.as_str()).filter(|d| !progress.get(d).is_some_and(|p| p.done)).collect();
    match left.first() {
        None => say!(
            "That was the last lesson, and all {} are done: you have built a container by hand, one kernel feature at a time. Done!",
            cat.lessons.len()
        ),
        Some(first) => say!(
            "That was the last lesson in order, but {} of {} are not done yet ({}): glassbox lesson start {first}",
            left.len(),
            cat.lessons.len(),
            left.join(", ")
        ),
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
    entry.last_checks =
        results.iter().map(|r| CheckSeen { what: r.what.clone(), result: r.outcome.verdict(), at }).collect();
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
    if ctx.json {
        let hint_text = hint.as_ref().map(|h| h.text.clone());
        let out = CheckOut {
            id: &lesson.dir,
            passed,
            done,
            unanswered,
            checks: &results,
            hint: hint_text,
            hint_for: hint.and_then(|h| h.check),
            next,
        };
        ctx.print_json(&out);
        return Ok(code);
    }
    say!("Lesson {}: {}", lesson.dir, spec.title);
    for r in &results {
        match &r.outcome {
            Outcome::Passed => say!("  passed   {}", r.what),
            Outcome::Failed { expected, actual } => {
                say!("  FAILED   {}", r.what);
                say!("           expected: {expected}");
                say!("           actual:   {actual}");
            }
            Outcome::Skipped { reason, fix } => {
                say!("  skipped  {} ({reason}; fix: {fix})", r.what);
            }
        }
    }
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|r| f(&r.outcome)).count();
    let (ok, skipped) = (count(|o| *o == Outcome::Passed), count(|o| matches!(o, Outcome::Skipped { .. })));
    say!();
    if let Some(score) = question::score(spec, progress.get(&lesson.dir)) {
        say!("{score}");
    }
    if done {
        say!("All {} checks pass: lesson {} is done.", results.len(), lesson.dir);
        print_next(&cat, &progress, &lesson.dir);
        return Ok(0);
    }
    if passed {
        let first = unanswered.first().copied().unwrap_or(1);
        say!(
            "All {} checks pass, but the lesson is done only once every question is answered: glassbox lesson answer {} {first} ANSWER",
            results.len(),
            lesson.dir
        );
        return Ok(code);
    }
    let skipped = if skipped > 0 {
        format!(", {skipped} skipped (a skipped check is not a pass: `glassbox doctor` says what this machine lacks)")
    } else {
        String::new()
    };
    say!("{ok} of {} checks pass{skipped}.", results.len());
    if let Some(h) = hint {
        h.print();
        if h.more() {
            say!("(`glassbox lesson hint` gives a more concrete one)");
        }
    }
    Ok(code)
}
