//! Fixture tests of the namespace planners, in youki's style: a fake /proc
//! folder in (a mountinfo, an uptime, `PID/ns/KIND` links, a limits file), the
//! operations out. No root, no kernel: the facts are gathered from the
//! folder, and the planners read nothing else.

use super::enter::{EnterFacts, plan_run};
use super::{NamespaceKind, UnshareFacts, UnshareRequest, plan_unshare};
use crate::state::{BoxRecord, BoxState, HeldNamespace, Holder, Root};
use crate::sys::identity::ProcessSpec;
use crate::sys::proc::ProcRef;
use std::path::{Path, PathBuf};

/// A fake /proc: `self/mountinfo`, and for process `pid` its stat (start
/// time: tick 1), its namespace links (`net -> net:[200]`, as the kernel's
/// read) and its limits.
fn fake_proc(base: &Path, mountinfo: &str, pid: i32, ns: &[(NamespaceKind, u64)], stack: u64) -> PathBuf {
    let proc = base.join("proc");
    std::fs::create_dir_all(proc.join("self")).unwrap();
    std::fs::write(proc.join("self/mountinfo"), mountinfo).unwrap();
    std::fs::write(proc.join("uptime"), "1000.75 1900.00\n").unwrap();
    let links: Vec<(&str, u64)> = ns.iter().map(|(kind, inode)| (kind.proc_file(), *inode)).collect();
    super::fake_proc::process(&proc, pid, &["glassbox-init"], 1, &links);
    let dir = proc.join(pid.to_string());
    let limits = format!("Limit  Soft Limit  Hard Limit  Units\nMax stack size  {stack}  unlimited  bytes\n");
    std::fs::write(dir.join("limits"), limits).unwrap();
    proc
}

/// A running box whose init is pid 4242, holding `held` (kind, inode).
fn running(root: &Root, held: &[(NamespaceKind, u64)]) -> BoxRecord {
    let mut r = BoxRecord::new("b1");
    r.init = Some(ProcRef { pid: 4242, start_time: 1 });
    for (kind, inode) in held {
        let holder = Holder::BindMount { path: root.holds_dir("b1").join(kind.name()) };
        r.namespaces.insert(*kind, HeldNamespace { inode: *inode, holder, shared: None });
    }
    r
}

#[test]
fn run_joins_only_the_namespaces_the_fixture_init_is_not_in() {
    use NamespaceKind::*;
    let base = crate::state::paths::unit_test_dir("enter-plan");
    let root = Root::new(Some(&base.join("state")));
    let record = running(&root, &[(Pid, 10), (Uts, 20), (Net, 30), (Ipc, 40)]);
    // The init is in the box's pid and uts namespaces; net and ipc were made after it.
    let proc = fake_proc(&base, "", 4242, &[(Pid, 10), (Uts, 20), (Net, 29), (Ipc, 1)], 8 << 20);
    let facts = EnterFacts::gather(&proc, &record);
    assert_eq!(facts.state, BoxState::Running, "the fixture's stat has the recorded init's start time");
    for read in [(Pid, 10), (Uts, 20), (Net, 29), (Ipc, 1)] {
        assert!(facts.init_ns.contains(&read), "{read:?} read from the fixture: {:?}", facts.init_ns);
    }
    assert_eq!(facts.init_ns.len(), 4, "no link, no namespace: {:?}", facts.init_ns);
    let argv = vec!["id".to_string()];
    let plan = plan_run(&root, &record, &argv, &ProcessSpec::default(), &facts).unwrap();
    let joins: Vec<NamespaceKind> = plan.ops[0].as_process_host().map(ask_joins).unwrap_or_default();
    assert_eq!(joins, [Ipc, Net], "the kinds whose held inode differs from the init's: {}", plan.render());
    assert_eq!(plan.ops.len(), 1);
    // The init's stack limit, read from the fixture's limits file, bounds the command.
    let small = fake_proc(&base.join("small"), "", 4242, &[(Pid, 10)], 512 << 10);
    let facts = EnterFacts::gather(&small, &record);
    let long: Vec<String> = (0..3).map(|_| "a".repeat(60_000)).collect();
    let err = plan_run(&root, &record, &long, &ProcessSpec::default(), &facts).unwrap_err().to_string();
    assert!(err.contains("at most 131072"), "a quarter of the fixture's 512 KiB stack: {err}");
}

#[test]
fn whether_the_box_runs_is_read_from_the_fixture_proc() {
    let base = crate::state::paths::unit_test_dir("enter-state");
    let root = Root::new(Some(&base.join("state")));
    let mut record = running(&root, &[]);
    let argv = vec!["id".to_string()];
    let run = |proc: &Path, record: &BoxRecord| {
        let facts = EnterFacts::gather(proc, record);
        (facts.state, facts.shared_pid_ended, plan_run(&root, record, &argv, &ProcessSpec::default(), &facts))
    };
    // Pid 4242 lives, but started at another tick than the recorded init: a reused pid.
    let reused = base.join("reused");
    super::fake_proc::process(&reused, 4242, &["sh"], 2, &[]);
    let (state, _, plan) = run(&reused, &record);
    assert_eq!(state, BoxState::Stopped);
    assert!(matches!(plan, Err(super::StageError::Stopped { .. })), "{plan:?}");
    // The box shares the PID namespace of box b0, whose init (pid 77) is gone.
    let held = HeldNamespace {
        inode: 5,
        holder: Holder::Process { pid: 77, start_time: 3 },
        shared: Some(crate::domain::record::SharedFrom { joined: "b0".into(), made_by: "b0".into() }),
    };
    record.namespaces.insert(NamespaceKind::Pid, held);
    let proc = fake_proc(&base, "", 4242, &[], 8 << 20);
    let (state, ended, plan) = run(&proc, &record);
    assert_eq!((state, ended), (BoxState::Stopped, true));
    assert!(matches!(plan, Err(super::StageError::Share(_))), "{plan:?}");
    super::fake_proc::process(&proc, 77, &["glassbox-init"], 3, &[]);
    let (state, ended, _) = run(&proc, &record);
    assert_eq!((state, ended), (BoxState::Running, false), "b0's init is in the fixture");
}

