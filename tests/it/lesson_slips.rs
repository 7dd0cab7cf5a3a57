//! Issue 23: every "what to do next" of the common errors works when
//! followed, and what `inspect`, `ps`, `limit`, `rootfs`, `layer add` and
//! the lesson verbs say is true.

use crate::harness::{Sandbox, text};
use crate::lesson_bugs::{check_result, lesson, started};
use std::path::PathBuf;

/// The commands an error suggests: from its first `glassbox ` up to a `)`,
/// `, then`, ` or ` or the end, split at ` && `, without `glassbox`.
fn suggested(err: &str) -> Vec<Vec<String>> {
    let from = err.find("glassbox ").unwrap_or_else(|| panic!("no command suggested in {err:?}"));
    let rest = &err[from..];
    let end = [")", ", then", " or ", "\n"].iter().filter_map(|s| rest.find(s)).min().unwrap_or(rest.len());
    rest[..end].split(" && ").map(|c| c.split_whitespace().skip(1).map(String::from).collect()).collect()
}

/// Runs `failing` (it must fail with `code`), every command its error
/// suggests (each must work), then `goal` (it must work now).
fn follow(sb: &Sandbox, failing: &[&str], code: i32, goal: &[&str]) {
    let err = sb.fails(code, failing);
    for cmd in suggested(&err) {
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        let out = sb.run(&args);
        assert!(out.status.success(), "{failing:?} said {err:?}; following it, {args:?} failed: {}", text(&out.stderr));
    }
    let out = sb.run(goal);
    assert!(out.status.success(), "after following {err:?}, {goal:?} still fails: {}", text(&out.stderr));
}

