//! The three pages, as askama templates over the views. `part` renders only
//! the `<main>` element: what the page's script fetches to update itself,
//! section by section.

use super::diagram::{self, Diagram};
use super::live::Live;
use super::rollout::{RolloutView, rollout_view};
use super::steps::{self, StepView};
use super::usage::{self, CgroupView};
use super::views::{self, Badge, BoxRow, NamespaceRow, ProcessRow, StackView};
use super::words::{self, tr};
use crate::model::files::LayerFiles;
use crate::model::host::{HostModel, HostNamespace};
use crate::model::rollout::RolloutModel;
use crate::model::{BoxModel, MountModel, NetworkModel};
use askama::Template;

pub struct BoxView {
    pub name: String,
    pub state: String,
    pub broken: Option<String>,
    pub hostname: String,
    pub user_map: String,
    pub clocks: String,
    pub badges: Vec<Badge>,
    /// The same drawing laid out for a screen and for a phone.
    pub diagrams: [Diagram; 2],
    pub namespaces: Vec<NamespaceRow>,
    pub processes: Vec<ProcessRow>,
    pub stack: Option<StackView>,
    pub files: Vec<FilesView>,
    pub cgroup: Option<CgroupView>,
    pub network: Option<NetworkModel>,
    pub mounts: Vec<MountModel>,
    pub has_mnt: bool,
    pub log: Option<String>,
    pub steps: Vec<StepView>,
    pub runtime_dir: String,
    /// Where the host inodes come from (`HostReference::explained`).
    pub host_reference: String,
    /// The commands that connect the box from where it stands.
    pub to_connect: String,
    /// The commands that give it a root filesystem from where it stands.
    pub to_give_root: String,
    pub processes_count: String,
    /// The current lesson, when it works on this box: its id and title.
    pub lesson: Option<(String, String)>,
    /// A compose box's health as its project's supervisor recorded it:
    /// the status (the badge's class) and the line `inspect` prints.
    pub health: Option<(Option<String>, String)>,
}

/// A layer's files with its sums in words.
pub struct FilesView {
    pub layer: LayerFiles,
    pub hides: String,
    /// Bytes of this layer that layers above hide: stored, never seen.
    pub wasted: String,
    pub seen: String,
}

fn files_view(layer: LayerFiles) -> FilesView {
    let wasted: u64 = layer.entries.iter().filter(|e| e.hidden_above).map(|e| e.size).sum();
    FilesView {
        wasted: if wasted > 0 {
            tr("web-wasted", &[("size", crate::model::format::human(wasted))])
        } else {
            String::new()
        },
        hides: if layer.hides_below > 0 {
            tr("web-hides-below", &[("size", crate::model::format::human(layer.hides_below))])
        } else {
            String::new()
        },
        seen: views::count(layer.seen as usize, "path seen", "paths seen"),
        layer,
    }
}

/// What the box page shows besides the model: the files of its layers,
/// the end of its log, and what `serve` itself remembers.
pub struct Extras<'a> {
    pub cpu_rate: Option<f64>,
    pub files: Vec<LayerFiles>,
    pub log: Option<String>,
    pub live: &'a Live,
    pub lesson: Option<super::lesson::LessonView>,
    /// The other boxes of its pod (sharing every namespace it shares).
    pub pod: Vec<diagram::PodBox>,
}

