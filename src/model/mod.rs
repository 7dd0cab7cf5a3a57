//! The one model of a box. `inspect --json`, `ps`, later the web page and the
//! lesson checks all read this, collected in one place from the box record
//! and from what the kernel shows in /proc right now.

pub mod host;
pub mod layers;
mod processes;
pub mod reference;

use crate::plan::Faces;
use crate::stage::NamespaceKind;
use crate::state::{BoxRecord, BoxState, Holder, Root};
use crate::sys::proc;
use serde::Serialize;

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
}

#[derive(Debug, Serialize)]
pub struct StepModel {
    pub n: usize,
    pub at: u64,
    pub command: String,
    /// The API request that made the step (`glassbox daemon`); none when typed.
    pub cause: Option<crate::state::cause::Cause>,
    pub ops: Vec<Faces>,
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
}

#[derive(Debug, Serialize)]
pub struct NetworkModel {
    pub interface: &'static str,
    pub address: String,
    pub gateway: String,
    pub bridge: String,
    pub host_veth: String,
    pub published: Vec<String>,
}

fn network_model(record: &BoxRecord) -> Option<NetworkModel> {
    let n = record.net.as_ref()?;
    Some(NetworkModel {
        interface: "eth0",
        address: format!("{}/{}", n.address, n.prefix),
        gateway: n.gateway.to_string(),
        bridge: n.bridge.clone(),
        host_veth: n.host_veth.clone(),
        published: n
            .published
            .iter()
            .map(|p| format!("127.0.0.1:{} -> {}:{}", p.host_port, n.address, p.box_port))
            .collect(),
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
        Holder::Process { pid, .. } => format!("process {pid} (glassbox-init, PID 1 inside)"),
    }
}

pub fn collect(root: &Root, record: &BoxRecord) -> BoxModel {
    collect_with(root, record, &ProcScan::now())
}

/// Several boxes at one look, sharing one pass over /proc.
pub fn collect_all(root: &Root, records: &[BoxRecord]) -> Vec<BoxModel> {
    let scan = ProcScan::now();
    records.iter().map(|r| collect_with(root, r, &scan)).collect()
}

pub fn collect_with(root: &Root, record: &BoxRecord, scan: &ProcScan) -> BoxModel {
    let me = proc::self_pid();
    let namespaces = NamespaceKind::ALL
        .into_iter()
        .map(|kind| {
            let held = record.namespaces.get(&kind);
            NamespaceModel {
                kind,
                inode: held.map(|h| h.inode).or_else(|| proc::ns_inode(me, kind.proc_file())),
                host_inode: scan.host.inode(kind),
                isolated: held.is_some(),
                held_by: held.map(|h| holder_text(&h.holder)),
                isolates: kind.isolates(),
            }
        })
        .collect();
    BoxModel {
        name: record.name.clone(),
        state: record.state(),
        broken: record.unfinished.as_ref().map(|u| u.command.clone()),
        created_at: record.created_at,
        hostname: record.hostname.clone(),
        user_map: record.id_map.as_ref().map(|m| IdMapModel { inside: 0, outside: m.outside, count: m.count }),
        time_offsets: record.time_offsets,
        host_reference: scan.host.clone(),
        namespaces,
        processes: processes::collect(record, scan),
        steps: record
            .steps
            .iter()
            .map(|s| StepModel {
                n: s.n,
                at: s.at,
                command: s.command_line(),
                cause: s.cause.clone(),
                ops: s.plan.ops.iter().map(|o| o.faces()).collect(),
            })
            .collect(),
        runtime_dir: root.runtime_box_dir(&record.name).display().to_string(),
        rootfs: layers::collect(root, record),
        cgroup: cgroup_model(record),
        volumes: crate::volume::models(root, record),
        network: network_model(record),
    }
}
