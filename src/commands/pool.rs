//! `glassbox pool`: add a box to a port shared by boxes, drain one, remove
//! the pool, list them (see `crate::pool` for the record and the balancer).

use super::Ctx;
use crate::cli::PoolCommand;
use crate::error::{Error, Result, UsageError};
use crate::executor::{ApplyOptions, apply};
use crate::i18n::{pad, tr};
use crate::model::done::Removed;
use crate::output::outcome::Said;
use crate::output::{progress, say_to};
use crate::plan::Plan;
use crate::pool::plan;
use crate::pool::{Locked, Member, MemberState, PoolPort, Status};
use crate::state::names;
use std::time::{Duration, Instant};

pub fn run(cmd: PoolCommand, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    match cmd {
        PoolCommand::Add { pool, name, ports, allow_low_port } => add(&pool, &name, &ports, allow_low_port, ctx, typed),
        PoolCommand::Drain { pool, name, timeout } => drain(&pool, &name, Duration::from_secs(timeout), ctx, typed),
        PoolCommand::Rm { pool } => remove(&pool, ctx),
        PoolCommand::Ls => list(ctx),
    }
}

fn io(what: &str) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| crate::sys::SysError::io(what.to_string(), e).into()
}

fn open(pool: &str, ctx: &Ctx) -> Result<Locked> {
    names::validate("pool", pool)?;
    Locked::open(&ctx.root, pool, false)
        .map_err(io("lock the pool"))?
        .ok_or_else(|| UsageError::PoolUnknown { pool: format!("{pool:?}") }.into())
}

fn add(pool: &str, name: &str, ports: &str, allow_low: bool, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    names::validate("pool", pool)?;
    let (host_port, box_port) = super::net::parse_ports(ports)?;
    if host_port < 1024 && !allow_low {
        return Err(UsageError::PortLow { port: host_port }.into());
    }
    let (_box_lock, mut record) = ctx.open(name)?;
    let Some(net) = record.net.clone() else {
        let fix = crate::stage::bridge::connect_commands(name, record.has(crate::stage::NamespaceKind::Net));
        return Err(UsageError::NotConnected { name: name.into(), fix }.into());
    };
    // The pool as it is (none yet: a new one), read under its lock, which
    // is held until the record is written.
    let had = Locked::open(&ctx.root, pool, false).map_err(io("lock the pool"))?;
    if let Some(other) = had.iter().flat_map(|p| &p.record.ports).find(|x| x.host_port == host_port) {
        if other.box_port != box_port {
            let had = other.box_port;
            return Err(UsageError::PoolPortTaken { pool: pool.into(), host_port, had, box_port }.into());
        }
    }
    let joining = plan::Joining { pool, name, address: net.address, host_port, box_port };
    let Some(plan) = super::work::begin(ctx, plan::plan_add(&ctx.root, had.as_ref().map(|p| &p.record), &joining))?
    else {
        return Ok(0);
    };
    let mut p = match had {
        Some(p) => p,
        None => Locked::open(&ctx.root, pool, true).map_err(io("make the pool"))?.expect("made"),
    };
    let known = p.record.ports.iter().position(|x| x.host_port == host_port);
    let running = known.and_then(|i| p.record.ports[i].balancer).filter(|b| b.alive());
    if running.is_none() {
        let balancer = start_balancer(pool, host_port, ctx)?;
        let port = PoolPort { host_port, box_port, balancer: Some(balancer) };
        match known {
            Some(i) => p.record.ports[i] = port,
            None => p.record.ports.push(port),
        }
    }
    p.record.project = p.record.project.take().or(record.project.clone());
    p.record.members.retain(|m| m.name != name);
    p.record.members.push(Member { name: name.to_string(), address: net.address, state: MemberState::Serving });
    p.save().map_err(io("save the pool"))?;
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    let said = format!("{name} serves in pool {pool}: 127.0.0.1:{host_port} -> {}:{box_port}", net.address);
    ctx.show(Said::new(p.record, said))
}

/// Listens on the host port and starts its balancer with the listening socket.
fn start_balancer(pool: &str, host_port: u16, ctx: &Ctx) -> Result<crate::sys::proc::ProcRef> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", host_port)).map_err(|e| {
        Error::from(UsageError::PoolCannotListen { host_port, reason: e.to_string(), pool: pool.into() })
    })?;
    let argv = [
        "glassbox-lb".to_string(),
        pool.to_string(),
        String::new(),
        host_port.to_string(),
        ctx.root.state.display().to_string(),
    ];
    let how = crate::sys::detached::Detached::on_disk();
    let pid = crate::sys::detached::start_self_detached(&argv, std::os::fd::AsRawFd::as_raw_fd(&listener), 2, how)
        .and_then(crate::sys::detached::Starting::started)
        .map_err(|e| crate::sys::SysError::io(format!("start the pool's balancer: {}", e.call), e.source))?;
    crate::sys::proc::ProcRef::of(pid).ok_or_else(|| {
        let ended = std::io::Error::other(format!("it ended as it started: see `glassbox pool ls` ({pool})"));
        crate::sys::SysError::io("start the pool's balancer".to_string(), ended).into()
    })
}

