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
use crate::plan::Plan;
use crate::plan::op;
use crate::state::{BoxRecord, BoxState, Root};
use crate::sys::identity::ProcessSpec;
use crate::sys::proc;
use crate::sys::process::ArgLimits;
use std::path::Path;

/// What planning `run` and `exec` needs of the host, found first: the
/// namespaces the box init is in (`<proc>/PID/ns/KIND`), how much an
/// execve(2) there takes (from the init's stack limit, `<proc>/PID/limits`),
/// and whether its processes still live.
pub struct EnterFacts {
    /// The inode of each namespace kind the init is in, where readable.
    pub init_ns: Vec<(NamespaceKind, u64)>,
    pub limits: ArgLimits,
    pub state: BoxState,
    /// The box shares the PID namespace of a box whose init has ended.
    pub shared_pid_ended: bool,
}

impl EnterFacts {
    /// Reads them under a /proc root (the host's `/proc`, or a test's folder).
    pub fn gather(proc_root: &Path, record: &BoxRecord) -> EnterFacts {
        let init = record.init.map(|i| i.pid);
        let of_init = |k: NamespaceKind| Some((k, proc::ns_inode_in(proc_root, init?, k.proc_file())?));
        EnterFacts {
            init_ns: NamespaceKind::ALL.into_iter().filter_map(of_init).collect(),
            limits: crate::sys::process::arg_limits(proc_root, init),
            // Whether a recorded process lives: by its pid and start time.
            state: record.state_in(proc_root),
            shared_pid_ended: record.shared_pid_ended_in(proc_root),
        }
    }

    fn init_inode(&self, kind: NamespaceKind) -> Option<u64> {
        self.init_ns.iter().find(|(k, _)| *k == kind).map(|(_, inode)| *inode)
    }
}

pub fn plan_run(
    root: &Root,
    record: &BoxRecord,
    argv: &[String],
    process: &ProcessSpec,
    facts: &EnterFacts,
) -> Result<Plan, StageError> {
    if argv.is_empty() || argv.iter().any(|a| a.contains('\0')) {
        return Err(StageError::BadValue {
            what: "command",
            value: argv.join(" "),
            reason: "give a command after `--`, with no NUL bytes".into(),
        });
    }
    let env = process.environment(crate::sys::process::box_env(std::env::var("TERM").ok()));
    fits_execve(argv, &env, &facts.limits)?;
    if facts.shared_pid_ended {
        return Err(StageError::Share(crate::state::shared::pid_ended(record)));
    }
    if record.init.is_none() {
        let mut ops = super::join_cgroup(record);
        ops.extend(join_existing(record));
        ops.push(op::Exec { argv: argv.to_vec(), process: process.clone() }.into());
        return Ok(Plan::new(ops));
    }
    if facts.state == BoxState::Stopped {
        return Err(StageError::Stopped { name: record.name.clone() });
    }
    // Namespaces the init is not in: made after it, or the pid namespace
    // itself for-children (never: the init *is* in its pid namespace).
    let joins = NamespaceKind::ALL
        .into_iter()
        .filter(|k| *k != NamespaceKind::Pid)
        .filter_map(|k| {
            let held = record.namespaces.get(&k)?;
            (facts.init_inode(k) != Some(held.inode)).then(|| Some((k, record.handle(k)?)))?
        })
        .collect();
    let socket = root.control_socket(&record.name);
    Ok(Plan::new(vec![op::AskInit { socket, joins, argv: argv.to_vec(), process: process.clone() }.into()]))
}

/// `exec` needs something running in the box.
pub fn check_exec(record: &BoxRecord) -> Result<(), StageError> {
    match record.state() {
        _ if record.shared_pid_ended() => Err(StageError::Share(crate::state::shared::pid_ended(record))),
        BoxState::Running => Ok(()),
        BoxState::Stopped => Err(StageError::Stopped { name: record.name.clone() }),
        BoxState::Created => Err(StageError::NothingRunning { name: record.name.clone() }),
    }
}

/// Refuses, before anything starts, a command execve(2) would refuse with
/// E2BIG: one argument over MAX_ARG_STRLEN, or argv and the environment
/// together over ARG_MAX (each string with its NUL, plus its pointer).
fn fits_execve(argv: &[String], env: &[(String, String)], limits: &ArgLimits) -> Result<(), StageError> {
    let word = std::mem::size_of::<usize>();
    if let Some((i, a)) = argv.iter().enumerate().find(|(_, a)| a.len() + 1 > limits.per_arg) {
        return Err(StageError::CommandTooLong(format!(
            "argument {} is {} bytes, and one argument may hold at most {} (MAX_ARG_STRLEN); pass long data on stdin or in a file",
            i + 1,
            a.len(),
            limits.per_arg - 1
        )));
    }
    let args: usize = argv.iter().map(|a| a.len() + 1 + word).sum();
    let vars: usize = env.iter().map(|(k, v)| k.len() + v.len() + 2 + word).sum();
    if args + vars + word > limits.total {
        return Err(StageError::CommandTooLong(format!(
            "its {} arguments take {} bytes with the environment, and at most {} fit (a quarter of the stack limit `ulimit -s` where the box's processes start); pass them on stdin or in a file",
            argv.len(),
            args + vars + word,
            limits.total
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ArgLimits = ArgLimits { per_arg: 131072, total: 2 << 20 };

    #[test]
    fn any_command_the_kernel_takes_is_let_through() {
        let many: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
        assert!(fits_execve(&many, &[], &LIMITS).is_ok());
        assert!(fits_execve(&["echo".into(), "a".repeat(131071)], &[], &LIMITS).is_ok());
    }

    #[test]
    fn a_command_the_kernel_would_refuse_is_named_with_its_limit() {
        let err = fits_execve(&["echo".into(), "a".repeat(131072)], &[], &LIMITS).unwrap_err().to_string();
        assert!(err.contains("argument 2 is 131072 bytes") && err.contains("at most 131071 (MAX_ARG_STRLEN)"), "{err}");
        let many: Vec<String> = (0..40).map(|_| "a".repeat(60_000)).collect();
        let err = fits_execve(&many, &[], &LIMITS).unwrap_err().to_string();
        assert!(
            err.contains("its 40 arguments") && err.contains("at most 2097152 fit (a quarter of the stack limit"),
            "{err}"
        );
        let env = [("X".to_string(), "y".repeat(120_000))];
        let near: Vec<String> = (0..33).map(|_| "a".repeat(60_000)).collect();
        assert!(fits_execve(&near, &[], &LIMITS).is_ok());
        assert!(fits_execve(&near, &env, &LIMITS).is_err(), "the environment counts too");
    }
}
