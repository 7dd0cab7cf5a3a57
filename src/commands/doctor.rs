//! `glassbox doctor`: see crate::doctor.

use super::Ctx;
use crate::doctor::Machine;
use crate::doctor::report::{self, LessonNeeds};
use crate::error::Result;
use crate::lesson::catalogue::Catalogue;

pub fn run(ctx: &Ctx) -> Result<u8> {
    let catalogue = Catalogue::load()?;
    let lessons: Vec<LessonNeeds> = catalogue
        .lessons
        .iter()
        .map(|l| LessonNeeds {
            id: l.dir.clone(),
            needs: l.spec.as_ref().map_err(Clone::clone).map(|spec| {
                let mut needs = spec.needs.clone();
                needs.extend(spec.checks.iter().flat_map(|c| c.needs.iter().copied()));
                needs.sort();
                needs.dedup();
                needs
            }),
        })
        .collect();
    let r = report::collect(&Machine::new(), &lessons);
    // Exit 1 when a lesson cannot run: a script asks `glassbox doctor`.
    let code = if r.ok { 0 } else { 1 };
    ctx.show(&r).map(|_| code)
}
