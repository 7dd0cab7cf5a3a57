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
use crate::plan::pool::Made as PoolMade;
use crate::pool::Locked;
use crate::pool::plan;
use crate::state::names;
use std::time::Duration;

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
    Locked::open(&ctx.root, pool)
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
    // The pool as it is (none yet: a new one), read under its lock; the
    // plan's operations take the lock again as they write the record.
    let had = Locked::open(&ctx.root, pool).map_err(io("lock the pool"))?;
    if let Some(other) = had.iter().flat_map(|p| &p.record.ports).find(|x| x.host_port == host_port) {
        if other.box_port != box_port {
            let had = other.box_port;
            return Err(UsageError::PoolPortTaken { pool: pool.into(), host_port, had, box_port }.into());
        }
    }
    let had = had.map(|p| p.record);
    // The port is bound first, as `publish` does: a taken port is refused
    // (exit 2) before anything is made, and the balancer gets the socket.
    let listener = match plan::needs_balancer(had.as_ref(), host_port) {
        true => Some(std::net::TcpListener::bind(("127.0.0.1", host_port)).map_err(|e| {
            Error::from(UsageError::PoolCannotListen { host_port, reason: e.to_string(), pool: pool.into() })
        })?),
        false => None,
    };
    let project = record.project.as_deref();
    let joining = plan::Joining { pool, name, address: net.address, host_port, box_port, project };
    let plan = Plan::new(plan::plan_add(&ctx.root, had.as_ref(), &joining));
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    let listener_fd = listener.as_ref().map(std::os::fd::AsRawFd::as_raw_fd);
    apply(&plan, &ApplyOptions { explain: ctx.explain, listener: listener_fd, ..Default::default() })?;
    drop(listener);
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    let now = open(pool, ctx)?.record;
    let address = net.address.to_string();
    let said = tr!("pool-serves", name = name, pool = pool, port = host_port, address = address, box_port = box_port);
    ctx.show(Said::new(now, said))
}

fn drain(pool: &str, name: &str, patience: Duration, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    if !open(pool, ctx)?.record.members.iter().any(|m| m.name == name) {
        return Err(UsageError::PoolNotMember { name: name.into(), pool: pool.into() }.into());
    }
    let plan = Plan::new(plan::plan_drain(&ctx.root, pool, name, patience));
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    // Said before it waits (on stderr with --json): a drain may take the
    // whole patience.
    progress!("{name}: draining from pool {pool} (no new connections; waiting for the open ones)");
    let applied = apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
    let Some(PoolMade::Drained { still_open, seconds }) = applied.pool else {
        unreachable!("a drain's plan waits for the member's connections")
    };
    if let Ok((_lock, mut record)) = ctx.open(name) {
        record.record_step(typed, plan);
        record.save(&ctx.root)?;
    }
    let said = match still_open {
        Some(0) => tr!("pool-drained", name = name, seconds = format!("{seconds:.1}"), pool = pool),
        Some(n) => tr!("pool-still-open", name = name, count = n, patience = format!("{patience:?}"), pool = pool),
        None => tr!("pool-no-answer", name = name, pool = pool, patience = format!("{patience:?}")),
    };
    let drained = Drained { pool: pool.into(), name: name.into(), still_open, seconds };
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

fn remove(pool: &str, ctx: &Ctx) -> Result<u8> {
    let p = open(pool, ctx)?;
    let mut procs: Vec<_> = p.record.ports.iter().filter_map(|x| x.balancer).map(|b| b.proc()).collect();
    procs.extend(crate::teardown::find_balancers(&ctx.root, Some(pool)));
    procs.sort_unstable_by_key(|r| (r.pid, r.start_time));
    procs.dedup();
    let balancers = crate::stage::teardown::targets(std::path::Path::new(crate::sys::proc::PROC_ROOT), &procs);
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
