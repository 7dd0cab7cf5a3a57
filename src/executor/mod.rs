//! The one executor: applies a [`Plan`] operation by operation.
//!
//! Operations performed by the helper run in a forked child; operations
//! performed by the host run here. The two take turns over a pair of pipes:
//! the helper runs its operations until the next host operation, says
//! "your turn at N", and waits; the host does its part and says "go on at M".
//! A helper error comes back as a message naming the operation and errno.

use crate::plan::apply::{HelperCx, HostCx};
use crate::plan::work::Worker;
use crate::plan::{Op, Plan};
use crate::sys::fd::{LineReader, pipe, write_all};
use crate::sys::process::{Forked, die_with_parent, exit_now, fork};
use crate::sys::{SysError, SysResult, pause};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

pub use crate::plan::ApplyOptions;

#[derive(Debug, Serialize, Deserialize)]
enum Msg {
    Yield { next: usize, init: Option<i32> },
    Failed { index: usize, error: String, errno: Option<i32> },
    Resume { next: usize },
}

/// What applying left behind that the caller must know about.
#[derive(Debug, Default)]
pub struct Applied {
    pub helper: Option<i32>,
    /// The helper became the command (`Exec`): wait for it.
    pub exec_pid: Option<i32>,
    pub init: Option<i32>,
    /// The box init was asked to start a command (`AskInit`): see `asked`.
    asking: Option<crate::init::client::Asking>,
    /// The helper, told that the plan is done, exiting.
    pub finishing: Option<ExitingHelper>,
    /// Where the helper will say that the init it started has exec'd, and
    /// the operation that started it: see `init_confirmed`.
    init_word: Option<(LineReader, usize)>,
    /// What the plan's pool operations made (`plan::pool`).
    pub pool: Option<crate::plan::pool::Made>,
}

impl Applied {
    /// The box init's answer to `AskInit`, read apart from `apply` so that
    /// the caller can work while the init starts the command: the connection
    /// once it has, or the failure as the operation's.
    pub fn asked(&mut self, plan: &Plan) -> Result<Option<crate::init::client::Asked>, ApplyError> {
        let Some(asking) = self.asking.take() else { return Ok(None) };
        let index = plan.ops.iter().position(Op::is_ask_init).expect("an AskInit plan");
        asking.started().map(Some).map_err(|e| fail_at(plan, index, e))
    }

    /// Waits until the init the plan started has exec'd and runs on its own
    /// (`detached::on_its_own`), read apart from `apply_unconfirmed` so that
    /// the caller can write the box record meanwhile; a failure to get there
    /// is the plan's last operation's.
    pub fn init_confirmed(&mut self, plan: &Plan) -> Result<(), ApplyError> {
        let Some((mut replies, last)) = self.init_word.take() else { return Ok(()) };
        match next_yield(plan, &mut replies, last)? {
            Some(_) => Ok(()),
            None => Err(fail_at(plan, last, SysError::io("helper", std::io::Error::other("exited")))),
        }
    }
}

/// A helper on its way out, reaped when this is dropped: a caller that keeps
/// it while it writes the box record lets the helper's exit (tearing down
/// its copy of glassbox's memory) run beside that work instead of before it.
#[derive(Debug)]
pub struct ExitingHelper(i32);

impl Drop for ExitingHelper {
    fn drop(&mut self) {
        let _ = crate::sys::process::wait(self.0);
    }
}

#[derive(Debug, thiserror::Error)]
#[error("step {index} ({syscall}) failed: {source}")]
pub struct ApplyError {
    pub index: usize,
    pub syscall: String,
    #[source]
    pub source: SysError,
}

/// Host-side state shared with a helper by fork.
#[derive(Default)]
struct Shared {
    listener: Option<OwnedFd>,
    /// Processes a `Signal` asked to end, for the `AwaitEnd` after it.
    ending: Option<crate::sys::ending::Ending>,
}

struct HelperLink {
    pid: i32,
    to_helper: OwnedFd,
    replies: LineReader,
}

fn send(fd: RawFd, msg: &Msg) -> SysResult<()> {
    let mut line = serde_json::to_vec(msg).expect("messages serialise");
    line.push(b'\n');
    write_all(fd, &line)
}

fn fail_at(plan: &Plan, index: usize, source: SysError) -> ApplyError {
    ApplyError { index: index + 1, syscall: plan.ops[index].faces().syscall, source }
}

/// Applies the plan; an init it starts has exec'd by the time this returns.
pub fn apply(plan: &Plan, opts: &ApplyOptions) -> Result<Applied, ApplyError> {
    let mut applied = apply_unconfirmed(plan, opts)?;
    applied.init_confirmed(plan)?;
    Ok(applied)
}