#[test]
fn every_suggested_command_of_the_common_errors_works_when_followed() {
    let sb = Sandbox::new("l23-follow");
    sb.ok(&["image", "busybox"]);
    let layer = sb.root.parent().unwrap().join("layer");
    std::fs::create_dir_all(layer.join("app")).unwrap();
    std::fs::write(layer.join("app/hi"), "hi\n").unwrap();
    let layer = layer.to_str().unwrap();

    let fresh = |sb: &Sandbox| {
        let n = sb.name("fresh");
        sb.ok(&["create", &n]);
        n
    };
    let b = fresh(&sb);
    follow(&sb, &["rootfs", &b, "busybox"], 2, &["rootfs", &b, "busybox"]);
    follow(&sb, &["rootfs", &b, "busybox"], 2, &["unshare", &b, "mnt"]);
    // A layer after rootfs, on a box whose init holds its PID namespace.
    let i = sb.box_after("unshare", &["mnt", "pid"]);
    sb.ok(&["rootfs", &i, "busybox"]);
    follow(&sb, &["layer", "add", &i, layer], 2, &["layer", "add", &i, layer]);
    // On a box whose main process runs on the stack: stop it, then add.
    let m = sb.box_after("unshare", &["mnt"]);
    sb.ok(&["rootfs", &m, "busybox"]);
    sb.ok(&["run", "-d", &m, "--", "sleep", "1000"]);
    follow(&sb, &["layer", "add", &m, layer], 2, &["layer", "add", &m, layer]);
    assert_eq!(sb.ok(&["run", &m, "--", "cat", "/app/hi"]).trim(), "hi", "the layer is in the stack");

    let n = fresh(&sb);
    follow(&sb, &["net", &n], 2, &["net", &n]);
    let p = sb.box_after("unshare", &["net"]);
    follow(&sb, &["publish", &p, "20999:80"], 2, &["publish", &p, "20999:80"]);
    let q = fresh(&sb);
    follow(&sb, &["publish", &q, "20998:80"], 2, &["publish", &q, "20998:80"]);

    let e = fresh(&sb);
    follow(&sb, &["exec", &e, "--", "true"], 2, &["exec", &e, "--", "true"]);
    follow(&sb, &["stats", &e, "--count", "1"], 2, &["stats", &e, "--count", "1"]);
    let r = sb.box_after("unshare", &["pid"]);
    follow(&sb, &["rm", &r], 2, &["ls"]);
    let s = sb.box_after("unshare", &["pid"]);
    sb.ok(&["stop", &s]);
    follow(&sb, &["unshare", &s, "uts"], 2, &["create", &s]);
    let t = sb.box_after("unshare", &["pid", "time", "--boottime-offset", "1d"]);
    follow(&sb, &["unshare", &t, "time", "--monotonic-offset", "2d"], 2, &["inspect", &t]);
    assert_eq!(sb.inspect(&t)["time_offsets"][0], 172800, "the advice made the box with the offsets asked");

    let out = lesson(&sb, false, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    let id = err.split("glassbox lesson start ").nth(1).and_then(|r| r.split('`').next()).expect("it names a lesson");
    started(&sb, id);
    assert_eq!(lesson(&sb, false, &["check"]).status.code(), Some(1), "a started lesson is checked");
}

#[test]
fn inspect_shows_the_cgroup_its_limits_and_its_oom_kills() {
    let sb = Sandbox::new("l23-inspect-cgroup");
    let b = sb.box_after("unshare", &["pid", "mnt"]);
    let limited = sb.ok(&["limit", &b, "--memory", "32M"]);
    assert!(limited.contains("swap none") && !limited.contains("swap not set"), "{limited}");
    assert_eq!(
        sb.run(&["run", &b, "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"]).status.code(),
        Some(137)
    );
    let shown = sb.ok(&["inspect", &b]);
    assert!(shown.contains("\ncgroup v"), "a cgroup section: {shown}");
    assert!(shown.contains("limits: memory 32.0 MiB, swap none"), "{shown}");
    assert!(shown.contains("OOM kills 1"), "{shown}");
}

#[test]
fn after_stop_neither_inspect_nor_ps_shows_the_dead_init() {
    let sb = Sandbox::new("l23-stop");
    let b = sb.box_after("unshare", &["pid"]);
    let init = sb.init_pid(&b);
    sb.ok(&["stop", &b]);
    let ps = sb.ok(&["ps", &b]);
    assert!(!ps.contains(&init.to_string()), "ps lists the dead init {init}: {ps}");
    let held = sb.inspect(&b)["namespaces"].as_array().unwrap().iter().find(|n| n["kind"] == "pid").unwrap()["held_by"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(held.starts_with("nothing"), "{held}");
}

#[test]
fn layer_add_rootfs_and_inspect_path_name_their_layers_truly() {
    let sb = Sandbox::new("l23-layers");
    sb.ok(&["image", "busybox"]);
    let b = sb.box_after("unshare", &["mnt", "pid"]);
    let missing = sb.fails(2, &["layer", "add", &b, "/nonexistent/layer"]);
    assert!(missing.contains("no folder, tar file or image"), "{missing}");
    let dir = sb.root.parent().unwrap().join("l");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("x"), "x").unwrap();
    sb.ok(&["layer", "add", &b, dir.to_str().unwrap()]);
    let mounted = sb.ok(&["rootfs", &b, "busybox"]);
    assert!(mounted.contains("1 read-only layer(s) of image busybox and 1 added with `layer add`"), "{mounted}");
    sb.ok(&["run", &b, "--", "sh", "-c", "echo kept > /root/note"]);
    let image = format!("img-{b}");
    sb.ok(&["commit", &b, &image]);
    let c = sb.box_after("unshare", &["mnt", "pid"]);
    sb.ok(&["rootfs", &c, &image]);
    let origin = sb.ok(&["inspect", &c, "--path", "/root/note"]);
    assert!(origin.contains("top layer") && !origin.contains("base layer"), "{origin}");
}

#[test]
fn time_offsets_once_set_say_so_and_a_negative_boot_clock_is_refused() {
    let sb = Sandbox::new("l23-time");
    let b = sb.name("t");
    sb.ok(&["create", &b]);
    let err = sb.fails(2, &["unshare", &b, "pid", "time", "--boottime-offset", "-3650d"]);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--boottime-offset") && err.contains("before zero"), "{err}");
    assert!(!sb.inspect(&b)["namespaces"].as_array().unwrap().iter().any(|n| n["isolated"] == true), "nothing made");
    sb.ok(&["unshare", &b, "pid", "time", "--boottime-offset", "1d"]);
    let again = sb.fails(2, &["unshare", &b, "time", "--boottime-offset", "2d"]);
    assert!(again.contains("fixed") && again.contains("glassbox rm --force"), "{again}");
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lessons")
}

fn fixture_lesson(sb: &Sandbox, json: bool, args: &[&str]) -> std::process::Output {
    let mut c = sb.cmd();
    c.env("GLASSBOX_LESSONS_DIR", fixtures()).env_remove("GLASSBOX_ASSUME_MISSING");
    if json {
        c.arg("--json");
    }
    c.arg("lesson").args(args).output().unwrap()
}

#[test]
fn hints_a_check_shows_by_itself_are_not_counted_as_asked_and_the_last_lesson_names_what_is_left() {
    let sb = Sandbox::new("l23-hints");
    assert!(fixture_lesson(&sb, false, &["start", "01"]).status.success());
    assert!(text(&fixture_lesson(&sb, false, &["check"]).stdout).contains("Hint 1 of 3"));
    let list = |sb: &Sandbox| -> serde_json::Value {
        serde_json::from_slice(&fixture_lesson(sb, true, &["list"]).stdout).unwrap()
    };
    assert_eq!(list(&sb)[0]["hints_asked"], 0, "the hint a check showed was not asked for");
    assert!(text(&fixture_lesson(&sb, false, &["hint"]).stdout).contains("Hint 2 of 3"));
    assert_eq!(list(&sb)[0]["hints_asked"], 1);
    // Lesson 02 passed while 01 is not: the last lesson says what is left.
    assert!(fixture_lesson(&sb, false, &["start", "02"]).status.success());
    sb.ok(&["unshare", "fy", "ipc", "net"]);
    assert!(fixture_lesson(&sb, false, &["answer", "02", "1", "no"]).status.success());
    let out = text(&fixture_lesson(&sb, false, &["check"]).stdout);
    assert!(!out.contains("Done!") && out.contains("01-fixture-uts"), "{out}");
    // Started again, a done lesson is to do again.
    assert_eq!(list(&sb)[1]["done"], true);
    assert!(fixture_lesson(&sb, false, &["start", "02"]).status.success());
    assert_eq!(list(&sb)[1]["done"], false, "made afresh, it is not done");
}

#[test]
fn a_missing_box_that_start_does_not_make_is_not_promised_by_start() {
    let sb = Sandbox::new("l23-l12b");
    let shown = started(&sb, "12");
    assert!(shown.contains("Set up: box l12 (made afresh)"), "start makes l12 only: {shown}");
    let r = check_result(&sb, "box l12b runs on the image");
    let actual = r["actual"].as_str().unwrap();
    assert!(actual.contains("there is no box l12b") && !actual.contains("makes the lesson's boxes again"), "{r}");
}

#[test]
fn lesson_07_numbers_the_explain_steps_as_glassbox_prints_them() {
    let sb = Sandbox::new("l23-explain");
    // As a learner comes to lesson 07: earlier boxes already made the
    // runtime folder (the first `unshare` of a boot adds that operation).
    sb.box_after("unshare", &["uts"]);
    let b = sb.name("l07");
    sb.ok(&["create", &b]);
    let run = sb.run(&["--explain", "unshare", &b, "user", "pid", "mnt", "--map-root-to", "100000"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let out = format!("{}{}", text(&run.stdout), text(&run.stderr));
    // Pids and inodes differ from run to run: every number reads as 0.
    let digits = |s: &str| {
        let mut out = String::new();
        for c in s.chars() {
            if !c.is_ascii_digit() {
                out.push(c);
            } else if !out.ends_with('#') {
                out.push('#');
            }
        }
        out
    };
    let numbered = |l: &str| -> Option<(String, String)> {
        let (n, rest) = l.trim_start().split_once(". [")?;
        n.parse::<u32>().ok()?;
        Some((n.to_string(), digits(rest.split_once("] ")?.1)))
    };
    let printed: Vec<(String, String)> = out.lines().filter_map(numbered).collect();
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lessons/07-user/README.md")).unwrap();
    let shown: Vec<(String, String)> = readme.lines().filter_map(numbered).collect();
    assert!(shown.len() >= 5, "{shown:?}");
    for (n, text) in &shown {
        assert!(
            printed.iter().any(|(m, t)| m == n && t.starts_with(text.trim_end_matches('…'))),
            "the README's step {n}. {text} is not what glassbox prints as {n}:\n{out}"
        );
    }
}

#[test]
fn a_port_whose_proxy_is_gone_is_not_shown_as_published_and_can_be_published_again() {
    let sb = Sandbox::new("l23-proxy");
    let b = sb.box_after("unshare", &["net", "pid"]);
    sb.ok(&["net", &b]);
    sb.ok(&["publish", &b, "20997:80"]);
    let net = |sb: &Sandbox| sb.inspect(&b)["network"].clone();
    assert_eq!(net(&sb)["published"].as_array().unwrap().len(), 1);
    let root = sb.root.display().to_string();
    for pid in crate::harness::processes_mentioning(&root) {
        if pid.contains("glassbox-proxy") {
            let n: i32 = pid.split(' ').next().unwrap().parse().unwrap();
            unsafe { libc::kill(n, libc::SIGKILL) };
        }
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !net(&sb)["published"].as_array().unwrap().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let n = net(&sb);
    assert!(n["published"].as_array().unwrap().is_empty(), "a dead proxy forwards nothing: {n}");
    assert_eq!(n["unforwarded"].as_array().unwrap().len(), 1, "{n}");
    assert!(sb.ok(&["inspect", &b]).contains("NOT forwarded"));
    sb.ok(&["publish", &b, "20997:80"]);
    let n = net(&sb);
    assert_eq!((n["published"].as_array().unwrap().len(), n["unforwarded"].as_array().unwrap().len()), (1, 0), "{n}");
}
