//! The init's loop: accept requests, start children, reap, forward signals.

use super::policy::{self, Tighten};
use super::protocol::{Control, Reply, Request};
use crate::sys::confine::Confinement;
use crate::sys::process::{Forked, exit_now, fork};
use crate::sys::{SysError, fd, ids, ns, process, socket, spawn};
use std::os::fd::{AsRawFd, OwnedFd};

struct Conn {
    /// Unique for the init's lifetime, unlike the descriptor number.
    id: u64,
    sock: OwnedFd,
    child: i32,
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

const FORWARDED: [i32; 4] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGQUIT];

pub fn run(listener_fd: i32) -> ! {
    let listener = fd::adopt(listener_fd);
    let _ = fd::set_cloexec(&listener, true);
    for s in FORWARDED.iter().chain(&[libc::SIGCHLD]) {
        process::install_noop_handler(*s);
    }
    let Ok(sigs) = process::signalfd(&[libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGQUIT, libc::SIGCHLD]) else {
        exit_now(1)
    };
    let mut conns: Vec<Conn> = Vec::new();
    let mut stopping = false;
    // What the hardening steps told this init (see `policy`).
    let mut confine = Confinement { last_cap: crate::sys::confine::last_cap(), ..Default::default() };
    loop {
        let mut watch = vec![listener.as_raw_fd(), sigs.as_raw_fd()];
        watch.extend(conns.iter().map(|c| c.sock.as_raw_fd()));
        let ready = process::poll_readable(&watch, -1);
        // Which connections spoke, by identity: reaping and accepting below
        // change the list (and may reuse descriptor numbers).
        let spoke: Vec<u64> = ready.iter().filter(|i| **i >= 2).map(|i| conns[i - 2].id).collect();
        if ready.contains(&1) {
            // A SIGCHLD is read (and so consumed) too; reap() below handles it.
            if let Some(sig) = process::read_signal(&sigs).filter(|s| *s != libc::SIGCHLD) {
                // kill(-1) from PID 1 reaches every other process in the namespace.
                let _ = process::kill(-1, sig);
                stopping = true;
            }
        }
        reap(&mut conns);
        if stopping && !process::has_children() {
            exit_now(0);
        }
        if ready.contains(&0) && !stopping {
            if let Some(conn) = socket::accept(&listener).ok().and_then(|s| start(s, &mut confine)) {
                conns.push(conn);
            }
        }
        conns.retain(|c| !spoke.contains(&c.id) || relay_control(c));
    }
}

fn reap(conns: &mut Vec<Conn>) {
    while let Some((pid, exit)) = process::reap_any() {
        if let Some(i) = conns.iter().position(|c| c.child == pid) {
            send(&conns[i].sock, &Reply::Exited { code: exit.shell_code() });
            conns.remove(i);
        }
    }
}

fn send(sock: &OwnedFd, reply: &Reply) {
    let _ = socket::send(sock, &serde_json::to_vec(reply).expect("replies serialise"), &[]);
}

/// A control message from the client (a signal to forward); false when the
/// client went away, which leaves the command running (as `run -d` wants).
fn relay_control(conn: &Conn) -> bool {
    match socket::recv(&conn.sock) {
        Ok((data, _)) if !data.is_empty() => {
            if let Ok(Control::Signal { signal }) = serde_json::from_slice(&data) {
                let _ = process::kill(conn.child, signal);
            }
            true
        }
        _ => false,
    }
}

fn start(sock: OwnedFd, confine: &mut Confinement) -> Option<Conn> {
    let (data, fds) = socket::recv_long(&sock).ok()?;
    if let Ok(Tighten { tighten }) = serde_json::from_slice(&data) {
        let answer = policy::tighten(confine, tighten, fds);
        let _ = socket::send(&sock, &serde_json::to_vec(&answer).expect("answers serialise"), &[]);
        return None;
    }
    let req: Request = serde_json::from_slice(&data).ok()?;
    if fds.len() != 3 + req.joins.len() || req.argv.is_empty() {
        return None;
    }
    let confine = (!confine.is_empty()).then_some(&*confine);
    if req.joins.is_empty() && !req.tty {
        return spawn_here(sock, &req, &fds, confine);
    }
    match fork() {
        Ok(Forked::Parent(child)) => Some(started(sock, child, false)),
        Ok(Forked::Child) => child(&sock, &req, &fds, confine),
        Err(_) => None,
    }
}

fn started(sock: OwnedFd, child: i32, exec_done: bool) -> Conn {
    send(&sock, &Reply::Started { pid: child, exec_done });
    Conn { id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed), sock, child }
}

/// The common case, a command in exactly the init's namespaces without a
/// terminal: nothing to do between fork and exec but set up stdio, so no
/// copy of the init is made (see `sys::spawn`). A failure goes the same way
/// as a forked child's: Started, Failed, then Exited once reaped.
fn spawn_here(sock: OwnedFd, req: &Request, fds: &[OwnedFd], confine: Option<&Confinement>) -> Option<Conn> {
    let env = req.process.environment(process::box_env(None));
    let image = match spawn::ExecImage::new(&req.argv, &env).and_then(|i| i.with_identity(&req.process)) {
        Ok(image) => image,
        Err(e) => return fail_before_start(&sock, e),
    };
    match spawn::spawn(&image, [fds[0].as_raw_fd(), fds[1].as_raw_fd(), fds[2].as_raw_fd()], confine) {
        Ok(spawned) => {
            let conn = started(sock, spawned.pid, spawned.failure.is_none());
            if let Some(e) = spawned.failure {
                send_failure(&conn.sock, &e);
            }
            Some(conn)
        }
        Err(e) => fail_before_start(&sock, e),
    }
}

/// Nothing was started: the client hears why and then the connection ends.
fn fail_before_start(sock: &OwnedFd, e: SysError) -> Option<Conn> {
    send_failure(sock, &e);
    None
}

fn send_failure(sock: &OwnedFd, e: &SysError) {
    send(sock, &Reply::Failed { call: e.call.clone(), errno: e.errno() });
}

fn child(sock: &OwnedFd, req: &Request, fds: &[OwnedFd], confine: Option<&Confinement>) -> ! {
    let fail = |e: SysError| -> ! {
        send_failure(sock, &e);
        exit_now(127)
    };
    for (n, f) in fds[..3].iter().enumerate() {
        if let Err(e) = fd::dup2(f.as_raw_fd(), n as i32) {
            fail(e)
        }
    }
    let mut children_differ = false;
    for (kind, handle) in req.joins.iter().zip(&fds[3..]) {
        if let Err(e) = ns::setns(handle, kind.clone_flag(), kind.flag_name()) {
            fail(e)
        }
        if *kind == crate::domain::NamespaceKind::User {
            if let Err(e) = ids::become_root() {
                fail(e)
            }
        }
        children_differ |= kind.applies_to_children();
    }
    if req.tty {
        if let Err(e) = crate::sys::pty::take_controlling_terminal() {
            fail(e)
        }
    }
    let e = process::exec_in_box(&req.argv, &req.process, None, sock.as_raw_fd(), children_differ, confine);
    fail(e)
}
