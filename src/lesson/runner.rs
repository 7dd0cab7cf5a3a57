//! The learner's verbs: list, start, status (check: verdict.rs, hint: hints.rs,
//! solution and reset: redo.rs).

use super::catalogue::{Catalogue, Lesson};
use super::check::{self, Glassbox};
use super::intro::{print_task, print_yours};
use super::progress::Progress;
use super::spec::Spec;
use crate::context::Ctx;
use crate::doctor::Machine;
use crate::error::{Result, UsageError};
use crate::i18n::tr;
use crate::output::{say, say_err, say_to};
use crate::state::BoxRecord;
use serde::Serialize;
use std::time::Duration;

/// How long one `start` command may take (an image import is the slow one).
const START_TIMEOUT: Duration = Duration::from_secs(300);

/// Removes what the lesson makes (its boxes, images and volumes) and runs
/// its `start` commands: the state the checks must fail on. An error says
/// which command failed and what it said.
pub fn set_up(spec: &Spec, gb: &Glassbox, root: &crate::state::Root) -> std::result::Result<(), String> {
    remove_made(spec, gb, root)?;
    for argv in &spec.start {
        glassbox(gb, argv)?;
    }
    // What comparisons read "at start": the state the learner begins from.
    super::compare::take_baselines(root, spec)
}

/// Runs one glassbox command; its stderr is the error.
fn glassbox(gb: &Glassbox, argv: &[impl AsRef<std::ffi::OsStr>]) -> std::result::Result<(), String> {
    let mut cmd = gb.cmd();
    cmd.args(argv);
    let (code, _, err) = check::run_with_timeout(cmd, START_TIMEOUT).map_err(|e| e.to_string())?;
    if code != Some(0) {
        let typed: Vec<String> = argv.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
        return Err(format!("`glassbox {}` failed: {}", typed.join(" "), err.trim()));
    }
    Ok(())
}

/// The lesson's boxes, then the images and volumes it makes (those that
/// exist): what an earlier try made must not pass a check of this one.
pub fn remove_made(spec: &Spec, gb: &Glassbox, root: &crate::state::Root) -> std::result::Result<(), String> {
    remove_boxes(spec, gb, root)?;
    if !spec.images.is_empty() {
        let store = crate::image::Store::open(root).map_err(|e| e.to_string())?;
        for image in spec.images.iter().filter(|i| store.image(i).is_ok()) {
            glassbox(gb, &["image", "rm", image])?;
        }
    }
    for volume in spec.volumes.iter().filter(|v| crate::volume::exists(root, v)) {
        glassbox(gb, &["volume", "rm", "--force", volume])?;
    }
    Ok(())
}

/// Removes the lesson's boxes (those that exist), every one it can; the
/// first failure is the error.
pub fn remove_boxes(spec: &Spec, gb: &Glassbox, root: &crate::state::Root) -> std::result::Result<(), String> {
    let existing = BoxRecord::list(root);
    let mut first_error = Ok(());
    for b in spec.boxes.iter().filter(|b| existing.contains(b)) {
        let mut cmd = gb.cmd();
        cmd.args(["rm", "--force", b]);
        let failed = match check::run_with_timeout(cmd, START_TIMEOUT) {
            Ok((Some(0), _, _)) => continue,
            Ok((_, _, err)) => format!("glassbox rm --force {b} failed: {}", err.trim()),
            Err(e) => e.to_string(),
        };
        if first_error.is_ok() {
            first_error = Err(failed);
        }
    }
    // The records `rm` keeps of removed boxes: an earlier try's would pass an `in_order` check.
    for b in &spec.boxes {
        crate::model::removed::forget(root, b);
    }
    first_error
}

/// The lesson `id` names, or the current one.
pub fn pick<'a>(cat: &'a Catalogue, progress: &Progress, id: Option<&str>) -> Result<&'a Lesson> {
    match id.or(progress.current.as_deref()) {
        Some(id) => cat.find(id),
        None => {
            Err(UsageError::LessonNoneStarted { first: cat.lessons.first().map_or("01", |l| l.dir.as_str()).into() }
                .into())
        }
    }
}

pub fn require_started(progress: &Progress, lesson: &Lesson) -> Result<()> {
    if !progress.get(&lesson.dir).is_some_and(|p| p.started) {
        return Err(UsageError::LessonNotStarted { lesson: lesson.dir.clone() }.into());
    }
    Ok(())
}

#[derive(Serialize)]
struct ListRow<'a> {
    id: &'a str,
    title: String,
    summary: String,
    current: bool,
    done: bool,
    /// Hints revealed, by `lesson hint` or by a failed check.
    hints_shown: usize,
    /// Hints the learner asked for with `lesson hint`.
    hints_asked: usize,
    hints: usize,
}