fn drain(pool: &str, name: &str, patience: Duration, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    let mut p = open(pool, ctx)?;
    if !p.set_state(name, MemberState::Draining) {
        return Err(UsageError::PoolNotMember { name: name.into(), pool: pool.into() }.into());
    }
    let Some(plan) = super::work::begin(ctx, plan::plan_drain(&ctx.root, pool, name, patience))? else {
        return Ok(0);
    };
    p.save().map_err(io("save the pool"))?;
    let (generation, dir, ports) = (p.record.generation, p.dir.clone(), p.record.ports.clone());
    drop(p);
    // Said while it waits (on stderr with --json): a drain may take the
    // whole patience.
    progress!("{name}: draining from pool {pool} (no new connections; waiting for the open ones)");
    let began = Instant::now();
    let still_open = loop {
        let now = open_to(&dir, &ports, name, generation);
        if now == Some(0) || began.elapsed() >= patience {
            break now;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut p = open(pool, ctx)?;
    p.record.members.retain(|m| m.name != name);
    p.save().map_err(io("save the pool"))?;
    if let Ok((_lock, mut record)) = ctx.open(name) {
        record.record_step(typed, plan);
        record.save(&ctx.root)?;
    }
    let said = match still_open {
        Some(0) => format!("{name}: drained in {:.1}s, out of pool {pool}", began.elapsed().as_secs_f64()),
        Some(n) => format!("{name}: {n} connections still open after {patience:?}: out of pool {pool} anyway"),
        None => format!("{name}: a balancer of pool {pool} did not answer in {patience:?}: out of the pool anyway"),
    };
    let drained = Drained { pool: pool.into(), name: name.into(), still_open, seconds: began.elapsed().as_secs_f64() };
    ctx.show(Said::new(drained, said))
}

/// What `pool drain` did (`still_open`: none when a balancer did not answer).
#[derive(serde::Serialize)]
struct Drained {
    pool: String,
    name: String,
    still_open: Option<u32>,
    seconds: f64,
}

/// Connections open to `member` over the pool's running balancers, once
/// each runs on `generation` or later; None while one has not caught up.
fn open_to(dir: &std::path::Path, ports: &[PoolPort], member: &str, generation: u64) -> Option<u32> {
    let mut total = 0;
    for port in ports.iter().filter(|p| p.balancer.is_some_and(|b| b.alive())) {
        let status: Status = crate::pool::read_json(&crate::pool::status_path(dir, port.host_port))?;
        if status.generation < generation {
            return None;
        }
        total += status.open.get(member).copied().unwrap_or(0);
    }
    Some(total)
}

fn remove(pool: &str, ctx: &Ctx) -> Result<u8> {
    let p = open(pool, ctx)?;
    let mut procs: Vec<_> = p.record.ports.iter().filter_map(|x| x.balancer).collect();
    procs.extend(crate::teardown::find_balancers(&ctx.root, Some(pool)));
    procs.sort_unstable_by_key(|r| (r.pid, r.start_time));
    procs.dedup();
    let balancers = crate::stage::teardown::targets(&procs);
    let plan = Plan::new(plan::plan_remove(&ctx.root, pool, balancers, Duration::from_secs(1)));
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
    let ports: Vec<String> = p.record.ports.iter().map(|x| format!("127.0.0.1:{}", x.host_port)).collect();
    let ports = if ports.is_empty() { tr!("pool-no-port") } else { ports.join(", ") };
    let said = tr!("pool-removed", pool = pool, ports = ports);
    ctx.show(Said::new(Removed::new("pool", pool), said))
}

fn list(ctx: &Ctx) -> Result<u8> {
    ctx.show(Pools(crate::pool::all(&ctx.root)))
}

/// `pool ls`: each pool, its ports and members (JSON: the pools' records).
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Pools(Vec<crate::pool::PoolRecord>);

impl std::fmt::Display for Pools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (name, ports) = (pad(&tr!("pool-col-pool"), 24), pad(&tr!("pool-col-ports"), 22));
        say_to!(f, "{name} {ports} {}", tr!("pool-col-members"))?;
        for p in &self.0 {
            let ports: Vec<String> = p
                .ports
                .iter()
                .map(|x| {
                    let up = if x.balancer.is_some_and(|b| b.alive()) {
                        String::new()
                    } else {
                        format!(" {}", tr!("pool-balancer-gone"))
                    };
                    format!("{}->{}{up}", x.host_port, x.box_port)
                })
                .collect();
            let members: Vec<String> = p.members.iter().map(|m| format!("{} ({})", m.name, m.state)).collect();
            say_to!(f, "{:<24} {:<22} {}", p.name, ports.join(","), members.join(", "))?;
        }
        Ok(())
    }
}
