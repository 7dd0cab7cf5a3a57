//! `glassbox compose` on the real kernel: a compose.yaml becomes ordinary
//! boxes, made by ordinary steps, that find each other by service name.

use crate::harness::{Sandbox, text};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A project folder in the sandbox holding the fixture as compose.yaml.
pub fn project(sb: &Sandbox, fixture: &str) -> PathBuf {
    let dir = sb.root.parent().unwrap().join(fixture.trim_end_matches(".yaml"));
    std::fs::create_dir_all(&dir).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compose").join(fixture);
    std::fs::copy(from, dir.join("compose.yaml")).unwrap();
    dir
}

/// `glassbox --root R compose -f DIR/compose.yaml ARGS` (with the extra global flags first).
pub fn compose(sb: &Sandbox, dir: &Path, global: &[&str], args: &[&str]) -> std::process::Output {
    let file = dir.join("compose.yaml");
    let mut cmd = sb.cmd();
    cmd.args(global).arg("compose").arg("-f").arg(file).args(args);
    cmd.output().unwrap()
}

pub fn ok(out: std::process::Output) -> String {
    assert!(out.status.success(), "compose failed ({:?}):\n{}\n{}", out.status, text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

pub fn ps(sb: &Sandbox, dir: &Path, project: &str) -> Vec<Value> {
    let out = ok(compose(sb, dir, &["--json"], &["-p", project, "ps"]));
    serde_json::from_str::<Value>(&out).unwrap().as_array().unwrap().clone()
}

#[test]
fn up_makes_boxes_of_steps_that_find_each_other_by_service_name() {
    let sb = Sandbox::new("compose-up");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "two-services.yaml");
    let planned = ok(compose(&sb, &dir, &["--dry-run"], &["-p", "shop", "up"]));
    assert!(planned.contains("compose up is these 20 steps:"), "{planned}");
    assert!(planned.contains("glassbox volume create shop_data"), "{planned}");
    assert!(planned.contains("glassbox limit shop-web-1 --memory 64M --pids 64"), "{planned}");
    assert!(planned.contains("# wave 1 (in parallel): shop-db-1, shop-lonely-1"), "{planned}");
    assert!(sb.ok(&["ls"]).lines().count() <= 1, "a dry run made a box");

    let said = ok(compose(&sb, &dir, &[], &["-p", "shop", "up", "-d"]));
    assert!(said.contains("project shop is up: 3 boxes made by 20 steps"), "{said}");
    let rows = ps(&sb, &dir, "shop");
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["shop-db-1", "shop-lonely-1", "shop-web-1"]);
    assert!(rows.iter().all(|r| r["state"] == "running"), "{rows:?}");
    // Ordinary boxes, labelled with their project, each step with its cause.
    assert_eq!(sb.inspect("shop-web-1")["project"], "shop");
    let history = sb.ok(&["history", "shop-web-1"]);
    assert!(
        history.contains("compose up (project shop)") && history.contains("glassbox rootfs shop-web-1 busybox"),
        "{history}"
    );

    let hosts = ok(compose(&sb, &dir, &[], &["-p", "shop", "exec", "web", "--", "busybox", "cat", "/etc/hosts"]));
    let db_ip = rows[0]["address"].as_str().unwrap();
    assert!(hosts.contains(&format!("{db_ip}\tshop-db-1 db")), "{hosts}");
    let mut answer = String::new();
    for _ in 0..50 {
        answer = text(
            &compose(&sb, &dir, &[], &["-p", "shop", "exec", "web", "--", "busybox", "nc", "-w", "2", "db", "5000"])
                .stdout,
        );
        if answer.contains("pong") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(answer.contains("pong"), "web could not reach db by name: {answer:?}");
    // The project's own bridge, gone with its last box.
    let bridge = sb.inspect("shop-web-1")["network"]["bridge"].as_str().unwrap().to_string();
    assert_eq!(sb.inspect("shop-db-1")["network"]["bridge"], bridge.as_str());
    assert!(planned.contains("glassbox net shop-web-1 --network shop"), "{planned}");
    // network_mode: none has only lo, and no address in anyone's hosts file.
    assert!(sb.inspect("shop-lonely-1")["network"].is_null());
    let logs = ok(compose(&sb, &dir, &[], &["-p", "shop", "logs", "db"]));
    assert!(logs.contains("shop-db-1 | db says ready"), "{logs}");

    // A second up finds every box there; down removes them, -v the volume.
    assert!(ok(compose(&sb, &dir, &[], &["-p", "shop", "up", "-d"])).contains("every box is there already"));
    ok(compose(&sb, &dir, &[], &["-p", "shop", "down", "-v"]));
    assert!(sb.ok(&["ls"]).lines().count() <= 1, "boxes left: {}", sb.ok(&["ls"]));
    assert!(!sb.ok(&["volume", "ls"]).contains("shop_data"));
    let link = std::process::Command::new("ip").args(["link", "show", &bridge]).output().unwrap();
    assert!(!link.status.success(), "bridge {bridge} left behind");
    let again = compose(&sb, &dir, &[], &["-p", "shop", "down"]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again.stderr));
    assert!(text(&again.stderr).contains("project shop has no boxes"));
}

#[test]
fn healthy_and_completed_dependencies_come_first() {
    let sb = Sandbox::new("compose-health");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "healthy.yaml");
    let said = ok(compose(&sb, &dir, &[], &["-p", "h", "up", "-d"]));
    let healthy = said.find("h-db-1: healthy").expect("up waited for db");
    let migrate = said.find("h-migrate-1: glassbox create").unwrap();
    let web = said.find("h-web-1: glassbox create").unwrap();
    assert!(healthy < migrate && migrate < web, "{said}");
    let rows = ps(&sb, &dir, "h");
    let db = rows.iter().find(|r| r["service"] == "db").unwrap();
    assert_eq!(db["health"], "healthy", "{rows:?}");
    ok(compose(&sb, &dir, &[], &["-p", "h", "down"]));
}

#[test]
fn a_failed_up_removes_what_it_made() {
    let sb = Sandbox::new("compose-fail");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "never-healthy.yaml");
    let out = compose(&sb, &dir, &[], &["-p", "sick", "up", "-d"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("sick-db-1 never became healthy"), "{err}");
    assert!(text(&out.stdout).contains("removed what this up made: sick-db-1, sick_cache"), "{}", text(&out.stdout));
    assert!(sb.ok(&["ls"]).lines().count() <= 1, "boxes left: {}", sb.ok(&["ls"]));
    assert!(!sb.ok(&["volume", "ls"]).contains("sick_cache"));
}

#[test]
fn scale_adds_and_removes_replicas_and_keeps_hosts_current() {
    let sb = Sandbox::new("compose-scale");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "healthy.yaml");
    ok(compose(&sb, &dir, &[], &["-p", "s", "up", "-d", "db"]));
    ok(compose(&sb, &dir, &[], &["-p", "s", "scale", "db=3"]));
    let hosts = ok(compose(&sb, &dir, &[], &["-p", "s", "exec", "db", "--", "busybox", "cat", "/etc/hosts"]));
    assert!(hosts.contains("s-db-1 db") && hosts.contains("s-db-3\n"), "{hosts}");
    ok(compose(&sb, &dir, &[], &["-p", "s", "scale", "db=1"]));
    let rows: Vec<String> = ps(&sb, &dir, "s").iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(rows, ["s-db-1"]);
    ok(compose(&sb, &dir, &[], &["-p", "s", "down"]));
}
