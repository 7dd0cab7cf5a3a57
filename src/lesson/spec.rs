//! lesson.toml, parsed. Every field is documented where it is read; the
//! contract is lessons/FORMAT.md. Unknown keys are refused, so a typo in a
//! lesson (`stdout_contain`) fails `lesson dev-check` instead of silently
//! checking nothing.

use super::path::Path;
use crate::doctor::Need;
use serde::Deserialize;
use serde_json::Value;

/// One lesson.toml, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Must equal the folder name, e.g. `02-uts`.
    pub id: String,
    /// One line, shown by `lesson list` and `lesson start`.
    pub title: String,
    /// One sentence shown by `lesson list --json` and `lesson status`.
    #[serde(default)]
    pub summary: String,
    /// What the machine must offer (the vocabulary in FORMAT.md); a check
    /// this machine cannot run is skipped, and `doctor` lists the lesson.
    #[serde(default)]
    pub needs: Vec<Need>,
    /// Boxes the lesson uses; the first is the default for checks and `$BOX`.
    /// `lesson start` and `lesson reset` remove them.
    #[serde(default)]
    pub boxes: Vec<String>,
    /// glassbox argv lists (without `glassbox` and `--root`) run in order by
    /// `lesson start`, after the boxes were removed.
    #[serde(default)]
    pub start: Vec<Vec<String>>,
    /// `[[step]]`: what the learner does, in order.
    #[serde(default, rename = "step")]
    pub steps: Vec<Step>,
    /// `[[check]]`: every one must fail after `start` and pass after the solution.
    #[serde(default, rename = "check")]
    pub checks: Vec<RawCheck>,
    /// Shown one at a time by `lesson hint`, each more concrete than the last.
    #[serde(default)]
    pub hints: Vec<String>,
}

/// `[[step]]`
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The command to type.
    #[serde(rename = "do")]
    pub command: String,
    /// Why: what it changes in the kernel.
    #[serde(default)]
    pub why: String,
}

/// `[[check]]` as written; [`RawCheck::typed`] makes it a [`Check`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    /// What the check proves, in the learner's words: printed with the result.
    pub what: String,
    /// The box the check reads (default: the lesson's first box).
    #[serde(default, rename = "box")]
    pub box_name: Option<String>,
    /// Needs of this check alone, on top of the lesson's.
    #[serde(default)]
    pub needs: Vec<Need>,
    // --- a model check: a path into `inspect BOX --json` and one comparison.
    /// Where in the model (lessons/FORMAT.md "Paths").
    pub path: Option<String>,
    /// The value equals this (string, number, bool; 3 equals 3.0).
    pub equals: Option<Value>,
    /// The value is present and differs from this.
    pub not_equals: Option<Value>,
    /// The value is a number ≥ this.
    pub at_least: Option<f64>,
    /// The value is a number ≤ this.
    pub at_most: Option<f64>,
    /// A string containing this, or an array with a string element containing it.
    pub contains: Option<String>,
    /// true: present and not null; false: absent or null.
    pub exists: Option<bool>,
    /// An array of at least this many elements.
    pub count_at_least: Option<u64>,
    // --- a probe: `glassbox exec BOX -- argv` and what it must print / exit with.
    /// The command run inside the box.
    pub probe: Option<Vec<String>>,
    /// Trimmed stdout equals this.
    pub stdout: Option<String>,
    /// stdout contains this.
    pub stdout_contains: Option<String>,
    /// The exit code (default 0, or "not 0" with `expect_fail`).
    pub exit_code: Option<i32>,
    /// The probe must exit non-zero (a write refused, a ping that fails).
    #[serde(default)]
    pub expect_fail: bool,
}

/// A comparison of a model check: exactly one per check.
#[derive(Debug, Clone, PartialEq)]
pub enum Comparison {
    Equals(Value),
    NotEquals(Value),
    AtLeast(f64),
    AtMost(f64),
    Contains(String),
    Exists(bool),
    CountAtLeast(u64),
}

/// What the exit code of a probe must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExitExpect {
    Code(i32),
    NonZero,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    Model { path: Path, cmp: Comparison },
    Probe { argv: Vec<String>, stdout: Option<String>, stdout_contains: Option<String>, exit: ExitExpect },
}

/// A check, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub what: String,
    pub box_name: String,
    pub needs: Vec<Need>,
    pub kind: CheckKind,
}

