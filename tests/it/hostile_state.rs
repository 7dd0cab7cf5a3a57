//! Hostile tests of the state root: who may reach it, what a killed command
//! leaves in it, and the limits overlayfs puts on a box's layer stack.

use crate::harness::Sandbox;

/// Exactly one line on stderr, and it says `want`.
fn one_line(stderr: &str, want: &str) {
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(want), "{want:?} in {stderr}");
}

#[test]
fn a_box_folder_without_a_record_is_listed_broken_and_reset_removes_it() {
    let sb = Sandbox::new("broken");
    let kept = sb.name("kept");
    sb.ok(&["create", &kept]);
    // What `create` leaves when it is killed between its mkdir and the
    // rename of its record: its lock file, the box folder and the draft.
    let name = sb.name("torn");
    let dir = sb.root.join("boxes").join(&name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(sb.root.join("locks").join(format!("{name}.lock")), "").unwrap();
    std::fs::write(dir.join("box.json.999999.tmp"), r#"{"name": "tor"#).unwrap();

    let ls = sb.ok(&["ls"]);
    let row = ls.lines().find(|l| l.split_whitespace().next() == Some(name.as_str()));
    assert!(row.is_some_and(|r| r.split_whitespace().nth(1) == Some("broken")), "{ls}");
    assert!(ls.contains(&format!("glassbox rm --force {name}")), "ls says the fix: {ls}");
    // A new box of that name would inherit what is left: refused, with the fix.
    one_line(&sb.fails(2, &["create", &name]), &format!("glassbox rm --force {name}"));
    one_line(&sb.fails(2, &["rm", &name]), &format!("glassbox rm --force {name}"));
    assert!(dir.join("box.json.999999.tmp").exists(), "a refusal changes nothing");

    sb.ok(&["reset"]);
    assert!(!dir.exists(), "reset removes every box folder, recorded or not");
    assert_eq!(sb.ok(&["ls"]).lines().count(), 1, "only the header remains: {}", sb.ok(&["ls"]));
}
