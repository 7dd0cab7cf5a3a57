//! What each instruction does to the image so far. FROM loads the base;
//! RUN (`run_step`), COPY and ADD make layers; the others change the config
//! and add a history entry marked `empty_layer`.

use super::cache::{Cache, key};
use super::copy::CopyRequest;
use super::dockerfile::{Command, Instruction, Kind};
use super::stage::{Builder, Stage, words_of};
use super::{Event, words};
use crate::error::{Error, Result, UsageError};
use crate::image::config::{self, Config, ImageConfiguration};
use std::collections::BTreeMap;

/// A line the Dockerfile's own rules refuse, with why (a word's, a user's).
fn line_invalid(inst: &Instruction, reason: impl std::fmt::Display) -> Error {
    UsageError::LineInvalid { line: inst.line, col: inst.col, reason: reason.to_string() }.into()
}

/// Checks the Dockerfile as a whole before any step runs: one FROM (after
/// global ARGs only), no stages, no more layers than a box can stack, no
/// variable used before the ARG that declares it. Returns where FROM is.
pub(super) fn check_whole(b: &Builder, all: &[Instruction], file: &str) -> Result<usize> {
    let from = all
        .iter()
        .position(|i| i.kind == Kind::From)
        .ok_or_else(|| Error::from(UsageError::DockerfileNoFrom { file: file.into() }))?;
    if let Some(i) = all[..from].iter().find(|i| i.kind != Kind::Arg) {
        return Err(UsageError::BeforeFrom { line: i.line, col: i.col, keyword: i.keyword.to_string() }.into());
    }
    if let Some(i) = all[from + 1..].iter().find(|i| i.kind == Kind::From) {
        return Err(UsageError::SecondFrom { line: i.line, col: i.col }.into());
    }
    let head = &all[from];
    let from_words: Vec<&str> = head.args.split_whitespace().collect();
    if from_words.len() > 1 {
        return Err(UsageError::FromStage { line: head.line, col: head.col }.into());
    }
    let layers = all.iter().filter(|i| i.kind.makes_layer()).count();
    if layers > crate::state::stack::MAX_LAYERS {
        let max = crate::state::stack::MAX_LAYERS;
        return Err(UsageError::TooManyBuildLayers { file: file.into(), layers, max }.into());
    }
    // ARG used before it is declared: a `$NAME` whose ARG comes later.
    let arg_line: BTreeMap<String, &Instruction> = all
        .iter()
        .filter(|i| i.kind == Kind::Arg)
        .rev()
        .map(|i| (i.args.split(['=', ' ']).next().unwrap_or("").to_string(), i))
        .collect();
    let mut declared: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    if let Ok(img) = b.store.image(head.args.trim()) {
        declared.extend(img.run_config().and_then(|c| c.env().clone()).unwrap_or_default().iter().map(|e| env_name(e)));
    }
    for inst in all {
        for name in words::referenced(&inst.args) {
            if let Some(arg) = arg_line.get(&name).filter(|a| a.line > inst.line && !declared.contains(&name)) {
                let (line, col, arg_line) = (inst.line, inst.col, arg.line);
                return Err(UsageError::ArgUsedEarly { line, col, name, arg_line }.into());
            }
        }
        match inst.kind {
            Kind::Arg => declared.extend(inst.args.split(['=', ' ']).next().map(String::from)),
            Kind::Env => declared.extend(inst.args.split_whitespace().map(env_name)),
            _ => {}
        }
    }
    Ok(from)
}

fn env_name(pair: &str) -> String {
    pair.split('=').next().unwrap_or("").to_string()
}

/// An ARG before FROM: in scope for FROM only (Docker's rule).
pub(super) fn global_arg(b: &mut Builder, inst: &Instruction) -> Result<()> {
    declare_args(b, inst, &Stage::empty())
}

