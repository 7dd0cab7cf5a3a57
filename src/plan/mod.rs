//! Plan, then apply.
//!
//! Every step is first a [`Plan`]: the ordered kernel operations it will
//! perform, as data. One executor (`crate::executor`) applies a plan;
//! `--dry-run` prints it; `--explain` prints each operation as it is applied;
//! the box's history records it; `history --script` turns it back into
//! shell. Nothing prints an explanation by hand next to the code that acts.
//!
//! An operation lives in its family's file, which says all there is to say
//! about it: its syscall face, shell face and why, how it is applied (on
//! the host, or in the helper: the side is its type), and its part of
//! `history --script`. Adding an operation is one edit there.

pub mod apply;
pub mod cgroups;
pub mod confine;
mod identity;
pub mod network;
pub mod ns;
pub mod op;
pub mod pool;
pub mod process;
pub mod rootfs;
pub mod runtime;
pub mod script;
#[cfg(test)]
mod snapshot;
pub mod teardown;
pub mod volumes;
pub mod work;

pub use apply::ApplyOptions;
pub use op::{Faces, Op};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub ops: Vec<Op>,
}

impl Plan {
    pub fn new(ops: Vec<Op>) -> Plan {
        Plan { ops }
    }

    /// The plan as numbered lines: syscall, shell equivalent, why.
    pub fn render(&self) -> String {
        self.ops.iter().enumerate().map(|(i, op)| op.faces().render(i + 1, None)).collect()
    }
}
