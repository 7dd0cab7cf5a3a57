//! The published-port proxy: `glassbox publish BOX 8080:80` starts one.
//!
//! A box's address lives on a bridge only this machine can reach. A small
//! userspace proxy listening on the host's loopback copies each TCP
//! connection to the box's address and back — the "proxy server and IP
//! binding" a container daemon runs (Docker's docker-proxy). It listens on
//! 127.0.0.1 only, so nothing outside this machine can reach the box.
//! Started as `glassbox-proxy <box> <listening fd> <box ip:port> <root>`
//! so `ps` names it and `rm` finds it.
//!
//! `publish --also OTHER` gives it several boxes (`ip:port,ip:port`, the
//! replicas of one compose service): each new connection goes to the next
//! box in turn (round robin), and a box that refuses the connection (its
//! server died, the box is gone) is skipped for the next one, so clients
//! see no failed request while one box of the pool is down.

use crate::output::say_err;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub fn main(args: &[String]) -> ! {
    let (Some(fd), Some(target)) = (args.get(2).and_then(|s| s.parse::<i32>().ok()), args.get(3)) else {
        say_err!("glassbox-proxy is started by `glassbox publish`, not by hand");
        crate::sys::process::exit_now(2)
    };
    crate::sys::detached::on_its_own();
    crate::sys::process::set_name("glassbox-proxy");
    let listener = TcpListener::from(crate::sys::fd::adopt(fd));
    let _ = crate::sys::fd::set_cloexec(&listener, true);
    let pool: Arc<Vec<SocketAddr>> = Arc::new(target.split(',').filter_map(|t| t.parse().ok()).collect());
    let next = Arc::new(AtomicUsize::new(0));
    serve_each(&listener, move |client| relay(client, &pool, &next));
    crate::sys::process::exit_now(0)
}

/// Serves each connection the listener accepts on a thread of its own,
/// or on this one when the process may start no more (its pids or memory
/// at their limit): the next client waits, rather than this one being
/// dropped unread (a reset) or the process ended by a failed spawn's panic.
pub(crate) fn serve_each(listener: &TcpListener, serve: impl Fn(&TcpStream) + Clone + Send + 'static) {
    for conn in listener.incoming().flatten() {
        let conn = Arc::new(conn);
        let (theirs, serve_there) = (conn.clone(), serve.clone());
        if std::thread::Builder::new().spawn(move || serve_there(&theirs)).is_err() {
            serve(&conn);
        }
    }
}

/// The first box of the pool, from the next in turn, that takes the connection.
fn connect(pool: &[SocketAddr], next: &AtomicUsize) -> Option<TcpStream> {
    let start = next.fetch_add(1, Ordering::Relaxed);
    (0..pool.len())
        .find_map(|i| TcpStream::connect_timeout(&pool[(start + i) % pool.len()], Duration::from_secs(5)).ok())
}

fn relay(client: &TcpStream, pool: &[SocketAddr], next: &AtomicUsize) {
    if let Some(upstream) = connect(pool, next) {
        copy_both(client, &upstream);
    }
    let_go(client);
}

/// Copies each way until that way ends (a FIN, or an error), both at
/// once; not at all when no thread can be started for the way back.
pub(crate) fn copy_both(client: &TcpStream, upstream: &TcpStream) {
    std::thread::scope(|s| {
        if std::thread::Builder::new().spawn_scoped(s, || pump(upstream, client)).is_ok() {
            pump(client, upstream);
        }
    });
}

fn pump(mut from: &TcpStream, mut to: &TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// How long a client's last bytes are read before its connection closes.
const LINGER: Duration = Duration::from_secs(2);

/// Closes a client's connection without a reset. A socket closed with
/// bytes it has not read sends RST, not FIN, and the client loses even
/// the answer it was reading ("Connection reset by peer"). So the client
/// is sent FIN (the end of its answer: none, when no box took it), and
/// what it still sends is read, for at most LINGER, before the close.
/// After a relay that ran to its end there is nothing left: one read.
pub(crate) fn let_go(client: &TcpStream) {
    let _ = client.shutdown(Shutdown::Write);
    let until = Instant::now() + LINGER;
    let (mut from, mut buf) = (client, [0u8; 4096]);
    while let Some(left) = until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
        let _ = client.set_read_timeout(Some(left));
        if !matches!(from.read(&mut buf), Ok(n) if n > 0) {
            break;
        }
    }
}
