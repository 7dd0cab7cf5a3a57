//! The arguments of `build`, `image export` and `export --bundle`: the
//! Docker-shaped front door and the two ways out to real engines.

use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The build context: the folder COPY and ADD take files from (and
    /// nothing outside it).
    pub context: PathBuf,
    /// The Dockerfile (default: CONTEXT/Dockerfile).
    #[arg(short = 'f', long = "file", value_name = "DOCKERFILE")]
    pub file: Option<PathBuf>,
    /// The image's name (default: the context folder's name).
    #[arg(short = 't', long = "tag", value_name = "NAME")]
    pub tag: Option<String>,
    /// Build every step, ignoring the build cache (the cache is still filled).
    #[arg(long)]
    pub no_cache: bool,
    /// A value for an ARG of the Dockerfile (repeatable).
    #[arg(long = "build-arg", value_name = "KEY=VALUE")]
    pub build_args: Vec<String>,
    /// Progress: `plain` (every line, as BuildKit's plain output) or `auto`
    /// (the same; kept for `docker build` habits).
    #[arg(long, default_value = "auto", value_parser = ["plain", "auto"])]
    pub progress: String,
    /// Replace an image that already has the name.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ImageExportArgs {
    /// The image.
    pub name: String,
    /// The archive to write.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// `docker` (what `docker save` writes: manifest.json, also an OCI
    /// layout) or `oci` (an OCI image layout only).
    #[arg(long, default_value = "docker", value_parser = ["docker", "oci"])]
    pub format: String,
    /// Overwrite FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// The name the archive gives the image, as `docker load` will list it
    /// (default NAME:latest), e.g. --tag web:v2.
    #[arg(long, value_name = "REPO:TAG")]
    pub tag: Option<String>,
}

#[derive(Debug, Args)]
pub struct BundleArgs {
    /// The box.
    pub name: String,
    /// The bundle folder to make: config.json and rootfs/ (must not exist
    /// unless --force).
    #[arg(long, value_name = "DIR")]
    pub bundle: PathBuf,
    /// Replace DIR if it exists (only a folder holding a bundle).
    #[arg(long)]
    pub force: bool,
}
