//! create, ls, inspect, stop, rm, reset, explain, dry-run, history.

use crate::harness::{Sandbox, mounts_containing, processes_mentioning};
use std::process::Stdio;

#[test]
fn create_ls_inspect_rm() {
    let sb = Sandbox::new("life");
    let name = sb.name("life");
    sb.ok(&["create", &name]);
    assert!(sb.ok(&["ls"]).contains(&name));
    let m = sb.inspect(&name);
    assert_eq!(m["name"], name.as_str());
    assert_eq!(m["state"], "created");
    assert_eq!(m["namespaces"].as_array().unwrap().len(), 8);
    assert!(m["namespaces"].as_array().unwrap().iter().all(|n| n["isolated"] == false));
    sb.ok(&["rm", &name]);
    assert!(!sb.ok(&["ls"]).contains(&name));
    assert!(!sb.root.join("boxes").join(&name).exists());
}

#[test]
fn namespaces_persist_across_commands_and_inspect_says_what_holds_them() {
    let sb = Sandbox::new("persist");
    let name = sb.name("keep");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts", "net"]);
    sb.ok(&["unshare", &name, "pid"]);
    let m = sb.inspect(&name);
    for ns in m["namespaces"].as_array().unwrap() {
        let kind = ns["kind"].as_str().unwrap();
        let held = ns["held_by"].as_str().unwrap_or("");
        match kind {
            "uts" | "net" => {
                assert!(held.starts_with("bind mount") && held.contains(&format!("/ns/{kind}")), "{kind}: {held}")
            }
            "pid" => assert!(held.contains("glassbox-init"), "{held}"),
            _ => assert_eq!(ns["isolated"], false),
        }
    }
    assert_eq!(m["state"], "running");
    // The init was made after uts and net, so it is in them.
    let init = m["processes"].as_array().unwrap().iter().find(|p| p["role"] == "init").unwrap();
    assert_eq!(init["differs_in"].as_array().unwrap().len(), 0);
    sb.ok(&["unshare", &name, "ipc"]);
    let m = sb.inspect(&name);
    let init = m["processes"].as_array().unwrap().iter().find(|p| p["role"] == "init").unwrap();
    assert_eq!(init["differs_in"], serde_json::json!(["ipc"]), "namespaces are per process: the init predates ipc");
    // A command run now is in all four, though the init is not in ipc.
    let (ipc_box, _) = sb.inodes(&name, "ipc");
    let seen = sb.ok(&["run", &name, "--", "stat", "-L", "-c", "%i", "/proc/self/ns/ipc"]);
    assert_eq!(seen.trim().parse::<u64>().unwrap(), ipc_box);
}

#[test]
fn stop_ends_the_init_and_exec_then_says_stopped() {
    let sb = Sandbox::new("stop");
    let name = sb.name("stop");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid"]);
    sb.ok(&["run", &name, "-d", "--", "sh", "-c", "trap '' TERM; sleep 60"]);
    sb.ok(&["stop", &name, "--timeout", "1"]);
    assert_eq!(sb.inspect(&name)["state"], "stopped");
    let err = sb.fails(2, &["exec", &name, "--", "true"]);
    assert!(err.contains("stopped") && err.contains("glassbox rm"), "{err}");
    sb.fails(2, &["run", &name, "--", "true"]);
    sb.ok(&["rm", &name]);
    assert!(processes_mentioning(&sb.root.display().to_string()).is_empty());
}

#[test]
fn rm_refuses_a_running_box_unless_forced() {
    let sb = Sandbox::new("rmrun");
    let name = sb.name("busy");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid", "uts"]);
    let err = sb.fails(2, &["rm", &name]);
    assert!(err.contains("rm --force"), "{err}");
    sb.ok(&["rm", "--force", &name]);
    assert!(mounts_containing(&sb.root.display().to_string()).iter().all(|m| !m.contains("/ns/")));
}

#[test]
fn reset_removes_every_box_and_the_runtime_mount() {
    let sb = Sandbox::new("reset");
    for i in 0..3 {
        let name = sb.name(&format!("r{i}"));
        sb.ok(&["create", &name]);
        sb.ok(&["unshare", &name, "all"]);
    }
    sb.ok(&["reset"]);
    assert_eq!(sb.ok(&["ls"]).lines().count(), 1, "only the header remains");
    let root = sb.root.display().to_string();
    assert!(mounts_containing(&root).is_empty());
    assert!(processes_mentioning(&root).is_empty());
}

