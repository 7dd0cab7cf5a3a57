use super::Ctx;
use crate::error::{Result, UsageError};
use crate::executor::{ApplyOptions, apply};
use crate::model::done::{Removed, Reset};
use crate::plan::Plan;
use crate::stage::teardown;
use crate::state::{BoxLock, BoxRecord, BoxState, StateError, names};
use crate::sys::mounts;
use std::time::Duration;

/// How long a box's processes get to end after SIGTERM.
const PATIENCE: Duration = Duration::from_secs(2);

pub fn run(name: &str, force: bool, ctx: &Ctx) -> Result<Option<Removed>> {
    names::validate("box", name)?;
    let _lock = BoxLock::acquire(&ctx.root, name, super::LOCK_PATIENCE)?;
    let record = match BoxRecord::load(&ctx.root, name) {
        Ok(r) => Some(r),
        // With --force, debris of a box whose record is gone or torn is removed too.
        Err(StateError::NoSuchBox(_) | StateError::NoRecord(_) | StateError::Corrupt { .. }) if force => None,
        Err(e) => return Err(e.into()),
    };
    if record.as_ref().is_some_and(|r| r.state() == BoxState::Running) && !force {
        return Err(UsageError::BoxRunning { name: name.into() }.into());
    }
    if remove(ctx, name, record.as_ref())? {
        return Ok(None);
    }
    // What was done to it stays readable (a lesson checks the order of a
    // removed box's steps); a failure to keep it leaves the box removed.
    if let Some(r) = &record {
        if let Err(e) = crate::model::removed::keep(&ctx.root, r) {
            crate::output::warning(&crate::i18n::tr!("warning-removed-not-kept", error = e.to_string()));
        }
    }
    Ok(Some(Removed::new("box", name)))
}

/// Removes a box as `rm --force` does (for `build`'s boxes): its lock held.
pub fn remove_box(ctx: &Ctx, name: &str) -> Result<()> {
    let _lock = BoxLock::acquire(&ctx.root, name, super::LOCK_PATIENCE)?;
    let record = BoxRecord::load(&ctx.root, name).ok();
    remove(ctx, name, record.as_ref()).map(drop)
}

/// What removing the box takes, found now (see `stage::teardown`).
fn facts(ctx: &Ctx, name: &str, record: Option<&BoxRecord>) -> teardown::TeardownFacts {
    let cgroupfs = std::path::Path::new(crate::stage::cgroup::DEFAULT_FS);
    teardown::gather(&ctx.root, name, record, cgroupfs, std::path::Path::new(crate::sys::proc::PROC_ROOT))
}

/// The plan of removing a box, for reset's --dry-run.
fn plan_of(ctx: &Ctx, name: &str) -> Vec<crate::plan::Op> {
    let record = BoxRecord::load(&ctx.root, name).ok();
    teardown::plan_remove(&facts(ctx, name, record.as_ref()), PATIENCE).ops
}

/// Removes the box, or only shows how under --dry-run (then true).
fn remove(ctx: &Ctx, name: &str, record: Option<&BoxRecord>) -> Result<bool> {
    let mut facts = facts(ctx, name, record);
    if ctx.dry_run_shows(&teardown::plan_remove(&facts, PATIENCE)) {
        return Ok(true);
    }
    // Out of its pools first: no balancer sends a connection to a box on its way out.
    if let Err(e) = crate::pool::forget(&ctx.root, name) {
        crate::output::warning(&crate::i18n::tr!("warning-maybe-in-pool", name = name, error = e.to_string()));
    }
    // Whether the bridge goes is asked again once the record is gone.
    facts.last_on_bridge = None;
    let opts = ApplyOptions { explain: ctx.explain, ..Default::default() };
    apply(&teardown::plan_remove(&facts, PATIENCE), &opts)?;
    let last_on = teardown::last_on_bridge(&ctx.root, name, record);
    apply(&Plan::new(teardown::plan_bridge(last_on.clone())), &opts)?;
    if let Some(bridge) = last_on {
        crate::state::networks::forget(&ctx.root, &bridge);
    }
    Ok(false)
}

/// Every lock file (of the boxes just removed, and of commands on boxes
/// that never were), each deleted while held, then their folder if nothing
/// made a new one meanwhile.
fn remove_locks(ctx: &Ctx) -> Result<()> {
    let dir = ctx.root.locks_dir();
    let entries = std::fs::read_dir(&dir).into_iter().flatten().flatten();
    for name in entries.filter_map(|e| e.file_name().to_str().and_then(|f| f.strip_suffix(".lock")).map(String::from)) {
        if names::validate("box", &name).is_ok() {
            BoxLock::acquire(&ctx.root, &name, super::LOCK_PATIENCE)?.remove();
        }
    }
    let _ = std::fs::remove_dir(&dir);
    Ok(())
}

