//! A small synchronous rtnetlink client: links, addresses and routes.
//!
//! Netlink (netlink(7)) is a socket family (`AF_NETLINK`) for talking to the
//! kernel in messages rather than syscalls with fixed arguments. Each message
//! is a 16-byte `nlmsghdr` (length, type, flags, sequence number, port id)
//! followed by a family-specific fixed header and then a list of
//! type-length-value *attributes* (`nlattr`), each padded to 4 bytes;
//! an attribute may itself contain attributes (it is *nested*). rtnetlink
//! (rtnetlink(7)) is the `NETLINK_ROUTE` protocol on top of it: the kernel's
//! interface for network devices (`RTM_*LINK`, header `ifinfomsg`),
//! addresses (`RTM_*ADDR`, `ifaddrmsg`) and routes (`RTM_*ROUTE`, `rtmsg`).
//! It is what `ip` from iproute2 speaks: `ip link add`, `ip addr add` and
//! `ip route add` each send one of the requests built here.
//!
//! The exchange is always the same: send one request with `NLM_F_ACK`, read
//! until the kernel answers with an `NLMSG_ERROR` message carrying error 0
//! (the acknowledgement) or a negative errno. A *dump* request
//! (`NLM_F_DUMP`) instead gets a stream of messages ended by `NLMSG_DONE`.
//!
//! glassbox speaks rtnetlink directly instead of spawning `ip` because:
//! a box must work where iproute2 is not installed (or differs between
//! distributions); the errors then carry a real errno that code can act on
//! (`ENODEV`, `EEXIST`) instead of text scraped from stderr; each call works
//! in the network namespace of the *calling thread*, so a helper that has
//! setns(2)-ed into a box can configure it without exec; and seeing the
//! messages spelled out is the point of a teaching runtime. Every error still
//! names the `ip` command that would have done the same, so it is familiar.

mod message;
mod parse;
mod socket;
#[cfg(test)]
mod tests;

use super::{SysError, SysResult, cstring};
use message::{
    IFA_ADDRESS, IFA_BROADCAST, IFA_LOCAL, IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_MASTER,
    IFLA_NET_NS_FD, NLM_F_CREATE, NLM_F_EXCL, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN, RTA_GATEWAY, RTM_DELLINK, RTM_GETADDR,
    RTM_GETLINK, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE, RTN_UNICAST, RTPROT_BOOT, Request, VETH_INFO_PEER, ifinfomsg,
};
use parse::{parse_addr, parse_link};
use socket::{dump, request};
use std::io;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, OwnedFd};

/// One network device, as `ip -d link show` would describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
// Part of the API, used by the tests; not called by the runtime yet.
#[allow(dead_code)]
pub struct LinkInfo {
    pub name: String,
    pub index: u32,
    /// Administratively up (`IFF_UP`), whether or not it has a carrier.
    pub up: bool,
    /// The index of the bridge (or bond) this link is a port of.
    pub master: Option<u32>,
    /// `bridge`, `veth`, …; `None` for devices without a link kind, such as `lo`.
    pub kind: Option<String>,
}

/// `ip link add NAME type bridge`
pub fn create_bridge(name: &str) -> SysResult<()> {
    let call = format!("ip link add {name} type bridge");
    ifname(name, &call)?;
    let mut req = Request::new(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifinfomsg(0, 0, 0));
    req.attr_str(IFLA_IFNAME, name);
    let info = req.nest_start(IFLA_LINKINFO);
    req.attr_str(IFLA_INFO_KIND, "bridge");
    req.nest_end(info);
    request(req, &call)
}

