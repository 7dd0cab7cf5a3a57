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
    /// Images the lesson makes (`commit`): `lesson start` and `lesson reset`
    /// remove them, so what an earlier try made cannot pass a check.
    #[serde(default)]
    pub images: Vec<String>,
    /// Named volumes the lesson makes, removed like `images`.
    #[serde(default)]
    pub volumes: Vec<String>,
    /// What the learner must achieve, in the domain's words, without the
    /// commands: `lesson start` and `lesson status` print it.
    #[serde(default)]
    pub goal: String,
    /// Glossary terms (`en`) the lesson is about; each must be in
    /// lessons/glossary.toml.
    #[serde(default)]
    pub concepts: Vec<String>,
    /// true: `start` and `status` also print the steps (a worked example,
    /// for the first lessons). Otherwise the learner works them out.
    #[serde(default)]
    pub worked_example: bool,
    /// `[[question]]`: predict, then run. A lesson is done only when every
    /// question is answered.
    #[serde(default, rename = "question")]
    pub questions: Vec<super::question::Question>,
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
    // --- a fetch: an HTTP GET from the host, as a browser on it would send.
    /// `http://127.0.0.1:{port}/`; `stdout`/`stdout_contains` test the body.
    pub fetch: Option<String>,
    // --- a box that must be gone.
    /// true: the box does not exist any more (the learner removed it).
    pub removed: Option<bool>,
    // --- the order of the box's recorded steps (kept after `rm` too).
    /// Texts that recorded steps must contain, in this order: a step
    /// matches when its command line or one of its operations' syscall
    /// text contains the text.
    pub in_order: Option<Vec<String>>,
    // --- an image check: a path into `image inspect NAME --json`.
    /// The image the `path` reads, instead of a box.
    pub image: Option<String>,
    /// An array of exactly this many elements.
    pub count_equals: Option<u64>,
    // --- a comparison of two values (compare.rs): two boxes, or now and at start.
    /// `{ a = "[BOX:]PATH[ at start]", relation = "equals|differs|greater|less", b = "…" }`
    pub compare: Option<super::compare::RawCompare>,
    /// Hints of this check alone: a failure shows the next unused one.
    #[serde(default)]
    pub hints: Vec<String>,
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
    CountEquals(u64),
}

/// What the exit code of a probe must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExitExpect {
    Code(i32),
    NonZero,
}

/// What a probe or a fetch must print.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Printed {
    /// Trimmed, it equals this.
    pub equals: Option<String>,
    pub contains: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    Model {
        path: Path,
        cmp: Comparison,
    },
    /// A model check on `image inspect NAME --json`.
    Image {
        image: String,
        path: Path,
        cmp: Comparison,
    },
    Probe {
        argv: Vec<String>,
        printed: Printed,
        exit: ExitExpect,
    },
    Fetch {
        url: String,
        printed: Printed,
    },
    Removed,
    InOrder {
        steps: Vec<String>,
    },
    /// `a RELATION b`, each a model path on a box, now or at `lesson start`.
    Compare {
        a: super::compare::Operand,
        relation: super::compare::Relation,
        b: super::compare::Operand,
    },
}

/// A check, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub what: String,
    pub box_name: String,
    pub needs: Vec<Need>,
    pub kind: CheckKind,
    pub hints: Vec<String>,
}

impl RawCheck {
    /// Validates the check: one kind (model, probe, fetch, removed,
    /// in_order, compare), only the keys of that kind, a box to read.
    pub fn typed(&self, default_box: Option<&str>) -> Result<Check, String> {
        let what = &self.what;
        let box_name = match self.box_name.as_deref().or(default_box) {
            Some(b) => b.to_string(),
            None => return Err(format!("check {what:?} names no box and the lesson lists no `boxes`")),
        };
        let kinds: Vec<&str> = [
            ("path", self.path.is_some()),
            ("probe", self.probe.is_some()),
            ("fetch", self.fetch.is_some()),
            ("removed", self.removed.is_some()),
            ("in_order", self.in_order.is_some()),
            ("compare", self.compare.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, set)| set.then_some(k))
        .collect();
        let kind = match kinds[..] {
            [one] => one,
            [] => {
                return Err(format!(
                    "check {what:?} needs one of `path`, `probe`, `fetch`, `removed`, `in_order`, `compare`"
                ));
            }
            _ => return Err(format!("check {what:?} has {}: pick one", kinds.join(" and "))),
        };
        let cmps = self.comparisons();
        if kind != "path" && !cmps.is_empty() {
            return Err(format!("check {what:?}: comparisons like `equals` belong to `path` checks"));
        }
        let printed = Printed { equals: self.stdout.clone(), contains: self.stdout_contains.clone() };
        if !matches!(kind, "probe" | "fetch") && printed != Printed::default() {
            return Err(format!("check {what:?}: stdout/stdout_contains belong to probes and fetches"));
        }
        if kind != "probe" && (self.exit_code.is_some() || self.expect_fail) {
            return Err(format!("check {what:?}: exit_code/expect_fail belong to probes"));
        }
        if self.image.is_some() && kind != "path" {
            return Err(format!("check {what:?}: `image` goes with a `path` into `image inspect NAME --json`"));
        }
        if self.image.is_some() && self.box_name.is_some() {
            return Err(format!("check {what:?} names a `box` and an `image`: pick one"));
        }
        let kind = match kind {
            "path" => self.model(cmps)?,
            "probe" => self.probe(printed)?,
            "fetch" => self.fetch(printed)?,
            "removed" if self.removed == Some(true) => CheckKind::Removed,
            "removed" => return Err(format!("check {what:?}: `removed` can only be true")),
            "compare" => {
                self.compare.as_ref().expect("kind is compare").typed().map_err(|e| format!("check {what:?}: {e}"))?
            }
            _ => match self.in_order.as_deref() {
                Some(steps) if steps.len() >= 2 && steps.iter().all(|s| !s.trim().is_empty()) => {
                    CheckKind::InOrder { steps: steps.to_vec() }
                }
                _ => return Err(format!("check {what:?}: `in_order` lists at least two step texts")),
            },
        };
        let hints = self.hints.clone();
        Ok(Check { what: what.clone(), box_name, needs: self.needs.clone(), kind, hints })
    }

