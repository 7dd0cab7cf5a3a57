use super::Ctx;
use crate::cli::LimitArgs;
use crate::error::{Result, UsageError};
use crate::executor::{ApplyOptions, apply};
use crate::i18n::tr;
use crate::output::outcome::{Said, WhenJson};
use crate::output::say;
use crate::plan::Plan;
use crate::plan::op;
use crate::stage::cgroup::limits::{self, Limits};
use crate::stage::cgroup::{self, CgroupDriver, usage};
use crate::state::{BoxRecord, names, record::CgroupRecord};

fn online_cpus() -> Vec<usize> {
    limits::parse_online(&std::fs::read_to_string("/sys/devices/system/cpu/online").unwrap_or_else(|_| "0".into()))
}

/// Parses every flag first: one bad value and nothing is written.
fn parse(args: &LimitArgs) -> Result<(Limits, Vec<String>)> {
    let online = online_cpus();
    let mut warnings = vec![];
    let cpu_quota_us = match &args.cpus {
        None => None,
        Some(s) => {
            let (q, w) = limits::parse_cpus(s, online.len())?;
            warnings.extend(w);
            Some(q)
        }
    };
    Ok((
        Limits {
            memory: args.memory.as_deref().map(|s| limits::parse_size("--memory", s)).transpose()?,
            memory_swap: args.memory_swap.as_deref().map(limits::parse_swap).transpose()?,
            cpu_quota_us,
            pids: args.pids.as_deref().map(limits::parse_pids).transpose()?,
            cpuset: args.cpuset.as_deref().map(|s| limits::parse_cpuset(s, &online)).transpose()?,
            io_weight: args.io_weight.as_deref().map(limits::parse_io_weight).transpose()?,
        },
        warnings,
    ))
}

fn merge(old: &Limits, new: &Limits) -> Limits {
    Limits {
        memory: new.memory.or(old.memory),
        memory_swap: new.memory_swap.or(old.memory_swap),
        cpu_quota_us: new.cpu_quota_us.or(old.cpu_quota_us),
        pids: new.pids.or(old.pids),
        cpuset: new.cpuset.clone().or(old.cpuset.clone()),
        io_weight: new.io_weight.or(old.io_weight),
    }
}

pub fn driver() -> Result<CgroupDriver> {
    Ok(cgroup::detect(std::path::Path::new(cgroup::DEFAULT_FS))?)
}

/// Creating the cgroup (first time only), moving the box's running
/// processes in, then the limit writes.
fn plan(ctx: &Ctx, record: &BoxRecord, driver: &CgroupDriver, new: &Limits) -> Result<Plan> {
    let mut ops = vec![];
    let facts = driver.facts(&ctx.root);
    if record.cgroup.is_none() {
        ops.extend(driver.plan_create(&facts, &ctx.root, &record.name));
        for p in crate::model::collect(&ctx.root, record).processes {
            for procs in driver.procs_files(&ctx.root, &record.name) {
                let why = format!(
                    "move the box's process {} ({}) in: it was started before the box had a cgroup",
                    p.host_pid, p.command
                );
                ops.push(op::WriteCgroup { file: procs, value: p.host_pid.to_string(), why }.into());
            }
        }
    }
    ops.extend(driver.plan_limits(&facts, &ctx.root, &record.name, new)?);
    Ok(Plan::new(ops))
}

pub fn run(args: &LimitArgs, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    let (new, warnings) = parse(args)?;
    if new == Limits::default() {
        return Err(UsageError::LimitNothing { name: args.name.clone() }.into());
    }
    let (_lock, mut record) = ctx.open(&args.name)?;
    let driver = driver()?;
    let plan = plan(ctx, &record, &driver, &new)?;
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    for w in &warnings {
        crate::output::warning(w);
    }
    let hybrid = driver.layout() == cgroup::Layout::Hybrid && record.cgroup.is_none();
    let note = hybrid.then(|| tr!("limit-note-hybrid"));
    // Noted before anything is made, so `rm --force` finds it after a crash.
    let old = record.cgroup.as_ref().map(|c| c.limits.clone()).unwrap_or_default();
    record.cgroup = Some(CgroupRecord {
        version: driver.version().into(),
        paths: driver.box_paths(&ctx.root, &record.name),
        limits: merge(&old, &new),
    });
    record.save(&ctx.root)?;
    apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    let limits = record.cgroup.as_ref().map(|c| describe(&c.limits, swap_counted(&c.paths))).unwrap_or_default();
    let version = driver.version().to_string();
    let said = crate::i18n::tr!("step-limits", name = record.name, version = version, limits = limits);
    ctx.show(Said::of(WhenJson(|| crate::model::collect(&ctx.root, &record).cgroup)).and_all(note).and(said))
}

/// Whether the kernel counts the box's swap (v1 memsw, v2 memory.swap.max):
/// where it does, a memory limit alone also sets swap to none.
pub fn swap_counted(paths: &[std::path::PathBuf]) -> bool {
    paths.iter().any(|p| p.join("memory.memsw.limit_in_bytes").exists() || p.join("memory.swap.max").exists())
}

/// The limits as `limit` set them (see the plans in stage/cgroup).
pub fn describe(l: &Limits, swap_counted: bool) -> String {
    use limits::Limit::*;
    let or_words = |v: Option<limits::Limit>, value: &dyn Fn(u64) -> String| match v {
        Some(Value(b)) => value(b),
        Some(Max) => tr!("limits-no-limit"),
        None => tr!("limits-not-set"),
    };
    let size = |v| or_words(v, &crate::model::format::human);
    let swap = match (l.memory, l.memory_swap) {
        (_, Some(s)) => size(Some(s)),
        (Some(Value(_)), None) if swap_counted => tr!("limits-swap-none"),
        (Some(_), None) => tr!("limits-swap-uncounted"),
        (None, None) => tr!("limits-not-set"),
    };
    tr!(
        "limits-summary",
        memory = size(l.memory),
        swap = swap,
        cpus = or_words(l.cpu_quota_us, &|q| format!("{:.2}", limits::quota_cpus(q))),
        pids = or_words(l.pids, &|n| n.to_string()),
        cpuset = l.cpuset.clone().unwrap_or_else(|| tr!("limits-cpuset-all")),
    )
}

pub fn stats(name: &str, count: u32, ctx: &Ctx) -> Result<u8> {
    names::validate("box", name)?;
    let record = BoxRecord::load(&ctx.root, name)?;
    let Some(cg) = &record.cgroup else {
        return Err(UsageError::LimitNoCgroup { name: name.into() }.into());
    };
    let driver = driver()?;
    let mut n = 0;
    loop {
        let u = usage::read_usage(&driver, &cg.paths);
        // A live view, a line (or a JSON line) a second: it streams, so it
        // prints here rather than returning one value to `Ctx::show`.
        if ctx.json {
            crate::output::json_line(&u);
        } else {
            print_usage(&u);
        }
        n += 1;
        // A live view nobody reads any more (`stats BOX | head -3`) is done.
        if (count != 0 && n >= count) || crate::output::reader_gone() {
            return Ok(0);
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

fn print_usage(u: &usage::Usage) {
    say!("{}", crate::model::format::usage_line(u));
}
