//! The three pages, as askama templates over the views. `part` renders only
//! the `<main>` element: what the page's script fetches to update itself.

use super::views::{self, Badge, BoxRow, CgroupView, NamespaceRow, ProcessRow, StackView};
use crate::model::BoxModel;
use crate::model::host::{HostModel, HostNamespace};
use askama::Template;

pub struct StepView {
    pub n: usize,
    pub command: String,
    pub ops: Vec<OpView>,
}

pub struct OpView {
    pub actor: String,
    pub syscall: String,
    pub shell: String,
    pub why: String,
}

pub struct BoxView {
    pub name: String,
    pub state: String,
    pub hostname: String,
    pub user_map: String,
    pub clocks: String,
    pub badges: Vec<Badge>,
    pub namespaces: Vec<NamespaceRow>,
    pub processes: Vec<ProcessRow>,
    pub stack: Option<StackView>,
    pub cgroup: Option<CgroupView>,
    pub network: Option<crate::model::NetworkModel>,
    pub steps: Vec<StepView>,
    pub runtime_dir: String,
    /// Where the host inodes come from (`HostReference::explained`).
    pub host_reference: String,
    /// The commands that connect the box from where it stands.
    pub to_connect: String,
    /// The commands that give it a root filesystem from where it stands.
    pub to_give_root: String,
}

pub fn box_view(m: BoxModel, cpu_rate: Option<f64>) -> BoxView {
    let has = |kind: &str| m.namespaces.iter().any(|n| n.kind.name() == kind && n.isolated);
    BoxView {
        to_connect: crate::stage::bridge::connect_commands(&m.name, has("net")),
        to_give_root: crate::stage::rootfs::rootfs_commands(&m.name, has("mnt"), "busybox"),
        hostname: m.hostname.clone().unwrap_or_else(|| "(the host's)".into()),
        user_map: m.user_map.as_ref().map_or(String::new(), |u| {
            format!("uid/gid 0..{} inside = {}..{} on the host", u.count - 1, u.outside, u.outside + u.count - 1)
        }),
        clocks: m.time_offsets.map_or(String::new(), |(mono, boot)| format!("monotonic {mono}s, boottime {boot}s")),
        badges: views::badges(&m),
        namespaces: views::namespace_rows(&m),
        processes: views::process_tree(&m.processes),
        stack: views::stack_view(&m),
        cgroup: views::cgroup_view(&m, cpu_rate),
        steps: m
            .steps
            .iter()
            .map(|s| StepView {
                n: s.n,
                command: s.command.clone(),
                ops: s
                    .ops
                    .iter()
                    .map(|f| OpView {
                        actor: format!("{:?}", f.actor).to_lowercase(),
                        syscall: f.syscall.clone(),
                        shell: f.shell.clone(),
                        why: f.why.clone(),
                    })
                    .collect(),
            })
            .collect(),
        state: m.state.to_string(),
        runtime_dir: m.runtime_dir,
        host_reference: m.host_reference.explained,
        network: m.network,
        name: m.name,
    }
}

#[derive(Template)]
#[template(path = "overview.html")]
pub struct OverviewPage {
    pub part: bool,
    pub page: &'static str,
    pub topic: String,
    pub host: HostModel,
    pub rows: Vec<BoxRow>,
}

#[derive(Template)]
#[template(path = "box.html")]
pub struct BoxPage {
    pub part: bool,
    pub page: &'static str,
    pub topic: String,
    pub b: Option<BoxView>,
}

pub struct KindGroup {
    pub kind: &'static str,
    pub isolates: &'static str,
    pub namespaces: Vec<HostNamespace>,
}

#[derive(Template)]
#[template(path = "host.html")]
pub struct HostPage {
    pub part: bool,
    pub page: &'static str,
    pub topic: String,
    pub host: HostModel,
    pub groups: Vec<KindGroup>,
    pub total: usize,
}

pub fn host_page(host: HostModel, part: bool) -> HostPage {
    let groups = crate::stage::NamespaceKind::ALL
        .iter()
        .map(|k| KindGroup {
            kind: k.name(),
            isolates: k.isolates(),
            namespaces: host.namespaces.iter().filter(|n| n.kind == *k).cloned().collect(),
        })
        .collect();
    HostPage { part, page: "host", topic: String::new(), total: host.namespaces.len(), groups, host }
}
