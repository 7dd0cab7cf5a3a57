use super::Ctx;
use crate::error::Result;
use crate::model::{self, BoxModel};
use crate::output::say;
use crate::state::{BoxRecord, names};

pub fn ls(ctx: &Ctx) -> Result<u8> {
    let models = model::collect_all(&ctx.root, &BoxRecord::load_all(&ctx.root));
    if ctx.json {
        ctx.print_json(&models);
        return Ok(0);
    }
    say!("{:<20} {:<8} {:<40} STEPS", "NAME", "STATE", "NAMESPACES");
    for m in &models {
        let kinds: Vec<&str> = m.namespaces.iter().filter(|n| n.isolated).map(|n| n.kind.name()).collect();
        let kinds = if kinds.is_empty() { "-".to_string() } else { kinds.join(",") };
        let state = if m.broken.is_some() { "broken".to_string() } else { m.state.to_string() };
        say!("{:<20} {:<8} {:<40} {}", m.name, state, kinds, m.steps.len());
    }
    let broken = BoxRecord::broken(&ctx.root);
    for name in &broken {
        say!("{:<20} {:<8} {:<40} -", name, "broken", "-");
    }
    for name in &broken {
        say!(
            "box {name} is broken: it has no readable record (a command on it was killed part way); remove it with: glassbox rm --force {name}"
        );
    }
    Ok(0)
}

fn load_model(ctx: &Ctx, name: &str) -> Result<BoxModel> {
    names::validate("box", name)?;
    Ok(model::collect(&ctx.root, &BoxRecord::load(&ctx.root, name)?))
}

pub fn ps(name: &str, ctx: &Ctx) -> Result<u8> {
    let m = load_model(ctx, name)?;
    if ctx.json {
        ctx.print_json(&m.processes);
        return Ok(0);
    }
    print_processes(&m);
    Ok(0)
}

fn print_processes(m: &BoxModel) {
    say!("{:>8} {:>8} {:>8} {:<6} COMMAND", "HOST-PID", "PID", "PPID", "ROLE");
    for p in &m.processes {
        let note = if p.differs_in.is_empty() {
            String::new()
        } else {
            format!(
                "   (not in the box's {} namespace: started before that step)",
                p.differs_in.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
            )
        };
        let ppid = if p.ppid_inside == 0 { "-".to_string() } else { p.ppid_inside.to_string() };
        let pid = if p.pid_inside == 0 { "-".to_string() } else { p.pid_inside.to_string() };
        say!("{:>8} {:>8} {:>8} {:<6} {}{note}", p.host_pid, pid, ppid, p.role, p.command);
    }
    if m.processes.is_empty() {
        say!("(no processes: nothing is running in box {})", m.name);
    }
}

/// The cgroup part: where, the limits, and what the box uses (OOM kills,
/// throttling) as `stats` shows it.
fn print_cgroup(m: &BoxModel) {
    let Some(c) = &m.cgroup else {
        say!();
        say!("cgroup: none of its own (the box may use the whole machine: glassbox limit {} --memory 64M)", m.name);
        return;
    };
    let paths: Vec<std::path::PathBuf> = c.paths.iter().map(std::path::PathBuf::from).collect();
    say!();
    say!("cgroup {}: {}", c.version, c.paths.first().map_or("", String::as_str));
    if c.paths.len() > 1 {
        say!("  (and {} more, one per controller hierarchy)", c.paths.len() - 1);
    }
    say!("  limits: {}", super::limit::describe(&c.limits, super::limit::swap_counted(&paths)));
    say!("  usage:  {}", crate::model::format::usage_line(&c.usage));
}

pub fn inspect(name: &str, path: Option<&str>, ctx: &Ctx) -> Result<u8> {
    if let Some(p) = path {
        names::validate("box", name)?;
        let record = BoxRecord::load(&ctx.root, name)?;
        say!("{}", model::layers::origin(&ctx.root, &record, p));
        return Ok(0);
    }
    let m = load_model(ctx, name)?;
    if ctx.json {
        ctx.print_json(&m);
        return Ok(0);
    }
    say!("box {}  state {}  hostname {}", m.name, m.state, m.hostname.as_deref().unwrap_or("(the host's)"));
    if let Some(h) = &m.health {
        say!("{}", h.line());
    }
    if let Some(step) = &m.broken {
        say!(
            "BROKEN: `{step}` stopped part way and left the box half made; nothing runs in it: glassbox rm --force {}",
            m.name
        );
    }
    if let Some(u) = &m.user_map {
        say!(
            "user map: uid/gid {}..{} inside = {}..{} on the host",
            u.inside,
            u.count - 1,
            u.outside,
            u.outside + u.count - 1
        );
    }
    if let Some((mono, boot)) = m.time_offsets {
        say!("clock offsets: monotonic {mono}s, boottime {boot}s");
    }
    say!();
    say!("{:<7} {:<12} {:<12} {:<9} HELD BY", "KIND", "BOX", "HOST", "ISOLATED");
    for n in &m.namespaces {
        let show = |i: Option<u64>| i.map_or("-".to_string(), |v| v.to_string());
        say!(
            "{:<7} {:<12} {:<12} {:<9} {}",
            n.kind.name(),
            show(n.inode),
            show(n.host_inode),
            if n.isolated { "yes" } else { "no" },
            n.held_by.as_deref().unwrap_or("- (shared with the host)")
        );
    }
    // A pod: namespaces made by another box, or shared with others.
    for n in m.namespaces.iter().filter(|n| n.joined.is_some() || !n.shared_with.is_empty()) {
        say!("{:<7} made by {}", n.kind.name(), n.made_by_text(&m.name));
    }
    if let Some(stack) = &m.rootfs {
        say!();
        say!("root filesystem (top first){}:", if stack.mounted { "" } else { ", not mounted yet" });
        for l in &stack.layers {
            let id = l.digest.as_deref().map(crate::model::format::short).unwrap_or_else(|| "(writable)".into());
            say!(
                "  {:<10} {:<14} {:>7} files {:>10}  {}",
                l.role,
                id,
                l.files,
                crate::model::format::human(l.bytes),
                l.source
            );
        }
        say!("  overlay: lowerdir={} upperdir={} workdir={}", stack.lowerdir, stack.upperdir, stack.workdir);
    }
    if let Some(n) = &m.network {
        say!();
        say!(
            "network: {} {} via {} on bridge {} (host end {})",
            n.interface,
            n.address,
            n.gateway,
            n.bridge,
            n.host_veth
        );
        for p in &n.published {
            say!("  published {p}");
        }
        for p in &n.unforwarded {
            say!("  NOT forwarded {p}: its proxy is gone (glassbox publish {} again)", m.name);
        }
    }
    print_cgroup(&m);
    if !m.volumes.is_empty() {
        say!();
        say!("volumes (mounted over the stack):");
        for v in &m.volumes {
            let shared = if v.shared_with.is_empty() {
                String::new()
            } else {
                format!(", shared with {}", v.shared_with.join(" "))
            };
            let state = if v.mounted { "" } else { ", mounted by rootfs" };
            say!("  {} <- {}{}{state}{shared}", v.target, v.host_path, if v.read_only { " (read-only)" } else { "" });
        }
    }
    super::harden::print_section(&m);
    say!();
    print_processes(&m);
    say!();
    say!("steps:");
    for s in &m.steps {
        say!("  {}. {}", s.n, s.command);
    }
    Ok(0)
}
