//! Networking: a bridge on the host (a virtual switch), a veth pair (a
//! virtual cable) per box with one end inside the box's network namespace,
//! an address and a default route — see ip-link(8), veth(4), ip-route(8).

use super::apply::{HelperCx, HostCx};
use super::op::{HelperStep, HostStep, Text, Words};
use super::script::StepScript;
use crate::i18n::tr;
use crate::sys::{SysResult, net, netlink};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;
use std::os::fd::OwnedFd;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum NetworkHost {
    /// Create the bridge (virtual switch) the boxes plug into, with its address.
    CreateBridge { name: String, address: Ipv4Addr, prefix: u8 },
    /// Create a veth pair, its peer end directly in the box's network namespace.
    CreateVeth { host: String, peer: String, netns: PathBuf },
    /// Plug the host end into the bridge and bring it up.
    AttachToBridge { link: String, bridge: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum NetworkHelper {
    LoopbackUp,
    /// Give the box's end its address and the default route via the bridge.
    ConfigureInterface {
        name: String,
        address: Ipv4Addr,
        prefix: u8,
        gateway: Ipv4Addr,
    },
}

impl HostStep for NetworkHost {
    fn text(&self, w: &Words) -> Text {
        match self {
            NetworkHost::CreateBridge { name, address, prefix } => Text::new(
                format!(
                    "rtnetlink RTM_NEWLINK {name} kind bridge, IFLA_ADDRESS {mac}; RTM_NEWADDR {address}/{prefix}; IFF_UP",
                    mac = netlink::bridge_mac(name)
                ),
                format!(
                    "ip link add {name} address {mac} type bridge && ip addr add {address}/{prefix} dev {name} && ip link set {name} up",
                    mac = netlink::bridge_mac(name)
                ),
                tr!("why-create-bridge"),
            ),
            NetworkHost::CreateVeth { host, peer, netns } => Text::new(
                format!("rtnetlink RTM_NEWLINK {host} kind veth peer {peer} (IFLA_NET_NS_FD of {})", netns.display()),
                format!("ip link add {host} type veth peer name {peer} netns {}", w.path(netns)),
                tr!("why-create-veth"),
            ),
            NetworkHost::AttachToBridge { link, bridge } => Text::new(
                format!("rtnetlink RTM_NEWLINK {link} IFLA_MASTER={bridge}, IFF_UP"),
                format!("ip link set {link} master {bridge} && ip link set {link} up"),
                tr!("why-attach-to-bridge"),
            ),
        }
    }

    fn apply(&self, _: &mut HostCx) -> SysResult<()> {
        match self {
            NetworkHost::CreateBridge { name, address, prefix } => {
                netlink::create_bridge(name)?;
                netlink::add_address(name, *address, *prefix)?;
                netlink::set_up(name)
            }
            NetworkHost::CreateVeth { host, peer, netns } => {
                netlink::create_veth(host, peer, &crate::sys::ns::open(netns)?)
            }
            NetworkHost::AttachToBridge { link, bridge } => {
                netlink::set_master(link, bridge)?;
                netlink::set_up(link)
            }
        }
    }

    /// The bridge is the root's, shared by its boxes: made unless there.
    fn script(&self, s: &mut StepScript) {
        let line = self.text(s.words()).shell;
        match self {
            NetworkHost::CreateBridge { name, .. } => {
                s.host(format!("ip link show {name} >/dev/null 2>&1 || {{ {line}; }}"))
            }
            _ => s.host(line),
        }
    }
}

impl HelperStep for NetworkHelper {
    fn text(&self, _: &Words) -> Text {
        match self {
            NetworkHelper::LoopbackUp => {
                Text::new("ioctl(SIOCSIFFLAGS, \"lo\", IFF_UP)", "ip link set lo up", tr!("why-loopback-up"))
            }
            // The announcement is best effort, as `net::announce` is: arping
            // (iputils-arping) is no standard tool, and the box works without it.
            NetworkHelper::ConfigureInterface { name, address, prefix, gateway } => Text::new(
                format!(
                    "rtnetlink RTM_NEWADDR {address}/{prefix} dev {name}; IFF_UP; RTM_NEWROUTE default via {gateway}; sendto({gateway}:9, UDP) after an ARP request, which tells the host this address's MAC"
                ),
                format!(
                    "ip addr add {address}/{prefix} dev {name} && ip link set {name} up && ip route add default via {gateway} && {{ arping -c 1 -I {name} {gateway} || true; }}"
                ),
                tr!("why-configure-interface"),
            ),
        }
    }

    fn apply(&self, _: &mut HelperCx, _: Option<&OwnedFd>) -> SysResult<()> {
        match self {
            NetworkHelper::LoopbackUp => net::loopback_up(),
            NetworkHelper::ConfigureInterface { name, address, prefix, gateway } => {
                netlink::add_address(name, *address, *prefix)?;
                netlink::set_up(name)?;
                netlink::add_default_route(*gateway)?;
                net::announce(*gateway);
                Ok(())
            }
        }
    }

    fn script(&self, s: &mut StepScript) {
        let line = self.text(s.words()).shell;
        match self {
            // In the new namespaces, as the step makes them.
            NetworkHelper::LoopbackUp => s.setup(line),
            NetworkHelper::ConfigureInterface { .. } => s.inside(line),
        }
    }
}