fn declare_args(b: &mut Builder, inst: &Instruction, stage: &Stage) -> Result<()> {
    let vars = b.lookup(stage);
    let pairs = words::pairs(&inst.args, &vars, false).map_err(|e| line_invalid(inst, e.reason))?;
    drop(vars);
    for (name, default) in pairs {
        let given = b.req.build_args.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
        if given.is_some() {
            b.used_args.insert(name.clone());
        }
        if let Some(value) = given.or(default) {
            b.args.insert(name, value);
        } else {
            b.args.remove(&name);
        }
    }
    Ok(())
}

impl Stage {
    pub(super) fn empty() -> Stage {
        Stage {
            base: "scratch".into(),
            layers: vec![],
            config: ImageConfiguration::default(),
            shell: vec!["/bin/sh".into(), "-c".into()],
            cmd_set: false,
        }
    }

    fn with_config(mut self, change: impl FnOnce(&mut Config)) -> Stage {
        let mut c = self.run_config();
        change(&mut c);
        self.config.set_config(Some(c));
        self
    }

    pub(super) fn with_history(mut self, created_by: &str, layer: bool) -> Stage {
        let mut history = self.config.history().clone().unwrap_or_default();
        history.push(config::history(created_by, !layer, None));
        self.config.set_history(Some(history));
        self
    }
}

