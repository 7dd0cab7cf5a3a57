//! `glassbox compose`: several boxes from one compose.yaml, as steps.
//!
//! Compose is a front door, like `build` and `daemon`: it never acts on the
//! kernel itself. It reads a subset of the Compose Specification
//! (`parse`, `spec`), checks every service against what the steps accept
//! (`resolve`, `files`), orders the services by `depends_on` (`order`),
//! and turns each replica of each service into the ordinary glassbox
//! commands a learner would type (`plan`): create, limit, unshare, rootfs,
//! volume add, net, caps, run, and `pool add` for a published port (the
//! service's pool owns it, so replicas can be replaced by a rolling update,
//! `rollout`). `up` runs them (`up`), a wave of
//! independent services in parallel, each step as the glassbox binary
//! itself with the compose request as its cause, so every box it makes is
//! an ordinary box that `history` explains step by step. Boxes are named
//! PROJECT-SERVICE-N and labelled with their project (`create --project`).
//! After `up` returns, the project's supervisor (`supervisor`) runs the
//! healthchecks on their schedule and restarts `on-failure` services; a
//! replica it records unhealthy is out of its pool until healthy again.

pub mod changed;
pub mod down;
mod files;
pub mod health;
pub mod hosts;
pub mod interpolate;
pub mod keep;
mod order;
pub mod parse;
pub mod plan;
pub mod project;
pub mod resolve;
pub mod rollout;
pub mod runner;
pub mod spec;
pub mod supervisor;
pub mod up;
pub mod update;

/// Why compose stopped: the file or the request is wrong (exit 2), or a
/// step failed (exit 1).
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ComposeError {
    #[error("{0}")]
    Bad(String),
    #[error("{0}")]
    Failed(String),
}

impl ComposeError {
    pub fn is_usage(&self) -> bool {
        matches!(self, ComposeError::Bad(_))
    }
}

/// `pool drain` of a box from each pool it serves in: the step before it goes.
pub fn pool_drains(root: &crate::state::Root, name: &str) -> Vec<Vec<String>> {
    crate::pool::of_member(root, name)
        .into_iter()
        .map(|p| vec!["pool".into(), "drain".into(), p.name, name.to_string()])
        .collect()
}
