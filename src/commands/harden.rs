//! `caps`, `seccomp`, `nnp`, `devices`, `mask` and `harden`: each a step
//! that plans, applies and records one layer of hardening.

use super::Ctx;
use crate::cli::Lazy;
use crate::cli::harden::{CapsArgs, DevicesArgs, HardenCommand, MaskArgs};
use crate::error::{Result, UsageError};
use crate::executor::{ApplyOptions, apply};
use crate::i18n::tr;
use crate::output::outcome::Said;
use crate::output::{say, say_to};
use crate::plan::Plan;
use crate::plan::op;
use crate::stage::caps::CapsRequest;
use crate::stage::hardening::{DevicesRecord, FilterRecord, MaskRecord};
use crate::stage::seccomp::{Choice, Compiled};
use crate::stage::{caps, devices, mask, nnp, seccomp};
use crate::state::BoxRecord;

/// One hardening step as asked.
enum Ask {
    Caps(CapsRequest),
    Nnp,
    Seccomp(Choice),
    Devices(Vec<String>),
    Mask { masked: Vec<String>, read_only: Vec<String> },
}

/// What a step changes in the box's hardening record once applied.
enum Change {
    Caps(Vec<String>),
    Nnp,
    Filter(Option<Compiled>),
    Devices(DevicesRecord),
    Masks(MaskRecord),
}

struct Prepared {
    plan: Plan,
    change: Change,
}

fn docker_masks() -> Ask {
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    Ask::Mask { masked: own(&mask::DOCKER_MASKED), read_only: own(&mask::DOCKER_READ_ONLY) }
}

fn caps_ask(a: &CapsArgs) -> Result<Ask> {
    if a.docker_default {
        return Ok(Ask::Caps(CapsRequest::DockerDefault));
    }
    let (drop_all, drop) = caps::parse_list(a.drop.as_deref().unwrap_or_default())?;
    let (add_all, add) = a.add.as_deref().map(caps::parse_list).transpose()?.unwrap_or_default();
    if add_all {
        return Err(UsageError::CapsAddAll {}.into());
    }
    Ok(Ask::Caps(CapsRequest::Change { drop_all, drop, add }))
}

fn devices_ask(a: &DevicesArgs) -> Result<Ask> {
    let rules: Vec<String> = if a.docker_default {
        devices::DOCKER_DEFAULT.iter().map(|s| s.to_string()).collect()
    } else {
        a.allow.clone()
    };
    Ok(Ask::Devices(devices::validate(&rules)?))
}

fn mask_ask(a: &MaskArgs) -> Ask {
    if a.docker_default || (a.paths.is_empty() && a.read_only.is_empty()) {
        return docker_masks();
    }
    Ask::Mask { masked: a.paths.clone(), read_only: a.read_only.clone() }
}

pub fn run(cmd: HardenCommand, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    let (name, ask) = match cmd {
        HardenCommand::Caps(Lazy(a)) => (a.name.clone(), caps_ask(&a)?),
        HardenCommand::Nnp { name } => (name, Ask::Nnp),
        HardenCommand::Seccomp(Lazy(a)) => (a.name, Ask::Seccomp(Choice::parse(&a.profile))),
        HardenCommand::Devices(Lazy(a)) => (a.name.clone(), devices_ask(&a)?),
        HardenCommand::Mask(Lazy(a)) => (a.name.clone(), mask_ask(&a)),
        HardenCommand::Harden { name } => return harden(ctx, &name),
    };
    let (_lock, mut record) = ctx.open(&name)?;
    let prepared = prepare(ctx, &record, &ask)?;
    if ctx.dry_run_shows(&prepared.plan) {
        return Ok(0);
    }
    let said = apply_step(ctx, &mut record, prepared, typed)?;
    ctx.show(Said::of(crate::model::hardening::collect(&record)).and_all(said))
}

