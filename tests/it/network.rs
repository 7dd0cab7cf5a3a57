//! Networking: veth pairs into a bridge, boxes talking, published ports.
//! These tests take one lock, so the host's link list before and after each
//! is theirs alone to compare.

use crate::harness::{Sandbox, text};
use std::io::{Read, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static LINKS: Mutex<()> = Mutex::new(());

fn links() -> Vec<String> {
    let out = std::process::Command::new("ip").args(["-o", "link"]).output().unwrap();
    let mut v: Vec<String> = text(&out.stdout)
        .lines()
        .filter_map(|l| l.split(": ").nth(1))
        .map(|n| n.split('@').next().unwrap().to_string())
        .collect();
    v.sort();
    v
}

fn hex_hash(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

/// Runs a network test, then checks the host's links: none of the names
/// glassbox derives for this test's root and boxes is left, and no interface
/// that was there before (other than another test run's `gb…`) went away.
fn with_links(test: &str, f: impl FnOnce(&Sandbox)) {
    let _guard = LINKS.lock().unwrap_or_else(|e| e.into_inner());
    let before = links();
    let (root, boxes) = {
        let sb = Sandbox::new(test);
        f(&sb);
        (sb.root.display().to_string(), sb.names_given())
    };
    let mut ours = vec![format!("gb{}", &hex_hash(&root)[..6])];
    ours.extend(boxes.iter().map(|b| format!("gb{}", &hex_hash(&format!("{root}/{b}"))[..8])));
    let now = links();
    let left: Vec<&String> = now.iter().filter(|l| ours.contains(l)).collect();
    assert!(left.is_empty(), "host interfaces left behind: {left:?}");
    let gone: Vec<&String> = before.iter().filter(|l| !l.starts_with("gb") && !now.contains(l)).collect();
    assert!(gone.is_empty(), "host interfaces removed: {gone:?}");
}

fn connected(sb: &Sandbox) -> (String, String) {
    let name = sb.name("n");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "net", "pid", "mnt"]);
    sb.ok(&["net", &name]);
    let ip = sb.inspect(&name)["network"]["address"].as_str().unwrap().split('/').next().unwrap().to_string();
    (name, ip)
}

