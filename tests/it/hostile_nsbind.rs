//! glassbox run from inside a mount namespace of its own (a service with
//! private mounts, a CI runner, a container) still holds its boxes' mount
//! namespaces by bind mounts, however the kernel numbered them.

use crate::harness::{BIN, Sandbox, text};
use std::process::Command;

/// The first two CPUs this process may run on (one on a single-CPU machine).
fn two_cpus() -> Vec<String> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let list = status.lines().find_map(|l| l.strip_prefix("Cpus_allowed_list:")).unwrap().trim().to_string();
    let mut cpus = vec![];
    for part in list.split(',') {
        let (from, to) = part.split_once('-').unwrap_or((part, part));
        let (from, to): (u32, u32) = (from.parse().unwrap(), to.parse().unwrap());
        cpus.extend((from..=to).take(2).map(|c| c.to_string()));
    }
    cpus.truncate(2);
    cpus
}

#[test]
fn unshare_all_holds_the_mount_namespace_when_glassbox_runs_in_a_mount_namespace_of_its_own() {
    // The issue's loop. Since Linux 6.18 namespace ids come from per-CPU
    // batches, and a bind of /proc/PID/ns/mnt is refused unless the box's
    // id is above glassbox's own namespace's: glassbox's namespace is made
    // on one CPU and glassbox runs on another, then the other way round,
    // so one of the two orders meets the batches in the order that failed.
    let sb = Sandbox::new("hostile-nsbind");
    let name = sb.name("nsbind");
    let cpus = two_cpus();
    let orders: Vec<(&str, &str)> = match cpus.as_slice() {
        [a, b] => vec![(a, b), (b, a)],
        _ => vec![(&cpus[0], &cpus[0]), (&cpus[0], &cpus[0])],
    };
    let rounds = r#"for i in $(seq 15); do
        "$G" --root "$R" create "$B" >/dev/null && "$G" --root "$R" unshare "$B" all >/dev/null \
            || { echo "iteration $i failed" >&2; exit 1; }
        "$G" --root "$R" rm --force "$B" >/dev/null || exit 1
        unshare -m true
    done"#;
    for (outer, inner) in orders {
        let out = Command::new("taskset")
            .args(["-c", outer, "unshare", "--mount", "--propagation", "private"])
            .args(["taskset", "-c", inner, "bash", "-c", rounds])
            .env("G", BIN)
            .env("R", &sb.root)
            .env("B", &name)
            .output()
            .expect("taskset and unshare run");
        assert!(out.status.success(), "namespace made on CPU {outer}, glassbox on CPU {inner}: {}", text(&out.stderr));
    }
}
