//! A fake /proc for the planners' fixture tests: the few files of a process
//! that the fact-gatherers read, written as the kernel shows them.

use std::path::Path;

/// Process `pid` under the fake /proc `proc`: its `cmdline` (the arguments,
/// each ended by a NUL), its `stat` (start time in field 22, as
/// proc_pid_stat(5) lays it out) and its namespace links (`mnt -> mnt:[123]`).
pub fn process(proc: &Path, pid: i32, argv: &[&str], start_time: u64, ns: &[(&str, u64)]) {
    let dir = proc.join(pid.to_string());
    std::fs::create_dir_all(dir.join("ns")).unwrap();
    let cmdline: String = argv.iter().map(|a| format!("{a}\0")).collect();
    std::fs::write(dir.join("cmdline"), cmdline).unwrap();
    let comm = argv.first().map_or("?", |a| a.rsplit('/').next().unwrap_or(a));
    let stat = format!(
        "{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194304 98 0 0 0 0 0 0 0 20 0 1 0 {start_time} 3133440 410 \
         18446744073709551615 1 1 1 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 1 1 1 1 1 1 1 0\n"
    );
    std::fs::write(dir.join("stat"), stat).unwrap();
    for (file, inode) in ns {
        std::os::unix::fs::symlink(format!("{file}:[{inode}]"), dir.join("ns").join(file)).unwrap();
    }
}
