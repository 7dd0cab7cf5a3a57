//! The one network operation the namespace step needs: bring `lo` up.
//! A new network namespace has only a loopback device, and it starts down
//! (network_namespaces(7)); `ip link set lo up` does the same ioctl.
//! And one for `serve`: a listen backlog longer than std's.

use super::{SysError, SysResult, check};

pub fn loopback_up() -> SysResult<()> {
    // SAFETY: an ifreq zeroed and filled with "lo"; ioctls on a datagram
    // socket we close. Neither rustix nor nix wraps SIOCGIFFLAGS/SIOCSIFFLAGS.
    unsafe {
        let sock =
            check(libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0), || "socket(AF_INET)".into())?;
        let mut req: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo".iter().enumerate() {
            req.ifr_name[i] = *b as libc::c_char;
        }
        let result = (|| {
            check(libc::ioctl(sock, libc::SIOCGIFFLAGS, &mut req), || "ioctl(SIOCGIFFLAGS, lo)".into())?;
            req.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            check(libc::ioctl(sock, libc::SIOCSIFFLAGS, &req), || "ioctl(SIOCSIFFLAGS, lo up)".into())?;
            Ok::<(), SysError>(())
        })();
        libc::close(sock);
        result
    }
}

/// Lets `backlog` connections wait for `accept` (capped by
/// net.core.somaxconn). std listens with 128: a burst of connections past
/// that has its SYNs dropped, and each dropped client retries only a second
/// later. Calling listen(2) again on a listening socket only changes this.
pub fn widen_backlog(listener: &std::net::TcpListener, backlog: i32) -> SysResult<()> {
    rustix::net::listen(listener, backlog).map_err(super::fd::sys_with(|| format!("listen(backlog {backlog})")))
}