impl RawCheck {
    /// Validates the check: model or probe (not both), exactly one
    /// comparison, a box to read.
    pub fn typed(&self, default_box: Option<&str>) -> Result<Check, String> {
        let what = &self.what;
        let box_name = match self.box_name.as_deref().or(default_box) {
            Some(b) => b.to_string(),
            None => return Err(format!("check {what:?} names no box and the lesson lists no `boxes`")),
        };
        let cmps: Vec<Comparison> = [
            self.equals.clone().map(Comparison::Equals),
            self.not_equals.clone().map(Comparison::NotEquals),
            self.at_least.map(Comparison::AtLeast),
            self.at_most.map(Comparison::AtMost),
            self.contains.clone().map(Comparison::Contains),
            self.exists.map(Comparison::Exists),
            self.count_at_least.map(Comparison::CountAtLeast),
        ]
        .into_iter()
        .flatten()
        .collect();
        let probe_keys = self.stdout.is_some() || self.stdout_contains.is_some() || self.exit_code.is_some();
        let kind = match (&self.path, &self.probe) {
            (Some(_), Some(_)) => return Err(format!("check {what:?} has both `path` and `probe`: pick one")),
            (None, None) => return Err(format!("check {what:?} needs a `path` (model check) or a `probe`")),
            (Some(p), None) => {
                if probe_keys || self.expect_fail {
                    return Err(format!("check {what:?}: stdout/exit_code/expect_fail belong to probes, not `path`"));
                }
                let [cmp] = <[Comparison; 1]>::try_from(cmps).map_err(|v| {
                    format!(
                        "check {what:?} has {} comparisons; give exactly one of equals, not_equals, at_least, at_most, contains, exists, count_at_least",
                        v.len()
                    )
                })?;
                let path = Path::parse(p).map_err(|e| format!("check {what:?}: {e}"))?;
                CheckKind::Model { path, cmp }
            }
            (None, Some(argv)) => {
                if !cmps.is_empty() {
                    return Err(format!("check {what:?}: comparisons like `equals` belong to `path` checks"));
                }
                if argv.is_empty() {
                    return Err(format!("check {what:?}: `probe` is an empty command"));
                }
                let exit = match (self.exit_code, self.expect_fail) {
                    (Some(_), true) => {
                        return Err(format!("check {what:?}: give `exit_code` or `expect_fail`, not both"));
                    }
                    (Some(c), false) => ExitExpect::Code(c),
                    (None, true) => ExitExpect::NonZero,
                    (None, false) => ExitExpect::Code(0),
                };
                CheckKind::Probe {
                    argv: argv.clone(),
                    stdout: self.stdout.clone(),
                    stdout_contains: self.stdout_contains.clone(),
                    exit,
                }
            }
        };
        Ok(Check { what: what.clone(), box_name, needs: self.needs.clone(), kind })
    }
}

impl Spec {
    pub fn parse(text: &str) -> Result<Spec, String> {
        toml::from_str(text).map_err(|e| {
            let mut msg = e.to_string().trim_end().to_string();
            let top = ["id", "title", "summary", "boxes", "start", "hints"];
            if top.iter().any(|k| msg.contains(&format!("unknown field `{k}`"))) {
                msg += "\n(a top-level key written after a [[step]] or [[check]] belongs to that table in TOML: move it above the first one)";
            }
            msg
        })
    }

    /// The box `$BOX` names and checks read by default.
    pub fn first_box(&self) -> Option<&str> {
        self.boxes.first().map(String::as_str)
    }

    /// Every check, validated; the first bad one is the error.
    pub fn typed_checks(&self) -> Result<Vec<Check>, String> {
        self.checks.iter().map(|c| c.typed(self.first_box())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
id = "02-uts"
title = "UTS"
needs = ["root", "controller:memory"]
boxes = ["uts"]
start = [["create", "uts"]]
hints = ["a", "b"]
[[step]]
do = "glassbox unshare uts uts"
why = "because"
[[check]]
what = "isolated"
path = "namespaces[kind=uts].isolated"
equals = true
[[check]]
what = "hostname"
probe = ["hostname"]
stdout = "sandbox"
"#;

    #[test]
    fn parses_the_format_sample() {
        let s = Spec::parse(SAMPLE).unwrap();
        assert_eq!(s.needs, vec![Need::Root, Need::Controller(crate::doctor::Controller::Memory)]);
        let checks = s.typed_checks().unwrap();
        assert_eq!(checks[0].box_name, "uts");
        assert!(matches!(&checks[0].kind, CheckKind::Model { cmp: Comparison::Equals(Value::Bool(true)), .. }));
        assert!(matches!(&checks[1].kind, CheckKind::Probe { exit: ExitExpect::Code(0), .. }));
        assert_eq!(s.steps[0].command, "glassbox unshare uts uts");
    }

    #[test]
    fn refuses_typos_and_ambiguity() {
        assert!(Spec::parse(&SAMPLE.replace("stdout =", "stdout_contain =")).unwrap_err().contains("stdout_contain"));
        let two = SAMPLE.replace("equals = true", "equals = true\nexists = true");
        assert!(Spec::parse(&two).unwrap().typed_checks().unwrap_err().contains("2 comparisons"));
        let none = SAMPLE.replace("equals = true", "");
        assert!(Spec::parse(&none).unwrap().typed_checks().unwrap_err().contains("0 comparisons"));
        assert!(Spec::parse(&SAMPLE.replace("\"root\",", "\"rot\",")).unwrap_err().contains("vocabulary"));
        let late = format!("{SAMPLE}hints = [\"late\"]\n").replace("hints = [\"a\", \"b\"]\n", "");
        assert!(Spec::parse(&late).unwrap_err().contains("move it above"));
    }
}
