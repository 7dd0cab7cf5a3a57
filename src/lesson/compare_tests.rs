//! Unit tests of comparison checks (compare.rs): operands, relations, the
//! failure message, and how lesson.toml takes them.

use super::*;
use crate::lesson::spec::Spec;
use serde_json::json;

#[test]
fn operands_name_a_box_a_path_and_maybe_the_start() {
    let op = Operand::parse("l18app:namespaces[kind=net].inode").unwrap();
    assert_eq!(op.box_name.as_deref(), Some("l18app"));
    assert_eq!(op.path.text, "namespaces[kind=net].inode");
    assert!(!op.at_start);
    let op = Operand::parse("namespaces[kind=pid].inode at start").unwrap();
    assert_eq!((op.box_name.as_deref(), op.at_start), (None, true));
    assert_eq!(op.path.text, "namespaces[kind=pid].inode");
    assert_eq!(op.box_of("l03"), "l03");
    // A colon inside a selector is part of the path, not a box.
    let op = Operand::parse("volumes[target=/a:b].ro").unwrap();
    assert_eq!(op.box_name, None);
    for bad in ["", "l05:", "processes[*].pid", "bad box:state", "l05:a[", " at start"] {
        assert!(Operand::parse(bad).is_err(), "{bad:?} should be refused: {:?}", Operand::parse(bad));
    }
}

#[test]
fn relations() {
    let (one, two, text) = (json!(1), json!(2), json!("1"));
    assert!(holds(Relation::Equals, Some(&one), Some(&json!(1.0))), "3 equals 3.0");
    assert!(!holds(Relation::Equals, Some(&one), Some(&text)), "a number is not its text");
    assert!(holds(Relation::Differs, Some(&one), Some(&two)));
    assert!(!holds(Relation::Differs, Some(&one), Some(&one)));
    assert!(holds(Relation::Greater, Some(&two), Some(&one)));
    assert!(!holds(Relation::Greater, Some(&one), Some(&one)), "a counter that stood still did not grow");
    assert!(holds(Relation::Less, Some(&one), Some(&two)));
    assert!(!holds(Relation::Greater, Some(&text), Some(&one)), "greater compares numbers only");
    for r in [Relation::Equals, Relation::Differs, Relation::Greater, Relation::Less] {
        assert!(!holds(r, None, Some(&one)), "{r:?}: an absent value never compares");
        assert!(!holds(r, Some(&one), None), "{r:?}: an absent value never compares");
    }
}

#[test]
fn a_failure_says_both_values() {
    let a = Operand::parse("l18side:namespaces[kind=net].inode").unwrap();
    let b = Operand::parse("namespaces[kind=net].inode at start").unwrap();
    let out = outcome("l18app", (&a, Relation::Equals, &b), [Some(&json!(4026531840u64)), Some(&json!(4026532999u64))]);
    let Outcome::Failed { expected, actual } = out else { panic!("{out:?}") };
    assert_eq!(
        expected,
        "l18side: namespaces[kind=net].inode equals l18app: namespaces[kind=net].inode at lesson start"
    );
    assert!(actual.contains("= 4026531840") && actual.contains("= 4026532999"), "{actual}");
    let out = outcome("x", (&a, Relation::Differs, &b), [Some(&json!(7)), None]);
    assert!(matches!(out, Outcome::Failed { ref actual, .. } if actual.ends_with("= (absent)")), "{out:?}");
    assert_eq!(outcome("x", (&a, Relation::Differs, &b), [Some(&json!(7)), Some(&json!(8))]), Outcome::Passed);
}

fn lesson(compare: &str) -> Result<Vec<crate::lesson::spec::Check>, String> {
    let text =
        format!("id = \"03-pid\"\ntitle = \"t\"\nboxes = [\"l03\"]\n[[check]]\nwhat = \"w\"\ncompare = {compare}\n");
    Spec::parse(&text)?.typed_checks()
}

#[test]
fn lesson_toml_takes_a_comparison_as_a_check_kind_of_its_own() {
    let checks = lesson(
        r#"{ a = "namespaces[kind=pid].inode", relation = "differs", b = "namespaces[kind=pid].inode at start" }"#,
    )
    .unwrap();
    let CheckKind::Compare { a, relation, b } = &checks[0].kind else { panic!("{:?}", checks[0].kind) };
    assert_eq!((a.at_start, *relation, b.at_start), (false, Relation::Differs, true));
    let e = lesson(r#"{ a = "state", relation = "bigger", b = "x:state" }"#).unwrap_err();
    assert!(e.contains("bigger"), "{e}");
    let e = lesson(r#"{ a = "state", relation = "equals", b = "state" }"#).unwrap_err();
    assert!(e.contains("same value"), "{e}");
    let e = lesson(r#"{ a = "state", relation = "equals" }"#).unwrap_err();
    assert!(e.contains("missing field `b`"), "{e}");
    let text = "id = \"x\"\ntitle = \"t\"\nboxes = [\"b\"]\n[[check]]\nwhat = \"w\"\npath = \"state\"\nequals = 1\ncompare = { a = \"state\", relation = \"equals\", b = \"c:state\" }\n";
    let e = Spec::parse(text).unwrap().typed_checks().unwrap_err();
    assert!(e.contains("path and compare"), "{e}");
}
