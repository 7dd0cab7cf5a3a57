//! What keeps watching after `compose up -d` returns: the project's
//! supervisor runs the healthchecks on schedule and restarts `restart:
//! on-failure` services; `inspect`, `compose ps` read what it records;
//! `down` and `reset` leave neither the process nor its state. A replica
//! the supervisor records unhealthy is out of its service's pool until healthy.
//! And `read_only: true`: the root filesystem read-only, volumes as they were.

use crate::compose::{compose, ok, project};
use crate::harness::{Sandbox, patience, processes_mentioning, text};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

fn supervisors(sb: &Sandbox) -> Vec<String> {
    processes_mentioning(&sb.root.display().to_string())
        .into_iter()
        .filter(|p| p.split_whitespace().nth(1) == Some("glassbox-supervisor"))
        .collect()
}

/// Polls `inspect BOX --json`'s health until `done` holds (at most 20 s, longer in a slow VM).
fn health_until(sb: &Sandbox, name: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + patience(Duration::from_secs(20));
    loop {
        let h = sb.inspect(name)["health"].clone();
        if done(&h) || Instant::now() > deadline {
            return h;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The box's place in its pool as `compose ps` shows it, once it is `want` (at most 20 s, longer in a slow VM).
fn pool_until(sb: &Sandbox, dir: &Path, name: &str, want: &str) -> Value {
    let deadline = Instant::now() + patience(Duration::from_secs(20));
    loop {
        let pool = ps_row(sb, dir, "w", name)["pool"].clone();
        if pool == want || Instant::now() > deadline {
            return pool;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn balancers(sb: &Sandbox) -> Vec<String> {
    processes_mentioning(&sb.root.display().to_string())
        .into_iter()
        .filter(|p| p.split_whitespace().nth(1) == Some("glassbox-lb"))
        .collect()
}

fn ps_row(sb: &Sandbox, dir: &Path, project: &str, name: &str) -> Value {
    crate::compose::ps(sb, dir, project).into_iter().find(|r| r["name"] == name).unwrap()
}

#[test]
fn healthchecks_go_on_after_up_returns_and_down_and_reset_stop_the_supervisor() {
    let sb = Sandbox::new("compose-watch");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "watched.yaml");
    let file = dir.join("compose.yaml");
    let port = crate::compose_replicas::free_port().to_string();
    std::fs::write(&file, std::fs::read_to_string(&file).unwrap().replace("18197", &port)).unwrap();
    let state = sb.root.join("compose").join("w");
    ok(compose(&sb, &dir, &[], &["-p", "w", "up", "-d"]));
    assert_eq!(supervisors(&sb).len(), 1, "one supervisor for the project: {:?}", supervisors(&sb));
    assert!(state.join("supervisor.json").is_file(), "the supervisor is recorded in state");
    assert_eq!(balancers(&sb).len(), 1, "the port's pool has its balancer: {:?}", balancers(&sb));

    let h = health_until(&sb, "w-app-1", |h| h["status"] == "healthy");
    assert_eq!(h["status"], "healthy", "{h}");
    assert_eq!(h["test"], serde_json::json!(["busybox", "test", "-f", "/tmp/ok"]));
    // Checked on schedule, with no command of ours running: the count grows.
    let before = h["checks"].as_u64().unwrap();
    let later = health_until(&sb, "w-app-1", |h| h["checks"].as_u64().unwrap() >= before + 3);
    assert!(later["checks"].as_u64().unwrap() >= before + 3, "{later}");

    // The test starts failing: `retries` (2) failures in a row make it unhealthy.
    ok(compose(&sb, &dir, &[], &["-p", "w", "exec", "app", "--", "busybox", "rm", "/tmp/ok"]));
    let h = health_until(&sb, "w-app-1", |h| h["status"] == "unhealthy");
    assert_eq!(h["status"], "unhealthy", "{h}");
    assert!(h["failing_streak"].as_u64().unwrap() >= 2, "{h}");
    assert!(h["last_output"].as_str().unwrap().starts_with("exit code 1"), "{h}");
    let row = ps_row(&sb, &dir, "w", "w-app-1");
    assert_eq!(row["health"], "unhealthy", "{row}");
    let table = ok(compose(&sb, &dir, &[], &["-p", "w", "ps"]));
    assert!(table.lines().any(|l| l.starts_with("w-app-1") && l.contains("unhealthy")), "{table}");
    let shown = sb.ok(&["inspect", "w-app-1"]);
    assert!(shown.contains("health: unhealthy"), "{shown}");
    // The supervisor took it out of its pool (ps only reads that).
    assert_eq!(pool_until(&sb, &dir, "w-app-1", "out"), "out");
    assert!(table.lines().any(|l| l.starts_with("w-app-1") && l.contains(" 127.0.0.1:")), "{table}");

    // One pass makes it healthy again, the streak back to 0.
    ok(compose(&sb, &dir, &[], &["-p", "w", "exec", "app", "--", "busybox", "touch", "/tmp/ok"]));
    let h = health_until(&sb, "w-app-1", |h| h["status"] == "healthy");
    assert_eq!((h["status"].clone(), h["failing_streak"].clone()), ("healthy".into(), 0.into()), "{h}");
    assert_eq!(pool_until(&sb, &dir, "w-app-1", "serving"), "serving", "back in its pool once healthy");

    // A supervisor killed is started again by the next `up`, which has nothing else to make.
    let pid = supervisors(&sb)[0].split_whitespace().next().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-KILL", &pid]).status().unwrap().success());
    let checks = health_until(&sb, "w-app-1", |_| true)["checks"].as_u64().unwrap();
    assert!(ok(compose(&sb, &dir, &[], &["-p", "w", "up", "-d"])).contains("its supervisor runs as process"));
    assert_eq!(supervisors(&sb).len(), 1, "{:?}", supervisors(&sb));
    let h = health_until(&sb, "w-app-1", |h| h["checks"].as_u64().unwrap() > checks + 2);
    assert!(h["checks"].as_u64().unwrap() > checks + 2, "checked again: {h}");

    ok(compose(&sb, &dir, &[], &["-p", "w", "down"]));
    assert_eq!(supervisors(&sb), Vec::<String>::new(), "down stops the supervisor");
    assert_eq!(balancers(&sb), Vec::<String>::new(), "down stops the pool's balancer");
    assert!(!sb.root.join("compose").exists(), "down removes the supervisor's state");

    ok(compose(&sb, &dir, &[], &["-p", "w", "up", "-d"]));
    assert_eq!((supervisors(&sb).len(), balancers(&sb).len()), (1, 1));
    sb.ok(&["reset"]);
    assert_eq!(supervisors(&sb), Vec::<String>::new(), "reset stops the supervisor");
    assert_eq!(balancers(&sb), Vec::<String>::new(), "reset stops the pool's balancer");
    assert!(!sb.root.join("compose").exists(), "reset removes every supervisor's state");
}

#[test]
fn on_failure_restarts_a_failing_main_process_at_most_n_times_as_recorded_steps() {
    let sb = Sandbox::new("compose-restart");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "restarts.yaml");
    let planned = ok(compose(&sb, &dir, &["--dry-run"], &["-p", "r", "up"]));
    assert!(
        planned.contains("# by the project's supervisor, again when it fails (restart: on-failure):\n  glassbox run r-flaky-1 -- busybox sh -c"),
        "{planned}"
    );
    ok(compose(&sb, &dir, &[], &["-p", "r", "up", "-d"]));
    let h = health_until(&sb, "r-flaky-1", |h| h["restarts"] == 2 && h["last_exit"] == 3);
    assert_eq!(
        (h["restarts"].clone(), h["last_exit"].clone(), h["restart_limit"].clone()),
        (2.into(), 3.into(), 2.into()),
        "{h}"
    );
    assert_eq!(h["status"], Value::Null, "no healthcheck, no health status: {h}");
    // No third restart: the limit holds.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(sb.inspect("r-flaky-1")["health"]["runs"], 3);
    let history = sb.ok(&["history", "r-flaky-1"]);
    let runs = history.lines().filter(|l| l.contains("glassbox run r-flaky-1")).count();
    assert_eq!(runs, 3, "a first run and two restarts, each a step: {history}");
    assert!(history.contains("supervisor: restart 2 of 2 (exit code 3, restart: on-failure)"), "{history}");
    let logs = ok(compose(&sb, &dir, &[], &["-p", "r", "logs", "flaky"]));
    assert_eq!(logs.matches("try").count(), 3, "{logs}");
    let row = ps_row(&sb, &dir, "r", "r-flaky-1");
    assert_eq!(row["restarts"], 2, "{row}");
    let table = ok(compose(&sb, &dir, &[], &["-p", "r", "ps"]));
    let line: Vec<&str> = table.lines().find(|l| l.starts_with("r-flaky-1")).unwrap().split_whitespace().collect();
    assert_eq!(line[3..5], ["-", "2"], "HEALTH -, RESTARTS 2: {table}");

    // Exit 0 is no failure: run once, never again.
    let fine = health_until(&sb, "r-fine-1", |h| h["last_exit"] == 0);
    assert_eq!(
        (fine["last_exit"].clone(), fine["runs"].clone(), fine["restarts"].clone()),
        (0.into(), 1.into(), 0.into()),
        "{fine}"
    );

    // `glassbox stop` ends the main process with SIGTERM (143): no failure of its own.
    sb.ok(&["stop", "r-steady-1"]);
    let steady = health_until(&sb, "r-steady-1", |h| h["last_output"] != "");
    assert_eq!(steady["last_output"], "not restarted: the box was stopped", "{steady}");
    assert_eq!((steady["last_exit"].clone(), steady["restarts"].clone()), (143.into(), 0.into()), "{steady}");
    ok(compose(&sb, &dir, &[], &["-p", "r", "down"]));
    assert_eq!(supervisors(&sb), Vec::<String>::new());
}

#[test]
fn read_only_makes_the_root_filesystem_read_only_and_volumes_keep_their_mode() {
    let sb = Sandbox::new("compose-ro");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "read-only.yaml");
    std::fs::create_dir_all(dir.join("conf")).unwrap();
    let planned = ok(compose(&sb, &dir, &["--dry-run"], &["-p", "ro", "up"]));
    assert!(planned.contains("glassbox mask ro-app-1 --read-only /\n"), "{planned}");
    ok(compose(&sb, &dir, &[], &["-p", "ro", "up", "-d"]));
    let write = |path: &str| compose(&sb, &dir, &[], &["-p", "ro", "exec", "app", "--", "busybox", "touch", path]);
    let root = write("/etc/new-file");
    assert!(!root.status.success(), "the root filesystem took a write");
    assert!(text(&root.stderr).contains("Read-only file system"), "{}", text(&root.stderr));
    assert!(write("/data/new-file").status.success(), "the named volume is writable");
    assert!(write("/tmp/new-file").status.success(), "/tmp is a tmpfs of its own, writable");
    assert!(!write("/conf/new-file").status.success(), "the :ro bind mount stays read-only");
    assert!(!dir.join("conf/new-file").exists());
    ok(compose(&sb, &dir, &[], &["-p", "ro", "down", "-v"]));
}

#[test]
fn restart_policies_the_supervisor_cannot_keep_are_refused_and_nothing_is_made() {
    let sb = Sandbox::new("compose-restart-bad");
    sb.ok(&["image", "busybox"]);
    let dir = sb.root.parent().unwrap().join("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            "always",
            "services:\n  a:\n    image: busybox\n    restart: always\n",
            "\"always\": glassbox's supervisor restarts a main process that failed only",
        ),
        (
            "unless-stopped",
            "services:\n  a:\n    image: busybox\n    restart: unless-stopped\n",
            "use on-failure[:N] or no",
        ),
        (
            "a zero limit",
            "services:\n  a:\n    image: busybox\n    restart: on-failure:0\n",
            "give on-failure:N, N from 1 to 1000",
        ),
        (
            "a word",
            "services:\n  a:\n    image: busybox\n    restart: sometimes\n",
            "\"sometimes\": give no or on-failure[:N]",
        ),
        (
            "a restart of what another waits to complete",
            "services:\n  a:\n    image: busybox\n    restart: on-failure\n  b:\n    image: busybox\n    depends_on:\n      a:\n        condition: service_completed_successfully\n",
            "services.a.restart: b waits for it to complete",
        ),
    ];
    for (what, yaml, expected) in cases {
        crate::compose_bad::refused(&sb, &dir, what, yaml, expected);
        assert_eq!(supervisors(&sb), Vec::<String>::new(), "{what}: a supervisor was started");
    }
}

#[test]
fn a_replica_removed_and_made_again_is_a_new_box_to_its_supervisor() {
    let sb = Sandbox::new("compose-remade");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "restarts.yaml");
    ok(compose(&sb, &dir, &[], &["-p", "m", "up", "-d", "steady"]));
    for n in ["2", "1", "2"] {
        ok(compose(&sb, &dir, &[], &["-p", "m", "scale", &format!("steady={n}")]));
    }
    // Its main process started once, by the thread of this box, not by one left from the box before.
    std::thread::sleep(Duration::from_millis(800));
    let h = health_until(&sb, "m-steady-2", |h| h["runs"] == 1);
    assert_eq!(
        (h["runs"].clone(), h["restarts"].clone(), h["last_exit"].clone()),
        (1.into(), 0.into(), Value::Null),
        "{h}"
    );
    let sleeps = sb.inspect("m-steady-2")["processes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["command"].as_str().unwrap().contains("sleep 1000"))
        .count();
    assert_eq!(sleeps, 1, "one main process: {}", sb.inspect("m-steady-2")["processes"]);
    ok(compose(&sb, &dir, &[], &["-p", "m", "down"]));
    assert_eq!(supervisors(&sb), Vec::<String>::new());
}
