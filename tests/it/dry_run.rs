//! `--dry-run` prints the plan of every command that changes something, and
//! changes nothing: for each, the host oracles (mountinfo, the root's
//! cgroups, its links, its processes, the state folder) read the same before
//! and after. The box has one of everything, so each plan has its steps.

use crate::harness::{Sandbox, cgroups_of, mounts_containing, processes_mentioning, text};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Every path under the root with its size, mode and modification time.
fn state(dir: &Path) -> BTreeMap<PathBuf, (u64, u32, i64, i64)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let Ok(m) = std::fs::symlink_metadata(e.path()) else { continue };
            if m.is_dir() {
                stack.push(e.path());
            }
            out.insert(e.path(), (if m.is_dir() { 0 } else { m.len() }, m.mode(), m.mtime(), m.mtime_nsec()));
        }
    }
    out
}

/// The host's links named in `ours`, as `ip -o link` lists them.
fn links(ours: &[String]) -> Vec<String> {
    let out = std::process::Command::new("ip").args(["-o", "link"]).output().unwrap();
    let names = text(&out.stdout);
    let mut v: Vec<String> = names
        .lines()
        .filter_map(|l| l.split(": ").nth(1))
        .map(|n| n.split('@').next().unwrap().to_string())
        .filter(|n| ours.contains(n))
        .collect();
    v.sort();
    v
}

#[derive(Debug, PartialEq)]
pub(crate) struct Oracles {
    mounts: Vec<String>,
    cgroups: Vec<Vec<PathBuf>>,
    links: Vec<String>,
    processes: Vec<String>,
    state: BTreeMap<PathBuf, (u64, u32, i64, i64)>,
}

pub(crate) fn oracles(sb: &Sandbox, ours: &[String]) -> Oracles {
    let root = sb.root.display().to_string();
    let cgroups = cgroups_of(&sb.root).iter().map(|c| walk_dirs(c)).collect();
    Oracles {
        mounts: mounts_containing(&root),
        cgroups,
        links: links(ours),
        processes: processes_mentioning(&root),
        state: state(&sb.root),
    }
}

fn walk_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut all = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < all.len() {
        let below = std::fs::read_dir(&all[i]).into_iter().flatten().flatten().filter(|e| e.path().is_dir());
        all.extend(below.map(|e| e.path()).collect::<Vec<_>>());
        i += 1;
    }
    all.sort();
    all
}

