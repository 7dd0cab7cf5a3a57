//! The one model of a box. `inspect --json`, `ps`, later the web page and the
//! lesson checks all read this, collected in one place from the box record
//! and from what the kernel shows in /proc right now.

pub mod done;
pub mod files;
pub mod format;
pub mod hardening;
pub mod host;
pub mod image;
pub mod layers;
mod mounts;
pub mod output;
mod processes;
pub mod reference;
pub mod removed;
pub mod rollout;
pub mod script;
pub mod summary;

use crate::output::outcome::WhenJson;
use crate::plan::Faces;
use crate::stage::NamespaceKind;
use crate::state::{BoxRecord, BoxState, Holder, Root, shared};
use crate::sys::proc;
use serde::Serialize;

pub use mounts::MountModel;
pub use processes::{ProcScan, ProcessModel};

#[derive(Debug, Serialize)]
pub struct NamespaceModel {
    pub kind: NamespaceKind,
    /// The box's namespace of this kind (glassbox's own when not isolated:
    /// the box's processes start in it).
    pub inode: Option<u64>,
    /// The host's, as `host_reference` says it was found.
    pub host_inode: Option<u64>,
    pub isolated: bool,
    /// What keeps it alive: a bind mount path, or the init process.
    pub held_by: Option<String>,
    pub isolates: &'static str,
    /// The box that made it: this box, or the box it was joined from
    /// (`unshare --join`); none when not isolated.
    pub made_by: Option<String>,
    /// The box named by `--join` when this box shares another's.
    pub joined: Option<String>,
    /// The other boxes under this root in this same namespace, by name.
    pub shared_with: Vec<String>,
    /// The box that made it was removed (or stopped, for pid): the
    /// namespace lives on because this box holds it too.
    pub maker_gone: bool,
}

#[derive(Debug, Serialize)]
pub struct StepModel {
    pub n: usize,
    pub at: u64,
    pub command: String,
    /// The API request that made the step (`glassbox daemon`); none when typed.
    pub cause: Option<crate::state::cause::Cause>,
    pub ops: Vec<Faces>,
    /// The namespaces this step made (its `unshare` operations), in order:
    /// a process started before it is outside them.
    pub makes: Vec<NamespaceKind>,
}

#[derive(Debug, Serialize)]
pub struct IdMapModel {
    pub inside: u32,
    pub outside: u32,
    pub count: u32,
}

#[derive(Debug, Serialize)]
pub struct BoxModel {
    pub name: String,
    /// The compose project that made the box, if one did.
    pub project: Option<String>,
    pub state: BoxState,
    /// The step that stopped part way and left the box half made, if one did.
    pub broken: Option<String>,
    pub created_at: u64,
    pub hostname: Option<String>,
    pub user_map: Option<IdMapModel>,
    pub time_offsets: Option<(i64, i64)>,
    /// What `host_inode` means here: PID 1's namespaces or glassbox's own.
    pub host_reference: reference::HostReference,
    pub namespaces: Vec<NamespaceModel>,
    pub processes: Vec<ProcessModel>,
    pub steps: Vec<StepModel>,
    pub runtime_dir: String,
    /// The root filesystem's layer stack; none before `rootfs`/`layer add`.
    pub rootfs: Option<layers::StackModel>,
    /// The box's cgroup: version, where, limits and live usage.
    pub cgroup: Option<CgroupModel>,
    /// Volumes mounted over the layer stack.
    pub volumes: Vec<crate::volume::VolumeModel>,
    /// The box's connection: interface, address, bridge, host end, published ports.
    pub network: Option<NetworkModel>,
    /// Capabilities, no_new_privs, seccomp, devices and masks.
    pub hardening: hardening::HardeningModel,
    /// A compose box's healthcheck and restarts, as its project's
    /// supervisor recorded them; none for a box it does not watch.
    pub health: Option<crate::state::health::Health>,
    /// The box's mount table as a process inside sees it (its own mount
    /// namespace, read from a member's /proc/PID/mountinfo); empty without
    /// a mount namespace or a process in it.
    pub mounts: Vec<MountModel>,
}

#[derive(Debug, Serialize)]
pub struct NetworkModel {
    pub interface: &'static str,
    pub address: String,
    pub gateway: String,
    pub bridge: String,
    pub host_veth: String,
    /// Ports forwarded now, by a proxy that runs.
    pub published: Vec<String>,
    /// Ports published once whose proxy is gone: `publish` them again.
    pub unforwarded: Vec<String>,
    /// The same ports, each with the address a browser opens.
    pub ports: Vec<PortModel>,
}

#[derive(Debug, Serialize)]
pub struct PortModel {
    pub host_port: u16,
    pub box_port: u16,
    /// `http://127.0.0.1:PORT/`: where the host reaches the box's port.
    pub url: String,
}

