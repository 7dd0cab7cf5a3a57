//! Running a lesson's checks. A model check reads the same model as
//! `inspect BOX --json` (collected in-process, less what the checks' own
//! probes did: effects.rs), follows its path and compares; a probe runs
//! `glassbox exec BOX -- argv` and a fetch asks a published port from the
//! host (probe.rs); `removed` and `in_order` read whether the box is gone
//! and the order of its recorded steps (history.rs). Each ends passed,
//! failed (expected vs actual) or skipped (the machine lacks a need:
//! never a pass).

pub use super::child::{Glassbox, run_with_timeout};
use super::effects::Ledger;
use super::progress::Verdict;
use super::spec::{Check, CheckKind, Comparison, Spec};
use super::{compare, history, probe};
use crate::doctor::Machine;
use crate::i18n::tr;
use crate::state::{BoxRecord, Root, StateError, names};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "result", rename_all = "lowercase")]
pub enum Outcome {
    Passed,
    Failed { expected: String, actual: String },
    Skipped { reason: String, fix: String },
}

impl Outcome {
    /// The outcome as the progress file keeps it.
    pub fn verdict(&self) -> Verdict {
        match self {
            Outcome::Passed => Verdict::Passed,
            Outcome::Failed { .. } => Verdict::Failed,
            Outcome::Skipped { .. } => Verdict::Skipped,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub what: String,
    #[serde(rename = "box")]
    pub box_name: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Everything checks need: the root, the machine, the way to run glassbox.
pub struct Env<'a> {
    pub root: &'a Root,
    pub machine: &'a Machine,
    pub glassbox: &'a Glassbox,
}

pub(super) fn model_of(root: &Root, name: &str) -> Result<Option<Value>, String> {
    names::validate("box", name).map_err(|e| e.to_string())?;
    match BoxRecord::load(root, name) {
        Ok(r) => Ok(Some(serde_json::to_value(crate::model::collect(root, &r)).expect("the model serialises"))),
        Err(StateError::NoSuchBox(_)) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// 3 equals 3.0; otherwise JSON equality.
pub(super) fn numbers_equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if a.is_number() && b.is_number() => x == y,
        _ => a == b,
    }
}

fn holds(cmp: &Comparison, v: Option<&Value>) -> bool {
    match cmp {
        Comparison::Equals(e) => v.is_some_and(|v| numbers_equal(v, e)),
        Comparison::NotEquals(e) => v.is_some_and(|v| !numbers_equal(v, e)),
        Comparison::AtLeast(n) => v.and_then(Value::as_f64).is_some_and(|x| x >= *n),
        Comparison::AtMost(n) => v.and_then(Value::as_f64).is_some_and(|x| x <= *n),
        Comparison::Contains(s) => match v {
            Some(Value::String(t)) => t.contains(s.as_str()),
            Some(Value::Array(a)) => a.iter().any(|e| e.as_str().is_some_and(|t| t.contains(s.as_str()))),
            _ => false,
        },
        Comparison::Exists(want) => v.is_some() == *want,
        Comparison::CountAtLeast(n) => v.and_then(Value::as_array).is_some_and(|a| a.len() as u64 >= *n),
        Comparison::CountEquals(n) => v.and_then(Value::as_array).is_some_and(|a| a.len() as u64 == *n),
    }
}

fn describe(cmp: &Comparison) -> String {
    match cmp {
        Comparison::Equals(v) => tr!("check-equals", value = v.to_string()),
        Comparison::NotEquals(v) => tr!("check-not-equals", value = v.to_string()),
        Comparison::AtLeast(n) => tr!("check-at-least", n = n.to_string()),
        Comparison::AtMost(n) => tr!("check-at-most", n = n.to_string()),
        Comparison::Contains(s) => tr!("check-contains", text = format!("{s:?}")),
        Comparison::Exists(true) => tr!("check-exists"),
        Comparison::Exists(false) => tr!("check-absent"),
        Comparison::CountAtLeast(n) => tr!("check-count-at-least", n = n),
        Comparison::CountEquals(n) => tr!("check-count-equals", n = n),
    }
}

fn shown(values: &[Option<&Value>]) -> String {
    let one = |v: &Option<&Value>| v.map_or("(absent)".to_string(), |v| v.to_string());
    match values {
        [v] => one(v),
        many => format!("[{}]", many.iter().map(one).collect::<Vec<_>>().join(", ")),
    }
}

fn no_box(name: &str, made_by_start: bool) -> Outcome {
    let how = if made_by_start { tr!("check-no-box-restart") } else { tr!("check-no-box-yours") };
    Outcome::Failed {
        expected: tr!("check-box-exists", name = name),
        actual: tr!("check-no-box", name = name, how = how),
    }
}

fn model_outcome(path: &super::path::Path, cmp: &Comparison, m: &Value) -> Outcome {
    let values = path.lookup(m);
    if values.iter().any(|v| holds(cmp, *v)) {
        return Outcome::Passed;
    }
    let expected = tr!("check-model-expected", path = path.to_string(), what = describe(cmp));
    Outcome::Failed { expected, actual: format!("{path} = {}", shown(&values)) }
}

/// An image's `image inspect --json`; None when there is no such image.
pub(super) fn image_model(root: &Root, name: &str) -> Result<Option<Value>, String> {
    names::validate("image", name).map_err(|e| e.to_string())?;
    let store = crate::image::Store::open(root).map_err(|e| e.to_string())?;
    let Ok(image) = store.image(name) else {
        return Ok(None);
    };
    Ok(Some(crate::model::image::inspected(&store, name, &image)))
}

fn image_outcome(root: &Root, image: &str, path: &super::path::Path, cmp: &Comparison) -> Outcome {
    match image_model(root, image) {
        Ok(Some(m)) => model_outcome(path, cmp, &m),
        Ok(None) => Outcome::Failed {
            expected: format!("image {image} exists"),
            actual: format!("there is no image {image} (`glassbox image ls` lists them)"),
        },
        Err(e) => Outcome::Failed { expected: format!("image {image} can be read"), actual: e },
    }
}

/// A box's model as checks read it: what the probes caused taken out.
fn checked_model(env: &Env, ledger: &Ledger, name: &str) -> Result<Option<Value>, String> {
    let mut m = model_of(env.root, name)?;
    if let Some(m) = &mut m {
        ledger.discount(name, m);
    }
    Ok(m)
}

type Models = HashMap<String, Result<Option<Value>, String>>;

/// The box's model as this run of the checks reads it: once, before any
/// probe of this run changed it.
fn cached(models: &mut Models, env: &Env, ledger: &Ledger, name: &str) -> Result<Option<Value>, String> {
    models.entry(name.to_string()).or_insert_with(|| checked_model(env, ledger, name)).clone()
}

/// `a RELATION b`: each operand read from its box now, or as `lesson
/// start` recorded it.
fn compare_outcome(env: &Env, spec: &Spec, ledger: &Ledger, models: &mut Models, check: &Check) -> Outcome {
    let CheckKind::Compare { a, relation, b } = &check.kind else { unreachable!("a comparison check") };
    let mut values = [None, None];
    for (slot, op) in values.iter_mut().zip([a, b]) {
        let name = op.box_of(&check.box_name);
        let read = if op.at_start {
            compare::baseline(env.root, &spec.id, &check.box_name, op)
        } else {
            match cached(models, env, ledger, name) {
                Ok(Some(m)) => Ok(op.path.lookup(&m).into_iter().next().flatten().cloned()),
                Ok(None) => return no_box(name, spec.made_by_start().contains(&name)),
                Err(e) => Err(e),
            }
        };
        match read {
            Ok(v) => *slot = v,
            Err(actual) => return Outcome::Failed { expected: format!("box {name} can be read"), actual },
        }
    }
    compare::outcome(&check.box_name, (a, *relation, b), [values[0].as_ref(), values[1].as_ref()])
}

/// Runs the checks in order. The lesson's needs apply to every check.
pub fn run_all(env: &Env, spec: &Spec, checks: &[Check]) -> Vec<CheckResult> {
    let mut ledger = Ledger::load(env.root);
    let made_by_start = spec.made_by_start();
    let mut models = Models::new();
    let results = checks
        .iter()
        .map(|check| {
            let missing = spec.needs.iter().chain(&check.needs).find_map(|n| env.machine.missing(n));
            let outcome = match missing {
                Some(m) => Outcome::Skipped { reason: format!("this machine lacks {}", m.what), fix: m.fix },
                None => match &check.kind {
                    CheckKind::Image { image, path, cmp } => image_outcome(env.root, image, path, cmp),
                    CheckKind::Compare { .. } => compare_outcome(env, spec, &ledger, &mut models, check),
                    _ => {
                        let model = cached(&mut models, env, &ledger, &check.box_name);
                        let made = made_by_start.contains(&check.box_name.as_str());
                        match (&check.kind, model) {
                            (CheckKind::Removed, Ok(None)) => Outcome::Passed,
                            (CheckKind::Removed, _) => Outcome::Failed {
                                expected: format!("box {} is removed", check.box_name),
                                actual: format!("box {} still exists", check.box_name),
                            },
                            (CheckKind::InOrder { steps }, Ok(m)) => {
                                history::in_order(env.root, &check.box_name, m.is_some(), steps)
                            }
                            (_, Err(e)) => Outcome::Failed {
                                expected: format!("box {} can be read", check.box_name),
                                actual: e.clone(),
                            },
                            (CheckKind::Fetch { url, printed }, Ok(_)) => probe::fetch(url, printed),
                            (_, Ok(None)) => no_box(&check.box_name, made),
                            (CheckKind::Model { path, cmp }, Ok(Some(m))) => model_outcome(path, cmp, &m),
                            (CheckKind::Image { path, cmp, .. }, Ok(Some(m))) => model_outcome(path, cmp, &m),
                            (CheckKind::Probe { argv, printed, exit }, Ok(Some(m))) => {
                                probe::run(env, &mut ledger, check, &m, argv, (printed, *exit))
                            }
                            (CheckKind::Compare { .. }, _) => unreachable!("compared above"),
                        }
                    }
                },
            };
            CheckResult { what: check.what.clone(), box_name: check.box_name.clone(), outcome }
        })
        .collect();
    if let Err(e) = ledger.save(env.root) {
        crate::output::warning(&crate::i18n::tr!("warning-probes-counted", error = e.to_string()));
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn comparisons() {
        let t = |c: Comparison, v: Value| holds(&c, Some(&v));
        assert!(t(Comparison::Equals(json!(3)), json!(3.0)));
        assert!(!t(Comparison::Equals(json!("3")), json!(3)));
        assert!(t(Comparison::NotEquals(json!(1)), json!(2)));
        assert!(!holds(&Comparison::NotEquals(json!(1)), None), "absent is not 'not equal'");
        assert!(t(Comparison::AtLeast(2.0), json!(2)));
        assert!(!t(Comparison::AtMost(2.0), json!(3)));
        assert!(t(Comparison::Contains("ox".into()), json!("box")));
        assert!(t(Comparison::Contains("sleep".into()), json!(["init", "sleep 100"])));
        assert!(!t(Comparison::Contains("x".into()), json!(5)));
        assert!(holds(&Comparison::Exists(false), None));
        assert!(!holds(&Comparison::Exists(true), None));
        assert!(t(Comparison::CountAtLeast(2), json!([1, 2])));
        assert!(!t(Comparison::CountAtLeast(3), json!([1, 2])));
    }
}
