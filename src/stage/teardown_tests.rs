//! Fixture tests of the teardown planner, in youki's style: a fake
//! cgroupfs folder and a fake /proc (its self/mountinfo) in, the operations
//! out. No root, no kernel: the planner reads only the facts it is given.

use super::*;
use crate::stage::bridge::NetRecord;
use crate::stage::fake_proc::process;
use crate::state::record::CgroupRecord;

fn record(name: &str) -> BoxRecord {
    let mut r = BoxRecord::new(name);
    r.cgroup = Some(CgroupRecord { version: "v2".into(), paths: vec![], limits: Default::default() });
    r.net = Some(NetRecord {
        bridge: "gb0-test".into(),
        host_veth: "gbv-b1".into(),
        address: "10.88.0.2".parse().unwrap(),
        prefix: 24,
        gateway: "10.88.0.1".parse().unwrap(),
        published: vec![],
    });
    r
}

/// glassbox's own pid in the fake /proc (its `self`).
const ME: i32 = 999;

/// A fake /proc holding only what the teardown planner reads of it: the
/// mount table, and `self` naming glassbox's own pid folder, as the kernel's does.
fn fake_proc(base: &Path, mountinfo: &str) -> PathBuf {
    let proc = base.join("proc");
    std::fs::create_dir_all(proc.join(ME.to_string())).unwrap();
    std::fs::write(proc.join(ME.to_string()).join("mountinfo"), mountinfo).unwrap();
    let _ = std::fs::remove_file(proc.join("self")); // (a second table in the same folder)
    std::os::unix::fs::symlink(ME.to_string(), proc.join("self")).unwrap();
    proc
}

fn shells(plan: &Plan) -> Vec<String> {
    plan.ops.iter().map(|o| o.faces().shell).collect()
}

#[test]
fn rm_plans_the_unmounts_link_deletions_and_rmdirs_the_fixture_holds() {
    let base = crate::state::paths::unit_test_dir("teardown-plan");
    let root = Root::new(Some(&base.join("state")));
    let cgroupfs = base.join("cgroupfs");
    let top = cgroupfs.join(crate::stage::cgroup::parent_name(&root)).join("b1");
    std::fs::create_dir_all(top.join("inner")).unwrap();
    std::fs::write(cgroupfs.join("cgroup.controllers"), "memory pids").unwrap();
    std::fs::write(top.join("cgroup.kill"), "").unwrap();
    std::fs::create_dir_all(root.box_dir("b1")).unwrap();
    std::fs::create_dir_all(root.holds_dir("b1")).unwrap();
    let holds = root.holds_dir("b1");
    let line = |id: u32, at: &Path| format!("{id} 1 0:5 / {} rw - tmpfs glassbox-holds rw\n", at.display());
    // The holds' tmpfs and a hold on it (one unmount takes both), another
    // box's holds, and the runtime folder itself: only the first is this box's.
    let text =
        line(30, &holds) + &line(31, &holds.join("net")) + &line(32, &root.holds_dir("b2")) + &line(29, &root.runtime);
    let facts = gather(&root, "b1", Some(&record("b1")), &cgroupfs, &fake_proc(&base, &text));
    assert!(facts.processes.is_empty(), "the record names no process: {:?}", facts.processes);
    let plan = plan_remove(&facts, Duration::from_secs(2));
    let d = |p: &Path| p.display().to_string();
    assert_eq!(
        shells(&plan),
        [
            format!("umount -l {}", d(&holds)),
            "ip link delete gbv-b1".into(),
            format!("rm -rf {}", d(&root.runtime_box_dir("b1"))),
            format!("echo 1 > {}", d(&top.join("cgroup.kill"))),
            format!("rmdir {}", d(&top.join("inner"))),
            format!("rmdir {}", d(&top)),
            format!("rm -rf {}", d(&root.box_dir("b1"))),
            "ip link delete gb0-test".into(),
        ]
    );
}

#[test]
fn a_box_with_nothing_made_plans_only_its_record_and_another_box_keeps_the_bridge() {
    let base = crate::state::paths::unit_test_dir("teardown-bare");
    let root = Root::new(Some(&base.join("state")));
    for b in ["b1", "b2"] {
        std::fs::create_dir_all(root.box_dir(b)).unwrap();
    }
    let mut bare = BoxRecord::new("b1");
    bare.net = record("b1").net;
    bare.save(&root).unwrap();
    let mut other = record("b2");
    other.cgroup = None;
    other.save(&root).unwrap();
    let facts = gather(&root, "b1", Some(&bare), &base.join("no-cgroupfs"), &fake_proc(&base, ""));
    assert_eq!(facts.last_on_bridge, None, "b2 is on the bridge too");
    assert_eq!(
        shells(&plan_remove(&facts, Duration::from_secs(1))),
        ["ip link delete gbv-b1".to_string(), format!("rm -rf {}", root.box_dir("b1").display())]
    );
}

#[test]
fn stop_signals_then_awaits_and_nothing_when_no_process_is_left() {
    let t = Target { pid: 7, start_time: 1, command: "glassbox-init".into() };
    let ops = plan_stop(&[t], Duration::from_millis(1500));
    let shells: Vec<String> = ops.iter().map(|o| o.faces().shell).collect();
    assert_eq!(shells, ["kill -TERM 7", "timeout 2s tail --pid=PID -f /dev/null || kill -KILL PID"]);
    assert!(plan_stop(&[], Duration::from_secs(1)).is_empty());
}

