//! What the pages show, worked out from the model: tree order, gauge
//! fractions, where each layer sits in the drawing. The templates in
//! web/templates only place these; askama escapes every string they print,
//! so a process named `<img src=x onerror=...>` stays text.

use crate::commands::image::{human, short};
use crate::model::BoxModel;
use crate::model::ProcessModel;
use crate::stage::NamespaceKind;
use crate::stage::cgroup::limits::{Limit, quota_cpus};

pub struct Badge {
    pub kind: &'static str,
    pub on: bool,
    pub title: String,
}

pub fn badges(m: &BoxModel) -> Vec<Badge> {
    m.namespaces
        .iter()
        .map(|n| Badge {
            kind: n.kind.name(),
            on: n.isolated,
            title: format!(
                "{}: {} ({})",
                n.kind.name(),
                if n.isolated { "isolated" } else { "shared with the host" },
                n.isolates
            ),
        })
        .collect()
}

pub struct BoxRow {
    pub name: String,
    pub state: String,
    pub badges: Vec<Badge>,
    pub limits: String,
    pub layers: usize,
    pub volumes: usize,
    pub address: String,
    pub processes: usize,
}

pub fn limits_text(m: &BoxModel) -> String {
    let Some(cg) = &m.cgroup else { return "-".into() };
    let l = &cg.limits;
    let mut parts = vec![];
    if let Some(Limit::Value(v)) = l.memory {
        parts.push(format!("memory {}", human(v)));
    }
    if let Some(Limit::Value(q)) = l.cpu_quota_us {
        parts.push(format!("cpus {:.2}", quota_cpus(q)));
    }
    if let Some(Limit::Value(p)) = l.pids {
        parts.push(format!("pids {p}"));
    }
    if let Some(c) = &l.cpuset {
        parts.push(format!("cpuset {c}"));
    }
    if parts.is_empty() { "own cgroup, no limits".into() } else { parts.join(", ") }
}

pub fn box_row(m: &BoxModel) -> BoxRow {
    BoxRow {
        name: m.name.clone(),
        state: m.state.to_string(),
        badges: badges(m),
        limits: limits_text(m),
        layers: m.rootfs.as_ref().map_or(0, |s| s.layers.len()),
        volumes: m.volumes.len(),
        address: m.network.as_ref().map_or("-".into(), |n| n.address.clone()),
        processes: m.processes.len(),
    }
}

pub struct NamespaceRow {
    pub kind: &'static str,
    pub isolates: &'static str,
    pub man: &'static str,
    pub inode: String,
    pub host_inode: String,
    pub isolated: bool,
    pub held_by: String,
    /// Host pids of box processes that are NOT in this namespace of the box.
    pub outsiders: Vec<i32>,
}

fn inode_text(i: Option<u64>) -> String {
    i.map_or("-".into(), |v| v.to_string())
}

pub fn namespace_rows(m: &BoxModel) -> Vec<NamespaceRow> {
    m.namespaces
        .iter()
        .map(|n| NamespaceRow {
            kind: n.kind.name(),
            isolates: n.isolates,
            man: n.kind.man_page(),
            inode: inode_text(n.inode),
            host_inode: inode_text(n.host_inode),
            isolated: n.isolated,
            held_by: n.held_by.clone().unwrap_or_else(|| "- (shared with the host)".into()),
            outsiders: outsiders(&m.processes, n.kind),
        })
        .collect()
}

fn outsiders(ps: &[ProcessModel], kind: NamespaceKind) -> Vec<i32> {
    ps.iter().filter(|p| p.differs_in.contains(&kind)).map(|p| p.host_pid).collect()
}

pub struct ProcessRow {
    /// Tree drawing before the command: two spaces per level and a corner.
    pub indent: String,
    pub host_pid: i32,
    pub pid_inside: i32,
    pub command: String,
    pub role: String,
    pub differs: String,
}

/// Processes in tree order (parent before children, as `ps --forest`).
pub fn process_tree(ps: &[ProcessModel]) -> Vec<ProcessRow> {
    let mut out = vec![];
    let is_member = |pid: i32| ps.iter().any(|p| p.host_pid == pid);
    let mut roots: Vec<&ProcessModel> = ps.iter().filter(|p| !is_member(p.host_ppid)).collect();
    roots.sort_by_key(|p| p.host_pid);
    for r in roots {
        walk(ps, r, 0, &mut out);
    }
    out
}

fn walk(ps: &[ProcessModel], p: &ProcessModel, depth: usize, out: &mut Vec<ProcessRow>) {
    if depth > 64 || out.iter().any(|r| r.host_pid == p.host_pid) {
        return;
    }
    out.push(ProcessRow {
        indent: if depth == 0 { String::new() } else { format!("{}└ ", "  ".repeat(depth - 1)) },
        host_pid: p.host_pid,
        pid_inside: p.pid_inside,
        command: p.command.clone(),
        role: p.role.clone(),
        differs: p.differs_in.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "),
    });
    let mut children: Vec<&ProcessModel> = ps.iter().filter(|c| c.host_ppid == p.host_pid).collect();
    children.sort_by_key(|c| c.host_pid);
    for c in children {
        walk(ps, c, depth + 1, out);
    }
}

