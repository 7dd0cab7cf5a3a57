//! Issue 23, "bugs to fix first" and "checks that pass a wrong approach":
//! the real, built-in lessons, tried as a student would, in the sandbox's
//! own root (so its ports and boxes are never a learner's).

use crate::harness::{Sandbox, text};
use serde_json::Value;
use std::process::Output;

/// `glassbox --root R [--json] lesson ARGS` with the built-in lessons.
pub fn lesson(sb: &Sandbox, json: bool, args: &[&str]) -> Output {
    let mut c = sb.cmd();
    c.env_remove("GLASSBOX_LESSONS_DIR").env_remove("GLASSBOX_ASSUME_MISSING");
    if json {
        c.arg("--json");
    }
    c.arg("lesson").args(args).output().expect("glassbox runs")
}

pub fn started(sb: &Sandbox, id: &str) -> String {
    let out = lesson(sb, false, &["start", id]);
    assert!(out.status.success(), "lesson start {id}: {}\n{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// `lesson check --json`: the result of the check whose text starts so.
pub fn check_result(sb: &Sandbox, what: &str) -> Value {
    let out = lesson(sb, true, &["check"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)));
    let checks = v["checks"].as_array().expect("checks");
    checks.iter().find(|c| c["what"].as_str().is_some_and(|w| w.starts_with(what))).cloned().unwrap_or_else(|| {
        panic!("no check {what:?} in {v}");
    })
}

fn status(sb: &Sandbox) -> Value {
    serde_json::from_slice(&lesson(sb, true, &["status"]).stdout).expect("status --json")
}

#[test]
fn a_second_lesson_check_does_not_pass_on_the_oom_kill_the_first_one_caused() {
    let sb = Sandbox::new("l23-oom-twice");
    started(&sb, "09");
    sb.ok(&["limit", "l09", "--memory", "32M"]);
    let oom = "the kernel OOM-killed";
    for round in 1..=3 {
        let r = check_result(&sb, oom);
        assert_eq!(r["result"], "failed", "check {round}: the check's own dd counted as the learner's: {r}");
    }
    assert!(sb.inspect("l09")["cgroup"]["usage"]["oom_kills"].as_u64().unwrap() >= 1, "the probes were killed");
    // The learner's own process, killed: now it passes.
    assert_eq!(
        sb.run(&["run", "l09", "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"]).status.code(),
        Some(137)
    );
    assert_eq!(check_result(&sb, oom)["result"], "passed");
}

#[test]
fn a_second_lesson_check_does_not_pass_on_the_throttling_the_first_one_caused() {
    let sb = Sandbox::new("l23-throttle-twice");
    started(&sb, "10");
    sb.ok(&["limit", "l10", "--cpus", "0.1", "--pids", "20"]);
    let throttled = "box l10 was throttled";
    for round in 1..=3 {
        let r = check_result(&sb, throttled);
        assert_eq!(r["result"], "failed", "check {round}: the check's 50 processes counted as the learner's: {r}");
    }
}

#[test]
fn a_probe_that_must_fail_does_not_pass_on_a_stopped_box() {
    let sb = Sandbox::new("l23-stopped");
    started(&sb, "10");
    sb.ok(&["limit", "l10", "--cpus", "0.5", "--pids", "20"]);
    sb.ok(&["stop", "l10"]);
    let r = check_result(&sb, "inside the box, starting 50 processes");
    assert_eq!(r["result"], "failed", "{r}");
    assert!(r["actual"].as_str().unwrap().contains("stopped"), "{r}");
}

#[test]
fn lesson_14_fails_when_the_cgroup_namespace_comes_before_the_limits() {
    let sb = Sandbox::new("l23-order");
    started(&sb, "14");
    sb.ok(&["unshare", "l14", "mnt", "uts", "ipc", "net", "pid", "cgroup", "--hostname", "web"]);
    sb.ok(&["limit", "l14", "--memory", "64M", "--cpus", "0.5", "--pids", "64"]);
    let order = check_result(&sb, "the limits came first");
    assert_eq!(order["result"], "failed", "{order}");
    let seen = check_result(&sb, "inside the box, /proc/self/cgroup shows /");
    assert_eq!(seen["result"], "failed", "{seen}");
    // The namespace's root is where the init was when it was made: the
    // box's own cgroup is then below it (`/glassbox-…/l14`, where glassbox
    // runs in the root cgroup, as in the cgroup v2 VM) or beside it
    // (`/../…/l14`), never the namespace's `/`.
    let actual = seen["actual"].as_str().unwrap();
    assert!(actual.contains("l14") && actual.trim() != "/", "the box sees its own cgroup away from its root: {seen}");
}

/// The ports a lesson's text names: what `lesson status` says is yours.
fn port_of(sb: &Sandbox) -> u16 {
    status(sb)["port"].as_u64().expect("status names the port") as u16
}

#[test]
fn two_lesson_roots_get_their_own_ports_and_pass_side_by_side() {
    let (a, b) = (Sandbox::new("l23-student-a"), Sandbox::new("l23-student-b"));
    let shown_a = started(&a, "06");
    started(&b, "06");
    let (pa, pb) = (port_of(&a), port_of(&b));
    assert_ne!(pa, pb, "two roots, two ports");
    assert!(shown_a.contains(&format!("Your port for this lesson: {pa}")), "{shown_a}");
    // (Not "never 28606": a port derived from a random temp root may hit an
    // old fixed port by chance, 1 in the range's size; two roots, two ports
    // is what shows nothing is fixed.)
    // Both learners at the same time, each with the lesson's solution.
    let solution = text(&lesson(&a, false, &["solution", "06"]).stdout);
    let spawn = |sb: &Sandbox, port: u16| {
        let mut c = std::process::Command::new("bash");
        c.args(["-euc", &solution]).env("GLASSBOX_ROOT", &sb.root).env("BOX", "l06a").env("PORT", port.to_string());
        let bin = std::path::Path::new(crate::harness::BIN).parent().unwrap().display().to_string();
        c.env("PATH", format!("{bin}:{}", std::env::var("PATH").unwrap_or_default()));
        c.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        c.spawn().unwrap()
    };
    let (ca, cb) = (spawn(&a, pa), spawn(&b, pb));
    let (ra, rb) = (ca.wait_with_output().unwrap(), cb.wait_with_output().unwrap());
    for (sb, r) in [(&a, ra), (&b, rb)] {
        assert!(r.status.success(), "solution: {}\n{}", text(&r.stdout), text(&r.stderr));
        let out = lesson(sb, false, &["check"]);
        assert!(out.status.success(), "both pass: {}", text(&out.stdout));
    }
}

#[test]
fn serve_on_a_root_of_its_own_does_not_take_the_default_port() {
    use std::io::BufRead;
    let sb = Sandbox::new("l23-serve-port");
    started(&sb, "02");
    let web = status(&sb)["web"].as_str().unwrap().to_string();
    assert!(!web.ends_with(":7878"), "{web}");
    let mut child =
        sb.cmd().arg("serve").stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
    assert!(line.contains(&format!("{web}/")), "serve listens where the lesson says: {line:?} vs {web}");
}

#[test]
fn no_lesson_hard_codes_a_host_port() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let mut found = vec![];
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let t = std::fs::read_to_string(&p).unwrap_or_default();
            for (n, line) in t.lines().enumerate() {
                // 127.0.0.1:DIGITS or `publish BOX DIGITS:`: a port every learner would share.
                let fixed = line.split("127.0.0.1:").skip(1).any(|r| r.starts_with(|c: char| c.is_ascii_digit()))
                    || line.split("publish ").skip(1).any(|r| {
                        r.split_whitespace().nth(1).is_some_and(|p| p.starts_with(|c: char| c.is_ascii_digit()))
                    });
                if fixed {
                    found.push(format!("{}:{}: {line}", p.display(), n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "fixed host ports:\n{}", found.join("\n"));
}

/// The lessons whose wrong approaches issue 23 lists: each wrong/*.sh must
/// fail a check (dev-check says which does not), and the solution pass.
#[test]
fn the_wrong_approaches_of_lessons_06_08_09_10_12_13_14_each_fail_a_check() {
    let sb = Sandbox::new("l23-wrong");
    for id in ["06", "08", "09", "10", "12", "13", "14"] {
        let out = lesson(&sb, false, &["dev-check", "--only", id]);
        assert!(out.status.success(), "lesson {id}:\n{}\n{}", text(&out.stdout), text(&out.stderr));
    }
}
