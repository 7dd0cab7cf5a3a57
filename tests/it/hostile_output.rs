//! What glassbox prints: text a box controls, a reader that went away, the
//! host's namespaces, a CPU list past the machine, and argv of any size
//! the kernel takes (issue 22, items 6, 7, 8, 9 and 16).

use crate::harness::{Sandbox, cgroups_of, text};
use crate::web::Server;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::Stdio;

/// A file name and an argument a box chooses: a screen-clearing escape, a
/// newline that would forge a `diff` line, and a C1 control (CSI).
const EVIL_FILE: &str = "/evil\x1b[2J\nD fakeline\u{9b}31m";
const EVIL_ARG: &str = "arg\x1b]0;owned\x07\nD fakeproc";

/// A box on busybox with a mount, PID and UTS namespace.
fn busybox_box(sb: &Sandbox, tag: &str) -> String {
    sb.ok(&["image", "busybox"]);
    let name = sb.name(tag);
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt", "pid", "uts"]);
    sb.ok(&["rootfs", &name, "busybox"]);
    name
}

fn json(sb: &Sandbox, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&sb.ok(&all)).expect("--json prints JSON")
}

/// Shows nothing raw that could act on a terminal or start a line.
fn assert_inert(what: &str, out: &str) {
    assert!(!out.contains('\x1b') && !out.contains('\u{9b}') && !out.contains('\x07'), "{what} printed raw: {out:?}");
    assert!(!out.lines().any(|l| l.starts_with("D fake")), "{what} let a box forge a line:\n{out}");
}

#[test]
fn names_and_argv_a_box_chose_are_shown_escaped_and_never_forge_a_line() {
    let sb = Sandbox::new("evilnames");
    let name = busybox_box(&sb, "evil");
    sb.ok(&["run", "-d", &name, "--", "sh", "-c", "sleep 1000; true", EVIL_ARG]);
    sb.ok(&["exec", &name, "--", "sh", "-c", "touch \"$1\"", "sh", EVIL_FILE]);

    let diff = sb.ok(&["diff", &name]);
    assert_inert("diff", &diff);
    let changes = json(&sb, &["diff", &name]);
    let changes = changes.as_array().unwrap();
    assert!(changes.iter().any(|c| c["path"] == EVIL_FILE), "--json keeps the name exactly: {changes:?}");
    assert_eq!(diff.lines().count(), changes.len(), "one line per change:\n{diff}");
    assert!(diff.lines().any(|l| l == "A /evil\\e[2J\\nD fakeline\\u009b31m"), "{diff}");

    let ps = sb.ok(&["ps", &name]);
    assert_inert("ps", &ps);
    let processes = json(&sb, &["ps", &name]);
    assert_eq!(ps.lines().count(), 1 + processes.as_array().unwrap().len(), "a header and one line each:\n{ps}");
    assert!(ps.contains("sleep 1000; true arg\\e]0;owned\\x07\\nD fakeproc"), "{ps}");

    let history = sb.ok(&["history", &name]);
    assert_inert("history", &history);
    let steps = json(&sb, &["history", &name]);
    let steps = steps.as_array().unwrap();
    let ops: usize = steps.iter().map(|s| s["ops"].as_array().unwrap().len()).sum();
    assert_eq!(history.lines().count(), steps.len() + 3 * ops, "a line per step, three per operation:\n{history}");
    assert!(history.contains(r"-- sh -c 'sleep 1000; true' $'arg\e]0;owned\x07\nD fakeproc'"), "{history}");

    for args in [&["inspect", &name][..], &["ls"], &["history", &name, "--script"]] {
        assert_inert(&args.join(" "), &sb.ok(args));
    }
    // JSON is escaped too, C1 controls included (serde_json leaves those raw).
    for args in [&["diff", &name][..], &["ps", &name], &["inspect", &name], &["history", &name], &["ls"]] {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        assert_inert(&all.join(" "), &sb.ok(&all));
    }
}

#[test]
fn inspect_and_the_web_page_agree_on_the_hosts_namespaces_and_say_how_they_were_found() {
    let sb = Sandbox::new("hostref");
    let name = sb.box_after("unshare", &["uts"]);
    let m = sb.inspect(&name);
    let reference = &m["host_reference"];
    let pid1_readable = std::fs::read_link("/proc/1/ns/uts").is_ok();
    let explained = reference["explained"].as_str().unwrap();
    if pid1_readable {
        assert_eq!(reference["source"], "pid1", "{reference}");
    } else {
        // This machine's PID 1 hides its namespaces (MACHINE.md): say so.
        assert_eq!(reference["source"], "glassbox", "{reference}");
        assert!(explained.contains("/proc/1/ns/") && explained.contains("cannot be read"), "{explained}");
    }
    let reference_file = if pid1_readable { "/proc/1/ns" } else { "/proc/self/ns" };
    let host_inode = |kind: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(format!("{reference_file}/{kind}")).unwrap().ino()
    };
    for n in m["namespaces"].as_array().unwrap() {
        let kind = n["kind"].as_str().unwrap();
        assert_eq!(n["host_inode"].as_u64(), Some(host_inode(kind)), "{kind}");
    }

    let server = Server::start(&sb);
    let (status, body) = server.get(&format!("/api/boxes/{name}"));
    assert_eq!(status, 200, "{body}");
    let web_box: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(web_box["host_reference"], *reference);
    assert_eq!(web_box["namespaces"], m["namespaces"], "the page's box shows the same inodes");
    let (status, body) = server.get("/api/host");
    assert_eq!(status, 200, "{body}");
    let host: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(host["host_reference"], *reference);
    for n in m["namespaces"].as_array().unwrap() {
        let marked: Vec<&serde_json::Value> = host["namespaces"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["kind"] == n["kind"] && h["is_host"] == true)
            .collect();
        assert_eq!(marked.len(), 1, "one host namespace of kind {}: {marked:?}", n["kind"]);
        assert_eq!(marked[0]["inode"], n["host_inode"], "the host page marks inspect's host inode");
    }
    let (_, page) = server.get("/host");
    assert!(page.contains(&format!("<span id=\"host-reference\">{}", explained.replace('\'', "&#39;"))), "{page}");
}

