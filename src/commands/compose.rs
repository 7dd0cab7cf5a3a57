//! `glassbox compose`: read the project, then plan and run its steps.

use super::Ctx;
use crate::cli::compose::{ComposeAction, ComposeArgs};
use crate::compose::changed::Changed;
use crate::compose::project::{self, Project};
use crate::compose::rollout::Rollout;
use crate::compose::runner::Steps;
use crate::compose::{ComposeError, down, hosts, plan, up, update};
use crate::error::{Result, UsageError};
use crate::output::say;
use crate::state::BoxRecord;

pub fn run(args: ComposeArgs, ctx: &Ctx) -> Result<u8> {
    let load = || project::load(&ctx.root, args.file.as_deref(), args.project.as_deref());
    match args.action {
        ComposeAction::Config => config(&load()?, ctx),
        ComposeAction::Up { detach: _, build, services } => up(&load()?, &services, build, ctx),
        ComposeAction::Down { volumes } => {
            // Without its file a project can still be taken down by -p (its volumes stay).
            let (name, vols) = match (load(), args.project.as_deref()) {
                (Ok(p), _) => (p.name, if volumes { p.volumes } else { vec![] }),
                (Err(_), Some(name)) if !volumes => (name.to_string(), vec![]),
                (Err(e), _) => return Err(e.into()),
            };
            let steps = Steps::new(&ctx.root, ctx.explain, "down", &name)?;
            let removed = down::down(&ctx.root, &name, &vols, &steps)?;
            ctx.show(Changed::new(&name, "down", removed))
        }
        ComposeAction::Ps => super::compose_ps::ps(&load()?, ctx),
        ComposeAction::Logs { follow, service } => super::compose_logs::logs(&load()?, service.as_deref(), follow, ctx),
        ComposeAction::Exec { service, argv } => exec(&load()?, &service, &argv, ctx),
        ComposeAction::Scale { targets } => scale(&load()?, &targets, ctx),
    }
}

fn config(p: &Project, ctx: &Ctx) -> Result<u8> {
    let text = serde_norway::to_string(&p.spec).map_err(|e| ComposeError::Failed(format!("print the file: {e}")))?;
    ctx.show(Config { spec: &p.spec, yaml: format!("name: {}\n{text}", p.name) })
}

/// `compose config`: the file as glassbox read it (JSON: the file; text:
/// YAML with the project's name).
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Config<'a> {
    spec: &'a crate::compose::spec::ComposeFile,
    #[serde(skip)]
    yaml: String,
}

impl std::fmt::Display for Config<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.yaml)
    }
}

/// The machine as the plan needs to know it: this root's volumes, images, boxes.
pub(super) struct Here<'a> {
    ctx: &'a Ctx,
    store: crate::image::store::Store,
}

impl plan::Known for Here<'_> {
    fn volume_exists(&self, name: &str) -> bool {
        crate::volume::exists(&self.ctx.root, name)
    }
    fn image_exists(&self, name: &str) -> bool {
        self.store.image(name).is_ok()
    }
    fn entrypoint(&self, image: &str) -> Vec<String> {
        let record = self.store.image(image).ok();
        record.and_then(|r| r.run_config().and_then(|c| c.entrypoint().clone())).unwrap_or_default()
    }
    fn image_layers(&self, image: &str) -> Option<Vec<String>> {
        self.store.image(image).ok().map(|r| r.layers)
    }
    fn replicas(&self, project: &str, service: &str) -> Vec<u32> {
        down::replica_numbers(&self.ctx.root, project, service).into_iter().map(|(n, _)| n).collect()
    }
}

pub(super) fn here(ctx: &Ctx) -> Here<'_> {
    Here { ctx, store: crate::image::store::Store::at(&ctx.root) }
}

fn unknown_services(p: &Project, names: &[String]) -> Result<()> {
    match names.iter().find(|s| !p.services.contains_key(*s)) {
        Some(s) => Err(UsageError::ComposeNoService {
            service: format!("{s:?}"),
            file: p.file.clone(),
            services: p.services.keys().cloned().collect::<Vec<_>>().join(", "),
        }
        .into()),
        None => Ok(()),
    }
}

/// An image no service can build must be there before anything is made.
fn refuse_missing_images(p: &Project, known: &Here) -> Result<()> {
    use plan::Known;
    match p.services.values().find(|s| s.build.is_none() && !known.image_exists(&s.image)) {
        Some(s) => Err(UsageError::ComposeImageMissing {
            service: s.name.clone(),
            image: format!("{:?}", s.image),
            bare: s.image.clone(),
        }
        .into()),
        None => Ok(()),
    }
}

/// Prints the plan for --dry-run (true: stop there) and --explain.
fn show(plan: &plan::UpPlan, ctx: &Ctx) -> bool {
    if ctx.dry_run || ctx.explain {
        crate::output::text(&plan.render());
    }
    if ctx.dry_run {
        say!("{}", crate::i18n::tr!("step-dry-run"));
    }
    ctx.dry_run
}

