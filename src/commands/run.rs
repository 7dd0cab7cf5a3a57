use super::Ctx;
use crate::cli::ProcessArgs;
use crate::error::{Error, Result, UsageError};
use crate::executor::{ApplyError, ApplyOptions, apply};
use crate::image::Store;
use crate::image::config;
use crate::image::view::LayerView;
use crate::output::outcome::Said;
use crate::plan::op;
use crate::plan::{Op, Plan};
use crate::stage::enter;
use crate::state::BoxRecord;
use crate::state::StateError;
use crate::sys::identity::ProcessSpec;
use crate::sys::{SysError, proc, process, pty};
use std::os::fd::{AsRawFd, OwnedFd};

/// `run` (the box's main process, recorded as a step) and `exec` (another
/// process in a running box) share everything but the bookkeeping.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    pub detach: bool,
    pub tty: bool,
    pub is_run: bool,
}

/// What the command's stdin, stdout and stderr are, kept open while it starts.
enum Stdio {
    Inherited,
    Log(OwnedFd, OwnedFd),
    Pty(pty::Pty),
}

impl Stdio {
    fn fds(&self) -> Option<[i32; 3]> {
        match self {
            Stdio::Inherited => None,
            Stdio::Log(i, o) => Some([i.as_raw_fd(), o.as_raw_fd(), o.as_raw_fd()]),
            Stdio::Pty(p) => Some([p.slave.as_raw_fd(); 3]),
        }
    }
}

