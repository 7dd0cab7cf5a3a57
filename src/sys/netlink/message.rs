//! Building rtnetlink requests with `netlink-packet-route`: one typed message
//! per `ip` command, framed in a `nlmsghdr` by `netlink-packet-core`.
//!
//! The crates know the kernel ABI (the `ifinfomsg`, `ifaddrmsg` and `rtmsg`
//! headers, every attribute number, the 4-byte padding and the lengths of
//! nested attributes), so what is left here reads like the request itself:
//! "a link called NAME whose link info says kind veth, with a peer called …".

use netlink_packet_core::{NLM_F_REQUEST, NetlinkHeader, NetlinkMessage, NetlinkPayload};
use netlink_packet_route::address::{AddressAttribute, AddressMessage, AddressScope};
use netlink_packet_route::link::{InfoData, InfoKind, InfoVeth, LinkAttribute, LinkFlags, LinkInfo, LinkMessage};
use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteHeader, RouteMessage, RouteProtocol};
use netlink_packet_route::route::{RouteScope, RouteType};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use std::net::Ipv4Addr;
use std::os::fd::RawFd;

/// Every request goes out on a fresh socket, so one sequence number suffices;
/// replies are still matched against it.
pub(super) const SEQ: u32 = 1;

/// The request's bytes: a `nlmsghdr` (length, type, flags, sequence; the
/// port id 0 lets the kernel fill in ours), then the message.
pub(super) fn frame(msg: RouteNetlinkMessage, flags: u16) -> Vec<u8> {
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | flags;
    header.sequence_number = SEQ;
    let mut packet = NetlinkMessage::new(header, NetlinkPayload::from(msg));
    packet.finalize(); // sets the length and the message type
    let mut buf = vec![0u8; packet.buffer_len()];
    packet.serialize(&mut buf);
    buf
}

/// A link message about the link `index` (0: none, the kernel then looks the
/// link up by its IFLA_IFNAME) with these attributes.
pub(super) fn link(index: u32, attributes: Vec<LinkAttribute>) -> LinkMessage {
    let mut msg = LinkMessage::default();
    msg.header.index = index;
    msg.attributes = attributes;
    msg
}

/// `ip link add NAME type bridge`: IFLA_IFNAME and IFLA_LINKINFO { IFLA_INFO_KIND "bridge" }.
pub(super) fn new_bridge(name: &str) -> RouteNetlinkMessage {
    RouteNetlinkMessage::NewLink(link(
        0,
        vec![
            LinkAttribute::IfName(name.into()),
            LinkAttribute::Address(bridge_mac(name).to_vec()),
            LinkAttribute::LinkInfo(vec![LinkInfo::Kind(InfoKind::Bridge)]),
        ],
    ))
}

/// The bridge's own MAC address, given at its creation (IFLA_ADDRESS, so
/// the kernel keeps it), made from its name: locally administered,
/// unicast. A bridge given none takes the lowest of its ports' addresses
/// and changes it as boxes come and go: a box that stays keeps the old
/// one for its gateway in its ARP cache, and its answers to the host go to
/// no one until that entry expires (tens of seconds), as Docker's bridge
/// driver found (it gives docker0 an address of its own too).
pub(super) fn bridge_mac(name: &str) -> [u8; 6] {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let b = hash.to_be_bytes();
    [0x02, b[0], b[1], b[2], b[3], b[4]]
}

/// `ip link add HOST type veth peer name PEER netns FD`: the peer is described
/// like a whole RTM_NEWLINK body (an ifinfomsg, then its attributes) nested
/// in IFLA_INFO_DATA as VETH_INFO_PEER.
pub(super) fn new_veth(host: &str, peer: &str, peer_netns: RawFd) -> RouteNetlinkMessage {
    let peer = link(0, vec![LinkAttribute::IfName(peer.into()), LinkAttribute::NetNsFd(peer_netns)]);
    RouteNetlinkMessage::NewLink(link(
        0,
        vec![
            LinkAttribute::IfName(host.into()),
            LinkAttribute::LinkInfo(vec![
                LinkInfo::Kind(InfoKind::Veth),
                LinkInfo::Data(InfoData::Veth(InfoVeth::Peer(peer))),
            ]),
        ],
    ))
}

/// `ip link set … up`: the flag IFF_UP, and the mask saying only it changes.
/// Like iproute2, changes to an existing link go out as RTM_NEWLINK with its
/// index and without NLM_F_CREATE.
pub(super) fn set_up(index: u32) -> RouteNetlinkMessage {
    let mut msg = link(index, Vec::new());
    msg.header.flags = LinkFlags::Up;
    msg.header.change_mask = LinkFlags::Up;
    RouteNetlinkMessage::NewLink(msg)
}

/// `ip addr add ADDR/PREFIX brd + dev …`: IFA_LOCAL and IFA_ADDRESS are the
/// same on a broadcast link (they differ on point-to-point links).
pub(super) fn new_address(index: u32, addr: Ipv4Addr, prefix: u8) -> RouteNetlinkMessage {
    let mut msg = AddressMessage::default();
    msg.header.family = AddressFamily::Inet;
    msg.header.prefix_len = prefix;
    msg.header.scope = AddressScope::Universe;
    msg.header.index = index;
    msg.attributes = vec![AddressAttribute::Local(addr.into()), AddressAttribute::Address(addr.into())];
    if prefix < 31 {
        // `brd +`: all host bits set; /31 and /32 have no broadcast address.
        let host_bits = u32::MAX.checked_shr(u32::from(prefix)).unwrap_or(0);
        msg.attributes.push(AddressAttribute::Broadcast(Ipv4Addr::from(u32::from(addr) | host_bits)));
    }
    RouteNetlinkMessage::NewAddress(msg)
}

/// `ip route add default via GATEWAY`: destination 0.0.0.0/0 (prefix length
/// 0, no RTA_DST) in the main table, a unicast route added by an admin.
pub(super) fn new_default_route(gateway: Ipv4Addr) -> RouteNetlinkMessage {
    let mut msg = RouteMessage::default();
    msg.header.address_family = AddressFamily::Inet;
    msg.header.table = RouteHeader::RT_TABLE_MAIN;
    msg.header.protocol = RouteProtocol::Boot;
    msg.header.scope = RouteScope::Universe;
    msg.header.kind = RouteType::Unicast;
    msg.attributes = vec![RouteAttribute::Gateway(RouteAddress::Inet(gateway))];
    RouteNetlinkMessage::NewRoute(msg)
}

/// A dump request for IPv4 addresses (`ip -4 addr show`).
pub(super) fn get_ipv4_addresses() -> RouteNetlinkMessage {
    let mut msg = AddressMessage::default();
    msg.header.family = AddressFamily::Inet;
    RouteNetlinkMessage::GetAddress(msg)
}