/// All five, Docker's defaults, each its own recorded step: every plan is
/// made (on the box as the steps before it will leave it) before the
/// first is applied, so a refusal changes nothing.
fn harden(ctx: &Ctx, name: &str) -> Result<u8> {
    let (_lock, mut record) = ctx.open(name)?;
    let steps: [(Ask, &[&str]); 5] = [
        (Ask::Caps(CapsRequest::DockerDefault), &["caps", name, "--docker-default"]),
        (Ask::Nnp, &["nnp", name]),
        (Ask::Seccomp(Choice::Default), &["seccomp", name, "default"]),
        (
            Ask::Devices(devices::DOCKER_DEFAULT.iter().map(|s| s.to_string()).collect()),
            &["devices", name, "--docker-default"],
        ),
        (docker_masks(), &["mask", name, "--docker-default"]),
    ];
    let mut after = record.clone();
    let mut prepared = vec![];
    for (ask, words) in &steps {
        let p = prepare(ctx, &after, ask)?;
        p.change.write_into(&mut after, &p.plan);
        let typed = std::iter::once("glassbox").chain(words.iter().copied()).map(String::from).collect::<Vec<_>>();
        prepared.push((p, typed));
    }
    let mut said = vec![];
    for (p, typed) in prepared {
        if ctx.dry_run {
            say!("# {}", typed.join(" "));
            ctx.dry_run_shows(&p.plan);
            continue;
        }
        said.extend(apply_step(ctx, &mut record, p, typed)?);
    }
    if ctx.dry_run {
        return Ok(0);
    }
    ctx.show(Said::of(crate::model::hardening::collect(&record)).and_all(said))
}

fn box_pids(ctx: &Ctx, record: &BoxRecord) -> Vec<i32> {
    crate::model::collect(&ctx.root, record).processes.iter().map(|p| p.host_pid).collect()
}

fn prepare(ctx: &Ctx, record: &BoxRecord, ask: &Ask) -> Result<Prepared> {
    Ok(match ask {
        Ask::Caps(req) => {
            let (plan, keep) = caps::plan(&ctx.root, record, req)?;
            Prepared { plan, change: Change::Caps(keep) }
        }
        Ask::Nnp => Prepared { plan: nnp::plan(&ctx.root, record)?, change: Change::Nnp },
        Ask::Seccomp(choice) => {
            let compiled = seccomp::prepare(record, choice)?;
            Prepared { plan: seccomp::plan(&ctx.root, record, compiled.as_ref()), change: Change::Filter(compiled) }
        }
        Ask::Devices(rules) => {
            let (plan, rec) = devices::plan(&ctx.root, record, rules, &box_pids(ctx, record))?;
            Prepared { plan, change: Change::Devices(rec) }
        }
        Ask::Mask { masked, read_only } => Prepared {
            plan: mask::plan(record, masked, read_only, std::path::Path::new(crate::sys::proc::PROC_ROOT))?,
            change: Change::Masks(MaskRecord { masked: masked.clone(), read_only: read_only.clone() }),
        },
    })
}

impl Change {
    /// The record as it is once the step has been applied.
    fn write_into(&self, record: &mut BoxRecord, plan: &Plan) {
        let h = &mut record.hardening;
        match self {
            Change::Caps(keep) => h.caps = Some(keep.clone()),
            Change::Nnp => h.no_new_privs = true,
            Change::Filter(None) => h.unconfined = true,
            Change::Filter(Some(c)) => {
                if let Some(op::LoadFilter { file, .. }) = plan.ops.first().and_then(crate::plan::Op::as_confine_host) {
                    h.filters.push(FilterRecord {
                        profile: c.label.clone(),
                        file: file.clone(),
                        instructions: c.program.len(),
                    });
                }
            }
            Change::Devices(d) => h.devices = Some(d.clone()),
            Change::Masks(m) => {
                let old = h.masks.get_or_insert_with(Default::default);
                old.masked.extend(m.masked.iter().filter(|p| !old.masked.contains(p)).cloned().collect::<Vec<_>>());
                old.read_only
                    .extend(m.read_only.iter().filter(|p| !old.read_only.contains(p)).cloned().collect::<Vec<_>>());
            }
        }
    }
}

