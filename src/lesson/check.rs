//! Running a lesson's checks. A model check reads the same model as
//! `inspect BOX --json` (collected in-process), follows its path and
//! compares; a probe runs `glassbox exec BOX -- argv` and looks at what it
//! printed and how it exited. Each ends passed, failed (expected vs actual)
//! or skipped (the machine lacks a need: never a pass).

pub use super::child::{Glassbox, run_with_timeout};
use super::spec::{Check, CheckKind, Comparison, ExitExpect};
use crate::doctor::{Machine, Need};
use crate::state::{BoxRecord, Root, StateError, names};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

/// How long a probe may run before it is killed and counted as failed.
const PROBE_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "result", rename_all = "lowercase")]
pub enum Outcome {
    Passed,
    Failed { expected: String, actual: String },
    Skipped { reason: String, fix: String },
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

fn model_of(root: &Root, name: &str) -> Result<Option<Value>, String> {
    names::validate("box", name).map_err(|e| e.to_string())?;
    match BoxRecord::load(root, name) {
        Ok(r) => Ok(Some(serde_json::to_value(crate::model::collect(root, &r)).expect("the model serialises"))),
        Err(StateError::NoSuchBox(_)) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

fn numbers_equal(a: &Value, b: &Value) -> bool {
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
    }
}

fn describe(cmp: &Comparison) -> String {
    match cmp {
        Comparison::Equals(v) => format!("equals {v}"),
        Comparison::NotEquals(v) => format!("is present and not {v}"),
        Comparison::AtLeast(n) => format!("is at least {n}"),
        Comparison::AtMost(n) => format!("is at most {n}"),
        Comparison::Contains(s) => format!("contains {s:?}"),
        Comparison::Exists(true) => "exists".into(),
        Comparison::Exists(false) => "is absent".into(),
        Comparison::CountAtLeast(n) => format!("has at least {n} elements"),
    }
}

fn shown(values: &[Option<&Value>]) -> String {
    let one = |v: &Option<&Value>| v.map_or("(absent)".to_string(), |v| v.to_string());
    match values {
        [v] => one(v),
        many => format!("[{}]", many.iter().map(one).collect::<Vec<_>>().join(", ")),
    }
}

fn no_box(name: &str) -> Outcome {
    Outcome::Failed {
        expected: format!("box {name} exists"),
        actual: format!("there is no box {name} (`glassbox lesson start` makes the lesson's boxes again)"),
    }
}

fn run_probe(
    env: &Env,
    check: &Check,
    argv: &[String],
    want: (&Option<String>, &Option<String>, ExitExpect),
) -> Outcome {
    let (stdout, contains, exit) = want;
    let mut expected = format!("`{}` in box {}", argv.join(" "), check.box_name);
    if let Some(s) = stdout {
        expected += &format!(" prints {s:?}");
    }
    if let Some(s) = contains {
        expected += &format!(" prints something containing {s:?}");
    }
    expected += &match exit {
        ExitExpect::Code(c) => format!(", exit code {c}"),
        ExitExpect::NonZero => ", exit code not 0 (it must fail)".into(),
    };
    let mut cmd = env.glassbox.cmd();
    cmd.arg("exec").arg(&check.box_name).arg("--").args(argv);
    let (code, out, err) = match run_with_timeout(cmd, PROBE_TIMEOUT) {
        Ok(r) => r,
        Err(e) => return Outcome::Failed { expected, actual: format!("glassbox exec could not start: {e}") },
    };
    let trimmed = out.trim();
    let exit_ok = match (exit, code) {
        (ExitExpect::Code(c), Some(got)) => c == got,
        (ExitExpect::NonZero, Some(got)) => got != 0,
        (_, None) => false,
    };
    let ok = exit_ok
        && stdout.as_ref().is_none_or(|s| trimmed == s.trim())
        && contains.as_ref().is_none_or(|s| out.contains(s.as_str()));
    if ok {
        return Outcome::Passed;
    }
    let code = code.map_or(format!("killed after {}s", PROBE_TIMEOUT.as_secs()), |c| format!("exit code {c}"));
    let mut actual = format!("printed {:?}, {code}", trimmed.chars().take(300).collect::<String>());
    if let Some(line) = err.lines().find(|l| !l.trim().is_empty()) {
        actual += &format!("; stderr: {line}");
    }
    Outcome::Failed { expected, actual }
}

/// Runs the checks in order. `lesson_needs` apply to every check.
pub fn run_all(env: &Env, lesson_needs: &[Need], checks: &[Check]) -> Vec<CheckResult> {
    let mut models: HashMap<String, Result<Option<Value>, String>> = HashMap::new();
    checks
        .iter()
        .map(|check| {
            let missing = lesson_needs.iter().chain(&check.needs).find_map(|n| env.machine.missing(n));
            let outcome = match missing {
                Some(m) => Outcome::Skipped { reason: format!("this machine lacks {}", m.what), fix: m.fix },
                None => {
                    let model =
                        models.entry(check.box_name.clone()).or_insert_with(|| model_of(env.root, &check.box_name));
                    match (&check.kind, model) {
                        (_, Err(e)) => Outcome::Failed {
                            expected: format!("box {} can be read", check.box_name),
                            actual: e.clone(),
                        },
                        (_, Ok(None)) => no_box(&check.box_name),
                        (CheckKind::Model { path, cmp }, Ok(Some(m))) => {
                            let values = path.lookup(m);
                            if values.iter().any(|v| holds(cmp, *v)) {
                                Outcome::Passed
                            } else {
                                Outcome::Failed {
                                    expected: format!("{path} {}", describe(cmp)),
                                    actual: format!("{path} = {}", shown(&values)),
                                }
                            }
                        }
                        (CheckKind::Probe { argv, stdout, stdout_contains, exit }, Ok(Some(_))) => {
                            run_probe(env, check, argv, (stdout, stdout_contains, *exit))
                        }
                    }
                }
            };
            CheckResult { what: check.what.clone(), box_name: check.box_name.clone(), outcome }
        })
        .collect()
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
