use super::Ctx;
use crate::error::Result;
use crate::i18n::tr;
use crate::output::say;
use crate::state::{BoxRecord, names};

pub fn run(name: &str, script: bool, ctx: &Ctx) -> Result<u8> {
    names::validate("box", name)?;
    let record = BoxRecord::load(&ctx.root, name)?;
    if script {
        let script = crate::model::script::script(&ctx.root, &record);
        return ctx.show(Script { name: name.into(), script });
    }
    if ctx.json {
        ctx.print_json(&crate::model::collect(&ctx.root, &record).steps);
        return Ok(0);
    }
    let mut cause = None;
    for step in &record.steps {
        // A request's steps under one line naming it; typed steps have none.
        if step.cause != cause {
            match &step.cause {
                Some(c) => say!("{}", tr!("history-request", via = c.via.to_string(), line = c.line())),
                None => say!("{}", tr!("history-typed")),
            }
        }
        cause = step.cause.clone();
        say!("{}", tr!("history-step", n = step.n.to_string(), command = step.command_line()));
        crate::output::text(&step.plan.render());
    }
    Ok(0)
}

/// `history --script`: the shell script that rebuilds the box's isolation
/// (`--json` gives it as a string, with the box's name).
#[derive(serde::Serialize)]
struct Script {
    name: String,
    script: String,
}

impl std::fmt::Display for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.script)
    }
}
