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
//!
//! The bytes are not laid out by hand: each request is a typed value from
//! `netlink-packet-route` (a `LinkMessage` whose attributes are `IfName`,
//! `LinkInfo(Kind(Veth))`, …; see message.rs), framed in its `nlmsghdr` by
//! `netlink-packet-core`, which also parses every reply. The socket is
//! `netlink-sys`'s, used synchronously (socket.rs). What stays ours is the
//! exchange itself, the same for every request, and the functions below,
//! one per `ip` command.

mod message;
mod parse;
mod socket;
#[cfg(test)]
mod tests;

use super::{SysError, SysResult};
use netlink_packet_core::{NLM_F_CREATE, NLM_F_EXCL};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::link::LinkAttribute;
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

/// The MAC address `create_bridge` gives bridge `name`, as `ip link` writes it.
pub fn bridge_mac(name: &str) -> String {
    message::bridge_mac(name).map(|b| format!("{b:02x}")).join(":")
}

/// `ip link add NAME address MAC type bridge`
pub fn create_bridge(name: &str) -> SysResult<()> {
    let call = format!("ip link add {name} type bridge");
    ifname(name, &call)?;
    request(message::new_bridge(name), NLM_F_CREATE | NLM_F_EXCL, &call)
}

/// `ip link add HOST type veth peer name PEER netns …`: a veth pair whose
/// `host` end stays here and whose `peer` end is created directly inside the
/// network namespace `peer_netns` (a handle from /proc/PID/ns/net or a bind
/// mount of one), so it never appears, even briefly, in this namespace.
pub fn create_veth(host: &str, peer: &str, peer_netns: &OwnedFd) -> SysResult<()> {
    let call = format!("ip link add {host} type veth peer name {peer} netns {}", describe_fd(peer_netns));
    ifname(host, &call)?;
    ifname(peer, &call)?;
    request(message::new_veth(host, peer, peer_netns.as_raw_fd()), NLM_F_CREATE | NLM_F_EXCL, &call)
}

/// The interface index of `name` in this network namespace, or `None` if
/// there is no such link (if_nametoindex(3)).
pub fn link_index(name: &str) -> SysResult<Option<u32>> {
    match nix::net::if_::if_nametoindex(name) {
        Ok(index) => Ok(Some(index)),
        Err(nix::errno::Errno::ENODEV | nix::errno::Errno::ENXIO) => Ok(None),
        Err(e) => Err(SysError::io(format!("ip link show {name}"), e.into())),
    }
}

/// `ip link set NAME master BRIDGE`: makes `name` a port of `bridge`.
pub fn set_master(name: &str, bridge: &str) -> SysResult<()> {
    let call = format!("ip link set {name} master {bridge}");
    let index = existing(name, &call)?;
    let master = existing(bridge, &call)?;
    let msg = message::link(index, vec![LinkAttribute::Controller(master)]);
    request(RouteNetlinkMessage::NewLink(msg), 0, &call)
}

/// `ip link set NAME up`
pub fn set_up(name: &str) -> SysResult<()> {
    let call = format!("ip link set {name} up");
    let index = existing(name, &call)?;
    request(message::set_up(index), 0, &call)
}

/// `ip link set OLD name NEW`; the kernel refuses (`EBUSY`) while the link is up.
// Part of the API, used by the tests; not called by the runtime yet.
#[allow(dead_code)]
pub fn rename(old: &str, new: &str) -> SysResult<()> {
    let call = format!("ip link set {old} name {new}");
    ifname(new, &call)?;
    let index = existing(old, &call)?;
    let msg = message::link(index, vec![LinkAttribute::IfName(new.into())]);
    request(RouteNetlinkMessage::NewLink(msg), 0, &call)
}

/// `ip addr add ADDR/PREFIX brd + dev NAME`
pub fn add_address(name: &str, addr: Ipv4Addr, prefix: u8) -> SysResult<()> {
    let call = format!("ip addr add {addr}/{prefix} dev {name}");
    if prefix > 32 {
        return Err(SysError::io(call, io::Error::from_raw_os_error(libc::EINVAL)));
    }
    let index = existing(name, &call)?;
    request(message::new_address(index, addr, prefix), NLM_F_CREATE | NLM_F_EXCL, &call)
}

/// `ip route add default via GATEWAY`, in the main table.
pub fn add_default_route(gateway: Ipv4Addr) -> SysResult<()> {
    let call = format!("ip route add default via {gateway}");
    request(message::new_default_route(gateway), NLM_F_CREATE | NLM_F_EXCL, &call)
}

/// `ip link delete NAME`: `Ok(false)` if there was no such link. Deleting
/// one end of a veth pair deletes both.
pub fn delete_link(name: &str) -> SysResult<bool> {
    let call = format!("ip link delete {name}");
    ifname(name, &call)?;
    // Index 0 and IFLA_IFNAME: the kernel looks the link up by name itself.
    let msg = message::link(0, vec![LinkAttribute::IfName(name.into())]);
    match request(RouteNetlinkMessage::DelLink(msg), 0, &call) {
        Ok(()) => Ok(true),
        Err(e) if e.errno() == Some(libc::ENODEV) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `ip -d link show`: every link in this network namespace.
// Part of the API, used by the tests; not called by the runtime yet.
#[allow(dead_code)]
pub fn links() -> SysResult<Vec<LinkInfo>> {
    let all = dump(RouteNetlinkMessage::GetLink(message::link(0, Vec::new())), "ip -d link show")?;
    Ok(all
        .iter()
        .filter_map(|msg| match msg {
            RouteNetlinkMessage::NewLink(link) => Some(parse::link_info(link)),
            _ => None,
        })
        .collect())
}

/// `ip -4 addr show`: every IPv4 address as (link name, address, prefix length).
// Part of the API, used by the tests; not called by the runtime yet.
#[allow(dead_code)]
pub fn addresses() -> SysResult<Vec<(String, Ipv4Addr, u8)>> {
    let names: Vec<(u32, String)> = links()?.into_iter().map(|l| (l.index, l.name)).collect();
    let all = dump(message::get_ipv4_addresses(), "ip -4 addr show")?;
    let mut out = Vec::new();
    for msg in &all {
        let RouteNetlinkMessage::NewAddress(msg) = msg else { continue };
        let Some((index, addr, prefix)) = parse::ipv4_address(msg) else { continue };
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
