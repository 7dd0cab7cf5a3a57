//! `ls`, `ps` and `inspect`: the box model as values a person reads and a
//! script parses. Each is `Serialize` (the JSON shape is the model's own)
//! and `Display` (the tables), and `Ctx::show` prints it.

use super::Ctx;
use crate::error::Result;
use crate::i18n::{pad, tr};
use crate::model::{self, BoxModel, ProcessModel};
use crate::output::say_to;
use crate::state::{BoxRecord, names};
use serde::Serialize;
use std::fmt::{self, Display, Formatter};

pub fn ls(ctx: &Ctx) -> Result<u8> {
    let boxes = model::collect_all(&ctx.root, &BoxRecord::load_all(&ctx.root));
    ctx.show(BoxList { boxes, broken: BoxRecord::broken(&ctx.root) })
}

/// `ls`: every box (JSON: the list of box models), then the boxes whose
/// record could not be read (text only: they have no model).
#[derive(Serialize)]
#[serde(transparent)]
pub struct BoxList {
    boxes: Vec<BoxModel>,
    #[serde(skip)]
    broken: Vec<String>,
}

impl Display for BoxList {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let head = [tr!("show-col-name"), tr!("show-col-state"), tr!("show-col-namespaces"), tr!("show-col-steps")];
        say_to!(f, "{} {} {} {}", pad(&head[0], 20), pad(&head[1], 8), pad(&head[2], 40), head[3])?;
        for m in &self.boxes {
            let kinds: Vec<&str> = m.namespaces.iter().filter(|n| n.isolated).map(|n| n.kind.name()).collect();
            let kinds = if kinds.is_empty() { "-".to_string() } else { kinds.join(",") };
            let state = if m.broken.is_some() { "broken".to_string() } else { m.state.to_string() };
            say_to!(f, "{:<20} {} {:<40} {}", m.name, pad(&state_word(&state), 8), kinds, m.steps.len())?;
        }
        for name in &self.broken {
            say_to!(f, "{:<20} {} {:<40} -", name, pad(&state_word("broken"), 8), "-")?;
        }
        for name in &self.broken {
            say_to!(f, "{}", tr!("show-broken-box", name = name))?;
        }
        Ok(())
    }
}

/// A box's state (`running`, `broken`, …) in the command's language.
fn state_word(state: &str) -> String {
    crate::i18n::message(&format!("state-{state}"), &[])
}

fn load_model(ctx: &Ctx, name: &str) -> Result<BoxModel> {
    names::validate("box", name)?;
    Ok(model::collect(&ctx.root, &BoxRecord::load(&ctx.root, name)?))
}

pub fn ps(name: &str, ctx: &Ctx) -> Result<u8> {
    ctx.show(Processes(load_model(ctx, name)?))
}

/// `ps`: a box's processes (JSON: the list of them).
pub struct Processes(BoxModel);

impl Serialize for Processes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let processes: &Vec<ProcessModel> = &self.0.processes;
        processes.serialize(s)
    }
}

impl Display for Processes {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        processes(f, &self.0)
    }
}

fn processes(f: &mut Formatter<'_>, m: &BoxModel) -> fmt::Result {
    writeln!(
        f,
        "{:>8} {:>8} {:>8} {} {}",
        "HOST-PID",
        "PID",
        "PPID",
        pad(&tr!("show-col-role"), 6),
        tr!("show-col-command")
    )?;
    for p in &m.processes {
        let note = if p.differs_in.is_empty() {
            String::new()
        } else {
            let kinds = p.differs_in.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ");
            format!("   {}", tr!("show-not-in-namespace", kinds = kinds))
        };
        let ppid = if p.ppid_inside == 0 { "-".to_string() } else { p.ppid_inside.to_string() };
        let pid = if p.pid_inside == 0 { "-".to_string() } else { p.pid_inside.to_string() };
        say_to!(f, "{:>8} {:>8} {:>8} {:<6} {}{note}", p.host_pid, pid, ppid, p.role, p.command)?;
    }
    if m.processes.is_empty() {
        say_to!(f, "{}", tr!("show-no-processes", name = m.name))?;
    }
    Ok(())
}

/// The cgroup part: where, the limits, and what the box uses (OOM kills,
/// throttling) as `stats` shows it.
fn cgroup(f: &mut Formatter<'_>, m: &BoxModel, limits: &str) -> fmt::Result {
    let Some(c) = &m.cgroup else {
        say_to!(f)?;
        return say_to!(f, "{}", tr!("show-no-cgroup", name = m.name));
    };
    say_to!(f)?;
    say_to!(f, "cgroup {}: {}", c.version, c.paths.first().map_or("", String::as_str))?;
    if c.paths.len() > 1 {
        say_to!(f, "  {}", tr!("show-more-cgroups", count = (c.paths.len() - 1).to_string()))?;
    }
    say_to!(f, "  {} {limits}", pad(&tr!("show-limits"), 7))?;
    say_to!(f, "  {} {}", pad(&tr!("show-usage"), 7), crate::model::format::usage_line(&c.usage))
}

pub fn inspect(name: &str, path: Option<&str>, ctx: &Ctx) -> Result<u8> {
    if let Some(p) = path {
        names::validate("box", name)?;
        let record = BoxRecord::load(&ctx.root, name)?;
        let origin = model::layers::origin(&ctx.root, &record, p);
        return ctx.show(Origin { path: p.to_string(), origin });
    }
    let m = load_model(ctx, name)?;
    // Worded now: whether swap counts is a file to look for in the cgroup.
    let limits = m.cgroup.as_ref().map_or(String::new(), |c| {
        let paths: Vec<std::path::PathBuf> = c.paths.iter().map(std::path::PathBuf::from).collect();
        super::limit::describe(&c.limits, super::limit::swap_counted(&paths))
    });
    ctx.show(Inspected { model: m, limits })
}

