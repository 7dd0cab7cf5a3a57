//! Reading processes from /proc: who they are, which namespaces they are in.
//!
//! A pid alone is not an identity (pids are reused), so glassbox remembers a
//! process as pid plus its start time (field 22 of /proc/PID/stat, in clock
//! ticks since boot) and treats a mismatch as "that process is gone".
//!
//! `stat` and `uptime` are parsed by the `procfs` crate's types, and so is
//! `status` where one field is wanted once; the model's many reads of
//! `status` keep a reader of their own (see `status`). Files that are just a list
//! (`cmdline`, `children`, the /proc listing itself) are split here:
//! `procfs` reads those only through its `Process`, which first opens the
//! pid's folder, one more call for every process of a page that lists
//! hundreds.

use procfs::FromRead;
use procfs::process::Stat;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A process glassbox started and must recognise again later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcRef {
    pub pid: i32,
    pub start_time: u64,
}

impl ProcRef {
    pub fn of(pid: i32) -> Option<ProcRef> {
        Some(ProcRef { pid, start_time: start_time(pid)? })
    }
    /// As [`ProcRef::of`], under a /proc root.
    pub fn of_in(proc_root: &Path, pid: i32) -> Option<ProcRef> {
        Some(ProcRef { pid, start_time: stat_in(proc_root, pid)?.starttime })
    }
    /// True while the very process we started still exists (and is not a zombie).
    pub fn alive(&self) -> bool {
        self.alive_in(Path::new(PROC_ROOT))
    }
    /// As [`ProcRef::alive`], under a /proc root.
    pub fn alive_in(&self, proc_root: &Path) -> bool {
        // One read of stat for both fields: `exec` asks this on its way in.
        let Some(stat) = stat_in(proc_root, self.pid) else { return false };
        stat.starttime == self.start_time && stat.state != 'Z' && stat.state != 'X'
    }
}

/// /proc/PID/stat, proc_pid_stat(5): one line of fields after `(comm)`, which
/// may itself hold spaces and parentheses (the crate splits after the last `)`).
fn stat(pid: i32) -> Option<Stat> {
    stat_in(Path::new(PROC_ROOT), pid)
}

fn stat_in(proc_root: &Path, pid: i32) -> Option<Stat> {
    Stat::from_file(pid_file(proc_root, pid, "stat")).ok()
}

/// `<proc>/PID/FILE`.
fn pid_file(proc_root: &Path, pid: i32, file: &str) -> PathBuf {
    let mut path = proc_root.join(pid.to_string());
    path.push(file);
    path
}

/// Field 22, starttime: clock ticks after boot.
pub fn start_time(pid: i32) -> Option<u64> {
    Some(stat(pid)?.starttime)
}

/// Field 3, state: R, S, D, Z, …
pub fn state(pid: i32) -> Option<char> {
    Some(stat(pid)?.state)
}

/// The direct children of a process (of its main thread, which is where a
/// box init forks), from /proc/PID/task/PID/children.
pub fn children(pid: i32) -> Vec<i32> {
    read_text(format!("/proc/{pid}/task/{pid}/children"))
        .map(|t| t.split_whitespace().filter_map(|p| p.parse().ok()).collect())
        .unwrap_or_default()
}

pub fn comm(pid: i32) -> Option<String> {
    comm_in(Path::new(PROC_ROOT), pid)
}

/// As [`comm`], under a /proc root.
pub fn comm_in(proc_root: &Path, pid: i32) -> Option<String> {
    Some(read_text(pid_file(proc_root, pid, "comm"))?.trim_end().to_string())
}

/// The command line with arguments joined by spaces (comm in brackets for kernel threads).
pub fn cmdline(pid: i32) -> Option<String> {
    let raw = read_small(format!("/proc/{pid}/cmdline")).ok()?;
    if raw.is_empty() {
        return comm(pid).map(|c| format!("[{c}]"));
    }
    let parts: Vec<String> =
        raw.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into()).collect();
    Some(parts.join(" "))
}

