//! Reading processes from /proc: who they are, which namespaces they are in.
//!
//! A pid alone is not an identity (pids are reused), so glassbox remembers a
//! process as pid plus its start time (field 22 of /proc/PID/stat, in clock
//! ticks since boot) and treats a mismatch as "that process is gone".

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

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
    /// True while the very process we started still exists (and is not a zombie).
    pub fn alive(&self) -> bool {
        // One read of stat for both fields: `exec` asks this on its way in.
        let Some(fields) = stat_fields(self.pid) else { return false };
        start_time_in(&fields) == Some(self.start_time) && state_in(&fields).is_some_and(|s| s != 'Z' && s != 'X')
    }
}

fn stat_fields(pid: i32) -> Option<Vec<String>> {
    let text = read_text(&format!("/proc/{pid}/stat"))?;
    // comm may contain spaces and parentheses: split after the last ')'.
    let rest = &text[text.rfind(')')? + 2..];
    Some(rest.split_whitespace().map(String::from).collect())
}

// Field 22 (starttime) and field 3 (state) of proc_pid_stat(5), counted
// from the field after comm.
fn start_time_in(fields: &[String]) -> Option<u64> {
    fields.get(19)?.parse().ok()
}

fn state_in(fields: &[String]) -> Option<char> {
    fields.first()?.chars().next()
}

pub fn start_time(pid: i32) -> Option<u64> {
    start_time_in(&stat_fields(pid)?)
}

pub fn state(pid: i32) -> Option<char> {
    state_in(&stat_fields(pid)?)
}

/// The direct children of a process (of its main thread, which is where a
/// box init forks), from /proc/PID/task/PID/children.
pub fn children(pid: i32) -> Vec<i32> {
    read_text(&format!("/proc/{pid}/task/{pid}/children"))
        .map(|t| t.split_whitespace().filter_map(|p| p.parse().ok()).collect())
        .unwrap_or_default()
}

pub fn comm(pid: i32) -> Option<String> {
    Some(read_text(&format!("/proc/{pid}/comm"))?.trim_end().to_string())
}

/// The command line with arguments joined by spaces (comm in brackets for kernel threads).
pub fn cmdline(pid: i32) -> Option<String> {
    let raw = read_small(&format!("/proc/{pid}/cmdline")).ok()?;
    if raw.is_empty() {
        return comm(pid).map(|c| format!("[{c}]"));
    }
    let parts: Vec<String> =
        raw.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into()).collect();
    Some(parts.join(" "))
}

/// A /proc file read whole without std::fs::read's size probe (a statx,
/// which says 0 for /proc files anyway): scans of every process pay it once each.
fn read_small(path: &str) -> std::io::Result<Vec<u8>> {
    read_proc(path, 512)
}

/// A /proc file read whole into room for `expected` bytes, in one read where
/// it fits: from an empty buffer, std starts with a 32-byte read and doubles.
pub fn read_proc(path: &str, expected: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(expected);
    // Through `take`: File's own read_to_end asks for the size first.
    std::fs::File::open(path)?.take(u64::MAX).read_to_end(&mut buf)?;
    Ok(buf)
}

fn read_text(path: &str) -> Option<String> {
    String::from_utf8(read_small(path).ok()?).ok()
}

pub fn argv(pid: i32) -> Vec<String> {
    let raw = read_small(&format!("/proc/{pid}/cmdline")).unwrap_or_default();
    raw.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into()).collect()
}

/// The fields of /proc/PID/status the model shows, from one read (a
/// page lists hundreds of processes; each file read costs a few µs).
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
    let text = String::from_utf8(read_proc(&format!("/proc/{pid}/status"), 2048).ok()?).ok()?;
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

pub fn ns_path(pid: i32, file: &str) -> PathBuf {
    PathBuf::from(format!("/proc/{pid}/ns/{file}"))
}

/// The inode of a process's namespace of one kind, from the link text `uts:[4026531838]`.
pub fn ns_inode(pid: i32, file: &str) -> Option<u64> {
    ns_inode_read(pid, file).ok()
}

/// As [`ns_inode`], with the reason when it cannot be read (EACCES: no
/// ptrace access to the process).
pub fn ns_inode_read(pid: i32, file: &str) -> std::io::Result<u64> {
    let link = std::fs::read_link(ns_path(pid, file))?;
    let text = link.to_string_lossy();
    let inode = text.find('[').zip(text.find(']')).and_then(|(a, b)| text.get(a + 1..b)?.parse().ok());
    inode.ok_or_else(|| std::io::Error::other(format!("not a namespace link: {text}")))
}

pub fn all_pids() -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
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

/// Seconds since the machine booted, CLOCK_BOOTTIME (/proc/uptime): a time
/// namespace's offset may not put a clock before zero.
pub fn uptime_seconds() -> Option<f64> {
    read_text("/proc/uptime")?.split_whitespace().next()?.parse().ok()
}

/// This process's capability bounding set (`CapBnd` of /proc/self/status):
/// the most any command it starts can hold.
pub fn bounding_caps() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hex = status.lines().find_map(|l| l.strip_prefix("CapBnd:")).unwrap_or("").trim();
    u64::from_str_radix(hex, 16).unwrap_or(0)
}
