//! Removing a box's cgroups, bottom-up. A cgroup folder can be removed only
//! when no process is in it and it has no child cgroups, and a process in
//! the box (root in its cgroup namespace) may have made child cgroups.

use crate::sys::{ending, proc, process};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every cgroup folder at or below `dir`, deepest first.
fn subtree(dir: &Path) -> Vec<PathBuf> {
    let mut all = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < all.len() {
        if let Ok(rd) = std::fs::read_dir(&all[i]) {
            all.extend(rd.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).map(|e| e.path()));
        }
        i += 1;
    }
    all.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    all
}

fn members(dirs: &[PathBuf]) -> Vec<i32> {
    dirs.iter()
        .flat_map(|d| {
            std::fs::read_to_string(d.join("cgroup.procs"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.parse().ok())
                .collect::<Vec<i32>>()
        })
        .collect()
}

/// Kills what is left in the cgroup tree, then removes its folders.
pub fn remove_tree(dir: &Path) -> Result<(), crate::sys::SysError> {
    if !dir.exists() {
        return Ok(());
    }
    let dirs = subtree(dir);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let pids: Vec<i32> = members(&dirs).into_iter().filter(|p| proc::state(*p).is_some_and(|s| s != 'Z')).collect();
        if pids.is_empty() || Instant::now() > deadline {
            break;
        }
        if dir.join("cgroup.kill").exists() {
            let _ = std::fs::write(dir.join("cgroup.kill"), "1");
        } else {
            for pid in &pids {
                let _ = process::kill(*pid, libc::SIGKILL);
            }
        }
        ending::wait_gone(&pids, Duration::from_millis(500));
    }
    for d in &dirs {
        // A just-killed process may take a moment to leave its cgroup.
        let until = Instant::now() + Duration::from_secs(2);
        loop {
            match std::fs::remove_dir(d) {
                Ok(()) => break,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(e) if Instant::now() > until => {
                    return Err(crate::sys::SysError::io(format!("rmdir {}", d.display()), e));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    Ok(())
}
