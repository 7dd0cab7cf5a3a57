//! Cgroup limits on this machine's real cgroup tree (v1 here, v2 in the VM).

use crate::harness::{Sandbox, cgroups_of, processes_mentioning, text};
use std::time::{Duration, Instant};

fn usage(sb: &Sandbox, name: &str, field: &str) -> u64 {
    sb.inspect(name)["cgroup"]["usage"][field].as_u64().unwrap_or(0)
}

fn limited(sb: &Sandbox, args: &[&str]) -> String {
    sb.box_after("limit", args)
}

#[test]
fn limits_are_written_to_the_files_explain_names() {
    let sb = Sandbox::new("cglimits");
    let name = sb.name("cg");
    sb.ok(&["create", &name]);
    let out = sb.run(&["--explain", "limit", &name, "--memory", "64M", "--pids", "20", "--cpus", "0.5"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let explained = text(&out.stderr);
    let m = sb.inspect(&name);
    let v2 = m["cgroup"]["version"] == "v2";
    let files: &[(&str, &str)] = if v2 {
        &[("memory.max", "67108864"), ("pids.max", "20"), ("cpu.max", "50000 100000")]
    } else {
        &[("memory.limit_in_bytes", "67108864"), ("pids.max", "20"), ("cpu.cfs_quota_us", "50000")]
    };
    for (file, value) in files {
        assert!(
            explained.contains(file) && explained.contains(value),
            "--explain names {file} = {value}:\n{explained}"
        );
        let found = m["cgroup"]["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| std::path::Path::new(p.as_str().unwrap()).join(file))
            .find(|p| p.exists());
        let got = std::fs::read_to_string(found.unwrap_or_else(|| panic!("{file} exists"))).unwrap();
        assert_eq!(got.trim(), *value, "{file}");
    }
    assert_eq!(m["cgroup"]["limits"]["memory"], 67108864);
    // Changed later, and removed.
    sb.ok(&["limit", &name, "--memory", "max", "--pids", "40"]);
    let m = sb.inspect(&name);
    assert_eq!(m["cgroup"]["limits"]["memory"], "max");
    assert_eq!(m["cgroup"]["usage"]["pids_limit"], 40);
    assert!(m["cgroup"]["usage"]["memory_limit_bytes"].is_null(), "no memory limit any more");
}

#[test]
fn a_process_over_the_memory_limit_is_oom_killed_and_counted() {
    let sb = Sandbox::new("oom");
    let name = limited(&sb, &["--memory", "32M"]);
    let out = sb.run(&["run", &name, "--", "python3", "-c", "b = bytearray(200 * 1024 * 1024)"]);
    assert_eq!(out.status.code(), Some(137), "SIGKILL from the OOM killer: {}", text(&out.stderr));
    assert!(usage(&sb, &name, "oom_kills") >= 1, "the kernel's own counter records the kill");
    assert!(usage(&sb, &name, "memory_peak_bytes") <= 32 << 20);
}

#[test]
fn a_fork_bomb_stops_at_the_pids_limit_and_stop_cleans_up() {
    let sb = Sandbox::new("forkbomb");
    let name = limited(&sb, &["--pids", "32"]);
    sb.ok(&["unshare", &name, "pid", "mnt"]);
    let bomb = "i=0; while [ $i -lt 200 ]; do sleep 30 & i=$((i+1)); done 2>/dev/null; wait";
    sb.ok(&["run", "-d", &name, "--", "sh", "-c", bomb]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = (0, Instant::now());
    // Wait until the bomb is going and its count stops growing: it hit the wall.
    while Instant::now() < deadline {
        let now = usage(&sb, &name, "pids");
        if now != last.0 {
            last = (now, Instant::now());
        } else if now >= 20 && last.1.elapsed() > Duration::from_millis(700) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let pids = usage(&sb, &name, "pids");
    let log = std::fs::read_to_string(sb.root.join("boxes").join(&name).join("output.log")).unwrap_or_default();
    assert!(
        (28..=32).contains(&pids),
        "the bomb fills the box up to the limit of 32 and no further: {pids}\nbox: {:#}\nlog: {log}",
        sb.inspect(&name)
    );
    let started = Instant::now();
    assert!(std::process::Command::new("true").status().unwrap().success(), "the host still forks");
    assert!(started.elapsed() < Duration::from_secs(2));
    sb.ok(&["stop", &name]);
    // The killed init stays a zombie (and counted) until the host's PID 1
    // reaps it; on a systemd machine at once, on some VMs a moment later.
    let deadline = Instant::now() + Duration::from_secs(10);
    while usage(&sb, &name, "pids") > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(usage(&sb, &name, "pids"), 0, "nothing, not even a zombie, is left in the box");
    assert!(processes_mentioning(&format!("{}", sb.root.display())).is_empty());
}

#[test]
fn half_a_cpu_is_about_half_a_cpu() {
    let sb = Sandbox::new("cpuquota");
    let name = limited(&sb, &["--cpus", "0.5"]);
    // A control box with a cgroup but no CPU limit runs the same loop at the
    // same time: it shows how much CPU this machine had to give (little, when
    // the other tests, or an emulated VM, keep the CPUs busy).
    let control = limited(&sb, &["--pids", "100"]);
    let busy = ["--", "timeout", "3", "sh", "-c", "while :; do :; done"];
    let mut shares = vec![];
    for _ in 0..3 {
        let before = (usage(&sb, &name, "cpu_usage_usec"), usage(&sb, &control, "cpu_usage_usec"));
        let mut runs: Vec<_> =
            [&name, &control].iter().map(|b| sb.cmd().args(["run", b.as_str()]).args(busy).spawn().unwrap()).collect();
        for r in &mut runs {
            assert_eq!(r.wait().unwrap().code(), Some(124), "the busy loop ran until timeout stopped it");
        }
        // Over the loop's own 3 s, not glassbox's start and end around it.
        let limited_share = (usage(&sb, &name, "cpu_usage_usec") - before.0) as f64 / 1e6 / 3.0;
        let control_share = (usage(&sb, &control, "cpu_usage_usec") - before.1) as f64 / 1e6 / 3.0;
        assert!(limited_share <= 0.6, "{limited_share:.2} of a CPU is more than the 0.5 quota allows (+20%)");
        shares.push((limited_share, control_share));
        if limited_share >= 0.4 || control_share < 0.8 {
            break;
        }
    }
    let (limited_share, control_share) = *shares.last().unwrap();
    assert!(
        limited_share >= 0.4 || control_share < 0.8,
        "about half a CPU (±20%) while an unlimited box got {control_share:.2}: measured {shares:.2?}"
    );
    // The kernel throttles a cgroup only in the periods where it used up its
    // quota: a box the busy machine gave less than half a CPU never got there.
    let throttled = usage(&sb, &name, "cpu_throttled_periods");
    if limited_share >= 0.4 {
        assert!(throttled > 0, "the kernel throttled it: measured {shares:.2?}");
    } else {
        eprintln!(
            "the machine gave the limited box only {limited_share:.2} of a CPU, so the quota never bound; {throttled} throttled periods"
        );
    }
}

#[test]
fn the_cgroup_namespace_roots_at_the_box_cgroup() {
    let sb = Sandbox::new("cgnsroot");
    let name = limited(&sb, &["--pids", "100"]);
    sb.ok(&["unshare", &name, "cgroup", "pid"]);
    let out = sb.ok(&["run", &name, "--", "cat", "/proc/self/cgroup"]);
    let pids_line = out.lines().find(|l| l.contains("pids") || l.starts_with("0::")).unwrap();
    assert!(pids_line.ends_with(":/"), "the box's own cgroup is / inside: {out}");
    let host_view = sb.inspect(&name)["cgroup"]["paths"].to_string();
    assert!(host_view.contains(&name), "while the host sees the real path: {host_view}");
}

#[test]
fn bad_limits_are_rejected_and_nothing_is_made() {
    let sb = Sandbox::new("cgbad");
    let name = sb.name("cg");
    sb.ok(&["create", &name]);
    for args in [
        vec!["--memory", "0"],
        vec!["--memory", "-1"],
        vec!["--memory", "1.5.G"],
        vec!["--memory", "10Q"],
        vec!["--memory", "99999999999999999999"],
        vec!["--memory", "1"],
        vec!["--cpus", "0"],
        vec!["--pids", "0"],
        vec!["--cpuset", "0-99"],
        vec!["--io-weight", "0"],
        vec![],
    ] {
        let mut all = vec!["limit", name.as_str()];
        all.extend_from_slice(&args);
        sb.fails(2, &all);
        assert!(cgroups_of(&sb.root).is_empty(), "{args:?} made a cgroup");
    }
    let err = sb.fails(2, &["limit", "no-such-box", "--memory", "64M"]);
    assert!(err.contains("no box named"), "{err}");
    let out = sb.run(&["limit", &name, "--cpus", "64"]);
    assert!(out.status.success() && text(&out.stderr).contains("more than the"), "allowed, with a warning");
}

#[test]
fn rm_removes_sub_cgroups_the_box_made() {
    let sb = Sandbox::new("cgsub");
    let name = limited(&sb, &["--pids", "50"]);
    sb.ok(&["run", "-d", &name, "--", "sleep", "60"]);
    let paths: Vec<String> = sb.inspect(&name)["cgroup"]["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    for p in &paths {
        std::fs::create_dir_all(format!("{p}/made-inside/deeper")).unwrap();
    }
    sb.ok(&["rm", "--force", &name]);
    for p in &paths {
        assert!(!std::path::Path::new(p).exists(), "{p} is gone");
    }
}

#[test]
fn killed_before_the_init_started_in_a_limited_box() {
    let sb = Sandbox::new("cgcrash");
    let name = limited(&sb, &["--memory", "64M"]);
    let mut child = sb
        .cmd()
        .args(["unshare", &name, "pid"])
        .env("GLASSBOX_PAUSE_BEFORE", "start_init")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    child.kill().unwrap();
    child.wait().unwrap();
    sb.ok(&["rm", "--force", &name]);
    assert!(
        cgroups_of(&sb.root).iter().all(|p| std::fs::read_dir(p)
            .map(|d| d.flatten().filter(|e| e.path().is_dir()).count() == 0)
            .unwrap_or(true))
    );
}

#[test]
fn a_missing_controller_is_named_with_its_fix() {
    let sb = Sandbox::new("cgmissing");
    let name = sb.name("io");
    sb.ok(&["create", &name]);
    // io weights exist on cgroup v2 and with the bfq scheduler on v1; this
    // project's v1 machines have neither, the v2 VM has the io controller.
    let out = sb.run(&["limit", &name, "--io-weight", "500"]);
    match out.status.code() {
        Some(0) => assert_eq!(sb.inspect(&name)["cgroup"]["limits"]["io_weight"], 500),
        Some(2) => {
            let err = text(&out.stderr);
            assert!(
                err.contains("blkio") && err.contains("controller is not available") && err.contains("bfq"),
                "{err}"
            );
        }
        other => panic!("neither applied nor cleanly refused: {other:?} {}", text(&out.stderr)),
    }
}

#[test]
fn the_init_starts_in_a_box_limited_below_the_size_of_glassbox() {
    // The init runs from a sealed in-memory copy of glassbox; that copy must
    // not be charged to the box (the test binary is tens of MB, the limit 8).
    let sb = Sandbox::new("small-limit-init");
    let name = sb.name("s");
    sb.ok(&["create", &name]);
    sb.ok(&["limit", &name, "--memory", "8M"]);
    sb.ok(&["unshare", &name, "pid", "mnt"]);
    assert_eq!(sb.ok(&["run", &name, "--", "echo", "alive"]).trim(), "alive");
    assert_eq!(sb.inspect(&name)["cgroup"]["usage"]["oom_kills"], 0);
}

#[test]
fn reset_removes_a_cgroup_whose_record_was_lost() {
    // A crash can lose a record but not the kernel's folders: reset looks in
    // the root's cgroup parent for boxes as well as in the records.
    let sb = Sandbox::new("cglost");
    let name = limited(&sb, &["--pids", "20"]);
    std::fs::remove_dir_all(sb.root.join("boxes").join(&name)).unwrap();
    assert!(cgroups_of(&sb.root).iter().any(|p| p.join(&name).exists()), "the limit made the box's cgroup");
    sb.ok(&["reset"]);
    assert_eq!(cgroups_of(&sb.root), Vec::<std::path::PathBuf>::new(), "no cgroup of the root is left");
}
