//! `deploy.replicas` behind one published port: the proxy takes turns over
//! the replicas, and skips one that is gone, so no request fails.

use crate::compose::{ok, project};
use crate::harness::Sandbox;
use std::io::{Read, Write};
use std::time::Duration;

pub fn get(port: u16) -> Result<String, String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.0\r\n\r\n").map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    match answer.split_once("\r\n\r\n") {
        Some((head, body)) if head.contains(" 200 ") => Ok(body.to_string()),
        _ => Err(format!("not a 200: {answer:?}")),
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn replicas_share_one_port_and_a_removed_one_fails_no_request() {
    let sb = Sandbox::new("compose-replicas");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "replicas.yaml");
    let port = free_port();
    let compose = |args: &[&str]| {
        let mut cmd = sb.cmd();
        cmd.env("WEB_PORT", port.to_string()).arg("compose").arg("-f").arg(dir.join("compose.yaml")).args(args);
        cmd.output().unwrap()
    };
    let planned = ok({
        let mut cmd = sb.cmd();
        cmd.env("WEB_PORT", port.to_string()).args(["--dry-run", "compose", "-f"]).arg(dir.join("compose.yaml"));
        cmd.args(["-p", "rr", "up"]).output().unwrap()
    });
    assert!(planned.contains(&format!("glassbox pool add rr-web rr-web-3 {port}:80")), "{planned}");
    ok(compose(&["-p", "rr", "up", "-d"]));

    // Round robin: six requests reach the three replicas.
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..60 {
        if let Ok(body) = get(port) {
            seen.insert(body);
        }
        if seen.len() == 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(seen.len(), 3, "answers: {seen:?}");

    // One replica gone: `rm` takes it out of the pool first, and no request
    // fails. (A request in flight to a box as it is removed can fail: `rm`
    // does not drain; `pool drain` does, and a rolling update uses it.)
    sb.ok(&["rm", "--force", "rr-web-2"]);
    let mut answers = std::collections::BTreeSet::new();
    let mut failed = vec![];
    for _ in 0..30 {
        match get(port) {
            Ok(body) => {
                answers.insert(body);
            }
            Err(e) => failed.push(e),
        }
    }
    assert_eq!(failed, Vec::<String>::new(), "{} of 30 requests failed", failed.len());
    assert_eq!(answers.len(), 2, "the two replicas left answer: {answers:?}");

    // Scaled down, the replica that goes is drained out of the pool first.
    let said = ok(compose(&["-p", "rr", "scale", "web=1"]));
    assert!(said.contains("rr-web-3: glassbox pool drain rr-web rr-web-3"), "{said}");
    let left: std::collections::BTreeSet<String> = (0..10).map(|_| get(port).unwrap()).collect();
    assert_eq!(left.len(), 1, "one replica answers: {left:?}");
    ok(compose(&["-p", "rr", "down"]));
}
