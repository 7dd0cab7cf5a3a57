//! Unit tests of lesson.toml parsing (spec.rs).

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
    let late = format!("{SAMPLE}summary = \"late\"\n");
    assert!(Spec::parse(&late).unwrap_err().contains("move it above"));
    // `hints` below a [[check]] are that check's own hints.
    let late = format!("{SAMPLE}hints = [\"late\"]\n").replace("hints = [\"a\", \"b\"]\n", "");
    let late = Spec::parse(&late).unwrap();
    assert!(late.hints.is_empty() && late.checks[1].hints == ["late"]);
}

#[test]
fn parses_goal_concepts_questions_check_hints_and_image_checks() {
    let text = SAMPLE.replace(
        "hints = [\"a\", \"b\"]",
        "hints = [\"a\", \"b\"]\ngoal = \"g\"\nconcepts = [\"UTS namespace\"]\n\
         [[question]]\nask = \"q?\"\naccept = [\"1\"]\nchoices = [\"1\", \"2\"]\nbefore = \"CLONE_NEWUTS\"\nexplain = \"e\"",
    ) + "hints = [\"h1\"]\n[[check]]\nwhat = \"img\"\nimage = \"l11\"\npath = \"layers\"\ncount_equals = 3\n";
    let s = Spec::parse(&text).unwrap();
    assert_eq!((s.goal.as_str(), s.concepts.len(), s.questions.len()), ("g", 1, 1));
    let checks = s.typed_checks().unwrap();
    assert_eq!(checks[1].hints, ["h1"]);
    assert!(
        matches!(&checks[2].kind, CheckKind::Image { image, cmp: Comparison::CountEquals(3), .. } if image == "l11")
    );
    let bad = text.replace("image = \"l11\"\npath = \"layers\"\ncount_equals = 3", "image = \"l11\"\nprobe = [\"x\"]");
    assert!(Spec::parse(&bad).unwrap().typed_checks().unwrap_err().contains("image"));
    assert!(Spec::parse(&text.replace("ask =", "asks =")).unwrap_err().contains("asks"));
}
