//! Reading what the kernel sends: splitting datagrams into messages and
//! attribute lists, and decoding the link and address bodies of a dump.

use super::LinkInfo;
use super::message::{
    IFA_ADDRESS, IFA_LOCAL, IFLA_IFNAME, IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_MASTER, NLA_HDRLEN, NLA_TYPE_MASK,
    NLMSG_HDRLEN, align4,
};
use std::net::Ipv4Addr;

pub(super) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

pub(super) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// One received message: its header fields and its body (after the header).
pub(super) struct Message<'a> {
    pub(super) kind: u16,
    pub(super) flags: u16,
    pub(super) seq: u32,
    pub(super) body: &'a [u8],
}

/// Splits a datagram into netlink messages; stops at anything malformed.
pub(super) fn messages(mut buf: &[u8]) -> impl Iterator<Item = Message<'_>> {
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
pub(super) fn attrs(mut buf: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
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

pub(super) fn c_string(payload: &[u8]) -> String {
    let end = payload.iter().position(|&b| b == 0).unwrap_or(payload.len());
    String::from_utf8_lossy(&payload[..end]).into_owned()
}

/// An RTM_NEWLINK body from a dump: ifinfomsg, then attributes.
pub(super) fn parse_link(body: &[u8]) -> Option<LinkInfo> {
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
pub(super) fn parse_addr(body: &[u8]) -> Option<(u32, Ipv4Addr, u8)> {
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
