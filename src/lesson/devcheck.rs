//! `glassbox lesson dev-check`: the catalogue is tested like code. For each
//! lesson, in a throw-away state root: its files are all there; right after
//! `start` every check fails; after `solution.sh` every check passes; after
//! each `wrong/*.sh` (from a fresh start) at least one check fails. Then
//! everything it made is removed.

use super::catalogue::{Catalogue, Lesson};
use super::check::{self, CheckResult, Env, Glassbox, Outcome};
use super::glossary::Glossary;
use super::runner;
use super::spec::{Check, Spec};
use super::vars::Vars;
use crate::doctor::Machine;
use crate::error::{Error, Result, UsageError};
use crate::i18n::tr;
use crate::output::outcome::Said;
use crate::output::say;
use crate::state::Root;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long one solution or wrong script may run.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(300);

pub const README_HEADINGS: [&str; 4] = ["## What and why", "## Try it and observe", "## Read more", "## How to check"];

/// Whether a lesson from 02 on must state a goal, its concepts and at least
/// one question (LESSON-SCHEMA). false while the catalogue is converted: a
/// lesson that lacks them gets a note; true makes it a problem.
const TASKS_REQUIRED: bool = true;

/// What the task format asks of a lesson from 02 on that this one lacks.
fn task_gaps(lesson: &Lesson, spec: &Spec) -> Vec<String> {
    if lesson.dir.as_str() < "02" {
        return vec![];
    }
    let mut gaps = vec![];
    if spec.goal.trim().is_empty() {
        gaps.push("a `goal`");
    }
    if spec.concepts.is_empty() {
        gaps.push("`concepts`");
    }
    if spec.questions.is_empty() {
        gaps.push("a [[question]]");
    }
    if gaps.is_empty() {
        vec![]
    } else {
        vec![format!("lacks {} (from 02 on a lesson is a task: lessons/FORMAT.md)", gaps.join(", "))]
    }
}

/// Problems in the lesson's files, found without running anything.
fn static_problems(lesson: &Lesson, glossary: &Glossary) -> Vec<String> {
    let mut p = vec![];
    let spec = match &lesson.spec {
        Ok(s) => s,
        Err(e) => return vec![e.clone()],
    };
    if spec.id != lesson.dir {
        p.push(format!("id {:?} differs from the folder name {:?}", spec.id, lesson.dir));
    }
    if spec.hints.len() < 2 {
        p.push(format!("{} hint(s): give at least 2, each more concrete than the last", spec.hints.len()));
    }
    if spec.checks.is_empty() {
        p.push("no [[check]]".into());
    }
    for (i, q) in spec.questions.iter().enumerate() {
        p.extend(q.problems(i + 1));
    }
    for c in spec.concepts.iter().filter(|c| !glossary.has(c)) {
        p.push(format!("concept {c:?} is not in lessons/glossary.toml: add a [[term]] with en = {c:?}"));
    }
    if TASKS_REQUIRED {
        p.extend(task_gaps(lesson, spec));
    }
    if let Err(e) = spec.typed_checks() {
        p.push(e);
    }
    for b in &spec.boxes {
        if let Err(e) = crate::state::names::validate("box", b) {
            p.push(e.to_string());
        }
    }
    match lesson.file("README.md") {
        None => p.push("no README.md".into()),
        Some(text) => {
            let found: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).map(str::trim_end).collect();
            if found != README_HEADINGS {
                p.push(format!(
                    "README.md has the ## headings {found:?}; FORMAT.md asks for exactly {README_HEADINGS:?}"
                ));
            }
        }
    }
    p.extend(super::translation::lesson_problems(lesson, spec));
    if lesson.file("solution.sh").is_none() {
        p.push("no solution.sh".into());
    }
    if lesson.wrong_scripts().is_empty() {
        p.push("no wrong/*.sh: add at least one plausible wrong solution".into());
    }
    p
}

/// A scratch folder for one dev-check run: the state root, the scripts, a
/// `bin/glassbox` link to this binary, fresh working dirs.
struct Scratch {
    dir: PathBuf,
    root: Root,
    n: std::cell::Cell<u32>,
}

