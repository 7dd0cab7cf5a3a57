//! What the pages show, worked out from the model: tree order, gauge
//! fractions, where each layer sits in the drawing. The templates in
//! web/templates only place these; askama escapes every string they print,
//! so a process named `<img src=x onerror=...>` stays text.

use crate::i18n::{Lang, message_in};
use crate::model::format::{human, short};
use crate::model::summary::BoxSummary;
use crate::model::{BoxModel, ProcessModel};
use crate::stage::NamespaceKind;
use crate::stage::cgroup::limits::{Limit, Limits, quota_cpus};
use crate::web::lang::{lang, t};
use crate::web::words::{self, tr};

/// One namespace kind, on (the box has its own) or off; the words say
/// which, not only the colour.
pub struct Badge {
    pub kind: &'static str,
    pub on: bool,
    pub title: String,
}

fn badge(kind: NamespaceKind, on: bool) -> Badge {
    Badge { kind: kind.name(), on, title: words::badge_title(kind, on) }
}

pub fn badges(m: &BoxModel) -> Vec<Badge> {
    m.namespaces.iter().map(|n| badge(n.kind, n.isolated)).collect()
}

pub struct BoxRow {
    pub name: String,
    pub state: String,
    pub broken: Option<String>,
    pub badges: Vec<Badge>,
    pub isolated: usize,
    pub limits: String,
    pub layers: usize,
    pub volumes: usize,
    pub address: String,
    pub processes: usize,
    pub steps: String,
    /// A compose box's health (`healthy`, `unhealthy`, `starting`).
    pub health: Option<String>,
}

/// Each limit the box has, named as `limit` takes it.
pub fn limits_parts(l: &Limits) -> Vec<(&'static str, String)> {
    let mut parts = vec![];
    if let Some(Limit::Value(v)) = l.memory {
        parts.push(("memory", human(v)));
    }
    if let Some(Limit::Value(q)) = l.cpu_quota_us {
        parts.push(("cpus", format!("{:.2}", quota_cpus(q))));
    }
    if let Some(Limit::Value(p)) = l.pids {
        parts.push(("pids", p.to_string()));
    }
    if let Some(c) = &l.cpuset {
        parts.push(("cpuset", c.clone()));
    }
    if let Some(w) = l.io_weight {
        parts.push(("io weight", w.to_string()));
    }
    parts
}

pub fn limits_text(limits: Option<&Limits>) -> String {
    let Some(l) = limits else { return "-".into() };
    // The page's words for memory and CPUs; the controllers' names (pids, cpuset) as they are.
    let parts: Vec<String> = limits_parts(l)
        .into_iter()
        .map(|(k, v)| match k {
            "cpus" => tr("web-cpus", &[("n", v)]),
            _ => format!("{} {v}", words::limit_name(k)),
        })
        .collect();
    if parts.is_empty() { t("web-no-limits") } else { parts.join(", ") }
}

/// "1 step", "2 steps": a count with its noun.
pub fn count(n: usize, one: &str, many: &str) -> String {
    let shown = super::lang::number(&n);
    if lang() == Lang::En {
        return format!("{shown} {}", if n == 1 { one } else { many });
    }
    // Korean has one form: the noun's message by its singular.
    let noun = message_in(lang(), &format!("web-noun-{}", one.replace(' ', "-")), &[]);
    message_in(lang(), "web-count", &[("n", shown.into()), ("noun", noun.into())])
}

pub fn box_row(s: &BoxSummary) -> BoxRow {
    BoxRow {
        name: s.name.clone(),
        state: s.state.to_string(),
        broken: s.broken.clone(),
        badges: NamespaceKind::ALL.iter().map(|k| badge(*k, s.isolated.contains(k))).collect(),
        isolated: s.isolated.len(),
        limits: limits_text(s.limits.as_ref()),
        layers: s.layers,
        volumes: s.volumes,
        address: s.address.clone().unwrap_or_else(|| "-".into()),
        processes: s.processes,
        health: s.health.map(|h| h.to_string()),
        steps: count(s.steps, "step", "steps"),
    }
}

pub struct NamespaceRow {
    pub kind: &'static str,
    pub isolates: String,
    pub man: &'static str,
    pub inode: String,
    pub host_inode: String,
    pub isolated: bool,
    pub held_by: String,
    /// The box that made it, and the boxes that share it (a pod).
    pub made_by: String,
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
            isolates: words::isolates(n.kind),
            man: n.kind.man_page(),
            inode: inode_text(n.inode),
            host_inode: inode_text(n.host_inode),
            isolated: n.isolated,
            held_by: words::held_by(n.held_by.as_deref()),
            made_by: n.made_by_in(&m.name, lang()),
            outsiders: outsiders(&m.processes, n.kind),
        })
        .collect()
}

fn outsiders(ps: &[ProcessModel], kind: NamespaceKind) -> Vec<i32> {
    ps.iter().filter(|p| p.differs_in.contains(&kind)).map(|p| p.host_pid).collect()
}

