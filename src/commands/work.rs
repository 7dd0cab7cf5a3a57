//! Steps whose work is glassbox's own file work rather than one kernel call
//! (`image import`, `image busybox`, `image from-host`, `commit`,
//! `publish`): they are plans too, of one named operation each
//! (`Work`, of `plan::teardown`), so `--dry-run` prints what they would do and stops
//! before anything is made, and `--explain` names it as it starts.

use super::Ctx;
use crate::error::Result;
use crate::executor::{ApplyOptions, apply};
use crate::plan::{Op, Plan, op};

/// One named piece of work: what it does (the calls it makes), the shell
/// that would do about the same, and why.
pub fn work(what: impl Into<String>, shell: impl Into<String>, why: impl Into<String>) -> Op {
    Op::from(op::Work { what: what.into(), shell: shell.into(), why: why.into() })
}

/// Shows the plan under --dry-run (then None: the caller stops), or
/// explains it and returns it, for the caller to do the work and record it.
pub fn begin(ctx: &Ctx, ops: Vec<Op>) -> Result<Option<Plan>> {
    let plan = Plan::new(ops);
    if ctx.dry_run_shows(&plan) {
        return Ok(None);
    }
    apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
    Ok(Some(plan))
}
