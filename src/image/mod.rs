//! Images and layers: the read-only templates a box's root filesystem is
//! stacked from.
//!
//! A layer is a folder tree stored once under the state root, named by the
//! sha256 of its uncompressed tar (the OCI "diff ID"). An image is an
//! ordered list of layer digests plus a name and where it came from. Every
//! layer, whatever its source (an archive, a folder, busybox, a box's
//! container layer), goes through the same path: a tar stream is extracted
//! into a staging folder beneath a root descriptor, verified, its whiteouts
//! converted to overlayfs's form, and only then renamed into the store.

pub mod busybox;
pub mod commit;
pub mod config;
pub mod docker_archive;
pub mod export;
pub mod extract;
pub mod fromhost;
pub mod import;
pub mod layer_tar;
pub mod pick;
pub mod store;
pub mod view;

pub use store::{ImageRecord, Store};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{}", crate::i18n::tr!("image-not-found", name = format!("{:?}", .0)))]
    NoSuchImage(String),
    #[error("layer {0} is missing from the store; import its image again")]
    MissingLayer(String),
    #[error("{path}: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Extract(#[from] extract::ExtractError),
    /// Reading a tree (a folder or container layer becoming a layer) failed.
    #[error(transparent)]
    Sys(#[from] crate::sys::SysError),
    #[error(transparent)]
    State(#[from] crate::state::StateError),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "an image named {name:?} already exists: pick another name, or {}",
        if *force_flag { "add --force to replace it".to_string() } else { format!("remove it first with `glassbox image rm {name}`") }
    )]
    NameTaken { name: String, force_flag: bool },
    #[error("{archive} holds {count} images ({listing}): pick one with --image N, or import each with --all")]
    SeveralImages { archive: String, count: usize, listing: String },
    #[error("{archive} holds {count} image(s): --image takes a number from 1 to {count}, not {asked}")]
    NoImageNumber { archive: String, count: usize, asked: usize },
}

impl ImageError {
    /// For `map_err`: an I/O error on this path.
    pub fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> ImageError + '_ {
        move |source| ImageError::Io { path: path.to_path_buf(), source }
    }

    pub fn is_usage(&self) -> bool {
        match self {
            ImageError::State(e) => e.is_usage(),
            other => matches!(
                other,
                ImageError::NoSuchImage(_)
                    | ImageError::Invalid(_)
                    | ImageError::NameTaken { .. }
                    | ImageError::SeveralImages { .. }
                    | ImageError::NoImageNumber { .. }
            ),
        }
    }
}

pub type Result<T> = std::result::Result<T, ImageError>;