/// Applies a plan with work operations (`plan::work`), which `worker` does.
pub fn apply_with(plan: &Plan, opts: &ApplyOptions, worker: &mut dyn Worker) -> Result<Applied, ApplyError> {
    let mut applied = applying(plan, opts, Some(worker))?;
    applied.init_confirmed(plan)?;
    Ok(applied)
}

/// Applies the plan, leaving the word that its init has exec'd to
/// [`Applied::init_confirmed`].
pub fn apply_unconfirmed(plan: &Plan, opts: &ApplyOptions) -> Result<Applied, ApplyError> {
    applying(plan, opts, None)
}

fn applying(plan: &Plan, opts: &ApplyOptions, worker: Option<&mut dyn Worker>) -> Result<Applied, ApplyError> {
    let mut link: Option<HelperLink> = None;
    let result = apply_ops(plan, opts, &mut link, worker);
    if result.is_err() {
        // A step failed with the helper still there (its own report, or a
        // host operation failing while it waited for its turn): closing the
        // pipes ends it, as it reads EOF where it waits, and it is reaped.
        if let Some(l) = link.take() {
            let reaper = ExitingHelper(l.pid);
            drop(l);
            drop(reaper);
        }
    }
    result
}

fn apply_ops(
    plan: &Plan,
    opts: &ApplyOptions,
    link: &mut Option<HelperLink>,
    mut worker: Option<&mut dyn Worker>,
) -> Result<Applied, ApplyError> {
    let mut shared = Shared::default();
    let mut applied = Applied::default();
    // The helper waits for the host at an operation (not at the plan's end).
    let mut helper_waits = false;
    let mut i = 0;
    while i < plan.ops.len() {
        let op = &plan.ops[i];
        if let Op::Host(host) = op {
            explain(opts, op, i, applied.helper);
            let mut cx = HostCx {
                opts,
                helper: link.as_ref().map(|l| l.pid),
                listener: &mut shared.listener,
                ending: &mut shared.ending,
                asking: &mut applied.asking,
                // lent for this operation alone (the cast shortens its lifetime)
                worker: worker.as_deref_mut().map(|w| w as &mut dyn Worker),
                pool: &mut applied.pool,
            };
            host.step().apply(&mut cx).map_err(|e| fail_at(plan, i, e))?;
            i += 1;
            continue;
        }
        let l = match link {
            Some(l) => {
                send(l.to_helper.as_raw_fd(), &Msg::Resume { next: i }).map_err(|e| fail_at(plan, i, e))?;
                l
            }
            None => {
                let l = start_helper(plan, i, &shared, opts).map_err(|e| fail_at(plan, i, e))?;
                applied.helper = Some(l.pid);
                link.insert(l)
            }
        };
        match next_yield(plan, &mut l.replies, i)? {
            Some((next, init)) => {
                applied.init = init.or(applied.init);
                helper_waits = next < plan.ops.len();
                i = next;
            }
            None if plan.ops.last().is_some_and(Op::is_exec) => {
                // The pipe closed on exec: the helper is now the command.
                applied.exec_pid = Some(l.pid);
                return Ok(applied);
            }
            None => {
                let exit = crate::sys::process::wait(l.pid);
                *link = None;
                return Err(fail_at(
                    plan,
                    i,
                    SysError::io(format!("helper exited ({exit:?})"), std::io::Error::other("died")),
                ));
            }
        }
    }
    if let Some(l) = link.take() {
        let _ = send(l.to_helper.as_raw_fd(), &Msg::Resume { next: plan.ops.len() });
        applied.finishing = Some(ExitingHelper(l.pid));
        // The init the helper started was exec'ing while the host went on;
        // the helper says when it has.
        if helper_waits && applied.init.is_some() {
            applied.init_word = Some((l.replies, plan.ops.len() - 1));
        }
    }
    Ok(applied)
}

/// The helper's next "your turn at N" (with the init it started, if any),
/// None once its pipe has closed; any other reply is the failure it reports.
fn next_yield(plan: &Plan, replies: &mut LineReader, i: usize) -> Result<Option<(usize, Option<i32>)>, ApplyError> {
    match replies.next_line().map_err(|e| fail_at(plan, i, e))? {
        Some(line) => match serde_json::from_str::<Msg>(&line) {
            Ok(Msg::Yield { next, init }) => Ok(Some((next, init))),
            reply => Err(failure(plan, i, reply)),
        },
        None => Ok(None),
    }
}

/// A reply other than "your turn": the helper's report of what failed.
fn failure(plan: &Plan, i: usize, reply: serde_json::Result<Msg>) -> ApplyError {
    match reply {
        Ok(Msg::Failed { index, error, errno }) => {
            let source = match errno {
                Some(n) => SysError::io(error, std::io::Error::from_raw_os_error(n)),
                None => SysError::io(error, std::io::Error::other("failed")),
            };
            fail_at(plan, index, source)
        }
        _ => fail_at(plan, i, SysError::io("helper", std::io::Error::other("unexpected message"))),
    }
}

