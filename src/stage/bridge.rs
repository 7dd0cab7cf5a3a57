//! Connecting a box: a veth pair and a bridge (veth(4), bridge(8)).
//!
//! A new network namespace holds only `lo`. A *veth pair* is a virtual cable
//! with two ends: glassbox creates it with one end (`eth0`) already inside
//! the box's network namespace and the other on the host, plugged into a
//! *bridge* — a virtual switch — that every box of this state root shares.
//! The bridge has the subnet's first address and is every box's default
//! gateway, so boxes reach each other by address, and the host reaches them.
//! Nothing is routed to the outside world (no NAT): the boxes stay on this
//! machine. Host-side names derive from a hash, because interface names hold
//! at most 15 bytes, and they are written in the box record *before* they
//! are made, so `rm --force` finds them after a crash.

use super::{NamespaceKind, StageError};
pub use crate::domain::network::{NetRecord, Published};
use crate::plan::Plan;
use crate::plan::op;
use crate::state::{BoxRecord, Root};
use std::net::Ipv4Addr;

fn hash(text: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).into()
}

/// `gb0` for the default root, `gb<6 hex>` for another.
pub fn bridge_name(root: &Root) -> String {
    if root.state == std::path::Path::new(crate::state::paths::DEFAULT_STATE) {
        return "gb0".into();
    }
    format!("gb{}", &hex::encode(hash(&root.state.display().to_string()))[..6])
}

/// The bridge of a network of the root's own (`net --network NAME`;
/// compose makes one per project): `gb<6 hex>` of the root and the name.
pub fn network_bridge_name(root: &Root, network: Option<&str>) -> String {
    match network {
        None => bridge_name(root),
        Some(n) => format!("gb{}", &hex::encode(hash(&format!("network {n} {}", root.state.display())))[..6]),
    }
}

/// The host end of a box's veth pair: `gb<8 hex>` of the root and box name.
pub fn veth_name(root: &Root, name: &str) -> String {
    format!("gb{}", &hex::encode(hash(&format!("{}/{name}", root.state.display())))[..8])
}

/// The port `glassbox serve` listens on unless told: 7878 for the default
/// root (as `gb0` is its bridge), a port of its own for any other root.
pub fn serve_port(root: &Root) -> u16 {
    if root.state == std::path::Path::new(crate::state::paths::DEFAULT_STATE) {
        return 7878;
    }
    loopback_port(root, "serve")
}

/// A host port on the loopback for one use (a lesson, `serve`) of this
/// root, derived from the root like the bridge's name and subnet: two roots
/// (two learners, or a learner and the test suite) get different ports
/// without asking each other. In 20000–31999, below the kernel's ephemeral
/// range (from 32768), where outgoing connections take their ports.
pub fn loopback_port(root: &Root, purpose: &str) -> u16 {
    let h = hash(&format!("port {purpose} {}", root.state.display()));
    20000 + u16::from_be_bytes([h[0], h[1]]) % 12000
}

/// A /24 the bridge and its boxes live on (glassbox hands out host
/// addresses .2 to .254; the bridge is .1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subnet(pub Ipv4Addr);

impl Subnet {
    pub const PREFIX: u8 = 24;

    /// 10.88.0.0/24 for the default root; another root gets its own /24 in
    /// 10.90.0.0–10.127.255.0, so parallel roots rarely share one by chance.
    pub fn default_for(root: &Root) -> Subnet {
        if root.state == std::path::Path::new(crate::state::paths::DEFAULT_STATE) {
            return Subnet(Ipv4Addr::new(10, 88, 0, 0));
        }
        let h = hash(&format!("subnet {}", root.state.display()));
        Subnet(Ipv4Addr::new(10, 90 + h[0] % 38, h[1], 0))
    }

    /// A named network's own /24, in the same range as another root's.
    pub fn for_network(root: &Root, network: Option<&str>) -> Subnet {
        let Some(n) = network else { return Subnet::default_for(root) };
        let h = hash(&format!("subnet {n} {}", root.state.display()));
        Subnet(Ipv4Addr::new(10, 90 + h[0] % 38, h[1], 0))
    }

    /// `--subnet 10.77.0.0/24`: a /24, given by its network address.
    pub fn parse(text: &str) -> Result<Subnet, StageError> {
        let bad = |reason: &str| StageError::BadValue { what: "--subnet", value: text.into(), reason: reason.into() };
        let (addr, bits) =
            text.split_once('/').ok_or_else(|| bad("give a network with its prefix, e.g. 10.77.0.0/24"))?;
        let ip: Ipv4Addr = addr.parse().map_err(|_| bad("not an IPv4 network such as 10.77.0.0/24"))?;
        if bits != "24" {
            return Err(bad("glassbox's bridges use /24 networks"));
        }
        if ip.octets()[3] != 0 {
            return Err(bad("a /24 network address ends in .0"));
        }
        Ok(Subnet(ip))
    }

    /// The subnet of the bridge's own address (read back from the kernel).
    pub fn of_bridge_address(addr: Ipv4Addr) -> Subnet {
        let o = addr.octets();
        Subnet(Ipv4Addr::new(o[0], o[1], o[2], 0))
    }

    pub fn gateway(self) -> Ipv4Addr {
        let o = self.0.octets();
        Ipv4Addr::new(o[0], o[1], o[2], 1)
    }