fn up(p: &Project, services: &[String], build: bool, ctx: &Ctx) -> Result<u8> {
    unknown_services(p, services)?;
    let known = here(ctx);
    refuse_missing_images(p, &known)?;
    let plan = plan::up(p, services, &[], &plan::Facts { known: &known, build });
    let steps = Steps::new(&ctx.root, ctx.explain, "up", &p.name)?;
    let rollout = Rollout { root: &ctx.root, project: p, known: &known, steps: &steps };
    if ctx.dry_run || ctx.explain {
        let planned = update::pending(&ctx.root, p, services, &known);
        let updates: String = planned.iter().map(|u| rollout.render(u)).collect();
        crate::output::text(&format!("{}{updates}", plan.render()));
    }
    if ctx.dry_run {
        say!("{}", crate::i18n::tr!("step-dry-run"));
        return Ok(0);
    }
    let mut boxes = 0;
    if !plan.builds.is_empty() {
        crate::compose::keep::before_build(&ctx.root, p, services);
    }
    if plan.count() > 0 {
        up::run(&ctx.root, p, &plan, &steps)?;
        boxes = plan.waves.iter().flatten().count();
    } else {
        // Its supervisor again, should it have been killed (a rolling update waits on it).
        crate::compose::supervisor::resume(&ctx.root, &p.name)?;
    }
    // After the builds: a service built again under its name is out of date too.
    let pending = update::pending(&ctx.root, p, services, &known);
    let updated = pending.iter().try_for_each(|u| rollout.run(u));
    for s in p.services.values().filter(|s| s.build.is_some()) {
        crate::compose::keep::forget_unused(&ctx.root, s, &steps);
    }
    updated?;
    ctx.show(Changed { steps: Some(plan.count()), updated: pending.len(), ..Changed::new(&p.name, "up", boxes) })
}

fn exec(p: &Project, service: &str, argv: &[String], ctx: &Ctx) -> Result<u8> {
    unknown_services(p, &[service.to_string()])?;
    // The lowest-numbered replica (not always 1: a rolling update numbers on).
    let Some((_, name)) = down::replica_numbers(&ctx.root, &p.name, service).into_iter().next() else {
        return Err(UsageError::ComposeServiceNoBox { service: service.into() }.into());
    };
    let runner = crate::daemon::steps::Runner::new(&ctx.root, ctx.explain)
        .map_err(|e| ComposeError::Failed(format!("glassbox itself: {e}")))?;
    let args: Vec<String> =
        ["exec".to_string(), name, "--".to_string()].into_iter().chain(argv.iter().cloned()).collect();
    let status = runner
        .command(&args, None, None)
        .status()
        .map_err(|e| ComposeError::Failed(format!("cannot start glassbox exec: {e}")))?;
    Ok(status.code().map(|c| c as u8).unwrap_or(1))
}

fn scale(p: &Project, targets: &[String], ctx: &Ctx) -> Result<u8> {
    let mut wanted = vec![];
    for t in targets {
        let parsed =
            t.split_once('=').and_then(|(s, n)| n.parse::<u32>().ok().filter(|n| *n <= 20).map(|n| (s.to_string(), n)));
        let Some((service, n)) = parsed else {
            return Err(UsageError::ComposeScaleInvalid { text: format!("{t:?}") }.into());
        };
        unknown_services(p, std::slice::from_ref(&service))?;
        wanted.push((service, n));
    }
    let only: Vec<String> = wanted.iter().map(|(s, _)| s.clone()).collect();
    let plan = plan::up(p, &only, &wanted, &plan::Facts { known: &here(ctx), build: false });
    let extra: Vec<String> = wanted.iter().flat_map(|(s, n)| down::extra_replicas(&ctx.root, &p.name, s, *n)).collect();
    // A replica that goes drains first: its pool sends it nothing new, and what it has finishes.
    let drains: Vec<Vec<String>> = extra.iter().flat_map(|b| crate::compose::pool_drains(&ctx.root, b)).collect();
    if show(&plan, ctx) {
        drains.iter().for_each(|d| say!("  glassbox {}", d.join(" ")));
        extra.iter().for_each(|b| say!("  glassbox rm --force {b}"));
        return Ok(0);
    }
    let steps = Steps::new(&ctx.root, ctx.explain, "scale", &p.name)?;
    up::run(&ctx.root, p, &plan, &steps)?;
    for d in &drains {
        steps.step(&d[3], d)?;
    }
    down::remove(&steps, &extra)?;
    hosts::refresh(&ctx.root, &p.name);
    let count = |s: &str| {
        BoxRecord::load_all(&ctx.root)
            .iter()
            .filter(|r| r.project.as_deref() == Some(&p.name) && hosts::service_of(&p.name, &r.name) == s)
            .count()
    };
    let services = wanted.iter().map(|(s, _)| (s.clone(), count(s))).collect();
    ctx.show(Changed { services, ..Changed::new(&p.name, "scale", 0) })
}
