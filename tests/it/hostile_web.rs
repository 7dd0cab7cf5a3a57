//! `glassbox serve` under a connection flood: pages are still served
//! promptly while thousands of connections say nothing or trickle bytes.

use crate::harness::{Sandbox, patience, text};
use crate::web::{Server, connections_we_may_open};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// One GET with the right Host, given `budget` in all; true if it was
/// answered 200 within it.
fn answered_within(port: u16, budget: Duration) -> bool {
    let start = Instant::now();
    let Ok(mut s) = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), budget) else { return false };
    let _ = s.set_read_timeout(Some(budget));
    let _ = s.set_write_timeout(Some(budget));
    let head = format!("GET /api/boxes HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if s.write_all(head.as_bytes()).is_err() {
        return false;
    }
    let mut raw = vec![];
    let _ = s.read_to_end(&mut raw);
    text(&raw).starts_with("HTTP/1.1 200 ") && start.elapsed() <= budget
}

/// Sends `bytes` on every other connection; the server may have closed some.
fn trickle(flood: &mut [TcpStream], bytes: &[u8]) {
    for c in flood.iter_mut().skip(1).step_by(2) {
        let _ = c.write_all(bytes);
    }
}

#[test]
fn pages_are_served_within_a_second_while_two_thousand_connections_idle_or_trickle() {
    let sb = Sandbox::new("hostile-web-flood");
    let server = Server::start(&sb);
    let p = server.port;
    let mut flood: Vec<TcpStream> =
        (0..connections_we_may_open(2000)).filter_map(|_| TcpStream::connect(("127.0.0.1", p)).ok()).collect();
    assert!(flood.len() >= 1000, "could open only {} flood connections", flood.len());
    // Every other one starts a request it never finishes: one byte a second.
    trickle(&mut flood, b"GET / HTTP/1.1\r\n");

    let budget = patience(Duration::from_secs(1));
    let until = Instant::now() + Duration::from_secs(5);
    let (mut asked, mut answered) = (0, 0);
    let mut trickle_at = Instant::now();
    while Instant::now() < until && asked < 100 {
        if Instant::now() >= trickle_at {
            trickle(&mut flood, b"X");
            trickle_at += Duration::from_secs(1);
        }
        asked += 1;
        answered += answered_within(p, budget) as u32;
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(asked >= 20, "only {asked} requests fit in the flood's time");
    assert!(answered * 100 >= asked * 95, "{answered} of {asked} requests answered within {budget:?}");
    drop(flood);
}

/// Reads until the server closes `c`, sending `trickle` every half second
/// meanwhile; how long that took, or `None` past `limit`.
fn closed_after(c: &mut TcpStream, trickle: &[u8], limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    c.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    while start.elapsed() < limit {
        let _ = c.write_all(trickle);
        match c.read(&mut [0; 512]) {
            Ok(0) => return Some(start.elapsed()),
            Err(e) if !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Some(start.elapsed());
            }
            _ => {}
        }
    }
    None
}

#[test]
fn a_connection_that_never_finishes_its_request_head_is_closed_after_five_seconds() {
    // Silent, or sending a header byte every half second: never idle, and
    // still closed at the head deadline, so no flood holds a slot for long.
    let sb = Sandbox::new("hostile-web-head");
    let server = Server::start(&sb);
    let p = server.port;
    let limit = patience(Duration::from_secs(15));
    for trickle in [&b""[..], b"X"] {
        let mut c = TcpStream::connect(("127.0.0.1", p)).unwrap();
        c.write_all(b"GET / HTTP/1.1\r\n").unwrap();
        let took = closed_after(&mut c, trickle, limit);
        let took = took.unwrap_or_else(|| panic!("sending {trickle:?}: still open after {limit:?}"));
        assert!(took >= Duration::from_secs(4), "sending {trickle:?}: closed already after {took:?}");
    }
    // A kept-alive connection between two requests waits for a head too.
    let mut c = TcpStream::connect(("127.0.0.1", p)).unwrap();
    write!(c, "GET /api/boxes HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\n\r\n").unwrap();
    let mut first = [0; 16];
    c.read_exact(&mut first).unwrap();
    assert!(first.starts_with(b"HTTP/1.1 200"), "{:?}", text(&first));
    let took = closed_after(&mut c, b"", limit).expect("a kept-alive connection is closed when unused");
    assert!(took >= Duration::from_secs(4), "kept alive only {took:?}");
}
