//! Plan, then apply.
//!
//! Every step is first a [`Plan`]: the ordered kernel operations it will
//! perform, as data. One executor (`executor`) applies a plan; `--dry-run`
//! prints it; `--explain` prints each operation as it is applied; the box's
//! history records it; `history --script` turns it back into shell. Nothing
//! prints an explanation by hand next to the code that acts.

pub mod confine;
mod faces;
mod identity_faces;
mod op;
pub mod script;
#[cfg(test)]
mod snapshot;

pub use op::{Actor, Faces, HOLDS_SOURCE, HOLDS_TMPFS, Op, RUNTIME_TMPFS};
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
