//! Taking a box apart, also after a crash.
//!
//! glassbox does not trust its records alone to find what it made: a command
//! killed half way may have made a hold or an init it never wrote down. So
//! teardown asks the kernel: every mount below the box's runtime folder (from
//! /proc/self/mountinfo) is the box's, recorded or not, and so is every
//! `glassbox-init BOX _ ROOT` process (from /proc) whenever a process may be
//! missing from the record (see `Unrecorded`). `box_processes` reads them
//! under a /proc root it is given, so the rm planner's test gives a fake one.

use crate::state::{BoxRecord, Root};
use crate::sys::{ending, mounts, proc};
use std::path::Path;
use std::time::Duration;

/// Where `<root>` sits in each long-lived role's argv, `<role> <box> <fd> <…> <root>`.
const INIT: (&str, usize) = ("glassbox-init", 3);
const PROXY: (&str, usize) = ("glassbox-proxy", 4);
/// A compose project's supervisor: `glassbox-supervisor <project> <fd> <root>`.
pub const SUPERVISOR: (&str, usize) = ("glassbox-supervisor", 3);
const BALANCER: (&str, usize) = ("glassbox-lb", 4);

/// A namespace by its /proc/PID/ns file name and inode.
type NsId = (&'static str, u64);

/// glassbox's own long-lived processes in these roles, of this root, and of
/// one box if named, and the processes in namespace `member` if given: one
/// pass over a /proc root (the host's, or a test's folder: a read of each
/// process's argv, and of its ns link).
fn find_roles(
    proc_root: &Path,
    roles: &[(&str, usize)],
    root: &Root,
    name: Option<&str>,
    member: Option<NsId>,
) -> Vec<proc::ProcRef> {
    let root_text = root.state.display().to_string();
    let me = proc::self_pid_in(proc_root).unwrap_or_else(proc::self_pid);
    proc::all_pids_in(proc_root)
        .into_iter()
        .filter(|pid| {
            let argv = proc::argv_in(proc_root, *pid);
            let in_role = roles.iter().any(|(role, root_at)| {
                argv.first().is_some_and(|a| a == role)
                    && argv.get(*root_at) == Some(&root_text)
                    && name.is_none_or(|n| argv.get(1).is_some_and(|a| a == n))
            });
            in_role
                || member
                    .is_some_and(|(file, inode)| *pid != me && proc::ns_inode_in(proc_root, *pid, file) == Some(inode))
        })
        .filter_map(|pid| proc::ProcRef::of_in(proc_root, pid))
        .collect()
}

/// The host's /proc, where the long-lived roles are looked for.
fn host_proc() -> &'static Path {
    Path::new(proc::PROC_ROOT)
}

/// Init processes of this box under this root, recorded or not.
pub fn find_inits(root: &Root, name: Option<&str>) -> Vec<proc::ProcRef> {
    find_roles(host_proc(), &[INIT], root, name, None)
}

/// Published-port proxies of this box under this root.
pub fn find_proxies(root: &Root, name: Option<&str>) -> Vec<proc::ProcRef> {
    find_roles(host_proc(), &[PROXY], root, name, None)
}

/// Compose supervisors under this root, of one project if named.
pub fn find_supervisors(root: &Root, project: Option<&str>) -> Vec<proc::ProcRef> {
    find_roles(host_proc(), &[SUPERVISOR], root, project, None)
}

/// Pool balancers under this root, of one pool if named (they belong to no box).
pub fn find_balancers(root: &Root, pool: Option<&str>) -> Vec<proc::ProcRef> {
    find_roles(host_proc(), &[BALANCER], root, pool, None)
}

/// SIGTERM, then SIGKILL after `patience`; waits until they are gone.
/// (A killed init may stay a zombie until its parent, the host's PID 1,
/// reaps it: it holds no namespace then.)
pub fn terminate(procs: &[proc::ProcRef], patience: Duration) {
    ending::Ending::begin(procs).finish(patience);
}

/// The processes a box started: its init (recorded or found), its main
/// process, and any other process in its namespaces that the init's end
/// would not take along.
/// (The recorded ones may be long gone: ending them checks each first.)
/// They are looked for under `proc_root` (the host's /proc, or a test's folder).
pub fn box_processes(proc_root: &Path, root: &Root, name: &str, record: Option<&BoxRecord>) -> Vec<proc::ProcRef> {
    let member = record.and_then(outside_the_init);
    let mut procs = match record {
        Some(r) if member.is_none() && !Unrecorded::may_exist(root, r) => vec![],
        _ => find_roles(proc_root, &[INIT, PROXY], root, Some(name), member),
    };
    if let Some(r) = record {
        procs.extend(r.init.iter().chain(r.main.iter()));
    }
    procs.sort_unstable_by_key(|p| (p.pid, p.start_time));
    procs.dedup();
    procs
}