pub fn box_view(m: BoxModel, x: Extras) -> BoxView {
    x.live.timeline.note(&m);
    let samples = x.live.usage.of(&m.name);
    let has = |kind: &str| m.namespaces.iter().any(|n| n.kind.name() == kind && n.isolated);
    BoxView {
        to_connect: crate::stage::bridge::connect_commands(&m.name, has("net")),
        to_give_root: crate::stage::rootfs::rootfs_commands(&m.name, has("mnt"), "busybox"),
        hostname: m.hostname.clone().unwrap_or_else(|| super::lang::t("web-hostname-hosts")),
        user_map: m.user_map.as_ref().map_or(String::new(), |u| {
            let (last, first, end) = (u.count - 1, u.outside, u.outside + u.count - 1);
            tr(
                "web-user-map-text",
                &[("last", last.to_string()), ("first", first.to_string()), ("end", end.to_string())],
            )
        }),
        clocks: m.time_offsets.map_or(String::new(), |(mono, boot)| {
            tr("web-clocks-text", &[("mono", mono.to_string()), ("boot", boot.to_string())])
        }),
        badges: views::badges(&m),
        diagrams: [diagram::diagram(&m, &x.pod, diagram::WIDE), diagram::diagram(&m, &x.pod, diagram::NARROW)],
        namespaces: views::namespace_rows(&m),
        processes: views::process_tree(&m.processes),
        processes_count: views::count(m.processes.len(), "process", "processes"),
        stack: views::stack_view(&m),
        files: x.files.into_iter().map(files_view).collect(),
        cgroup: usage::cgroup_view(&m, x.cpu_rate, &samples),
        steps: steps::steps(&m, &x.live.timeline),
        has_mnt: m.namespaces.iter().any(|n| n.isolated && n.kind == crate::stage::NamespaceKind::Mnt),
        log: x.log,
        lesson: x.lesson.filter(|l| l.boxes.contains(&m.name)).map(|l| (l.id, l.title)),
        health: m.health.as_ref().map(|h| (h.status.map(|s| s.to_string()), words::health_line(h))),
        state: m.state.to_string(),
        broken: m.broken,
        runtime_dir: m.runtime_dir,
        host_reference: words::host_reference(&m.host_reference),
        network: m.network,
        mounts: m.mounts,
        name: m.name,
    }
}

#[derive(Template)]
#[template(path = "overview.html")]
pub struct OverviewPage {
    pub part: bool,
    pub page: &'static str,
    pub topic: String,
    /// The versions of the boxes, as the page was made (see `live`).
    pub version: String,
    pub host: HostModel,
    /// The boxes of no project first (as the page showed every box before
    /// projects), then each compose project's, by the project's name.
    pub groups: Vec<ProjectGroup>,
}

/// The boxes one compose project made (or, `project` None, no project).
pub struct ProjectGroup {
    pub project: Option<String>,
    pub rows: Vec<BoxRow>,
    /// Its services' rolling updates, in progress or last done.
    pub rollouts: Vec<RolloutView>,
}

impl OverviewPage {
    /// Whether any box belongs to a project: the boxes of none then say so.
    pub fn has_projects(&self) -> bool {
        self.groups.iter().any(|g| g.project.is_some())
    }
}

/// The overview's rows, grouped by compose project, each project's
/// rolling updates with it.
pub fn by_project(boxes: &[crate::model::summary::BoxSummary], rollouts: &[RolloutModel]) -> Vec<ProjectGroup> {
    let mut groups: std::collections::BTreeMap<Option<String>, Vec<BoxRow>> = Default::default();
    for b in boxes {
        groups.entry(b.project.clone()).or_default().push(views::box_row(b));
    }
    let of = |p: &Option<String>| -> Vec<RolloutView> {
        rollouts.iter().filter(|u| p.as_deref() == Some(u.project.as_str())).map(rollout_view).collect()
    };
    groups.into_iter().map(|(project, rows)| ProjectGroup { rollouts: of(&project), project, rows }).collect()
}

#[derive(Template)]
#[template(path = "lesson.html")]
pub struct LessonPage {
    pub part: bool,
    pub page: &'static str,
    pub topic: String,
    pub version: String,
    pub lesson: Option<super::lesson::LessonView>,
}

#[derive(Template)]
#[template(path = "box.html")]
pub struct BoxPage {
    pub part: bool,
    pub page: &'static str,
    pub topic: String,
    pub version: String,
    pub b: Option<BoxView>,
}

pub struct KindGroup {
    pub kind: &'static str,
    pub isolates: String,
    pub namespaces: Vec<HostNamespace>,
}

#[derive(Template)]
#[template(path = "host.html")]
pub struct HostPage {
    pub part: bool,
    pub page: &'static str,
    pub topic: String,
    pub version: String,
    pub host: HostModel,
    pub groups: Vec<KindGroup>,
    pub total: usize,
}

pub fn host_page(host: HostModel, part: bool) -> HostPage {
    let groups = crate::stage::NamespaceKind::ALL
        .iter()
        .map(|k| KindGroup {
            kind: k.name(),
            isolates: words::isolates(*k),
            namespaces: host.namespaces.iter().filter(|n| n.kind == *k).cloned().collect(),
        })
        .collect();
    HostPage {
        part,
        page: "host",
        topic: String::new(),
        version: String::new(),
        total: host.namespaces.len(),
        groups,
        host,
    }
}
