//! `reset` after a crash that lost every box record of a compose project:
//! the project's bridge (its name a hash of the root and the project) is
//! still found, from the note `net` left under the root when it made it.

use crate::compose::{compose, ok, project};
use crate::harness::Sandbox;
use std::path::Path;

/// Deletes the bridge on drop if it is still there: a failing test leaks nothing.
struct BridgeGuard(String);

impl Drop for BridgeGuard {
    fn drop(&mut self) {
        if exists(&self.0) {
            let _ = std::process::Command::new("ip").args(["link", "delete", &self.0]).status();
        }
    }
}

fn exists(link: &str) -> bool {
    Path::new("/sys/class/net").join(link).exists()
}

#[test]
fn reset_deletes_a_project_bridge_whose_box_records_are_all_gone() {
    let sb = Sandbox::new("compose-reset");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "two-services.yaml");
    ok(compose(&sb, &dir, &[], &["-p", "crash", "up", "-d"]));
    let bridge = sb.inspect("crash-web-1")["network"]["bridge"].as_str().unwrap().to_string();
    let _guard = BridgeGuard(bridge.clone());
    assert!(exists(&bridge), "the project's bridge {bridge} is up");
    let noted = sb.root.join("networks").join(format!("{bridge}.json"));
    assert!(noted.exists(), "net noted the bridge it made");

    // The crash: every record of the project's boxes is lost.
    for b in ["crash-web-1", "crash-db-1", "crash-lonely-1"] {
        std::fs::remove_file(sb.root.join("boxes").join(b).join("box.json")).unwrap();
    }
    let inspected = sb.run(&["inspect", "crash-web-1"]);
    assert!(!inspected.status.success(), "no record of the box is left to read");

    let planned = sb.ok(&["--dry-run", "reset"]);
    assert!(planned.contains(&format!("ip link delete {bridge}")), "{planned}");
    assert!(exists(&bridge), "a dry run deleted nothing");

    sb.ok(&["reset"]);
    assert!(!exists(&bridge), "reset left the project's bridge {bridge}");
    assert!(!sb.root.join("networks").exists(), "the notes go with the bridges");
}

#[test]
fn the_note_goes_with_the_bridge_when_its_last_box_is_removed() {
    let sb = Sandbox::new("net-note");
    let name = sb.box_after("unshare", &["net"]);
    sb.ok(&["net", &name, "--network", "notes"]);
    let bridge = sb.inspect(&name)["network"]["bridge"].as_str().unwrap().to_string();
    let _guard = BridgeGuard(bridge.clone());
    let note = sb.root.join("networks").join(format!("{bridge}.json"));
    let text = std::fs::read_to_string(&note).unwrap();
    assert!(text.contains("\"network\": \"notes\""), "{text}");
    sb.ok(&["rm", &name]);
    assert!(!exists(&bridge), "the bridge went with its last box");
    assert!(!note.exists() && !sb.root.join("networks").exists(), "and its note with it");
}