/// A /proc file read whole without std::fs::read's size probe (a statx,
/// which says 0 for /proc files anyway): scans of every process pay it once each.
fn read_small(path: impl AsRef<Path>) -> std::io::Result<Vec<u8>> {
    read_proc(path, 512)
}

/// A /proc file read whole into room for `expected` bytes, in one read where
/// it fits: from an empty buffer, std starts with a 32-byte read and doubles.
pub fn read_proc(path: impl AsRef<Path>, expected: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(expected);
    // Through `take`: File's own read_to_end asks for the size first.
    std::fs::File::open(path)?.take(u64::MAX).read_to_end(&mut buf)?;
    Ok(buf)
}

fn read_text(path: impl AsRef<Path>) -> Option<String> {
    String::from_utf8(read_small(path).ok()?).ok()
}

pub fn argv(pid: i32) -> Vec<String> {
    argv_in(Path::new(PROC_ROOT), pid)
}

/// As [`argv`], under a /proc root: `<proc>/PID/cmdline` split at its NULs.
pub fn argv_in(proc_root: &Path, pid: i32) -> Vec<String> {
    let raw = read_small(pid_file(proc_root, pid, "cmdline")).unwrap_or_default();
    raw.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into()).collect()
}

/// The fields of /proc/PID/status the model shows, from one read (a
/// page lists hundreds of processes). Parsed here, not by `procfs`: its
/// `Status` keeps every one of the file's fifty-odd lines (a map of
/// owned strings first), several times the cost of picking out these four
/// (docs/performance.md, issue 24); `bounding_caps`, read once, uses it.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub state: char,
    pub ppid: i32,
    pub uid: Option<u32>,
    /// The pid in each nested PID namespace, outermost (as seen from here) first.
    pub nspids: Vec<i32>,
}

pub fn status(pid: i32) -> Option<Status> {
    // About 1.4 KiB: room for all of it in the first read (from 512 bytes,
    // read_to_end would take three reads and the one that says "end").
    let text = String::from_utf8(read_proc(format!("/proc/{pid}/status"), 2048).ok()?).ok()?;
    let mut st = Status::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        match key {
            "State" => st.state = value.chars().next().unwrap_or('?'),
            "PPid" => st.ppid = value.parse().unwrap_or(0),
            "Uid" => st.uid = value.split_whitespace().nth(1).and_then(|v| v.parse().ok()),
            "NSpid" => st.nspids = value.split_whitespace().filter_map(|x| x.parse().ok()).collect(),
            _ => {}
        }
    }
    Some(st)
}

/// Where the host's procfs is mounted: the default of every `/proc` root a
/// fact-gatherer takes (a planner's fixture test gives a folder instead).
pub const PROC_ROOT: &str = "/proc";

pub fn ns_path(pid: i32, file: &str) -> PathBuf {
    PathBuf::from(format!("/proc/{pid}/ns/{file}"))
}

/// As [`ns_inode`], under a /proc root: `<proc>/PID/ns/FILE`.
pub fn ns_inode_in(proc_root: &Path, pid: i32, file: &str) -> Option<u64> {
    ns_inode_of_link(&proc_root.join(pid.to_string()).join("ns").join(file)).ok()
}

/// The inode of a process's namespace of one kind, from the link text `uts:[4026531838]`.
pub fn ns_inode(pid: i32, file: &str) -> Option<u64> {
    ns_inode_read(pid, file).ok()
}

/// As [`ns_inode`], with the reason when it cannot be read (EACCES: no
/// ptrace access to the process).
pub fn ns_inode_read(pid: i32, file: &str) -> std::io::Result<u64> {
    ns_inode_of_link(&ns_path(pid, file))
}

