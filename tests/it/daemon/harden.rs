//! Docker's hardening through the daemon: every container gets glassbox's
//! `caps`, `seccomp`, `devices` and `mask` steps with Docker's defaults,
//! changed by --cap-add, --cap-drop, --security-opt and --read-only. The
//! kernel's own view of the command (/proc/PID/status) is the oracle.

use super::fixture::Daemon;
use crate::harness::{Sandbox, text};

/// CapEff, Seccomp and NoNewPrivs of a process, as the kernel reports them.
fn confinement(pid: i32) -> (String, String, String) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default()
    };
    (field("CapEff:"), field("Seccomp:"), field("NoNewPrivs:"))
}

#[test]
fn a_container_gets_docker_s_hardening_unless_the_request_changes_it() {
    let sb = Sandbox::new("dk-harden");
    let d = Daemon::start(&sb);
    d.docker_ok(&["run", "-d", "--name", "def", "busybox", "sleep", "60"]);
    assert_eq!(
        confinement(d.main_pid("def")),
        ("00000000a80425fb".into(), "2".into(), "1".into()),
        "Docker's fourteen capabilities, its seccomp filter, and no_new_privs (glassbox's init loads the filter after capset)"
    );
    let out = d.docker(&["exec", "def", "sh", "-c", "echo 1 > /proc/sys/kernel/core_pattern"]);
    assert_ne!(out.status.code(), Some(0), "mask made /proc/sys read-only");
    let history = sb.ok(&["history", "def"]);
    for step in ["caps def --docker-default", "seccomp def default", "devices def --docker-default", "mask def"] {
        assert!(history.contains(&format!("glassbox {step}")), "{step} is a recorded step:\n{history}");
    }

    // Fewer capabilities, no filter, a read-only root: nothing needs nnp.
    d.docker_ok(&[
        "run",
        "-d",
        "--name",
        "bare",
        "--cap-drop",
        "ALL",
        "--cap-add",
        "NET_BIND_SERVICE",
        "--security-opt",
        "seccomp=unconfined",
        "--read-only",
        "-v",
        "scratch:/scratch",
        "busybox",
        "sleep",
        "60",
    ]);
    assert_eq!(confinement(d.main_pid("bare")), ("0000000000000400".into(), "0".into(), "0".into()));
    let out = d.docker(&["exec", "bare", "touch", "/new"]);
    assert!(text(&out.stderr).contains("Read-only file system"), "--read-only: {}", text(&out.stderr));
    d.docker_ok(&["exec", "bare", "touch", "/scratch/new"]);
    assert!(sb.ok(&["history", "bare"]).contains("glassbox mask bare --read-only /"));

    // A profile of the learner's own (the CLI sends the file's JSON), and nnp asked for.
    let profile = sb.victim.parent().unwrap().join("no-mkdir.json");
    std::fs::write(
        &profile,
        r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}"#,
    )
    .unwrap();
    let seccomp = format!("seccomp={}", profile.display());
    let opts = ["--security-opt", &seccomp, "--security-opt", "no-new-privileges", "--cap-add", "SYS_ADMIN"];
    let out = d.docker(
        &[&["run", "--rm"][..], &opts, &["busybox", "sh", "-c", "grep NoNew /proc/self/status; mkdir /d"]].concat(),
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("NoNewPrivs:\t1"), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("Operation not permitted"), "the profile denies mkdir: {}", text(&out.stderr));

    let out = d.docker(&["run", "--rm", "--security-opt", "apparmor=unconfined", "busybox", "true"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(text(&out.stderr).contains("glassbox has no step for --security-opt apparmor"), "{}", text(&out.stderr));
    d.docker_ok(&["rm", "-f", "def", "bare"]);
}
