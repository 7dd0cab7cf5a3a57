//! What `lesson start` and `lesson status` print about the task: the goal,
//! the concepts, the questions, this learner's own port and web page, and
//! the steps only for a worked example (from lesson 02 on, the learner
//! works out the commands).

use super::catalogue::Lesson;
use super::progress::LessonProgress;
use super::spec::Spec;
use super::vars::Vars;
use crate::i18n::tr;
use crate::output::say_to;

/// A text written over several lines in lesson.toml, as one paragraph.
pub fn paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What is this learner's own in the lesson: its port, where its web page is.
pub fn print_yours(w: &mut dyn std::fmt::Write, lesson: &Lesson, spec: &Spec, vars: &Vars) -> std::fmt::Result {
    if lesson.file("lesson.toml").is_some_and(|t| t.contains("{port}")) {
        say_to!(w, "{}", tr!("lesson-your-port", port = vars.port))?;
    }
    if let Some(b) = spec.first_box() {
        say_to!(w, "{}", tr!("lesson-your-web", url = format!("{}/box/{b}", vars.web)))?;
    }
    Ok(())
}

/// The steps, shown only when the lesson is a worked example.
pub fn shown_steps(spec: &Spec) -> &[super::spec::Step] {
    if spec.worked_example { &spec.steps } else { &[] }
}

/// The task: goal, concepts, questions, and the steps of a worked example.
pub fn print_task(
    w: &mut dyn std::fmt::Write,
    lesson: &Lesson,
    spec: &Spec,
    p: Option<&LessonProgress>,
) -> std::fmt::Result {
    if !spec.goal.is_empty() {
        say_to!(w)?;
        say_to!(w, "{}", tr!("lesson-goal", goal = paragraph(&spec.goal)))?;
    }
    if !spec.concepts.is_empty() {
        say_to!(w, "{}", tr!("lesson-concepts", concepts = super::glossary::concepts_shown(&spec.concepts)))?;
    }
    if !spec.questions.is_empty() {
        say_to!(w)?;
        super::question::print_all(w, spec, &lesson.dir, p)?;
    }
    let steps = shown_steps(spec);
    if !steps.is_empty() {
        say_to!(w)?;
        say_to!(w, "{}", tr!("lesson-steps-worked"))?;
        for (i, s) in steps.iter().enumerate() {
            say_to!(w, "  {}. {}", i + 1, s.command)?;
            if !s.why.is_empty() {
                say_to!(w, "     {}", s.why)?;
            }
        }
    }
    if steps.is_empty() && !spec.steps.is_empty() {
        say_to!(w)?;
        say_to!(w, "{}", tr!("lesson-work-out"))?;
    }
    Ok(())
}
