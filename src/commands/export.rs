//! `image export` and `export --bundle`: the ways out to real engines.

use super::Ctx;
use crate::cli::{BundleArgs, ImageExportArgs};
use crate::error::{Result, UsageError};
use crate::image::Store;
use crate::image::export::{Format, export};
use crate::model::format::human;
use crate::output::{say, say_to};
use crate::state::names;
use std::path::{Path, PathBuf};

/// Refuses an output that exists unless forced, and a folder always; the
/// file is written beside it under a temporary name first.
fn output_target(path: &Path, force: bool, what: &str) -> Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(UsageError::ExportIsFolder { path: path.into(), what: crate::i18n::term(what) }.into());
        }
        Ok(_) if !force => {
            return Err(UsageError::ExportExists { path: path.into() }.into());
        }
        _ => {}
    }
    staging_beside(path, what)
}

/// A temporary name in the same folder, so the result is renamed into place.
fn staging_beside(path: &Path, what: &str) -> Result<PathBuf> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(UsageError::ExportNoFolder { path: parent.into(), what: crate::i18n::term(what) }.into());
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(parent.join(format!(".{name}.glassbox-{}.tmp", std::process::id())))
}

pub fn image(store: &Store, args: &ImageExportArgs, ctx: &Ctx) -> Result<u8> {
    names::validate("image", &args.name)?;
    let image = store.image(&args.name)?;
    let format = if args.format == "oci" { Format::Oci } else { Format::Docker };
    let tmp = output_target(&args.output, args.force, "the-archive")?;
    if ctx.dry_run {
        say!("{}", crate::i18n::tr!("export-would-write", name = args.name, format = args.format, path = args.output));
        return Ok(0);
    }
    let written = export(store, &image, &tmp, format, args.tag.as_deref()).and_then(|w| {
        std::fs::rename(&tmp, &args.output).map_err(crate::image::ImageError::io(&args.output))?;
        Ok(w)
    });
    let written = written.inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    let format = args.format.clone();
    ctx.show(ImageWritten {
        bytes: written.bytes,
        file: args.output.clone(),
        format,
        image: args.name.clone(),
        layers: written.layers,
    })
}

/// What `image export` wrote (its fields in the order JSON has always
/// listed them).
#[derive(serde::Serialize)]
struct ImageWritten {
    bytes: u64,
    file: PathBuf,
    format: String,
    image: String,
    layers: usize,
}

impl std::fmt::Display for ImageWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (image, file, format) = (&self.image, self.file.display(), &self.format);
        let bytes = human(self.bytes);
        let path = file.to_string();
        say_to!(
            f,
            "{}",
            crate::i18n::tr!(
                "export-written",
                name = image,
                path = path,
                format = format,
                count = self.layers,
                size = bytes
            )
        )?;
        let docker = self.format != "oci";
        let load = if docker { "podman load -i" } else { "skopeo inspect oci-archive:" };
        say_to!(f, "{} {load}{}{file}", crate::i18n::tr!("export-try"), if docker { " " } else { "" })
    }
}

/// `export BOX --bundle DIR`: config.json from the box's record, rootfs/
/// the tree its overlay merges (container layer on top), made beside DIR
/// and renamed into place whole.
pub fn bundle(args: &BundleArgs, ctx: &Ctx) -> Result<u8> {
    let (_lock, record) = ctx.open(&args.name)?;
    if !record.rootfs_mounted {
        return Err(UsageError::BundleNoRootfs { name: args.name.clone() }.into());
    }
    let dir = &args.bundle;
    let replace = match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() && args.force && dir.join("config.json").is_file() => true,
        Ok(_) if args.force => {
            return Err(UsageError::BundleNotBundle { path: dir.clone() }.into());
        }
        Ok(_) => {
            return Err(UsageError::BundleExists { path: dir.clone() }.into());
        }
        Err(_) => false,
    };
    let staging = staging_beside(dir, "the-bundle")?;
    let config = record.image_config.as_ref();
    let mut argv = crate::image::config::command(config, &[]);
    if argv.is_empty() {
        argv = vec!["sh".into()];
    }
    let read = |p: &str| super::run::read_in_box(ctx, &record, p);
    let process = crate::image::config::process(config, &Default::default(), &read)?;
    let env: Vec<String> =
        process.environment(crate::sys::process::box_env(None)).into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    let volumes: Vec<_> = record
        .volumes
        .iter()
        .map(|v| crate::stage::bundle::VolumeBind {
            host: crate::volume::host_path(&ctx.root, v),
            target: v.target.clone(),
            read_only: v.read_only,
        })
        .collect();
    let spec = crate::stage::bundle::spec(&record, &argv, &process, env, &volumes);
    if ctx.dry_run {
        crate::output::json(&crate::stage::bundle::to_json(&spec, crate::sys::proc::bounding_caps()));
        return Ok(0);
    }
    let made = write_bundle(ctx, &record, &spec, &staging).and_then(|()| {
        if replace {
            std::fs::remove_dir_all(dir).map_err(|e| crate::state::StateError::io(dir, e))?;
        }
        std::fs::rename(&staging, dir).map_err(|e| crate::state::StateError::io(dir, e).into())
    });
    if made.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    made?;
    let config = crate::stage::bundle::to_json(&spec, crate::sys::proc::bounding_caps());
    let time_ns = record.has(crate::stage::NamespaceKind::Time);
    ctx.show(Bundle { config, name: args.name.clone(), dir: dir.clone(), time_ns })
}

/// What `export --bundle` wrote (JSON: the bundle's config.json).
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Bundle {
    config: serde_json::Value,
    #[serde(skip)]
    name: String,
    #[serde(skip)]
    dir: PathBuf,
    #[serde(skip)]
    time_ns: bool,
}

impl std::fmt::Display for Bundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.time_ns {
            say_to!(f, "{}", crate::i18n::tr!("export-bundle-no-time"))?;
        }
        say_to!(f, "{}", crate::i18n::tr!("export-bundle-written", name = self.name, path = self.dir))?;
        say_to!(f, "try: runc run --bundle {} {}", self.dir.display(), self.name)
    }
}

fn write_bundle(ctx: &Ctx, record: &crate::state::BoxRecord, spec: &oci_spec::runtime::Spec, at: &Path) -> Result<()> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| crate::state::StateError::io(p, e)
    };
    std::fs::create_dir(at).map_err(io(at))?;
    let config = at.join("config.json");
    let text = serde_json::to_vec_pretty(&crate::stage::bundle::to_json(spec, crate::sys::proc::bounding_caps()))
        .expect("JSON");
    std::fs::write(&config, text).map_err(io(&config))?;
    let store = Store::at(&ctx.root);
    let mut trees = vec![ctx.root.container_layer(&record.name).0];
    trees.extend(super::rootfs::lower_trees(&store, &record.layers));
    let tar = at.join(".rootfs.tar");
    let file = std::fs::File::create(&tar).map_err(io(&tar))?;
    crate::image::layer_tar::write_merged(&trees, std::io::BufWriter::new(file))?;
    let rootfs = at.join("rootfs");
    std::fs::create_dir(&rootfs).map_err(io(&rootfs))?;
    let file = std::fs::File::open(&tar).map_err(io(&tar))?;
    let limits = crate::image::extract::Limits::own_tree();
    let extracted = crate::image::extract::extract_layer(std::io::BufReader::new(file), &rootfs, &limits, &mut |_| {});
    let _ = std::fs::remove_file(&tar);
    extracted.map_err(crate::image::ImageError::from)?;
    Ok(())
}
