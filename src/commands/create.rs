use super::Ctx;
use crate::error::Result;
use crate::i18n::tr;
use crate::output::outcome::Said;
use crate::plan::Plan;
use crate::state::{BoxLock, BoxRecord, StateError, names};

pub fn run(name: &str, project: Option<&str>, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    names::validate("box", name)?;
    if let Some(p) = project {
        names::validate("project", p)?;
    }
    if ctx.dry_run_shows(&Plan::default()) {
        return Ok(0);
    }
    let mut record = make(name, ctx, typed)?;
    if project.is_some() {
        record.project = project.map(String::from);
        record.save(&ctx.root)?;
    }
    let said = Said::new(crate::model::when_json(&ctx.root, &record), tr!("step-created", name = name));
    ctx.show(said.and(tr!("step-created-next", name = name)))
}

/// The step itself: a box folder and its record (for `build` too).
pub fn make(name: &str, ctx: &Ctx, typed: Vec<String>) -> Result<BoxRecord> {
    names::validate("box", name)?;
    let _lock = BoxLock::acquire(&ctx.root, name, super::LOCK_PATIENCE)?;
    if ctx.root.record_path(name).exists() {
        return Err(StateError::Exists(name.into()).into());
    }
    let dir = ctx.root.box_dir(name);
    // What a killed command left (a container layer, holds) is no part of a new box.
    if dir.exists() {
        return Err(StateError::NoRecord(name.into()).into());
    }
    let boxes = ctx.root.boxes_dir();
    crate::state::private::make_private_dir(&boxes).map_err(|e| StateError::io(&boxes, e))?;
    std::fs::create_dir(&dir).map_err(|e| StateError::io(&dir, e))?;
    let mut record = BoxRecord::new(name);
    record.record_step(typed, Plan::default());
    record.save(&ctx.root)?;
    Ok(record)
}
