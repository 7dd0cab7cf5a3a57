//! glassbox or the box init killed at the worst moment; `rm --force` cleans up.

use crate::harness::{Sandbox, mounts_containing, processes_mentioning};
use std::time::{Duration, Instant};

/// Starts a step that pauses before the named operation, kills glassbox
/// with SIGKILL while it waits there, and returns once it is dead.
pub(crate) fn kill_during(sb: &Sandbox, pause_before: &str, args: &[&str]) {
    let mut child = sb
        .cmd()
        .args(args)
        .env("GLASSBOX_PAUSE_BEFORE", pause_before)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut reader = std::io::BufReader::new(stderr);
    let mut line = String::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !line.contains("pausing before") && Instant::now() < deadline {
        line.clear();
        if std::io::BufRead::read_line(&mut reader, &mut line).unwrap() == 0 {
            break;
        }
    }
    assert!(line.contains("pausing before"), "glassbox never reached {pause_before}: {line}");
    child.kill().unwrap();
    child.wait().unwrap();
}

fn assert_gone(sb: &Sandbox) {
    let root = sb.root.display().to_string();
    // The helper dies with glassbox (PR_SET_PDEATHSIG); give the kernel a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_mentioning(&root).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(mounts_containing(&root).iter().all(|m| !m.contains("/boxes/")), "{:?}", mounts_containing(&root));
    assert!(processes_mentioning(&root).is_empty(), "{:?}", processes_mentioning(&root));
}

/// A new box, and an `unshare` of these kinds on it killed before its
/// first hold.
fn box_with_a_killed_unshare(tag: &str, kinds: &[&str]) -> (Sandbox, String) {
    box_with_an_unshare_killed_at(tag, "hold", kinds)
}

/// A new box, and an `unshare` of these kinds on it killed at `pause_before`.
fn box_with_an_unshare_killed_at(tag: &str, pause_before: &str, kinds: &[&str]) -> (Sandbox, String) {
    let sb = Sandbox::new(tag);
    let name = sb.name(&tag[tag.len() - 2..]);
    sb.ok(&["create", &name]);
    let args: Vec<&str> = ["unshare", name.as_str()].into_iter().chain(kinds.iter().copied()).collect();
    kill_during(&sb, pause_before, &args);
    (sb, name)
}

fn rm_leaves_nothing(sb: &Sandbox, name: &str) {
    sb.ok(&["rm", "--force", name]);
    assert_gone(sb);
}

#[test]
fn killed_after_holds_were_made_before_the_record_was_saved() {
    // Paused before the second hold: the first is mounted but unrecorded.
    let (sb, name) = box_with_a_killed_unshare("crashhold", &["uts", "ipc", "pid"]);
    let m = sb.inspect(&name);
    assert_eq!(m["steps"].as_array().unwrap().len(), 1, "the record still says what it said before");
    rm_leaves_nothing(&sb, &name);
}

#[test]
fn killed_after_the_init_started() {
    // The init has started (and mounted the box's /proc) before the mnt hold.
    let (sb, name) = box_with_a_killed_unshare("crashinit", &["pid", "mnt"]);
    rm_leaves_nothing(&sb, &name);
}

#[test]
fn a_box_whose_record_never_got_written_is_still_removable() {
    let (sb, name) = box_with_a_killed_unshare("crashnorec", &["pid", "uts"]);
    std::fs::remove_dir_all(sb.root.join("boxes").join(&name)).unwrap();
    rm_leaves_nothing(&sb, &name);
}

#[test]
fn the_init_killed_with_sigkill_leaves_a_stopped_box() {
    let sb = Sandbox::new("initkill");
    let name = sb.name("ik");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid", "uts"]);
    sb.ok(&["run", &name, "-d", "--", "sleep", "60"]);
    let init = sb.init_pid(&name);
    unsafe { kill(init, 9) };
    let deadline = Instant::now() + Duration::from_secs(5);
    while sb.inspect(&name)["state"] != "stopped" && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(sb.inspect(&name)["state"], "stopped");
    let err = sb.fails(2, &["exec", &name, "--", "true"]);
    assert!(err.contains("stopped"), "{err}");
    sb.ok(&["rm", &name]);
    assert_gone(&sb);
}

unsafe extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
}

#[test]
fn an_init_a_killed_step_left_goes_with_the_box_after_a_later_step() {
    let (sb, name) = box_with_a_killed_unshare("crashlater", &["pid", "mnt"]);
    // The record never named that init; this step starts and records another.
    sb.ok(&["unshare", &name, "pid"]);
    rm_leaves_nothing(&sb, &name);
}

#[test]
fn an_init_about_to_exec_dies_with_the_killed_step() {
    // Paused right before its exec: it has no argv of its own yet, so only
    // dying with the helper (which dies with glassbox) keeps it from
    // exec'ing after `rm` has looked.
    let (sb, name) = box_with_an_unshare_killed_at("crashexec", "detached_exec", &["pid"]);
    rm_leaves_nothing(&sb, &name);
}
