//! A lesson's Korean texts, beside the English ones: `lesson.ko.toml`
//! holds every text a learner reads from lesson.toml (title, summary,
//! goal, hints, each question's ask, choices and explanation, each step's
//! why, each check's what and hints) and nothing else, and `README.ko.md`
//! the theory. What a lesson *does* (its start, checks, accepted answers,
//! steps' commands) lives in lesson.toml alone, so a check cannot exist in
//! one language only; the Korean file gives the same number of each table
//! and list, checked by [`Translation::problems`].
//!
//! Answers are judged the same in both languages: a choice may be answered
//! by its letter, its number, or its text in either language (the Korean
//! text of an accepted choice is accepted too, whatever the language).

use super::spec::Spec;
use crate::i18n::Lang;
use serde::Deserialize;

/// The file beside lesson.toml.
pub const FILE: &str = "lesson.ko.toml";
/// The theory beside README.md.
pub const README: &str = "README.ko.md";
/// README.ko.md's four parts, as README.md's (devcheck::README_HEADINGS).
pub const README_HEADINGS: [&str; 4] = ["## 무엇을, 왜", "## 해 보고 관찰하기", "## 더 읽을거리", "## 확인하는 법"];

/// lesson.ko.toml, as written: every field is a translation of the field
/// of the same name (and position) in lesson.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub hints: Vec<String>,
    #[serde(default, rename = "question")]
    pub questions: Vec<QuestionText>,
    #[serde(default, rename = "step")]
    pub steps: Vec<StepText>,
    #[serde(default, rename = "check")]
    pub checks: Vec<CheckText>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionText {
    pub ask: String,
    #[serde(default)]
    pub choices: Vec<String>,
    #[serde(default)]
    pub explain: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepText {
    pub why: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckText {
    pub what: String,
    #[serde(default)]
    pub hints: Vec<String>,
}

/// "question 2's choices: 3 in English, 2 in Korean", when the counts differ.
fn count(what: &str, en: usize, ko: usize, out: &mut Vec<String>) {
    if en != ko {
        out.push(format!("{what}: {en} in lesson.toml, {ko} in {FILE}"));
    }
}

/// A Korean text that is missing where the English one is given.
fn text(what: &str, en: &str, ko: &str, out: &mut Vec<String>) {
    if !en.trim().is_empty() && ko.trim().is_empty() {
        out.push(format!("{what} is empty in {FILE}"));
    } else if en.trim().is_empty() && !ko.trim().is_empty() {
        out.push(format!("{what} is given in {FILE} but not in lesson.toml"));
    }
}

fn texts(what: &str, en: &[String], ko: &[String], out: &mut Vec<String>) {
    count(what, en.len(), ko.len(), out);
    for (i, (e, k)) in en.iter().zip(ko).enumerate() {
        text(&format!("{what} {}", i + 1), e, k, out);
    }
}

impl Translation {
    pub fn parse(text: &str) -> Result<Translation, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())
    }

    /// What the translation lacks or has too much of, against the English.
    pub fn problems(&self, en: &Spec) -> Vec<String> {
        let mut p = vec![];
        text("title", &en.title, &self.title, &mut p);
        text("summary", &en.summary, &self.summary, &mut p);
        text("goal", &en.goal, &self.goal, &mut p);
        texts("hints", &en.hints, &self.hints, &mut p);
        count("[[question]]s", en.questions.len(), self.questions.len(), &mut p);
        for (i, (e, k)) in en.questions.iter().zip(&self.questions).enumerate() {
            let n = i + 1;
            text(&format!("question {n}'s ask"), &e.ask, &k.ask, &mut p);
            texts(&format!("question {n}'s choices"), &e.choices, &k.choices, &mut p);
            text(&format!("question {n}'s explain"), &e.explain, &k.explain, &mut p);
        }
        count("[[step]]s", en.steps.len(), self.steps.len(), &mut p);
        for (i, (e, k)) in en.steps.iter().zip(&self.steps).enumerate() {
            text(&format!("step {}'s why", i + 1), &e.why, &k.why, &mut p);
        }
        count("[[check]]s", en.checks.len(), self.checks.len(), &mut p);
        for (i, (e, k)) in en.checks.iter().zip(&self.checks).enumerate() {
            let n = i + 1;
            text(&format!("check {n}'s what"), &e.what, &k.what, &mut p);
            texts(&format!("check {n}'s hints"), &e.hints, &k.hints, &mut p);
        }
        p
    }

    /// Every accepted choice is accepted in Korean too: its Korean text
    /// joins `accept` (done in both languages, so an answer given in one
    /// is judged the same in the other).
    pub fn accept_both(&self, spec: &mut Spec) {
        for (q, k) in spec.questions.iter_mut().zip(&self.questions) {
            let extra: Vec<String> = q
                .choices
                .iter()
                .zip(&k.choices)
                .filter(|(en, _)| q.accept.iter().any(|a| a.trim().eq_ignore_ascii_case(en.trim())))
                .map(|(_, ko)| ko.clone())
                .collect();
            q.accept.extend(extra);
        }
    }

    /// The spec with the Korean texts in place of the English ones; what
    /// the lesson does is untouched.
    pub fn apply(&self, spec: &mut Spec) {
        let put = |en: &mut String, ko: &String| {
            if !ko.trim().is_empty() {
                *en = ko.clone();
            }
        };
        let put_all = |en: &mut Vec<String>, ko: &Vec<String>| {
            if en.len() == ko.len() {
                *en = ko.clone();
            }
        };
        put(&mut spec.title, &self.title);
        put(&mut spec.summary, &self.summary);
        put(&mut spec.goal, &self.goal);
        put_all(&mut spec.hints, &self.hints);
        for (q, k) in spec.questions.iter_mut().zip(&self.questions) {
            put(&mut q.ask, &k.ask);
            put_all(&mut q.choices, &k.choices);
            put(&mut q.explain, &k.explain);
        }
        for (s, k) in spec.steps.iter_mut().zip(&self.steps) {
            put(&mut s.why, &k.why);
        }
        for (c, k) in spec.checks.iter_mut().zip(&self.checks) {
            put(&mut c.what, &k.what);
            put_all(&mut c.hints, &k.hints);
        }
    }
}

