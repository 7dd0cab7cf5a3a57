use super::work::Made;
use super::{Ctx, work};
use crate::cli::{ImageCommand, ImportArgs};
use crate::error::{Error, Result, UsageError};
use crate::executor::{ApplyOptions, apply};
use crate::i18n::tr;
use crate::image::extract::{ExtractError, Limits, RATIO_LIMIT, SIZE_LIMIT};
use crate::image::import::Pick;
use crate::image::{ImageError, ImageRecord, Store};
use crate::model::done::Removed;
use crate::model::format::{human, short};
use crate::output::outcome::Said;
use crate::output::say_to;
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
    let bytes =
        images.iter().map(|i| i.layers.iter().filter_map(|d| store.layer(d).ok()).map(|l| l.bytes).sum()).collect();
    ctx.show(Images { images, bytes })
}

/// `image ls`: the images (JSON: the list of their records) and what each
/// holds on disk.
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Images {
    images: Vec<ImageRecord>,
    #[serde(skip)]
    bytes: Vec<u64>,
}

impl std::fmt::Display for Images {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (name, layers) = (crate::i18n::tr!("list-col-name"), crate::i18n::tr!("list-col-layers"));
        let (size, source) = (crate::i18n::tr!("list-col-size"), crate::i18n::tr!("list-col-source"));
        let (pad, pad_left) = (crate::i18n::pad, crate::i18n::pad_left);
        say_to!(f, "{} {} {}  {source}", pad(&name, 24), pad_left(&layers, 6), pad_left(&size, 12))?;
        for (i, bytes) in self.images.iter().zip(&self.bytes) {
            say_to!(f, "{:<24} {:>6} {:>12}  {}", i.name, i.layers.len(), human(*bytes), i.source)?;
        }
        Ok(())
    }
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
        crate::output::warning(w);
    }
    // Read after the store's lock is let go: an import of the same name
    // with --force may have replaced an image since.
    let layers = images.iter().map(|i| i.layers.iter().map(|d| store.layer(d).ok()).collect()).collect();
    ctx.show(Imported { images, layers })
}

/// `image import`: the image, or the images of an archive of several
/// (JSON: the one record, or the list), and the layers each holds.
struct Imported {
    images: Vec<ImageRecord>,
    layers: Vec<Vec<Option<crate::image::store::LayerMeta>>>,
}

impl serde::Serialize for Imported {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.images.as_slice() {
            [one] => one.serialize(s),
            all => all.serialize(s),
        }
    }
}

impl std::fmt::Display for Imported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (image, layers) in self.images.iter().zip(&self.layers) {
            say_to!(f, "{}", crate::i18n::tr!("step-image-imported", name = image.name, count = image.layers.len()))?;
            for (d, l) in image.layers.iter().zip(layers) {
                match l {
                    Some(l) => say_to!(
                        f,
                        "  {} {}",
                        short(d),
                        crate::i18n::tr!("import-layer-files", count = l.files, size = human(l.bytes))
                    )?,
                    None => say_to!(f, "  {} {}", short(d), crate::i18n::tr!("import-layer-gone", name = image.name))?,
                }
            }
        }
        Ok(())
    }
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
