//! Where glassbox keeps what it made: box records, locks, runtime holds.

pub mod cause;
pub mod health;
pub mod lock;
pub mod names;
pub mod networks;
pub mod paths;
pub mod private;
pub mod record;
pub mod rollout;
pub mod shared;
pub mod stack;

pub use lock::BoxLock;
pub use paths::Root;
pub use record::{BoxRecord, BoxState, HeldNamespace, Holder, LayerRole, StackLayer, Step};

use crate::i18n::tr;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{}", tr!("name-invalid", what = crate::i18n::term(what), value = format!("{value:?}"), reason = crate::i18n::term(reason)))]
    BadName { what: &'static str, value: String, reason: &'static str },
    #[error("{}", tr!("box-not-found", name = format!("{:?}", .0), bare = .0))]
    NoSuchBox(String),
    #[error("{}", tr!("box-no-record", name = format!("{:?}", .0), bare = .0))]
    NoRecord(String),
    #[error(
        "box {name} would stack layer {digest} twice, from {lower} and from {upper}, and overlayfs cannot mount one folder twice in a stack: leave one out (the upper one holds all the lower one would add)"
    )]
    LayerTwice { name: String, digest: String, lower: String, upper: String },
    #[error(
        "{what}: {count} read-only layers, more than the {max} a box can stack (overlayfs takes a mount's options from one {page}-byte page); {fix}",
        max = stack::MAX_LAYERS,
        page = stack::MOUNT_OPTIONS_MAX + 1
    )]
    TooManyLayers { what: String, count: usize, fix: String },
    #[error("{}", tr!("box-exists", name = format!("{:?}", .0), bare = .0))]
    Exists(String),
    #[error("{}", tr!("volume-exists", name = format!("{:?}", .0), bare = .0))]
    VolumeExists(String),
    #[error("{}", tr!("box-busy", name = format!("{:?}", .0)))]
    Busy(String),
    #[error("{}", tr!("box-broken", name = name, step = step))]
    Broken { name: String, step: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}", tr!("record-corrupt", path = path, reason = source.to_string()))]
    Corrupt { path: PathBuf, source: serde_json::Error },
}

impl StateError {
    /// The language-neutral code `--json` prints (the message's id).
    pub fn code(&self) -> &'static str {
        match self {
            StateError::BadName { .. } => "name-invalid",
            StateError::NoSuchBox(_) => "box-not-found",
            StateError::NoRecord(_) => "box-no-record",
            StateError::LayerTwice { .. } => "layer-twice",
            StateError::TooManyLayers { .. } => "too-many-layers",
            StateError::Exists(_) => "box-exists",
            StateError::VolumeExists(_) => "volume-exists",
            StateError::Busy(_) => "box-busy",
            StateError::Broken { .. } => "box-broken",
            StateError::Io { .. } => "io",
            StateError::Corrupt { .. } => "record-corrupt",
        }
    }
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            StateError::BadName { .. }
                | StateError::NoSuchBox(_)
                | StateError::NoRecord(_)
                | StateError::LayerTwice { .. }
                | StateError::TooManyLayers { .. }
                | StateError::Exists(_)
                | StateError::VolumeExists(_)
                | StateError::Broken { .. }
        )
    }
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> StateError {
        StateError::Io { path: path.into(), source }
    }
}
