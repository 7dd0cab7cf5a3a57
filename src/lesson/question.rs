//! `[[question]]`: predict, then run. The learner answers before running
//! (`glassbox lesson answer LESSON N ANSWER`); the first answer counts, is
//! kept in the progress and is judged right or wrong, then the explanation
//! is shown. A question answered after the step it asks about was
//! recorded (`before`) counts as answered late.

use super::catalogue::Catalogue;
use super::check::model_of;
use super::path::Path;
use super::progress::{Answer, LessonProgress, Progress};
use super::runner::require_started;
use super::spec::Spec;
use crate::context::Ctx;
use crate::error::{Result, UsageError};
use crate::i18n::tr;
use crate::output::say_to;
use crate::state::Root;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `[[question]]` as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question, asked before the learner runs what it is about.
    pub ask: String,
    /// Accepted answers, compared trimmed and case-insensitive.
    #[serde(default)]
    pub accept: Vec<String>,
    /// Instead of `accept`: a model path whose value (in the box, when the
    /// answer is given) is the answer: "find out a value" questions.
    #[serde(default)]
    pub answer_path: Option<String>,
    /// The box `answer_path` reads (default: the lesson's first box).
    #[serde(default, rename = "box")]
    pub box_name: Option<String>,
    /// Shown as a), b), c); the learner may answer the letter or the text.
    #[serde(default)]
    pub choices: Vec<String>,
    /// A step text (matched like `in_order`): answered after the box's
    /// first step matching it, the answer counts as late.
    #[serde(default)]
    pub before: Option<String>,
    /// Shown once the question is answered, right or wrong.
    #[serde(default)]
    pub explain: String,
}

