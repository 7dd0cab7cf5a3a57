//! `deploy.replicas` behind one published port: the proxy takes turns over
//! the replicas, and skips one that is gone, so no request fails.

use crate::compose::{ok, project};
use crate::harness::Sandbox;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn get(port: u16) -> Result<String, String> {
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

fn free_port() -> u16 {
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
    assert!(
        planned.contains(&format!("glassbox publish rr-web-1 {port}:80 --also rr-web-2 --also rr-web-3")),
        "{planned}"
    );
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

    // Requests all along while one replica is removed: none fails.
    let stop = AtomicBool::new(false);
    let (sent, failed) = std::thread::scope(|scope| {
        let load = scope.spawn(|| {
            let (mut sent, mut failed) = (0, vec![]);
            while !stop.load(Ordering::Relaxed) && sent < 2000 {
                sent += 1;
                if let Err(e) = get(port) {
                    failed.push(e);
                }
            }
            (sent, failed)
        });
        std::thread::sleep(Duration::from_millis(300));
        sb.ok(&["rm", "--force", "rr-web-2"]);
        std::thread::sleep(Duration::from_millis(300));
        stop.store(true, Ordering::Relaxed);
        load.join().unwrap()
    });
    assert!(sent > 10, "only {sent} requests were sent");
    assert_eq!(failed, Vec::<String>::new(), "{} of {sent} requests failed", failed.len());
    ok(compose(&["-p", "rr", "down"]));
}
