//! Building rtnetlink requests: the kernel ABI numbers, the `nlmsghdr` and
//! family headers, and `nlattr` attributes, nested or not.

// Kernel ABI numbers, from include/uapi/linux/{netlink,rtnetlink,if_link,
// if_addr,veth}.h. Spelled out here because libc exports only some of them;
// they are fixed ABI and never change.
pub(super) const NLMSG_HDRLEN: usize = 16;
pub(super) const NLA_HDRLEN: usize = 4;
pub(super) const NLA_TYPE_MASK: u16 = 0x3fff; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER
pub(super) const NLMSG_ERROR: u16 = 2;
pub(super) const NLMSG_DONE: u16 = 3;
pub(super) const NLM_F_REQUEST: u16 = 0x1;
pub(super) const NLM_F_ACK: u16 = 0x4;
pub(super) const NLM_F_DUMP_INTR: u16 = 0x10;
pub(super) const NLM_F_DUMP: u16 = 0x300;
pub(super) const NLM_F_EXCL: u16 = 0x200;
pub(super) const NLM_F_CREATE: u16 = 0x400;
pub(super) const NLM_F_CAPPED: u16 = 0x100; // on NLMSG_ERROR: only the request's header is echoed back
pub(super) const NLM_F_ACK_TLVS: u16 = 0x200; // on NLMSG_ERROR: extended-ack attributes follow
pub(super) const NLMSGERR_ATTR_MSG: u16 = 1;
pub(super) const SOL_NETLINK: libc::c_int = 270;
pub(super) const NETLINK_EXT_ACK: libc::c_int = 11;

pub(super) const RTM_NEWLINK: u16 = 16;
pub(super) const RTM_DELLINK: u16 = 17;
pub(super) const RTM_GETLINK: u16 = 18;
pub(super) const RTM_NEWADDR: u16 = 20;
pub(super) const RTM_GETADDR: u16 = 22;
pub(super) const RTM_NEWROUTE: u16 = 24;

pub(super) const IFLA_IFNAME: u16 = 3;
pub(super) const IFLA_MASTER: u16 = 10;
pub(super) const IFLA_LINKINFO: u16 = 18;
pub(super) const IFLA_NET_NS_FD: u16 = 28;
pub(super) const IFLA_INFO_KIND: u16 = 1;
pub(super) const IFLA_INFO_DATA: u16 = 2;
pub(super) const VETH_INFO_PEER: u16 = 1;

pub(super) const IFA_ADDRESS: u16 = 1;
pub(super) const IFA_LOCAL: u16 = 2;
pub(super) const IFA_BROADCAST: u16 = 4;

pub(super) const RTA_GATEWAY: u16 = 5;
pub(super) const RT_TABLE_MAIN: u8 = 254;
pub(super) const RTPROT_BOOT: u8 = 3;
pub(super) const RT_SCOPE_UNIVERSE: u8 = 0;
pub(super) const RTN_UNICAST: u8 = 1;

/// Every request goes out on a fresh socket, so one sequence number suffices;
/// replies are still matched against it.
pub(super) const SEQ: u32 = 1;

/// One request being built: a `nlmsghdr`, a fixed family header, then
/// attributes. Length fields are patched in as each part is closed, so the
/// builder never needs to know sizes in advance.
pub(super) struct Request {
    pub(super) buf: Vec<u8>,
}

impl Request {
    pub(super) fn new(kind: u16, flags: u16, family_header: &[u8]) -> Request {
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
    pub(super) fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        self.pad();
    }

    pub(super) fn pad(&mut self) {
        self.buf.resize(align4(self.buf.len()), 0);
    }

    /// One attribute: nla_len counts the 4-byte header and the payload but not
    /// the padding after it.
    pub(super) fn attr(&mut self, kind: u16, payload: &[u8]) {
        let len = u16::try_from(NLA_HDRLEN + payload.len()).expect("netlink attribute under 64 KiB");
        self.buf.extend_from_slice(&len.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        self.raw(payload);
    }

    /// A C string attribute, NUL included as the kernel expects.
    pub(super) fn attr_str(&mut self, kind: u16, s: &str) {
        self.attr(kind, &[s.as_bytes(), &[0]].concat());
    }

    pub(super) fn attr_u32(&mut self, kind: u16, v: u32) {
        self.attr(kind, &v.to_ne_bytes());
    }

    /// Opens a nested attribute; returns where its header is, for nest_end.
    pub(super) fn nest_start(&mut self, kind: u16) -> usize {
        let at = self.buf.len();
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        at
    }

    /// Closes a nested attribute: its length covers everything inside,
    /// the padding of the inner attributes included.
    pub(super) fn nest_end(&mut self, at: usize) {
        let len = u16::try_from(self.buf.len() - at).expect("netlink attribute under 64 KiB");
        self.buf[at..at + 2].copy_from_slice(&len.to_ne_bytes());
    }

    pub(super) fn finish(mut self) -> Vec<u8> {
        let len = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        self.buf
    }
}

pub(super) fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// struct ifinfomsg: family AF_UNSPEC, device type 0, index (0 = none),
/// flags and the mask of flags to change.
pub(super) fn ifinfomsg(index: u32, flags: u32, change: u32) -> [u8; 16] {
    let mut h = [0u8; 16];
    h[0] = libc::AF_UNSPEC as u8;
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h[8..12].copy_from_slice(&flags.to_ne_bytes());
    h[12..16].copy_from_slice(&change.to_ne_bytes());
    h
}