pub fn list(ctx: &Ctx) -> Result<u8> {
    let cat = Catalogue::load()?;
    let progress = Progress::load(&ctx.root)?;
    let rows: Vec<ListRow> = cat
        .lessons
        .iter()
        .map(|l| {
            let p = progress.get(&l.dir).cloned().unwrap_or_default();
            let spec = l.spec_for(&l.vars(&ctx.root)).ok();
            let (summary, hints) =
                spec.as_ref().map(|s| (s.summary.clone(), super::hints::total(s))).unwrap_or_default();
            ListRow {
                id: &l.dir,
                title: l.title(),
                summary,
                current: progress.current.as_deref() == Some(l.dir.as_str()),
                done: p.done,
                hints_shown: p.hints_shown,
                hints_asked: p.hints_asked,
                hints,
            }
        })
        .collect();
    ctx.show(Listing { rows, source: cat.source.to_string() })
}

/// `lesson list`: a row per lesson (JSON: the rows).
#[derive(Serialize)]
#[serde(transparent)]
struct Listing<'a> {
    rows: Vec<ListRow<'a>>,
    #[serde(skip)]
    source: String,
}

impl std::fmt::Display for Listing<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows = &self.rows;
        if rows.is_empty() {
            return say_to!(f, "{}", tr!("lesson-list-none", source = self.source.clone()));
        }
        let pad = crate::i18n::pad;
        let (lesson, state, asked) = (tr!("lesson-col-lesson"), tr!("lesson-col-state"), tr!("lesson-col-asked"));
        say_to!(f, "  {} {} {} {}", pad(&lesson, 24), pad(&state, 8), pad(&asked, 6), tr!("lesson-col-title"))?;
        for r in rows {
            let state = if r.done {
                tr!("lesson-state-done")
            } else if r.current {
                tr!("lesson-state-current")
            } else {
                "-".into()
            };
            let mark = if r.current { ">" } else { " " };
            let asked = format!("{}/{}", r.hints_asked, r.hints);
            say_to!(f, "{mark} {:<24} {} {:<6} {}", r.id, pad(&state, 8), asked, r.title)?;
        }
        let done = rows.iter().filter(|r| r.done).count();
        say_to!(f)?;
        say_to!(f, "{}", tr!("lesson-list-done", done = done, total = rows.len()))?;
        say_to!(f, "{}", tr!("lesson-list-asked"))
    }
}

pub fn start(id: &str, ctx: &Ctx) -> Result<u8> {
    let cat = Catalogue::load()?;
    let lesson = cat.find(id)?;
    let vars = lesson.vars(&ctx.root);
    let spec = &lesson.spec_for(&vars)?;
    let machine = Machine::new();
    let gb = Glassbox::new(&ctx.root);
    // With --json, the lesson's status once it is set up is the answer
    // (`status`, a value). Without, the heading comes before the set-up,
    // which takes seconds: this part streams, as a step's progress does.
    let say = |line: String| {
        if !ctx.json {
            say!("{line}")
        }
    };
    say(tr!("lesson-heading", id = lesson.dir, title = spec.title));
    if !spec.summary.is_empty() {
        say(spec.summary.clone());
    }
    for m in spec.needs.iter().filter_map(|n| machine.missing(n)) {
        say(tr!("lesson-lacks-skipped", what = m.what, fix = m.fix));
    }
    if let Err(e) = set_up(spec, &gb, &ctx.root) {
        say_err!("{}", tr!("lesson-setup-failed", lesson = lesson.dir, error = e.to_string()));
        say_err!("{}", tr!("lesson-setup-hint"));
        return Ok(1);
    }
    let mut progress = Progress::load(&ctx.root)?;
    let entry = progress.entry(&lesson.dir);
    entry.started = true;
    // Made afresh, the lesson is to do again: done once it passes again.
    entry.done = false;
    progress.current = Some(lesson.dir.clone());
    progress.save(&ctx.root)?;
    if ctx.json {
        return status(Some(&lesson.dir), ctx);
    }
    let made = spec.made_by_start();
    if !made.is_empty() {
        let boxes = made.join(", ");
        let line = if made.len() > 1 {
            tr!("lesson-set-up-many", boxes = boxes)
        } else {
            tr!("lesson-set-up-one", boxes = boxes)
        };
        say!("{line}");
    }
    let mut task = String::new();
    print_yours(&mut task, lesson, spec, &vars)
        .and_then(|()| print_task(&mut task, lesson, spec, progress.get(&lesson.dir)))
        .expect("a String takes any write");
    crate::output::text(&task);
    say!();
    say!("{}", tr!("lesson-when-done"));
    Ok(0)
}

