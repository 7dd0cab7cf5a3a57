//! A volume mounted into a box, as the box record keeps it; parsing a
//! `volume add` spec stays in `volume::spec`.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Source {
    /// A named volume under the state root.
    Named { name: String },
    /// A folder of the host, as given and as resolved (symlinks followed).
    Host { given: PathBuf, resolved: PathBuf },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeMount {
    pub source: Source,
    pub target: PathBuf,
    pub read_only: bool,
}
