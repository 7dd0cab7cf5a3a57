//! Entering a box: how `run` and `exec` put a process into exactly the
//! namespaces the box has so far, and no others.
//!
//! Without a PID namespace, a helper enters the box's namespaces with setns(2)
//! (user first, then mnt, then the rest; a time namespace applies to
//! children, so the helper forks once more) and execs the command — the same
//! thing `nsenter` does. With a PID namespace the box init starts the command
//! as its own child, so inside the box the command's parent is PID 1; the
//! namespaces that were made *after* the init (which the init is not in) are
//! passed to it as open handles.

use super::{NamespaceKind, StageError, join_existing};
use crate::plan::{Op, Plan};
use crate::state::{BoxRecord, BoxState, Root};
use crate::sys::proc;

pub fn plan_run(root: &Root, record: &BoxRecord, argv: &[String]) -> Result<Plan, StageError> {
    if argv.is_empty() || argv.iter().any(|a| a.contains('\0')) {
        return Err(StageError::BadValue {
            what: "command",
            value: argv.join(" "),
            reason: "give a command after `--`, with no NUL bytes".into(),
        });
    }
    let Some(init) = record.init else {
        let mut ops = super::join_cgroup(record);
        ops.extend(join_existing(record));
        ops.push(Op::Exec { argv: argv.to_vec() });
        return Ok(Plan::new(ops));
    };
    if record.state() == BoxState::Stopped {
        return Err(StageError::Stopped { name: record.name.clone() });
    }
    // Namespaces the init is not in: made after it, or the pid namespace
    // itself for-children (never: the init *is* in its pid namespace).
    let joins = NamespaceKind::ALL
        .into_iter()
        .filter(|k| *k != NamespaceKind::Pid)
        .filter_map(|k| {
            let held = record.namespaces.get(&k)?;
            let init_inode = proc::ns_inode(init.pid, k.proc_file());
            (init_inode != Some(held.inode)).then(|| Some((k, record.handle(k)?)))?
        })
        .collect();
    Ok(Plan::new(vec![Op::AskInit { socket: root.control_socket(&record.name), joins, argv: argv.to_vec() }]))
}

/// `exec` needs something running in the box.
pub fn check_exec(record: &BoxRecord) -> Result<(), StageError> {
    match record.state() {
        BoxState::Running => Ok(()),
        BoxState::Stopped => Err(StageError::Stopped { name: record.name.clone() }),
        BoxState::Created => Err(StageError::NothingRunning { name: record.name.clone() }),
    }
}