#[test]
fn explain_names_the_syscalls_and_their_shell_equivalents() {
    let sb = Sandbox::new("explain");
    let name = sb.name("ex");
    sb.ok(&["create", &name]);
    let out = sb.run(&["--explain", "unshare", &name, "uts", "user"]);
    assert!(out.status.success());
    let text = crate::harness::text(&out.stderr);
    for needle in [
        "unshare(CLONE_NEWUSER)",
        "unshare(CLONE_NEWUTS)",
        "unshare --uts",
        "uid_map",
        "sethostname",
        "mount --bind /proc/",
        "MS_BIND",
    ] {
        assert!(text.contains(needle), "--explain output lacks {needle:?}:\n{text}");
    }
    let out = sb.run(&["--explain", "run", &name, "--", "true"]);
    let text = crate::harness::text(&out.stderr);
    assert!(text.contains("setns(") && text.contains("nsenter --user="), "{text}");
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let sb = Sandbox::new("dry");
    let name = sb.name("dry");
    sb.ok(&["create", &name]);
    let before = std::fs::read(sb.root.join("boxes").join(&name).join("box.json")).unwrap();
    let out = sb.ok(&["--dry-run", "unshare", &name, "all"]);
    assert!(out.contains("unshare(CLONE_NEWPID)") && out.contains("nothing was changed"), "{out}");
    assert_eq!(std::fs::read(sb.root.join("boxes").join(&name).join("box.json")).unwrap(), before);
    assert!(mounts_containing(&sb.root.display().to_string()).is_empty());
    assert!(processes_mentioning(&sb.root.display().to_string()).is_empty());
}

#[test]
fn history_lists_every_step_with_its_operations() {
    let sb = Sandbox::new("hist");
    let name = sb.name("h");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts", "--hostname", "hx"]);
    sb.ok(&["run", &name, "--", "true"]);
    let h = sb.ok(&["history", &name]);
    assert!(h.contains(&format!("step 1: glassbox create {name}")), "{h}");
    assert!(h.contains(&format!("step 2: glassbox unshare {name} uts --hostname hx")), "{h}");
    assert!(h.contains("sethostname(\"hx\")"), "{h}");
    assert!(h.contains(&format!("step 3: glassbox run {name} -- true")), "{h}");
    assert!(!h.contains("--root"), "global options are not part of a step: {h}");
}

#[test]
fn two_steps_on_one_box_at_once_never_duplicate_holds() {
    let sb = Sandbox::new("race");
    let name = sb.name("race");
    sb.ok(&["create", &name]);
    let step: &[&str] = &["unshare", &name, "uts"];
    let outs = sb.at_once(&[step, step]);
    let codes = [outs[0].status.code().unwrap(), outs[1].status.code().unwrap()];
    assert!(codes.contains(&0) && (codes.contains(&2) || codes.contains(&1)), "one wins, the other is told: {codes:?}");
    let holds = mounts_containing(&format!("{}/run/boxes/{name}/ns/uts", sb.root.display()));
    assert_eq!(holds.len(), 1, "exactly one hold: {holds:?}");
    assert_eq!(sb.inspect(&name)["steps"].as_array().unwrap().len(), 2);
}

