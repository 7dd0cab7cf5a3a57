//! no_new_privs: execve never adds privileges (prctl(2), PR_SET_NO_NEW_PRIVS).
//!
//! A setuid-root program makes its caller root for as long as it runs;
//! that is how `passwd` writes /etc/shadow. In a box it is a way back up
//! after `caps` dropped capabilities: a non-root user in the box runs a
//! setuid binary the image carries (or root left behind) and is root again.
//! With no_new_privs set, execve ignores the setuid bit and file
//! capabilities, and the flag is inherited and can never be cleared. It is
//! also what lets a process without CAP_SYS_ADMIN load a seccomp filter.

use super::StageError;
use super::hardening;
use crate::plan::Plan;
use crate::plan::op;
use crate::state::{BoxRecord, Root};

pub fn plan(root: &Root, record: &BoxRecord) -> Result<Plan, StageError> {
    hardening::require_init(record, "nnp")?;
    Ok(Plan::new(vec![op::NoNewPrivs { socket: root.control_socket(&record.name) }.into()]))
}