#[test]
fn a_cpuset_past_the_machines_cpus_is_refused_in_one_line_before_anything_is_built() {
    let sb = Sandbox::new("cpusetbig");
    let name = sb.name("cpus");
    sb.ok(&["create", &name]);
    for list in ["0-99999999999", "99999999999", "0,1-18446744073709551615"] {
        let err = sb.fails(2, &["limit", &name, "--cpuset", list]);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("--cpuset") && err.contains("is not online here (online: "), "{err}");
    }
    assert!(sb.inspect(&name)["cgroup"].is_null(), "nothing was recorded");
    assert!(cgroups_of(&sb.root).is_empty(), "no cgroup was made");
}

/// A stdout whose reader has already gone: a pipe with its read end closed.
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    unsafe { libc::close(fds[0]) };
    Stdio::from(unsafe { OwnedFd::from_raw_fd(fds[1]) })
}

#[test]
fn a_command_whose_reader_went_away_finishes_and_exits_normally() {
    let sb = Sandbox::new("epipe");
    let name = busybox_box(&sb, "pipe");
    sb.ok(&["exec", &name, "--", "sh", "-c", "for i in $(seq 200); do touch /f$i; done"]);
    let made = sb.name("made");
    let commands: Vec<Vec<&str>> = vec![
        vec!["diff", &name],
        vec!["ls"],
        vec!["inspect", &name],
        vec!["history", &name],
        vec!["history", &name, "--script"],
        vec!["ps", &name],
        vec!["--json", "inspect", &name],
        vec!["--help"],
        vec!["create", &made],
    ];
    for args in commands {
        let out = sb.cmd().args(&args).stdout(closed_pipe()).stderr(Stdio::piped()).output().unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "glassbox {args:?} with a closed stdout: {:?}\n{err}", out.status);
        assert!(!err.contains("panicked") && !err.contains("internal error"), "glassbox {args:?}: {err}");
    }
    assert_eq!(sb.inspect(&made)["name"], made.as_str(), "create finished although nobody read its output");
}

#[test]
fn any_argv_the_kernel_takes_reaches_the_box_and_a_longer_one_is_refused_by_name() {
    let sb = Sandbox::new("bigargv");
    let name = busybox_box(&sb, "argv");
    sb.ok(&["run", "-d", &name, "--", "sleep", "1000"]);
    let many: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
    let mut args = vec!["exec", &name, "--", "sh", "-c", "echo $#", "sh"];
    args.extend(many.iter().map(String::as_str));
    // (Not `sb.ok`: its failure message would print all 20,000 of them.)
    let out = sb.run(&args);
    assert_eq!((out.status.code(), text(&out.stdout).trim()), (Some(0), "20000"), "{}", text(&out.stderr));
    let long = "a".repeat(100 * 1024);
    assert_eq!(sb.ok(&["exec", &name, "--", "sh", "-c", "printf %s \"$1\" | wc -c", "sh", &long]).trim(), "102400");

    // A box whose init started under `ulimit -s 1024` execs at most 256 KiB
    // of argv (ARG_MAX): more is refused up front, naming that limit.
    let small = sb.name("small");
    sb.ok(&["create", &small]);
    let mut unshare = sb.cmd();
    unshare.args(["unshare", &small, "pid"]);
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut unshare, || {
            let limit = libc::rlimit { rlim_cur: 1024 << 10, rlim_max: libc::RLIM_INFINITY };
            libc::setrlimit(libc::RLIMIT_STACK, &limit);
            Ok(())
        });
    }
    assert!(unshare.output().unwrap().status.success());
    sb.ok(&["run", "-d", &small, "--", "sleep", "1000"]);
    // No mount namespace: the box sees the host's files, so the mark goes
    // into this test's own folder.
    let mark = sb.root.parent().unwrap().join("ran");
    let script = format!("touch {}", mark.display());
    let chunk = "b".repeat(10_000);
    let mut args = vec!["exec", &small, "--", "sh", "-c", &script, "sh"];
    args.extend(std::iter::repeat_n(chunk.as_str(), 30));
    let err = sb.fails(2, &args);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("too long for execve(2)") && err.contains("at most 262144 fit"), "{err}");
    assert!(!mark.exists(), "nothing ran");
}
