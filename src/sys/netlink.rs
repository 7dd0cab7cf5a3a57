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

use super::{SysError, SysResult, check, cstring};
use std::io;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

// Kernel ABI numbers, from include/uapi/linux/{netlink,rtnetlink,if_link,
// if_addr,veth}.h. Spelled out here because libc exports only some of them;
// they are fixed ABI and never change.
const NLMSG_HDRLEN: usize = 16;
const NLA_HDRLEN: usize = 4;
const NLA_TYPE_MASK: u16 = 0x3fff; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_ACK: u16 = 0x4;
const NLM_F_DUMP_INTR: u16 = 0x10;
const NLM_F_DUMP: u16 = 0x300;
const NLM_F_EXCL: u16 = 0x200;
const NLM_F_CREATE: u16 = 0x400;
const NLM_F_CAPPED: u16 = 0x100; // on NLMSG_ERROR: only the request's header is echoed back
const NLM_F_ACK_TLVS: u16 = 0x200; // on NLMSG_ERROR: extended-ack attributes follow
const NLMSGERR_ATTR_MSG: u16 = 1;
const SOL_NETLINK: libc::c_int = 270;
const NETLINK_EXT_ACK: libc::c_int = 11;

const RTM_NEWLINK: u16 = 16;
const RTM_DELLINK: u16 = 17;
const RTM_GETLINK: u16 = 18;
const RTM_NEWADDR: u16 = 20;
const RTM_GETADDR: u16 = 22;
const RTM_NEWROUTE: u16 = 24;

const IFLA_IFNAME: u16 = 3;
const IFLA_MASTER: u16 = 10;
const IFLA_LINKINFO: u16 = 18;
const IFLA_NET_NS_FD: u16 = 28;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const VETH_INFO_PEER: u16 = 1;

const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const IFA_BROADCAST: u16 = 4;

const RTA_GATEWAY: u16 = 5;
const RT_TABLE_MAIN: u8 = 254;
const RTPROT_BOOT: u8 = 3;
const RT_SCOPE_UNIVERSE: u8 = 0;
const RTN_UNICAST: u8 = 1;

/// Every request goes out on a fresh socket, so one sequence number suffices;
/// replies are still matched against it.
const SEQ: u32 = 1;

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

// ---- message building ----

/// One request being built: a `nlmsghdr`, a fixed family header, then
/// attributes. Length fields are patched in as each part is closed, so the
/// builder never needs to know sizes in advance.
struct Request {
    buf: Vec<u8>,
}

impl Request {
    fn new(kind: u16, flags: u16, family_header: &[u8]) -> Request {
        let mut buf = Vec::with_capacity(128);
        buf.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_len, set by finish()
        buf.extend_from_slice(&kind.to_ne_bytes());
        buf.extend_from_slice(&(flags | NLM_F_REQUEST).to_ne_bytes());
        buf.extend_from_slice(&SEQ.to_ne_bytes());
        buf.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_pid: the kernel fills in ours
        let mut req = Request { buf };
        req.raw(family_header);
        req
    }

    /// Raw bytes (a fixed header), padded to the 4-byte netlink alignment.
    fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        self.pad();
    }

    fn pad(&mut self) {
        self.buf.resize(align4(self.buf.len()), 0);
    }

    /// One attribute: nla_len counts the 4-byte header and the payload but not
    /// the padding after it.
    fn attr(&mut self, kind: u16, payload: &[u8]) {
        let len = u16::try_from(NLA_HDRLEN + payload.len()).expect("netlink attribute under 64 KiB");
        self.buf.extend_from_slice(&len.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        self.raw(payload);
    }

    /// A C string attribute, NUL included as the kernel expects.
    fn attr_str(&mut self, kind: u16, s: &str) {
        self.attr(kind, &[s.as_bytes(), &[0]].concat());
    }

    fn attr_u32(&mut self, kind: u16, v: u32) {
        self.attr(kind, &v.to_ne_bytes());
    }

    /// Opens a nested attribute; returns where its header is, for nest_end.
    fn nest_start(&mut self, kind: u16) -> usize {
        let at = self.buf.len();
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        at
    }

    /// Closes a nested attribute: its length covers everything inside,
    /// the padding of the inner attributes included.
    fn nest_end(&mut self, at: usize) {
        let len = u16::try_from(self.buf.len() - at).expect("netlink attribute under 64 KiB");
        self.buf[at..at + 2].copy_from_slice(&len.to_ne_bytes());
    }

    fn finish(mut self) -> Vec<u8> {
        let len = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        self.buf
    }
}

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// struct ifinfomsg: family AF_UNSPEC, device type 0, index (0 = none),
/// flags and the mask of flags to change.
fn ifinfomsg(index: u32, flags: u32, change: u32) -> [u8; 16] {
    let mut h = [0u8; 16];
    h[0] = libc::AF_UNSPEC as u8;
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h[8..12].copy_from_slice(&flags.to_ne_bytes());
    h[12..16].copy_from_slice(&change.to_ne_bytes());
    h
}