fn ns_inode_of_link(path: &Path) -> std::io::Result<u64> {
    let link = std::fs::read_link(path)?;
    let text = link.to_string_lossy();
    let inode = text.find('[').zip(text.find(']')).and_then(|(a, b)| text.get(a + 1..b)?.parse().ok());
    inode.ok_or_else(|| std::io::Error::other(format!("not a namespace link: {text}")))
}

pub fn all_pids() -> Vec<i32> {
    all_pids_in(Path::new(PROC_ROOT))
}

/// As [`all_pids`], under a /proc root: its folders named by a number.
pub fn all_pids_in(proc_root: &Path) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir(proc_root) else {
        return vec![];
    };
    let mut v: Vec<i32> = dir.flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect();
    v.sort_unstable();
    v
}

/// Every pid with the inode of its /proc/PID folder, from the directory
/// listing alone (no call per process). A process keeps that inode for as
/// long as it lives; a new process with a reused pid gets a new one.
pub fn all_pid_entries() -> Vec<(i32, u64)> {
    use std::os::unix::fs::DirEntryExt;
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    dir.flatten().filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.ino()))).collect()
}

/// The processes descended from `pid` (its children, theirs…), from the
/// kernel's own lists (/proc/PID/task/TID/children): a few small reads,
/// where a pass over /proc reads every process of the host. None when the
/// kernel keeps no such list (CONFIG_PROC_CHILDREN) or `pid` is gone.
pub fn descendants(pid: i32) -> Option<Vec<i32>> {
    let mut found = std::collections::BTreeSet::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        let tasks = match std::fs::read_dir(format!("/proc/{p}/task")) {
            Ok(t) => t,
            Err(_) if p != pid => continue, // it ended meanwhile
            Err(_) => return None,
        };
        for task in tasks.flatten() {
            let text = match std::fs::read_to_string(task.path().join("children")) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && p == pid => return None,
                Err(_) => continue,
            };
            for child in text.split_whitespace().filter_map(|w| w.parse::<i32>().ok()) {
                if found.insert(child) {
                    todo.push(child);
                }
            }
        }
    }
    Some(found.into_iter().collect())
}

pub fn self_pid() -> i32 {
    std::process::id() as i32
}

/// This process's pid as a /proc root names it (the link `<proc>/self`):
/// the same as [`self_pid`] on the host's.
pub fn self_pid_in(proc_root: &Path) -> Option<i32> {
    std::fs::read_link(proc_root.join("self")).ok()?.to_str()?.parse().ok()
}

/// Seconds since the machine booted, CLOCK_BOOTTIME (`<proc>/uptime`): a time
/// namespace's offset may not put a clock before zero.
pub fn uptime_seconds_in(proc_root: &Path) -> Option<f64> {
    Some(procfs::Uptime::from_file(proc_root.join("uptime")).ok()?.uptime)
}

/// This process's capability bounding set (`CapBnd` of /proc/self/status):
/// the most any command it starts can hold.
pub fn bounding_caps() -> u64 {
    procfs::process::Status::from_file("/proc/self/status").ok().and_then(|s| s.capbnd).unwrap_or(0)
}

/// The machine's memory, `MemTotal` of /proc/meminfo, in bytes.
pub fn mem_total_bytes() -> Option<u64> {
    procfs::Meminfo::from_file("/proc/meminfo").ok().map(|m| m.mem_total)
}

/// The whole machine's CPU time since boot in nanoseconds: the `cpu` line of
/// /proc/stat, its user, nice, system, idle, iowait, irq and softirq summed
/// as Docker sums them for its CPU %.
pub fn machine_cpu_ns() -> u64 {
    use procfs::CurrentSI;
    let Ok(stat) = procfs::KernelStats::current() else { return 0 };
    let t = &stat.total;
    let optional = [t.iowait_ms(), t.irq_ms(), t.softirq_ms()].into_iter().flatten().sum::<u64>();
    (t.user_ms() + t.nice_ms() + t.system_ms() + t.idle_ms() + optional) * 1_000_000
}