#[test]
fn two_boxes_on_the_bridge_talk_and_a_third_cannot() {
    with_links("nettalk", |sb| {
        let (a, ip_a) = connected(sb);
        let (b, _) = connected(sb);
        sb.ok(&["run", "-d", &a, "--", "busybox", "nc", "-l", "-p", "5000", "-e", "busybox", "echo", "hello from a"]);
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut got = String::new();
        while Instant::now() < deadline && !got.contains("hello from a") {
            got = text(&sb.run(&["exec", &b, "--", "busybox", "nc", "-w", "2", &ip_a, "5000"]).stdout);
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(got.contains("hello from a"), "box b reaches box a's listener by address: {got:?}");
        assert!(
            sb.ok(&["exec", &b, "--", "busybox", "ping", "-c", "1", "-W", "2", &ip_a]).contains("1 packets received")
        );
        let lonely = sb.name("lonely");
        sb.ok(&["create", &lonely]);
        sb.ok(&["unshare", &lonely, "net"]);
        let out = sb.run(&["run", &lonely, "--", "busybox", "nc", "-w", "1", &ip_a, "5000"]);
        assert!(!out.status.success(), "a box with only lo cannot reach them");
        let m = sb.inspect(&a);
        assert_eq!(m["network"]["interface"], "eth0");
        assert!(m["network"]["host_veth"].as_str().unwrap().starts_with("gb"));
    });
}

#[test]
fn a_published_port_forwards_host_loopback_into_the_box() {
    with_links("netpublish", |sb| {
        let (a, _) = connected(sb);
        sb.ok(&[
            "run",
            "-d",
            &a,
            "--",
            "sh",
            "-c",
            "while true; do busybox nc -l -p 8000 -e busybox echo published; done",
        ]);
        let port = 20000 + (std::process::id() % 20000) as u16;
        sb.ok(&["publish", &a, &format!("{port}:8000")]);
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut got = String::new();
        while Instant::now() < deadline && !got.contains("published") {
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let _ = s.write_all(b"\n");
                got.clear();
                let _ = s.read_to_string(&mut got);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(got.contains("published"), "the host reaches the box through 127.0.0.1:{port}: {got:?}");
        assert!(sb.inspect(&a)["network"]["published"][0].as_str().unwrap().starts_with(&format!("127.0.0.1:{port}")));
        let busy = sb.fails(2, &["publish", &a, &format!("{port}:8000")]);
        assert!(busy.contains("pick another host port"), "{busy}");
        sb.ok(&["rm", "--force", &a]);
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "the proxy goes with the box");
    });
}

#[test]
fn bad_network_input_is_refused_and_changes_nothing() {
    with_links("netbad", |sb| {
        let name = sb.name("nb");
        sb.ok(&["create", &name]);
        let err = sb.fails(2, &["net", &name]);
        assert!(err.contains("needs a network namespace first"), "{err}");
        sb.ok(&["unshare", &name, "net"]);
        for bad in ["300.1.1.1", "10.88.0", "x/24", "192.168.1.5/24", "10.88.0.1/16"] {
            sb.fails(2, &["net", &name, "--ip", bad]);
        }
        let err = sb.fails(2, &["publish", &name, "8080:80"]);
        assert!(err.contains("not connected"), "{err}");
        sb.ok(&["net", &name]);
        for bad in ["80:80", "0:80", "x:80", "8080", "8080:0", "70000:80"] {
            sb.fails(2, &["publish", &name, bad]);
        }
        let (_, ip) = connected(sb);
        let other = sb.name("taken");
        sb.ok(&["create", &other]);
        sb.ok(&["unshare", &other, "net"]);
        let err = sb.fails(2, &["net", &other, "--ip", &ip]);
        assert!(err.contains("already taken"), "{err}");
    });
}

#[test]
fn killed_after_the_veth_was_made_rm_force_removes_it() {
    with_links("netcrash", |sb| {
        let name = sb.name("nc");
        sb.ok(&["create", &name]);
        sb.ok(&["unshare", &name, "net"]);
        let mut child = sb
            .cmd()
            .args(["net", &name])
            .env("GLASSBOX_PAUSE_BEFORE", "attach_to_bridge")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(800));
        child.kill().unwrap();
        child.wait().unwrap();
        sb.ok(&["rm", "--force", &name]);
    });
}

#[test]
fn a_host_interface_with_the_same_name_is_left_alone() {
    with_links("netclash", |sb| {
        let name = sb.name("clash");
        sb.ok(&["create", &name]);
        sb.ok(&["unshare", &name, "net"]);
        let plan = sb.ok(&["--dry-run", "net", &name]);
        // The dry run names the host end glassbox would make.
        let line = plan.lines().find(|l| l.contains("type veth")).expect("the plan makes a veth pair");
        let veth = line.split("ip link add ").nth(1).unwrap().split(' ').next().unwrap().to_string();
        let ip = |args: &[&str]| std::process::Command::new("ip").args(args).status().unwrap().success();
        assert!(ip(&["link", "add", &veth, "type", "bridge"]), "made a stand-in interface {veth}");
        let err = sb.fails(2, &["net", &name]);
        let still_there = ip(&["link", "show", &veth]);
        let _ = ip(&["link", "del", &veth]);
        assert!(err.contains("already exists") && err.contains(&veth), "{err}");
        assert!(still_there, "the host's interface is untouched");
    });
}

#[test]
fn the_subnet_is_chosen_when_the_bridge_is_made() {
    with_links("netsubnet", |sb| {
        let boxes: Vec<String> = (0..3)
            .map(|_| {
                let n = sb.name("s");
                sb.ok(&["create", &n]);
                sb.ok(&["unshare", &n, "net"]);
                n
            })
            .collect();
        sb.ok(&["net", &boxes[0], "--subnet", "10.77.5.0/24"]);
        assert_eq!(sb.inspect(&boxes[0])["network"]["address"], "10.77.5.2/24");
        let err = sb.fails(2, &["net", &boxes[1], "--subnet", "10.77.6.0/24"]);
        assert!(err.contains("already uses 10.77.5.0/24"), "{err}");
        sb.ok(&["net", &boxes[1]]);
        assert_eq!(
            sb.inspect(&boxes[1])["network"]["address"],
            "10.77.5.3/24",
            "the bridge's subnet is read back from the kernel"
        );
        sb.fails(2, &["net", &boxes[2], "--subnet", "10.77.0.0/16"]);
    });
}