    /// `10.88.0.7/24` or `10.88.0.7`; a host address of this subnet that
    /// is not the bridge's and not taken.
    pub fn parse_ip(self, text: &str, used: &[Ipv4Addr]) -> Result<Ipv4Addr, StageError> {
        let bad = |reason: String| StageError::BadValue { what: "--ip", value: text.into(), reason };
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().map_err(|_| bad("the prefix after / is not a number".into()))?)),
            None => (text, None),
        };
        let ip: Ipv4Addr = addr.parse().map_err(|_| bad("not an IPv4 address such as 10.88.0.7/24".into()))?;
        if prefix.is_some_and(|p| p != Self::PREFIX) {
            return Err(bad(format!("the bridge's subnet is {}/24", self.0)));
        }
        let (o, n) = (ip.octets(), self.0.octets());
        if o[..3] != n[..3] || o[3] == 0 || o[3] == 255 {
            return Err(bad(format!("it is not a host address of the bridge's subnet {}/24", self.0)));
        }
        if ip == self.gateway() || used.contains(&ip) {
            return Err(bad(format!("{ip} is already taken (the bridge has {})", self.gateway())));
        }
        Ok(ip)
    }

    /// The lowest free host address after the bridge's.
    pub fn next_free(self, used: &[Ipv4Addr]) -> Result<Ipv4Addr, StageError> {
        let n = self.0.octets();
        (2..255).map(|h| Ipv4Addr::new(n[0], n[1], n[2], h)).find(|ip| !used.contains(ip)).ok_or_else(|| {
            StageError::BadValue {
                what: "subnet",
                value: format!("{}/24", self.0),
                reason: "every address is taken".into(),
            }
        })
    }
}

/// The commands that connect a box, from where it stands: `net` needs a
/// network namespace first, so a box without one is told to make it.
pub fn connect_commands(name: &str, has_net: bool) -> String {
    if has_net { format!("glassbox net {name}") } else { format!("glassbox unshare {name} net && glassbox net {name}") }
}

pub fn check(record: &BoxRecord) -> Result<(), StageError> {
    if !record.has(NamespaceKind::Net) {
        return Err(StageError::NeedsFirst {
            what: "net needs a network namespace first".into(),
            fix: format!("glassbox unshare {} net", record.name),
        });
    }
    if record.net.is_some() {
        return Err(StageError::NeedsFirst {
            what: format!("box {} is already connected", record.name),
            fix: format!("glassbox inspect {}", record.name),
        });
    }
    Ok(())
}

/// The plan of `net BOX`: bridge (first time), veth pair, the box's side.
pub fn plan(root: &Root, record: &BoxRecord, net: &NetRecord, bridge_exists: bool) -> Result<Plan, StageError> {
    check(record)?;
    let handle = record.handle(NamespaceKind::Net).expect("checked");
    let mut ops = vec![];
    if !bridge_exists {
        ops.push(op::CreateBridge { name: net.bridge.clone(), address: net.gateway, prefix: net.prefix }.into());
    }
    ops.push(op::CreateVeth { host: net.host_veth.clone(), peer: "eth0".into(), netns: handle.clone() }.into());
    ops.push(op::AttachToBridge { link: net.host_veth.clone(), bridge: net.bridge.clone() }.into());
    ops.push(op::Join { kind: NamespaceKind::Net, handle }.into());
    ops.push(
        op::ConfigureInterface { name: "eth0".into(), address: net.address, prefix: net.prefix, gateway: net.gateway }
            .into(),
    );
    let _ = root;
    Ok(Plan::new(ops))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn advice_to_connect_starts_where_the_box_stands() {
        assert_eq!(connect_commands("b", true), "glassbox net b");
        assert_eq!(connect_commands("b", false), "glassbox unshare b net && glassbox net b");
        let default = Root::new(None);
        assert_eq!(serve_port(&default), 7878, "the documented port of the default root");
        assert_ne!(serve_port(&Root::new(Some(Path::new("/tmp/x")))), 7878);
    }

    #[test]
    fn names_fit_and_differ() {
        let a = Root::new(Some(Path::new("/tmp/a")));
        let b = Root::new(Some(Path::new("/tmp/b")));
        assert_eq!(bridge_name(&Root::new(None)), "gb0");
        assert_ne!(bridge_name(&a), bridge_name(&b));
        assert!(veth_name(&a, &"x".repeat(63)).len() <= 15);
        assert_ne!(veth_name(&a, "web"), veth_name(&b, "web"));
    }

    #[test]
    fn addresses() {
        let s = Subnet::default_for(&Root::new(None));
        assert_eq!(s.next_free(&[]).unwrap(), Ipv4Addr::new(10, 88, 0, 2));
        assert_eq!(s.next_free(&[Ipv4Addr::new(10, 88, 0, 2)]).unwrap(), Ipv4Addr::new(10, 88, 0, 3));
        assert_eq!(s.parse_ip("10.88.0.7/24", &[]).unwrap(), Ipv4Addr::new(10, 88, 0, 7));
        for bad in
            ["10.88.0.1", "10.88.1.7", "10.88.0.0", "10.88.0.255", "10.88.0.7/16", "300.1.1.1", "x", "10.88.0.7/x"]
        {
            assert!(s.parse_ip(bad, &[]).is_err(), "{bad}");
        }
        assert!(s.parse_ip("10.88.0.9", &[Ipv4Addr::new(10, 88, 0, 9)]).is_err());
        assert_eq!(Subnet::parse("10.77.0.0/24").unwrap().gateway(), Ipv4Addr::new(10, 77, 0, 1));
        for bad in ["10.77.0.0", "10.77.0.0/16", "10.77.0.5/24", "x/24"] {
            assert!(Subnet::parse(bad).is_err(), "{bad}");
        }
    }
}