impl Scratch {
    fn new() -> Result<Scratch> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("glassbox-devcheck-{}-{nanos}", std::process::id()));
        let io = |e| Error::from(crate::state::StateError::io(&dir, e));
        std::fs::create_dir_all(dir.join("bin")).map_err(io)?;
        std::fs::create_dir_all(dir.join("root")).map_err(io)?;
        let exe = std::env::current_exe().map_err(io)?;
        std::os::unix::fs::symlink(exe, dir.join("bin/glassbox")).map_err(io)?;
        let root = Root::new(Some(&dir.join("root")));
        Ok(Scratch { dir, root, n: Default::default() })
    }

    /// Runs a lesson script as FORMAT.md says: `bash -eu`, a fresh temp dir
    /// as the current directory, glassbox first on PATH, GLASSBOX_ROOT, BOX.
    fn run_script(&self, name: &str, text: &str, first_box: &str, vars: &Vars) -> std::result::Result<(), String> {
        let n = self.n.get() + 1;
        self.n.set(n);
        let work = self.dir.join(format!("work-{n}"));
        let script = self.dir.join(format!("script-{n}.sh"));
        std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
        std::fs::write(&script, text).map_err(|e| e.to_string())?;
        let path = format!("{}:{}", self.dir.join("bin").display(), std::env::var("PATH").unwrap_or_default());
        let mut cmd = std::process::Command::new("bash");
        cmd.arg("-eu").arg(&script).current_dir(&work).env("PATH", path);
        cmd.env("GLASSBOX_ROOT", &self.root.state).env("BOX", first_box).stdin(std::process::Stdio::null());
        cmd.envs(vars.env());
        let (code, out, err) = check::run_with_timeout(cmd, SCRIPT_TIMEOUT).map_err(|e| e.to_string())?;
        let _ = std::fs::remove_dir_all(&work);
        match code {
            Some(0) => Ok(()),
            code => {
                let tail: Vec<&str> = err.lines().chain(out.lines()).rev().take(6).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                let how =
                    code.map_or(format!("was killed after {}s", SCRIPT_TIMEOUT.as_secs()), |c| format!("exited {c}"));
                Err(format!("{name} {how}:\n      {}", tail.join("\n      ")))
            }
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let gb = Glassbox::new(&self.root);
        let mut cmd = gb.cmd();
        cmd.args(["reset", "--volumes"]);
        let _ = check::run_with_timeout(cmd, SCRIPT_TIMEOUT);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn describe(r: &CheckResult) -> String {
    match &r.outcome {
        Outcome::Passed => format!("{:?} passed", r.what),
        Outcome::Failed { expected, actual } => format!("{:?} failed: expected {expected}; actual {actual}", r.what),
        Outcome::Skipped { reason, .. } => format!("{:?} skipped: {reason}", r.what),
    }
}

struct Verdict {
    problems: Vec<String>,
    skips: Vec<String>,
    timings: Vec<String>,
}

fn secs(t: Instant) -> String {
    format!("{:.1}s", t.elapsed().as_secs_f64())
}

/// Runs of the right solution, and `check` runs after start and after each
/// solution: --strict proves a fresh lesson fails and a solved one passes
/// every time, so no check changes what it or a later one measures.
fn repeats(strict: bool) -> (u32, u32) {
    if strict { (2, 3) } else { (1, 1) }
}

fn dynamic(spec: &Spec, checks: &[Check], lesson: &Lesson, s: &Scratch, env: &Env, v: &mut Verdict, strict: bool) {
    let first_box = spec.first_box().unwrap_or("");
    let vars = lesson.vars(&s.root);
    let checks_now = |v: &mut Verdict, phase: &str| -> Vec<CheckResult> {
        let r = check::run_all(env, spec, checks);
        v.skips.extend(
            r.iter()
                .filter(|r| matches!(r.outcome, Outcome::Skipped { .. }))
                .map(|r| format!("{phase}: {}", describe(r))),
        );
        r
    };
    let (rounds, times) = repeats(strict);
    for round in 1..=rounds {
        let nth = |phase: &str, k: u32| match (rounds, times) {
            (1, 1) => phase.to_string(),
            _ => format!("{phase} (round {round}, check {k} of {times})"),
        };
        let t = Instant::now();
        if let Err(e) = runner::set_up(spec, env.glassbox, &s.root) {
            v.problems.push(format!("start: {e}"));
            return;
        }
        for k in 1..=times {
            for r in checks_now(v, &nth("after start", k)) {
                if r.outcome == Outcome::Passed {
                    v.problems.push(format!(
                        "{}, {:?} already passes: every check must fail until the learner acts",
                        nth("after start", k),
                        r.what
                    ));
                }
            }
        }
        v.timings.push(format!("start {}", secs(t)));
        let t = Instant::now();
        match s.run_script("solution.sh", lesson.file("solution.sh").unwrap_or(""), first_box, &vars) {
            Err(e) => v.problems.push(e),
            Ok(()) => {
                for k in 1..=times {
                    for r in checks_now(v, &nth("after solution.sh", k)) {
                        if matches!(r.outcome, Outcome::Failed { .. }) {
                            v.problems.push(format!("{}, {}", nth("after solution.sh", k), describe(&r)));
                        }
                    }
                }
            }
        }
        v.timings.push(format!("solution {}", secs(t)));
    }
    let t = Instant::now();
    let wrong = lesson.wrong_scripts();
    for (name, text) in &wrong {
        if let Err(e) = runner::set_up(spec, env.glassbox, &s.root) {
            v.problems.push(format!("start before wrong/{name}: {e}"));
            continue;
        }
        // A wrong solution may stop half way (bash -e): what counts is the state it leaves.
        let _ = s.run_script(&format!("wrong/{name}"), text, first_box, &vars);
        let results = checks_now(v, &format!("after wrong/{name}"));
        let failed = results.iter().any(|r| matches!(r.outcome, Outcome::Failed { .. }));
        let skipped = results.iter().any(|r| matches!(r.outcome, Outcome::Skipped { .. }));
        if !failed && skipped {
            v.skips.push(format!(
                "after wrong/{name}, no check fails, but some were skipped: cannot tell if it is caught"
            ));
        } else if !failed {
            v.problems
                .push(format!("after wrong/{name}, no check fails: a check that catches this mistake is missing"));
        }
    }
    v.timings.push(format!("{} wrong {}", wrong.len(), secs(t)));
    let _ = runner::remove_made(spec, env.glassbox, &s.root);
}

pub fn run(only: Option<&str>, strict: bool, json: bool) -> Result<u8> {
    let cat = Catalogue::load()?;
    let lessons: Vec<&Lesson> = match only {
        Some(id) => vec![cat.find(id)?],
        None => cat.lessons.iter().collect(),
    };
    if lessons.is_empty() {
        let none = tr!("devcheck-no-lessons", source = cat.source.to_string());
        crate::output::outcome::show(&Said::new(Vec::<serde_json::Value>::new(), none), json);
        return Ok(0);
    }
    let scratch = Scratch::new()?;
    let machine = Machine::new();
    let gb = Glassbox::new(&scratch.root);
    let env = Env { root: &scratch.root, machine: &machine, glassbox: &gb };
    let glossary = Glossary::load()?;
    let mut failed = 0;
    let mut report = vec![];
    for lesson in lessons {
        let t = Instant::now();
        let mut v = Verdict { problems: static_problems(lesson, &glossary), skips: vec![], timings: vec![] };
        let notes = match (&lesson.spec, TASKS_REQUIRED) {
            (Ok(spec), false) => task_gaps(lesson, spec),
            _ => vec![],
        };
        if v.problems.is_empty() {
            let spec = &lesson.spec_for(&lesson.vars(&scratch.root))?;
            let checks = spec.typed_checks().map_err(|e| {
                Error::from(UsageError::LessonChecksInvalid { lesson: lesson.dir.clone(), reason: e.to_string() })
            })?;
            let missing: Vec<String> = spec.needs.iter().filter_map(|n| machine.missing(n)).map(|m| m.what).collect();
            if missing.is_empty() {
                dynamic(spec, &checks, lesson, &scratch, &env, &mut v, strict);
            } else {
                v.skips.push(tr!("devcheck-not-run", missing = missing.join(", ")));
            }
        }
        let bad = !v.problems.is_empty() || (strict && !v.skips.is_empty());
        failed += usize::from(bad);
        let word = if !v.problems.is_empty() {
            tr!("devcheck-fail")
        } else if v.skips.is_empty() {
            tr!("devcheck-ok")
        } else if strict {
            tr!("devcheck-skip-strict")
        } else {
            tr!("devcheck-ok-skips")
        };
        let timings = if v.timings.is_empty() { String::new() } else { format!("  ({})", v.timings.join(", ")) };
        // A line per lesson as it finishes (a run takes minutes): the one
        // output that streams; the report and the summary are the value.
        if !json {
            let word = crate::i18n::pad(&word, 6);
            say!("{:<24} {word} {:.1}s{timings}", lesson.dir, t.elapsed().as_secs_f64());
            for p in &v.problems {
                say!("    {}", tr!("devcheck-problem", text = p));
            }
            for s in &v.skips {
                say!("    {}", tr!("devcheck-skipped", text = s));
            }
            for n in &notes {
                say!("    {}", tr!("devcheck-note", text = n));
            }
        }
        report.push(serde_json::json!({"id": lesson.dir, "ok": !bad, "problems": v.problems, "skipped": v.skips, "seconds": t.elapsed().as_secs_f64()}));
    }
    drop(scratch);
    let (count, bad) = (report.len().to_string(), failed.to_string());
    let summary = if strict {
        tr!("devcheck-summary-strict", lessons = count, failed = bad)
    } else {
        tr!("devcheck-summary", lessons = count, failed = bad)
    };
    // After the lessons' lines, a blank line and the summary.
    crate::output::outcome::show(&Said::new(report, String::new()).and(summary), json);
    Ok(if failed == 0 { 0 } else { 1 })
}
