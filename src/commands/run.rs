use super::Ctx;
use crate::error::{Error, Result};
use crate::stage::enter;
use crate::state::StateError;
use crate::sys::executor::{ApplyError, ApplyOptions, apply};
use crate::sys::{SysError, proc, process};
use std::os::fd::{AsRawFd, OwnedFd};

/// `run` (the box's main process, recorded as a step) and `exec` (another
/// process in a running box) share everything but the bookkeeping.
pub fn run(name: &str, argv: &[String], detach: bool, is_run: bool, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    let (lock, mut record) = ctx.open(name)?;
    if !is_run {
        enter::check_exec(&record)?;
    }
    let plan = enter::plan_run(&ctx.root, &record, argv)?;
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    let log = if detach { Some(open_log(ctx, name)?) } else { None };
    // Blocked before the command starts, so a signal sent at any moment
    // after is forwarded to it rather than killing glassbox alone.
    let sigs = if detach { None } else { Some(process::signalfd(&FORWARDED)?) };
    let opts = ApplyOptions {
        explain: ctx.explain,
        stdio: log.as_ref().map(|(i, o)| [i.as_raw_fd(), o.as_raw_fd(), o.as_raw_fd()]),
        detach,
    };
    let applied = apply(&plan, &opts).map_err(exec_error)?;
    if is_run {
        if detach && let Some(pid) = applied.exec_pid {
            record.main = proc::ProcRef::of(pid);
        }
        record.record_step(typed, plan);
        record.save(&ctx.root)?;
    }
    drop(lock);
    if detach {
        if !ctx.json {
            println!("started in the background; output goes to {}", ctx.root.log_path(name).display());
        }
        return Ok(0);
    }
    let sigs = sigs.expect("a foreground run blocks signals first");
    let code = match (applied.exec_pid, applied.init_conn) {
        (Some(pid), _) => process::wait_forwarding(pid, &sigs)?.shell_code(),
        (None, Some(conn)) => wait_init(&conn, &sigs, argv)?,
        (None, None) => unreachable!("a run plan ends in Exec or AskInit"),
    };
    Ok(u8::try_from(code).unwrap_or(1))
}

const FORWARDED: [i32; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

fn wait_init(conn: &OwnedFd, sigs: &OwnedFd, argv: &[String]) -> Result<i32> {
    crate::init::client::wait_exit(conn, sigs).map_err(|e| exec_failure(&argv[0], &e))
}

fn open_log(ctx: &Ctx, name: &str) -> Result<(OwnedFd, OwnedFd)> {
    let path = ctx.root.log_path(name);
    let out =
        std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(|e| StateError::io(&path, e))?;
    Ok((crate::sys::fd::open_null()?, out.into()))
}

fn exec_failure(cmd: &str, e: &SysError) -> Error {
    let reason = match e.errno() {
        Some(libc::ENOENT) => "not found".to_string(),
        Some(libc::EACCES) => "permission denied".to_string(),
        _ => e.to_string(),
    };
    Error::Exec { path: cmd.to_string(), reason }
}

/// An exec that failed in the helper is the user's command not being
/// there, not glassbox failing.
fn exec_error(e: ApplyError) -> Error {
    if e.source.call.starts_with("exec ") {
        let cmd = e.source.call.trim_start_matches("exec ").to_string();
        return exec_failure(&cmd, &e.source);
    }
    e.into()
}
