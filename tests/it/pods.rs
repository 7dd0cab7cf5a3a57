//! Pods: boxes that share namespaces (`unshare B KIND... --join A`), on the
//! real kernel. The boxes have no root filesystem of their own, so they run
//! the host's busybox and util-linux.

use crate::harness::{Sandbox, mounts_containing, processes_mentioning, text};
use std::time::{Duration, Instant};

/// The namespace a box's process is in, as the process itself reads it.
fn ns_link(sb: &Sandbox, name: &str, kind: &str) -> String {
    sb.ok(&["run", name, "--", "readlink", &format!("/proc/self/ns/{kind}")]).trim().to_string()
}

fn namespace(sb: &Sandbox, name: &str, kind: &str) -> serde_json::Value {
    sb.inspect(name)["namespaces"].as_array().unwrap().iter().find(|n| n["kind"] == kind).unwrap().clone()
}

/// An app box serving HTTP on 127.0.0.1:8080 from a folder of its own.
fn app(sb: &Sandbox, kinds: &[&str]) -> String {
    let a = sb.name("app");
    let www = sb.root.parent().unwrap().join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("index.html"), "hello from the app\n").unwrap();
    sb.ok(&["create", &a]);
    let mut args = vec!["unshare", a.as_str()];
    args.extend_from_slice(kinds);
    sb.ok(&args);
    let www = www.display().to_string();
    sb.ok(&["run", "-d", &a, "--", "busybox", "httpd", "-f", "-p", "127.0.0.1:8080", "-h", &www]);
    a
}