#[test]
fn what_holds_no_process_goes_while_the_processes_end_and_cgroups_after() {
    let facts = TeardownFacts {
        processes: vec![Target { pid: 9, start_time: 3, command: "glassbox-init".into() }],
        mounts: vec!["/r/run/boxes/b/ns".into()],
        veth: None,
        runtime_dir: Some("/r/run/boxes/b".into()),
        cgroups: vec![crate::stage::cgroup::remove::Tree { dirs: vec!["/cg/p/b".into()], kill_file: false }],
        box_dir: Some("/r/boxes/b".into()),
        last_on_bridge: None,
    };
    let kinds: Vec<String> = plan_remove(&facts, Duration::from_secs(2))
        .ops
        .iter()
        .map(|o| o.faces().shell.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        kinds,
        ["kill -TERM", "umount -l", "rm -rf", "timeout 2s", "find /cg/p/b", "rmdir /cg/p/b", "rm -rf"],
        "the cgroup is emptied and removed only after the processes were awaited"
    );
}

#[test]
fn an_older_box_unmounts_each_outermost_mount_deepest_first_from_the_fixture_mountinfo() {
    let base = crate::state::paths::unit_test_dir("teardown-order");
    let root = Root::new(Some(&base.join("state")));
    let run = root.runtime_box_dir("b1");
    let line = |id: u32, at: &Path| format!("{id} 1 0:5 / {} rw shared:1 - tmpfs x rw\n", at.display());
    // Holds made one by one (no tmpfs, as an older glassbox did), its root
    // filesystem with a volume below it, the rootfs mounted twice (a mount
    // over a mount), another box's hold, and a mount that only begins with
    // the box's folder name.
    let text = [
        line(40, &run.join("rootfs")),
        line(41, &run.join("ns/net")),
        line(42, &run.join("rootfs/data")),
        line(43, &run.join("ns/uts")),
        line(44, &run.join("rootfs")),
        line(45, &root.runtime_box_dir("b2").join("ns/net")),
        line(46, &root.runtime_box_dir("b1x").join("ns/net")),
    ]
    .concat();
    let proc = fake_proc(&base, &text);
    let facts = gather(&root, "b1", Some(&BoxRecord::new("b1")), &base.join("no-cgroupfs"), &proc);
    let umounts: Vec<String> =
        shells(&plan_remove(&facts, Duration::from_secs(1))).into_iter().filter(|s| s.starts_with("umount")).collect();
    let d = |p: &str| run.join(p).display().to_string();
    assert_eq!(
        umounts,
        [
            format!("umount -l {}", d("ns/net")),
            format!("umount -l {}", d("ns/uts")),
            format!("umount -l {}", d("rootfs"))
        ],
        "the holds (deeper) first, then the root filesystem once: its volume goes with it"
    );
    let none = gather(&root, "b1", Some(&BoxRecord::new("b1")), &base.join("no-cgroupfs"), &fake_proc(&base, ""));
    assert!(none.mounts.is_empty(), "an empty mount table: nothing to unmount");
}

#[test]
fn rm_signals_the_box_init_and_what_is_in_its_namespace_from_the_fixture_proc() {
    use crate::domain::NamespaceKind;
    use crate::state::{HeldNamespace, Holder};
    let base = crate::state::paths::unit_test_dir("teardown-procs");
    let root = Root::new(Some(&base.join("state")));
    let state = root.state.display().to_string();
    // A box without a PID namespace: its init's end would not take along
    // what else runs in its mount namespace (inode 123), so /proc is searched.
    let mut record = BoxRecord::new("b1");
    record.init = Some(ProcRef { pid: 100, start_time: 5000 });
    // The recorded main process is gone: pid 102 is another process now.
    record.main = Some(ProcRef { pid: 102, start_time: 1 });
    let hold = Holder::BindMount { path: root.holds_dir("b1").join("mnt") };
    record.namespaces.insert(NamespaceKind::Mnt, HeldNamespace { inode: 123, holder: hold, shared: None });
    let proc = fake_proc(&base, "");
    process(&proc, 100, &["glassbox-init", "b1", "3", &state], 5000, &[("mnt", 123)]);
    process(&proc, 101, &["/bin/sleep", "1000"], 5001, &[("mnt", 123)]);
    process(&proc, 102, &["sshd"], 7777, &[("mnt", 4026531840)]);
    process(&proc, 103, &["glassbox-proxy", "b1", "4", "8080:80", &state], 5002, &[("mnt", 4026531840)]);
    // Another box's init, an init of b1 under another root, a host shell,
    // and glassbox itself, which may stand in the box's mount namespace.
    process(&proc, 200, &["glassbox-init", "b2", "3", &state], 6000, &[("mnt", 456)]);
    process(&proc, 201, &["glassbox-init", "b1", "3", "/elsewhere"], 6001, &[("mnt", 789)]);
    process(&proc, 300, &["bash"], 10, &[("mnt", 4026531840)]);
    process(&proc, ME, &["glassbox", "rm", "b1"], 9000, &[("mnt", 123)]);
    let facts = gather(&root, "b1", Some(&record), &base.join("no-cgroupfs"), &proc);
    let found: Vec<(i32, u64, &str)> =
        facts.processes.iter().map(|t| (t.pid, t.start_time, t.command.as_str())).collect();
    assert_eq!(found, [(100, 5000, "glassbox-init"), (101, 5001, "/bin/sleep"), (103, 5002, "glassbox-proxy")]);
    let plan = plan_remove(&facts, Duration::from_secs(1));
    assert_eq!(shells(&plan)[0], "kill -TERM 100 101 103");
}