// ---- message parsing ----

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// One received message: its header fields and its body (after the header).
struct Message<'a> {
    kind: u16,
    flags: u16,
    seq: u32,
    body: &'a [u8],
}

/// Splits a datagram into netlink messages; stops at anything malformed.
fn messages(mut buf: &[u8]) -> impl Iterator<Item = Message<'_>> {
    std::iter::from_fn(move || {
        let len = u32_at(buf, 0)? as usize;
        if len < NLMSG_HDRLEN || len > buf.len() {
            return None;
        }
        let msg = Message {
            kind: u16_at(buf, 4)?,
            flags: u16_at(buf, 6)?,
            seq: u32_at(buf, 8)?,
            body: &buf[NLMSG_HDRLEN..len],
        };
        buf = buf.get(align4(len)..).unwrap_or(&[]);
        Some(msg)
    })
}

/// Splits an attribute list into (type without flag bits, payload).
fn attrs(mut buf: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let len = u16_at(buf, 0)? as usize;
        if len < NLA_HDRLEN || len > buf.len() {
            return None;
        }
        let item = (u16_at(buf, 2)? & NLA_TYPE_MASK, &buf[NLA_HDRLEN..len]);
        buf = buf.get(align4(len)..).unwrap_or(&[]);
        Some(item)
    })
}

fn c_string(payload: &[u8]) -> String {
    let end = payload.iter().position(|&b| b == 0).unwrap_or(payload.len());
    String::from_utf8_lossy(&payload[..end]).into_owned()
}

/// An RTM_NEWLINK body from a dump: ifinfomsg, then attributes.
fn parse_link(body: &[u8]) -> Option<LinkInfo> {
    let index = u32_at(body, 4)?;
    let flags = u32_at(body, 8)?;
    let mut link =
        LinkInfo { name: String::new(), index, up: flags & libc::IFF_UP as u32 != 0, master: None, kind: None };
    for (kind, payload) in attrs(body.get(16..)?) {
        match kind {
            IFLA_IFNAME => link.name = c_string(payload),
            IFLA_MASTER => link.master = u32_at(payload, 0).filter(|&m| m != 0),
            IFLA_LINKINFO => {
                link.kind = attrs(payload).find(|(k, _)| *k == IFLA_INFO_KIND).map(|(_, p)| c_string(p));
            }
            _ => {}
        }
    }
    Some(link)
}

/// An RTM_NEWADDR body from a dump: ifaddrmsg, then attributes. IPv4 only.
fn parse_addr(body: &[u8]) -> Option<(u32, Ipv4Addr, u8)> {
    if *body.first()? != libc::AF_INET as u8 {
        return None;
    }
    let prefix = *body.get(1)?;
    let index = u32_at(body, 4)?;
    let mut local = None;
    let mut address = None;
    for (kind, payload) in attrs(body.get(8..)?) {
        let ip = <[u8; 4]>::try_from(payload).ok().map(Ipv4Addr::from);
        match kind {
            IFA_LOCAL => local = ip,
            IFA_ADDRESS => address = ip,
            _ => {}
        }
    }
    // On point-to-point links IFA_ADDRESS is the far end; IFA_LOCAL is ours.
    Some((index, local.or(address)?, prefix))
}

