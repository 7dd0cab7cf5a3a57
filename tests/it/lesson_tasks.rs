//! Lessons as tasks (issue 23), on the real lesson 02 and the real kernel:
//! `start` states the goal, not the commands; questions are answered,
//! recorded and needed for done; a failed check shows its own hint;
//! `lesson show` and `lesson glossary`; progress per student, exported and
//! listed for a whole class (two lesson roots under two user names).

use crate::harness::{BIN, Sandbox, text};
use crate::lesson_bugs::{lesson, started};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn json(sb: &Sandbox, args: &[&str]) -> Value {
    let out = lesson(sb, true, args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", text(&out.stdout)))
}

fn stdout(sb: &Sandbox, args: &[&str]) -> String {
    let out = lesson(sb, false, args);
    assert!(out.status.success(), "lesson {args:?}: {}\n{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn start_states_the_goal_and_questions_not_the_commands() {
    let sb = Sandbox::new("l23-goal");
    let shown = started(&sb, "02");
    assert!(shown.contains("Goal: Box l02 gets a hostname of its own"), "{shown}");
    assert!(shown.contains("Concepts: UTS namespace"), "{shown}");
    assert!(shown.contains("1. Before you run it") && shown.contains("b) the host's own name"), "{shown}");
    assert!(!shown.contains("unshare l02 uts"), "the command is the learner's to find: {shown}");
    let status = json(&sb, &["status"]);
    assert_eq!(status["steps"].as_array().unwrap().len(), 0, "{status}");
    assert_eq!(status["questions"].as_array().unwrap().len(), 3);
    assert!(!stdout(&sb, &["status"]).contains("unshare l02 uts"));
}

#[test]
fn answers_are_judged_recorded_once_and_needed_for_done() {
    let sb = Sandbox::new("l23-answers");
    // Not started: nothing to record.
    let out = lesson(&sb, false, &["answer", "02", "1", "b"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    started(&sb, "02");
    assert!(stdout(&sb, &["answer", "02", "1", "b"]).starts_with("Right."));
    let again = stdout(&sb, &["answer", "02", "1", "a"]);
    assert!(again.contains("already answered") && again.contains("first answer counts"), "{again}");
    for bad in [&["answer", "02", "9", "x"][..], &["answer", "02", "0", "x"], &["answer", "99", "1", "x"]] {
        let out = lesson(&sb, false, bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stderr).lines().count(), 1, "{}", text(&out.stderr));
    }
    sb.ok(&["unshare", "l02", "uts", "--hostname", "sandbox"]);
    // Asked to predict the unshare, answered after it: wrong, and late.
    let late = stdout(&sb, &["answer", "02", "2", "the box's new one"]);
    assert!(late.starts_with("Not right.") && late.contains("late"), "{late}");
    let check = json(&sb, &["check"]);
    assert_eq!((check["passed"].as_bool(), check["done"].as_bool()), (Some(true), Some(false)), "{check}");
    assert_eq!(check["unanswered"], serde_json::json!([3]));
    assert!(stdout(&sb, &["check"]).contains("glassbox lesson answer 02-uts 3"));
    // The third asks for a value the learner finds out: the box's UTS inode.
    let inode =
        sb.inspect("l02")["namespaces"].as_array().unwrap().iter().find(|n| n["kind"] == "uts").unwrap()["inode"]
            .to_string();
    assert!(stdout(&sb, &["answer", "02", "3", &inode]).starts_with("Right."));
    let check = json(&sb, &["check"]);
    assert_eq!(check["done"], true, "{check}");
    let status = stdout(&sb, &["status"]);
    assert!(status.contains("questions: 2/3 right, 1 answered late"), "{status}");
    let progress: Value =
        serde_json::from_slice(&std::fs::read(sb.root.join("lessons/progress.json")).unwrap()).unwrap();
    let answers = &progress["lessons"]["02-uts"]["answers"];
    assert_eq!((answers["1"]["given"].as_str(), answers["1"]["right"].as_bool()), (Some("b"), Some(true)));
    assert_eq!((answers["1"]["late"].as_bool(), answers["2"]["late"].as_bool()), (Some(false), Some(true)));
}

#[test]
fn a_failed_check_shows_the_next_hint_of_that_check_and_hint_follows_it() {
    let sb = Sandbox::new("l23-hints");
    started(&sb, "02");
    let first = text(&lesson(&sb, false, &["check"]).stdout);
    assert!(first.contains("Hint for \"box l02 has its own UTS namespace\" (1 of 2)"), "{first}");
    // The namespace without the name: now the hostname check fails first.
    sb.ok(&["unshare", "l02", "uts"]);
    let second = text(&lesson(&sb, false, &["check"]).stdout);
    assert!(second.contains("Hint for \"inside the box, hostname prints sandbox\" (1 of 2)"), "{second}");
    assert_eq!(json(&sb, &["list"])[1]["hints_asked"], 0, "hints a check shows are not asked for");
    let asked = stdout(&sb, &["hint"]);
    assert!(asked.contains("hostname prints sandbox\" (2 of 2)") && asked.contains("--hostname"), "{asked}");
    // That check has no hint left: the lesson's own follow.
    assert!(stdout(&sb, &["hint"]).contains("Hint 1 of 3"));
    assert_eq!(json(&sb, &["list"])[1]["hints_asked"], 2);
}

#[test]
fn show_prints_the_theory_the_chapter_and_the_web_page() {
    let sb = Sandbox::new("l23-show");
    let shown = stdout(&sb, &["show", "02"]);
    assert!(shown.contains("The **UTS namespace** holds two strings"), "{shown}");
    assert!(!shown.contains("## Try it") && !shown.contains("glassbox lesson check"), "{shown}");
    assert!(shown.contains("book/src/stages/02-uts.md"), "{shown}");
    let web = json(&sb, &["status", "02"])["web"].as_str().unwrap().to_string();
    assert!(shown.contains(&format!("{web}/box/l02")), "{shown}");
    let out = lesson(&sb, false, &["show"]);
    assert_eq!(out.status.code(), Some(2), "no current lesson: {}", text(&out.stderr));
}

#[test]
fn the_glossary_answers_in_english_and_korean() {
    let sb = Sandbox::new("l23-glossary");
    let uts = stdout(&sb, &["glossary", "uts namespace"]);
    assert!(uts.contains("UTS namespace · UTS 네임스페이스") && uts.contains("sethostname"), "{uts}");
    let all = json(&sb, &["glossary"]);
    assert!(all.as_array().unwrap().len() >= 3, "{all}");
    let ko = json(&sb, &["glossary", "호스트"]);
    assert_eq!(ko[0]["en"], "hostname", "{ko}");
    let out = lesson(&sb, false, &["glossary", "no-such-term"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("glassbox lesson glossary"), "{}", text(&out.stderr));
}

/// `sudo glassbox lesson ARGS` as user NAME, without --root: the root is
/// the user's own under `users`.
fn as_user(users: &Path, name: &str, args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.env_remove("GLASSBOX_ROOT").env_remove("GLASSBOX_LESSONS_DIR").env_remove("GLASSBOX_ASSUME_MISSING");
    c.env("GLASSBOX_USERS_DIR", users).env("SUDO_USER", name).stdin(std::process::Stdio::null());
    c.arg("lesson").args(args).output().unwrap()
}

#[test]
fn two_students_have_their_own_roots_and_the_instructor_sees_both() {
    // Each student's root is a sandbox's, so each is reset and checked on drop.
    let (a, b) = (Sandbox::new("l23-alice"), Sandbox::new("l23-bob"));
    let users = a.root.parent().unwrap().join("users");
    std::fs::create_dir_all(&users).unwrap();
    std::os::unix::fs::symlink(&a.root, users.join("alice")).unwrap();
    std::os::unix::fs::symlink(&b.root, users.join("bob")).unwrap();
    for name in ["alice", "bob"] {
        let out = as_user(&users, name, &["start", "02"]);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
    }
    assert!(as_user(&users, "alice", &["answer", "02", "1", "b"]).status.success());
    assert!(a.ok(&["ls"]).contains("l02") && b.ok(&["ls"]).contains("l02"), "each student's box is in their root");
    let web = |who: &str| {
        let mut c = Command::new(BIN);
        c.env("GLASSBOX_USERS_DIR", &users).env("SUDO_USER", who).env_remove("GLASSBOX_ROOT");
        let v: Value =
            serde_json::from_slice(&c.args(["--json", "lesson", "status"]).output().unwrap().stdout).unwrap();
        v["web"].as_str().unwrap().to_string()
    };
    assert_ne!(web("alice"), web("bob"), "two students, two web ports");

    let out = as_user(&users, "alice", &["progress", "--all-users"]);
    let table = text(&out.stdout);
    assert!(table.contains("alice") && table.contains("bob") && table.contains("02-uts"), "{table}");
    let mut c = Command::new(BIN);
    c.env("GLASSBOX_USERS_DIR", &users).env_remove("SUDO_USER").env_remove("GLASSBOX_ROOT");
    let all: Value =
        serde_json::from_slice(&c.args(["--json", "lesson", "progress", "--all-users"]).output().unwrap().stdout)
            .unwrap();
    let rows = all.as_array().unwrap();
    assert_eq!(rows.iter().map(|r| r["user"].as_str().unwrap()).collect::<Vec<_>>(), ["alice", "bob"], "{all}");
    assert_eq!((rows[0]["questions_answered"].as_u64(), rows[1]["questions_answered"].as_u64()), (Some(1), Some(0)));
    assert_eq!(rows[1]["progress"]["current"], "02-uts");

    // One student's progress as a file to collect; never overwritten by chance.
    let file = a.root.parent().unwrap().join("alice.json");
    let file_arg = file.to_str().unwrap();
    assert!(as_user(&users, "alice", &["progress", "--export", file_arg]).status.success());
    let exported: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(exported["student"]["user"], "alice");
    assert_eq!(exported["student"]["progress"]["lessons"]["02-uts"]["answers"]["1"]["right"], true);
    let out = as_user(&users, "bob", &["progress", "--export", file_arg]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(serde_json::from_slice::<Value>(&std::fs::read(&file).unwrap()).unwrap(), exported, "unchanged");
    assert!(as_user(&users, "bob", &["progress", "--export", file_arg, "--force"]).status.success());
    let bobs: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(bobs["student"]["user"], "bob");
}

#[test]
fn an_image_check_reads_image_inspect() {
    let sb = Sandbox::new("l23-image");
    let dir = sb.root.parent().unwrap().join("lessons");
    std::fs::create_dir_all(dir.join("01-image/wrong")).unwrap();
    let toml = "id = \"01-image\"\ntitle = \"t\"\nneeds = [\"root\", \"busybox\"]\nboxes = [\"li\"]\n\
                images = [\"l23img\"]\nstart = [[\"create\", \"li\"]]\nhints = [\"a\", \"b\"]\n\
                [[check]]\nwhat = \"image l23img has one layer\"\nimage = \"l23img\"\npath = \"layers\"\n\
                count_equals = 1\nhints = [\"glassbox image busybox --name l23img\"]\n";
    std::fs::write(dir.join("01-image/lesson.toml"), toml).unwrap();
    let check = || {
        let mut c = sb.cmd();
        c.env("GLASSBOX_LESSONS_DIR", &dir).env_remove("GLASSBOX_ASSUME_MISSING");
        let out = c.args(["--json", "lesson", "check"]).output().unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let mut c = sb.cmd();
    c.env("GLASSBOX_LESSONS_DIR", &dir).args(["lesson", "start", "01"]);
    assert!(c.output().unwrap().status.success());
    let before = check();
    assert_eq!(before["checks"][0]["result"], "failed", "{before}");
    assert!(before["checks"][0]["actual"].as_str().unwrap().contains("no image l23img"), "{before}");
    assert_eq!(before["hint_for"], "image l23img has one layer");
    sb.ok(&["image", "busybox", "--name", "l23img"]);
    let after = check();
    assert_eq!(after["passed"], true, "{after}");
}