fn letter(i: usize) -> char {
    (b'a' + (i % 26) as u8) as char
}

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A model value as an answer would spell it: a string without quotes.
fn spelled(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Question {
    /// Problems of the question as written: it must say how it is judged.
    pub fn problems(&self, n: usize) -> Vec<String> {
        let mut p = vec![];
        match (self.accept.is_empty(), &self.answer_path) {
            (true, None) => p.push(format!("question {n} has neither `accept` nor `answer_path`: give one")),
            (false, Some(_)) => p.push(format!("question {n} has both `accept` and `answer_path`: pick one")),
            (_, Some(path)) => {
                if let Err(e) = Path::parse(path) {
                    p.push(format!("question {n}: answer_path: {e}"));
                }
            }
            _ => {}
        }
        if self.ask.trim().is_empty() {
            p.push(format!("question {n} asks nothing (`ask` is empty)"));
        }
        p
    }

    /// The answer as the learner meant it, in any language: a choice's
    /// letter (`b`, `b)`) or number (`2`, unless a choice or an accepted
    /// answer is that very text) is that choice.
    fn meant(&self, given: &str) -> String {
        let g = given.trim().trim_end_matches(')').to_lowercase();
        let by_letter = self.choices.iter().enumerate().find(|(i, _)| g.len() == 1 && letter(*i).to_string() == g);
        let is_text = self.choices.iter().chain(&self.accept).any(|c| same(c, &g));
        let by_number = g.parse::<usize>().ok().filter(|_| !is_text).and_then(|n| n.checked_sub(1));
        match by_letter.map(|(_, t)| t).or_else(|| by_number.and_then(|i| self.choices.get(i))) {
            Some(text) => text.clone(),
            None => given.trim().to_string(),
        }
    }

    /// Whether `given` is right; an error when the answer cannot be judged
    /// now (the box `answer_path` reads is missing).
    pub fn judge(&self, given: &str, root: &Root, default_box: Option<&str>) -> std::result::Result<bool, String> {
        let meant = self.meant(given);
        let Some(path) = &self.answer_path else {
            return Ok(self.accept.iter().any(|a| same(a, &meant)));
        };
        let path = Path::parse(path)?;
        let name = self.box_name.as_deref().or(default_box).ok_or("the question names no box to read")?;
        let model = model_of(root, name)?.ok_or_else(|| {
            format!("there is no box {name} to read the answer from: `glassbox lesson start` makes it again")
        })?;
        Ok(path.lookup(&model).into_iter().flatten().any(|v| same(&spelled(v), &meant)))
    }

    /// The box whose history `before` is matched against.
    pub fn box_for<'a>(&'a self, spec: &'a Spec) -> Option<&'a str> {
        self.box_name.as_deref().or(spec.first_box())
    }
}

/// Prints the questions, each with its choices and, once answered, the answer.
pub fn print_all(
    w: &mut dyn std::fmt::Write,
    spec: &Spec,
    lesson: &str,
    p: Option<&LessonProgress>,
) -> std::fmt::Result {
    if spec.questions.is_empty() {
        return Ok(());
    }
    say_to!(w, "{}", tr!("lesson-questions", id = lesson))?;
    for (i, q) in spec.questions.iter().enumerate() {
        let n = i + 1;
        let answered = p.and_then(|p| p.answers.get(&n));
        let state = match answered {
            None => String::new(),
            Some(a) if a.right => format!("  {}", tr!("lesson-answered-right", given = format!("{:?}", a.given))),
            Some(a) => format!("  {}", tr!("lesson-answered-wrong", given = format!("{:?}", a.given))),
        };
        say_to!(w, "  {n}. {}{state}", q.ask)?;
        for (j, c) in q.choices.iter().enumerate() {
            say_to!(w, "     {}) {c}", letter(j))?;
        }
    }
    Ok(())
}

/// `questions: 2/3 right` and what is left, for `status` and `check`.
pub fn score(spec: &Spec, p: Option<&LessonProgress>) -> Option<String> {
    if spec.questions.is_empty() {
        return None;
    }
    let answers = p.map(|p| &p.answers);
    let right = answers.map_or(0, |a| a.values().filter(|a| a.right).count());
    let late = answers.map_or(0, |a| a.values().filter(|a| a.late).count());
    let open = unanswered(spec, p);
    let mut s = tr!("lesson-score", right = right, total = spec.questions.len());
    if late > 0 {
        s += &tr!("lesson-score-late", late = late);
    }
    if !open.is_empty() {
        s += &tr!("lesson-score-open", open = open.iter().map(usize::to_string).collect::<Vec<_>>().join(", "));
    }
    Some(s)
}

/// The numbers (1-based) of the questions not answered yet.
pub fn unanswered(spec: &Spec, p: Option<&LessonProgress>) -> Vec<usize> {
    (1..=spec.questions.len()).filter(|n| !p.is_some_and(|p| p.answers.contains_key(n))).collect()
}

/// `glassbox lesson answer LESSON N ANSWER...`
pub fn answer(id: &str, n: usize, words: &[String], ctx: &Ctx) -> Result<Answered> {
    let cat = Catalogue::load()?;
    let mut progress = Progress::load(&ctx.root)?;
    let lesson = cat.find(id)?;
    let spec = &lesson.spec_for(&lesson.vars(&ctx.root))?;
    let count = spec.questions.len();
    if count == 0 {
        return Err(UsageError::LessonNoQuestions { lesson: lesson.dir.clone() }.into());
    }
    let Some(q) = n.checked_sub(1).and_then(|i| spec.questions.get(i)) else {
        return Err(UsageError::QuestionOutOfRange { lesson: lesson.dir.clone(), count, n }.into());
    };
    let given = words.join(" ");
    if given.trim().is_empty() {
        return Err(UsageError::AnswerEmpty { lesson: lesson.dir.clone(), n }.into());
    }
    require_started(&progress, lesson)?;
    let explain = q.explain.clone();
    if let Some(first) = progress.get(&lesson.dir).and_then(|p| p.answers.get(&n)) {
        let (given, right, late) = (first.given.clone(), first.right, first.late);
        return Ok(Answered { lesson: lesson.dir.clone(), n, given, right, late, already: true, explain, score: None });
    }
    let right = q
        .judge(&given, &ctx.root, spec.first_box())
        .map_err(|e| UsageError::QuestionInvalid { n, reason: e.to_string() })?;
    let late = match (&q.before, q.box_for(spec)) {
        (Some(text), Some(b)) => super::history::any_step_matches(&ctx.root, b, text),
        _ => false,
    };
    let entry = progress.entry(&lesson.dir);
    entry.answers.insert(n, Answer { given: given.trim().to_string(), right, late, at: super::progress::now() });
    progress.save(&ctx.root)?;
    let score = score(spec, progress.get(&lesson.dir));
    let given = given.trim().to_string();
    Ok(Answered { lesson: lesson.dir.clone(), n, given, right, late, already: false, explain, score })
}

/// What `lesson answer` says: right or not, why, and the lesson's score.
#[derive(Debug, serde::Serialize)]
pub struct Answered {
    pub lesson: String,
    pub n: usize,
    pub given: String,
    pub right: bool,
    /// Answered after running what the question asks to predict.
    pub late: bool,
    /// The question had its answer already: the first counts, this one did not.
    pub already: bool,
    pub explain: String,
    pub score: Option<String>,
}

impl std::fmt::Display for Answered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut lines = vec![];
        if self.already {
            let verdict = if self.right { tr!("lesson-verdict-right") } else { tr!("lesson-verdict-wrong") };
            let given = format!("{:?}", self.given);
            lines.push(tr!("lesson-already-answered", n = self.n, given = given, verdict = verdict));
        } else {
            lines.push(if self.right { tr!("lesson-right") } else { tr!("lesson-not-right") });
            if self.late {
                lines.push(tr!("lesson-late"));
            }
        }
        if !self.explain.is_empty() {
            lines.push(super::intro::paragraph(&self.explain));
        }
        if let Some(s) = &self.score {
            lines.push(tr!("lesson-score-line", id = self.lesson, score = s));
        }
        f.write_str(&lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(accept: &[&str], choices: &[&str]) -> Question {
        Question {
            ask: "?".into(),
            accept: accept.iter().map(|s| s.to_string()).collect(),
            answer_path: None,
            box_name: None,
            choices: choices.iter().map(|s| s.to_string()).collect(),
            before: None,
            explain: String::new(),
        }
    }

    #[test]
    fn answers_are_trimmed_case_insensitive_and_letters_pick_choices() {
        let root = Root::new(Some(std::path::Path::new("/nonexistent-glassbox-root")));
        let q = q(&["The host PID"], &["1", "the host PID", "0"]);
        assert!(q.judge("  the HOST pid ", &root, None).unwrap());
        assert!(q.judge("b", &root, None).unwrap());
        assert!(q.judge("B)", &root, None).unwrap());
        assert!(!q.judge("a", &root, None).unwrap());
        assert!(!q.judge("1", &root, None).unwrap(), "1 is a choice's text, not the first choice");
        let by_number = super::tests::q(&["no"], &["yes", "no"]);
        assert!(by_number.judge("2", &root, None).unwrap() && !by_number.judge("1", &root, None).unwrap());
    }

    #[test]
    fn a_question_says_how_it_is_judged() {
        assert!(q(&[], &[]).problems(1)[0].contains("neither"));
        assert!(q(&["1"], &[]).problems(1).is_empty());
        let mut both = q(&["1"], &[]);
        both.answer_path = Some("state".into());
        assert!(both.problems(2)[0].contains("both"));
    }
}
