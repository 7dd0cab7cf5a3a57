//! Fixture tests of the cgroup planners, in youki's style: a fake cgroupfs
//! folder in, the list of writes out. `detect` and `facts` read the fake
//! folder as they read /sys/fs/cgroup; the planners see only the facts.

use super::limits::{Limit, Limits};
use super::*;
use crate::plan::cgroups::CgroupsHost;

/// A fake cgroupfs of `files` (path, content) under a folder of its own.
fn cgroupfs(tag: &str, files: &[(&str, &str)]) -> crate::state::paths::UnitTestDir {
    let dir = crate::state::paths::unit_test_dir(&format!("cg-plan-{tag}"));
    for (f, content) in files {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

/// The plan as `mkdir DIR` and `FILE=VALUE` lines, paths below the fixture.
fn writes(fs: &Path, ops: &[Op]) -> Vec<String> {
    let rel = |p: &Path| p.strip_prefix(fs).unwrap().display().to_string();
    ops.iter()
        .map(|op| match op.as_cgroups_host() {
            Some(CgroupsHost::MakeCgroup { path }) => format!("mkdir {}", rel(path)),
            Some(CgroupsHost::WriteCgroup { file, value, .. }) => format!("{}={value}", rel(file)),
            Some(CgroupsHost::WriteCgroupIfPresent { file, value, .. }) => format!("{}={value}?", rel(file)),
            _ => panic!("not a cgroup write: {op:?}"),
        })
        .collect()
}

/// The writes that give box `b1` of `root` its cgroup and [`limits`] on
/// the fake cgroupfs `fs`: detected, its facts read, then planned.
fn limited(fs: &Path, root: &Root) -> Vec<String> {
    let driver = detect(fs).unwrap();
    let facts = driver.facts(root);
    let mut ops = driver.plan_create(&facts, root, "b1");
    ops.extend(driver.plan_limits(&facts, root, "b1", &limits()).unwrap());
    writes(fs, &ops)
}

fn limits() -> Limits {
    Limits {
        memory: Some(Limit::Value(64 << 20)),
        cpu_quota_us: Some(Limit::Value(50_000)),
        pids: Some(Limit::Value(32)),
        ..Default::default()
    }
}

#[test]
fn v2_enables_controllers_on_the_way_down_then_writes_the_limits() {
    let root = Root::new(Some(Path::new("/tmp/gb-unit-plan-v2")));
    let fs = cgroupfs(
        "v2",
        &[("cgroup.controllers", "cpuset cpu io memory pids"), ("cgroup.subtree_control", "cpu memory")],
    );
    let p = parent_name(&root);
    assert_eq!(
        limited(&fs, &root),
        [
            "cgroup.subtree_control=+pids +cpuset +io".to_string(),
            format!("mkdir {p}"),
            format!("{p}/cgroup.subtree_control=+memory +pids +cpu +cpuset +io"),
            format!("mkdir {p}/b1"),
            format!("{p}/b1/memory.max=67108864"),
            format!("{p}/b1/memory.swap.max=0?"),
            format!("{p}/b1/cpu.max=50000 100000"),
            format!("{p}/b1/pids.max=32"),
        ]
    );
}

#[test]
fn v2_with_the_parent_made_and_a_controller_missing() {
    let root = Root::new(Some(Path::new("/tmp/gb-unit-plan-v2b")));
    let p = parent_name(&root);
    let enabled = format!("{p}/cgroup.subtree_control");
    let fs = cgroupfs(
        "v2b",
        &[("cgroup.controllers", "memory pids"), ("cgroup.subtree_control", "memory pids"), (&enabled, "memory pids")],
    );
    let driver = detect(&fs).unwrap();
    let facts = driver.facts(&root);
    assert_eq!(writes(&fs, &driver.plan_create(&facts, &root, "b2")), [format!("mkdir {p}/b2")]);
    let err = driver.plan_limits(&facts, &root, "b2", &limits()).unwrap_err();
    assert!(matches!(err, CgroupError::Missing { controller: "cpu", .. }), "{err}");
}

#[test]
fn v1_makes_a_folder_per_hierarchy_fills_the_cpuset_and_orders_memsw() {
    let root = Root::new(Some(Path::new("/tmp/gb-unit-plan-v1")));
    let fs = cgroupfs(
        "v1",
        &[
            ("memory/cgroup.procs", ""),
            ("memory/memory.limit_in_bytes", ""),
            ("memory/memory.memsw.limit_in_bytes", ""),
            ("cpu,cpuacct/cgroup.procs", ""),
            ("cpu,cpuacct/cpu.cfs_quota_us", ""),
            ("pids/cgroup.procs", ""),
            ("cpuset/cgroup.procs", ""),
            ("cpuset/cpuset.cpus", "0-3\n"),
            ("cpuset/cpuset.mems", "0\n"),
        ],
    );
    let p = parent_name(&root);
    assert_eq!(
        limited(&fs, &root),
        [
            format!("mkdir cpu,cpuacct/{p}"),
            format!("mkdir cpu,cpuacct/{p}/b1"),
            format!("mkdir cpuset/{p}"),
            format!("cpuset/{p}/cpuset.cpus=0-3"),
            format!("cpuset/{p}/cpuset.mems=0"),
            format!("mkdir cpuset/{p}/b1"),
            format!("cpuset/{p}/b1/cpuset.cpus=0-3"),
            format!("cpuset/{p}/b1/cpuset.mems=0"),
            format!("mkdir memory/{p}"),
            format!("mkdir memory/{p}/b1"),
            format!("mkdir pids/{p}"),
            format!("mkdir pids/{p}/b1"),
            format!("memory/{p}/b1/memory.memsw.limit_in_bytes=-1"),
            format!("memory/{p}/b1/memory.limit_in_bytes=67108864"),
            format!("memory/{p}/b1/memory.memsw.limit_in_bytes=67108864"),
            format!("cpu,cpuacct/{p}/b1/cpu.cfs_period_us=100000"),
            format!("cpu,cpuacct/{p}/b1/cpu.cfs_quota_us=50000"),
            format!("pids/{p}/b1/pids.max=32"),
        ]
    );
    let io = Limits { io_weight: Some(500), ..Default::default() };
    let driver = detect(&fs).unwrap();
    let err = driver.plan_limits(&driver.facts(&root), &root, "b1", &io).unwrap_err();
    assert!(matches!(err, CgroupError::Missing { controller: "blkio", .. }), "{err}");
}
