//! The netlink socket: one request out, then its acknowledgement or a dump
//! back, with kernel errors (and their extended-ack text) turned into
//! `SysError`. The socket is `netlink-sys`'s, used synchronously: one
//! blocking `sendto`, then `recvfrom` until the answer is complete.

use super::super::{SysError, SysResult};
use super::message::{SEQ, frame};
use super::parse::{error_text, messages};
use netlink_packet_core::{ErrorMessage, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NetlinkPayload};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_sys::{Socket, SocketAddr, protocols::NETLINK_ROUTE};
use std::io;

/// Big enough for any datagram the kernel sends: dumps are cut into skbs of
/// at most 32 KiB.
const RECV_BUF: usize = 64 * 1024;

fn open(call: &str) -> SysResult<Socket> {
    let sock = Socket::new(NETLINK_ROUTE)
        .map_err(|e| SysError::io(format!("{call}: socket(AF_NETLINK, NETLINK_ROUTE)"), e))?;
    // Extended acks: errors come with the kernel's explanation. Best effort
    // (older kernels lack it), so the result is ignored.
    let _ = sock.set_ext_ack(true);
    Ok(sock)
}

fn send(sock: &Socket, msg: &[u8], call: &str) -> SysResult<()> {
    // Port id 0 addresses the kernel.
    let n = sock
        .send_to(msg, &SocketAddr::new(0, 0), 0)
        .map_err(|e| SysError::io(format!("{call}: sendto(netlink)"), e))?;
    if n != msg.len() {
        return Err(SysError::io(format!("{call}: sendto(netlink)"), io::Error::from_raw_os_error(libc::EMSGSIZE)));
    }
    Ok(())
}

/// One datagram from the kernel into `buf`. Datagrams from anyone but the
/// kernel (port id 0) are dropped.
fn recv(sock: &Socket, buf: &mut Vec<u8>, call: &str) -> SysResult<()> {
    loop {
        buf.clear();
        let (n, from) = match sock.recv_from(buf, libc::MSG_TRUNC) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(SysError::io(format!("{call}: recvfrom(netlink)"), e)),
            Ok(got) => got,
        };
        if n > buf.len() {
            // MSG_TRUNC reports the real size: our buffer was too small.
            return Err(SysError::io(
                format!("{call}: recvfrom(netlink)"),
                io::Error::from_raw_os_error(libc::EMSGSIZE),
            ));
        }
        if from.port_number() == 0 {
            return Ok(());
        }
    }
}

/// A reply the crate could not parse: the kernel sent something we do not understand.
fn garbled(call: &str, e: impl std::fmt::Display) -> SysError {
    SysError::io(format!("{call} (unreadable reply: {e})"), io::Error::from_raw_os_error(libc::EPROTO))
}

/// Sends one request and waits for its acknowledgement.
pub(super) fn request(msg: RouteNetlinkMessage, flags: u16, call: &str) -> SysResult<()> {
    let sock = open(call)?;
    send(&sock, &frame(msg, flags | NLM_F_ACK), call)?;
    let mut buf = Vec::with_capacity(RECV_BUF);
    loop {
        recv(&sock, &mut buf, call)?;
        for msg in messages(&buf) {
            let msg = msg.map_err(|e| garbled(call, e))?;
            if msg.header.sequence_number != SEQ {
                continue;
            }
            if let NetlinkPayload::Error(error) = &msg.payload {
                return kernel_result(msg.header.flags, error, call);
            }
        }
    }
}

pub(super) fn kernel_result(flags: u16, error: &ErrorMessage, call: &str) -> SysResult<()> {
    match error_text(flags, error) {
        (0, _) => Ok(()),
        (errno, None) => Err(SysError::io(call, io::Error::from_raw_os_error(errno))),
        (errno, Some(text)) => {
            Err(SysError::io(format!("{call} (kernel: {text})"), io::Error::from_raw_os_error(errno)))
        }
    }
}

/// Sends a dump request and collects every message until NLMSG_DONE. If the
/// kernel flags the dump as interrupted (the table changed while it was
/// being read), it is asked again, a few times at most.
pub(super) fn dump(msg: RouteNetlinkMessage, call: &str) -> SysResult<Vec<RouteNetlinkMessage>> {
    let mut buf = Vec::with_capacity(RECV_BUF);
    for _attempt in 0..3 {
        let sock = open(call)?;
        send(&sock, &frame(msg.clone(), NLM_F_DUMP), call)?;
        let mut found = Vec::new();
        let mut interrupted = false;
        'receive: loop {
            recv(&sock, &mut buf, call)?;
            for reply in messages(&buf) {
                let reply = reply.map_err(|e| garbled(call, e))?;
                if reply.header.sequence_number != SEQ {
                    continue;
                }
                interrupted |= reply.header.flags & NLM_F_DUMP_INTR != 0;
                match reply.payload {
                    NetlinkPayload::Error(error) => kernel_result(reply.header.flags, &error, call)?,
                    // NLMSG_DONE carries an int: 0, or a negative errno if the dump failed midway.
                    NetlinkPayload::Done(done) if done.code < 0 => {
                        return Err(SysError::io(call, io::Error::from_raw_os_error(-done.code)));
                    }
                    NetlinkPayload::Done(_) => break 'receive,
                    NetlinkPayload::InnerMessage(inner) => found.push(inner),
                    _ => {}
                }
            }
        }
        if !interrupted {
            return Ok(found);
        }
    }
    Err(SysError::io(format!("{call} (dump kept changing)"), io::Error::from_raw_os_error(libc::EINTR)))
}
