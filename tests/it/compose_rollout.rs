//! Rolling updates under traffic: requests go through the published port
//! all the while (a bounded loop on loopback), and none fails, whether the
//! update goes through or a new replica never passes its healthcheck and
//! the service is rolled back to the old image. A supervised service's new
//! replicas are its supervisor's to run.

use crate::compose::{ok, project};
use crate::compose_replicas::{free_port, get};
use crate::harness::{Sandbox, patience, text};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct Web<'a> {
    pub sb: &'a Sandbox,
    pub dir: PathBuf,
    pub port: u16,
}

impl Web<'_> {
    pub fn compose(&self, vars: &[(&str, &str)], args: &[&str]) -> std::process::Output {
        self.compose_with(&[], vars, args)
    }

    fn compose_with(&self, global: &[&str], vars: &[(&str, &str)], args: &[&str]) -> std::process::Output {
        let mut cmd = self.sb.cmd();
        cmd.env("WEB_PORT", self.port.to_string()).envs(vars.iter().copied()).args(global);
        cmd.arg("compose").arg("-f").arg(self.dir.join("compose.yaml")).args(["-p", "ro"]).args(args);
        cmd.output().unwrap()
    }

    fn ps(&self, vars: &[(&str, &str)]) -> Vec<Value> {
        let mut cmd = self.sb.cmd();
        cmd.env("WEB_PORT", self.port.to_string()).envs(vars.iter().copied()).arg("--json");
        cmd.arg("compose").arg("-f").arg(self.dir.join("compose.yaml")).args(["-p", "ro", "ps"]);
        serde_json::from_str::<Value>(&ok(cmd.output().unwrap())).unwrap().as_array().unwrap().clone()
    }
}

pub fn web<'a>(sb: &'a Sandbox, fixture: &str) -> Web<'a> {
    sb.ok(&["image", "busybox"]);
    for v in ["web-v1", "web-v2", "web-v3"] {
        sb.ok(&["image", "busybox", "--name", v]);
    }
    Web { sb, dir: project(sb, fixture), port: free_port() }
}

