//! Running an up plan: volumes and builds first, then wave after wave,
//! the boxes of one wave in parallel (one thread each, every step still a
//! glassbox command of its own), `/etc/hosts` refreshed after each wave.
//!
//! A failed `up` removes what it made: every box whose `create` passed
//! (`rm --force`, which finds whatever a half-made box holds) and every
//! volume it created; what was there before it stays.

use super::ComposeError;
use super::hosts::service_of;
use super::plan::{BoxPlan, UpPlan};
use super::project::Project;
use super::runner::Steps;
use super::spec::Condition;
use crate::output::{progress, say_err};
use crate::state::Root;
use std::sync::Mutex;

/// What this `up` made, for undoing it.
#[derive(Default)]
struct Made {
    boxes: Mutex<Vec<String>>,
    volumes: Vec<String>,
}

pub fn run(root: &Root, p: &Project, plan: &UpPlan, steps: &Steps) -> Result<(), ComposeError> {
    let mut made = Made::default();
    let result = make(root, p, plan, steps, &mut made);
    if let Err(e) = &result {
        undo(steps, &made, e);
        super::down::remove_empty_pools(root, &p.name, steps);
        if super::hosts::members(root, &p.name).is_empty() {
            super::supervisor::stop(root, &p.name);
        }
    }
    result
}

fn make(root: &Root, p: &Project, plan: &UpPlan, steps: &Steps, made: &mut Made) -> Result<(), ComposeError> {
    for v in &plan.volumes {
        steps.step("volumes", v)?;
        made.volumes.push(v[2].clone());
    }
    for b in &plan.builds {
        steps.step("build", b)?;
    }
    // `net` picks the next free address from the records: one at a time.
    let net = Mutex::new(());
    for wave in &plan.waves {
        wait_for_conditions(root, p, wave)?;
        let results: Vec<Result<(), ComposeError>> = std::thread::scope(|scope| {
            let handles: Vec<_> =
                wave.iter().map(|b| scope.spawn(|| make_box(root, p, b, steps, &made.boxes, &net))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(ComposeError::Failed("a step panicked".into()))))
                .collect()
        });
        results.into_iter().collect::<Result<Vec<()>, _>>()?;
        for failed in super::hosts::refresh(root, &p.name) {
            crate::output::warning(&crate::i18n::tr!("warning-hosts-not-written", name = failed));
        }
        super::supervisor::watch(root, p, wave)?;
    }
    Ok(())
}

/// One box made apart from a wave (a rolling update's new replica): its
/// steps, then the project's supervisor watches it like any other.
pub fn make_one(root: &Root, p: &Project, b: &BoxPlan, steps: &Steps) -> Result<(), ComposeError> {
    make_box(root, p, b, steps, &Mutex::new(vec![]), &Mutex::new(()))?;
    super::supervisor::watch(root, p, std::slice::from_ref(b))
}

fn make_box(
    root: &Root,
    p: &Project,
    b: &BoxPlan,
    steps: &Steps,
    made: &Mutex<Vec<String>>,
    net: &Mutex<()>,
) -> Result<(), ComposeError> {
    let run_at = b.run_at();
    for (i, step) in b.steps.iter().enumerate() {
        if b.supervised && i == run_at {
            // A supervised box's `run` is its supervisor's (which restarts it).
            let step = crate::daemon::steps::shown(step);
            progress!("{}", crate::i18n::tr!("compose-step-by-supervisor", name = b.name, step = step));
            super::supervisor::watch(root, p, std::slice::from_ref(b))?;
            super::supervisor::wait_started(root, &p.name, &b.name)?;
            continue;
        }
        let _serial = (step.first().map(String::as_str) == Some("net")).then(|| net.lock());
        let result = steps.step(&b.name, step);
        if i == 0 && result.is_ok() {
            made.lock().unwrap_or_else(|e| e.into_inner()).push(b.name.clone());
        }
        result?;
    }
    Ok(())
}

/// Before a wave: the healthy dependencies it waits for. (Started ones
/// are the waves before; completed ones ran in the foreground to exit 0.)
fn wait_for_conditions(root: &Root, p: &Project, wave: &[BoxPlan]) -> Result<(), ComposeError> {
    let mut waited: Vec<&str> = vec![];
    for b in wave {
        for (dep, condition) in &p.services[&b.service].depends_on {
            if *condition != Condition::Healthy || waited.contains(&dep.as_str()) {
                continue;
            }
            waited.push(dep);
            for r in super::hosts::members(root, &p.name).iter().filter(|r| service_of(&p.name, &r.name) == dep) {
                super::supervisor::wait_healthy(root, &p.name, &r.name)
                    .map_err(|e| ComposeError::Failed(format!("{}: {e}", b.service)))?;
            }
        }
    }
    Ok(())
}

fn undo(steps: &Steps, made: &Made, why: &ComposeError) {
    say_err!("{}", crate::i18n::tr!("compose-up-failed", why = why.to_string()));
    let boxes = made.boxes.lock().map(|b| b.clone()).unwrap_or_default();
    let mut left = vec![];
    for b in &boxes {
        if steps.quiet(&["rm".into(), "--force".into(), b.clone()]).map(|d| d.code) != Ok(Some(0)) {
            left.push(format!("glassbox rm --force {b}"));
        }
    }
    for v in &made.volumes {
        if steps.quiet(&["volume".into(), "rm".into(), v.clone()]).map(|d| d.code) != Ok(Some(0)) {
            left.push(format!("glassbox volume rm {v}"));
        }
    }
    let what: Vec<String> = boxes.iter().chain(&made.volumes).cloned().collect();
    if !what.is_empty() {
        progress!("{}", crate::i18n::tr!("compose-up-undone", what = what.join(", ")));
    }
    if !left.is_empty() {
        say_err!("{}", crate::i18n::tr!("compose-up-left", left = left.join("; ")));
    }
}
