//! run and exec: stdio, exit codes, detach, errors.

use crate::harness::Sandbox;
use std::io::Write;
use std::process::Stdio;

#[test]
fn stdin_stdout_and_exit_code_pass_through() {
    let sb = Sandbox::new("stdio");
    let name = sb.name("io");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts", "pid"]);
    for cmd in ["run", "exec"] {
        let mut child = sb
            .cmd()
            .args([cmd, &name, "--", "sh", "-c", "read x; echo got $x; echo err >&2; exit 7"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(b"hello\n").unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(7), "{cmd}");
        assert_eq!(crate::harness::text(&out.stdout), "got hello\n");
        assert_eq!(crate::harness::text(&out.stderr), "err\n");
    }
}

#[test]
fn a_missing_command_says_not_found_and_leaves_the_box_consistent() {
    let sb = Sandbox::new("notfound");
    let name = sb.name("nf");
    sb.ok(&["create", &name]);
    let err = sb.fails(127, &["run", &name, "--", "/x"]);
    assert!(err.contains("exec: /x: not found"), "{err}");
    sb.ok(&["unshare", &name, "pid", "mnt"]);
    let err = sb.fails(127, &["exec", &name, "--", "/x"]);
    assert!(err.contains("exec: /x: not found"), "{err}");
    assert_eq!(sb.ok(&["exec", &name, "--", "echo", "still fine"]).trim(), "still fine");
}

#[test]
fn exec_needs_something_running() {
    let sb = Sandbox::new("execneed");
    let name = sb.name("idle");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts"]);
    let err = sb.fails(2, &["exec", &name, "--", "true"]);
    assert!(err.contains("nothing running") && err.contains(&format!("glassbox run {name} -d")), "{err}");
    sb.ok(&["run", &name, "-d", "--", "sleep", "30"]);
    assert_eq!(sb.inspect(&name)["state"], "running");
    assert_eq!(sb.ok(&["exec", &name, "--", "hostname"]).trim(), name);
    sb.ok(&["stop", &name]);
    assert_eq!(sb.inspect(&name)["state"], "created");
}

#[test]
fn only_stdio_reaches_a_process_in_the_box() {
    let sb = Sandbox::new("fds");
    let name = sb.name("fds");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid", "mnt", "uts"]);
    for cmd in ["run", "exec"] {
        let fds = sb.ok(&[cmd, &name, "--", "sh", "-c", "ls /proc/self/fd"]);
        let mut v: Vec<&str> = fds.split_whitespace().collect();
        v.sort();
        // 0, 1, 2, and the descriptor ls itself opened to read the folder.
        assert_eq!(v, ["0", "1", "2", "3"], "{cmd}: {fds}");
    }
}

#[test]
fn run_and_exec_on_a_removed_box_are_rejected() {
    let sb = Sandbox::new("removed");
    let name = sb.name("gone");
    sb.ok(&["create", &name]);
    sb.ok(&["rm", &name]);
    for cmd in ["run", "exec"] {
        let err = sb.fails(2, &[cmd, &name, "--", "true"]);
        assert!(err.contains("no box named") && err.contains("glassbox create"), "{err}");
    }
}

#[test]
fn signals_reach_the_command() {
    let sb = Sandbox::new("signal");
    let name = sb.name("sig");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid"]);
    let child = sb.cmd().args(["run", &name, "--", "sleep", "30"]).spawn().unwrap();
    // Signal only once the command runs in the box.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !sb.ok(&["ps", &name]).contains("sleep 30") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    unsafe { kill(child.id() as i32, 15) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(128 + 15), "SIGTERM is forwarded and the exit code says so");
}

unsafe extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
}

#[test]
fn tty_gives_the_command_a_terminal() {
    let sb = Sandbox::new("tty");
    let name = sb.name("tty");
    sb.ok(&["create", &name]);
    let script = "test -t 0 && test -t 1 && echo has-a-terminal; exit 5";
    let out = sb.run(&["run", "-t", &name, "--", "sh", "-c", script]);
    assert_eq!(out.status.code(), Some(5));
    assert!(crate::harness::text(&out.stdout).contains("has-a-terminal"));
    sb.ok(&["unshare", &name, "pid", "mnt"]);
    for cmd in ["run", "exec"] {
        let out = sb.run(&[cmd, "-it", &name, "--", "sh", "-c", "ps -o tty= -p $$; test -t 0 && echo has-a-terminal"]);
        let text = crate::harness::text(&out.stdout);
        assert!(out.status.success() && text.contains("has-a-terminal") && text.contains("pts/"), "{cmd}: {text}");
    }
}

#[test]
fn commands_are_found_on_the_box_path_including_sbin() {
    // The box init has an empty environment; the command's PATH is the box's.
    let sb = Sandbox::new("sbin-path");
    let name = sb.name("p");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid", "mnt"]);
    let which = sb.ok(&["run", &name, "--", "sh", "-c", "command -v ip || command -v sysctl"]);
    assert!(which.trim().starts_with("/usr/sbin/") || which.trim().starts_with("/sbin/"), "{which}");
    let prog = which.trim().rsplit('/').next().unwrap().to_string();
    let out = sb.run(&["exec", &name, "--", &prog, "-V"]);
    assert_ne!(out.status.code(), Some(127), "{prog} from /sbin not found: {}", crate::harness::text(&out.stderr));
}

#[test]
fn a_main_process_from_before_the_pid_namespace_stays_in_ps() {
    let sb = Sandbox::new("main-before-pid");
    let name = sb.name("p");
    sb.ok(&["create", &name]);
    sb.ok(&["run", "-d", &name, "--", "sleep", "1000"]);
    sb.ok(&["unshare", &name, "pid"]);
    let m = sb.inspect(&name);
    let main = m["processes"].as_array().unwrap().iter().find(|p| p["role"] == "main").expect("main still listed");
    assert_eq!(main["pid_inside"], 0, "outside the box's PID namespace");
    assert!(main["differs_in"].as_array().unwrap().iter().any(|k| k == "pid"));
}

#[test]
fn stop_and_rm_end_every_process_in_the_boxs_namespaces() {
    // Where no init takes them along (no PID namespace, or started before
    // it), a detached main, an `exec -d` beside it and a command in a time
    // namespace (whose recorded main is the parent that forked it) all end.
    let sb = Sandbox::new("allprocs");
    let sleep = |i: u32| format!("{}.{i}", 100_000 + std::process::id() % 100_000);
    let box_with = |kinds: &[&str]| sb.box_after("unshare", kinds);
    let start = |name: &str, verb: &str, i: u32| sb.ok(&[verb, "-d", name, "--", "sleep", &sleep(i)]);
    let running = |i: u32| !crate::harness::processes_mentioning(&format!("sleep {}", sleep(i))).is_empty();

    let a = box_with(&["uts"]);
    start(&a, "run", 1);
    start(&a, "exec", 2);
    let b = box_with(&["time"]);
    start(&b, "run", 3);
    let c = box_with(&["uts"]);
    start(&c, "run", 4);
    start(&c, "exec", 5);
    sb.ok(&["unshare", &c, "pid"]);
    assert!((1..=5).all(running), "every command started");

    sb.ok(&["rm", "--force", &a]);
    assert!(!running(1) && !running(2), "rm ended the main process and the exec beside it");
    sb.ok(&["stop", &b]);
    assert!(!running(3), "stop ended the command itself, not only its parent");
    sb.ok(&["rm", "--force", &c]);
    assert!(!running(4) && !running(5), "what ran before the PID namespace ended with the box");
}
