//! `glassbox lesson …`: the verbs live in crate::lesson::runner.

use super::Ctx;
use crate::cli::LessonCommand;
use crate::error::Result;
use crate::lesson::{class, devcheck, glossary, hints, question, redo, runner, show, verdict};

pub fn run(cmd: LessonCommand, ctx: &Ctx) -> Result<u8> {
    match cmd {
        LessonCommand::List => runner::list(ctx),
        LessonCommand::Start { id } => runner::start(&id, ctx),
        LessonCommand::Status { id } => runner::status(id.as_deref(), ctx),
        LessonCommand::Check { id } => verdict::check(id.as_deref(), ctx),
        LessonCommand::Hint { id } => ctx.show(hints::hint(id.as_deref(), ctx)?),
        LessonCommand::Answer { id, n, answer } => ctx.show(question::answer(&id, n, &answer, ctx)?),
        LessonCommand::Show { id } => show::show(id.as_deref(), ctx),
        LessonCommand::Glossary { term, markdown } => glossary::run(term.as_deref(), markdown, ctx),
        LessonCommand::Progress(args) => class::progress(&args, ctx),
        LessonCommand::Solution { id } => ctx.show(redo::solution(id.as_deref(), ctx)?),
        LessonCommand::Reset { id } => ctx.show(redo::reset(id.as_deref(), ctx)?),
        LessonCommand::DevCheck { only, strict } => devcheck::run(only.as_deref(), strict, ctx.json),
    }
}
