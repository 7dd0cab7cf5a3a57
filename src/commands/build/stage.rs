//! The build loop: the Dockerfile read and checked as a whole before any
//! step runs, then each instruction from the cache or built, then the image
//! saved under its name.

use super::cache::Cache;
use super::dockerfile::{self, Instruction, Kind};
use super::ignore::Ignore;
use super::{BuildError, BuildRequest, Built, Event, Report, words};
use crate::commands::Ctx;
use crate::error::Result;
use crate::error::UsageError;
use crate::image::config::{Config, ImageConfiguration};
use crate::image::{ImageRecord, Store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The image so far: what a step starts from and what it leaves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stage {
    /// The FROM image's name (`scratch` for none).
    pub base: String,
    pub layers: Vec<String>,
    pub config: ImageConfiguration,
    /// SHELL: what a shell-form RUN, CMD or ENTRYPOINT runs under.
    pub shell: Vec<String>,
    /// CMD was set by this Dockerfile (an ENTRYPOINT then keeps it).
    #[serde(default)]
    pub cmd_set: bool,
}

impl Stage {
    pub fn run_config(&self) -> Config {
        self.config.config().clone().unwrap_or_default()
    }

    pub fn env(&self) -> Vec<String> {
        self.config.config().as_ref().and_then(|c| c.env().clone()).unwrap_or_default()
    }
}

/// A variable lookup: ENV, then ARG.
pub(super) type Vars<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// What the steps share while a build runs.
pub(super) struct Builder<'a> {
    pub ctx: &'a Ctx,
    pub store: Store,
    pub req: &'a BuildRequest,
    pub context: PathBuf,
    pub ignore: Ignore,
    /// The ARGs in scope and their values.
    pub args: BTreeMap<String, String>,
    /// `--build-arg`s an ARG used.
    pub used_args: BTreeSet<String>,
    pub report: Report<'a>,
    pub next_id: usize,
    /// The number of the step (for its box's name) and of all steps.
    pub step: usize,
    pub total: usize,
}

impl Builder<'_> {
    /// A variable's value as a step sees it: ENV over ARG.
    pub fn lookup(&self, stage: &Stage) -> Vars<'_> {
        let env = stage.env();
        Box::new(move |name: &str| {
            let from_env = env.iter().rev().find_map(|p| p.strip_prefix(name)?.strip_prefix('=').map(String::from));
            from_env.or_else(|| self.args.get(name).cloned())
        })
    }

    pub fn start(&mut self, name: String) -> usize {
        self.next_id += 1;
        (self.report)(Event::Start { id: self.next_id, name });
        self.next_id
    }
}

/// Builds the image `req` asks for; reports progress to `report`.
pub fn build(ctx: &Ctx, req: &BuildRequest, report: Report) -> Result<Built> {
    crate::state::names::validate("image", &req.name)?;
    let context = real_context(&req.context)?;
    let file = req.dockerfile.clone().unwrap_or_else(|| context.join("Dockerfile"));
    let store = Store::open(&ctx.root)?;
    refuse_taken(&store, req)?;
    let mut b = Builder {
        ctx,
        store,
        req,
        context: context.clone(),
        ignore: Ignore::default(),
        args: BTreeMap::new(),
        used_args: BTreeSet::new(),
        report,
        next_id: 0,
        step: 0,
        total: 0,
    };
    let t = Instant::now();
    let id = b.start(format!("[internal] load build definition from {}", file_label(&file, &context)));
    let text = read_dockerfile(&file)?;
    let label = file_label(&file, &context);
    let parsed = dockerfile::parse(&text).map_err(|err| BuildError::Syntax { file: label.clone(), err })?;
    for note in &parsed.notes {
        (b.report)(Event::Note { id, text: note.clone() });
    }
    (b.report)(Event::Done { id, took: t.elapsed() });
    let t = Instant::now();
    let id = b.start("[internal] load .dockerignore".into());
    b.ignore = Ignore::parse(&std::fs::read_to_string(context.join(".dockerignore")).unwrap_or_default());
    if let Ok(rel) = file.canonicalize().unwrap_or(file.clone()).strip_prefix(&context) {
        let parts = super::ignore::components(&rel.to_string_lossy());
        if b.ignore.excludes(&parts) {
            return Err(UsageError::DockerignoreHidesDockerfile { file: rel.display().to_string() }.into());
        }
    }
    (b.report)(Event::Done { id, took: t.elapsed() });
    let from = super::instructions::check_whole(&b, &parsed.instructions, &label)?;
    let cache = Cache::open(&ctx.root)?;
    let total = parsed.instructions.len() - from;
    b.total = total;
    let mut stage: Option<Stage> = None;
    let mut parent = String::new();
    let mut comments = vec![];
    let mut cached = 0;
    for inst in &parsed.instructions[..from] {
        super::instructions::global_arg(&mut b, inst)?;
    }
    for (k, inst) in parsed.instructions[from..].iter().enumerate() {
        b.step = k + 1;
        let id = b.start(format!("[{}/{total}] {}", k + 1, inst.text()));
        let t = Instant::now();
        let before = stage.clone();
        let outcome = super::instructions::step(&mut b, inst, before.as_ref(), &parent, id, &cache);
        let (next, step_key, was_cached) = match outcome {
            Ok(done) => done,
            Err(e) => {
                (b.report)(Event::Error { id, took: t.elapsed(), message: e.to_string() });
                return Err(e);
            }
        };
        if was_cached {
            cached += 1;
            (b.report)(Event::Cached { id });
        } else {
            cache.save(&step_key, &next, t.elapsed());
            (b.report)(Event::Done { id, took: t.elapsed() });
        }
        if inst.kind != Kind::From {
            let took = t.elapsed().as_secs_f64();
            comments.push(if was_cached {
                "glassbox build: cached".to_string()
            } else {
                format!("glassbox build: built in {took:.2}s")
            });
        }
        parent = step_key;
        stage = Some(next);
    }
    let unused: Vec<&String> = req.build_args.iter().map(|(k, _)| k).filter(|k| !b.used_args.contains(*k)).collect();
    let stage = stage.expect("check_whole requires a FROM");
    let t = Instant::now();
    let id = b.start("exporting to image".into());
    if !unused.is_empty() {
        let names: Vec<&str> = unused.iter().map(|s| s.as_str()).collect();
        (b.report)(Event::Note { id, text: format!("warning: --build-arg {} not used by any ARG", names.join(", ")) });
    }
    let image = save(&b, stage, comments, &context)?;
    (b.report)(Event::Note { id, text: format!("naming to {} done", image.name) });
    (b.report)(Event::Done { id, took: t.elapsed() });
    Ok(Built { image, cached, steps: total })
}

