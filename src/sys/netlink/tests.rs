// A test says on stderr why it skipped.
#![allow(clippy::disallowed_macros)]

use super::message::{frame, new_address, new_bridge, new_veth};
use super::parse::{error_text, messages};
use super::socket::kernel_result;
use super::*;
use netlink_packet_core::{ErrorMessage, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_REQUEST, NetlinkPayload};
use netlink_packet_route::address::AddressAttribute;

fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_ne_bytes(b[at..at + 2].try_into().unwrap()) as usize
}

// Where the first attribute starts: nlmsghdr (16 bytes), then ifinfomsg (16).
const FIRST: usize = 16 + 16;

#[test]
fn attributes_are_padded_to_four_bytes_but_their_length_is_not() {
    let buf = frame(new_bridge("eth0"), NLM_F_CREATE | NLM_F_EXCL);
    assert_eq!(u32::from_ne_bytes(buf[0..4].try_into().unwrap()) as usize, buf.len());
    assert_eq!(u16_at(&buf, 4), 16, "RTM_NEWLINK");
    assert_eq!(u16_at(&buf, 6) as u16, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL);
    // IFLA_IFNAME: 4 + "eth0\0" = 9, padded to 12
    assert_eq!(u16_at(&buf, FIRST), 9);
    assert_eq!(&buf[FIRST + 4..FIRST + 12], b"eth0\0\0\0\0");
    // IFLA_ADDRESS: 4 + 6 = 10, padded to 12; locally administered, unicast
    assert_eq!(u16_at(&buf, FIRST + 12), 10);
    assert_eq!(&buf[FIRST + 16..FIRST + 22], &super::message::bridge_mac("eth0"));
    assert_eq!(buf[FIRST + 16] & 0b11, 0b10);
    // IFLA_LINKINFO covers its padded child IFLA_INFO_KIND ("bridge\0" = 4 + 7 = 11, padded 12)
    let info = FIRST + 24;
    assert_eq!(u16_at(&buf, info), 4 + 12);
    assert_eq!(u16_at(&buf, info + 4), 11);
    assert_eq!(info + 16, buf.len());
}

#[test]
fn a_veth_request_nests_a_whole_link_body_for_the_peer() {
    let buf = frame(new_veth("gbh1", "eth0", 5), NLM_F_CREATE | NLM_F_EXCL);
    let info = FIRST + 12; // after IFLA_IFNAME "gbh1\0"
    let data = info + 4 + 12; // after IFLA_INFO_KIND "veth\0"
    let peer = data + 4;
    // peer: header 4 + ifinfomsg 16 + ifname 12 + fd 8
    assert_eq!(u16_at(&buf, peer), 40);
    assert_eq!(u16_at(&buf, data), 44);
    // info: header 4 + kind ("veth\0" = 9, padded 12) + data 44
    assert_eq!(u16_at(&buf, info), 60);
    assert_eq!(info + 60, buf.len());
    // The crate reads back what it wrote: the same message, peer and descriptor included.
    let parsed = messages(&buf).next().unwrap().unwrap();
    assert_eq!(parsed.payload, NetlinkPayload::InnerMessage(new_veth("gbh1", "eth0", 5)));
}

#[test]
fn an_address_gets_the_broadcast_of_brd_plus_except_on_31_and_32() {
    let broadcast = |prefix| match new_address(1, Ipv4Addr::new(10, 1, 2, 3), prefix) {
        RouteNetlinkMessage::NewAddress(m) => m.attributes.iter().find_map(|a| match a {
            AddressAttribute::Broadcast(b) => Some(*b),
            _ => None,
        }),
        _ => unreachable!("new_address builds RTM_NEWADDR"),
    };
    assert_eq!(broadcast(24), Some(Ipv4Addr::new(10, 1, 2, 255)));
    assert_eq!(broadcast(0), Some(Ipv4Addr::BROADCAST));
    assert_eq!(broadcast(31), None);
    assert_eq!(broadcast(32), None);
}

#[test]
fn errors_carry_the_errno_and_the_kernels_explanation() {
    // An NLMSG_ERROR: -EOPNOTSUPP, our capped request header, then NLMSGERR_ATTR_MSG.
    let mut echoed = frame(new_bridge("x"), 0)[..16].to_vec();
    echoed.extend_from_slice(&24u16.to_ne_bytes()); // 4 + "Unknown device type\0" (20)
    echoed.extend_from_slice(&1u16.to_ne_bytes());
    echoed.extend_from_slice(b"Unknown device type\0");
    let mut error = ErrorMessage::default();
    error.code = std::num::NonZeroI32::new(-libc::EOPNOTSUPP);
    error.header = echoed;
    let (errno, text) = error_text(NLM_F_CAPPED | NLM_F_ACK_TLVS, &error);
    assert_eq!(errno, libc::EOPNOTSUPP);
    assert_eq!(text.as_deref(), Some("Unknown device type"));
    let e = kernel_result(NLM_F_CAPPED | NLM_F_ACK_TLVS, &error, "ip link add x type y").unwrap_err();
    assert_eq!(e.errno(), Some(libc::EOPNOTSUPP));
    assert!(e.to_string().starts_with("ip link add x type y (kernel: Unknown device type): "), "{e}");
    assert_eq!(error_text(0, &ErrorMessage::default()), (0, None));
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
/// empty network namespace (`unshare --net`):
/// nothing it creates can reach the host, and the namespace vanishes when
/// the child exits.
#[test]
fn live_requests_in_a_throwaway_netns() {
    if super::super::process::euid() != 0 {
        eprintln!("skipped: needs root (CAP_NET_ADMIN and unshare(CLONE_NEWNET))");
        return;
    }
    // util-linux's unshare(1) makes the namespace and execs the test binary:
    // no code of ours between fork and exec.
    let mut cmd = std::process::Command::new("unshare");
    cmd.arg("--net")
        .arg(std::env::current_exe().unwrap())
        .args([INNER, "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(INNER_ENV, net_ns_inode("/proc/thread-self/ns/net").to_string());
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
