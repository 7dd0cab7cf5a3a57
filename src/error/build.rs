//! Why a build failed: its Dockerfile is wrong, or a RUN's command failed.
//! Kept here, below the builder (`build`), so the crate's error type does
//! not import the builder that reports through it.

use std::fmt;

/// A line of the Dockerfile that is wrong, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub line: usize,
    pub col: usize,
    pub reason: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.reason)
    }
}

/// A failure of the build that is neither bad input nor glassbox's: a RUN
/// whose command failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{file}:{err}")]
    Syntax { file: String, err: SyntaxError },
    #[error(
        "step {step} ({line}) failed: the command exited with code {code}; no layer was made and its box is removed"
    )]
    RunFailed { step: String, line: String, code: i32 },
}

impl BuildError {
    pub fn is_usage(&self) -> bool {
        !matches!(self, BuildError::RunFailed { .. })
    }
}