/// The context folder as the real path it names; it must be a folder.
fn real_context(dir: &Path) -> Result<PathBuf> {
    match std::fs::canonicalize(dir) {
        Ok(p) if p.is_dir() => Ok(p),
        Ok(_) => Err(UsageError::ContextNotFolder { dir: dir.into() }.into()),
        Err(_) => Err(UsageError::ContextMissing { dir: dir.into() }.into()),
    }
}

fn file_label(file: &Path, context: &Path) -> String {
    file.strip_prefix(context).unwrap_or(file).display().to_string()
}

fn read_dockerfile(file: &Path) -> Result<String> {
    let meta = std::fs::metadata(file).map_err(|_| UsageError::DockerfileMissing { file: file.into() })?;
    if meta.len() > dockerfile::MAX_BYTES as u64 {
        let (file, bytes, max) = (file.into(), meta.len(), dockerfile::MAX_BYTES);
        return Err(UsageError::DockerfileTooLarge { file, bytes, max }.into());
    }
    let bytes =
        std::fs::read(file).map_err(|e| UsageError::DockerfileRead { file: file.into(), reason: e.to_string() })?;
    Ok(String::from_utf8(bytes).map_err(|_| UsageError::DockerfileNotText { file: file.into() })?)
}

/// An image of that name that no build made is replaced only with --force.
fn refuse_taken(store: &Store, req: &BuildRequest) -> Result<()> {
    match store.image(&req.name) {
        Ok(old) if !old.source.starts_with("build of ") && !req.force => {
            Err(crate::image::ImageError::NameTaken { name: req.name.clone(), force_flag: true }.into())
        }
        _ => Ok(()),
    }
}

/// Saves the image; the layers of the build it replaces go once unused.
fn save(b: &Builder, stage: Stage, comments: Vec<String>, context: &Path) -> Result<ImageRecord> {
    let mut config = stage.config;
    let mut history = config.history().clone().unwrap_or_default();
    let from = history.len().saturating_sub(comments.len());
    for (h, c) in history[from..].iter_mut().zip(comments) {
        h.set_comment(Some(c));
    }
    config.set_history(Some(history));
    config.rootfs_mut().set_diff_ids(stage.layers.clone());
    config.set_created(Some(crate::image::config::timestamp(crate::state::record::now())));
    let image = ImageRecord {
        name: b.req.name.clone(),
        layers: stage.layers,
        source: format!("build of {}", context.display()),
        created_at: crate::state::record::now(),
        config: Some(config),
    };
    let _lock = b.store.lock()?;
    let replaced: Vec<String> = b.store.image(&image.name).map(|i| i.layers).unwrap_or_default();
    b.store.save_image(&image)?;
    b.store.remove_unused(&replaced);
    Ok(image)
}

/// The words of an instruction's arguments, expanded as the step sees them.
pub(super) fn words_of(b: &Builder, stage: &Stage, inst: &Instruction) -> Result<Vec<String>> {
    let vars = b.lookup(stage);
    words::split(&inst.args, &vars).map_err(|e| {
        crate::error::Error::Build(BuildError::Syntax { file: "Dockerfile".into(), err: inst.error_at(e.at, e.reason) })
    })
}