/// Fault injection for the crash tests: `GLASSBOX_PAUSE_BEFORE=hold` makes
/// glassbox (or its helper) sleep before the first operation of that kind,
/// so a test can kill it exactly there and prove `rm --force` cleans up.
fn pause_point(op: &Op) {
    if pause::pause_announced(&op.name()) {
        pause::pause();
    }
}

fn explain(opts: &ApplyOptions, op: &Op, i: usize, helper: Option<i32>) {
    pause_point(op);
    if opts.explain {
        // Never fails a step over its explanation (stderr may be a closed pipe).
        crate::output::error_text(&op.faces().render(i + 1, helper));
    }
}

fn start_helper(plan: &Plan, start: usize, shared: &Shared, opts: &ApplyOptions) -> SysResult<HelperLink> {
    let (host_read, helper_write) = pipe()?;
    let (helper_read, host_write) = pipe()?;
    let host_pid = crate::sys::proc::self_pid();
    match fork()? {
        Forked::Parent(pid) => Ok(HelperLink { pid, to_helper: host_write, replies: LineReader::new(host_read) }),
        Forked::Child => {
            drop((host_read, host_write));
            die_with_parent(libc::SIGKILL);
            if rustix::process::getppid().map(|p| p.as_raw_nonzero().get()) != Some(host_pid) {
                exit_now(1);
            }
            crate::sys::process::set_name("glassbox-helper");
            // A panic must end the helper, never unwind into the host's code
            // path in this forked copy.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                helper_main(plan, start, shared, opts, host_pid, (helper_read, helper_write))
            }));
            exit_now(101)
        }
    }
}

/// The helper's side of the conversation. Never returns.
fn helper_main(
    plan: &Plan,
    mut i: usize,
    shared: &Shared,
    opts: &ApplyOptions,
    host_pid: i32,
    (rx, tx): (OwnedFd, OwnedFd),
) -> ! {
    let me = crate::sys::proc::self_pid();
    crate::sys::ids::remember_host_proc();
    // Joining the mount namespace hides the host's paths, so what each
    // operation needs of the host (see `open_up_front`) is opened first.
    let mut handles: HashMap<usize, OwnedFd> = HashMap::new();
    // Open until the helper exits, after the step's last report.
    let mut kept: Vec<OwnedFd> = Vec::new();
    for (n, op) in plan.ops.iter().enumerate().skip(i) {
        match op.helper().and_then(|h| h.step().open_up_front(&mut kept)) {
            Some(Ok(fd)) => drop(handles.insert(n, fd)),
            Some(Err(e)) => report_and_exit(&tx, n, e),
            None => {}
        }
    }
    let listener = shared.listener.as_ref().map(|l| l.as_raw_fd());
    let mut cx = HelperCx::new(listener, opts, (tx.as_raw_fd(), report_exec_failure), host_pid);
    let mut orders = LineReader::new(rx);
    loop {
        while let Some(Op::Helper(op)) = plan.ops.get(i) {
            explain(opts, &plan.ops[i], i, Some(me));
            cx.index = i;
            if let Err(e) = op.step().apply(&mut cx, handles.get(&i)) {
                report_and_exit(&tx, i, e);
            }
            i += 1;
        }
        if i >= plan.ops.len() {
            init_started(&mut cx, &tx);
            let _ = send(tx.as_raw_fd(), &Msg::Yield { next: i, init: cx.init });
            exit_now(0);
        }
        let _ = send(tx.as_raw_fd(), &Msg::Yield { next: i, init: cx.init });
        let next = match orders.next_line().ok().flatten().and_then(|l| serde_json::from_str::<Msg>(&l).ok()) {
            Some(Msg::Resume { next }) => next,
            _ => exit_now(1),
        };
        // An init started before the host's turn exec'd during it; it has
        // to have got there before the helper goes on or the step ends.
        init_started(&mut cx, &tx);
        if next >= plan.ops.len() {
            if cx.init.is_some() {
                let _ = send(tx.as_raw_fd(), &Msg::Yield { next, init: cx.init });
            }
            exit_now(0);
        }
        i = next;
    }
}

fn init_started(cx: &mut HelperCx, tx: &OwnedFd) {
    if let Err((index, e)) = cx.init_started() {
        report_and_exit(tx, index, e)
    }
}

fn report_and_exit(tx: &OwnedFd, index: usize, e: SysError) -> ! {
    let _ = send(tx.as_raw_fd(), &Msg::Failed { index, error: e.call.clone(), errno: e.errno() });
    exit_now(1)
}

fn report_exec_failure(tx: RawFd, index: usize, e: &SysError) {
    let _ = send(tx, &Msg::Failed { index, error: e.call.clone(), errno: e.errno() });
}