/// Requests one after the other until stopped (at most two minutes, longer
/// in a slow VM, where an update alone can take that): each answer's body or error.
fn traffic(port: u16, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<Vec<Result<String, String>>> {
    let bound = patience(Duration::from_secs(120));
    std::thread::spawn(move || {
        let began = Instant::now();
        let mut answers = vec![];
        while !stop.load(Ordering::Relaxed) && began.elapsed() < bound {
            answers.push(get(port).map(|b| b.trim().to_string()));
            std::thread::sleep(Duration::from_millis(10));
        }
        answers
    })
}

pub fn wait_for(port: u16, body: &str) {
    let deadline = Instant::now() + patience(Duration::from_secs(10));
    while Instant::now() < deadline {
        if get(port).is_ok_and(|b| b.trim() == body) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("127.0.0.1:{port} never answered {body}");
}

/// The update while the loop runs; the loop's answers after it.
fn under_traffic(w: &Web, vars: &[(&str, &str)]) -> (std::process::Output, Vec<Result<String, String>>) {
    let stop = Arc::new(AtomicBool::new(false));
    let requests = traffic(w.port, stop.clone());
    std::thread::sleep(Duration::from_millis(300));
    let out = w.compose(vars, &["up", "-d"]);
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    (out, requests.join().unwrap())
}

fn failures(answers: &[Result<String, String>]) -> Vec<&String> {
    answers.iter().filter_map(|a| a.as_ref().err()).collect()
}

fn no_pool_left(sb: &Sandbox, dir: &Path) {
    assert_eq!(sb.ok(&["--json", "pool", "ls"]).trim(), "[]", "a pool outlived compose down");
    assert!(!sb.root.join("compose").join("ro").exists(), "the rollout record outlived compose down ({dir:?})");
}

#[test]
fn a_rolling_update_under_traffic_fails_no_request() {
    let sb = Sandbox::new("compose-rollout");
    let w = web(&sb, "rollout-start-first.yaml");
    let v2 = [("WEB_IMAGE", "web-v2"), ("VERSION", "v2")];
    ok(w.compose(&[], &["up", "-d"]));
    wait_for(w.port, "v1");
    let planned = ok(w.compose_with(&["--dry-run"], &v2, &["up"]));
    assert!(planned.contains("# rolling update of web to web-v2:"), "{planned}");

    let (out, answers) = under_traffic(&w, &v2);
    let said = ok(out);
    assert!(
        said.contains("web: rolling update of 2 replicas from web-v1 to web-v2, 1 at a time, start-first"),
        "{said}"
    );
    // start-first: the new replica serves before the old one drains and goes.
    let joined = said.find("ro-web-3: glassbox pool add ro-web ro-web-3").expect(&said);
    let drained = said.find("ro-web-1: glassbox pool drain ro-web ro-web-1").expect(&said);
    assert!(joined < drained && said.contains("ro-web-3: healthy"), "{said}");
    // Ready is what the project's supervisor records: it watches the new replicas too.
    assert!(said.contains("ro-web-3: waiting until its supervisor sees it healthy"), "{said}");
    assert_eq!(failures(&answers), Vec::<&String>::new(), "of {} requests", answers.len());
    let bodies: Vec<&str> = answers.iter().filter_map(|a| a.as_deref().ok()).collect();
    assert!(bodies.contains(&"v1") && bodies.contains(&"v2"), "both versions answered during the update");
    assert_eq!(bodies.last(), Some(&"v2"));

    let rows = w.ps(&v2);
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["ro-web-3", "ro-web-4"]);
    for r in &rows {
        assert_eq!((&r["image"], &r["up_to_date"], &r["pool"]), (&"web-v2".into(), &true.into(), &"serving".into()));
        assert_eq!(r["rollout"]["state"], "done", "{r}");
        assert_eq!(r["health"], "healthy", "as its supervisor recorded it: {r}");
    }
    // The box's model (inspect, the web page) names the pool's port as one that reaches it.
    let published = sb.inspect("ro-web-3")["network"]["published"].to_string();
    assert!(
        published.contains(&format!("127.0.0.1:{} -> ", w.port)) && published.contains("(pool ro-web)"),
        "{published}"
    );
    // Up to date now: another up changes nothing.
    assert!(ok(w.compose(&v2, &["up", "-d"])).contains("every box is there already"));
    let history = sb.ok(&["history", "ro-web-3"]);
    assert!(history.contains("glassbox pool add ro-web ro-web-3") && history.contains("compose up (project ro)"));
    // The service name follows the replicas: compose exec and /etc/hosts.
    let hosts = ok(w.compose(&v2, &["exec", "web", "--", "busybox", "cat", "/etc/hosts"]));
    assert!(hosts.contains("ro-web-3 web\n"), "{hosts}");

    ok(w.compose(&v2, &["down"]));
    no_pool_left(&sb, &w.dir);
    assert!(std::net::TcpStream::connect(("127.0.0.1", w.port)).is_err(), "the port outlived compose down");
}

#[test]
fn a_replica_that_never_passes_its_healthcheck_rolls_back_and_fails_no_request() {
    let sb = Sandbox::new("compose-rollback");
    let w = web(&sb, "rollout.yaml");
    let v2 = [("WEB_IMAGE", "web-v2"), ("VERSION", "v2")];
    ok(w.compose(&v2, &["up", "-d"]));
    wait_for(w.port, "v2");

    // stop-first (the default): one old replica drains and goes first,
    // the other serves alone until the old image is back.
    let broken = [("WEB_IMAGE", "web-v3"), ("VERSION", "broken")];
    let (out, answers) = under_traffic(&w, &broken);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}\n{}", text(&out.stdout));
    assert!(
        err.contains("the rolling update of web to web-v3 failed and was rolled back: ro-web-3 never became healthy")
            && err.contains("web runs web-v2 on 2 replicas as before"),
        "{err}"
    );
    assert_eq!(failures(&answers), Vec::<&String>::new(), "of {} requests", answers.len());
    assert!(answers.iter().all(|a| a.as_deref() == Ok("v2")), "only v2 answered");

    let rows = w.ps(&broken);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for r in &rows {
        assert_eq!((&r["image"], &r["up_to_date"], &r["pool"]), (&"web-v2".into(), &false.into(), &"serving".into()));
        assert_eq!(r["rollout"]["state"], "rolled back", "{r}");
        assert!(r["rollout"]["reason"].as_str().unwrap().contains("never became healthy"), "{r}");
    }
    assert!(rows.iter().all(|r| r["name"] != "ro-web-3"), "the broken replica is gone: {rows:?}");
    let table = ok(w.compose(&broken, &["ps"]));
    assert!(
        table.contains("rollout of web from web-v2 to web-v3: rolled back: ro-web-3 never became healthy"),
        "{table}"
    );

    ok(w.compose(&broken, &["down"]));
    no_pool_left(&sb, &w.dir);
}

#[test]
fn a_rolling_update_of_a_supervised_service_gives_each_new_replica_to_its_supervisor() {
    let sb = Sandbox::new("compose-rollsup");
    let w = web(&sb, "rollout-supervised.yaml");
    let up = |vars: &[(&str, &str)]| {
        let mut cmd = sb.cmd();
        cmd.envs(vars.iter().copied()).arg("compose").arg("-f").arg(w.dir.join("compose.yaml"));
        cmd.args(["-p", "su", "up", "-d"]).output().unwrap()
    };
    ok(up(&[]));
    let said = ok(up(&[("APP_IMAGE", "web-v2")]));
    assert!(said.contains("su-app-2: glassbox run su-app-2 -- busybox sh -c"), "{said}");
    assert!(said.contains("(by the project's supervisor)"), "{said}");
    assert!(said.contains("su-app-2: waiting until its supervisor sees it healthy\nsu-app-2: healthy"), "{said}");
    let history = sb.ok(&["history", "su-app-2"]);
    assert!(history.contains("supervisor: start"), "its main process is the supervisor's: {history}");
    let h = sb.inspect("su-app-2")["health"].clone();
    assert_eq!(
        (h["status"].clone(), h["runs"].clone(), h["restart_limit"].clone()),
        ("healthy".into(), 1.into(), u32::MAX.into()),
        "{h}"
    );
    let rows = crate::compose::ps(&sb, &w.dir, "su");
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["su-app-2"], "the old replica went: {rows:?}");
    let mut cmd = sb.cmd();
    cmd.arg("compose").arg("-f").arg(w.dir.join("compose.yaml")).args(["-p", "su", "down"]);
    ok(cmd.output().unwrap());
    assert!(!sb.root.join("compose").exists(), "down leaves no supervisor state");
}
