//! `glassbox doctor`: see crate::doctor.

use super::Ctx;
use crate::doctor::{Machine, report};
use crate::error::Result;
use crate::lesson::catalogue::Catalogue;

pub fn run(ctx: &Ctx) -> Result<u8> {
    let catalogue = Catalogue::load()?;
    let r = report::collect(&Machine::new(), &catalogue);
    if ctx.json {
        ctx.print_json(&r);
    } else {
        report::print(&r);
    }
    Ok(if r.ok { 0 } else { 1 })
}