/// The mark of a step that starts a long-lived process (a box init, a port
/// proxy) the record will name only once the step is saved. A command killed
/// in between leaves the mark behind, and teardown then looks through /proc
/// for the box's processes; without it, the record names them all, and the
/// pass over every process on the machine (a few µs each, hundreds on a
/// desktop) is skipped.
pub struct Unrecorded {
    path: std::path::PathBuf,
    /// False when an earlier, killed step left the mark: its process is still
    /// unrecorded, so the mark must outlive this step.
    ours: bool,
}

impl Unrecorded {
    pub fn mark(root: &Root, name: &str) -> Result<Unrecorded, crate::sys::SysError> {
        let path = root.unrecorded_mark(name);
        let io = |e| {
            let call =
                format!("create {} (glassbox writes the folder of --root; give one it can write)", path.display());
            crate::sys::SysError::io(call, e)
        };
        let ours = match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
            Err(e) => return Err(io(e)),
        };
        Ok(Unrecorded { path, ours })
    }

    /// The step's record is saved: it names the step's processes now.
    pub fn recorded(self) {
        if self.ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }

    /// Whether a process of the box may be missing from its record: a step
    /// was killed after starting one, or the box has port proxies (found by
    /// their argv alone).
    fn may_exist(root: &Root, record: &BoxRecord) -> bool {
        record.net.as_ref().is_some_and(|n| !n.published.is_empty())
            || root.unrecorded_mark(&record.name).exists()
            || root.old_unrecorded_mark(&record.name).exists()
    }
}

/// A namespace of the box that every process glassbox started in it is in,
/// when some of them may live outside the box's PID namespace: no such
/// namespace, or a command ran before it was made (its `exec -d`s too). The
/// init's end kills everything inside its namespace, so most boxes need no
/// namespace read per process. Time comes first: a command joins the box's
/// time namespace only in the child that execs, so the forked parent that
/// was recorded as the main process is not the command.
fn outside_the_init(record: &BoxRecord) -> Option<NsId> {
    use crate::domain::NamespaceKind as K;
    if record.owns(K::Pid) && !record.ran_a_command_before_its_init() {
        return None;
    }
    // Never one shared with another box (a pod): its processes are in it too.
    [K::Time, K::Uts, K::Ipc, K::Net, K::Mnt, K::Cgroup, K::User]
        .into_iter()
        .find_map(|k| record.namespaces.get(&k).filter(|h| h.shared.is_none()).map(|h| (k.proc_file(), h.inode)))
}

/// After a failed step: remove what the step made but never recorded.
pub fn remove_unrecorded(root: &Root, record: &BoxRecord) {
    let stray: Vec<_> = find_inits(root, Some(&record.name)).into_iter().filter(|p| Some(*p) != record.init).collect();
    terminate(&stray, Duration::from_secs(1));
    let recorded: Vec<_> = record
        .namespaces
        .values()
        .filter_map(|h| match &h.holder {
            crate::state::Holder::BindMount { path } => Some(path.clone()),
            _ => None,
        })
        .collect();
    let holds = root.holds_dir(&record.name);
    for m in mounts::mounts_under(&holds) {
        // (The tmpfs they are made on is no hold.)
        if m != holds && !recorded.contains(&m) {
            let _ = mounts::umount_detach(&m);
            let _ = std::fs::remove_file(&m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Unrecorded;
    use crate::state::{BoxRecord, Root};

    #[test]
    fn a_mark_where_either_version_keeps_it_says_a_process_may_be_unrecorded() {
        let base = crate::state::paths::unit_test_dir("unrecorded");
        let root = Root::new(Some(&base));
        let record = BoxRecord::new("b");
        std::fs::create_dir_all(root.box_dir("b")).unwrap();
        std::fs::create_dir_all(root.runtime_box_dir("b")).unwrap();
        let none = Unrecorded::may_exist(&root, &record);
        std::fs::write(root.old_unrecorded_mark("b"), "").unwrap();
        let old = Unrecorded::may_exist(&root, &record);
        std::fs::remove_file(root.old_unrecorded_mark("b")).unwrap();
        let mark = Unrecorded::mark(&root, "b").unwrap();
        let new = Unrecorded::may_exist(&root, &record);
        mark.recorded();
        let after = Unrecorded::may_exist(&root, &record);
        assert_eq!((none, old, new, after), (false, true, true, false));
    }
}
