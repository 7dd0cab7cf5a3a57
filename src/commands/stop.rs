use super::Ctx;
use crate::error::Result;
use crate::model::done::Stopped;
use crate::state::BoxState;
use std::time::Duration;

pub fn run(name: &str, patience: Duration, ctx: &Ctx) -> Result<Stopped> {
    let (_lock, record) = ctx.open_any(name)?;
    if record.state() != BoxState::Running {
        return Ok(Stopped { name: name.into(), ended: "nothing", sharers: vec![] });
    }
    let procs = crate::teardown::box_processes(&ctx.root, name, Some(&record));
    crate::teardown::terminate(&procs, patience);
    // A pod sharing the PID namespace: the kernel ended their processes too.
    let mut sharers = vec![];
    if let Some(pid) = record.init.and(record.namespaces.get(&crate::stage::NamespaceKind::Pid)) {
        let all = crate::state::BoxRecord::load_all(&ctx.root);
        sharers = crate::state::shared::sharers(&all, name, crate::stage::NamespaceKind::Pid, pid.inode);
    }
    let ended = if record.init.is_some() { "init" } else { "main" };
    Ok(Stopped { name: name.into(), ended, sharers })
}
