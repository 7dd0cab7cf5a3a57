//! `image export` and `export --bundle`: the ways out to real engines.

use super::Ctx;
use super::image::human;
use crate::cli::{BundleArgs, ImageExportArgs};
use crate::error::{Error, Result};
use crate::image::Store;
use crate::image::export::{Format, export};
use crate::output::say;
use crate::state::names;
use std::path::{Path, PathBuf};

/// Refuses an output that exists unless forced, and a folder always; the
/// file is written beside it under a temporary name first.
fn output_target(path: &Path, force: bool, what: &str) -> Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(Error::Usage(format!("{}: is a folder; give a file name for {what}", path.display())));
        }
        Ok(_) if !force => {
            return Err(Error::Usage(format!(
                "{} exists: pick another name, or add --force to replace it",
                path.display()
            )));
        }
        _ => {}
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(Error::Usage(format!("{}: no such folder to write {what} into", parent.display())));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(parent.join(format!(".{name}.glassbox-{}.tmp", std::process::id())))
}

pub fn image(store: &Store, args: &ImageExportArgs, ctx: &Ctx) -> Result<u8> {
    names::validate("image", &args.name)?;
    let image = store.image(&args.name)?;
    let format = if args.format == "oci" { Format::Oci } else { Format::Docker };
    let tmp = output_target(&args.output, args.force, "the archive")?;
    if ctx.dry_run {
        say!("would write image {} as a {} archive to {}", args.name, args.format, args.output.display());
        return Ok(0);
    }
    let written = export(store, &image, &tmp, format).and_then(|w| {
        std::fs::rename(&tmp, &args.output).map_err(crate::image::ImageError::io(&args.output))?;
        Ok(w)
    });
    let written = written.inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    if ctx.json {
        ctx.print_json(&serde_json::json!({"image": args.name, "file": args.output, "format": args.format,
            "layers": written.layers, "bytes": written.bytes}));
    } else {
        say!(
            "image {} written to {} ({} format, {} layer(s), {})",
            args.name,
            args.output.display(),
            args.format,
            written.layers,
            human(written.bytes)
        );
        let load = if format == Format::Docker { "podman load -i" } else { "skopeo inspect oci-archive:" };
        say!("try: {load}{}{}", if format == Format::Docker { " " } else { "" }, args.output.display());
    }
    Ok(0)
}

pub fn bundle(_args: &BundleArgs, _ctx: &Ctx) -> Result<u8> {
    Err(Error::Usage("export --bundle: not yet".into()))
}
