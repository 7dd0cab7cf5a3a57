//! Unix seqpacket sockets that carry file descriptors (SCM_RIGHTS).
//!
//! The box init receives each `run`/`exec` request this way: the caller's
//! stdin, stdout and stderr and the namespace handles travel as descriptors,
//! so the new process talks to the caller's terminal directly and can enter
//! namespaces whose hold files the init cannot see from inside the box.

use super::SysError;
use super::SysResult;
use super::fd::{borrow_raw, sys, sys_with};
use rustix::net::{
    AddressFamily, RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, SendAncillaryBuffer, SendAncillaryMessage,
    SendFlags, SocketAddrUnix, SocketFlags, SocketType,
};
use std::io::{IoSlice, IoSliceMut};
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::path::Path;

const MAX_FDS: usize = 16;
const MAX_MSG: usize = 64 * 1024;
/// A packet of a long message: well inside the socket's send buffer
/// (net.core.wmem_default, about 200 KiB), which bounds one packet.
const CHUNK: usize = 32 * 1024;
/// The longest message [`send_long`] carries: room for the most argv
/// execve(2) takes (6 MiB) even when JSON writes each byte as `\u00XX`.
pub const MAX_LONG: usize = 48 << 20;

/// A unix socket path may hold at most 107 bytes. A longer one (a deep
/// `--root`) is reached through an O_PATH descriptor of its folder:
/// `/proc/self/fd/N/init.sock` names the same file in a few bytes.
fn with_short_path<T>(path: &Path, f: impl FnOnce(&Path) -> SysResult<T>) -> SysResult<T> {
    use rustix::fs::OFlags;
    use std::os::unix::ffi::OsStrExt;
    if path.as_os_str().as_bytes().len() < 100 {
        return f(path);
    }
    let dir = path.parent().unwrap_or(Path::new("/"));
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let dirfd = rustix::fs::open(dir, flags, rustix::fs::Mode::empty())
        .map_err(sys_with(|| format!("open {}", dir.display())))?;
    let short =
        Path::new("/proc/self/fd").join(dirfd.as_raw_fd().to_string()).join(path.file_name().unwrap_or_default());
    f(&short)
}

fn sockaddr(path: &Path) -> SysResult<SocketAddrUnix> {
    SocketAddrUnix::new(path).map_err(sys_with(|| format!("socket path {}", path.display())))
}

fn socket() -> SysResult<OwnedFd> {
    rustix::net::socket_with(AddressFamily::UNIX, SocketType::SEQPACKET, SocketFlags::CLOEXEC, None)
        .map_err(sys("socket(AF_UNIX, SOCK_SEQPACKET)"))
}

/// Two connected ends, for a forked child to hand its parent a descriptor.
pub fn pair() -> SysResult<(OwnedFd, OwnedFd)> {
    rustix::net::socketpair(AddressFamily::UNIX, SocketType::SEQPACKET, SocketFlags::CLOEXEC, None)
        .map_err(sys("socketpair(AF_UNIX, SOCK_SEQPACKET)"))
}

pub fn listen(path: &Path) -> SysResult<OwnedFd> {
    let _ = std::fs::remove_file(path);
    let fd = socket()?;
    with_short_path(path, |p| {
        rustix::net::bind(&fd, &sockaddr(p)?).map_err(sys_with(|| format!("bind {}", path.display())))
    })?;
    rustix::net::listen(&fd, 16).map_err(sys("listen"))?;
    Ok(fd)
}

pub fn connect(path: &Path) -> SysResult<OwnedFd> {
    let fd = socket()?;
    with_short_path(path, |p| {
        rustix::net::connect(&fd, &sockaddr(p)?).map_err(sys_with(|| format!("connect {}", path.display())))
    })?;
    Ok(fd)
}

pub fn accept(listener: &OwnedFd) -> SysResult<OwnedFd> {
    rustix::net::accept_with(listener, SocketFlags::CLOEXEC).map_err(sys("accept"))
}

pub fn send(sock: &OwnedFd, data: &[u8], fds: &[RawFd]) -> SysResult<()> {
    assert!(fds.len() <= MAX_FDS);
    let borrowed: Vec<BorrowedFd> = fds.iter().map(|&fd| borrow_raw(fd)).collect();
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(MAX_FDS))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    if !borrowed.is_empty() {
        control.push(SendAncillaryMessage::ScmRights(&borrowed));
    }
    loop {
        match rustix::net::sendmsg(sock, &[IoSlice::new(data)], &mut control, SendFlags::NOSIGNAL) {
            Err(rustix::io::Errno::INTR) => continue,
            sent => return sent.map(drop).map_err(sys("sendmsg")),
        }
    }
}