#[derive(Serialize)]
struct BoxState {
    name: String,
    state: String,
}

#[derive(Serialize)]
struct StatusOut<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    started: bool,
    done: bool,
    hints_shown: usize,
    hints_asked: usize,
    hints: usize,
    /// The host port this lesson uses on this root (`{port}` in its text).
    port: u16,
    web: &'a str,
    needs: Vec<String>,
    missing: Vec<crate::doctor::Missing>,
    boxes: Vec<BoxState>,
    /// The steps of a worked example; empty when the learner works them out.
    steps: &'a [super::spec::Step],
    goal: &'a str,
    concepts: &'a [String],
    questions: Vec<QuestionState<'a>>,
    /// `questions: 1/2 right, …`, when the lesson asks questions.
    score: Option<String>,
}

#[derive(Serialize)]
struct QuestionState<'a> {
    ask: &'a str,
    choices: &'a [String],
    /// The first answer, once given.
    answered: Option<&'a str>,
    right: Option<bool>,
}

pub fn status(id: Option<&str>, ctx: &Ctx) -> Result<u8> {
    let cat = Catalogue::load()?;
    let progress = Progress::load(&ctx.root)?;
    let lesson = pick(&cat, &progress, id)?;
    let vars = lesson.vars(&ctx.root);
    let spec = &lesson.spec_for(&vars)?;
    let p = progress.get(&lesson.dir);
    let machine = Machine::new();
    let existing = BoxRecord::list(&ctx.root);
    let boxes = spec
        .boxes
        .iter()
        .map(|b| {
            let state = match BoxRecord::load(&ctx.root, b).ok().filter(|_| existing.contains(b)) {
                Some(r) => r.state().to_string(),
                None => "missing".into(),
            };
            BoxState { name: b.clone(), state }
        })
        .collect();
    let out = StatusOut {
        id: &lesson.dir,
        title: &spec.title,
        summary: &spec.summary,
        started: p.is_some_and(|p| p.started),
        done: p.is_some_and(|p| p.done),
        hints_shown: p.map_or(0, |p| p.hints_shown),
        hints_asked: p.map_or(0, |p| p.hints_asked),
        hints: super::hints::total(spec),
        port: vars.port,
        web: &vars.web,
        needs: spec.needs.iter().map(|n| n.to_string()).collect(),
        missing: spec.needs.iter().filter_map(|n| machine.missing(n)).collect(),
        boxes,
        steps: super::intro::shown_steps(spec),
        goal: &spec.goal,
        concepts: &spec.concepts,
        questions: spec
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let a = p.and_then(|p| p.answers.get(&(i + 1)));
                QuestionState {
                    ask: &q.ask,
                    choices: &q.choices,
                    answered: a.map(|a| a.given.as_str()),
                    right: a.map(|a| a.right),
                }
            })
            .collect(),
        score: super::question::score(spec, p),
    };
    let text = status_text(&out, lesson, spec, &vars, p).expect("a String takes any write");
    ctx.show(crate::output::outcome::Said::of(out).and(text))
}

/// `lesson status` as a person reads it.
fn status_text(
    out: &StatusOut,
    lesson: &Lesson,
    spec: &Spec,
    vars: &super::vars::Vars,
    p: Option<&super::progress::LessonProgress>,
) -> std::result::Result<String, std::fmt::Error> {
    let mut text = String::new();
    let w = &mut text;
    let state = if out.done {
        tr!("lesson-state-done")
    } else if out.started {
        tr!("lesson-state-in-progress")
    } else {
        tr!("lesson-state-not-started")
    };
    let (asked, hints) = (out.hints_asked, out.hints);
    say_to!(
        w,
        "{}",
        tr!("lesson-status-heading", id = out.id, title = out.title, state = state, asked = asked, hints = hints)
    )?;
    if !out.summary.is_empty() {
        say_to!(w, "{}", out.summary)?;
    }
    for m in &out.missing {
        say_to!(w, "{}", tr!("lesson-lacks", what = m.what, fix = m.fix))?;
    }
    for b in &out.boxes {
        say_to!(w, "{}", tr!("lesson-box-state", name = b.name, state = b.state))?;
    }
    if let Some(score) = &out.score {
        say_to!(w, "{score}")?;
    }
    print_yours(w, lesson, spec, vars)?;
    print_task(w, lesson, spec, p)?;
    Ok(text)
}
