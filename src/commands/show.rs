use super::Ctx;
use crate::error::Result;
use crate::model::{self, BoxModel};
use crate::state::{BoxRecord, names};

pub fn ls(ctx: &Ctx) -> Result<u8> {
    let models = model::collect_all(&ctx.root, &BoxRecord::load_all(&ctx.root));
    if ctx.json {
        ctx.print_json(&models);
        return Ok(0);
    }
    println!("{:<20} {:<8} {:<40} STEPS", "NAME", "STATE", "NAMESPACES");
    for m in &models {
        let kinds: Vec<&str> = m.namespaces.iter().filter(|n| n.isolated).map(|n| n.kind.name()).collect();
        let kinds = if kinds.is_empty() { "-".to_string() } else { kinds.join(",") };
        println!("{:<20} {:<8} {:<40} {}", m.name, m.state.to_string(), kinds, m.steps.len());
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
    println!("{:>8} {:>8} {:>8} {:<6} COMMAND", "HOST-PID", "PID", "PPID", "ROLE");
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
        println!("{:>8} {:>8} {:>8} {:<6} {}{note}", p.host_pid, pid, ppid, p.role, p.command);
    }
    if m.processes.is_empty() {
        println!("(no processes: nothing is running in box {})", m.name);
    }
}

pub fn inspect(name: &str, path: Option<&str>, ctx: &Ctx) -> Result<u8> {
    if let Some(p) = path {
        names::validate("box", name)?;
        let record = BoxRecord::load(&ctx.root, name)?;
        println!("{}", model::layers::origin(&ctx.root, &record, p));
        return Ok(0);
    }
    let m = load_model(ctx, name)?;
    if ctx.json {
        ctx.print_json(&m);
        return Ok(0);
    }
    println!("box {}  state {}  hostname {}", m.name, m.state, m.hostname.as_deref().unwrap_or("(the host's)"));
    if let Some(u) = &m.user_map {
        println!(
            "user map: uid/gid {}..{} inside = {}..{} on the host",
            u.inside,
            u.count - 1,
            u.outside,
            u.outside + u.count - 1
        );
    }
    if let Some((mono, boot)) = m.time_offsets {
        println!("clock offsets: monotonic {mono}s, boottime {boot}s");
    }
    println!("\n{:<7} {:<12} {:<12} {:<9} HELD BY", "KIND", "BOX", "HOST", "ISOLATED");
    for n in &m.namespaces {
        let show = |i: Option<u64>| i.map_or("-".to_string(), |v| v.to_string());
        println!(
            "{:<7} {:<12} {:<12} {:<9} {}",
            n.kind.name(),
            show(n.inode),
            show(n.host_inode),
            if n.isolated { "yes" } else { "no" },
            n.held_by.as_deref().unwrap_or("- (shared with the host)")
        );
    }
    if let Some(stack) = &m.rootfs {
        println!("\nroot filesystem (top first){}:", if stack.mounted { "" } else { ", not mounted yet" });
        for l in &stack.layers {
            let id = l.digest.as_deref().map(crate::commands::image::short).unwrap_or_else(|| "(writable)".into());
            println!(
                "  {:<10} {:<14} {:>7} files {:>10}  {}",
                l.role,
                id,
                l.files,
                crate::commands::image::human(l.bytes),
                l.source
            );
        }
        println!("  overlay: lowerdir={} upperdir={} workdir={}", stack.lowerdir, stack.upperdir, stack.workdir);
    }
    if let Some(n) = &m.network {
        println!(
            "\nnetwork: {} {} via {} on bridge {} (host end {})",
            n.interface, n.address, n.gateway, n.bridge, n.host_veth
        );
        for p in &n.published {
            println!("  published {p}");
        }
    }
    if !m.volumes.is_empty() {
        println!("\nvolumes (mounted over the stack):");
        for v in &m.volumes {
            let shared = if v.shared_with.is_empty() {
                String::new()
            } else {
                format!(", shared with {}", v.shared_with.join(" "))
            };
            let state = if v.mounted { "" } else { ", mounted by rootfs" };
            println!(
                "  {} <- {}{}{state}{shared}",
                v.target,
                v.host_path,
                if v.read_only { " (read-only)" } else { "" }
            );
        }
    }
    super::harden::print_section(&m);
    println!();
    print_processes(&m);
    println!("\nsteps:");
    for s in &m.steps {
        println!("  {}. {}", s.n, s.command);
    }
    Ok(0)
}