/// `ip link add HOST type veth peer name PEER netns …`: a veth pair whose
/// `host` end stays here and whose `peer` end is created directly inside the
/// network namespace `peer_netns` (a handle from /proc/PID/ns/net or a bind
/// mount of one), so it never appears, even briefly, in this namespace.
pub fn create_veth(host: &str, peer: &str, peer_netns: &OwnedFd) -> SysResult<()> {
    let call = format!("ip link add {host} type veth peer name {peer} netns {}", describe_fd(peer_netns));
    ifname(host, &call)?;
    ifname(peer, &call)?;
    let mut req = Request::new(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifinfomsg(0, 0, 0));
    req.attr_str(IFLA_IFNAME, host);
    let info = req.nest_start(IFLA_LINKINFO);
    req.attr_str(IFLA_INFO_KIND, "veth");
    let data = req.nest_start(IFLA_INFO_DATA);
    // The peer is described like a whole RTM_NEWLINK body: an ifinfomsg, then its attributes.
    let peer_info = req.nest_start(VETH_INFO_PEER);
    req.raw(&ifinfomsg(0, 0, 0));
    req.attr_str(IFLA_IFNAME, peer);
    req.attr_u32(IFLA_NET_NS_FD, peer_netns.as_raw_fd() as u32);
    req.nest_end(peer_info);
    req.nest_end(data);
    req.nest_end(info);
    request(req, &call)
}

/// The interface index of `name` in this network namespace, or `None` if
/// there is no such link (if_nametoindex(3)).
pub fn link_index(name: &str) -> SysResult<Option<u32>> {
    let c = cstring(name)?;
    // SAFETY: c is a NUL-terminated string that outlives the call.
    let index = unsafe { libc::if_nametoindex(c.as_ptr()) };
    if index != 0 {
        return Ok(Some(index));
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::ENODEV) | Some(libc::ENXIO) => Ok(None),
        _ => Err(SysError::io(format!("ip link show {name}"), e)),
    }
}

/// `ip link set NAME master BRIDGE`: makes `name` a port of `bridge`.
pub fn set_master(name: &str, bridge: &str) -> SysResult<()> {
    let call = format!("ip link set {name} master {bridge}");
    let index = existing(name, &call)?;
    let master = existing(bridge, &call)?;
    let mut req = Request::new(RTM_NEWLINK, 0, &ifinfomsg(index, 0, 0));
    req.attr_u32(IFLA_MASTER, master);
    request(req, &call)
}

/// `ip link set NAME up`
pub fn set_up(name: &str) -> SysResult<()> {
    let call = format!("ip link set {name} up");
    let index = existing(name, &call)?;
    let up = libc::IFF_UP as u32;
    request(Request::new(RTM_NEWLINK, 0, &ifinfomsg(index, up, up)), &call)
}

/// `ip link set OLD name NEW`; the kernel refuses (`EBUSY`) while the link is up.
// Part of the API, used by the tests; not called by the runtime yet.
#[allow(dead_code)]
pub fn rename(old: &str, new: &str) -> SysResult<()> {
    let call = format!("ip link set {old} name {new}");
    ifname(new, &call)?;
    let index = existing(old, &call)?;
    let mut req = Request::new(RTM_NEWLINK, 0, &ifinfomsg(index, 0, 0));
    req.attr_str(IFLA_IFNAME, new);
    request(req, &call)
}

/// `ip addr add ADDR/PREFIX brd + dev NAME`
pub fn add_address(name: &str, addr: Ipv4Addr, prefix: u8) -> SysResult<()> {
    let call = format!("ip addr add {addr}/{prefix} dev {name}");
    if prefix > 32 {
        return Err(SysError::io(call, io::Error::from_raw_os_error(libc::EINVAL)));
    }
    let index = existing(name, &call)?;
    let header = [libc::AF_INET as u8, prefix, 0, RT_SCOPE_UNIVERSE];
    let mut req = Request::new(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &[&header[..], &index.to_ne_bytes()].concat());
    req.attr(IFA_LOCAL, &addr.octets());
    req.attr(IFA_ADDRESS, &addr.octets());
    if prefix < 31 {
        // `brd +`: all host bits set; /31 and /32 have no broadcast address.
        let host_bits = u32::MAX.checked_shr(u32::from(prefix)).unwrap_or(0);
        req.attr(IFA_BROADCAST, &Ipv4Addr::from(u32::from(addr) | host_bits).octets());
    }
    request(req, &call)
}

