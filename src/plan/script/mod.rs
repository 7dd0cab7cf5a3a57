//! `history --script`: the recorded plans turned back into a shell script of
//! standard tools (util-linux, iproute2, coreutils) that rebuilds the box:
//! its namespaces, cgroup and limits, root filesystem, volumes and network.
//!
//! The script holds namespaces the way glassbox does: a helper process is
//! started in new namespaces (`unshare`), the script bind-mounts the helper's
//! `/proc/PID/ns/*` files, and later steps enter them (`nsenter`). The helper
//! of a `pid` step stays alive as the box's PID 1. Each operation writes its
//! own part (its family's `script`); [`StepScript`] puts a step's parts in
//! the order the tools need; `model::script` puts the steps of a box's
//! record together (the record is a layer above the plans it holds).

mod step;

pub use step::StepScript;

/// What the script begins with: the helpers its steps call.
pub const PRELUDE: &str = include_str!("prelude.sh");
