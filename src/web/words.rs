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

/// What a namespace kind isolates.
pub fn isolates(kind: NamespaceKind) -> String {
    t(&format!("web-isolates-{}", kind.name()))
}

/// The namespace's tooltip: its kind, whether the box has its own, what it isolates.
pub fn badge_title(kind: NamespaceKind, on: bool) -> String {
    let whose = if on { t("web-isolated") } else { t("web-shared-with-host") };
    format!("{}: {whose} ({})", kind.name(), isolates(kind))
}

/// What holds a namespace (`holder_text` in the model), in words.
pub fn held_by(text: Option<&str>) -> String {
    let Some(text) = text else { return t("web-held-shared") };
    let pid = |rest: &str| rest.split(|c: char| !c.is_ascii_digit()).next().unwrap_or("").to_string();
    if let Some(path) = text.strip_prefix("bind mount ") {
        tr("web-held-bind", &[("path", path.into())])
    } else if let Some(rest) = text.strip_prefix("process ") {
        tr("web-held-init", &[("pid", pid(rest))])
    } else if let Some(rest) = text.strip_prefix("nothing: its init (process ") {
        tr("web-held-nothing", &[("pid", pid(rest))])
    } else {
        text.to_string()
    }
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
        HostSource::Glassbox => {
            let why = r.explained.split_once("host's: ").map_or(r.explained.as_str(), |x| x.1);
            tr("web-host-ref-glassbox", &[("why", why.into())])
        }
    }
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