#[test]
fn every_command_under_dry_run_prints_its_plan_and_changes_nothing() {
    let sb = Sandbox::new("dryall");
    let b = sb.name("dry");
    let c = sb.name("layered");
    let port = 30000 + (std::process::id() % 20000) as u16;
    for step in [
        vec!["create", &b],
        vec!["unshare", &b, "all"],
        vec!["limit", &b, "--pids", "64"],
        vec!["image", "busybox", "--name", "dryimg"],
        vec!["image", "busybox", "--name", "spare"],
        vec!["rootfs", &b, "dryimg"],
        vec!["volume", "create", "dryvol"],
        vec!["volume", "add", &b, "dryvol:/data"],
        vec!["net", &b],
        vec!["run", "-d", &b, "--", "sleep", "1000"],
        vec!["create", &c],
        vec!["unshare", &c, "mnt"],
    ] {
        sb.ok(&step);
    }
    let net = &sb.inspect(&b)["network"];
    let veth = net["host_veth"].as_str().unwrap().to_string();
    let bridge = net["bridge"].as_str().unwrap().to_string();
    let ours = [veth.clone(), bridge.clone()];
    let archive = sb.root.parent().unwrap().join("layer.tar");
    let made = std::process::Command::new("tar").arg("-cf").arg(&archive).arg("-C").arg(&sb.victim).arg(".").status();
    assert!(made.unwrap().success());
    let archive = archive.display().to_string();
    let published = format!("{port}:80");
    // Each command with a string its plan must show.
    let cases: [(&[&str], &str); 14] = [
        (&["rm", "--force", &b], "ip link delete"),
        (&["stop", &b], "kill -TERM"),
        (&["reset"], "rm -rf"),
        (&["volume", "create", "other"], "mkdir -p"),
        (&["volume", "rm", "--force", "dryvol"], "umount -l"),
        (&["image", "rm", "spare"], "rm -f"),
        (&["image", "import", &archive, "--name", "imported"], "tar -xf"),
        (&["image", "busybox", "--name", "third"], "busybox"),
        (&["image", "from-host", "--name", "hosty", "sh"], "ldd"),
        (&["commit", &b, "committed"], "tar -C"),
        (&["publish", &b, &published], "socat"),
        (&["limit", &b, "--pids", "32"], "pids.max"),
        (&["create", "fresh"], "dry run"),
        (&["layer", "add", &c, &archive], "tar -xf"),
    ];
    let before = oracles(&sb, &ours);
    assert_eq!(before.links.len(), 2, "the box is connected: {:?}", before.links);
    assert!(!before.cgroups.is_empty() && !before.mounts.is_empty() && !before.processes.is_empty());
    for (args, shows) in cases {
        let mut all = vec!["--dry-run"];
        all.extend_from_slice(args);
        let out = sb.run(&all);
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {said}");
        assert!(said.contains(shows) && said.contains("nothing was changed"), "{args:?} shows {shows:?}: {said}");
        assert_eq!(oracles(&sb, &ours), before, "{args:?} under --dry-run changed the host");
    }
    // The same plans, applied: rm removes what its plan named.
    let out = sb.run(&["--explain", "rm", "--force", &b]);
    let said = text(&out.stderr);
    for shown in ["kill -TERM", "umount -l", &format!("ip link delete {veth}"), "rmdir", "rm -rf"] {
        assert!(said.contains(shown), "--explain rm names {shown:?}: {said}");
    }
    assert!(links(&ours).is_empty(), "the veth and the bridge are gone");
}

/// The file work of a step is an operation the executor applies: under
/// `--dry-run` its plan names it (`--json`: the operation's record) and the
/// root is left as it was; `--explain` names it as it runs, and it is done.
#[test]
fn work_operations_are_planned_and_applied_like_any_other() {
    let sb = Sandbox::new("workops");
    let b = sb.name("w");
    let folder = sb.root.parent().unwrap().join("extra");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("added"), "by layer add\n").unwrap();
    let folder = folder.display().to_string();
    let steps: [(&[&str], &str, &str); 3] = [
        (&["image", "from-host", "--name", "hosty", "sh"], "host_programs_image", "copy sh and the libraries"),
        (&["layer", "add", &b, &folder], "store_layer", "store it as a new layer of"),
        (&["commit", &b, "committed"], "commit_box", "pack it as a new layer of"),
    ];
    for (i, (args, op, named)) in steps.into_iter().enumerate() {
        if i == 1 {
            for step in [vec!["create", &b], vec!["unshare", &b, "mnt"], vec!["rootfs", &b, "hosty"]] {
                sb.ok(&step);
            }
        }
        let before = state(&sb.root);
        let out = sb.run(&[&["--dry-run", "--json"], args].concat());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(plan["ops"][0]["work"], *op, "{args:?}: {plan}");
        assert_eq!(state(&sb.root), before, "{args:?} under --dry-run changed the root");
        let out = sb.run(&[&["--explain"], args].concat());
        let said = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {said}");
        assert!(said.contains("1. [host  ]") && said.contains(named), "{args:?} names {named:?}: {said}");
    }
    let images = sb.ok(&["image", "ls"]);
    assert!(images.contains("hosty") && images.contains("committed"), "{images}");
    let layers = sb.inspect(&b)["rootfs"]["layers"].as_array().map(Vec::len);
    assert_eq!(layers, Some(3), "the container layer, the one added, hosty's");
    let committed = sb.ok(&["--json", "image", "inspect", "committed"]);
    let committed: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(committed["layers"].as_array().map(Vec::len), Some(3), "the box's two layers and its own: {committed}");
}
