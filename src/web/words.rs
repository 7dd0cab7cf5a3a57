//! The page's words for what the model says in English: a namespace's
//! "isolates", what holds it, the cgroup layout, a step's facts, a file's
//! kind. The model keeps its English (`inspect --json` and the CLI read
//! it); the page asks here for the reader's language (page.ftl), and
//! kernel and command names inside stay as they are.

use super::diagram::Diagram;
use super::lang::{lang, t};
use crate::i18n::{self, message_in};
use crate::model::reference::{HostReference, HostSource};
use crate::stage::NamespaceKind;
use fluent_bundle::FluentValue;

/// A message with text values, in the request's language.
pub fn tr(id: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, FluentValue<'static>)> = args.iter().map(|(k, v)| (*k, v.clone().into())).collect();
    message_in(lang(), id, &args)
}

/// A message with a count (plural forms choose by it).
pub fn tn(id: &str, name: &str, n: usize) -> String {
    message_in(lang(), id, &[(name, n.into())])
}

/// The message `prefix-word` when the catalogue has it, else the word as
/// it is (a name: `layer add`, `busybox`).
pub fn word(prefix: &str, w: &str) -> String {
    let id = format!("{prefix}-{}", w.replace(' ', "-"));
    if !w.is_empty() && i18n::has_message(i18n::Lang::En, &id) { t(&id) } else { w.to_string() }
}

/// What a namespace kind isolates (as the steps say it, steps.ftl).
pub fn isolates(kind: NamespaceKind) -> String {
    t(&format!("isolates-{}", kind.name()))
}

/// The namespace's tooltip: its kind, whether the box has its own, what it isolates.
pub fn badge_title(kind: NamespaceKind, on: bool) -> String {
    let whose = if on { t("web-isolated") } else { t("web-shared-with-host") };
    format!("{}: {whose} ({})", kind.name(), isolates(kind))
}

/// What holds a namespace (`holder_text` in the model), in words.
pub fn held_by(text: Option<&str>) -> String {
    text.map_or_else(|| t("web-held-shared"), |text| crate::model::holder_in(lang(), text))
}

/// The cgroup layout explained (`unified`, `hybrid`, `legacy`); what the
/// machine said when it is none of them.
pub fn layout(name: &str, explained: &str) -> String {
    let id = format!("web-layout-{name}");
    if i18n::has_message(i18n::Lang::En, &id) { t(&id) } else { explained.to_string() }
}

/// Where the host's inodes come from.
pub fn host_reference(r: &HostReference) -> String {
    match r.source {
        HostSource::Pid1 => t("web-host-ref-pid1"),
        // `…: /proc/1/ns/KIND cannot be read (ERROR)` (reference.rs).
        HostSource::Glassbox => {
            let why = r.explained.split_once("host's: ").map_or(r.explained.as_str(), |x| x.1);
            let (file, error) = why.split_once(" cannot be read (").unwrap_or((why, ""));
            let error = error.strip_suffix(')').unwrap_or(error);
            tr("web-host-ref-glassbox", &[("file", file.into()), ("error", error.into())])
        }
    }
}

