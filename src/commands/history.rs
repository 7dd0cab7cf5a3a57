use super::Ctx;
use crate::error::Result;
use crate::i18n::tr;
use crate::output::say_to;
use crate::state::{BoxRecord, Step, names};

pub fn run(name: &str, script: bool, ctx: &Ctx) -> Result<u8> {
    names::validate("box", name)?;
    let record = BoxRecord::load(&ctx.root, name)?;
    if script {
        let script = crate::model::script::script(&ctx.root, &record);
        return ctx.show(Script { name: name.into(), script });
    }
    let steps = crate::model::collect(&ctx.root, &record).steps;
    ctx.show(History { steps, recorded: record.steps })
}

/// `history`: each step and the operations it made (JSON: the model's steps).
#[derive(serde::Serialize)]
#[serde(transparent)]
struct History {
    steps: Vec<crate::model::StepModel>,
    #[serde(skip)]
    recorded: Vec<Step>,
}

impl std::fmt::Display for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut cause = None;
        for step in &self.recorded {
            // A request's steps under one line naming it; typed steps have none.
            if step.cause != cause {
                match &step.cause {
                    Some(c) => say_to!(f, "{}", tr!("history-request", via = c.via.to_string(), line = c.line()))?,
                    None => say_to!(f, "{}", tr!("history-typed"))?,
                }
            }
            cause = step.cause.clone();
            say_to!(f, "{}", tr!("history-step", n = step.n.to_string(), command = step.command_line()))?;
            f.write_str(&step.plan.render())?;
        }
        Ok(())
    }
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
