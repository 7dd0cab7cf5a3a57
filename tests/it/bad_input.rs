//! Clean rejection: exit 2, one line naming the bad input, nothing changed.

use crate::harness::{Sandbox, mounts_containing};

fn nothing_made(sb: &Sandbox) {
    let boxes = sb.root.join("boxes");
    let n = std::fs::read_dir(&boxes).map(|d| d.count()).unwrap_or(0);
    assert_eq!(n, 0, "no box folder may be created by a rejected command");
    assert!(mounts_containing(&sb.root.display().to_string()).is_empty());
}

#[test]
fn hostile_box_names_are_rejected() {
    let sb = Sandbox::new("names");
    let long = "a".repeat(64);
    for bad in ["..", ".", "a/b", "", &long, "-x", "a\nb", "\x1b[31mred", "UPPER", "../../etc"] {
        // `--` so that "-x" reaches glassbox's own check instead of the option parser.
        let err = sb.fails(2, &["create", "--", bad]);
        assert!(err.contains("invalid box name") && err.lines().count() == 1, "{bad:?}: {err}");
        nothing_made(&sb);
    }
}

#[test]
fn duplicate_create_is_rejected() {
    let sb = Sandbox::new("dup");
    let name = sb.name("dup");
    sb.ok(&["create", &name]);
    let err = sb.fails(2, &["create", &name]);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn unknown_kind_lists_the_valid_ones() {
    let sb = Sandbox::new("kind");
    let name = sb.name("k");
    sb.ok(&["create", &name]);
    let err = sb.fails(2, &["unshare", &name, "uts", "mount"]);
    assert!(err.contains("\"mount\"") && err.contains("user mnt uts ipc net cgroup time pid"), "{err}");
    assert_eq!(sb.inspect(&name)["steps"].as_array().unwrap().len(), 1, "nothing was applied, not even uts");
}

#[test]
fn bad_values_are_rejected_before_anything_is_made() {
    let sb = Sandbox::new("values");
    let name = sb.name("v");
    sb.ok(&["create", &name]);
    let long_host = "h".repeat(65);
    let cases: Vec<Vec<&str>> = vec![
        vec!["unshare", &name, "user", "--map-root-to", "abc"],
        vec!["unshare", &name, "user", "--map-root-to", "-1"],
        vec!["unshare", &name, "user", "--map-root-to", "0"],
        vec!["unshare", &name, "user", "--map-root-to", "99999999999"],
        vec!["unshare", &name, "uts", "--hostname", &long_host],
        vec!["unshare", &name, "uts", "--hostname", ""],
        vec!["unshare", &name, "ipc", "--hostname", "x"],
        vec!["unshare", &name, "time", "--monotonic-offset", "1e3"],
        vec!["unshare", &name, "ipc", "--monotonic-offset", "10"],
    ];
    for args in cases {
        let err = sb.fails(2, &args);
        assert!(!err.trim().is_empty(), "{args:?}");
        assert!(mounts_containing(&sb.root.display().to_string()).is_empty(), "{args:?} made a mount");
        assert_eq!(sb.inspect(&name)["steps"].as_array().unwrap().len(), 1, "{args:?} recorded a step");
    }
}

#[test]
fn unsharing_a_kind_twice_says_so() {
    let sb = Sandbox::new("twice");
    let name = sb.name("t");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts"]);
    let err = sb.fails(2, &["unshare", &name, "uts"]);
    assert!(err.contains("already has its own uts namespace"), "{err}");
}

#[test]
fn user_after_other_namespaces_explains_ownership() {
    let sb = Sandbox::new("userlate");
    let name = sb.name("late");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts", "net"]);
    let err = sb.fails(2, &["unshare", &name, "user"]);
    assert!(
        err.contains("owned by the host's user namespace") && err.contains("unshare") && err.contains("user uts net"),
        "{err}"
    );
    assert_eq!(sb.inspect(&name)["namespaces"][0]["isolated"], false);
}

#[test]
fn time_offsets_after_the_namespace_exists_are_refused() {
    let sb = Sandbox::new("timelate");
    let name = sb.name("tl");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "time"]);
    let err = sb.fails(2, &["unshare", &name, "uts", "--monotonic-offset", "60"]);
    assert!(err.contains("fixed once a process has entered it"), "{err}");
}

#[test]
fn missing_command_after_dashes_is_a_usage_error() {
    let sb = Sandbox::new("noargv");
    let name = sb.name("na");
    sb.ok(&["create", &name]);
    sb.fails(2, &["run", &name]);
    sb.fails(2, &["unshare", &name]);
}

#[test]
fn a_root_whose_path_would_split_is_rejected_before_anything_is_made() {
    // Every path glassbox makes starts with the root, and ends up in overlay
    // options (`,` `:` and `\` are overlayfs syntax) and in the shell lines
    // of --explain and history --script (a space splits a word). The root is
    // refused before `image busybox` could store a layer under it.
    let sb = Sandbox::new("rootchars");
    let base = sb.root.parent().unwrap();
    for bad in ["my class", "x:y", "a,b", "back\\slash", "new\nline", "esc\x1b[31m"] {
        let root = base.join(bad);
        let out = std::process::Command::new(crate::harness::BIN)
            .arg("--root")
            .arg(&root)
            .args(["image", "busybox"])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let err = crate::harness::text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {err}");
        assert!(err.contains("only letters, digits") && err.trim().lines().count() == 1, "{bad:?}: {err}");
        assert!(!root.exists(), "{bad:?}: the root folder was made");
    }
    assert!(mounts_containing(&base.display().to_string()).is_empty());
    // reset alone takes such a root: an older glassbox may have made one.
    let odd = base.join("old root");
    std::fs::create_dir(&odd).unwrap();
    let out = std::process::Command::new(crate::harness::BIN)
        .arg("--root")
        .arg(&odd)
        .arg("reset")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "reset under {odd:?}: {}", crate::harness::text(&out.stderr));
}