/// The errno of an NLMSG_ERROR body (0 for an acknowledgement) and the
/// kernel's extended-ack message, if it sent one ("Unknown device type").
fn parse_error(flags: u16, body: &[u8]) -> (i32, Option<String>) {
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

// ---- the socket ----

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

struct Socket(OwnedFd);

impl Socket {
    fn open(call: &str) -> SysResult<Socket> {
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

    fn send(&self, msg: &[u8], call: &str) -> SysResult<()> {
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
    fn recv(&self, buf: &mut [u8], call: &str) -> SysResult<usize> {
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
const RECV_BUF: usize = 64 * 1024;

/// Sends one request and waits for its acknowledgement.
fn request(req: Request, call: &str) -> SysResult<()> {
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

fn kernel_result(flags: u16, body: &[u8], call: &str) -> SysResult<()> {
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
fn dump(kind: u16, family_header: &[u8], call: &str) -> SysResult<Vec<Vec<u8>>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn nla_len(buf: &[u8], at: usize) -> usize {
        u16_at(buf, at).unwrap() as usize
    }

    #[test]
    fn attributes_are_padded_to_four_bytes_but_their_length_is_not() {
        let mut req = Request::new(RTM_NEWLINK, 0, &ifinfomsg(0, 0, 0));
        req.attr_str(IFLA_IFNAME, "eth0"); // 4 + 5 = 9, padded to 12
        req.attr_u32(IFLA_MASTER, 7);
        let buf = req.finish();
        let first = NLMSG_HDRLEN + 16;
        assert_eq!(nla_len(&buf, first), 9);
        assert_eq!(&buf[first + 4..first + 12], b"eth0\0\0\0\0");
        assert_eq!(nla_len(&buf, first + 12), 8);
        assert_eq!(buf.len(), first + 12 + 8);
        assert_eq!(u32_at(&buf, 0).unwrap() as usize, buf.len());
        assert_eq!(u16_at(&buf, 6).unwrap(), NLM_F_REQUEST);
    }

    #[test]
    fn a_nest_length_covers_its_padded_children() {
        let mut req = Request::new(RTM_NEWLINK, NLM_F_CREATE, &ifinfomsg(0, 0, 0));
        let info = req.nest_start(IFLA_LINKINFO);
        req.attr_str(IFLA_INFO_KIND, "bridge"); // 4 + 7 = 11, padded to 12
        req.nest_end(info);
        let buf = req.finish();
        assert_eq!(nla_len(&buf, info), 4 + 12);
        assert_eq!(nla_len(&buf, info + 4), 11);
        let parsed: Vec<_> = attrs(&buf[NLMSG_HDRLEN + 16..]).collect();
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].0, IFLA_LINKINFO);
        assert_eq!(
            attrs(parsed[0].1).map(|(k, p)| (k, c_string(p))).collect::<Vec<_>>(),
            [(IFLA_INFO_KIND, "bridge".to_string())]
        );
    }

    #[test]
    fn a_veth_request_nests_a_whole_link_body_for_the_peer() {
        let mut req = Request::new(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifinfomsg(0, 0, 0));
        req.attr_str(IFLA_IFNAME, "gbh1");
        let info = req.nest_start(IFLA_LINKINFO);
        req.attr_str(IFLA_INFO_KIND, "veth");
        let data = req.nest_start(IFLA_INFO_DATA);
        let peer = req.nest_start(VETH_INFO_PEER);
        req.raw(&ifinfomsg(0, 0, 0));
        req.attr_str(IFLA_IFNAME, "eth0");
        req.attr_u32(IFLA_NET_NS_FD, 5);
        req.nest_end(peer);
        req.nest_end(data);
        req.nest_end(info);
        let buf = req.finish();
        // peer: header 4 + ifinfomsg 16 + ifname 12 + fd 8
        assert_eq!(nla_len(&buf, peer), 40);
        assert_eq!(nla_len(&buf, data), 44);
        // info: header 4 + kind ("veth\0" = 9, padded 12) + data 44
        assert_eq!(nla_len(&buf, info), 60);
        assert_eq!(info + 60, buf.len());
        assert!(buf.len() % 4 == 0);
        let peer_body = attrs(&buf[data + 4..]).next().unwrap().1;
        let peer_attrs: Vec<_> = attrs(&peer_body[16..]).collect();
        assert_eq!(c_string(peer_attrs[0].1), "eth0");
        assert_eq!(u32_at(peer_attrs[1].1, 0), Some(5));
    }

    #[test]
    fn errors_carry_the_errno_and_the_kernels_explanation() {
        // An NLMSG_ERROR body: -EOPNOTSUPP, our capped request header, then NLMSGERR_ATTR_MSG.
        let mut body = (-libc::EOPNOTSUPP).to_ne_bytes().to_vec();
        body.extend_from_slice(&Request::new(RTM_NEWLINK, 0, &[]).finish());
        let mut tlv = Request { buf: Vec::new() };
        tlv.attr_str(NLMSGERR_ATTR_MSG, "Unknown device type");
        body.extend_from_slice(&tlv.buf);
        let (errno, text) = parse_error(NLM_F_CAPPED | NLM_F_ACK_TLVS, &body);
        assert_eq!(errno, libc::EOPNOTSUPP);
        assert_eq!(text.as_deref(), Some("Unknown device type"));
        let e = kernel_result(NLM_F_CAPPED | NLM_F_ACK_TLVS, &body, "ip link add x type y").unwrap_err();
        assert_eq!(e.errno(), Some(libc::EOPNOTSUPP));
        assert!(e.to_string().starts_with("ip link add x type y (kernel: Unknown device type): "), "{e}");
        assert_eq!(parse_error(0, &0i32.to_ne_bytes()), (0, None));
    }

    #[test]
    fn bad_interface_names_are_refused_before_the_kernel_sees_them() {
        for bad in ["", "sixteen-chars-xx", "a b", "a/b", "a\0b"] {
            let e = create_bridge(bad).unwrap_err();
            assert_eq!(e.errno(), Some(libc::EINVAL), "{bad:?}");
            assert!(e.call.starts_with("ip link add "), "{e}");
        }
        assert_eq!(add_address("lo", Ipv4Addr::LOCALHOST, 33).unwrap_err().errno(), Some(libc::EINVAL));
    }

    const INNER: &str = "sys::netlink::tests::in_a_throwaway_netns";
    const INNER_ENV: &str = "GLASSBOX_NETLINK_TEST_NETNS";

    /// Runs the live test in a copy of this test binary that starts in a new,
    /// empty network namespace (unshare(CLONE_NEWNET) between fork and exec):
    /// nothing it creates can reach the host, and the namespace vanishes when
    /// the child exits.
    #[test]
    fn live_requests_in_a_throwaway_netns() {
        if super::super::process::euid() != 0 {
            eprintln!("skipped: needs root (CAP_NET_ADMIN and unshare(CLONE_NEWNET))");
            return;
        }
        use std::os::unix::process::CommandExt;
        let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
        cmd.args([INNER, "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env(INNER_ENV, net_ns_inode("/proc/thread-self/ns/net").to_string());
        // SAFETY: between fork and exec only unshare(2) runs, which is async-signal-safe.
        unsafe {
            cmd.pre_exec(
                || {
                    if libc::unshare(libc::CLONE_NEWNET) == -1 { Err(io::Error::last_os_error()) } else { Ok(()) }
                },
            )
        };
        let out = cmd.output().unwrap();
        let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "child in the throwaway netns failed:\n{log}");
        assert!(log.contains("1 passed"), "the inner test did not run:\n{log}");
        for name in ["gbtest0", "gbtest1", "gbtestpeer"] {
            assert_eq!(link_index(name).unwrap(), None, "{name} leaked into the host namespace");
        }
    }

    fn net_ns_inode(path: &str) -> u64 {
        super::super::ns::inode(std::path::Path::new(path)).unwrap()
    }

    /// Runs this thread inside the namespace `fd`, then returns it to `home`.
    fn inside<T>(fd: &OwnedFd, home: &OwnedFd, f: impl FnOnce() -> T) -> T {
        super::super::ns::setns(fd, libc::CLONE_NEWNET, "net").unwrap();
        let result = f();
        super::super::ns::setns(home, libc::CLONE_NEWNET, "net").unwrap();
        result
    }

    fn find<'a>(links: &'a [LinkInfo], name: &str) -> Option<&'a LinkInfo> {
        links.iter().find(|l| l.name == name)
    }

    /// The live half: only meaningful in the child started above.
    #[test]
    #[ignore = "run by live_requests_in_a_throwaway_netns inside a new network namespace"]
    fn in_a_throwaway_netns() {
        let Ok(parent_ns) = std::env::var(INNER_ENV) else {
            eprintln!("skipped: only runs in the child of live_requests_in_a_throwaway_netns");
            return;
        };
        // Belt and braces: never touch the namespace the test was started in.
        assert_ne!(net_ns_inode("/proc/thread-self/ns/net").to_string(), parent_ns, "not in a new network namespace");
        let ip = |s: &str| s.parse::<Ipv4Addr>().unwrap();

        create_bridge("gbtest0").unwrap();
        let again = create_bridge("gbtest0").unwrap_err();
        assert_eq!(again.errno(), Some(libc::EEXIST));
        assert!(again.to_string().starts_with("ip link add gbtest0 type bridge"), "{again}");
        eprintln!("expected error: {again}");
        set_up("gbtest0").unwrap();
        add_address("gbtest0", ip("10.99.0.1"), 24).unwrap();

        // A second namespace for the peer end, held only by a descriptor:
        // unshare moves this thread, setns moves it back.
        let home = super::super::ns::open(std::path::Path::new("/proc/thread-self/ns/net")).unwrap();
        super::super::ns::unshare(libc::CLONE_NEWNET, "net").unwrap();
        let other = super::super::ns::open(std::path::Path::new("/proc/thread-self/ns/net")).unwrap();
        super::super::ns::setns(&home, libc::CLONE_NEWNET, "net").unwrap();
        assert_ne!(net_ns_inode("/proc/thread-self/ns/net"), {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(format!("/proc/self/fd/{}", other.as_raw_fd())).unwrap().ino()
        });

        create_veth("gbtest1", "gbtestpeer", &other).unwrap();
        assert!(link_index("gbtest1").unwrap().is_some());
        assert_eq!(link_index("gbtestpeer").unwrap(), None, "the peer must be created in the other namespace");
        let missing = set_master("gbtest1", "nosuch").unwrap_err();
        assert_eq!(missing.errno(), Some(libc::ENODEV));
        assert!(missing.to_string().starts_with("ip link set gbtest1 master nosuch"), "{missing}");
        eprintln!("expected error: {missing}");
        set_master("gbtest1", "gbtest0").unwrap();
        set_up("gbtest1").unwrap();

        inside(&other, &home, || {
            let peer = find(&links().unwrap(), "gbtestpeer").cloned().expect("peer in the other namespace");
            assert_eq!(peer.kind.as_deref(), Some("veth"));
            assert!(!peer.up);
            rename("gbtestpeer", "eth0").unwrap();
            assert_eq!(link_index("gbtestpeer").unwrap(), None);
            set_up("eth0").unwrap();
            add_address("eth0", ip("10.99.0.2"), 24).unwrap();
            let unreachable = add_default_route(ip("192.0.2.1")).unwrap_err();
            assert_eq!(unreachable.errno(), Some(libc::ENETUNREACH), "{unreachable}");
            eprintln!("expected error: {unreachable}");
            add_default_route(ip("10.99.0.1")).unwrap();
            assert_eq!(add_default_route(ip("10.99.0.1")).unwrap_err().errno(), Some(libc::EEXIST));
            assert!(addresses().unwrap().contains(&("eth0".to_string(), ip("10.99.0.2"), 24)));
        });

        let all = links().unwrap();
        let bridge = find(&all, "gbtest0").expect("bridge listed");
        let host = find(&all, "gbtest1").expect("host end listed");
        assert_eq!(bridge.kind.as_deref(), Some("bridge"));
        assert!(bridge.up && host.up);
        assert_eq!(host.kind.as_deref(), Some("veth"));
        assert_eq!(host.master, Some(bridge.index));
        assert_eq!(Some(bridge.index), link_index("gbtest0").unwrap());
        assert_eq!(find(&all, "lo").map(|l| l.kind.clone()), Some(None));
        let addrs = addresses().unwrap();
        assert!(addrs.contains(&("gbtest0".to_string(), ip("10.99.0.1"), 24)), "{addrs:?}");

        assert!(delete_link("gbtest1").unwrap());
        assert!(!delete_link("gbtest1").unwrap());
        assert!(delete_link("gbtest0").unwrap());
        assert!(!links().unwrap().iter().any(|l| l.name.starts_with("gbtest")));
        assert!(!addresses().unwrap().iter().any(|(n, _, _)| n.starts_with("gbtest")));
        // Deleting one end of a veth pair took the other end with it.
        inside(&other, &home, || assert_eq!(link_index("eth0").unwrap(), None));
    }
}
