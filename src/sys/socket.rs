//! Unix seqpacket sockets that carry file descriptors (SCM_RIGHTS).
//!
//! The box init receives each `run`/`exec` request this way: the caller's
//! stdin, stdout and stderr and the namespace handles travel as descriptors,
//! so the new process talks to the caller's terminal directly and can enter
//! namespaces whose hold files the init cannot see from inside the box.

use super::{SysError, SysResult, check, cpath};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
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
    use std::os::unix::ffi::OsStrExt;
    if path.as_os_str().as_bytes().len() < 100 {
        return f(path);
    }
    let dir = path.parent().unwrap_or(Path::new("/"));
    let c = cpath(dir)?;
    // SAFETY: open with a NUL-terminated path; the fd is wrapped at once.
    let fd = check(unsafe { libc::open(c.as_ptr(), libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC) }, || {
        format!("open {}", dir.display())
    })?;
    let dirfd = unsafe { OwnedFd::from_raw_fd(fd) };
    let short =
        Path::new("/proc/self/fd").join(dirfd.as_raw_fd().to_string()).join(path.file_name().unwrap_or_default());
    f(&short)
}

fn sockaddr(path: &Path) -> SysResult<(libc::sockaddr_un, libc::socklen_t)> {
    let c = cpath(path)?;
    let bytes = c.as_bytes_with_nul();
    // SAFETY: zeroed plain-old-data struct.
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    if bytes.len() > addr.sun_path.len() {
        return Err(SysError::io(
            format!("socket path {}", path.display()),
            std::io::Error::from_raw_os_error(libc::ENAMETOOLONG),
        ));
    }
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (i, b) in bytes.iter().enumerate() {
        addr.sun_path[i] = *b as libc::c_char;
    }
    let len = (std::mem::size_of::<libc::sa_family_t>() + bytes.len()) as libc::socklen_t;
    Ok((addr, len))
}

fn socket() -> SysResult<OwnedFd> {
    // SAFETY: returns a new fd we own.
    let fd = check(unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC, 0) }, || {
        "socket(AF_UNIX, SOCK_SEQPACKET)".into()
    })?;
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Two connected ends, for a forked child to hand its parent a descriptor.
pub fn pair() -> SysResult<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: socketpair writes two new descriptors into the array.
    check(
        unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC, 0, fds.as_mut_ptr()) },
        || "socketpair(AF_UNIX, SOCK_SEQPACKET)".into(),
    )?;
    // SAFETY: both are new descriptors we own.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

pub fn listen(path: &Path) -> SysResult<OwnedFd> {
    let _ = std::fs::remove_file(path);
    let fd = socket()?;
    with_short_path(path, |p| {
        let (addr, len) = sockaddr(p)?;
        // SAFETY: addr is a valid sockaddr_un of length len.
        check(unsafe { libc::bind(fd.as_raw_fd(), (&addr as *const libc::sockaddr_un).cast(), len) }, || {
            format!("bind {}", path.display())
        })
    })?;
    check(unsafe { libc::listen(fd.as_raw_fd(), 16) }, || "listen".into())?;
    Ok(fd)
}

pub fn connect(path: &Path) -> SysResult<OwnedFd> {
    let fd = socket()?;
    with_short_path(path, |p| {
        let (addr, len) = sockaddr(p)?;
        // SAFETY: as in listen.
        check(unsafe { libc::connect(fd.as_raw_fd(), (&addr as *const libc::sockaddr_un).cast(), len) }, || {
            format!("connect {}", path.display())
        })
    })?;
    Ok(fd)
}

pub fn accept(listener: &OwnedFd) -> SysResult<OwnedFd> {
    // SAFETY: accept4 returns a new fd we own.
    let fd = check(
        unsafe { libc::accept4(listener.as_raw_fd(), std::ptr::null_mut(), std::ptr::null_mut(), libc::SOCK_CLOEXEC) },
        || "accept".into(),
    )?;
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

pub fn send(sock: &OwnedFd, data: &[u8], fds: &[RawFd]) -> SysResult<()> {
    assert!(fds.len() <= MAX_FDS);
    let mut iov = libc::iovec { iov_base: data.as_ptr() as *mut _, iov_len: data.len() };
    let mut cbuf = vec![0u8; unsafe { libc::CMSG_SPACE((MAX_FDS * 4) as u32) } as usize];
    // SAFETY: msghdr and the control buffer are sized with CMSG_SPACE; CMSG
    // macros stay within cbuf.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        if !fds.is_empty() {
            msg.msg_control = cbuf.as_mut_ptr().cast();
            msg.msg_controllen = libc::CMSG_SPACE((fds.len() * 4) as u32) as usize;
            let c = libc::CMSG_FIRSTHDR(&msg);
            (*c).cmsg_level = libc::SOL_SOCKET;
            (*c).cmsg_type = libc::SCM_RIGHTS;
            (*c).cmsg_len = libc::CMSG_LEN((fds.len() * 4) as u32) as usize;
            std::ptr::copy_nonoverlapping(fds.as_ptr(), libc::CMSG_DATA(c).cast::<RawFd>(), fds.len());
        }
        check(libc::sendmsg(sock.as_raw_fd(), &msg, libc::MSG_NOSIGNAL), || "sendmsg".into())?;
    }
    Ok(())
}

/// One message and the descriptors that came with it; empty data means the
/// peer closed the connection.
pub fn recv(sock: &OwnedFd) -> SysResult<(Vec<u8>, Vec<OwnedFd>)> {
    // Not zeroed: the kernel writes the bytes that count, and zeroing 64 KiB
    // touched 16 fresh pages on every message (a page fault each, twice per
    // `exec`).
    let mut data: Vec<u8> = Vec::with_capacity(MAX_MSG);
    let mut iov = libc::iovec { iov_base: data.as_mut_ptr().cast(), iov_len: MAX_MSG };
    let mut cbuf = vec![0u8; unsafe { libc::CMSG_SPACE((MAX_FDS * 4) as u32) } as usize];
    let mut fds = Vec::new();
    // SAFETY: as in send; received fds are taken into OwnedFd exactly once.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf.as_mut_ptr().cast();
        msg.msg_controllen = cbuf.len();
        let n = loop {
            let n = libc::recvmsg(sock.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC);
            if n == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            break check(n, || "recvmsg".into())?;
        };
        let mut c = libc::CMSG_FIRSTHDR(&msg);
        while !c.is_null() {
            if (*c).cmsg_level == libc::SOL_SOCKET && (*c).cmsg_type == libc::SCM_RIGHTS {
                let count = ((*c).cmsg_len - libc::CMSG_LEN(0) as usize) / 4;
                let p = libc::CMSG_DATA(c).cast::<RawFd>();
                for i in 0..count {
                    fds.push(OwnedFd::from_raw_fd(*p.add(i)));
                }
            }
            c = libc::CMSG_NXTHDR(&msg, c);
        }
        // recvmsg wrote the first n bytes (n <= MAX_MSG, the capacity).
        data.set_len(n as usize);
    }
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
        let mut fds = [0; 2];
        // SAFETY: socketpair fills the two-element array; each fd is owned once.
        check(unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_SEQPACKET, 0, fds.as_mut_ptr()) }, || "".into())
            .unwrap();
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
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
