//! The balancer of one pool port: `glassbox-lb NAME FD HOSTPORT ROOT`.
//!
//! Like the port proxy (`proxy.rs`) it copies each TCP connection from the
//! host's loopback to a box and back; unlike it, it belongs to no box. It
//! reads its pool's record again whenever the record changes (a watcher
//! thread, every 20 ms) and sends each new connection to the next
//! `serving` member in turn (round robin). A member that refuses the
//! connection is skipped for the next; with no member serving at all (one
//! replica stopped before its successor joined), the connection waits up to
//! ten seconds for one instead of failing, and is then closed with FIN
//! after its request is read, never reset (`proxy::let_go`). It counts the connections open
//! to each member and writes them, with the record's generation it runs on,
//! to `status-HOSTPORT.json`: what `pool drain` waits on.

use super::{MemberState, PoolRecord, Status};
use crate::output::say_err;
use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// How long a connection waits for a member to serve it.
const PATIENCE: Duration = Duration::from_secs(10);
const TICK: Duration = Duration::from_millis(20);

struct Shared {
    record: PoolRecord,
    box_port: u16,
    open: BTreeMap<String, u32>,
    next: usize,
}

pub fn main(args: &[String]) -> ! {
    let parsed = (args.get(1), args.get(2).and_then(|s| s.parse::<i32>().ok()), args.get(3), args.get(4));
    let (Some(name), Some(fd), Some(Ok(host_port)), Some(state)) =
        (parsed.0, parsed.1, parsed.2.map(|p| p.parse::<u16>()), parsed.3)
    else {
        say_err!("glassbox-lb is started by `glassbox pool add`, not by hand");
        crate::sys::process::exit_now(2)
    };
    crate::sys::detached::on_its_own();
    crate::sys::process::set_name("glassbox-lb");
    let listener = TcpListener::from(crate::sys::fd::adopt(fd));
    let _ = crate::sys::fd::set_cloexec(&listener, true);
    let dir = Path::new(state).join("pools").join(name);
    let shared =
        Arc::new(Mutex::new(Shared { record: PoolRecord::default(), box_port: 0, open: BTreeMap::new(), next: 0 }));
    reload(&dir, host_port, &shared);
    let watched = shared.clone();
    std::thread::spawn(move || watch(&dir, host_port, &watched));
    crate::proxy::serve_each(&listener, move |client| relay(client, &shared));
    crate::sys::process::exit_now(0)
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reads the record again; false once the pool is gone (`pool rm`, `reset`).
fn reload(dir: &Path, host_port: u16, shared: &Mutex<Shared>) -> bool {
    let Some(record) = super::read_json::<PoolRecord>(&dir.join("pool.json")) else {
        return dir.join("pool.json").exists();
    };
    let mut s = lock(shared);
    if let Some(port) = record.ports.iter().find(|p| p.host_port == host_port) {
        s.box_port = port.box_port;
    }
    s.record = record;
    true
}

fn watch(dir: &Path, host_port: u16, shared: &Mutex<Shared>) {
    let pool_file = dir.join("pool.json");
    let status_file: PathBuf = super::status_path(dir, host_port);
    let mut seen: Option<SystemTime> = None;
    let mut written: Option<Status> = None;
    for tick in 0u64.. {
        let modified = std::fs::metadata(&pool_file).and_then(|m| m.modified()).ok();
        if modified.is_none() && !dir.exists() {
            crate::sys::process::exit_now(0);
        }
        // (Read again now and then too: two writes within one timestamp tick look alike.)
        if (modified != seen || tick % 25 == 0) && reload(dir, host_port, shared) {
            seen = modified;
        }
        let now = {
            let s = lock(shared);
            Status { generation: s.record.generation, open: s.open.clone() }
        };
        if written.as_ref() != Some(&now) && super::write_json(&status_file, &now).is_ok() {
            written = Some(now);
        }
        std::thread::sleep(TICK);
    }
}

/// The next serving member from the round-robin position, counted open.
fn choose(shared: &Mutex<Shared>, skip: &[String]) -> Option<(String, SocketAddr)> {
    let mut s = lock(shared);
    let serving: Vec<(String, SocketAddr)> = s
        .record
        .members
        .iter()
        .filter(|m| m.state == MemberState::Serving && !skip.contains(&m.name))
        .map(|m| (m.name.clone(), SocketAddr::from((m.address, s.box_port))))
        .collect();
    if serving.is_empty() {
        return None;
    }
    let pick = serving[s.next % serving.len()].clone();
    s.next = s.next.wrapping_add(1);
    *s.open.entry(pick.0.clone()).or_default() += 1;
    Some(pick)
}

fn done_with(shared: &Mutex<Shared>, member: &str) {
    let mut s = lock(shared);
    if let Some(n) = s.open.get_mut(member) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            s.open.remove(member);
        }
    }
}

/// A member that takes the connection: each serving one in turn, then
/// again after a pause, until PATIENCE is over.
fn connect(shared: &Mutex<Shared>) -> Option<(String, TcpStream)> {
    let began = Instant::now();
    while began.elapsed() < PATIENCE {
        let mut refused = vec![];
        while let Some((name, addr)) = choose(shared, &refused) {
            match TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
                Ok(stream) => return Some((name, stream)),
                Err(_) => {
                    done_with(shared, &name);
                    refused.push(name);
                }
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn relay(client: &TcpStream, shared: &Mutex<Shared>) {
    if let Some((member, upstream)) = connect(shared) {
        crate::proxy::copy_both(client, &upstream);
        done_with(shared, &member);
    }
    crate::proxy::let_go(client);
}
