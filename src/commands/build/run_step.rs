//! The steps that make layers. RUN: a box made by glassbox's own steps,
//! its command run, its container layer committed as `commit` does, the box
//! removed (also when the command fails). COPY and ADD: a layer tar
//! written from the context, then added to the store like any archive.

use super::dockerfile::{Instruction, Kind};
use super::instructions::{argv, copy_request};
use super::stage::{Builder, Stage};
use super::{BuildError, Event};
use crate::commands::{create, rm, rootfs, run, unshare};
use crate::error::{Error, Result};
use crate::image::config::{self, Overrides};
use crate::image::view::LayerView;
use crate::stage::{NamespaceKind, UnshareRequest};
use std::path::PathBuf;
use std::time::Instant;

/// A box a step made: removed when dropped, whatever happened.
struct StepBox<'a> {
    ctx: &'a crate::commands::Ctx,
    name: String,
}

impl Drop for StepBox<'_> {
    fn drop(&mut self) {
        if let Err(e) = rm::remove_box(self.ctx, &self.name) {
            crate::output::say_err!(
                "glassbox: build box {} not removed: {e}; glassbox rm --force {}",
                self.name,
                self.name
            );
        }
    }
}

/// The box's name: unique to this build and step.
fn box_name(b: &Builder) -> String {
    format!("build-{}-{}", std::process::id(), b.step)
}

/// As typed by hand, for the box's history.
fn typed(words: &[&str]) -> Vec<String> {
    std::iter::once("glassbox").chain(words.iter().copied()).map(String::from).collect()
}

pub(super) fn run(b: &mut Builder, inst: &Instruction, stage: &Stage, id: usize) -> Result<Stage> {
    if stage.layers.is_empty() {
        return Err(crate::error::UsageError::RunNeedsFiles { line: inst.line, col: inst.col }.into());
    }
    let argv = argv(stage, inst.command());
    let name = box_name(b);
    let ctx = b.ctx;
    create::make(&name, ctx, typed(&["create", &name]))?;
    let step_box = StepBox { ctx, name: name.clone() };
    let req = UnshareRequest {
        kinds: [NamespaceKind::Pid, NamespaceKind::Mnt, NamespaceKind::Uts, NamespaceKind::Ipc].into(),
        hostname: Some("buildbox".into()),
        ..Default::default()
    };
    unshare::unshare(
        &name,
        &req,
        ctx,
        typed(&["unshare", &name, "pid", "mnt", "uts", "ipc", "--hostname", "buildbox"]),
    )?;
    let base = rootfs::Base { layers: &stage.layers, label: &stage.base, config: None };
    let Some(record) = rootfs::mount(&name, &b.store, base, ctx, typed(&["rootfs", &name, &stage.base]))? else {
        return Ok(stage.clone());
    };
    (b.report)(Event::Note {
        id,
        text: format!("box {name}: created, unshare pid mnt uts ipc, rootfs of {} layer(s)", stage.layers.len()),
    });
    // The build's ARGs are in the command's environment, under its ENVs.
    let mut config = stage.run_config();
    let args: Vec<String> = b.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
    config.set_env(Some(args.into_iter().chain(stage.env()).collect()));
    let read = |p: &str| run::read_in_box(ctx, &record, p);
    let process = config::process(Some(&config), &Overrides::default(), &read)
        .map_err(|e| crate::error::UsageError::LineInvalid { line: inst.line, col: inst.col, reason: e.to_string() })?;
    let started = Instant::now();
    let mut typed_run = typed(&["run", &name, "--"]);
    typed_run.extend(argv.iter().cloned());
    let report = &mut b.report;
    let code = run::run_piped(ctx, &name, &argv, &process, typed_run, &mut |line| {
        report(Event::Output { id, since: started.elapsed(), line: line.to_string() })
    })?;
    if code != 0 {
        return Err(Error::Build(BuildError::RunFailed {
            step: format!("{}/{}", b.step, b.total),
            line: format!("Dockerfile:{}: {}", inst.line, inst.text()),
            code,
        }));
    }
    let (upper, _) = ctx.root.container_layer(&name);
    let changed = crate::sys::tree::count(&upper).0 > 0;
    let created_by = inst.text();
    let next = if changed {
        let layer = crate::image::commit::layer_of(&ctx.root, &b.store, &name, &created_by)?;
        (b.report)(Event::Note {
            id,
            text: format!("layer {} committed from box {name}", crate::model::format::short(&layer.digest)),
        });
        let mut next = stage.clone();
        next.layers.push(layer.digest);
        next.with_history(&created_by, true)
    } else {
        (b.report)(Event::Note { id, text: "no file changed: no layer (empty_layer in the history)".into() });
        stage.clone().with_history(&created_by, false)
    };
    drop(step_box);
    (b.report)(Event::Note { id, text: format!("box {name} removed") });
    Ok(next)
}

/// A file of the image so far, for `COPY --chown=name`.
pub(super) fn read_in_stage(b: &Builder, stage: &Stage, path: &str) -> Option<String> {
    let trees: Vec<PathBuf> = stage.layers.iter().rev().map(|d| b.store.layer_tree(d)).collect();
    let bytes = LayerView::open(&trees).read_file(std::path::Path::new(path), 1 << 20)?;
    String::from_utf8(bytes).ok()
}

/// A COPY/ADD layer tar written into the store's scratch, not yet added.
pub(super) struct CopiedTar {
    dir: PathBuf,
}

impl CopiedTar {
    /// Not needed (the cache had the step).
    pub fn discard(self) {}

    /// Adds the tar to the store as a layer; its digest.
    pub fn register(self, b: &Builder, source: &str) -> Result<String> {
        let path = self.dir.join("layer.tar");
        let file = std::fs::File::open(&path).map_err(|e| crate::state::StateError::io(&path, e))?;
        let limits = crate::image::extract::Limits::own_tree();
        let (meta, _) = b.store.add_layer(std::io::BufReader::new(file), source, &limits, &mut |_| {})?;
        Ok(meta.digest)
    }
}

impl Drop for CopiedTar {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes a COPY/ADD's layer tar; the digest of what it copies.
pub(super) fn copy_layer(b: &Builder, inst: &Instruction, stage: &Stage) -> Result<(String, CopiedTar)> {
    debug_assert!(matches!(inst.kind, Kind::Copy | Kind::Add));
    let req = copy_request(b, inst, stage)?;
    let tar = CopiedTar { dir: b.store.scratch_dir("copy")? };
    let path = tar.dir.join("layer.tar");
    let file = std::fs::File::create(&path).map_err(|e| crate::state::StateError::io(&path, e))?;
    let copied = super::copy::write_layer(&req, std::io::BufWriter::new(file)).map_err(|e| match e {
        super::copy::CopyError::Usage(u) => Error::Usage(u),
        super::copy::CopyError::Sys(s) => Error::Sys(s),
        super::copy::CopyError::Io { path, source } => crate::state::StateError::io(path, source).into(),
    })?;
    let owner = format!("{:?} {:?}", req.owner, req.chmod);
    Ok((format!("{} {owner}", copied.digest), tar))
}
