use super::Ctx;
use crate::cli::VolumeCommand;
use crate::error::{Error, Result, UsageError};
use crate::executor::{ApplyOptions, apply};
use crate::i18n::tr;
use crate::model::done::Removed;
use crate::output::outcome::Said;
use crate::output::say_to;
use crate::plan::Plan;
use crate::stage::volume as stage;
use crate::state::names;
use crate::volume::{self, Source, VolumeMount, spec};

pub fn run(cmd: VolumeCommand, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    match cmd {
        VolumeCommand::Create { name } => {
            let plan = Plan::new(volume::plan_create(&ctx.root, &name)?);
            if ctx.dry_run_shows(&plan) {
                return Ok(0);
            }
            apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
            let dir = volume::data_dir(&ctx.root, &name);
            ctx.show(Said::new(volume::info(&ctx.root, &name), tr!("step-volume-created", name = name, path = dir)))
        }
        VolumeCommand::Ls => {
            ctx.show(Volumes(volume::list(&ctx.root).iter().map(|n| volume::info(&ctx.root, n)).collect()))
        }
        VolumeCommand::Inspect { name } => {
            names::validate("volume", &name)?;
            if !volume::exists(&ctx.root, &name) {
                return Err(no_such(&name));
            }
            ctx.show(volume::info(&ctx.root, &name))
        }
        VolumeCommand::Rm { name, force } => remove(&name, force, ctx),
        VolumeCommand::Add { name, spec, force } => add(&name, &spec, force, ctx, typed),
    }
}

fn no_such(name: &str) -> Error {
    UsageError::VolumeNotFound { name: format!("{name:?}"), bare: name.into() }.into()
}

/// Checks the source now: a named volume must exist; a host folder must
/// exist, be a folder, and not be one glassbox refuses without --force.
fn resolve(ctx: &Ctx, source: Source, force: bool) -> Result<Source> {
    match source {
        Source::Named { name } if !volume::exists(&ctx.root, &name) => Err(no_such(&name)),
        Source::Host { given, .. } => {
            let resolved = given.canonicalize().map_err(|_| UsageError::VolumeHostMissing { path: given.clone() })?;
            if !resolved.is_dir() {
                return Err(UsageError::VolumeNotFolder { path: given }.into());
            }
            let own = [ctx.root.state.as_path(), ctx.root.runtime.as_path()];
            if let Some(why) = (!force).then(|| volume::danger::reason(&resolved, &own)).flatten() {
                return Err(UsageError::VolumeRefused { path: given, resolved, why }.into());
            }
            Ok(Source::Host { given, resolved })
        }
        named => Ok(named),
    }
}

fn add(name: &str, text: &str, force: bool, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    let (source, target, read_only) = spec::parse(text)
        .map_err(|e| UsageError::VolumeSpecInvalid { spec: format!("{text:?}"), reason: e.to_string() })?;
    let (_lock, mut record) = ctx.open(name)?;
    let m = VolumeMount { source: resolve(ctx, source, force)?, target, read_only };
    let plan = stage::plan_add(&ctx.root, &record, &m)?;
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    // Mounted last, after anything that can fail: a failure changes nothing.
    ctx.apply_noted(&mut record, &typed, &plan, |_| true)?;
    let now = record.rootfs_mounted;
    record.volumes.push(m.clone());
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    let when = if now { tr!("step-volume-mounted-now") } else { tr!("step-volume-mounted-later") };
    let ro = if m.read_only { tr!("step-volume-read-only") } else { String::new() };
    let source = volume::host_path(&ctx.root, &m);
    let said = tr!("step-volume-added", name = name, source = source, target = m.target, ro = ro, when = when);
    let mut done = Said::of(crate::model::when_json(&ctx.root, &record));
    if let Source::Host { given, resolved } = &m.source {
        if resolved != given {
            done = done.and(format!("{} resolves to {}", given.display(), resolved.display()));
        }
    }
    ctx.show(done.and(said))
}

fn remove(name: &str, force: bool, ctx: &Ctx) -> Result<u8> {
    names::validate("volume", name)?;
    if !volume::exists(&ctx.root, name) {
        return Err(no_such(name));
    }
    let users = volume::users(&ctx.root, name);
    if !users.is_empty() && !force {
        return Err(UsageError::VolumeInUse { name: name.into(), boxes: users.join(" ") }.into());
    }
    let explain = ApplyOptions { explain: ctx.explain, ..Default::default() };
    let mut detaching = vec![];
    for b in users {
        let (lock, record) = ctx.open_any(&b)?;
        let gone: Vec<&VolumeMount> =
            record.volumes.iter().filter(|v| matches!(&v.source, Source::Named { name: n } if n == name)).collect();
        // Each unmount a plan of its own: it joins the box's mount namespace.
        let plans: Vec<Plan> = gone.iter().map(|m| stage::plan_remove(&record, m)).collect();
        detaching.push((lock, record, plans));
    }
    let last = volume::plan_remove(&ctx.root, name);
    if ctx.dry_run {
        let mut ops: Vec<_> = detaching.into_iter().flat_map(|(_, _, plans)| plans).flat_map(|p| p.ops).collect();
        ops.push(last);
        ctx.dry_run_shows(&Plan::new(ops));
        return Ok(0);
    }
    let mut removed = Removed::new("volume", name);
    for (_lock, mut record, plans) in detaching {
        for plan in &plans {
            apply(plan, &explain)?;
        }
        record.volumes.retain(|v| !matches!(&v.source, Source::Named { name: n } if n == name));
        record.save(&ctx.root)?;
        removed.detached_from.push(record.name.clone());
    }
    apply(&Plan::new(vec![last]), &explain)?;
    ctx.show(removed)
}

/// `volume ls`: the volumes (JSON: the list of them).
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Volumes(Vec<volume::VolumeInfo>);

impl std::fmt::Display for Volumes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (name, size) = (crate::i18n::tr!("list-col-name"), crate::i18n::tr!("list-col-size"));
        let boxes = crate::i18n::tr!("list-col-boxes");
        say_to!(f, "{} {}  {boxes}", crate::i18n::pad(&name, 24), crate::i18n::pad_left(&size, 10))?;
        for v in &self.0 {
            say_to!(f, "{:<24} {:>10}  {}", v.name, crate::model::format::human(v.bytes), v.boxes.join(" "))?;
        }
        Ok(())
    }
}
