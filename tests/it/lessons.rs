//! `glassbox lesson`: the verbs over the fixture lessons in
//! tests/fixtures/lessons (loaded with GLASSBOX_LESSONS_DIR), dev-check over
//! good and broken fixtures, and dev-check --strict over the real catalogue.

use crate::harness::{Sandbox, text};
use std::path::PathBuf;
use std::process::Output;

fn fixtures(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// `glassbox --root R lesson ARGS` with the fixture lessons.
fn lesson(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = sb.cmd();
    c.env("GLASSBOX_LESSONS_DIR", fixtures("lessons")).env_remove("GLASSBOX_ASSUME_MISSING");
    c.envs(env.iter().copied());
    c.arg("lesson").args(args).output().expect("glassbox runs")
}

fn ok(sb: &Sandbox, args: &[&str]) -> String {
    let out = lesson(sb, args, &[]);
    assert!(out.status.success(), "lesson {args:?}: {}\n{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

fn json(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> (i32, serde_json::Value) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let mut c = sb.cmd();
    c.env("GLASSBOX_LESSONS_DIR", fixtures("lessons")).env_remove("GLASSBOX_ASSUME_MISSING");
    c.envs(env.iter().copied());
    let out = c.args(&all[..1]).arg("lesson").args(&all[1..]).output().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", text(&out.stdout)));
    (out.status.code().unwrap(), v)
}

#[test]
fn check_before_start_says_to_start_and_bad_ids_exit_2() {
    let sb = Sandbox::new("lesson-before-start");
    let out = lesson(&sb, &["check"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("glassbox lesson start 01-fixture-uts"), "{}", text(&out.stderr));
    let out = lesson(&sb, &["check", "01"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not started"), "{}", text(&out.stderr));
    for bad in ["99", "nope", "../01-fixture-uts", "", "01-fixture"] {
        for verb in ["start", "check", "hint", "status", "solution", "reset"] {
            let out = lesson(&sb, &[verb, bad], &[]);
            assert_eq!(out.status.code(), Some(2), "lesson {verb} {bad:?}: {}", text(&out.stderr));
            assert_eq!(text(&out.stderr).lines().count(), 1, "one line: {}", text(&out.stderr));
        }
    }
    assert_eq!(lesson(&sb, &["start", "-1"], &[]).status.code(), Some(2));
    assert!(!sb.root.join("lessons/progress.json").exists(), "a bad id changed nothing");
}

#[test]
fn start_check_hint_solution_and_progress_persist() {
    let sb = Sandbox::new("lesson-verbs");
    let listed = ok(&sb, &["list"]);
    assert!(listed.contains("01-fixture-uts") && listed.contains("02-fixture-needs"), "{listed}");
    let started = ok(&sb, &["start", "fixture-uts"]);
    assert!(started.contains("glassbox unshare fx uts --hostname fixture"), "steps printed: {started}");

    // Before the work: every check fails, exit 1, expected vs actual, hint 1.
    let out = lesson(&sb, &["check"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let o = text(&out.stdout);
    assert!(o.contains("FAILED") && o.contains("expected:") && o.contains("actual:"), "{o}");
    assert!(o.contains("Hint 1 of 3: first hint"), "{o}");

    // Hints escalate, one per call, and stop at the last; the count persists.
    assert!(ok(&sb, &["hint"]).contains("Hint 2 of 3: second"));
    assert!(ok(&sb, &["hint", "01"]).contains("Hint 3 of 3: third"));
    let last = ok(&sb, &["hint"]);
    assert!(last.contains("Hint 3 of 3: third") && last.contains("last hint"), "{last}");
    let (_, list) = json(&sb, &["list"], &[]);
    assert_eq!(list[0]["hints_shown"], 3);
    assert_eq!(list[0]["current"], true);
    assert_eq!(list[0]["done"], false);

    // The solution says it is shown before a pass.
    let out = lesson(&sb, &["solution"], &[]);
    assert!(text(&out.stdout).contains("glassbox unshare \"$BOX\" uts --hostname fixture"));
    assert!(text(&out.stderr).contains("not passed yet"), "{}", text(&out.stderr));

    // A wrong answer: the model check passes, the probe still fails.
    sb.ok(&["unshare", "fx", "uts"]);
    let (code, v) = json(&sb, &["check"], &[]);
    assert_eq!(code, 1);
    assert_eq!(v["checks"][0]["result"], "passed");
    assert_eq!(v["checks"][1]["result"], "failed");
    assert!(v["checks"][1]["actual"].as_str().unwrap().contains("fx"), "{v}");

    // Start again makes the box afresh; the right answer passes.
    ok(&sb, &["start", "01"]);
    assert_eq!(sb.inspect("fx")["namespaces"].as_array().unwrap().iter().filter(|n| n["isolated"] == true).count(), 0);
    sb.ok(&["unshare", "fx", "uts", "--hostname", "fixture"]);
    let out = ok(&sb, &["check"]);
    assert!(
        out.contains("lesson 01-fixture-uts is done") && out.contains("Next: glassbox lesson start 02-fixture-needs")
    );
    let (_, status) = json(&sb, &["status"], &[]);
    assert_eq!(status["done"], true);
    assert_eq!(status["hints_shown"], 3, "hints used survive a restart");
    assert_eq!(status["boxes"][0]["state"], "running");
    assert!(!lesson(&sb, &["solution"], &[]).stderr.starts_with(b"note"), "no note once passed");

    // Reset: the boxes and the progress go.
    ok(&sb, &["reset"]);
    assert!(!sb.ok(&["ls"]).contains("fx"));
    let (_, list) = json(&sb, &["list"], &[]);
    assert_eq!(list[0]["done"], false);
    assert_eq!(list[0]["hints_shown"], 0);
    assert_eq!(lesson(&sb, &["check"], &[]).status.code(), Some(2), "no current lesson after its reset");
}

#[test]
fn a_check_whose_need_is_missing_is_skipped_never_passed() {
    let sb = Sandbox::new("lesson-skip");
    let missing = [("GLASSBOX_ASSUME_MISSING", "veth")];
    assert_eq!(lesson(&sb, &["start", "02"], &missing).status.code(), Some(0));
    sb.ok(&["unshare", "fy", "ipc", "net"]);
    let (code, v) = json(&sb, &["check"], &missing);
    assert_eq!(code, 1, "a skip is not a pass: {v}");
    assert_eq!(v["passed"], false);
    assert_eq!(v["checks"][0]["result"], "passed");
    assert_eq!(v["checks"][1]["result"], "skipped");
    assert!(v["checks"][1]["reason"].as_str().unwrap().contains("veth"), "{v}");
    let out = lesson(&sb, &["check"], &missing);
    assert!(text(&out.stdout).contains("skipped") && text(&out.stdout).contains("not a pass"));
    let (_, list) = json(&sb, &["list"], &[]);
    assert_eq!(list[1]["done"], false, "never marked done while a check skips");
    // With the need met and its question answered, the same state passes,
    // and it was the last lesson.
    ok(&sb, &["answer", "02", "1", "no"]);
    let out = ok(&sb, &["check"]);
    assert!(out.contains("last lesson"), "{out}");
}

#[test]
fn dev_check_passes_good_fixtures_and_names_what_is_wrong_with_broken_ones() {
    let sb = Sandbox::new("lesson-devcheck");
    let out = lesson(&sb, &["dev-check", "--strict"], &[]);
    let o = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{o}\n{}", text(&out.stderr));
    assert!(o.contains("01-fixture-uts") && o.contains("02-fixture-needs") && o.contains("0 failed"), "{o}");
    // --strict fails on a skip; without it the skip is reported.
    let missing = [("GLASSBOX_ASSUME_MISSING", "veth")];
    let out = lesson(&sb, &["dev-check", "--only", "02", "--strict"], &missing);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let out = lesson(&sb, &["dev-check", "--only", "02"], &missing);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("skipped"));
    // A broken lesson: a check passing after start, a wrong solution no check catches.
    let out = lesson(&sb, &["dev-check"], &[("GLASSBOX_LESSONS_DIR", fixtures("lessons-broken").to_str().unwrap())]);
    let o = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{o}");
    assert!(o.contains("already passes") && o.contains("wrong/nothing.sh"), "{o}");
    assert_eq!(lesson(&sb, &["dev-check", "--only", "nope"], &[]).status.code(), Some(2));
    assert!(leftover_devcheck_roots().is_empty(), "dev-check removed its temp roots: {:?}", leftover_devcheck_roots());
}

#[test]
fn dev_check_says_its_own_lines_in_korean() {
    let sb = Sandbox::new("lesson-devcheck-ko");
    let env = [("GLASSBOX_ASSUME_MISSING", "veth"), ("GLASSBOX_LANG", "ko")];
    let out = lesson(&sb, &["dev-check", "--only", "02"], &env);
    let o = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{o}");
    assert!(o.contains("02-fixture-needs         통과, 건너뛴 검사 있음"), "{o}");
    assert!(o.contains("    건너뜀: ") && o.ends_with("실습 1개 검사, 0개 실패\n"), "{o}");
    let english = text(&lesson(&sb, &["--lang", "en", "dev-check", "--only", "02"], &env[..1]).stdout);
    assert!(english.contains("    skipped: ") && english.ends_with("1 lessons checked, 0 failed\n"), "{english}");
}

/// dev-check temp roots whose glassbox has exited (a running one, maybe a
/// lesson author's, is not a leftover).
fn leftover_devcheck_roots() -> Vec<String> {
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            let pid = n.strip_prefix("glassbox-devcheck-").and_then(|r| r.split('-').next());
            pid.is_some_and(|p| !std::path::Path::new("/proc").join(p).exists())
        })
        .collect()
}

/// The real, built-in catalogue: every lesson fails before and passes after
/// its solution, here, with no skip, in English and again with `--lang ko`
/// (the checks are the same, the messages Korean: each lesson's line says
/// 통과). One test per language, so the two run side by side;
/// GLASSBOX_TEST_LANGS=en (or ko) runs one of them only (the cgroup v2 VM
/// runs English: the messages do not depend on the cgroup version).
/// Skipped (with the reason) while lessons/ has no NN-slug folders yet.
#[test]
fn the_built_in_catalogue_passes_dev_check_strict() {
    catalogue_passes_dev_check_strict("en");
}

#[test]
fn the_built_in_catalogue_passes_dev_check_strict_in_korean() {
    catalogue_passes_dev_check_strict("ko");
}

fn catalogue_passes_dev_check_strict(lang: &str) {
    let langs = std::env::var("GLASSBOX_TEST_LANGS").unwrap_or_else(|_| "en,ko".into());
    if !langs.split(',').any(|l| l == lang) {
        println!("SKIPPED: GLASSBOX_TEST_LANGS={langs} leaves out {lang}");
        return;
    }
    let lessons = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let any = std::fs::read_dir(&lessons).into_iter().flatten().flatten().any(|e| {
        let n = e.file_name().to_string_lossy().into_owned();
        e.path().is_dir() && n.len() > 3 && n.as_bytes()[..2].iter().all(u8::is_ascii_digit) && n.as_bytes()[2] == b'-'
    });
    if !any {
        println!("SKIPPED: {} has no NN-slug lesson folders yet", lessons.display());
        return;
    }
    let sb = Sandbox::new(&format!("lesson-catalogue-{lang}"));
    // The emulated cgroup v2 VM runs only the lessons whose checks depend on
    // the cgroup version (scripts/test-v2.sh names them, comma-separated); the host runs all.
    let only = std::env::var("GLASSBOX_TEST_LESSONS").unwrap_or_default();
    let runs: Vec<Vec<&str>> = match only.split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>() {
        ids if ids.is_empty() => vec![vec![]],
        ids => ids.into_iter().map(|id| vec!["--only", id]).collect(),
    };
    for only in &runs {
        let out = sb
            .cmd()
            .env_remove("GLASSBOX_LESSONS_DIR")
            .env_remove("GLASSBOX_ASSUME_MISSING")
            .args(["--lang", lang, "lesson", "dev-check", "--strict"])
            .args(only)
            .output()
            .unwrap();
        let said = text(&out.stdout);
        assert!(out.status.success(), "dev-check --strict --lang {lang} {only:?}:\n{said}\n{}", text(&out.stderr));
        let is_lesson =
            |l: &&str| l.len() > 3 && l.as_bytes()[..2].iter().all(u8::is_ascii_digit) && l.as_bytes()[2] == b'-';
        let lessons: Vec<&str> = said.lines().filter(is_lesson).collect();
        assert!(!lessons.is_empty(), "{said}");
        let word = if lang == "ko" { " 통과 " } else { " ok " };
        assert!(lessons.iter().all(|l| l.contains(word)), "--lang {lang}: every lesson's line says{word}:\n{said}");
    }
}
