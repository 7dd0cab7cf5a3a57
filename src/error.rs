//! The error every command returns, and the one place exit codes are chosen:
//! 0 ok, 1 the operation failed, 2 bad usage or bad input.

pub mod build;
pub(crate) mod usage;
mod web;
use crate::executor::ApplyError;
use crate::stage::StageError;
use crate::state::StateError;
use crate::sys::SysError;
pub use usage::UsageError;
pub use web::WebError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input, caught before anything changed.
    #[error(transparent)]
    Usage(#[from] UsageError),
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Stage(#[from] StageError),
    #[error(transparent)]
    Apply(#[from] ApplyError),
    #[error(transparent)]
    Sys(#[from] SysError),
    #[error(transparent)]
    Image(#[from] crate::image::ImageError),
    #[error(transparent)]
    Cgroup(#[from] crate::stage::cgroup::CgroupError),
    #[error(transparent)]
    Web(#[from] WebError),
    #[error(transparent)]
    Build(#[from] build::BuildError),
    #[error(transparent)]
    Daemon(#[from] crate::daemon::DaemonError),
    #[error(transparent)]
    Compose(#[from] crate::compose::ComposeError),
    /// A command started in a box could not be executed.
    #[error("exec: {path}: {reason}")]
    Exec { path: String, reason: String },
}

impl From<crate::stage::devices::DevicesError> for Error {
    fn from(e: crate::stage::devices::DevicesError) -> Error {
        use crate::stage::devices::DevicesError;
        match e {
            DevicesError::Stage(e) => Error::Stage(e),
            DevicesError::Cgroup(e) => Error::Cgroup(e),
        }
    }
}

impl Error {
    /// A language-neutral code a script can match on: the message's id
    /// where the error has one, else the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Usage(e) => e.id(),
            Error::State(e) => e.code(),
            Error::Stage(e) => e.code(),
            Error::Apply(_) => "apply-failed",
            Error::Sys(_) => "system",
            Error::Image(crate::image::ImageError::NoSuchImage(_)) => "image-not-found",
            Error::Image(_) => "image",
            Error::Cgroup(_) => "cgroup",
            Error::Web(WebError::PortInUse(_)) => "port-in-use",
            Error::Web(WebError::BadListen(_)) => "listen-invalid",
            Error::Web(_) => "web",
            Error::Build(_) => "build",
            Error::Daemon(_) => "daemon",
            Error::Compose(_) => "compose",
            Error::Exec { .. } => "exec",
        }
    }

    /// What `--json` prints for a failed command.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "error": {
            "code": self.code(),
            "message": self.to_string(),
            "lang": crate::i18n::current(),
            "exit_code": self.exit_code(),
        }})
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Stage(_) | Error::Cgroup(_) => 2,
            Error::State(e) if e.is_usage() => 2,
            Error::Image(e) if e.is_usage() => 2,
            Error::Web(e) if e.is_usage() => 2,
            Error::Build(e) if e.is_usage() => 2,
            Error::Daemon(e) if e.is_usage() => 2,
            Error::Compose(e) if e.is_usage() => 2,
            Error::Exec { .. } => 127,
            _ => 1,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
