//! Comparison checks: two values the learner must make differ (or agree),
//! rather than one value against a constant. An operand is a model path
//! on a box, now, or as `lesson start` left it:
//!
//! ```toml
//! compare = { a = "l18side:namespaces[kind=net].inode", relation = "equals", b = "l18app:namespaces[kind=net].inode" }
//! compare = { a = "namespaces[kind=pid].inode", relation = "differs", b = "namespaces[kind=pid].inode at start" }
//! ```
//!
//! `set_up` (lesson start, dev-check) records every `at start` value in
//! `<root>/lessons/baselines.json`, so "before and after" is the learner's
//! own before: the state the lesson began from, not a constant written
//! into the lesson.

use super::check::{Outcome, numbers_equal};
use super::path::{Path, Select};
use super::spec::{CheckKind, Spec};
use crate::state::Root;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What marks an operand read at `lesson start` instead of now.
const AT_START: &str = " at start";

/// How `a` must stand to `b`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Equals,
    Differs,
    /// a > b (numbers): a counter grew.
    Greater,
    /// a < b (numbers).
    Less,
}

/// `compare = { a = "...", relation = "...", b = "..." }` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompare {
    pub a: String,
    pub relation: Relation,
    pub b: String,
}

/// One side: `[BOX:]PATH[ at start]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Operand {
    /// None: the check's box.
    pub box_name: Option<String>,
    pub path: Path,
    pub at_start: bool,
}

impl Operand {
    pub fn parse(text: &str) -> Result<Operand, String> {
        let (rest, at_start) = match text.trim().strip_suffix(AT_START.trim_start()) {
            Some(r) if r.is_empty() || r.ends_with(' ') => (r.trim(), true),
            _ => (text.trim(), false),
        };
        let (box_name, path) = match rest.split_once(':') {
            Some((b, p)) if !b.contains(['[', '.']) => (Some(b.trim().to_string()), p.trim()),
            _ => (None, rest),
        };
        if let Some(b) = &box_name {
            crate::state::names::validate("box", b).map_err(|e| format!("{text:?}: {e}"))?;
        }
        let path = Path::parse(path)?;
        if path.segments.iter().any(|s| s.select == Some(Select::Any)) {
            return Err(format!("{text:?}: a comparison reads one value; `[*]` may lead to several"));
        }
        Ok(Operand { box_name, path, at_start })
    }

    /// The box this operand reads, given the check's.
    pub fn box_of<'a>(&'a self, check_box: &'a str) -> &'a str {
        self.box_name.as_deref().unwrap_or(check_box)
    }

    /// As the learner reads it in a result: `l18app: namespaces[kind=net].inode`.
    fn describe(&self, check_box: &str) -> String {
        let when = if self.at_start { " at lesson start" } else { "" };
        format!("{}: {}{when}", self.box_of(check_box), self.path)
    }

    /// The key of its value in the baselines file.
    fn key(&self, check_box: &str) -> String {
        format!("{}:{}", self.box_of(check_box), self.path)
    }
}

impl RawCompare {
    pub fn typed(&self) -> Result<CheckKind, String> {
        let a = Operand::parse(&self.a).map_err(|e| format!("compare.a: {e}"))?;
        let b = Operand::parse(&self.b).map_err(|e| format!("compare.b: {e}"))?;
        if a == b {
            return Err("compare.a and compare.b read the same value: one must be another box or `at start`".into());
        }
        Ok(CheckKind::Compare { a, relation: self.relation, b })
    }
}

/// Whether `a RELATION b` holds; an absent value never does.
pub fn holds(relation: Relation, a: Option<&Value>, b: Option<&Value>) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return false };
    let num = || Some((a.as_f64()?, b.as_f64()?));
    match relation {
        Relation::Equals => numbers_equal(a, b),
        Relation::Differs => !numbers_equal(a, b),
        Relation::Greater => num().is_some_and(|(x, y)| x > y),
        Relation::Less => num().is_some_and(|(x, y)| x < y),
    }
}

fn word(relation: Relation) -> &'static str {
    match relation {
        Relation::Equals => "equals",
        Relation::Differs => "differs from",
        Relation::Greater => "is greater than",
        Relation::Less => "is less than",
    }
}

fn shown(v: Option<&Value>) -> String {
    v.map_or("(absent)".to_string(), Value::to_string)
}

/// The outcome, both values said whatever the result.
pub fn outcome(
    check_box: &str,
    (a, relation, b): (&Operand, Relation, &Operand),
    values: [Option<&Value>; 2],
) -> Outcome {
    if holds(relation, values[0], values[1]) {
        return Outcome::Passed;
    }
    Outcome::Failed {
        expected: format!("{} {} {}", a.describe(check_box), word(relation), b.describe(check_box)),
        actual: format!(
            "{} = {}, {} = {}",
            a.describe(check_box),
            shown(values[0]),
            b.describe(check_box),
            shown(values[1])
        ),
    }
}

// --- the values at lesson start -------------------------------------------------

type Baselines = BTreeMap<String, BTreeMap<String, Value>>;

fn file(root: &Root) -> std::path::PathBuf {
    root.state.join("lessons").join("baselines.json")
}

fn load(root: &Root) -> Baselines {
    std::fs::read(file(root)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

fn save(root: &Root, all: &Baselines) -> Result<(), String> {
    let p = file(root);
    let dir = p.parent().expect("baselines.json lives in a folder");
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let bytes = serde_json::to_vec_pretty(all).expect("baselines serialise");
    crate::state::record::write_atomic(&p, &bytes).map_err(|e| e.to_string())
}

/// Records, for `lesson` (its id), the value of every `at start` operand
/// of its checks now: called when `start` has made the lesson's state.
pub fn take_baselines(root: &Root, spec: &Spec) -> Result<(), String> {
    let Ok(checks) = spec.typed_checks() else { return Ok(()) };
    let mut values = BTreeMap::new();
    for c in &checks {
        let CheckKind::Compare { a, b, .. } = &c.kind else { continue };
        for op in [a, b].into_iter().filter(|o| o.at_start) {
            let model = super::check::model_of(root, op.box_of(&c.box_name))?;
            let v = model.as_ref().and_then(|m| op.path.lookup(m).into_iter().next().flatten().cloned());
            values.insert(op.key(&c.box_name), v.unwrap_or(Value::Null));
        }
    }
    let mut all = load(root);
    if values.is_empty() && !all.contains_key(&spec.id) {
        return Ok(());
    }
    all.insert(spec.id.clone(), values);
    save(root, &all)
}

/// Forgets the lesson's start values (`lesson reset`).
pub fn forget(root: &Root, lesson: &str) {
    let mut all = load(root);
    if all.remove(lesson).is_some() {
        let _ = save(root, &all);
    }
}

/// An `at start` operand's recorded value: Err when the lesson was started
/// before its checks compared (or by an older glassbox).
pub fn baseline(root: &Root, lesson: &str, check_box: &str, op: &Operand) -> Result<Option<Value>, String> {
    let all = load(root);
    let v = all.get(lesson).and_then(|l| l.get(&op.key(check_box))).ok_or_else(|| {
        format!("no value of {} was recorded: `glassbox lesson start {lesson}` records it", op.describe(check_box))
    })?;
    Ok(Some(v.clone()).filter(|v| !v.is_null()))
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