/// One band of the layer-stack drawing, top first.
pub struct Band {
    pub y: u32,
    pub class: &'static str,
    pub label: String,
    pub detail: String,
}

pub const BAND_HEIGHT: u32 = 44;

pub struct StackView {
    pub bands: Vec<Band>,
    pub height: u32,
    pub image: String,
    pub mounted: bool,
    pub overlay: String,
}

pub fn stack_view(m: &BoxModel) -> Option<StackView> {
    let s = m.rootfs.as_ref()?;
    let mut bands = vec![];
    for v in &m.volumes {
        bands.push((
            "volume",
            format!("volume at {}{}", v.target, if v.read_only { " (read-only)" } else { "" }),
            format!("bind mount of {}{}", v.host_path, if v.mounted { "" } else { " (mounted by rootfs)" }),
        ));
    }
    for l in &s.layers {
        let class = match l.role.as_str() {
            "container" => "container",
            "base" => "base",
            _ => "added",
        };
        let id = l.digest.as_deref().map(short).unwrap_or_else(|| "writable".into());
        bands.push((
            class,
            format!("{} {}", l.role, id),
            format!("{} files, {}, {}", l.files, human(l.bytes), l.source),
        ));
    }
    let bands: Vec<Band> = bands
        .into_iter()
        .enumerate()
        .map(|(i, (class, label, detail))| Band { y: i as u32 * (BAND_HEIGHT + 6) + 4, class, label, detail })
        .collect();
    Some(StackView {
        height: bands.len() as u32 * (BAND_HEIGHT + 6) + 8,
        bands,
        image: s.image.clone().unwrap_or_else(|| "(layers only)".into()),
        mounted: s.mounted,
        overlay: format!("lowerdir={} upperdir={} workdir={}", s.lowerdir, s.upperdir, s.workdir),
    })
}

/// A bar: what is used, of what is allowed.
pub struct Gauge {
    pub label: &'static str,
    pub used: String,
    pub limit: String,
    /// Width of the filled part, 0..=100 (an SVG attribute: CSP forbids inline styles).
    pub percent: u32,
    pub hot: bool,
}

fn gauge(label: &'static str, used: Option<u64>, limit: Option<u64>, fmt: fn(u64) -> String) -> Gauge {
    let percent = match (used, limit) {
        (Some(u), Some(l)) if l > 0 => ((u as f64 / l as f64) * 100.0).clamp(0.0, 100.0) as u32,
        _ => 0,
    };
    Gauge {
        label,
        used: used.map_or("-".into(), fmt),
        limit: limit.map_or("no limit".into(), fmt),
        percent,
        hot: percent >= 90,
    }
}

pub struct CgroupView {
    pub version: String,
    pub layout: String,
    pub paths: Vec<String>,
    pub gauges: Vec<Gauge>,
    pub counters: Vec<(&'static str, String)>,
}

/// `cpu_rate` is the box's CPU use over the last interval, in CPUs, when known.
pub fn cgroup_view(m: &BoxModel, cpu_rate: Option<f64>) -> Option<CgroupView> {
    let cg = m.cgroup.as_ref()?;
    let u = &cg.usage;
    let count = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
    let quota = u.cpu_quota_usec.map(quota_cpus);
    let mut cpu = gauge("CPU", None, None, |v| v.to_string());
    cpu.used = cpu_rate.map_or("measuring…".into(), |r| format!("{r:.2} CPUs"));
    cpu.limit = quota.map_or("no quota".into(), |q| format!("{q:.2} CPUs"));
    if let (Some(r), Some(q)) = (cpu_rate, quota) {
        cpu.percent = ((r / q) * 100.0).clamp(0.0, 100.0) as u32;
        cpu.hot = cpu.percent >= 90;
    }
    Some(CgroupView {
        version: cg.version.clone(),
        layout: cg.layout_explained.to_string(),
        paths: cg.paths.clone(),
        gauges: vec![
            gauge("memory", u.memory_bytes, u.memory_limit_bytes, human),
            cpu,
            gauge("pids", u.pids, u.pids_limit, |v| v.to_string()),
        ],
        counters: vec![
            ("OOM kills", count(u.oom_kills)),
            ("memory limit hit", count(u.memory_limit_hits)),
            ("memory peak", u.memory_peak_bytes.map_or("-".into(), human)),
            ("CPU time", u.cpu_usage_usec.map_or("-".into(), |v| format!("{:.2} s", v as f64 / 1e6))),
            ("throttled periods", count(u.cpu_throttled_periods)),
            ("throttled time", u.cpu_throttled_usec.map_or("-".into(), |v| format!("{:.3} s", v as f64 / 1e6))),
        ],
    })
}
