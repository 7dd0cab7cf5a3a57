//! `glassbox compose`: read the project, then plan and run its steps.

use super::Ctx;
use crate::cli::compose::{ComposeAction, ComposeArgs};
use crate::compose::changed::Changed;
use crate::compose::project::{self, Project, box_name};
use crate::compose::runner::Steps;
use crate::compose::{ComposeError, down, hosts, plan, up};
use crate::error::{Result, UsageError};
use crate::output::say;
use crate::state::BoxRecord;
use crate::state::health::{Health, Status};

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
        ComposeAction::Ps => ps(&load()?, ctx),
        ComposeAction::Logs { follow, service } => super::compose_logs::logs(&load()?, service.as_deref(), follow, ctx),
        ComposeAction::Exec { service, argv } => exec(&load()?, &service, &argv, ctx),
        ComposeAction::Scale { targets } => scale(&load()?, &targets, ctx),
    }
}

fn config(p: &Project, ctx: &Ctx) -> Result<u8> {
    if ctx.json {
        ctx.print_json(&p.spec);
    } else {
        let text =
            serde_norway::to_string(&p.spec).map_err(|e| ComposeError::Failed(format!("print the file: {e}")))?;
        crate::output::text(&format!("name: {}\n{text}", p.name));
    }
    Ok(0)
}

/// The machine as the plan needs to know it: this root's volumes, images, boxes.
struct Here<'a> {
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
    fn box_exists(&self, name: &str) -> bool {
        self.ctx.root.record_path(name).exists()
    }
}

fn here(ctx: &Ctx) -> Here<'_> {
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
        say!("(dry run: nothing was changed)");
    }
    ctx.dry_run
}

fn up(p: &Project, services: &[String], build: bool, ctx: &Ctx) -> Result<u8> {
    unknown_services(p, services)?;
    let known = here(ctx);
    refuse_missing_images(p, &known)?;
    let plan = plan::up(p, services, &[], &plan::Facts { known: &known, build });
    if show(&plan, ctx) {
        return Ok(0);
    }
    if plan.count() == 0 {
        crate::compose::supervisor::resume(&ctx.root, &p.name)?;
        return ctx.show(Changed { steps: Some(0), ..Changed::new(&p.name, "up", 0) });
    }
    let steps = Steps::new(&ctx.root, ctx.explain, "up", &p.name)?;
    up::run(&ctx.root, p, &plan, &steps)?;
    let boxes = plan.waves.iter().flatten().count();
    ctx.show(Changed { steps: Some(plan.count()), ..Changed::new(&p.name, "up", boxes) })
}

#[derive(serde::Serialize)]
struct PsRow {
    name: String,
    service: String,
    state: String,
    image: Option<String>,
    address: Option<String>,
    ports: Vec<String>,
    health: Option<Status>,
    health_output: Option<String>,
    /// Restarts the supervisor made (`restart: on-failure`).
    restarts: Option<u32>,
}

fn ps(p: &Project, ctx: &Ctx) -> Result<u8> {
    let rows: Vec<PsRow> = hosts::members(&ctx.root, &p.name)
        .into_iter()
        .map(|r| {
            let service = hosts::service_of(&p.name, &r.name).to_string();
            let state = r.state();
            let recorded = Health::load(&ctx.root, Some(&p.name), &r.name);
            PsRow {
                service,
                state: state.to_string(),
                image: r.image.clone(),
                address: r.net.as_ref().map(|n| n.address.to_string()),
                ports: r
                    .net
                    .iter()
                    .flat_map(|n| &n.published)
                    .map(|x| format!("127.0.0.1:{}->{}", x.host_port, x.box_port))
                    .collect(),
                health: recorded.as_ref().and_then(|h| h.status),
                health_output: recorded.as_ref().map(|h| h.last_output.clone()).filter(|s| !s.is_empty()),
                restarts: recorded.filter(|h| h.restart_limit.is_some()).map(|h| h.restarts),
                name: r.name,
            }
        })
        .collect();
    if ctx.json {
        ctx.print_json(&rows);
        return Ok(0);
    }
    let mut out = format!(
        "{:<28} {:<12} {:<9} {:<10} {:<8} {:<12} {:<10} PORTS\n",
        "NAME", "SERVICE", "STATE", "HEALTH", "RESTARTS", "ADDRESS", "IMAGE"
    );
    for r in &rows {
        let health = r.health.map(|h| h.to_string()).unwrap_or_else(|| "-".into());
        let restarts = r.restarts.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "{:<28} {:<12} {:<9} {:<10} {:<8} {:<12} {:<10} {}\n",
            r.name,
            r.service,
            r.state,
            health,
            restarts,
            r.address.as_deref().unwrap_or("-"),
            r.image.as_deref().unwrap_or("-"),
            r.ports.join(", ")
        ));
    }
    crate::output::text(&out);
    Ok(0)
}

fn exec(p: &Project, service: &str, argv: &[String], ctx: &Ctx) -> Result<u8> {
    unknown_services(p, &[service.to_string()])?;
    let name = box_name(&p.name, service, 1);
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
        if n > 1 && !p.services[&service].ports.is_empty() {
            return Err(UsageError::ComposeScalePorts { service, n }.into());
        }
        wanted.push((service, n));
    }
    let only: Vec<String> = wanted.iter().map(|(s, _)| s.clone()).collect();
    let plan = plan::up(p, &only, &wanted, &plan::Facts { known: &here(ctx), build: false });
    let extra: Vec<String> = wanted.iter().flat_map(|(s, n)| down::extra_replicas(&ctx.root, &p.name, s, *n)).collect();
    if show(&plan, ctx) {
        extra.iter().for_each(|b| say!("  glassbox rm --force {b}"));
        return Ok(0);
    }
    let steps = Steps::new(&ctx.root, ctx.explain, "scale", &p.name)?;
    up::run(&ctx.root, p, &plan, &steps)?;
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
