use super::Ctx;
use crate::error::Result;
use crate::executor::{ApplyOptions, apply};
use crate::model::done::Stopped;
use crate::plan::Plan;
use crate::stage::teardown;
use crate::state::BoxState;
use std::time::Duration;

/// Stops the box's processes; None when --dry-run only showed how.
pub fn run(name: &str, patience: Duration, ctx: &Ctx) -> Result<Option<Stopped>> {
    let (_lock, record) = ctx.open_any(name)?;
    if record.state() != BoxState::Running {
        return Ok(Some(Stopped { name: name.into(), ended: "nothing", sharers: vec![] }));
    }
    let host = std::path::Path::new(crate::sys::proc::PROC_ROOT);
    let procs = crate::teardown::box_processes(host, &ctx.root, name, Some(&record));
    let plan = Plan::new(teardown::plan_stop(&teardown::targets(host, &procs), patience));
    if ctx.dry_run_shows(&plan) {
        return Ok(None);
    }
    apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
    // A pod sharing the PID namespace: the kernel ended their processes too.
    let mut sharers = vec![];
    if let Some(pid) = record.init.and(record.namespaces.get(&crate::stage::NamespaceKind::Pid)) {
        let all = crate::state::BoxRecord::load_all(&ctx.root);
        sharers = crate::state::shared::sharers(&all, name, crate::stage::NamespaceKind::Pid, pid.inode);
    }
    let ended = if record.init.is_some() { "init" } else { "main" };
    Ok(Some(Stopped { name: name.into(), ended, sharers }))
}
