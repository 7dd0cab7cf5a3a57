//! `image export` and `export --bundle`: the ways out to real engines.

use super::Ctx;
use crate::cli::{BundleArgs, ImageExportArgs};
use crate::error::{Error, Result};
use crate::image::Store;

pub fn image(_store: &Store, _args: &ImageExportArgs, _ctx: &Ctx) -> Result<u8> {
    Err(Error::Usage("image export: not yet".into()))
}

pub fn bundle(_args: &BundleArgs, _ctx: &Ctx) -> Result<u8> {
    Err(Error::Usage("export --bundle: not yet".into()))
}