/// One message and the descriptors that came with it; empty data means the
/// peer closed the connection.
pub fn recv(sock: &OwnedFd) -> SysResult<(Vec<u8>, Vec<OwnedFd>)> {
    // Zeroed through calloc, which hands out fresh pages without writing
    // them: the buffer costs a page only where a message lands.
    let mut data = vec![0u8; MAX_MSG];
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(MAX_FDS))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let received = loop {
        let iov = &mut [IoSliceMut::new(&mut data)];
        match rustix::net::recvmsg(sock, iov, &mut control, RecvFlags::CMSG_CLOEXEC) {
            Err(rustix::io::Errno::INTR) => continue,
            other => break other.map_err(sys("recvmsg"))?,
        }
    };
    let mut fds = Vec::new();
    for message in control.drain() {
        if let RecvAncillaryMessage::ScmRights(received) = message {
            fds.extend(received);
        }
    }
    data.truncate(received.bytes);
    Ok((data, fds))
}

/// Sends a message of any length up to [`MAX_LONG`] (a `run` whose argv is
/// megabytes). One that fits a packet goes as it is, as [`send`] sends it;
/// a longer one goes as an announcement (a NUL byte, then its length) with
/// the descriptors, then its bytes in packets of [`CHUNK`]. The message
/// must not begin with a NUL byte (JSON text never does). [`recv_long`]
/// puts it back together.
pub fn send_long(sock: &OwnedFd, data: &[u8], fds: &[RawFd]) -> SysResult<()> {
    if data.len() <= CHUNK {
        return send(sock, data, fds);
    }
    if data.len() > MAX_LONG || data.first() == Some(&0) {
        return Err(SysError::io("sendmsg", std::io::Error::from_raw_os_error(libc::EMSGSIZE)));
    }
    let mut announce = vec![0u8];
    announce.extend_from_slice(&(data.len() as u64).to_le_bytes());
    send(sock, &announce, fds)?;
    data.chunks(CHUNK).try_for_each(|chunk| send(sock, chunk, &[]))
}

/// A message sent by [`send_long`] and its descriptors; empty data means
/// the peer closed the connection before sending one.
pub fn recv_long(sock: &OwnedFd) -> SysResult<(Vec<u8>, Vec<OwnedFd>)> {
    let bad = |why: &str| SysError::io("recvmsg", std::io::Error::new(std::io::ErrorKind::InvalidData, why));
    let (head, fds) = recv(sock)?;
    let Some(len) = head.strip_prefix(&[0]) else {
        return Ok((head, fds));
    };
    let len = <[u8; 8]>::try_from(len).map_err(|_| bad("a long message announced without its length"))?;
    let len = usize::try_from(u64::from_le_bytes(len)).unwrap_or(usize::MAX);
    if len > MAX_LONG {
        return Err(bad("longer than a message may be"));
    }
    let mut data = Vec::with_capacity(len);
    while data.len() < len {
        let (part, _) = recv(sock)?;
        if part.is_empty() || data.len() + part.len() > len {
            return Err(bad("the message ended early or ran long"));
        }
        data.extend_from_slice(&part);
    }
    Ok((data, fds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (OwnedFd, OwnedFd) {
        super::pair().unwrap()
    }

    #[test]
    fn a_message_longer_than_a_packet_arrives_whole_with_its_descriptors() {
        for len in [10, CHUNK, CHUNK + 1, 3 << 20] {
            let (a, b) = pair();
            let data: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let sent = data.clone();
            let sender = std::thread::spawn(move || send_long(&a, &sent, &[0]).unwrap());
            let (got, fds) = recv_long(&b).unwrap();
            sender.join().unwrap();
            assert_eq!(got, data, "{len} bytes");
            assert_eq!(fds.len(), 1);
        }
    }

    #[test]
    fn a_long_message_cut_short_is_an_error_not_a_hang() {
        let (a, b) = pair();
        let mut announce = vec![0u8];
        announce.extend_from_slice(&(100_000u64).to_le_bytes());
        send(&a, &announce, &[]).unwrap();
        send(&a, b"{\"partial", &[]).unwrap();
        drop(a);
        assert!(recv_long(&b).is_err());
    }
}
