//! The snapshot of every operation: for each sample in `samples.json` (one
//! operation as a box record stores it), its syscall face, shell face, why
//! and `history --script` lines (`script|`), pinned in `faces.golden` so that a wording
//! change is reviewed like code. `GLASSBOX_UPDATE_SNAPSHOTS=1 cargo test
//! snapshot` writes the file again; `git diff` shows what changed.

use super::Op;
use super::script::StepScript;
use crate::i18n::Lang;
use crate::state::Root;
use std::path::Path;

const SAMPLES: &str = include_str!("samples.json");
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/plan/faces.golden");

/// The three faces, then the script's lines for the operation alone in a
/// step of box `demo` of root `/r` (what the samples' paths name).
fn render(op: &Op) -> String {
    let f = op.faces_in(Lang::En);
    let mut script = StepScript::new(crate::model::script::folders(&Root::new(Some(Path::new("/r"))), "demo"));
    op.script(&mut script);
    let lines = script.finish_step() + &script.finish();
    let lines: String = lines.lines().map(|l| format!("script| {l}\n")).collect();
    format!("[{:?}] {}\n$ {}\n# {}\n{lines}", f.actor, f.syscall, f.shell, f.why)
}

#[test]
fn every_face_of_every_operation_is_as_reviewed() {
    let mut text = String::new();
    for line in SAMPLES.lines().filter(|l| !l.trim().is_empty()) {
        let op: Op = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        // The record format is part of the snapshot: boxes made by an
        // older glassbox must still load.
        assert_eq!(serde_json::to_string(&op).unwrap(), line, "an operation's record changed");
        text.push_str(&format!("== {line}\n{}\n", render(&op)));
    }
    if std::env::var_os("GLASSBOX_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(GOLDEN, &text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(GOLDEN).unwrap_or_default();
    if let Some((n, (got, want))) = text.lines().zip(want.lines()).enumerate().find(|(_, (a, b))| a != b) {
        panic!("faces.golden line {}:\n  want: {want}\n  got:  {got}\n(GLASSBOX_UPDATE_SNAPSHOTS=1 to accept)", n + 1);
    }
    assert_eq!(text.lines().count(), want.lines().count(), "faces.golden has another number of lines");
}

/// `--lang ko` explains every operation with a Korean why (its syscall and
/// shell faces are code and stay as they are). A sample whose record
/// carries its stage's own why keeps it (the stages' whys are held to the
/// catalogue by `i18n::tests`).
#[test]
fn every_operation_has_a_korean_why_and_the_same_code_faces() {
    let hangul = |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    let mut english = vec![];
    for line in SAMPLES.lines().filter(|l| !l.trim().is_empty()) {
        let op: Op = serde_json::from_str(line).unwrap();
        let (en, ko) = (op.faces_in(Lang::En), op.faces_in(Lang::Ko));
        assert_eq!((&en.syscall, &en.shell), (&ko.syscall, &ko.shell), "{line}: the code faces are one");
        let recorded = serde_json::from_str::<serde_json::Value>(line).unwrap()["why"].is_string();
        if !recorded && !hangul(&ko.why) {
            english.push(format!("{line}\n  {}", ko.why));
        }
    }
    assert!(english.is_empty(), "operations whose why is not in Korean:\n{}", english.join("\n"));
}
