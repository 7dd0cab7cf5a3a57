//! A pool's balancer under the moves of a rolling update, one at a time
//! and without one: a member that refuses the connection (its box going
//! away between the accept and the connect) is skipped for another; a
//! client that comes while no member serves waits for one; and a client no
//! member takes in the balancer's patience gets its connection closed
//! (FIN, an empty answer), never reset with its request unread.

use crate::compose_replicas::{free_port, get};
use crate::harness::{Sandbox, patience};
use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

/// A box on the default network; serving `its name` over HTTP on port 80 when `serve`.
fn member(sb: &Sandbox, suffix: &str, serve: bool) -> String {
    let b = sb.name(suffix);
    for step in [vec!["create", &b], vec!["unshare", &b, "uts", "ipc", "net", "pid", "mnt"]] {
        sb.ok(&step);
    }
    sb.ok(&["rootfs", &b, "busybox"]);
    sb.ok(&["net", &b]);
    if serve {
        let script = format!("busybox mkdir -p /www; echo {b} > /www/index.html; exec busybox httpd -f -p 80 -h /www");
        sb.ok(&["run", "-d", &b, "--", "busybox", "sh", "-c", &script]);
    }
    b
}

/// Until the box answers on port 80 itself (its httpd has started).
fn serving(sb: &Sandbox, b: &str) {
    let target: std::net::SocketAddr = format!("{}:80", address(sb, b)).parse().unwrap();
    let deadline = Instant::now() + patience(Duration::from_secs(10));
    while std::net::TcpStream::connect_timeout(&target, Duration::from_secs(1)).is_err() {
        assert!(Instant::now() < deadline, "{b} never listened on {target}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_refusing_member_is_skipped_and_a_client_waits_while_no_member_serves() {
    let sb = Sandbox::new("lb-wait");
    sb.ok(&["image", "busybox"]);
    let pool = sb.name("svc");
    let port = free_port();
    let ports = format!("{port}:80");
    // A member whose box has no server: every connection to it is refused,
    // as to a box removed just after the balancer chose it.
    let gone = member(&sb, "gone", false);
    sb.ok(&["pool", "add", &pool, &gone, &ports]);
    let up = member(&sb, "up", true);
    serving(&sb, &up);

    // Nothing serves: the client is held, and answered once a member joins.
    let waiting = std::thread::spawn(move || get(port));
    std::thread::sleep(Duration::from_millis(1500));
    assert!(!waiting.is_finished(), "the client was let go while no member served");
    sb.ok(&["pool", "add", &pool, &up, &ports]);
    assert_eq!(waiting.join().unwrap().map(|b| b.trim().to_string()), Ok(up.clone()));

    // Round robin chooses the refusing member every other time: each such
    // connection goes on to the one that serves.
    for i in 0..10 {
        assert_eq!(get(port).map(|b| b.trim().to_string()), Ok(up.clone()), "request {i}");
    }
    sb.ok(&["pool", "rm", &pool]);
}

#[test]
fn a_client_no_member_takes_is_closed_after_its_request_is_read_not_reset() {
    let sb = Sandbox::new("lb-close");
    sb.ok(&["image", "busybox"]);
    let pool = sb.name("svc");
    let port = free_port();
    let gone = member(&sb, "gone", false);
    sb.ok(&["pool", "add", &pool, &gone, &format!("{port}:80")]);

    let began = Instant::now();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut answer = vec![];
    let read = s.read_to_end(&mut answer);
    let waited = began.elapsed();
    assert!(
        !matches!(&read, Err(e) if e.kind() == ErrorKind::ConnectionReset),
        "reset with the request unread after {waited:?}: {read:?}"
    );
    assert_eq!(read.map_err(|e| e.to_string()), Ok(0), "no member: no answer, an end");
    assert!(waited >= Duration::from_secs(9), "held for the balancer's patience (10 s), not {waited:?}");
    sb.ok(&["pool", "rm", &pool]);
}

fn mac(link: &str) -> String {
    std::fs::read_to_string(format!("/sys/class/net/{link}/address")).unwrap().trim().to_string()
}

/// A bridge that took its ports' lowest MAC address changed it when that
/// port's box went: the boxes that stayed kept the old one for their
/// gateway, and their answers to the balancer went to no one (a request
/// stalled until its client gave up, or no member answered in time).
#[test]
fn the_bridge_keeps_its_mac_address_as_replicas_come_and_go() {
    let sb = Sandbox::new("lb-mac");
    sb.ok(&["image", "busybox"]);
    let first = member(&sb, "first", false);
    let net = sb.inspect(&first)["network"].clone();
    let bridge = net["bridge"].as_str().unwrap().to_string();
    let before = mac(&bridge);
    let mut ports = vec![mac(net["host_veth"].as_str().unwrap())];
    for suffix in ["second", "third"] {
        let b = member(&sb, suffix, false);
        ports.push(mac(sb.inspect(&b)["network"]["host_veth"].as_str().unwrap()));
        assert_eq!(mac(&bridge), before, "{b} joined");
    }
    assert!(!ports.contains(&before), "the bridge has an address of its own, not a port's: {before} {ports:?}");
    sb.ok(&["rm", "--force", &first]);
    assert_eq!(mac(&bridge), before, "{first} went");
}

fn address(sb: &Sandbox, b: &str) -> String {
    sb.inspect(b)["network"]["address"].as_str().unwrap().split('/').next().unwrap().to_string()
}

/// Addresses are given again (the lowest free one): the host's ARP entry
/// still named the removed box's MAC, and nothing reached the new box for
/// up to half a minute (36.8 s measured), as a replica of a rolling update
/// on the address of the one it replaced.
#[test]
fn a_box_on_the_address_of_a_removed_one_is_reached_at_once() {
    let sb = Sandbox::new("lb-reuse");
    sb.ok(&["image", "busybox"]);
    let old = member(&sb, "old", true);
    // Another box keeps the bridge (and the host's ARP entries on it), as a replica that stays.
    let _stays = member(&sb, "stays", false);
    serving(&sb, &old);
    let was = address(&sb, &old);
    sb.ok(&["rm", "--force", &old]);
    let new = member(&sb, "new", true);
    assert_eq!(address(&sb, &new), was, "the lowest free address again");
    let target: std::net::SocketAddr = format!("{was}:80").parse().unwrap();
    let began = Instant::now();
    while std::net::TcpStream::connect_timeout(&target, Duration::from_millis(500)).is_err() {
        assert!(began.elapsed() < patience(Duration::from_secs(5)), "{new} unreachable at {target} for 5 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}