fn ask_joins(op: &crate::plan::process::ProcessHost) -> Vec<NamespaceKind> {
    let crate::plan::process::ProcessHost::AskInit { joins, .. } = op;
    joins.iter().map(|(k, _)| *k).collect()
}

#[test]
fn unshare_makes_the_runtime_private_and_mounts_the_holds_only_where_the_fixture_mountinfo_says() {
    let base = crate::state::paths::unit_test_dir("unshare-plan");
    let root = Root::new(Some(&base.join("state")));
    let record = BoxRecord::new("b1");
    let req = UnshareRequest { kinds: [NamespaceKind::Uts].into(), ..Default::default() };
    let names = |mountinfo: &str| -> Vec<String> {
        let mounts = UnshareFacts::gather(&fake_proc(&base, mountinfo, 1, &[], 8 << 20));
        let plan = plan_unshare(&root, &record, &req, &mounts).unwrap();
        plan.ops.iter().map(|o| o.name()).take_while(|n| n != "unshare").collect()
    };
    let line = |id: u32, at: &Path, tags: &str| format!("{id} 1 0:5 / {} rw {tags} - tmpfs x rw\n", at.display());
    // Nothing mounted yet: the runtime folder is made a private mount, the holds' tmpfs mounted.
    assert_eq!(names(""), ["private_runtime", "prepare_holds", "mount_holds"]);
    // The runtime private already, and the holds' tmpfs there.
    let made = line(30, &root.runtime, "") + &line(31, &root.holds_dir("b1"), "");
    assert_eq!(names(&made), ["prepare_holds"]);
    // A runtime mount that still propagates (a command killed between the
    // bind and MS_PRIVATE), the top one of two at the folder.
    let shared = line(30, &root.runtime, "") + &line(32, &root.runtime, "shared:7");
    assert_eq!(names(&shared), ["private_runtime", "prepare_holds", "mount_holds"]);
}

#[test]
fn a_time_offset_before_the_fixture_boot_is_refused_by_its_flag() {
    let base = crate::state::paths::unit_test_dir("time-plan");
    let root = Root::new(Some(&base.join("state")));
    let facts = UnshareFacts::gather(&fake_proc(&base, "", 1, &[], 8 << 20));
    assert_eq!(facts.uptime, Some(1000.75));
    let req = |offset| UnshareRequest {
        kinds: [NamespaceKind::Time].into(),
        monotonic_offset: Some(offset),
        ..Default::default()
    };
    let plan = |offset| plan_unshare(&root, &BoxRecord::new("b1"), &req(offset), &facts);
    assert!(plan(-1000).is_ok(), "the clock starts at the boot at the earliest");
    let err = plan(-1001).unwrap_err().to_string();
    assert!(err.contains("--monotonic-offset") && err.contains("booted 1000s ago"), "{err}");
}

#[test]
fn mask_skips_what_the_fixture_box_lacks_and_knows_a_folder_from_a_file() {
    use crate::plan::confine::ConfineHelper;
    let base = crate::state::paths::unit_test_dir("mask-plan");
    let root = Root::new(Some(&base.join("state")));
    // The init must be alive (the test itself); what it sees is the fixture's.
    let me = ProcRef::of(std::process::id() as i32).unwrap();
    let mut record = running(&root, &[(NamespaceKind::Pid, 10), (NamespaceKind::Mnt, 50)]);
    record.init = Some(me);
    let proc = fake_proc(&base, "", me.pid, &[(NamespaceKind::Mnt, 50)], 8 << 20);
    let inside = proc.join(me.pid.to_string()).join("root/proc");
    std::fs::create_dir_all(inside.join("scsi")).unwrap();
    std::fs::write(inside.join("kcore"), "").unwrap();
    let masked: Vec<String> = ["/proc/kcore", "/proc/scsi", "/proc/acpi"].map(String::from).into();
    let plan = super::mask::plan(&record, &masked, &["/proc/acpi".into()], &proc).unwrap();
    let masks: Vec<(PathBuf, Option<bool>)> = plan
        .ops
        .iter()
        .filter_map(|o| match o.as_confine_helper() {
            Some(ConfineHelper::Mask { path, folder }) => Some((path.clone(), *folder)),
            Some(ConfineHelper::ReadOnly { path }) => Some((path.clone(), None)),
            _ => None,
        })
        .collect();
    assert_eq!(
        masks,
        [("/proc/kcore".into(), Some(false)), ("/proc/scsi".into(), Some(true))],
        "no mount for /proc/acpi, which the box has not: {}",
        plan.render()
    );
    // Another mount namespace in the fixture: the planner cannot tell, and masks each.
    let other = fake_proc(&base.join("other"), "", me.pid, &[(NamespaceKind::Mnt, 51)], 8 << 20);
    let plan = super::mask::plan(&record, &masked, &[], &other).unwrap();
    assert_eq!(plan.ops.iter().filter(|o| o.name() == "confine").count(), 3, "{}", plan.render());
}