#[test]
fn explain_into_a_closed_pipe_still_completes_the_step() {
    let sb = Sandbox::new("epipe");
    let name = sb.name("ep");
    sb.ok(&["create", &name]);
    let mut child = sb
        .cmd()
        .args(["--explain", "unshare", &name, "uts", "ipc"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert!(child.wait().unwrap().success(), "a reader that went away (| head) must not break a step half way");
    let m = sb.inspect(&name);
    let isolated: Vec<&str> = m["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["isolated"] == true)
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(isolated, ["uts", "ipc"]);
}

#[test]
fn every_spelling_of_the_root_names_the_same_root() {
    // What a step made under one spelling of --root, rm under another finds:
    // holds by their path in mountinfo, cgroups by a hash of the root's path.
    let sb = Sandbox::new("spell");
    let name = sb.name("spell");
    let base = sb.root.parent().unwrap();
    let link = base.join("link");
    std::os::unix::fs::symlink(&sb.root, &link).unwrap();
    let with = |root: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new(crate::harness::BIN)
            .current_dir(base)
            .arg("--root")
            .arg(root)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "--root {root:?} {args:?}: {}", crate::harness::text(&out.stderr));
    };
    // Should one spelling ever be a root of its own again, its reset removes
    // what it made, also when an assertion below fails.
    struct ResetEach(Vec<std::path::PathBuf>);
    impl Drop for ResetEach {
        fn drop(&mut self) {
            for root in &self.0 {
                let _ = std::process::Command::new(crate::harness::BIN).arg("--root").arg(root).arg("reset").output();
            }
        }
    }
    let _reset = ResetEach(vec![base.join("root/"), base.join("root/./gone/.."), link.clone()]);
    with(&base.join("root/"), &["create", &name]);
    with(&base.join("root/./gone/.."), &["unshare", &name, "pid", "uts"]);
    with(&link, &["limit", &name, "--pids", "20"]);
    assert!(!crate::harness::cgroups_of(&sb.root).is_empty(), "the limit made the root's cgroups");
    with(std::path::Path::new("root"), &["rm", "--force", &name]);
    let root = sb.root.display().to_string();
    assert_eq!(mounts_containing(&format!("{root}/run/boxes")), Vec::<String>::new());
    let left: Vec<_> =
        crate::harness::cgroups_of(&sb.root).iter().map(|p| p.join(&name)).filter(|p| p.exists()).collect();
    assert_eq!(left, Vec::<std::path::PathBuf>::new(), "the box's cgroups are gone");
    assert!(sb.root.join("boxes").read_dir().unwrap().next().is_none(), "the record is gone");
    assert!(processes_mentioning(&root).is_empty(), "the init is gone");
}

/// Mounts at exactly this path, with their optional fields (propagation).
fn mounts_at(path: &std::path::Path) -> Vec<String> {
    let want = path.display().to_string();
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    info.lines().filter(|l| l.split(' ').nth(4) == Some(want.as_str())).map(|l| l.to_string()).collect()
}

#[test]
fn a_runtime_mount_left_shared_by_a_crash_is_made_private() {
    // A command killed between its bind of the runtime folder and the
    // MS_PRIVATE leaves a mount that would carry every hold to its peers.
    let sb = Sandbox::new("shared");
    let runtime = sb.root.join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    let mount = |args: &[&std::ffi::OsStr]| {
        assert!(std::process::Command::new("mount").args(args).status().unwrap().success(), "mount {args:?}");
    };
    mount(&[std::ffi::OsStr::new("--bind"), runtime.as_os_str(), runtime.as_os_str()]);
    mount(&[std::ffi::OsStr::new("--make-shared"), runtime.as_os_str()]);
    assert!(mounts_at(&runtime).iter().any(|l| l.contains("shared:")), "{:?}", mounts_at(&runtime));
    let name = sb.name("shared");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts"]);
    let now = mounts_at(&runtime);
    assert_eq!(now.len(), 1, "one runtime mount: {now:?}");
    assert!(!now[0].contains("shared:") && !now[0].contains("master:"), "the runtime mount is private: {now:?}");
}

#[test]
fn the_first_steps_of_two_boxes_at_once_make_one_runtime_mount() {
    for round in 0..6 {
        let sb = Sandbox::new("firsttwo");
        let names = [sb.name("a"), sb.name("b")];
        for n in &names {
            sb.ok(&["create", n]);
        }
        for out in sb.at_once(&[&["unshare", &names[0], "uts"], &["unshare", &names[1], "uts"]]) {
            assert!(out.status.success(), "round {round}: {}", crate::harness::text(&out.stderr));
        }
        let runtime = sb.root.join("run");
        assert_eq!(mounts_at(&runtime).len(), 1, "round {round}: {:?}", mounts_at(&runtime));
        for n in &names {
            sb.ok(&["rm", "--force", n]);
        }
    }
}

/// (mount id, parent id, fstype) of the mount at exactly this point, the top one.
fn mount_at(point: &str) -> Option<(u32, u32, String)> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    info.lines()
        .filter(|l| l.split(' ').nth(4) == Some(point))
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let fstype = l.split(" - ").nth(1).and_then(|r| r.split(' ').next()).unwrap_or("").to_string();
            (f[0].parse().unwrap(), f[1].parse().unwrap(), fstype)
        })
        .next_back()
}

#[test]
fn the_holds_are_made_on_a_tmpfs_of_the_box_that_rm_unmounts_with_them() {
    let sb = Sandbox::new("holdfs");
    let (a, b) = (sb.name("a"), sb.name("b"));
    let root = sb.root.display().to_string();
    for n in [&a, &b] {
        sb.ok(&["create", n]);
        sb.ok(&["unshare", n, "uts", "ipc", "--hostname", n]);
    }
    let runtime = mount_at(&format!("{root}/run")).expect("the runtime folder is a mount");
    assert_eq!(runtime.2, "tmpfs", "the runtime folder is a tmpfs: {runtime:?}");
    let folder = |n: &str| format!("{root}/run/boxes/{n}/ns");
    for n in [&a, &b] {
        let (id, parent, fstype) = mount_at(&folder(n)).expect("the holds' folder is a mount");
        assert_eq!((fstype.as_str(), parent), ("tmpfs", runtime.0), "box {n}'s own tmpfs, on the runtime folder");
        let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
        let named = format!(" {} rw,nosuid,nodev,relatime - tmpfs glassbox-holds ", folder(n));
        assert!(info.contains(&named), "box {n}'s tmpfs is named for findmnt: {info}");
        for kind in ["uts", "ipc"] {
            let hold = mount_at(&format!("{}/{kind}", folder(n))).expect("a hold");
            assert_eq!((hold.1, hold.2.as_str()), (id, "nsfs"), "{kind} of {n} is held on that tmpfs");
        }
    }
    sb.ok(&["rm", &a]);
    assert!(mounts_containing(&format!("{root}/run/boxes/{a}/")).is_empty(), "a's holds and tmpfs are gone");
    assert!(mount_at(&format!("{root}/run/boxes/{a}/ns")).is_none());
    // The other box kept its own.
    assert_eq!(mounts_containing(&format!("{root}/run/boxes/{b}/ns")).len(), 3);
    assert_eq!(sb.ok(&["run", &b, "--", "hostname"]).trim(), b);
}
