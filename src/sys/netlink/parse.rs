//! Reading what the kernel sends: splitting a datagram into messages (parsed
//! by `netlink-packet-route`), the kernel's extended-ack text, and the
//! link and address messages of a dump turned into what `ip` would show.

use super::LinkInfo;
use netlink_packet_core::{
    DecodeError, ErrorMessage, NLA_TYPE_MASK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NetlinkBuffer, NetlinkMessage,
    NlasIterator, parse_string, parse_u32,
};
use netlink_packet_route::AddressFamily;
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::link::{LinkAttribute, LinkFlags, LinkInfo as Info, LinkMessage};
use std::net::{IpAddr, Ipv4Addr};

/// The size of a `nlmsghdr`: length, type, flags, sequence, port id.
const NLMSG_HDRLEN: usize = 16;
/// NLMSGERR_ATTR_MSG, include/uapi/linux/netlink.h: the text of an extended ack.
const NLMSGERR_ATTR_MSG: u16 = 1;

/// Splits a datagram into netlink messages. One datagram may hold several
/// (a dump packs them), each padded to 4 bytes.
pub(super) fn messages(
    mut buf: &[u8],
) -> impl Iterator<Item = Result<NetlinkMessage<RouteNetlinkMessage>, DecodeError>> {
    std::iter::from_fn(move || {
        if buf.is_empty() {
            return None;
        }
        let len = match NetlinkBuffer::new_checked(buf) {
            Ok(b) => b.length() as usize,
            Err(e) => {
                buf = &[];
                return Some(Err(e));
            }
        };
        let msg = NetlinkMessage::deserialize(&buf[..len]);
        buf = buf.get(len.next_multiple_of(4)..).unwrap_or(&[]);
        Some(msg)
    })
}

/// The errno of an NLMSG_ERROR (0 for an acknowledgement) and the kernel's
/// extended-ack message, if it sent one ("Unknown device type").
pub(super) fn error_text(flags: u16, error: &ErrorMessage) -> (i32, Option<String>) {
    let errno = -error.raw_code();
    let mut text = None;
    if flags & NLM_F_ACK_TLVS != 0 {
        // After the errno comes our request: just its header if capped, else
        // all of it; then the extended-ack attributes.
        let echoed = if flags & NLM_F_CAPPED != 0 {
            NLMSG_HDRLEN
        } else {
            error
                .header
                .get(..4)
                .and_then(|l| parse_u32(l).ok())
                .map_or(NLMSG_HDRLEN, |l| (l as usize).next_multiple_of(4))
        };
        if let Some(tlvs) = error.header.get(echoed..) {
            text = NlasIterator::new(tlvs)
                .map_while(Result::ok)
                .find(|nla| nla.kind() & NLA_TYPE_MASK == NLMSGERR_ATTR_MSG)
                .and_then(|nla| parse_string(nla.value()).ok());
        }
    }
    (errno, text.filter(|t| !t.is_empty()))
}

/// A link of an RTM_GETLINK dump.
pub(super) fn link_info(msg: &LinkMessage) -> LinkInfo {
    let mut link = LinkInfo {
        name: String::new(),
        index: msg.header.index,
        up: msg.header.flags.contains(LinkFlags::Up),
        master: None,
        kind: None,
    };
    for attr in &msg.attributes {
        match attr {
            LinkAttribute::IfName(name) => link.name = name.clone(),
            LinkAttribute::Controller(m) if *m != 0 => link.master = Some(*m),
            LinkAttribute::LinkInfo(infos) => {
                link.kind = infos.iter().find_map(|i| match i {
                    Info::Kind(kind) => Some(kind.to_string()),
                    _ => None,
                });
            }
            _ => {}
        }
    }
    link
}

/// An IPv4 address of an RTM_GETADDR dump: (link index, address, prefix length).
pub(super) fn ipv4_address(msg: &AddressMessage) -> Option<(u32, Ipv4Addr, u8)> {
    if msg.header.family != AddressFamily::Inet {
        return None;
    }
    let v4 = |ip: &IpAddr| match ip {
        IpAddr::V4(ip) => Some(*ip),
        IpAddr::V6(_) => None,
    };
    let mut local = None;
    let mut address = None;
    for attr in &msg.attributes {
        match attr {
            AddressAttribute::Local(ip) => local = v4(ip),
            AddressAttribute::Address(ip) => address = v4(ip),
            _ => {}
        }
    }
    // On point-to-point links IFA_ADDRESS is the far end; IFA_LOCAL is ours.
    Some((msg.header.index, local.or(address)?, msg.header.prefix_len))
}