/// The spec as the learner reads it in `lang`: the translation's texts
/// (when `lang` is Korean and the lesson has them), Korean answers
/// accepted in any language.
pub fn localize(mut spec: Spec, ko: Option<&Translation>, lang: Lang) -> Spec {
    if let Some(t) = ko {
        t.accept_both(&mut spec);
        if lang == Lang::Ko {
            t.apply(&mut spec);
        }
    }
    spec
}

/// What a lesson's Korean files lack: lesson.ko.toml must exist and
/// translate every text; README.ko.md, when there is one, has its four
/// parts and exactly README.md's code blocks (commands are not translated).
pub fn lesson_problems(lesson: &super::catalogue::Lesson, en: &Spec) -> Vec<String> {
    let mut p = match lesson.file(FILE).map(Translation::parse) {
        None => vec![format!("no {FILE}: every text of lesson.toml needs its Korean beside it")],
        Some(Err(e)) => vec![format!("{FILE}: {e}")],
        Some(Ok(t)) => t.problems(en).into_iter().map(|e| format!("{FILE}: {e}")).collect(),
    };
    if let (Some(en), Some(ko)) = (lesson.file("README.md"), lesson.file(README)) {
        p.extend(readme_problems(en, ko));
    }
    p
}

/// The `## ` headings and the fenced code blocks of a Markdown text.
fn shape(text: &str) -> (Vec<&str>, Vec<String>) {
    let (mut headings, mut blocks, mut block): (Vec<&str>, Vec<String>, Option<String>) = (vec![], vec![], None);
    for line in text.lines() {
        let fence = line.trim_start().starts_with("```");
        match block.as_mut() {
            None if fence => block = Some(String::new()),
            None if line.starts_with("## ") => headings.push(line.trim_end()),
            Some(_) if fence => blocks.extend(block.take()),
            Some(b) => *b += &format!("{line}\n"),
            None => {}
        }
    }
    (headings, blocks)
}

/// README.ko.md against README.md.
pub fn readme_problems(en: &str, ko: &str) -> Vec<String> {
    let (mut p, (_, en_blocks), (headings, ko_blocks)) = (vec![], shape(en), shape(ko));
    if headings != README_HEADINGS {
        p.push(format!("{README} has the ## headings {headings:?}; it needs exactly {README_HEADINGS:?}"));
    }
    if en_blocks != ko_blocks {
        let first =
            en_blocks.iter().zip(&ko_blocks).position(|(a, b)| a != b).unwrap_or(en_blocks.len().min(ko_blocks.len()));
        p.push(format!(
            "{README} has {} code blocks, README.md {}; they must be the same (the first difference is block {})",
            ko_blocks.len(),
            en_blocks.len(),
            first + 1
        ));
    }
    p
}

#[cfg(test)]
#[path = "translation_tests.rs"]
mod tests;