/// Applies one step; what it says (the record has the rest).
fn apply_step(ctx: &Ctx, record: &mut BoxRecord, p: Prepared, typed: Vec<String>) -> Result<Vec<String>> {
    match &p.change {
        // The program is compiled now, once, and kept beside the record.
        Change::Filter(Some(c)) => {
            if let Some(op::LoadFilter { file, .. }) = p.plan.ops.first().and_then(crate::plan::Op::as_confine_host) {
                crate::state::record::write_atomic(file, &seccomp::compile::to_bytes(&c.program))?;
            }
        }
        // Noted before the cgroup is made, so `rm --force` finds it after a crash.
        Change::Devices(d) => {
            let mut noted = record.clone();
            noted.hardening.devices = Some(d.clone());
            noted.save(&ctx.root)?;
        }
        _ => {}
    }
    apply(&p.plan, &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
    p.change.write_into(record, &p.plan);
    record.record_step(typed, p.plan);
    record.save(&ctx.root)?;
    Ok(report(ctx, record, &p.change))
}

fn report(ctx: &Ctx, record: &BoxRecord, change: &Change) -> Vec<String> {
    let name = &record.name;
    let list = |v: &[String], none: &str| if v.is_empty() { crate::i18n::term(none) } else { v.join(" ") };
    let line = match change {
        Change::Caps(keep) => tr!("harden-caps", name = name, count = keep.len(), caps = list(keep, "harden-none")),
        Change::Nnp => tr!("harden-nnp", name = name),
        Change::Filter(None) => tr!("harden-unconfined", name = name),
        Change::Filter(Some(c)) => {
            tr!("harden-filter", name = name, profile = c.label, count = c.program.len())
        }
        Change::Devices(d) => {
            tr!("harden-devices", name = name, version = d.version.to_string(), rules = d.rules.join(", "))
        }
        Change::Masks(m) => tr!(
            "harden-masks",
            name = name,
            masked = list(&m.masked, "harden-nothing"),
            read_only = list(&m.read_only, "harden-nothing")
        ),
    };
    let mut said = vec![line];
    if matches!(change, Change::Caps(_) | Change::Nnp | Change::Filter(Some(_))) {
        // The init's descendants, from the kernel's children lists: a pass
        // over every process of the host (box_pids) cost this step 40 ms here.
        let running = record
            .init
            .and_then(|i| crate::sys::proc::descendants(i.pid))
            .map_or_else(|| box_pids(ctx, record).len().saturating_sub(1), |d| d.len());
        said.push(format!("       {}", tr!("harden-from-now-on")));
        if running > 0 {
            said.push(format!("       {}", tr!("harden-running-keep", count = running)));
        }
    }
    said
}

/// The hardening part of plain `inspect`: the policy, then what each
/// process of the box has now (nothing a box controls is printed).
pub fn section(f: &mut std::fmt::Formatter<'_>, m: &crate::model::BoxModel) -> std::fmt::Result {
    let h = &m.hardening;
    let short = |names: &[String]| names.iter().map(|n| n.trim_start_matches("CAP_")).collect::<Vec<_>>().join(" ");
    let list = |v: &[String]| if v.is_empty() { tr!("show-none") } else { v.join(" ") };
    let yes_no = |b: bool| if b { tr!("show-yes") } else { tr!("show-no") };
    say_to!(f)?;
    say_to!(f, "{}", tr!("show-hardening"))?;
    let caps = match &h.caps {
        Some(c) => tr!(
            "show-caps-kept",
            count = c.len().to_string(),
            names = if c.is_empty() { tr!("show-none") } else { short(c) }
        ),
        None => tr!("show-caps-all"),
    };
    say_to!(f, "  capabilities  {caps}")?;
    say_to!(f, "  no_new_privs  {}", yes_no(h.no_new_privs))?;
    let filters: Vec<String> = h
        .seccomp
        .iter()
        .map(|x| tr!("show-seccomp-filter", profile = x.profile, count = x.instructions.to_string()))
        .collect();
    say_to!(f, "  seccomp       {}", if h.seccomp_unconfined { tr!("show-unconfined") } else { list(&filters) })?;
    let devices = match &h.devices {
        Some(d) => tr!("show-devices-rules", version = d.cgroup_version.to_string(), rules = d.rules.join(", ")),
        None => tr!("show-devices-all"),
    };
    say_to!(f, "  devices       {devices}")?;
    say_to!(f, "  masked        {}", list(&h.masked))?;
    say_to!(f, "  read-only     {}", list(&h.read_only))?;
    for p in &m.processes {
        let Some(c) = &p.confinement else { continue };
        let loaded = if c.seccomp_filters > 0 {
            format!(" {}", tr!("show-seccomp-loaded", count = c.seccomp_filters.to_string()))
        } else {
            String::new()
        };
        let line = tr!(
            "show-pid-confinement",
            caps = c.cap_eff.len().to_string(),
            seccomp = c.seccomp.to_string(),
            loaded = loaded,
            nnp = yes_no(c.no_new_privs)
        );
        say_to!(f, "  pid {:<5} {:<5} {line}", p.pid_inside, p.role)?;
    }
    Ok(())
}