const FORWARDED: [i32; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

pub fn run(args: &ProcessArgs, mode: Mode, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    let name = args.name.as_str();
    let (lock, mut record) = ctx.open(name)?;
    if !mode.is_run {
        enter::check_exec(&record)?;
    }
    let (argv, process) = command_of(args, &record, mode, ctx)?;
    let argv = argv.as_slice();
    let facts = enter::EnterFacts::gather(std::path::Path::new(proc::PROC_ROOT), &record);
    let plan = enter::plan_run(&ctx.root, &record, argv, &process, &facts)?;
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    let stdio = if mode.detach {
        open_log(ctx, name)?
    } else if mode.tty {
        Stdio::Pty(pty::open()?)
    } else {
        Stdio::Inherited
    };
    // Blocked before the command starts, so a signal sent at any moment
    // after is forwarded to it rather than killing glassbox alone.
    let sigs = if mode.detach { None } else { Some(process::signalfd(&FORWARDED)?) };
    let opts =
        ApplyOptions { explain: ctx.explain, stdio: stdio.fds(), detach: mode.detach, tty: mode.tty, listener: None };
    let mut applied = apply(&plan, &opts).map_err(|e| exec_error(&plan, e))?;
    // A run is recorded once its command is known to have started. Where
    // the box init starts it, the record is written and fsync'd meanwhile,
    // and put in place once the init says so.
    let draft = if mode.is_run {
        if let (true, Some(pid)) = (mode.detach, applied.exec_pid) {
            record.main = proc::ProcRef::of(pid);
        }
        record.record_step(typed.clone(), plan.clone());
        Some(record.draft(&ctx.root)?)
    } else {
        None
    };
    let asked = applied.asked(&plan).map_err(|e| exec_error(&plan, e))?;
    // A command the box init forked reports an exec failure only later:
    // such a run is recorded after it (below), any other one now.
    let record_later = mode.is_run && !mode.detach && asked.as_ref().is_some_and(|a| !a.exec_done);
    match draft {
        Some(draft) if !record_later => draft.publish()?,
        _ => {} // (a draft dropped is deleted)
    }
    drop(lock);
    if mode.detach {
        let said = crate::i18n::tr!("step-run-detached", path = ctx.root.log_path(name));
        return ctx.show(Said::new(crate::model::when_json(&ctx.root, &record), said));
    }
    let sigs = sigs.expect("a foreground run blocks signals first");
    let (_raw, output) = match stdio {
        Stdio::Pty(p) => {
            // Our copy of the slave must close, or the relay never sees the end.
            drop(p.slave);
            (Some(pty::RawMode::enter()), Some((pty::relay(&p.master)?, p.master)))
        }
        _ => (None, None),
    };
    let code = match (applied.exec_pid, asked) {
        (Some(pid), _) => process::wait_forwarding(pid, &sigs)?.shell_code(),
        (None, Some(asked)) => {
            let code = crate::init::client::wait_exit(&asked.conn, &sigs).map_err(|e| exec_failure(&argv[0], &e))?;
            if record_later {
                let (_lock, mut record) = ctx.open_any(name)?;
                record.record_step(typed, plan);
                note_exit(&mut record, code);
                record.save(&ctx.root)?;
            }
            code
        }
        (None, None) => unreachable!("a run plan ends in Exec or AskInit"),
    };
    if mode.is_run && !record_later {
        // Best effort: the box may have been removed while its command ran.
        if let Ok((_lock, mut record)) = ctx.open_any(name) {
            note_exit(&mut record, code);
            let _ = record.save(&ctx.root);
        }
    }
    if let Some((thread, _master)) = output {
        finish_output(thread);
    }
    Ok(u8::try_from(code).unwrap_or(1))
}

/// A foreground `run` whose output (stdout and stderr together) is read
/// line by line instead of passed through, stdin empty: how `build` runs a
/// RUN. Recorded as a step of the box; returns the command's exit code.
pub fn run_piped(
    ctx: &Ctx,
    name: &str,
    argv: &[String],
    process: &ProcessSpec,
    typed: Vec<String>,
    on_line: &mut dyn FnMut(&str),
) -> Result<i32> {
    use std::io::BufRead;
    let (lock, mut record) = ctx.open(name)?;
    let facts = enter::EnterFacts::gather(std::path::Path::new(proc::PROC_ROOT), &record);
    let plan = enter::plan_run(&ctx.root, &record, argv, process, &facts)?;
    let (read, write) = crate::sys::fd::pipe()?;
    let null = crate::sys::fd::open_null()?;
    let sigs = process::signalfd(&FORWARDED)?;
    let stdio = Some([null.as_raw_fd(), write.as_raw_fd(), write.as_raw_fd()]);
    let opts = ApplyOptions { explain: ctx.explain, stdio, detach: false, tty: false, listener: None };
    let mut applied = apply(&plan, &opts).map_err(|e| exec_error(&plan, e))?;
    let asked = applied.asked(&plan).map_err(|e| exec_error(&plan, e));
    // Only the command holds the writing end now: its end is our EOF.
    drop((write, null));
    let asked = asked?;
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    drop(lock);
    let reader = std::io::BufReader::new(std::fs::File::from(read));
    for line in reader.split(b'\n') {
        let line = line.map_err(|e| crate::sys::SysError::io("read the command's output", e))?;
        on_line(&String::from_utf8_lossy(&line));
    }
    let code = match (applied.exec_pid, asked) {
        (Some(pid), _) => process::wait_forwarding(pid, &sigs)?.shell_code(),
        (None, Some(asked)) => {
            crate::init::client::wait_exit(&asked.conn, &sigs).map_err(|e| exec_failure(&argv[0], &e))?
        }
        (None, None) => unreachable!("a run plan ends in Exec or AskInit"),
    };
    // The caller goes on (the next build step): Ctrl-C reaches it again.
    process::unblock(&FORWARDED);
    Ok(code)
}

/// The command and its process: `exec` runs what it is given, `run` the
/// image's Entrypoint before it (or its Cmd when nothing is given); both
/// with the image's Env, WorkingDir and User under `-e`, `-w`, `-u`.
fn command_of(args: &ProcessArgs, record: &BoxRecord, mode: Mode, ctx: &Ctx) -> Result<(Vec<String>, ProcessSpec)> {
    let config = record.image_config.as_ref();
    if args.entrypoint.is_some() && !mode.is_run {
        return Err(UsageError::ExecEntrypoint { name: args.name.clone() }.into());
    }
    let argv = if mode.is_run {
        config::command_with(config, args.entrypoint.as_deref(), &args.argv)
    } else {
        args.argv.clone()
    };
    if argv.is_empty() {
        let (name, verb) = (args.name.clone(), if mode.is_run { "run" } else { "exec" }.to_string());
        return Err(if mode.is_run && record.image_config.is_some() {
            UsageError::NothingToRunImage { name, verb }
        } else {
            UsageError::NothingToRun { name, verb }
        }
        .into());
    }
    let over = config::Overrides { env: args.env.clone(), workdir: args.workdir.clone(), user: args.user.clone() };
    let process = config::process(config, &over, &|path| read_in_box(ctx, record, path))?;
    Ok((argv, process))
}

/// A small file of the box's root filesystem as the box sees it (its
/// container layer over its layers), read without following any symlink.
pub fn read_in_box(ctx: &Ctx, record: &BoxRecord, path: &str) -> Option<String> {
    if !record.rootfs_mounted {
        // Its root is the host's.
        return std::fs::read_to_string(path).ok();
    }
    let store = Store::at(&ctx.root);
    let mut trees = vec![ctx.root.container_layer(&record.name).0];
    trees.extend(super::rootfs::lower_trees(&store, &record.layers));
    let bytes = LayerView::open(&trees).read_file(std::path::Path::new(path), 1 << 20)?;
    String::from_utf8(bytes).ok()
}

/// How the run's command ended, for whoever shows the box as a container
/// (the daemon's `docker wait` and `docker ps`): the run is the last step.
fn note_exit(record: &mut crate::state::BoxRecord, code: i32) {
    let step = record.steps.iter().rev().find(|s| s.plan.ops.iter().any(|op| op.is_exec() || op.is_ask_init()));
    record.last_exit =
        Some(crate::state::record::Exit { code, at: crate::state::record::now(), step: step.map_or(0, |s| s.n) });
}

/// Lets the last output through; a process the command left running in the
/// background may keep the terminal open, so do not wait for it forever.
fn finish_output(thread: std::thread::JoinHandle<()>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(500);
    while !thread.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn open_log(ctx: &Ctx, name: &str) -> Result<Stdio> {
    let path = ctx.root.log_path(name);
    let out =
        std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(|e| StateError::io(&path, e))?;
    Ok(Stdio::Log(crate::sys::fd::open_null()?, out.into()))
}

fn exec_failure(cmd: &str, e: &SysError) -> Error {
    let reason = match e.errno() {
        Some(libc::ENOENT) => "not found".to_string(),
        Some(libc::EACCES) => "permission denied".to_string(),
        _ => e.to_string(),
    };
    Error::Exec { path: cmd.to_string(), reason }
}

/// A failed `Exec` operation is the user's command not being there (or
/// not runnable), not glassbox failing.
fn exec_error(plan: &Plan, e: ApplyError) -> Error {
    match plan.ops.get(e.index - 1).and_then(Op::as_process_helper) {
        Some(op::Exec { argv, .. }) => exec_failure(&argv[0], &e.source),
        _ => e.into(),
    }
}