/// `inspect BOX PATH`: which layer the box's view of a path comes from.
#[derive(Serialize)]
pub struct Origin {
    path: String,
    origin: String,
}

impl Display for Origin {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)
    }
}

/// `inspect BOX`: the whole model (JSON: the model itself).
#[derive(Serialize)]
#[serde(transparent)]
pub struct Inspected {
    model: BoxModel,
    #[serde(skip)]
    limits: String,
}

impl Display for Inspected {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let m = &self.model;
        let hostname = m.hostname.clone().unwrap_or_else(|| tr!("show-hosts-hostname"));
        let state = state_word(&m.state.to_string());
        say_to!(f, "{}", tr!("show-box-line", name = m.name, state = state, hostname = hostname))?;
        if let Some(h) = &m.health {
            say_to!(f, "{}", h.line())?;
        }
        if let Some(step) = &m.broken {
            say_to!(f, "{}", tr!("show-broken-step", step = step, name = m.name))?;
        }
        if let Some(u) = &m.user_map {
            let line = tr!(
                "show-user-map",
                inside = u.inside.to_string(),
                inside_last = (u.count - 1).to_string(),
                outside = u.outside.to_string(),
                outside_last = (u.outside + u.count - 1).to_string()
            );
            say_to!(f, "{line}")?;
        }
        if let Some((mono, boot)) = m.time_offsets {
            say_to!(f, "{}", tr!("show-clock-offsets", mono = mono.to_string(), boot = boot.to_string()))?;
        }
        say_to!(f)?;
        let head = [tr!("show-col-kind"), tr!("show-col-box"), tr!("show-col-host"), tr!("show-col-isolated")];
        let (kind, boxed, host, isolated) = (pad(&head[0], 7), pad(&head[1], 12), pad(&head[2], 12), pad(&head[3], 9));
        say_to!(f, "{kind} {boxed} {host} {isolated} {}", tr!("show-col-held-by"))?;
        let (yes, no, host_held) = (tr!("show-yes"), tr!("show-no"), tr!("show-shared-with-host"));
        for n in &m.namespaces {
            let show = |i: Option<u64>| i.map_or("-".to_string(), |v| v.to_string());
            writeln!(
                f,
                "{:<7} {:<12} {:<12} {} {}",
                n.kind.name(),
                show(n.inode),
                show(n.host_inode),
                pad(if n.isolated { &yes } else { &no }, 9),
                n.held_by.as_deref().map_or(host_held.clone(), |h| crate::model::holder_in(crate::i18n::current(), h))
            )?;
        }
        // A pod: namespaces made by another box, or shared with others.
        for n in m.namespaces.iter().filter(|n| n.joined.is_some() || !n.shared_with.is_empty()) {
            say_to!(f, "{:<7} {}", n.kind.name(), tr!("show-made-by", maker = n.made_by_text(&m.name)))?;
        }
        if let Some(stack) = &m.rootfs {
            say_to!(f)?;
            say_to!(f, "{}", if stack.mounted { tr!("show-rootfs") } else { tr!("show-rootfs-unmounted") })?;
            let files = tr!("show-files");
            for l in &stack.layers {
                let id = l.digest.as_deref().map(crate::model::format::short).unwrap_or_else(|| tr!("show-writable"));
                writeln!(
                    f,
                    "  {:<10} {:<14} {:>7} {files} {:>10}  {}",
                    l.role,
                    id,
                    l.files,
                    crate::model::format::human(l.bytes),
                    l.source
                )?;
            }
            writeln!(
                f,
                "  overlay: lowerdir={} upperdir={} workdir={}",
                stack.lowerdir, stack.upperdir, stack.workdir
            )?;
        }
        if let Some(n) = &m.network {
            say_to!(f)?;
            let line = tr!(
                "show-network",
                interface = n.interface,
                address = n.address,
                gateway = n.gateway,
                bridge = n.bridge,
                host_veth = n.host_veth
            );
            say_to!(f, "{line}")?;
            for p in &n.published {
                say_to!(f, "  {}", tr!("show-published", port = p.to_string()))?;
            }
            for p in &n.unforwarded {
                say_to!(f, "  {}", tr!("show-unforwarded", port = p.to_string(), name = m.name))?;
            }
        }
        cgroup(f, m, &self.limits)?;
        if !m.volumes.is_empty() {
            say_to!(f)?;
            say_to!(f, "{}", tr!("show-volumes"))?;
            for v in &m.volumes {
                let shared = if v.shared_with.is_empty() {
                    String::new()
                } else {
                    tr!("show-volume-shared", boxes = v.shared_with.join(" "))
                };
                let state = if v.mounted { String::new() } else { tr!("show-mounted-by-rootfs") };
                let ro = if v.read_only { format!(" {}", tr!("show-read-only")) } else { String::new() };
                say_to!(f, "  {} <- {}{ro}{state}{shared}", v.target, v.host_path)?;
            }
        }
        super::harden::section(f, m)?;
        say_to!(f)?;
        processes(f, m)?;
        say_to!(f)?;
        say_to!(f, "{}", tr!("show-steps"))?;
        for s in &m.steps {
            say_to!(f, "  {}. {}", s.n, s.command)?;
        }
        Ok(())
    }
}
