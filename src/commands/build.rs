//! `build`: a Dockerfile becomes an image.

use super::Ctx;
use crate::cli::BuildArgs;
use crate::error::{Error, Result};

pub fn run(_args: &BuildArgs, _ctx: &Ctx) -> Result<u8> {
    Err(Error::Usage("build: not yet".into()))
}