fn network_model(root: &Root, record: &BoxRecord) -> Option<NetworkModel> {
    let n = record.net.as_ref()?;
    let (published, unforwarded) = live_ports(root, record, &n.published);
    let show = |ps: Vec<&crate::stage::bridge::Published>| -> Vec<String> {
        ps.iter().map(|p| format!("127.0.0.1:{} -> {}:{}", p.host_port, n.address, p.box_port)).collect()
    };
    let mut shown = show(published.clone());
    let mut ports: Vec<PortModel> = published
        .iter()
        .map(|p| PortModel {
            host_port: p.host_port,
            box_port: p.box_port,
            url: format!("http://127.0.0.1:{}/", p.host_port),
        })
        .collect();
    // A pool's port reaches this box too while it serves in the pool (its balancer belongs to no box).
    for pool in crate::pool::of_member(root, &record.name) {
        let serving =
            pool.members.iter().any(|m| m.name == record.name && m.state == crate::pool::MemberState::Serving);
        for p in pool.ports.iter().filter(|p| serving && p.balancer.is_some_and(|b| b.alive())) {
            shown.push(format!("127.0.0.1:{} -> {}:{} (pool {})", p.host_port, n.address, p.box_port, pool.name));
            let url = format!("http://127.0.0.1:{}/", p.host_port);
            ports.push(PortModel { host_port: p.host_port, box_port: p.box_port, url });
        }
    }
    Some(NetworkModel {
        interface: "eth0",
        address: format!("{}/{}", n.address, n.prefix),
        gateway: n.gateway.to_string(),
        bridge: n.bridge.clone(),
        host_veth: n.host_veth.clone(),
        published: shown,
        ports,
        unforwarded: show(unforwarded),
    })
}

/// The published ports whose proxy still runs, and those whose proxy is
/// gone (killed): a record alone does not forward a port.
fn live_ports<'a>(
    root: &Root,
    record: &BoxRecord,
    ports: &'a [crate::stage::bridge::Published],
) -> (Vec<&'a crate::stage::bridge::Published>, Vec<&'a crate::stage::bridge::Published>) {
    if ports.is_empty() {
        return (vec![], vec![]);
    }
    // A proxy's argv names the box and its target, `ADDRESS:BOXPORT`.
    let mut targets: Vec<String> = crate::teardown::find_proxies(root, Some(&record.name))
        .iter()
        .filter_map(|p| proc::argv(p.pid).get(3).cloned())
        .collect();
    let address = record.net.as_ref().map(|n| n.address.to_string()).unwrap_or_default();
    ports.iter().partition(|p| {
        let target = format!("{address}:{}", p.box_port);
        match targets.iter().position(|t| *t == target) {
            Some(i) => {
                targets.swap_remove(i);
                true
            }
            None => false,
        }
    })
}

#[derive(Debug, Serialize)]
pub struct CgroupModel {
    pub version: String,
    pub layout: crate::stage::cgroup::Layout,
    pub layout_explained: &'static str,
    pub paths: Vec<String>,
    pub limits: crate::stage::cgroup::limits::Limits,
    pub usage: crate::stage::cgroup::usage::Usage,
}

fn cgroup_model(record: &BoxRecord) -> Option<CgroupModel> {
    let cg = record.cgroup.as_ref()?;
    let driver = crate::stage::cgroup::detect(std::path::Path::new(crate::stage::cgroup::DEFAULT_FS)).ok()?;
    Some(CgroupModel {
        version: cg.version.clone(),
        layout: driver.layout(),
        layout_explained: driver.layout().explain(),
        paths: cg.paths.iter().map(|p| p.display().to_string()).collect(),
        limits: cg.limits.clone(),
        usage: crate::stage::cgroup::usage::read_usage(&driver, &cg.paths),
    })
}

fn holder_text(h: &Holder) -> String {
    match h {
        Holder::BindMount { path } => format!("bind mount {}", path.display()),
        Holder::Process { pid, start_time } if (proc::ProcRef { pid: *pid, start_time: *start_time }).alive() => {
            format!("process {pid} (glassbox-init, PID 1 inside)")
        }
        // A stopped box: nothing holds it, and it is gone for good.
        Holder::Process { pid, .. } => format!("nothing: its init (process {pid}) exited, and the namespace with it"),
    }
}

/// What holds a namespace (`holder_text`, which `--json` keeps in English)
/// in `lang`: `inspect` and the page show it in words; a text of no known
/// form as it is.
pub fn holder_in(lang: crate::i18n::Lang, text: &str) -> String {
    let pid = |rest: &str| rest.split(|c: char| !c.is_ascii_digit()).next().unwrap_or("").to_string();
    let say = |id: &str, name: &str, value: String| crate::i18n::message_in(lang, id, &[(name, value.into())]);
    if let Some(path) = text.strip_prefix("bind mount ") {
        say("web-held-bind", "path", path.to_string())
    } else if let Some(rest) = text.strip_prefix("process ") {
        say("web-held-init", "pid", pid(rest))
    } else if let Some(rest) = text.strip_prefix("nothing: its init (process ") {
        say("web-held-nothing", "pid", pid(rest))
    } else {
        text.to_string()
    }
}