/// `ip route add default via GATEWAY`, in the main table.
pub fn add_default_route(gateway: Ipv4Addr) -> SysResult<()> {
    let call = format!("ip route add default via {gateway}");
    // rtmsg: family, dst_len 0 and src_len 0 (0.0.0.0/0), tos, table, protocol, scope, type, flags.
    let header = [libc::AF_INET as u8, 0, 0, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, 0, 0, 0];
    let mut req = Request::new(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &header);
    req.attr(RTA_GATEWAY, &gateway.octets());
    request(req, &call)
}

/// `ip link delete NAME`: `Ok(false)` if there was no such link. Deleting
/// one end of a veth pair deletes both.
pub fn delete_link(name: &str) -> SysResult<bool> {
    let call = format!("ip link delete {name}");
    ifname(name, &call)?;
    // Index 0 and IFLA_IFNAME: the kernel looks the link up by name itself.
    let mut req = Request::new(RTM_DELLINK, 0, &ifinfomsg(0, 0, 0));
    req.attr_str(IFLA_IFNAME, name);
    match request(req, &call) {
        Ok(()) => Ok(true),
        Err(e) if e.errno() == Some(libc::ENODEV) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `ip -d link show`: every link in this network namespace.
// Part of the API, used by the tests; not called by the runtime yet.
#[allow(dead_code)]
pub fn links() -> SysResult<Vec<LinkInfo>> {
    let bodies = dump(RTM_GETLINK, &ifinfomsg(0, 0, 0), "ip -d link show")?;
    Ok(bodies.iter().filter_map(|body| parse_link(body)).collect())
}

/// `ip -4 addr show`: every IPv4 address as (link name, address, prefix length).
// Part of the API, used by the tests; not called by the runtime yet.
#[allow(dead_code)]
pub fn addresses() -> SysResult<Vec<(String, Ipv4Addr, u8)>> {
    let names: Vec<(u32, String)> = links()?.into_iter().map(|l| (l.index, l.name)).collect();
    let header = [libc::AF_INET as u8, 0, 0, 0, 0, 0, 0, 0];
    let bodies = dump(RTM_GETADDR, &header, "ip -4 addr show")?;
    let mut out = Vec::new();
    for body in &bodies {
        let Some((index, addr, prefix)) = parse_addr(body) else { continue };
        let name = names.iter().find(|(i, _)| *i == index).map(|(_, n)| n.clone()).unwrap_or_else(|| index.to_string());
        out.push((name, addr, prefix));
    }
    Ok(out)
}
// ---- argument checks ----

fn ifname(name: &str, call: &str) -> SysResult<()> {
    // IFNAMSIZ is 16 with the NUL; the kernel would refuse these too, less clearly.
    if name.is_empty()
        || name.len() >= libc::IFNAMSIZ
        || name.contains(['\0', '/'])
        || name.contains(char::is_whitespace)
    {
        return Err(SysError::io(
            format!("{call} (invalid interface name {name:?})"),
            io::Error::from_raw_os_error(libc::EINVAL),
        ));
    }
    Ok(())
}

/// The index of a link that must exist for `call`, else ENODEV naming it.
fn existing(name: &str, call: &str) -> SysResult<u32> {
    ifname(name, call)?;
    link_index(name)?
        .ok_or_else(|| SysError::io(format!("{call} (no link {name})"), io::Error::from_raw_os_error(libc::ENODEV)))
}

/// "fd 5 (net:[4026532177])": how a namespace handle is named in messages.
fn describe_fd(fd: &OwnedFd) -> String {
    let raw = fd.as_raw_fd();
    match std::fs::read_link(format!("/proc/self/fd/{raw}")) {
        Ok(target) => format!("<fd {raw}: {}>", target.display()),
        Err(_) => format!("<fd {raw}>"),
    }
}
