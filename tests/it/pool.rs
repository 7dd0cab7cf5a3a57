//! `glassbox pool` changes through plans like every other step:
//! `--dry-run` prints the operations and changes nothing, `--explain`
//! names each as it runs, and the member's history records them.

use crate::dry_run::oracles;
use crate::harness::{Sandbox, processes_mentioning, text};

#[test]
fn pool_steps_are_plans_dry_run_changes_nothing_and_explain_names_the_operations() {
    let sb = Sandbox::new("poolplan");
    let b = sb.name("member");
    let pool = sb.name("svc");
    let port = (20000 + std::process::id() % 9000).to_string();
    for step in [vec!["create", &b], vec!["unshare", &b, "net"], vec!["net", &b]] {
        sb.ok(&step);
    }
    let net = &sb.inspect(&b)["network"];
    let ours = [net["host_veth"].as_str().unwrap().to_string(), net["bridge"].as_str().unwrap().to_string()];
    let ports = format!("{port}:80");
    let dry = |args: &[&str], shows: &[&str]| {
        let before = oracles(&sb, &ours);
        let out = sb.run(&[&["--dry-run"], args].concat());
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {said}");
        for s in shows.iter().chain(&["nothing was changed"]) {
            assert!(said.contains(s), "--dry-run {args:?} shows {s:?}: {said}");
        }
        assert_eq!(oracles(&sb, &ours), before, "--dry-run {args:?} changed the host");
    };
    // A new pool: its folders, a balancer, the record.
    dry(&["pool", "add", &pool, &b, &ports], &["mkdir -p -m 700", "glassbox-lb", "socat TCP-LISTEN", "pool.json"]);
    assert!(!sb.root.join("pools").exists(), "--dry-run made the pools folder");

    let out = sb.run(&["--explain", "pool", "add", &pool, &b, &ports]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let explained = text(&out.stderr);
    for s in ["mkdir", "glassbox-lb", "pool.json"] {
        assert!(explained.contains(s), "--explain pool add names {s:?}: {explained}");
    }
    let listed: serde_json::Value = serde_json::from_str(&sb.ok(&["--json", "pool", "ls"])).unwrap();
    assert_eq!(listed[0]["members"][0]["name"], b.as_str(), "{listed}");
    let balancers = || {
        processes_mentioning(&sb.root.display().to_string()).into_iter().filter(|p| p.contains("glassbox-lb")).count()
    };
    assert_eq!(balancers(), 1, "one balancer for the port");
    let steps = sb.inspect(&b)["steps"].clone();
    let last = &steps[steps.as_array().unwrap().len() - 1];
    assert!(last["ops"].to_string().contains("glassbox-lb"), "the history records pool add's operations: {last}");

    // The balancer writes its status as it runs: once it has caught up
    // with the record, only a command changes the pool's folder.
    let dir = sb.root.join("pools").join(&pool);
    let generation = |f: &str| {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join(f)).unwrap_or_default()).unwrap_or_default();
        v["generation"].as_u64()
    };
    let began = std::time::Instant::now();
    while generation(&format!("status-{port}.json")) != generation("pool.json") {
        assert!(began.elapsed().as_secs() < 10, "the balancer never caught up with the record");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    // A pool that runs: drain and rm, dry, keep the member and the balancer.
    dry(&["pool", "drain", &pool, &b], &["draining", "status-PORT.json"]);
    dry(&["pool", "rm", &pool], &["kill -TERM", "rm -rf"]);
    assert_eq!(balancers(), 1, "--dry-run pool rm left the balancer running");

    // A drain applied: each of its operations named as it runs, the member out.
    let out = sb.run(&["--explain", "--json", "pool", "drain", &pool, &b, "--timeout", "5"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let explained = text(&out.stderr);
    for s in [": demo draining", "status-PORT.json", "out of the members"].map(|s| s.replace("demo", &b)) {
        assert!(explained.contains(&s), "--explain pool drain names {s:?}: {explained}");
    }
    let drained: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(drained["still_open"], 0, "no connection was open: {drained}");
    let listed: serde_json::Value = serde_json::from_str(&sb.ok(&["--json", "pool", "ls"])).unwrap();
    assert_eq!(listed[0]["members"], serde_json::json!([]), "drain took the member out: {listed}");
    assert!(listed[0]["generation"].as_u64() >= Some(3), "add, draining, out: each a new generation: {listed}");

    // A host port taken: refused before anything is made, dry or not.
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let other = sb.name("other");
    let ports = format!("{}:80", taken.local_addr().unwrap().port());
    for dry in [&["--dry-run"][..], &[]] {
        let out = sb.run(&[dry, &["pool", "add", &other, &b, &ports]].concat());
        assert_eq!(out.status.code(), Some(2), "a taken port is bad input: {}", text(&out.stderr));
        assert!(!sb.root.join("pools").join(&other).exists(), "a refused pool add made its pool");
    }

    let out = sb.run(&["--explain", "pool", "rm", &pool]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let explained = text(&out.stderr);
    for s in ["pidfd_send_signal", "kill -TERM", "rm -rf"] {
        assert!(explained.contains(s), "--explain pool rm names {s:?}: {explained}");
    }
    assert_eq!(sb.ok(&["--json", "pool", "ls"]).trim(), "[]");
    assert_eq!(balancers(), 0, "pool rm ended the balancer");
}
