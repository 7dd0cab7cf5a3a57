//! Where glassbox keeps what it made: box records, locks, runtime holds.

pub mod cause;
pub mod lock;
pub mod names;
pub mod paths;
pub mod private;
pub mod record;
pub mod shared;
pub mod stack;

pub use lock::BoxLock;
pub use paths::Root;
pub use record::{BoxRecord, BoxState, HeldNamespace, Holder, LayerRole, StackLayer, Step};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(
        "invalid {what} name {value:?}: {reason}; use 1-63 characters from a-z 0-9 _ . - starting with a letter or digit"
    )]
    BadName { what: &'static str, value: String, reason: &'static str },
    #[error("no box named {0:?}: see the boxes with `glassbox ls`, or make it with `glassbox create {0}`")]
    NoSuchBox(String),
    #[error(
        "box {0:?} is broken: its folder has no readable record (a command on it was killed part way); remove what is left with `glassbox rm --force {0}`"
    )]
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
    #[error("a box named {0:?} already exists: pick another name, or remove it first with `glassbox rm {0}`")]
    Exists(String),
    #[error("a volume named {0:?} already exists: use it as it is, or remove it first with `glassbox volume rm {0}`")]
    VolumeExists(String),
    #[error("box {0:?} is busy: another glassbox command is changing it; try again when it has finished")]
    Busy(String),
    #[error(
        "box {name} is broken: `{step}` stopped part way and left it half made; remove it with `glassbox rm --force {name}` and build it again"
    )]
    Broken { name: String, step: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("box record {path} is unreadable ({source}); remove the box with `glassbox rm --force`")]
    Corrupt { path: PathBuf, source: serde_json::Error },
}

impl StateError {
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