/// Every box under the root, then anything that a crashed command left
/// (holds of unrecorded boxes, stray inits), then the runtime mount itself.
pub fn reset(ctx: &Ctx, volumes: bool) -> Result<Option<Reset>> {
    // Every box folder, its record written or not.
    let mut names = BoxRecord::folders(&ctx.root);
    if let Ok(dir) = std::fs::read_dir(ctx.root.runtime.join("boxes")) {
        names.extend(dir.flatten().filter_map(|e| e.file_name().to_str().map(String::from)));
    }
    for init in crate::teardown::find_inits(&ctx.root, None) {
        if let Some(n) = crate::sys::proc::argv(init.pid).get(1) {
            names.push(n.clone());
        }
    }
    // A box's cgroup, made by a `limit` whose record was lost with a crash.
    let driver = super::limit::driver().ok();
    for parent in driver.iter().flat_map(|d| d.parents(&ctx.root)) {
        let boxes = std::fs::read_dir(parent).into_iter().flatten().flatten();
        names.extend(boxes.filter(|e| e.path().is_dir()).filter_map(|e| e.file_name().to_str().map(String::from)));
    }
    names.sort();
    names.dedup();
    let names: Vec<String> = names.into_iter().filter(|n| names::validate("box", n).is_ok()).collect();
    if ctx.dry_run {
        let mut ops: Vec<_> = names.iter().flat_map(|n| plan_of(ctx, n)).collect();
        ops.extend(plan_rest(ctx, driver.as_ref(), volumes).ops);
        ctx.dry_run_shows(&Plan::new(ops));
        return Ok(None);
    }
    // Before the boxes: no supervisor may restart one while it goes.
    crate::compose::supervisor::stop_all(&ctx.root);
    for name in &names {
        let _lock = BoxLock::acquire(&ctx.root, name, super::LOCK_PATIENCE)?;
        let record = BoxRecord::load(&ctx.root, name).ok();
        remove(ctx, name, record.as_ref())?;
    }
    remove_locks(ctx)?;
    apply(&plan_rest(ctx, driver.as_ref(), volumes), &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
    Ok(Some(Reset { root: ctx.root.state.clone(), boxes_removed: names.len() }))
}

/// What `reset` removes once every box is gone: the port proxies, the
/// parent cgroups, the bridge, the runtime mount and folders.
fn plan_rest(ctx: &Ctx, driver: Option<&crate::stage::cgroup::CgroupDriver>, volumes: bool) -> Plan {
    use crate::plan::{Op, op};
    let root = &ctx.root;
    let mut running = crate::teardown::find_proxies(root, None);
    running.extend(crate::teardown::find_balancers(root, None));
    let proxies = teardown::targets(std::path::Path::new(crate::sys::proc::PROC_ROOT), &running);
    let mut ops = teardown::plan_stop(&proxies, Duration::from_secs(1));
    let mut parents: Vec<_> = driver.map(|d| d.parents(root)).unwrap_or_default();
    parents.extend(crate::stage::devices::parent(root));
    for path in parents.into_iter().filter(|p| p.exists()) {
        ops.push(Op::from(op::RemoveEmptyDir { path, why: "the parent cgroup of this root's boxes".into() }));
    }
    // The root's bridge, and every bridge it noted making (a compose
    // project's, whose boxes' records may all be lost: its name is a hash).
    let own = crate::stage::bridge::bridge_name(root);
    let noted = crate::state::networks::noted(root).into_iter().filter(|b| *b != own);
    let mut bridges = vec![(own.clone(), "this root's bridge")];
    bridges.extend(noted.map(|b| (b, "a bridge this root made (noted in networks/)")));
    for (bridge, why) in bridges {
        if std::path::Path::new("/sys/class/net").join(&bridge).exists() {
            ops.push(Op::from(op::DeleteLink { name: bridge, why: why.into() }));
        }
    }
    let points = mounts::mounts_under(&root.runtime);
    ops.extend(points.into_iter().map(|path| Op::from(op::Unmount { path })));
    let mut trees = vec![(root.runtime.clone(), "the runtime folder")];
    trees.push((crate::model::removed::dir(root), "the records of removed boxes"));
    trees.push((crate::pool::pools_dir(root), "the pools and their balancers' status"));
    trees.push((crate::state::networks::dir(root), "the notes of the bridges this root made"));
    if volumes {
        trees.push((crate::volume::volumes_dir(root), "every named volume (--volumes)"));
    }
    for (path, why) in trees.into_iter().filter(|(p, _)| p.exists()) {
        ops.push(Op::from(op::RemoveTree { path, why: why.into() }));
    }
    // Where earlier glassboxes kept the init image's empty layer (now in the runtime tmpfs).
    let empty = root.state.join("empty");
    if empty.exists() {
        ops.push(Op::from(op::RemoveEmptyDir {
            path: empty,
            why: "where an older glassbox kept an empty layer".into(),
        }));
    }
    Plan::new(ops)
}
