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

/// Makes the box known to the host at its address, from inside the box
/// (`arping -c 1 GATEWAY`): one empty UDP datagram to the gateway's
/// discard port, for which the kernel first asks by ARP for the gateway's
/// MAC address; the host, answering for its own address, notes the
/// asker's MAC for the asker's address (RFC 826). Addresses are given
/// again (the lowest free one), and without this the host would go on
/// sending to the MAC address of the removed box that had it, until its
/// entry expired: half a minute in which nothing reaches the new box.
/// Best effort: the kernel retries the ARP request by itself; a datagram
/// that cannot be sent at all changes nothing about the box.
pub fn announce(gateway: std::net::Ipv4Addr) {
    if let Ok(socket) = std::net::UdpSocket::bind((std::net::Ipv4Addr::UNSPECIFIED, 0)) {
        let _ = socket.send_to(&[], (gateway, 9));
    }
}
