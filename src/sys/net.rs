//! The one network operation the namespace step needs: bring `lo` up.
//! A new network namespace has only a loopback device, and it starts down
//! (network_namespaces(7)); `ip link set lo up` does the same ioctl.

use super::{SysError, SysResult, check};

pub fn loopback_up() -> SysResult<()> {
    // SAFETY: an ifreq zeroed and filled with "lo"; ioctls on a datagram socket we close.
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