pub struct ProcessRow {
    /// Tree drawing before the command, as `ps --forest` and `tree` draw it.
    pub indent: String,
    pub host_pid: i32,
    pub pid_inside: String,
    pub uid_inside: String,
    pub uid_on_host: String,
    pub command: String,
    pub role: String,
    /// The role in words (`init (PID 1)`); `role` stays the class.
    pub role_text: String,
    pub differs: String,
}

/// Processes in tree order: parents before children, siblings by pid
/// inside (the order the box itself sees), the last child drawn with `└`
/// and the others with `├`, a `│` carrying each open branch down.
pub fn process_tree(ps: &[ProcessModel]) -> Vec<ProcessRow> {
    let mut out = vec![];
    let is_member = |pid: i32| ps.iter().any(|p| p.host_pid == pid);
    let mut roots: Vec<&ProcessModel> = ps.iter().filter(|p| !is_member(p.host_ppid)).collect();
    roots.sort_by_key(|p| sibling_order(p));
    for r in roots {
        walk(ps, r, "", None, &mut out);
    }
    out
}

/// Inside the box's PID namespace first, by pid inside; then the others by host pid.
fn sibling_order(p: &ProcessModel) -> (bool, i32, i32) {
    (p.pid_inside == 0, p.pid_inside, p.host_pid)
}

/// `last` is None for a root, else whether `p` is its parent's last child.
fn walk(ps: &[ProcessModel], p: &ProcessModel, prefix: &str, last: Option<bool>, out: &mut Vec<ProcessRow>) {
    if prefix.len() > 64 * 4 || out.iter().any(|r| r.host_pid == p.host_pid) {
        return;
    }
    let corner = match last {
        None => "",
        Some(true) => "└─ ",
        Some(false) => "├─ ",
    };
    let id = |v: Option<u32>| v.map_or("-".to_string(), |u| u.to_string());
    out.push(ProcessRow {
        indent: format!("{prefix}{corner}"),
        host_pid: p.host_pid,
        pid_inside: if p.pid_inside == 0 { t("web-pid-outside") } else { p.pid_inside.to_string() },
        uid_inside: if p.uid_on_host.is_some() && p.uid_inside.is_none() {
            t("web-uid-unmapped")
        } else {
            id(p.uid_inside)
        },
        uid_on_host: id(p.uid_on_host),
        command: p.command.clone(),
        role: p.role.clone(),
        role_text: words::word("web-role", &p.role),
        differs: p.differs_in.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "),
    });
    let mut children: Vec<&ProcessModel> = ps.iter().filter(|c| c.host_ppid == p.host_pid).collect();
    children.sort_by_key(|c| sibling_order(c));
    let below = match last {
        None => prefix.to_string(),
        Some(true) => format!("{prefix}   "),
        Some(false) => format!("{prefix}│  "),
    };
    let n = children.len();
    for (i, c) in children.into_iter().enumerate() {
        walk(ps, c, &below, Some(i + 1 == n), out);
    }
}

/// One band of the layer stack, top first.
pub struct Band {
    pub class: &'static str,
    pub label: String,
    pub detail: String,
    /// The Dockerfile (or history) line that made the layer.
    pub line: Option<String>,
}

pub struct StackView {
    pub bands: Vec<Band>,
    pub image: String,
    pub mounted: bool,
    pub overlay: String,
}

/// What made a layer, in words (`LayerModel::made_by`).
pub fn layer_name(made_by: &str) -> String {
    t(match made_by {
        "box" => "web-layer-container",
        "commit" => "web-layer-committed",
        "layer add" => "web-layer-added",
        _ => "web-layer-image",
    })
}

pub fn stack_view(m: &BoxModel) -> Option<StackView> {
    let s = m.rootfs.as_ref()?;
    let mut bands = vec![];
    for v in &m.volumes {
        bands.push(Band {
            class: "volume",
            label: format!(
                "{}{}",
                tr("web-band-volume", &[("path", v.target.clone())]),
                if v.read_only { format!(" {}", t("web-band-read-only")) } else { String::new() }
            ),
            detail: format!(
                "{}{}",
                tr("web-band-bind", &[("path", v.host_path.clone())]),
                if v.mounted { String::new() } else { format!(" {}", t("web-band-waits")) }
            ),
            line: None,
        });
    }
    for l in &s.layers {
        let class = match l.role.as_str() {
            "container" => "container",
            "base" => "base",
            _ => "added",
        };
        let id = l.digest.as_deref().map(short).unwrap_or_else(|| t("web-writable"));
        let line = l.created_by.clone().filter(|c| !c.is_empty());
        let size = format!("{}, {}", count(l.files as usize, "entry", "entries"), human(l.bytes));
        bands.push(Band {
            class,
            label: format!("{} {id}", layer_name(&l.made_by)),
            // The source names the line too (a built layer's source is its line): said once.
            detail: match &line {
                Some(c) if l.source.contains(c.as_str()) => size,
                _ => format!("{size} · {}", words::layer_source(&l.source)),
            },
            line,
        });
    }
    Some(StackView {
        bands,
        image: s.image.clone().unwrap_or_else(|| t("web-layers-only")),
        mounted: s.mounted,
        overlay: format!("lowerdir={} upperdir={} workdir={}", s.lowerdir, s.upperdir, s.workdir),
    })
}
