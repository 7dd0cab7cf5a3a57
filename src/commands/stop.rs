use super::Ctx;
use crate::error::Result;
use crate::executor::{ApplyOptions, apply};
use crate::i18n::tr;
use crate::output::say;
use crate::plan::Plan;
use crate::stage::teardown;
use crate::state::BoxState;
use std::time::Duration;

pub fn run(name: &str, patience: Duration, ctx: &Ctx) -> Result<u8> {
    let (_lock, record) = ctx.open_any(name)?;
    if record.state() != BoxState::Running {
        say!("{}", tr!("step-stop-nothing", name = name));
        return Ok(0);
    }
    let procs = crate::teardown::box_processes(&ctx.root, name, Some(&record));
    let plan = Plan::new(teardown::plan_stop(&teardown::targets(&procs), patience));
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
    if !ctx.json {
        let what = if record.init.is_some() { tr!("step-stop-init") } else { tr!("step-stop-main") };
        say!("{}", tr!("step-stopped", name = name, what = what));
        // A pod sharing the PID namespace: the kernel ended their processes too.
        if let Some(pid) = record.init.and(record.namespaces.get(&crate::stage::NamespaceKind::Pid)) {
            let all = crate::state::BoxRecord::load_all(&ctx.root);
            let sharers = crate::state::shared::sharers(&all, name, crate::stage::NamespaceKind::Pid, pid.inode);
            if !sharers.is_empty() {
                say!("the PID namespace ended with it, and the processes of {} in it", sharers.join(", "));
            }
        }
    }
    Ok(0)
}
