use super::work::Made;
use super::{Ctx, work};
use crate::cli::{ImageCommand, ImportArgs};
use crate::error::{Error, Result, UsageError};
use crate::executor::{ApplyOptions, apply};
use crate::i18n::tr;
use crate::image::extract::{ExtractError, Limits, RATIO_LIMIT, SIZE_LIMIT};
use crate::image::import::Pick;
use crate::image::{ImageError, Store};
use crate::model::done::Removed;
use crate::model::format::{human, short};
use crate::output::outcome::Said;
use crate::output::{say, say_err};
use crate::plan::work::WorkHost;
use crate::stage::cgroup::limits::{Limit, parse_bytes};
use crate::state::{BoxRecord, names};

pub fn run(cmd: ImageCommand, ctx: &Ctx) -> Result<u8> {
    // A dry run makes not even the store's folders.
    let store = if ctx.dry_run { Store::at(&ctx.root) } else { Store::open(&ctx.root)? };
    match cmd {
        ImageCommand::Ls => ls(&store, ctx),
        ImageCommand::Busybox { name } => {
            names::validate("image", &name)?;
            let op = WorkHost::BusyboxImage { name: name.clone(), state: ctx.root.state.clone() };
            let Some((_, Made::Busybox { image, applets })) = work::run(ctx, op)? else { return Ok(0) };
            let layer = short(&image.layers[0]);
            ctx.show(Said::new(image, tr!("step-image-busybox", name = name, layer = layer, applets = applets)))
        }
        ImageCommand::FromHost { name, programs } => {
            names::validate("image", &name)?;
            let op = WorkHost::HostProgramsImage { name: name.clone(), programs, state: ctx.root.state.clone() };
            let Some((_, Made::HostPrograms { image, files })) = work::run(ctx, op)? else { return Ok(0) };
            let layer = short(&image.layers[0]);
            let said = Said::new(image, tr!("step-image-from-host", name = name, layer = layer, count = files.len()));
            ctx.show(files.iter().fold(said, |said, f| said.and(format!("  {}", f.display()))))
        }
        ImageCommand::Import(args) => import_file(&store, args, ctx),
        ImageCommand::Inspect { name } => super::image_info::inspect(&store, &name, ctx),
        ImageCommand::History { name } => super::image_info::history(&store, &name, ctx),
        ImageCommand::Export(args) => super::export::image(&store, &args, ctx),
        ImageCommand::Rm { name } => {
            names::validate("image", &name)?;
            let users: Vec<String> = BoxRecord::load_all(&ctx.root)
                .into_iter()
                .filter(|r| r.image.as_deref() == Some(name.as_str()))
                .map(|r| r.name)
                .collect();
            if !users.is_empty() {
                return Err(UsageError::ImageInUse { name, boxes: users.join(" ") }.into());
            }
            let _lock = if ctx.dry_run { None } else { Some(store.lock()?) };
            let plan = crate::plan::Plan::new(store.plan_remove_image(&name)?);
            if ctx.dry_run_shows(&plan) {
                return Ok(0);
            }
            apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() })?;
            ctx.show(Removed::new("image", &name))
        }
    }
}

fn ls(store: &Store, ctx: &Ctx) -> Result<u8> {
    let images = store.images();
    if ctx.json {
        ctx.print_json(&images);
        return Ok(0);
    }
    say!("{:<24} {:>6} {:>12}  SOURCE", "NAME", "LAYERS", "SIZE");
    for i in images {
        let bytes: u64 = i.layers.iter().filter_map(|d| store.layer(d).ok()).map(|l| l.bytes).sum();
        say!("{:<24} {:>6} {:>12}  {}", i.name, i.layers.len(), human(bytes), i.source);
    }
    Ok(0)
}

/// The default image name: the file's stem, lowercased, other characters as `-`.
fn name_from_file(file: &std::path::Path) -> String {
    let stem = file.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = stem.trim_end_matches(".gz").trim_end_matches(".tgz").trim_end_matches(".tar");
    let mut n: String = stem
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "_.-".contains(c) { c } else { '-' })
        .collect();
    n = n.trim_start_matches(['-', '.', '_']).chars().take(63).collect();
    if n.is_empty() { "imported".into() } else { n }
}

fn import_file(store: &Store, args: ImportArgs, ctx: &Ctx) -> Result<u8> {
    let file = args.file.as_path();
    let name = args.name.clone().unwrap_or_else(|| name_from_file(file));
    names::validate("image", &name)?;
    if !file.exists() {
        return Err(UsageError::FileNotFound { path: file.to_path_buf() }.into());
    }
    let pick = match (args.image, args.all) {
        (Some(n), _) => Pick::Number(n),
        (None, true) => Pick::All,
        (None, false) => Pick::Only,
    };
    let limits = limits(&args)?;
    let op = WorkHost::ImportImage {
        file: file.to_path_buf(),
        name,
        named: args.name.is_some(),
        pick,
        force: args.force,
        max_size: limits.max_size,
        max_ratio: limits.max_ratio,
        state: ctx.root.state.clone(),
    };
    let made = work::run(ctx, op).map_err(|e| match e {
        Error::Image(ImageError::Extract(x)) if x.is_invalid_archive() => {
            Error::Image(ImageError::Invalid(format!("invalid archive: {x}{}", how_to_raise(&x))))
        }
        other => other,
    })?;
    let Some((_, Made::Images { images, warnings })) = made else { return Ok(0) };
    for w in &warnings {
        say_err!("warning: {w}");
    }
    if ctx.json {
        match images.as_slice() {
            [one] => ctx.print_json(one),
            all => ctx.print_json(&all),
        }
        return Ok(0);
    }
    for image in &images {
        say!("{}", crate::i18n::tr!("step-image-imported", name = image.name, count = image.layers.len()));
        for d in &image.layers {
            // Read after the store's lock is let go: an import of the same
            // name with --force may have replaced this one since.
            match store.layer(d) {
                Ok(l) => say!("  {} {} files, {}", short(d), l.files, human(l.bytes)),
                Err(_) => say!("  {} (gone: another import replaced image {} since)", short(d), image.name),
            }
        }
    }
    Ok(0)
}

/// The expansion limits, defaults raised by `--max-size` and `--max-ratio`.
fn limits(args: &ImportArgs) -> Result<Limits> {
    let mut limits = Limits::default();
    if let Some(size) = &args.max_size {
        limits.max_size = match parse_bytes("--max-size", size)? {
            Limit::Value(0) => {
                return Err(UsageError::MaxSizeZero {}.into());
            }
            Limit::Value(bytes) => bytes,
            Limit::Max => u64::MAX,
        };
    }
    limits.max_ratio = args.max_ratio.unwrap_or(limits.max_ratio);
    Ok(limits)
}

/// The flag that raises the expansion limit an import ran into.
fn how_to_raise(x: &ExtractError) -> &'static str {
    match x {
        ExtractError::LimitExceeded { limit: SIZE_LIMIT, .. } => {
            "; if the image really is that large, raise it with --max-size SIZE (default 4G)"
        }
        ExtractError::LimitExceeded { limit: RATIO_LIMIT, .. } => {
            " (uncompressed bytes per compressed byte, checked past 64M expanded: a gzip bomb?); if the archive is genuine, raise it with --max-ratio N (default 100)"
        }
        _ => "",
    }
}
