//! Steps whose work is glassbox's own file work rather than one kernel call
//! (`image import`, `image busybox`, `image from-host`, `commit`,
//! `layer add`, `publish`, `pool add`, `pool drain`): each is a plan of
//! work operations (`plan::work`, `plan::pool`) that the executor applies
//! like any other, so `--dry-run` prints it and does none of it, and
//! `--explain` names each as it starts.

use super::Ctx;
use crate::error::{Error, Result};
use crate::executor::{ApplyOptions, apply};
use crate::plan::work::{Made, WorkError, WorkHost};
use crate::plan::{Op, Plan};
use std::os::fd::RawFd;

/// Shows the plan of one work operation under --dry-run (then None: the
/// caller stops), or applies it: the plan, for the box's history, and
/// what the work made.
pub fn run(ctx: &Ctx, op: WorkHost) -> Result<Option<(Plan, Made)>> {
    let plan = Plan::new(vec![Op::from(op)]);
    if ctx.dry_run_shows(&plan) {
        return Ok(None);
    }
    let made = apply_work(ctx, &plan, None)?;
    Ok(Some((plan, made.expect("a work operation says what it made"))))
}

/// Applies a plan with a work operation; a failure of the work is its own
/// error (an archive refused is bad input, exit 2), as before it was an
/// operation.
pub fn apply_work(ctx: &Ctx, plan: &Plan, listener: Option<RawFd>) -> Result<Option<Made>> {
    match apply(plan, &ApplyOptions { explain: ctx.explain, listener, ..Default::default() }) {
        Ok(applied) => Ok(applied.made),
        Err(e) => Err(match WorkError::within(e.source) {
            Ok(WorkError::Image(e)) => Error::Image(e),
            Ok(WorkError::Sys(e)) => Error::Sys(e),
            Err(source) => Error::Apply(crate::executor::ApplyError { source, ..e }),
        }),
    }
}
