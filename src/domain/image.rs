//! The words of images that operations hold as data: which images of an
//! archive to import, and where a state folder keeps its layers.

use std::path::{Path, PathBuf};

/// Which images of an archive to import.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pick {
    /// The only one: an archive with several is refused with their list.
    Only,
    /// The Nth (from 1), as that list numbers them.
    Number(usize),
    /// Every one, named NAME-1, NAME-2, … in the list's order.
    All,
}

/// The layer store's folder under a state folder (`state::Root::layers_dir`).
pub fn layers_dir(state: &Path) -> PathBuf {
    state.join("layers")
}
