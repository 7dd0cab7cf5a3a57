use super::Ctx;
use crate::error::Result;
use crate::i18n::{pad, tr};
use crate::model::{self, BoxModel};
use crate::output::say;
use crate::state::{BoxRecord, names};

pub fn ls(ctx: &Ctx) -> Result<u8> {
    let models = model::collect_all(&ctx.root, &BoxRecord::load_all(&ctx.root));
    if ctx.json {
        ctx.print_json(&models);
        return Ok(0);
    }
    let head = [tr!("show-col-name"), tr!("show-col-state"), tr!("show-col-namespaces"), tr!("show-col-steps")];
    say!("{} {} {} {}", pad(&head[0], 20), pad(&head[1], 8), pad(&head[2], 40), head[3]);
    for m in &models {
        let kinds: Vec<&str> = m.namespaces.iter().filter(|n| n.isolated).map(|n| n.kind.name()).collect();
        let kinds = if kinds.is_empty() { "-".to_string() } else { kinds.join(",") };
        let state = if m.broken.is_some() { "broken".to_string() } else { m.state.to_string() };
        say!("{:<20} {} {:<40} {}", m.name, pad(&state_word(&state), 8), kinds, m.steps.len());
    }
    let broken = BoxRecord::broken(&ctx.root);
    for name in &broken {
        say!("{:<20} {} {:<40} -", name, pad(&state_word("broken"), 8), "-");
    }
    for name in &broken {
        say!("{}", tr!("show-broken-box", name = name));
    }
    Ok(0)
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
    let m = load_model(ctx, name)?;
    if ctx.json {
        ctx.print_json(&m.processes);
        return Ok(0);
    }
    print_processes(&m);
    Ok(0)
}

fn print_processes(m: &BoxModel) {
    say!("{:>8} {:>8} {:>8} {} {}", "HOST-PID", "PID", "PPID", pad(&tr!("show-col-role"), 6), tr!("show-col-command"));
    for p in &m.processes {
        let note = if p.differs_in.is_empty() {
            String::new()
        } else {
            let kinds = p.differs_in.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ");
            format!("   {}", tr!("show-not-in-namespace", kinds = kinds))
        };
        let ppid = if p.ppid_inside == 0 { "-".to_string() } else { p.ppid_inside.to_string() };
        let pid = if p.pid_inside == 0 { "-".to_string() } else { p.pid_inside.to_string() };
        say!("{:>8} {:>8} {:>8} {:<6} {}{note}", p.host_pid, pid, ppid, p.role, p.command);
    }
    if m.processes.is_empty() {
        say!("{}", tr!("show-no-processes", name = m.name));
    }
}

/// The cgroup part: where, the limits, and what the box uses (OOM kills,
/// throttling) as `stats` shows it.
fn print_cgroup(m: &BoxModel) {
    let Some(c) = &m.cgroup else {
        say!();
        say!("{}", tr!("show-no-cgroup", name = m.name));
        return;
    };
    let paths: Vec<std::path::PathBuf> = c.paths.iter().map(std::path::PathBuf::from).collect();
    say!();
    say!("cgroup {}: {}", c.version, c.paths.first().map_or("", String::as_str));
    if c.paths.len() > 1 {
        say!("  {}", tr!("show-more-cgroups", count = (c.paths.len() - 1).to_string()));
    }
    let limits = super::limit::describe(&c.limits, super::limit::swap_counted(&paths));
    say!("  {} {limits}", pad(&tr!("show-limits"), 7));
    say!("  {} {}", pad(&tr!("show-usage"), 7), crate::model::format::usage_line(&c.usage));
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
    let hostname = m.hostname.clone().unwrap_or_else(|| tr!("show-hosts-hostname"));
    let state = state_word(&m.state.to_string());
    say!("{}", tr!("show-box-line", name = m.name, state = state, hostname = hostname));
    if let Some(h) = &m.health {
        say!("{}", h.line());
    }
    if let Some(step) = &m.broken {
        say!("{}", tr!("show-broken-step", step = step, name = m.name));
    }
    if let Some(u) = &m.user_map {
        let line = tr!(
            "show-user-map",
            inside = u.inside.to_string(),
            inside_last = (u.count - 1).to_string(),
            outside = u.outside.to_string(),
            outside_last = (u.outside + u.count - 1).to_string()
        );
        say!("{line}");
    }
    if let Some((mono, boot)) = m.time_offsets {
        say!("{}", tr!("show-clock-offsets", mono = mono.to_string(), boot = boot.to_string()));
    }
    say!();
    let head = [tr!("show-col-kind"), tr!("show-col-box"), tr!("show-col-host"), tr!("show-col-isolated")];
    let (kind, boxed, host, isolated) = (pad(&head[0], 7), pad(&head[1], 12), pad(&head[2], 12), pad(&head[3], 9));
    say!("{kind} {boxed} {host} {isolated} {}", tr!("show-col-held-by"));
    let (yes, no, host_held) = (tr!("show-yes"), tr!("show-no"), tr!("show-shared-with-host"));
    for n in &m.namespaces {
        let show = |i: Option<u64>| i.map_or("-".to_string(), |v| v.to_string());
        say!(
            "{:<7} {:<12} {:<12} {} {}",
            n.kind.name(),
            show(n.inode),
            show(n.host_inode),
            pad(if n.isolated { &yes } else { &no }, 9),
            n.held_by.as_deref().unwrap_or(&host_held)
        );
    }
    // A pod: namespaces made by another box, or shared with others.
    for n in m.namespaces.iter().filter(|n| n.joined.is_some() || !n.shared_with.is_empty()) {
        say!("{:<7} {}", n.kind.name(), tr!("show-made-by", maker = n.made_by_text(&m.name)));
    }
    if let Some(stack) = &m.rootfs {
        say!();
        say!("{}", if stack.mounted { tr!("show-rootfs") } else { tr!("show-rootfs-unmounted") });
        let files = tr!("show-files");
        for l in &stack.layers {
            let id = l.digest.as_deref().map(crate::model::format::short).unwrap_or_else(|| tr!("show-writable"));
            say!(
                "  {:<10} {:<14} {:>7} {files} {:>10}  {}",
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
        let line = tr!(
            "show-network",
            interface = n.interface,
            address = n.address,
            gateway = n.gateway,
            bridge = n.bridge,
            host_veth = n.host_veth
        );
        say!("{line}");
        for p in &n.published {
            say!("  {}", tr!("show-published", port = p.to_string()));
        }
        for p in &n.unforwarded {
            say!("  {}", tr!("show-unforwarded", port = p.to_string(), name = m.name));
        }
    }
    print_cgroup(&m);
    if !m.volumes.is_empty() {
        say!();
        say!("{}", tr!("show-volumes"));
        for v in &m.volumes {
            let shared = if v.shared_with.is_empty() {
                String::new()
            } else {
                tr!("show-volume-shared", boxes = v.shared_with.join(" "))
            };
            let state = if v.mounted { String::new() } else { tr!("show-mounted-by-rootfs") };
            let ro = if v.read_only { format!(" {}", tr!("show-read-only")) } else { String::new() };
            say!("  {} <- {}{ro}{state}{shared}", v.target, v.host_path);
        }
    }
    super::harden::print_section(&m);
    say!();
    print_processes(&m);
    say!();
    say!("{}", tr!("show-steps"));
    for s in &m.steps {
        say!("  {}. {}", s.n, s.command);
    }
    Ok(0)
}
