//! What an operation is applied against: the host's side of a step, or the
//! helper's. The executor (`crate::executor`) makes these and takes the
//! turns; each family's `apply` acts on them.

use crate::init::client::Asking;
use crate::sys::ending::Ending;
use crate::sys::{SysError, detached, ns};
use std::os::fd::{OwnedFd, RawFd};

/// How to apply: print operations as they run; the stdio and session of an
/// `Exec` (for `run -d`).
#[derive(Debug, Default, Clone)]
pub struct ApplyOptions {
    pub explain: bool,
    pub stdio: Option<[RawFd; 3]>,
    pub detach: bool,
    /// stdio is a pty slave: make it the command's controlling terminal.
    pub tty: bool,
    /// A socket the command bound before it planned (`publish` makes sure
    /// its port is free first), for the operation that hands it on.
    pub listener: Option<RawFd>,
}

/// The host's side: what a host operation may read or leave behind.
pub struct HostCx<'a> {
    pub opts: &'a ApplyOptions,
    /// The helper, once started (`MapIds` and `Hold` name it).
    pub helper: Option<i32>,
    /// The control socket `ListenControl` opened, shared with the helper by fork.
    pub listener: &'a mut Option<OwnedFd>,
    /// Processes a `Signal` asked to end, until the `AwaitEnd` after it.
    pub ending: &'a mut Option<Ending>,
    /// The box init asked to start a command (`AskInit`).
    pub asking: &'a mut Option<Asking>,
    /// Who does a work operation (`plan::work`): given by the command
    /// whose plan has one.
    pub worker: Option<&'a mut dyn super::work::Worker>,
    /// What a pool operation made (`plan::pool`): the balancer a later
    /// operation names, how a drain went.
    pub pool: &'a mut Option<super::pool::Made>,
}

impl HostCx<'_> {
    pub fn helper(&self) -> i32 {
        self.helper.expect("host operations that name the helper come after it started")
    }
}

/// The helper's side.
pub struct HelperCx<'a> {
    pub listener: Option<RawFd>,
    pub opts: &'a ApplyOptions,
    /// Where the helper reports to the host.
    pub tx: RawFd,
    /// Says to the host that the exec of operation N failed (the executor's message).
    pub report_exec_failure: fn(RawFd, usize, &SysError),
    /// A pid or time namespace was entered or made: only children are in it,
    /// so running a command there takes one more fork.
    pub children_differ: bool,
    pub init: Option<i32>,
    /// The init started, on its way to its exec, and the index of its op.
    pub init_starting: Option<(usize, detached::Starting)>,
    pub index: usize,
    /// The glassbox command running the step, the helper's parent.
    pub starter: i32,
    /// A mount tree copied by `CopyTree`, until `AttachTree` attaches it.
    pub tree: Option<OwnedFd>,
    /// The kernel's id of the starter's mount namespace, which makes the
    /// holds: read before the helper leaves it.
    pub holder_mnt_ns: Option<u64>,
}

impl<'a> HelperCx<'a> {
    pub fn new(
        listener: Option<RawFd>,
        opts: &'a ApplyOptions,
        (tx, report_exec_failure): (RawFd, fn(RawFd, usize, &SysError)),
        starter: i32,
    ) -> Self {
        HelperCx {
            listener,
            opts,
            tx,
            report_exec_failure,
            children_differ: false,
            init: None,
            init_starting: None,
            index: 0,
            starter,
            tree: None,
            holder_mnt_ns: ns::own_mount_ns_id(),
        }
    }

    /// Waits until the init started by this plan has exec'd; the index of
    /// its op and the reason where it could not.
    pub fn init_started(&mut self) -> Result<(), (usize, SysError)> {
        match self.init_starting.take() {
            Some((index, starting)) => starting
                .started()
                .map(|_| ())
                .map_err(|e| (index, SysError::io(format!("start the box init: {}", e.call), e.source))),
            None => Ok(()),
        }
    }
}