    fn comparisons(&self) -> Vec<Comparison> {
        [
            self.equals.clone().map(Comparison::Equals),
            self.not_equals.clone().map(Comparison::NotEquals),
            self.at_least.map(Comparison::AtLeast),
            self.at_most.map(Comparison::AtMost),
            self.contains.clone().map(Comparison::Contains),
            self.exists.map(Comparison::Exists),
            self.count_at_least.map(Comparison::CountAtLeast),
            self.count_equals.map(Comparison::CountEquals),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn model(&self, cmps: Vec<Comparison>) -> Result<CheckKind, String> {
        let what = &self.what;
        let [cmp] = <[Comparison; 1]>::try_from(cmps).map_err(|v| {
            format!(
                "check {what:?} has {} comparisons; give exactly one of equals, not_equals, at_least, at_most, contains, exists, count_at_least, count_equals",
                v.len()
            )
        })?;
        let path = Path::parse(self.path.as_deref().unwrap_or_default()).map_err(|e| format!("check {what:?}: {e}"))?;
        Ok(match &self.image {
            Some(image) => CheckKind::Image { image: image.clone(), path, cmp },
            None => CheckKind::Model { path, cmp },
        })
    }

    fn probe(&self, printed: Printed) -> Result<CheckKind, String> {
        let what = &self.what;
        let argv = self.probe.clone().unwrap_or_default();
        if argv.is_empty() {
            return Err(format!("check {what:?}: `probe` is an empty command"));
        }
        let exit = match (self.exit_code, self.expect_fail) {
            (Some(_), true) => return Err(format!("check {what:?}: give `exit_code` or `expect_fail`, not both")),
            (Some(c), false) => ExitExpect::Code(c),
            (None, true) => ExitExpect::NonZero,
            (None, false) => ExitExpect::Code(0),
        };
        Ok(CheckKind::Probe { argv, printed, exit })
    }

    fn fetch(&self, printed: Printed) -> Result<CheckKind, String> {
        let url = self.fetch.clone().unwrap_or_default();
        if !url.starts_with("http://127.0.0.1:") {
            return Err(format!(
                "check {:?}: `fetch` takes a loopback URL, http://127.0.0.1:PORT/…, not {url:?}",
                self.what
            ));
        }
        if printed == Printed::default() {
            return Err(format!("check {:?}: a fetch says what the page holds (stdout or stdout_contains)", self.what));
        }
        Ok(CheckKind::Fetch { url, printed })
    }
}

impl Spec {
    pub fn parse(text: &str) -> Result<Spec, String> {
        toml::from_str(text).map_err(|e| {
            let mut msg = e.to_string().trim_end().to_string();
            let top = [
                "id", "title", "summary", "boxes", "start", "hints", "images", "volumes", "goal", "concepts",
                "worked_example",
            ];
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

    /// The boxes `start` makes (`create BOX`): `lesson start` makes them again.
    pub fn made_by_start(&self) -> Vec<&str> {
        self.start
            .iter()
            .filter(|a| a.first().is_some_and(|c| c == "create"))
            .filter_map(|a| a.get(1))
            .map(String::as_str)
            .collect()
    }

    /// Every check, validated; the first bad one is the error.
    pub fn typed_checks(&self) -> Result<Vec<Check>, String> {
        self.checks.iter().map(|c| c.typed(self.first_box())).collect()
    }
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