/// One step: its stage after it, its cache key, and whether it came from the cache.
pub(super) fn step(
    b: &mut Builder,
    inst: &Instruction,
    before: Option<&Stage>,
    parent: &str,
    id: usize,
    cache: &Cache,
) -> Result<(Stage, String, bool)> {
    let empty = Stage::empty();
    let stage = before.unwrap_or(&empty);
    if inst.kind == Kind::Arg {
        declare_args(b, inst, stage)?;
    }
    // What the step depends on, as resolved now: the cache key.
    let resolved = match inst.kind {
        Kind::Run | Kind::Cmd | Kind::Entrypoint | Kind::Shell | Kind::Healthcheck => inst.text(),
        _ => format!("{} {}", inst.keyword, words_of(b, stage, inst)?.join(" ")),
    };
    let mut parts = vec![resolved.clone()];
    if inst.kind == Kind::Run {
        parts.push(b.args.iter().map(|(k, v)| format!("{k}={v}\n")).collect());
    }
    if inst.kind == Kind::From {
        let image = from_image(b, inst, stage)?;
        // Through a Value: its maps are sorted, so the text is the same each time.
        parts.push(serde_json::to_value(&image).map(|v| v.to_string()).unwrap_or_default());
    }
    let mut copied = None;
    if matches!(inst.kind, Kind::Copy | Kind::Add) {
        let (digest, tar) = super::run_step::copy_layer(b, inst, stage)?;
        parts.push(digest);
        copied = Some(tar);
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let step_key = key(parent, &parts);
    if !b.req.no_cache {
        if let Some(found) = cache.find(&step_key, &b.store) {
            if let Some(tar) = copied {
                tar.discard();
            }
            return Ok((found, step_key, true));
        }
    }
    let next = match inst.kind {
        Kind::From => from_image(b, inst, stage)?,
        Kind::Run => super::run_step::run(b, inst, stage, id)?,
        Kind::Copy | Kind::Add => {
            let layer = copied.expect("made above").register(b, &resolved)?;
            (b.report)(Event::Note { id, text: format!("layer {} committed", crate::model::format::short(&layer)) });
            let mut next = stage.clone();
            next.layers.push(layer);
            next.with_history(&resolved, true)
        }
        _ => config_only(b, inst, stage.clone(), &resolved)?,
    };
    Ok((next, step_key, false))
}

/// The image FROM names: its layers and config (`scratch`: none).
fn from_image(b: &Builder, inst: &Instruction, stage: &Stage) -> Result<Stage> {
    let name = words_of(b, stage, inst)?.join(" ");
    if name == "scratch" {
        return Ok(Stage::empty());
    }
    let local = crate::image::pick::name_of_reference(&name).unwrap_or_else(|| name.clone());
    let image = match b.store.image(&local) {
        Ok(i) if crate::state::names::validate("image", &local).is_ok() => i,
        _ => {
            let there: Vec<String> = b.store.images().into_iter().map(|i| i.name).collect();
            let images = if there.is_empty() { crate::i18n::tr!("term-none") } else { there.join(", ") };
            let (line, col, name) = (inst.line, inst.col, name.to_string());
            return Err(UsageError::FromNoImage { line, col, name, images }.into());
        }
    };
    let mut config = image.config.clone().unwrap_or_default();
    config.set_history(Some(config::history_of(&b.store, &image)));
    Ok(Stage { base: local, layers: image.layers, config, shell: Stage::empty().shell, cmd_set: false })
}

/// A command in exec form as is; in shell form under the SHELL.
pub(super) fn argv(stage: &Stage, command: Command) -> Vec<String> {
    match command {
        Command::Exec(v) => v,
        Command::Shell(text) => stage.shell.iter().cloned().chain([text]).collect(),
    }
}

fn config_only(b: &Builder, inst: &Instruction, stage: Stage, resolved: &str) -> Result<Stage> {
    let w = || words_of(b, &stage, inst);
    let next = match inst.kind {
        Kind::Env => {
            let vars = b.lookup(&stage);
            let pairs = words::pairs(&inst.args, &vars, true).map_err(|e| line_invalid(inst, e.reason))?;
            drop(vars);
            let mut env = stage.env();
            for (k, v) in pairs {
                let v = v.ok_or_else(|| UsageError::EnvNoValue { line: inst.line, col: inst.col, key: k.clone() })?;
                env.retain(|e| env_name(e) != k);
                env.push(format!("{k}={v}"));
            }
            stage.with_config(|c| {
                c.set_env(Some(env));
            })
        }
        Kind::Arg => stage,
        Kind::Label => {
            let vars = b.lookup(&stage);
            let pairs = words::pairs(&inst.args, &vars, true).map_err(|e| line_invalid(inst, e.reason))?;
            drop(vars);
            stage.with_config(|c| {
                let mut labels = c.labels().clone().unwrap_or_default();
                labels.extend(pairs.into_iter().map(|(k, v)| (k, v.unwrap_or_default())));
                c.set_labels(Some(labels));
            })
        }
        Kind::Expose => {
            let ports = w()?.into_iter().map(|p| port(inst, &p)).collect::<Result<Vec<_>>>()?;
            stage.with_config(|c| {
                let mut all = c.exposed_ports().clone().unwrap_or_default();
                all.extend(ports.into_iter().filter(|p| !all.contains(p)).collect::<Vec<_>>());
                c.set_exposed_ports(Some(all));
            })
        }
        Kind::Volume => {
            let vols = match inst.command() {
                Command::Exec(v) => v,
                Command::Shell(_) => w()?,
            };
            stage.with_config(|c| {
                let mut all = c.volumes().clone().unwrap_or_default();
                all.extend(vols);
                c.set_volumes(Some(all));
            })
        }
        Kind::Workdir => {
            let dir = w()?.join(" ");
            let base = stage.run_config().working_dir().clone().unwrap_or_else(|| "/".into());
            let dir = absolute(&base, &dir);
            stage.with_config(|c| {
                c.set_working_dir(Some(dir));
            })
        }
        Kind::User => {
            let user = w()?.join(" ");
            stage.with_config(|c| {
                c.set_user(Some(user));
            })
        }
        Kind::Cmd => {
            let cmd = argv(&stage, inst.command());
            let mut next = stage.with_config(|c| {
                c.set_cmd(Some(cmd));
            });
            next.cmd_set = true;
            next
        }
        Kind::Entrypoint => {
            let ep = argv(&stage, inst.command());
            let keep_cmd = stage.cmd_set;
            // Docker's rule: an ENTRYPOINT drops a CMD the base image set.
            stage.with_config(|c| {
                c.set_entrypoint(Some(ep));
                if !keep_cmd {
                    c.set_cmd(None);
                }
            })
        }
        Kind::Shell => match inst.command() {
            Command::Exec(v) if !v.is_empty() => Stage { shell: v, ..stage },
            _ => return Err(UsageError::ShellNotJson { line: inst.line, col: inst.col }.into()),
        },
        Kind::StopSignal => {
            let sig = w()?.join(" ");
            stage.with_config(|c| {
                c.set_stop_signal(Some(sig));
            })
        }
        Kind::Maintainer => {
            let mut s = stage;
            s.config.set_author(Some(inst.args.clone()));
            s
        }
        // Recorded in the history; glassbox has no health monitor to run it.
        Kind::Healthcheck => stage,
        Kind::From | Kind::Run | Kind::Copy | Kind::Add => unreachable!("handled by step"),
    };
    Ok(next.with_history(resolved, false))
}

/// `80`, `80/tcp`, `53/udp` as the config writes it.
fn port(inst: &Instruction, p: &str) -> Result<String> {
    let (num, proto) = p.split_once('/').unwrap_or((p, "tcp"));
    let ok = num.parse::<u16>().is_ok_and(|n| n > 0) && ["tcp", "udp", "sctp"].contains(&proto);
    ok.then(|| format!("{num}/{proto}"))
        .ok_or_else(|| UsageError::ExposeInvalid { line: inst.line, col: inst.col, port: p.to_string() }.into())
}

/// `dir` made absolute against `base` (WORKDIR, COPY's destination); `..`
/// stops at `/`. A trailing `/` is kept.
pub(super) fn absolute(base: &str, dir: &str) -> String {
    let joined = if dir.starts_with('/') { dir.to_string() } else { format!("{base}/{dir}") };
    let mut parts: Vec<&str> = vec![];
    for c in joined.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let trailing = if dir.ends_with('/') && !parts.is_empty() { "/" } else { "" };
    format!("/{}{trailing}", parts.join("/"))
}

/// COPY's request, for `run_step::copy_layer`.
pub(super) fn copy_request<'a>(b: &'a Builder, inst: &Instruction, stage: &Stage) -> Result<CopyRequest<'a>> {
    if let Some((_, from)) = inst.flags.iter().find(|(k, _)| k == "from") {
        return Err(UsageError::CopyFromStage { line: inst.line, col: inst.col, from: from.clone() }.into());
    }
    let mut all = match inst.command() {
        Command::Exec(v) => v,
        Command::Shell(_) => words_of(b, stage, inst)?,
    };
    if all.len() < 2 {
        let keyword = inst.keyword.to_string();
        return Err(UsageError::CopyNeedsTwo { line: inst.line, col: inst.col, keyword }.into());
    }
    let dest_word = all.pop().expect("two or more");
    let workdir = stage.run_config().working_dir().clone().unwrap_or_else(|| "/".into());
    let owner = match inst.flags.iter().find(|(k, _)| k == "chown") {
        Some((_, spec)) => {
            let read = |p: &str| super::run_step::read_in_stage(b, stage, p);
            let (ids, _) = config::resolve_user(spec, &read).map_err(|e| line_invalid(inst, e))?;
            Some((ids.uid, ids.gid))
        }
        None => None,
    };
    let chmod = match inst.flags.iter().find(|(k, _)| k == "chmod") {
        Some((_, m)) => {
            Some(u32::from_str_radix(m, 8).ok().filter(|m| *m <= 0o7777).ok_or_else(|| UsageError::ChmodInvalid {
                line: inst.line,
                col: inst.col,
                mode: m.clone(),
            })?)
        }
        None => None,
    };
    Ok(CopyRequest {
        context: &b.context,
        ignore: &b.ignore,
        sources: all,
        dest: absolute(&workdir, &dest_word),
        owner,
        chmod,
        extract_tars: inst.kind == Kind::Add,
        what: format!("Dockerfile:{}:{}: {}", inst.line, inst.col, inst.keyword),
    })
}
