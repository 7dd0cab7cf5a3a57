//! Cgroup namespace: the view of the cgroup tree (cgroup_namespaces(7)).
//!
//! The cgroup a process is in when it unshares becomes `/` for everything in
//! the new namespace: `/proc/self/cgroup` inside shows `0::/` instead of the
//! host's path, so a box cannot learn where it sits in the host's tree.
//! It hides paths; limits are the job of the cgroup itself.

use crate::plan::Op;

pub fn setup() -> Vec<Op> {
    vec![]
}
