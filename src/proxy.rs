//! The published-port proxy: `glassbox publish BOX 8080:80` starts one.
//!
//! A box's address lives on a bridge only this machine can reach. A small
//! userspace proxy listening on the host's loopback copies each TCP
//! connection to the box's address and back — the "proxy server and IP
//! binding" a container daemon runs (Docker's docker-proxy). It listens on
//! 127.0.0.1 only, so nothing outside this machine can reach the box.
//! Started as `glassbox-proxy <box> <listening fd> <box ip:port> <root>`
//! so `ps` names it and `rm` finds it.

use crate::output::say_err;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

pub fn main(args: &[String]) -> ! {
    let (Some(fd), Some(target)) = (args.get(2).and_then(|s| s.parse::<i32>().ok()), args.get(3)) else {
        say_err!("glassbox-proxy is started by `glassbox publish`, not by hand");
        crate::sys::process::exit_now(2)
    };
    crate::sys::detached::on_its_own();
    crate::sys::process::set_name("glassbox-proxy");
    let listener = TcpListener::from(crate::sys::fd::adopt(fd));
    let _ = crate::sys::fd::set_cloexec(&listener, true);
    for conn in listener.incoming().flatten() {
        let target = target.clone();
        std::thread::spawn(move || relay(conn, &target));
    }
    crate::sys::process::exit_now(0)
}

fn relay(client: TcpStream, target: &str) {
    let Ok(addr) = target.parse() else { return };
    let Ok(upstream) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) else { return };
    let (Ok(c2), Ok(u2)) = (client.try_clone(), upstream.try_clone()) else { return };
    let back = std::thread::spawn(move || pump(u2, c2));
    pump(client, upstream);
    let _ = back.join();
}

fn pump(mut from: TcpStream, mut to: TcpStream) {
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
