use super::Ctx;
use crate::error::{Error, Result, UsageError};
use crate::executor::{ApplyOptions, apply};
use crate::output::outcome::Said;
use crate::plan::Plan;
use crate::plan::work::WorkHost;
use crate::stage::bridge::{self, NetRecord, Published, Subnet};
use crate::state::BoxRecord;
use crate::state::networks::{self, NetworkNote};
use crate::sys::netlink;
use std::net::Ipv4Addr;

/// Addresses the root's boxes hold.
fn used(ctx: &Ctx) -> Vec<Ipv4Addr> {
    BoxRecord::load_all(&ctx.root).into_iter().filter_map(|r| r.net.map(|n| n.address)).collect()
}

/// What `net` was asked: an address, a subnet, a network of its own.
pub struct Asked<'a> {
    pub ip: Option<&'a str>,
    pub subnet: Option<&'a str>,
    pub network: Option<&'a str>,
}

/// The bridge's subnet: read from the bridge when it exists (the kernel is
/// the truth), else `--subnet`, else the network's default.
fn subnet(ctx: &Ctx, bridge_name: &str, asked: Option<&str>, network: Option<&str>) -> Result<(Subnet, bool)> {
    let asked = asked.map(Subnet::parse).transpose()?;
    let existing = netlink::addresses()?
        .into_iter()
        .find(|(n, _, _)| n == bridge_name)
        .map(|(_, a, _)| Subnet::of_bridge_address(a));
    match (existing, asked) {
        (Some(have), Some(want)) if have != want => {
            Err(UsageError::SubnetFixed { bridge: bridge_name.into(), subnet: have.0.to_string() }.into())
        }
        (Some(have), _) => Ok((have, true)),
        (None, want) => {
            let want = want.unwrap_or_else(|| Subnet::for_network(&ctx.root, network));
            Ok((want, netlink::link_index(bridge_name)?.is_some()))
        }
    }
}

pub fn connect(name: &str, asked: &Asked, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    if let Some(n) = asked.network {
        crate::state::names::validate("network", n)?;
    }
    let (_lock, mut record) = ctx.open(name)?;
    bridge::check(&record)?;
    let bridge_name = bridge::network_bridge_name(&ctx.root, asked.network);
    let (subnet, bridge_exists) = subnet(ctx, &bridge_name, asked.subnet, asked.network)?;
    let used = used(ctx);
    let address = match asked.ip {
        Some(text) => subnet.parse_ip(text, &used)?,
        None => subnet.next_free(&used)?,
    };
    let net = NetRecord {
        bridge: bridge_name,
        host_veth: bridge::veth_name(&ctx.root, name),
        address,
        prefix: Subnet::PREFIX,
        gateway: subnet.gateway(),
        published: vec![],
    };
    if netlink::link_index(&net.host_veth)?.is_some() {
        return Err(UsageError::VethTaken { veth: net.host_veth }.into());
    }
    let plan = bridge::plan(&ctx.root, &record, &net, bridge_exists)?;
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    // Noted first: a crash from here on leaves names `rm --force` knows,
    // and a bridge `reset` finds with every record of its boxes lost.
    let note = NetworkNote {
        bridge: net.bridge.clone(),
        network: asked.network.map(String::from),
        subnet: format!("{}/{}", subnet.0, Subnet::PREFIX),
    };
    networks::note(&ctx.root, &note).map_err(|e| crate::state::StateError::io(networks::dir(&ctx.root), e))?;
    record.net = Some(net.clone());
    record.save(&ctx.root)?;
    if let Err(e) = apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() }) {
        let _ = netlink::delete_link(&net.host_veth);
        record.net = None;
        record.save(&ctx.root)?;
        return Err(e.into());
    }
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    let address = format!("{address}/{}", net.prefix);
    let (bridge, gateway, host_end) = (&net.bridge, net.gateway.to_string(), &net.host_veth);
    let said = crate::i18n::tr!(
        "step-net",
        name = name,
        address = address,
        bridge = bridge,
        gateway = gateway,
        host_end = host_end
    );
    ctx.show(Said::new(crate::model::when_json(&ctx.root, &record), said))
}

pub(super) fn parse_ports(text: &str) -> Result<(u16, u16)> {
    let bad = || Error::from(UsageError::PortsInvalid { text: format!("{text:?}") });
    let (h, b) = text.split_once(':').ok_or_else(bad)?;
    let (h, b): (u16, u16) = (h.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
    if h == 0 || b == 0 {
        return Err(bad());
    }
    Ok((h, b))
}

/// The addresses of the `--also` boxes, each connected.
fn pool_of(also: &[String], box_port: u16, ctx: &Ctx) -> Result<Vec<String>> {
    also.iter()
        .map(|other| {
            crate::state::names::validate("box", other)?;
            let record = BoxRecord::load(&ctx.root, other)?;
            let net = record.net.ok_or_else(|| UsageError::AlsoNotConnected { name: other.clone() })?;
            Ok(format!("{}:{box_port}", net.address))
        })
        .collect()
}

pub fn publish(
    name: &str,
    ports: &str,
    (allow_low, also): (bool, &[String]),
    ctx: &Ctx,
    typed: Vec<String>,
) -> Result<u8> {
    let (host_port, box_port) = parse_ports(ports)?;
    if host_port < 1024 && !allow_low {
        return Err(UsageError::PortLow { port: host_port }.into());
    }
    let (_lock, mut record) = ctx.open(name)?;
    let Some(mut net) = record.net.clone() else {
        let fix = bridge::connect_commands(name, record.has(crate::stage::NamespaceKind::Net));
        return Err(UsageError::NotConnected { name: name.into(), fix }.into());
    };
    let listener =
        std::net::TcpListener::bind(("127.0.0.1", host_port)).map_err(|e| UsageError::PublishCannotListen {
            port: host_port,
            reason: e.to_string(),
            name: name.into(),
            next: host_port.saturating_add(1),
            box_port,
        })?;
    let target = [vec![format!("{}:{box_port}", net.address)], pool_of(also, box_port, ctx)?].concat().join(",");
    let op = WorkHost::StartProxy {
        box_name: name.into(),
        host_port,
        target: target.clone(),
        state: ctx.root.state.clone(),
    };
    let plan = Plan::new(vec![op.into()]);
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    let unrecorded = crate::teardown::Unrecorded::mark(&ctx.root, name)?;
    super::work::apply_work(ctx, &plan, Some(std::os::fd::AsRawFd::as_raw_fd(&listener)))?;
    // The port was free to bind: an earlier record of it is one whose proxy is gone.
    net.published.retain(|p| p.host_port != host_port);
    net.published.push(Published { host_port, box_port });
    record.net = Some(net);
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    unrecorded.recorded();
    let said = crate::i18n::tr!("step-published", port = host_port, name = name, target = target);
    ctx.show(Said::new(crate::model::when_json(&ctx.root, &record), said))
}