pub fn collect(root: &Root, record: &BoxRecord) -> BoxModel {
    collect_with(root, record, &ProcScan::now())
}

/// The box's model as a step's `--json` answer: collected only when that
/// answer is printed (see [`WhenJson`]).
pub fn when_json<'a>(root: &'a Root, record: &'a BoxRecord) -> WhenJson<impl Fn() -> BoxModel + 'a> {
    WhenJson(move || collect(root, record))
}

/// Several boxes at one look, sharing one pass over /proc.
pub fn collect_all(root: &Root, records: &[BoxRecord]) -> Vec<BoxModel> {
    let scan = ProcScan::now();
    records.iter().map(|r| collect_with(root, r, &scan)).collect()
}

impl NamespaceModel {
    /// "this box" or the box it was joined from, then who else is in it.
    pub fn made_by_text(&self, name: &str) -> String {
        self.made_by_in(name, crate::i18n::current())
    }

    /// The same in a language of its own (the web page's reader's).
    pub fn made_by_in(&self, name: &str, lang: crate::i18n::Lang) -> String {
        let tr = |id: &str, args: &[(&str, String)]| {
            let args: Vec<_> = args.iter().map(|(k, v)| (*k, v.clone().into())).collect();
            crate::i18n::message_in(lang, id, &args)
        };
        let Some(maker) = &self.made_by else { return tr("show-maker-host", &[]) };
        let mut text = if maker == name {
            tr("show-maker-this-box", &[])
        } else {
            tr("show-maker-box", &[("name", maker.clone())])
        };
        if self.maker_gone && self.kind == NamespaceKind::Pid {
            text = format!("{text} {}", tr("show-maker-init-ended", &[]));
        } else if self.maker_gone {
            text = format!("{text} {}", tr("show-maker-gone", &[]));
        }
        let others: Vec<&str> = self.shared_with.iter().map(String::as_str).filter(|o| o != maker).collect();
        if !others.is_empty() {
            text = format!("{text} {}", tr("show-maker-shared", &[("others", others.join(", "))]));
        }
        text
    }
}

fn namespace_model(record: &BoxRecord, kind: NamespaceKind, scan: &ProcScan, others: &[BoxRecord]) -> NamespaceModel {
    let held = record.namespaces.get(&kind);
    let inode = held.map(|h| h.inode);
    let maker_gone = match (record.shared_from(kind), inode) {
        (Some(s), Some(i)) => {
            !shared::maker_present(others, &s.made_by, kind, i)
                || (kind == NamespaceKind::Pid && record.shared_pid_ended())
        }
        _ => false,
    };
    NamespaceModel {
        kind,
        inode: inode.or_else(|| scan.own.get(&kind).copied()),
        host_inode: scan.host.inode(kind),
        isolated: held.is_some(),
        held_by: held.map(|h| holder_text(&h.holder)),
        isolates: kind.isolates(),
        made_by: record.maker(kind).map(String::from),
        joined: record.shared_from(kind).map(|s| s.joined.clone()),
        shared_with: inode.map_or(vec![], |i| shared::sharers(others, &record.name, kind, i)),
        maker_gone,
    }
}

pub fn collect_with(root: &Root, record: &BoxRecord, scan: &ProcScan) -> BoxModel {
    // Who else shares a namespace is read from every record, never stored.
    let others = if record.namespaces.is_empty() { vec![] } else { BoxRecord::load_all(root) };
    let namespaces = NamespaceKind::ALL.into_iter().map(|kind| namespace_model(record, kind, scan, &others)).collect();
    let processes = processes::collect(record, scan);
    BoxModel {
        mounts: mounts::inside(record, &processes),
        name: record.name.clone(),
        project: record.project.clone(),
        state: record.state(),
        broken: record.unfinished.as_ref().map(|u| u.command.clone()),
        created_at: record.created_at,
        hostname: record.hostname.clone(),
        user_map: record.id_map.as_ref().map(|m| IdMapModel { inside: 0, outside: m.outside, count: m.count }),
        time_offsets: record.time_offsets,
        host_reference: scan.host.clone(),
        namespaces,
        processes,
        steps: record
            .steps
            .iter()
            .map(|s| StepModel {
                n: s.n,
                at: s.at,
                command: s.command_line(),
                cause: s.cause.clone(),
                ops: s.plan.ops.iter().map(|o| o.faces()).collect(),
                makes: s
                    .plan
                    .ops
                    .iter()
                    .filter_map(|o| match o.as_ns_helper() {
                        Some(crate::plan::op::Unshare { kind }) => Some(*kind),
                        _ => None,
                    })
                    .collect(),
            })
            .collect(),
        runtime_dir: root.runtime_box_dir(&record.name).display().to_string(),
        rootfs: layers::collect(root, record),
        cgroup: cgroup_model(record),
        volumes: crate::volume::models(root, record),
        network: network_model(root, record),
        hardening: hardening::collect(record),
        health: crate::state::health::Health::load(root, record.project.as_deref(), &record.name),
    }
}
