//! Comparison checks (issue 23, "a comparison the student must make"): a
//! lesson whose checks compare two boxes, and one box now with the same box
//! at `lesson start`, fails while the two values are equal and passes once
//! they differ, on real boxes and namespaces. The failure says both values.

use crate::harness::{Sandbox, host_ns_inode, text};
use serde_json::Value;

const LESSON: &str = r#"
id = "01-compare"
title = "Fixture: two values compared"
needs = ["root"]
boxes = ["cmpa", "cmpb"]
start = [["create", "cmpa"], ["create", "cmpb"]]
hints = ["one", "two"]

[[check]]
what = "cmpa and cmpb are in different UTS namespaces"
compare = { a = "cmpa:namespaces[kind=uts].inode", relation = "differs", b = "cmpb:namespaces[kind=uts].inode" }

[[check]]
what = "cmpa's UTS namespace is not the one it started in"
compare = { a = "namespaces[kind=uts].inode", relation = "differs", b = "namespaces[kind=uts].inode at start" }
"#;

/// `lesson check --json`: the exit code and each check's outcome.
fn check(sb: &Sandbox, dir: &std::path::Path) -> (i32, Vec<Value>) {
    let out = sb.cmd().env("GLASSBOX_LESSONS_DIR", dir).args(["--json", "lesson", "check"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)));
    (out.status.code().unwrap(), v["checks"].as_array().unwrap().clone())
}

#[test]
fn a_comparison_fails_while_the_values_are_equal_and_passes_once_they_differ() {
    let sb = Sandbox::new("lesson-compare");
    let dir = sb.root.parent().unwrap().join("lessons");
    std::fs::create_dir_all(dir.join("01-compare")).unwrap();
    std::fs::write(dir.join("01-compare/lesson.toml"), LESSON).unwrap();
    let start = sb.cmd().env("GLASSBOX_LESSONS_DIR", &dir).args(["lesson", "start", "01"]).output().unwrap();
    assert!(start.status.success(), "{}", text(&start.stderr));

    // Both boxes, not isolated yet, are in glassbox's own (the host's) UTS
    // namespace: equal values, so both checks fail and say both values.
    let host = host_ns_inode("uts").to_string();
    let (code, results) = check(&sb, &dir);
    assert_eq!(code, 1, "{results:?}");
    for r in &results {
        assert_eq!(r["result"], "failed", "{r}");
        let actual = r["actual"].as_str().unwrap();
        assert_eq!(actual.matches(&host).count(), 2, "both values, the host's inode, are said: {actual}");
    }
    assert!(results[1]["actual"].as_str().unwrap().contains("at lesson start"), "{}", results[1]);

    // A UTS namespace of cmpa's own: another inode, in the kernel.
    sb.ok(&["unshare", "cmpa", "uts"]);
    let (code, results) = check(&sb, &dir);
    assert_eq!(code, 0, "{results:?}");
    assert!(results.iter().all(|r| r["result"] == "passed"), "{results:?}");

    // cmpb joins cmpa's namespace: the two boxes agree again, the first check
    // fails with the one inode twice, and the before/after one still passes.
    sb.ok(&["unshare", "cmpb", "uts", "--join", "cmpa"]);
    let own =
        sb.inspect("cmpa")["namespaces"].as_array().unwrap().iter().find(|n| n["kind"] == "uts").unwrap()["inode"]
            .to_string();
    assert_ne!(own, host);
    let (code, results) = check(&sb, &dir);
    assert_eq!(code, 1, "{results:?}");
    assert_eq!(results[0]["result"], "failed", "{}", results[0]);
    assert_eq!(results[0]["actual"].as_str().unwrap().matches(&own).count(), 2, "{}", results[0]);
    assert_eq!(results[1]["result"], "passed", "{}", results[1]);

    // `lesson reset` removes the boxes and forgets the values taken at start.
    let reset = sb.cmd().env("GLASSBOX_LESSONS_DIR", &dir).args(["lesson", "reset", "01"]).output().unwrap();
    assert!(reset.status.success(), "{}", text(&reset.stderr));
    let kept = std::fs::read_to_string(sb.root.join("lessons/baselines.json")).unwrap();
    assert!(!kept.contains("01-compare"), "{kept}");
}
