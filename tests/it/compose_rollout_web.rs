//! The web page shows a rolling update live: while `compose up` replaces
//! the replicas, /api/rollouts (the model the overview renders) names each
//! replica's image, old or new, and its state; after it, every replica is
//! new and the phase is done; after a broken update, rolled back and why.

use crate::compose::ok;
use crate::compose_rollout::{wait_for, web};
use crate::harness::Sandbox;
use crate::web::Server;
use serde_json::Value;
use std::time::{Duration, Instant};

/// (name, image, age, state) of each replica of the service's rollout, and its phase.
fn replicas(rollout: &Value) -> (String, Vec<(String, String, String, String)>) {
    let s = |v: &Value| v.as_str().unwrap_or("-").to_string();
    let rows = rollout["replicas"].as_array().unwrap();
    (s(&rollout["phase"]), rows.iter().map(|r| (s(&r["name"]), s(&r["image"]), s(&r["age"]), s(&r["state"]))).collect())
}

fn rollout(server: &Server) -> Option<Value> {
    let (status, body) = server.get("/api/rollouts");
    assert_eq!(status, 200, "{body}");
    let all: Value = serde_json::from_str(&body).unwrap();
    all.as_array().unwrap().iter().find(|u| u["project"] == "ro" && u["service"] == "web").cloned()
}

#[test]
fn the_page_shows_old_and_new_image_per_replica_during_and_after_a_rolling_update() {
    let sb = Sandbox::new("rollout-web");
    let w = web(&sb, "rollout-start-first.yaml");
    ok(w.compose(&[], &["up", "-d"]));
    wait_for(w.port, "v1");
    let server = Server::start(&sb);
    assert_eq!(rollout(&server), None, "no rollout before the first update");

    let mut update = sb.cmd();
    update.env("WEB_PORT", w.port.to_string()).env("WEB_IMAGE", "web-v2").env("VERSION", "v2");
    update.arg("compose").arg("-f").arg(w.dir.join("compose.yaml")).args(["-p", "ro", "up", "-d"]);
    let mut child = update.stdout(std::process::Stdio::null()).spawn().unwrap();
    // What the page's data said while the update ran (a bounded loop on loopback).
    let mut seen = vec![];
    let began = Instant::now();
    while child.try_wait().unwrap().is_none() && began.elapsed() < Duration::from_secs(120) {
        if let Some(u) = rollout(&server) {
            seen.push(replicas(&u));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(child.wait().unwrap().success(), "the update went through");

    let both = seen.iter().find(|(phase, rows)| {
        phase == "rolling"
            && rows.iter().any(|(_, image, age, _)| image == "web-v1" && age == "old")
            && rows.iter().any(|(_, image, age, _)| image == "web-v2" && age == "new")
    });
    assert!(both.is_some(), "an old and a new replica side by side while it rolled: {seen:#?}");
    let states: Vec<&str> = seen.iter().flat_map(|(_, rows)| rows.iter().map(|r| r.3.as_str())).collect();
    assert!(states.contains(&"healthy"), "{states:?}");

    let (phase, rows) = replicas(&rollout(&server).expect("the rollout is still shown once done"));
    assert_eq!(phase, "done");
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["ro-web-3", "ro-web-4"], "the old replicas went: {rows:?}");
    assert!(
        rows.iter().all(|r| (r.1.as_str(), r.2.as_str(), r.3.as_str()) == ("web-v2", "new", "healthy")),
        "{rows:?}"
    );
    // The overview renders the same: both replicas new, the phase done.
    let (_, page) = server.get("/");
    assert!(page.contains("<table class=\"rollout phase-done\" data-service=\"web\""), "{page}");
    assert_eq!(page.matches("data-age=\"new\"").count(), 2, "{page}");
    assert!(!page.contains("data-age=\"old\""), "{page}");

    // A broken v3 rolls back: the page says so and why, every replica on v2 (old to v3).
    let broken = [("WEB_IMAGE", "web-v3"), ("VERSION", "broken")];
    assert_eq!(w.compose(&broken, &["up", "-d"]).status.code(), Some(1), "the update failed");
    let back = rollout(&server).unwrap();
    let (phase, rows) = replicas(&back);
    assert_eq!(phase, "rolled back");
    assert!(back["reason"].as_str().unwrap().contains("never became healthy"), "{back}");
    assert!(rows.len() == 2 && rows.iter().all(|r| (r.1.as_str(), r.2.as_str()) == ("web-v2", "old")), "{rows:?}");
    let (_, page) = server.get("/");
    assert!(page.contains("<span class=\"phase rolled-back\">rolled back</span>"), "{page}");
    assert!(page.contains("why: ") && page.contains("never became healthy"), "{page}");

    ok(w.compose(&broken, &["down"]));
    assert_eq!(rollout(&server), None, "compose down takes the rollout off the page");
}
