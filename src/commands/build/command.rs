//! `build`: the Dockerfile front door on the command line. The builder is
//! the module above; this prints its events as BuildKit's plain progress
//! does (`#3 [2/6] COPY app.sh /app/`, the RUN's output, `#3 DONE 0.2s`
//! or `#3 CACHED`), or one JSON object per event with --json.

use super::{BuildRequest, Event};
use crate::cli::BuildArgs;
use crate::commands::Ctx;
use crate::error::{Result, UsageError};
use crate::output::outcome::Said;
use crate::output::say;

pub fn run(args: &BuildArgs, ctx: &Ctx) -> Result<u8> {
    let req = request(args)?;
    if ctx.dry_run {
        let text = std::fs::read_to_string(req.dockerfile.clone().unwrap_or_else(|| req.context.join("Dockerfile")))
            .map_err(|e| UsageError::DockerfileUnreadable { reason: e.to_string() })?;
        let parsed = super::dockerfile::parse(&text)
            .map_err(|err| super::BuildError::Syntax { file: "Dockerfile".into(), err })?;
        for (k, i) in parsed.instructions.iter().enumerate() {
            let does = match i.kind {
                k if k.makes_layer() && k == super::dockerfile::Kind::Run => {
                    "a box (create, unshare pid mnt uts ipc, rootfs), the command, its container layer committed"
                }
                k if k.makes_layer() => "a layer from the build context",
                _ => "the config only",
            };
            say!("[{}/{}] {}  -> {does}", k + 1, parsed.instructions.len(), i.text());
        }
        say!("{}", crate::i18n::tr!("build-dry-run"));
        return Ok(0);
    }
    // Each step is printed as it happens (a JSON line each with --json): a
    // build streams; the built image is the value `Ctx::show` prints last.
    let json = ctx.json;
    let mut print = |e: Event| if json { print_json(&e) } else { print_plain(&e) };
    let built = super::build(ctx, &req, &mut print)?;
    let said = format!(
        "image {}: {} layer(s), {} of {} steps from the cache; see `glassbox image history {}`",
        built.image.name,
        built.image.layers.len(),
        built.cached,
        built.steps,
        built.image.name
    );
    let value = serde_json::json!({"image": built.image, "cached": built.cached, "steps": built.steps});
    ctx.show(Said::new(value, said))
}

fn request(args: &BuildArgs) -> Result<BuildRequest> {
    let name = match &args.tag {
        Some(t) => crate::image::pick::name_of_reference(t).filter(|_| t.contains(':')).unwrap_or_else(|| t.clone()),
        None => default_name(&args.context),
    };
    let build_args = args
        .build_args
        .iter()
        .map(|a| match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(UsageError::BuildArgInvalid { value: format!("{a:?}") }.into()),
        })
        .collect::<Result<_>>()?;
    Ok(BuildRequest {
        context: args.context.clone(),
        dockerfile: args.file.clone(),
        name,
        no_cache: args.no_cache,
        build_args,
        force: args.force,
    })
}

/// The context folder's name as an image name.
fn default_name(context: &std::path::Path) -> String {
    let dir = std::fs::canonicalize(context).unwrap_or(context.to_path_buf());
    let base = dir.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let clean: String =
        base.chars().map(|c| if c.is_ascii_alphanumeric() || "_.-".contains(c) { c } else { '-' }).collect();
    let clean = clean.trim_start_matches(['-', '.', '_']).chars().take(63).collect::<String>();
    if clean.is_empty() { "built".into() } else { clean }
}

fn print_plain(e: &Event) {
    match e {
        Event::Start { id, name } => {
            say!();
            say!("#{id} {name}");
        }
        Event::Output { id, since, line } => say!("#{id} {:.3} {line}", since.as_secs_f64()),
        Event::Note { id, text } => say!("#{id} {text}"),
        Event::Done { id, took } => say!("#{id} DONE {:.1}s", took.as_secs_f64()),
        Event::Cached { id } => say!("#{id} CACHED"),
        Event::Error { id, took, message } => say!("#{id} ERROR {:.1}s: {message}", took.as_secs_f64()),
    }
}

/// An event as one line of JSON: progress, on stderr, for stdout carries
/// the build's one answer.
fn print_json(e: &Event) {
    let v = match e {
        Event::Start { id, name } => serde_json::json!({"id": id, "start": name}),
        Event::Output { id, since, line } => {
            serde_json::json!({"id": id, "since": since.as_secs_f64(), "output": line})
        }
        Event::Note { id, text } => serde_json::json!({"id": id, "note": text}),
        Event::Done { id, took } => serde_json::json!({"id": id, "done": took.as_secs_f64()}),
        Event::Cached { id } => serde_json::json!({"id": id, "cached": true}),
        Event::Error { id, took, message } => {
            serde_json::json!({"id": id, "error": message, "took": took.as_secs_f64()})
        }
    };
    crate::output::progress!("{v}");
}
