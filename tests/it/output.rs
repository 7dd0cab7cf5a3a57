//! One output path: every command that changes something answers `--json`
//! with one JSON object on stdout (nothing else there), and without it the
//! sentences a person reads. The same walk through a box's life runs both
//! ways, each in its own sandbox.

use crate::harness::Sandbox;
use serde_json::Value;

/// The command's words, what its text says, and one field of its JSON.
struct Step {
    args: Vec<String>,
    says: String,
    field: (&'static str, Value),
}

fn step(args: &[&str], says: &str, field: (&'static str, &str)) -> Step {
    Step { args: args.iter().map(|a| a.to_string()).collect(), says: says.into(), field: (field.0, field.1.into()) }
}

/// `folder`: one more layer, from a folder of the host.
fn life(b: &str, folder: &str) -> Vec<Step> {
    let data = "vol-out:/data".to_string();
    vec![
        step(&["create", b], &format!("created box {b}"), ("name", b)),
        step(&["unshare", b, "pid", "mnt", "uts"], "namespace", ("name", b)),
        step(&["image", "busybox", "--name", "img-out"], "image img-out: 1 layer", ("name", "img-out")),
        step(&["limit", b, "--pids", "64"], "cgroup (", ("version", "")),
        step(&["layer", "add", b, folder], "added on top of the stack", ("name", b)),
        step(&["rootfs", b, "img-out"], "now has its own root filesystem", ("name", b)),
        step(&["volume", "create", "vol-out"], "volume vol-out:", ("name", "vol-out")),
        step(&["volume", "add", b, &data], "at /data", ("name", b)),
        step(&["run", b, "-d", "--", "sleep", "100"], "started in the background", ("name", b)),
        step(&["nnp", b], "no_new_privs", ("no_new_privs", "")),
        step(&["commit", b, "img-out2"], "image img-out2:", ("name", "img-out2")),
        step(&["history", b, "--script"], "#!/bin/bash", ("name", b)),
        step(&["stop", b], &format!("stopped box {b}"), ("ended", "init")),
        step(&["rm", b], &format!("removed box {b}"), ("removed", "box")),
        step(&["image", "rm", "img-out2"], "removed image img-out2", ("removed", "image")),
        step(&["volume", "rm", "vol-out"], "removed volume vol-out", ("removed", "volume")),
        step(&["reset"], "reset: removed 0 box(es)", ("", "")),
    ]
}

/// Stdout parsed as the one JSON object it must be.
fn one_object(said: &str) -> Value {
    let v: Value = serde_json::from_str(said).unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}):\n{said}"));
    assert!(v.is_object(), "one JSON object: {v}");
    v
}

fn walk(sb: &Sandbox, json: bool) {
    let b = sb.name("out");
    for s in life(&b, sb.victim.to_str().unwrap()) {
        let args: Vec<&str> = json.then_some("--json").into_iter().chain(s.args.iter().map(String::as_str)).collect();
        let out = sb.ok(&args);
        let parsed = serde_json::from_str::<Value>(&out);
        if json {
            let v = parsed.unwrap_or_else(|e| panic!("glassbox {args:?}: stdout is not one JSON value ({e}):\n{out}"));
            assert!(v.is_object(), "glassbox {args:?}: one JSON object: {v}");
            match s.field {
                ("", _) => {}
                (key, Value::String(want)) if want.is_empty() => assert!(!v[key].is_null(), "{args:?}: {key} in {v}"),
                (key, want) => assert_eq!(v[key], want, "glassbox {args:?}: {v}"),
            }
        } else {
            assert!(out.contains(&s.says), "glassbox {args:?} says {:?}:\n{out}", s.says);
            assert!(parsed.is_err(), "glassbox {args:?} without --json prints text, not JSON:\n{out}");
        }
    }
}

#[test]
fn every_step_of_a_box_answers_json_with_one_object() {
    walk(&Sandbox::new("out-json"), true);
}

#[test]
fn every_step_of_a_box_says_what_it_did_without_json() {
    walk(&Sandbox::new("out-text"), false);
}

#[test]
fn a_dry_run_prints_its_plan_and_nothing_else() {
    let sb = Sandbox::new("out-dry");
    let b = sb.name("dry");
    let out = sb.ok(&["--json", "--dry-run", "create", &b]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("one JSON plan ({e}):\n{out}"));
    assert!(v["ops"].is_array(), "{v}");
    assert!(!sb.root.join("boxes").join(&b).exists(), "nothing was made");
    // Steps that take away answer a dry run with their plan too, and not with what they would have removed.
    sb.ok(&["create", &b]);
    for args in [vec!["rm", "--force", &b], vec!["reset"]] {
        let out = sb.ok(&[&["--json", "--dry-run"], args.as_slice()].concat());
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: one JSON plan ({e}):\n{out}"));
        assert!(v["ops"].as_array().is_some_and(|ops| !ops.is_empty()), "{args:?}: {v}");
        let said = sb.ok(&[&["--dry-run"], args.as_slice()].concat());
        let done = [format!("removed box {b}"), "reset: removed".into()];
        assert!(said.contains("nothing was changed") && !done.iter().any(|d| said.contains(d)), "{args:?}: {said}");
        assert!(sb.root.join("boxes").join(&b).exists(), "{args:?} under --dry-run removed the box");
    }
}

#[test]
fn compose_answers_json_with_one_object_and_its_progress_goes_to_stderr() {
    use crate::compose::{compose, ok, project};
    let sb = Sandbox::new("out-compose");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "two-services.yaml");
    let out = compose(&sb, &dir, &["--json"], &["-p", "jsn", "up", "-d"]);
    let said = ok(out.clone());
    let v = one_object(&said);
    assert_eq!((v["project"].as_str(), v["action"].as_str(), v["boxes"].as_u64()), (Some("jsn"), Some("up"), Some(3)));
    let progress = crate::harness::text(&out.stderr);
    assert!(progress.contains("glassbox rootfs jsn-web-1 busybox"), "the steps are still shown: {progress}");
    let said = ok(compose(&sb, &dir, &["--json"], &["-p", "jsn", "scale", "lonely=2"]));
    let v = one_object(&said);
    assert_eq!(v["services"]["lonely"], 2, "{v}");
    let said = ok(compose(&sb, &dir, &["--json"], &["-p", "jsn", "down", "-v"]));
    let v = one_object(&said);
    assert_eq!((v["action"].as_str(), v["boxes"].as_u64()), (Some("down"), Some(4)), "{v}");
}

#[test]
fn build_answers_json_with_the_image_and_streams_its_events_on_stderr() {
    let sb = Sandbox::new("out-build");
    sb.ok(&["image", "busybox"]);
    let ctx = sb.root.parent().unwrap().join("build-ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::write(ctx.join("Dockerfile"), "FROM busybox\nRUN echo hi > /greeting\n").unwrap();
    let out = sb.run(&["--json", "build", ctx.to_str().unwrap(), "-t", "out-built"]);
    let said = crate::harness::text(&out.stdout);
    assert!(out.status.success(), "{said}\n{}", crate::harness::text(&out.stderr));
    let v = one_object(&said);
    assert_eq!((v["image"]["name"].as_str(), v["steps"].as_u64()), (Some("out-built"), Some(2)), "{v}");
    let events = crate::harness::text(&out.stderr);
    let first: Value = serde_json::from_str(events.lines().next().unwrap_or_default()).expect("events as JSON lines");
    assert_eq!(first["id"], 1, "{events}");
}