/// Where a layer came from (`LayerModel::source`), its words translated.
pub fn layer_source(source: &str) -> String {
    if let Some(name) = source.strip_prefix("box ").and_then(|s| s.strip_suffix(" (deleted with the box)")) {
        return tr("web-source-box", &[("name", name.into())]);
    }
    source
        .split(" · ")
        .map(|part| match part.strip_prefix("image ") {
            Some(name) => tr("web-source-image", &[("name", name.into())]),
            None => word("web-source", part),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A limit's name in words: memory and CPUs translated, the
/// controllers' own names (`pids`, `cpuset`) as they are.
pub fn limit_name(name: &str) -> String {
    match name {
        "memory" => t("web-meter-memory"),
        "cpus" => t("web-meter-cpu"),
        "io weight" => t("web-limit-io-weight"),
        _ => name.to_string(),
    }
}

/// A fact's name as `timeline::facts` keeps it, in words.
pub fn fact_what(key: &str) -> String {
    let with = |id: &str, name: &str, v: &str| tr(id, &[(name, v.to_string())]);
    if let Some(kind) = key.strip_suffix(" namespace") {
        return with("web-fact-namespace", "kind", kind);
    }
    if let Some(kind) = key.strip_suffix(" limit") {
        return with("web-fact-limit", "kind", &limit_name(kind));
    }
    for (prefix, id, name) in [
        ("volume ", "web-fact-volume", "path"),
        ("mount ", "web-fact-mount", "path"),
        ("port ", "web-fact-port", "port"),
    ] {
        if let Some(v) = key.strip_prefix(prefix) {
            return with(id, name, v);
        }
    }
    let id = match key {
        "state" => "web-fact-state",
        "hostname" => "web-hostname",
        "user map" => "web-user-map",
        "layers" => "web-col-layers",
        "root filesystem" => "web-rootfs",
        "address" => "web-col-address",
        "processes" => "web-col-processes",
        _ => return key.to_string(),
    };
    t(id)
}

/// A fact's value, its English words in the reader's language.
pub fn fact_value(value: &str) -> String {
    if let Some((count, outside)) = value
        .strip_prefix("0..")
        .and_then(|v| v.strip_suffix(".. on the host"))
        .and_then(|v| v.split_once(" inside = "))
    {
        return tr("web-fact-user-map", &[("count", count.into()), ("outside", outside.into())]);
    }
    let whole = [
        ("mounted, pivot_root done", "web-fact-mounted"),
        ("not mounted", "web-fact-not-mounted"),
        ("published", "web-fact-published"),
    ];
    if let Some((_, id)) = whole.iter().find(|(en, _)| *en == value) {
        return t(id);
    }
    if let Some(state) = ["created", "running", "stopped", "broken"].iter().find(|s| **s == value) {
        return super::lang::state(state);
    }
    value
        .replace("(its own)", &format!("({})", t("web-fact-its-own")))
        .replace("(the host's)", &format!("({})", t("web-fact-hosts")))
        .replace("(writable)", &t("web-writable"))
}

/// The diagram's description for a screen reader: the walls from the
/// outside in, where each process stands, and the pod around them.
pub fn diagram_desc(d: &Diagram) -> String {
    let order = if d.order.is_empty() { t("web-diagram-no-walls") } else { d.order.clone() };
    let mut text = tr("web-diagram-order", &[("order", order)]);
    for c in &d.chips {
        let outside = if c.outside.is_empty() { String::new() } else { format!(", {}", c.outside) };
        let args: Vec<(&str, FluentValue<'static>)> = vec![
            ("pid", c.host_pid.to_string().into()),
            ("line", c.line1.clone().into()),
            ("depth", c.depth.into()),
            ("outside", outside.into()),
        ];
        text = format!("{text} {}", message_in(lang(), "web-diagram-chip", &args));
    }
    if d.pod_walls > 0 {
        text = format!("{text} {}", tn("web-diagram-pod", "n", d.pod_walls));
        for k in &d.blocks {
            let what = if k.this {
                t("web-diagram-this-page")
            } else {
                k.lines.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("; ")
            };
            text = format!("{text} {}", tr("web-diagram-pod-box", &[("name", k.name.clone()), ("what", what)]));
        }
    }
    text
}

/// A compose box's health as `Health::line` says it, in words: its status,
/// its failing streak, its restarts.
pub fn health_line(h: &crate::state::health::Health) -> String {
    let mut parts = vec![];
    if let Some(s) = h.status {
        let mut args = vec![
            ("status", super::lang::state(&s.to_string())),
            ("streak", h.failing_streak.to_string()),
            ("checks", h.checks.to_string()),
        ];
        let id = if h.last_output.is_empty() {
            "web-health-status"
        } else {
            args.push(("last", h.last_output.clone()));
            "web-health-status-last"
        };
        parts.push(tr(id, &args));
    }
    if let Some(limit) = h.restart_limit {
        let mut text = if limit == u32::MAX {
            tr("web-health-restarts", &[("n", h.restarts.to_string())])
        } else {
            tr("web-health-restarts-of", &[("n", h.restarts.to_string()), ("limit", limit.to_string())])
        };
        if let Some(code) = h.last_exit {
            text = format!("{text} {}", tr("web-health-last-exit", &[("code", code.to_string())]));
        }
        parts.push(text);
    }
    parts.join(" · ")
}
