//! The netlink socket: one request out, then its acknowledgement or a dump
//! back, with kernel errors (and their extended-ack text) turned into `SysError`.

use super::super::{SysError, SysResult, check};
use super::message::{
    NETLINK_EXT_ACK, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP, NLM_F_DUMP_INTR, NLMSG_DONE, NLMSG_ERROR,
    NLMSG_HDRLEN, NLMSGERR_ATTR_MSG, Request, SEQ, SOL_NETLINK, align4,
};
use super::parse::{attrs, c_string, messages, u16_at, u32_at};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

pub(super) struct Socket(OwnedFd);

impl Socket {
    pub(super) fn open(call: &str) -> SysResult<Socket> {
        // SAFETY: plain socket(2); the descriptor is owned by the OwnedFd at once.
        let fd = check(
            unsafe { libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC, libc::NETLINK_ROUTE) },
            || format!("{call}: socket(AF_NETLINK, NETLINK_ROUTE)"),
        )?;
        // SAFETY: fd was just returned by socket and nobody else owns it.
        let sock = Socket(unsafe { OwnedFd::from_raw_fd(fd) });
        let on: libc::c_int = 1;
        // Extended acks: errors come with the kernel's explanation. Best effort
        // (older kernels lack it), so the result is ignored.
        // SAFETY: the option value is a local c_int of the size given.
        unsafe {
            libc::setsockopt(
                fd,
                SOL_NETLINK,
                NETLINK_EXT_ACK,
                (&on as *const libc::c_int).cast(),
                size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        Ok(sock)
    }

    pub(super) fn send(&self, msg: &[u8], call: &str) -> SysResult<()> {
        // SAFETY: a zeroed sockaddr_nl is valid; nl_pid 0 addresses the kernel.
        let mut to: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        to.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        // SAFETY: msg and the address are valid for the lengths given.
        let n = check(
            unsafe {
                libc::sendto(
                    self.0.as_raw_fd(),
                    msg.as_ptr().cast(),
                    msg.len(),
                    0,
                    (&to as *const libc::sockaddr_nl).cast(),
                    size_of::<libc::sockaddr_nl>() as libc::socklen_t,
                )
            },
            || format!("{call}: sendto(netlink)"),
        )?;
        if n as usize != msg.len() {
            return Err(SysError::io(format!("{call}: sendto(netlink)"), io::Error::from_raw_os_error(libc::EMSGSIZE)));
        }
        Ok(())
    }

    /// One datagram from the kernel into `buf`; returns its length. Datagrams
    /// from anyone but the kernel (port id 0) are dropped.
    pub(super) fn recv(&self, buf: &mut [u8], call: &str) -> SysResult<usize> {
        loop {
            // SAFETY: a zeroed sockaddr_nl is valid; recvfrom fills it.
            let mut from: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
            let mut from_len = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
            // SAFETY: buf and the address are valid for the lengths given.
            let n = unsafe {
                libc::recvfrom(
                    self.0.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    libc::MSG_TRUNC,
                    (&mut from as *mut libc::sockaddr_nl).cast(),
                    &mut from_len,
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(SysError::io(format!("{call}: recvfrom(netlink)"), e));
            }
            let n = n as usize;
            if n > buf.len() {
                // MSG_TRUNC reports the real size: our buffer was too small.
                return Err(SysError::io(
                    format!("{call}: recvfrom(netlink)"),
                    io::Error::from_raw_os_error(libc::EMSGSIZE),
                ));
            }
            if from.nl_pid == 0 {
                return Ok(n);
            }
        }
    }
}

/// Big enough for any datagram the kernel sends: dumps are cut into skbs of
/// at most 32 KiB.
pub(super) const RECV_BUF: usize = 64 * 1024;

/// Sends one request and waits for its acknowledgement.
pub(super) fn request(req: Request, call: &str) -> SysResult<()> {
    let mut req = req;
    let flags = u16_at(&req.buf, 6).unwrap_or(0) | NLM_F_ACK;
    req.buf[6..8].copy_from_slice(&flags.to_ne_bytes());
    let sock = Socket::open(call)?;
    sock.send(&req.finish(), call)?;
    let mut buf = vec![0u8; RECV_BUF];
    loop {
        let n = sock.recv(&mut buf, call)?;
        for msg in messages(&buf[..n]) {
            if msg.seq != SEQ || msg.kind != NLMSG_ERROR {
                continue;
            }
            return kernel_result(msg.flags, msg.body, call);
        }
    }
}

pub(super) fn kernel_result(flags: u16, body: &[u8], call: &str) -> SysResult<()> {
    match parse_error(flags, body) {
        (0, _) => Ok(()),
        (errno, None) => Err(SysError::io(call, io::Error::from_raw_os_error(errno))),
        (errno, Some(text)) => {
            Err(SysError::io(format!("{call} (kernel: {text})"), io::Error::from_raw_os_error(errno)))
        }
    }
}

/// Sends a dump request and collects the body of every message until
/// NLMSG_DONE. If the kernel flags the dump as interrupted (the table changed
/// while it was being read), it is asked again, a few times at most.
pub(super) fn dump(kind: u16, family_header: &[u8], call: &str) -> SysResult<Vec<Vec<u8>>> {
    let mut buf = vec![0u8; RECV_BUF];
    for _attempt in 0..3 {
        let sock = Socket::open(call)?;
        sock.send(&Request::new(kind, NLM_F_DUMP, family_header).finish(), call)?;
        let mut bodies = Vec::new();
        let mut interrupted = false;
        'receive: loop {
            let n = sock.recv(&mut buf, call)?;
            for msg in messages(&buf[..n]) {
                if msg.seq != SEQ {
                    continue;
                }
                interrupted |= msg.flags & NLM_F_DUMP_INTR != 0;
                match msg.kind {
                    NLMSG_ERROR => kernel_result(msg.flags, msg.body, call)?,
                    // NLMSG_DONE carries an int: 0, or a negative errno if the dump failed midway.
                    NLMSG_DONE => match u32_at(msg.body, 0).map(|e| e as i32) {
                        Some(e) if e < 0 => return Err(SysError::io(call, io::Error::from_raw_os_error(-e))),
                        _ => break 'receive,
                    },
                    _ => bodies.push(msg.body.to_vec()),
                }
            }
        }
        if !interrupted {
            return Ok(bodies);
        }
    }
    Err(SysError::io(format!("{call} (dump kept changing)"), io::Error::from_raw_os_error(libc::EINTR)))
}

/// The errno of an NLMSG_ERROR body (0 for an acknowledgement) and the
/// kernel's extended-ack message, if it sent one ("Unknown device type").
pub(super) fn parse_error(flags: u16, body: &[u8]) -> (i32, Option<String>) {
    let errno = u32_at(body, 0).map(|e| -(e as i32)).unwrap_or(libc::EPROTO);
    let mut text = None;
    if flags & NLM_F_ACK_TLVS != 0 {
        // After the errno comes our request: just its header if capped, else all of it.
        let echoed = if flags & NLM_F_CAPPED != 0 {
            NLMSG_HDRLEN
        } else {
            u32_at(body, 4).map(|l| align4(l as usize)).unwrap_or(NLMSG_HDRLEN)
        };
        if let Some(tlvs) = body.get(4 + echoed..) {
            text = attrs(tlvs).find(|(k, _)| *k == NLMSGERR_ATTR_MSG).map(|(_, p)| c_string(p));
        }
    }
    (errno, text.filter(|t| !t.is_empty()))
}