/// What a box gets from 127.0.0.1:8080, retried for `patience` while the
/// server starts.
fn fetch(sb: &Sandbox, name: &str, patience: u64) -> (bool, String) {
    let deadline = Instant::now() + Duration::from_secs(patience);
    loop {
        let out = sb.run(&["run", name, "--", "busybox", "wget", "-qO-", "http://127.0.0.1:8080/"]);
        let got = (out.status.success(), text(&out.stdout));
        if got.0 || Instant::now() > deadline {
            return got;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_sidecar_that_joins_net_ipc_uts_reaches_the_app_on_localhost() {
    let sb = Sandbox::new("podnet");
    let a = app(&sb, &["net", "ipc", "uts", "pid", "mnt"]);
    let side = sb.name("side");
    sb.ok(&["create", &side]);
    sb.ok(&["unshare", &side, "net", "ipc", "uts", "--join", &a]);
    sb.ok(&["unshare", &side, "pid", "mnt"]);
    for kind in ["net", "ipc", "uts"] {
        let link = ns_link(&sb, &side, kind);
        assert_eq!(link, ns_link(&sb, &a, kind), "{kind}: both boxes' processes are in one namespace");
        assert_eq!(link, format!("{kind}:[{}]", sb.inodes(&a, kind).0));
    }
    assert_ne!(ns_link(&sb, &side, "mnt"), ns_link(&sb, &a, "mnt"), "each keeps its own mount table");
    let (ok, body) = fetch(&sb, &side, 10);
    assert!(ok && body.contains("hello from the app"), "the sidecar reaches the app on localhost: {body:?}");
    // One IPC namespace: a shared memory segment made in one is seen in the other.
    let made = sb.ok(&["run", &a, "--", "ipcmk", "-M", "4096"]);
    let id = made.split_whitespace().last().unwrap().to_string();
    assert!(sb.ok(&["run", &side, "--", "ipcs", "-m"]).contains(&id), "{made}");
    // The records say who made each namespace and who shares it.
    let net = namespace(&sb, &side, "net");
    assert_eq!((net["made_by"].as_str(), net["joined"].as_str()), (Some(a.as_str()), Some(a.as_str())));
    assert_eq!(namespace(&sb, &a, "net")["shared_with"], serde_json::json!([side]));
    assert_eq!(namespace(&sb, &a, "net")["made_by"].as_str(), Some(a.as_str()));
    assert_eq!(namespace(&sb, &side, "mnt")["made_by"].as_str(), Some(side.as_str()));
    let step = sb.ok(&["history", &side]);
    assert!(step.contains(&format!("nsenter --net={}/run/boxes/{a}/ns/net", sb.root.display())), "{step}");
    // A box with a network namespace of its own has its own localhost.
    let alone = sb.box_after("unshare", &["net"]);
    let (ok, body) = fetch(&sb, &alone, 0);
    assert!(!ok, "a separate net namespace does not reach the app's localhost: {body:?}");
    sb.ok(&["rm", "--force", &side]);
    sb.ok(&["rm", "--force", &a]);
}

#[test]
fn sharing_pid_shows_the_other_box_processes_and_not_sharing_hides_them() {
    let sb = Sandbox::new("podpid");
    let a = sb.name("a");
    sb.ok(&["create", &a]);
    sb.ok(&["unshare", &a, "pid", "mnt"]);
    sb.ok(&["run", "-d", &a, "--", "busybox", "sleep", "4242"]);
    let shared = sb.name("shared");
    sb.ok(&["create", &shared]);
    sb.ok(&["unshare", &shared, "pid", "--join", &a]);
    sb.ok(&["unshare", &shared, "mnt"]);
    let ps = sb.ok(&["run", &shared, "--", "busybox", "ps", "-o", "pid,args"]);
    assert!(ps.contains("sleep 4242") && ps.contains("glassbox-init"), "{ps}");
    assert_eq!(ns_link(&sb, &shared, "pid"), format!("pid:[{}]", sb.inodes(&a, "pid").0));
    let own = sb.box_after("unshare", &["pid", "mnt"]);
    assert!(!sb.ok(&["run", &own, "--", "busybox", "ps", "-o", "args"]).contains("sleep 4242"));
    // The PID namespace ends with a's init, and a sharer's processes with it.
    sb.ok(&["run", "-d", &shared, "--", "busybox", "sleep", "4343"]);
    assert!(sb.ok(&["stop", &a]).contains(&format!("and the processes of {shared} in it")));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_mentioning("sleep 4343").is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(processes_mentioning("sleep 4343").is_empty(), "the kernel killed the sharer's process");
    assert_eq!(sb.inspect(&shared)["state"], "stopped");
    let err = sb.fails(2, &["run", &shared, "--", "true"]);
    assert!(err.contains("ended with") && err.contains(&format!("glassbox rm {shared}")), "{err}");
    assert!(namespace(&sb, &shared, "pid")["maker_gone"].as_bool().unwrap());
}

#[test]
fn the_namespace_outlives_the_box_that_made_it_and_rm_of_both_leaves_nothing() {
    let sb = Sandbox::new("podlife");
    let a = sb.box_after("unshare", &["net", "uts", "--hostname", "pod1"]);
    let b = sb.name("b");
    sb.ok(&["create", &b]);
    sb.ok(&["unshare", &b, "net", "uts", "--join", &a]);
    let before = ns_link(&sb, &b, "net");
    sb.ok(&["rm", &a]);
    assert_eq!(ns_link(&sb, &b, "net"), before, "b's hold keeps the namespace");
    assert_eq!(sb.ok(&["run", &b, "--", "hostname"]).trim(), "pod1");
    let net = namespace(&sb, &b, "net");
    assert!(net["maker_gone"].as_bool().unwrap(), "{net}");
    assert!(sb.ok(&["inspect", &b]).contains("gone: this box's hold keeps it"));
    // A joins a sharer in turn: the namespace is still the one a made.
    let c = sb.name("c");
    sb.ok(&["create", &c]);
    sb.ok(&["unshare", &c, "net", "--join", &b]);
    let net = namespace(&sb, &c, "net");
    assert_eq!((net["made_by"].as_str(), net["joined"].as_str()), (Some(a.as_str()), Some(b.as_str())));
    sb.ok(&["rm", &b]);
    sb.ok(&["rm", &c]);
    let boxes = format!("{}/run/boxes", sb.root.display());
    assert_eq!(mounts_containing(&boxes), Vec::<String>::new(), "no hold left");
    assert_eq!(processes_mentioning(&sb.root.display().to_string()), Vec::<String>::new());
    assert_eq!(sb.ok(&["ls"]).lines().filter(|l| l.contains(&a) || l.contains(&b)).count(), 0);
}

#[test]
fn bad_joins_exit_2_and_change_nothing() {
    let sb = Sandbox::new("podbad");
    let a = sb.box_after("unshare", &["net", "user"]);
    let plain = sb.name("plain");
    sb.ok(&["create", &plain]);
    let b = sb.name("b");
    sb.ok(&["create", &b]);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["unshare", &b, "net", "--join", &b], "cannot join itself"),
        (vec!["unshare", &b, "net", "--join", &plain], "join what?"),
        (vec!["unshare", &b, "user", "--join", &a], "user namespace owns"),
        (vec!["unshare", &b, "cgroup", "--join", &a], "rooted at the cgroup"),
        (vec!["unshare", &b, "time", "--join", &a], "clock offsets"),
        (vec!["unshare", &b, "uts", "--hostname", "x", "--join", &a], "leave them out"),
        (vec!["unshare", &b, "net", "--join", "nosuchbox"], "no box named"),
        (vec!["unshare", &b, "pid", "--join", &plain], "join what?"),
    ];
    for (args, says) in cases {
        let err = sb.fails(2, &args);
        assert!(err.contains(says) && err.lines().count() == 1, "{args:?}: {err}");
    }
    // Already has its own: one namespace of each kind.
    sb.ok(&["unshare", &plain, "net", "pid"]);
    let err = sb.fails(2, &["unshare", &plain, "net", "--join", &a]);
    assert!(err.contains("already has a net namespace"), "{err}");
    // A box with a user namespace of its own cannot enter another's.
    let userish = sb.box_after("unshare", &["user"]);
    assert!(sb.fails(2, &["unshare", &userish, "net", "--join", &plain]).contains("EPERM"));
    // pid: the box joined must be running, the joiner must not be.
    sb.ok(&["run", "-d", &b, "--", "sleep", "60"]);
    assert!(sb.fails(2, &["unshare", &b, "pid", "--join", &plain]).contains("stop it first"));
    sb.ok(&["stop", &plain]);
    assert!(sb.fails(2, &["unshare", &b, "pid", "--join", &plain]).contains("is not running"));
    // A mount namespace joined is the other box's: no rootfs of its own on it.
    let m = sb.box_after("unshare", &["mnt"]);
    let joiner = sb.name("joiner");
    sb.ok(&["create", &joiner]);
    sb.ok(&["unshare", &joiner, "mnt", "--join", &m]);
    sb.ok(&["image", "busybox"]);
    assert!(sb.fails(2, &["rootfs", &joiner, "busybox"]).contains("shares"));
    assert_eq!(sb.inspect(&b)["steps"].as_array().unwrap().len(), 2, "nothing was recorded on b");
    assert!(mounts_containing(&format!("{}/run/boxes/{b}/ns/", sb.root.display())).is_empty());
    sb.ok(&["stop", &b]);
}
