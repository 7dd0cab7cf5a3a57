// A test says on stderr why it skipped.
#![allow(clippy::disallowed_macros)]

use super::message::*;
use super::parse::{attrs, c_string, u16_at, u32_at};
use super::socket::{kernel_result, parse_error};
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
