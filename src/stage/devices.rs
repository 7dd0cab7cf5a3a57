//! Device rules: which device nodes a box may create, read and write.
//!
//! A device node is a door to a driver: `c 1:11` is the kernel log, `b 8:0`
//! the first disk. Root with CAP_MKNOD can make any node anywhere, and
//! Docker keeps CAP_MKNOD, so what stops a box from reading the host's disk
//! is the cgroup's device rule, checked at every open: cgroup v1 keeps a
//! list in `devices.allow`/`devices.deny`; cgroup v2 runs a small eBPF
//! program attached to the cgroup (`sys::devcg`). Docker's default allows
//! mknod of any node but opening only the harmless ones a program expects
//! (null, zero, full, random, urandom, tty, console, ptys, tun).

use super::StageError;
use super::cgroup::{self, CgroupDriver};
use super::hardening::{self, DevicesRecord};
use crate::plan::op;
use crate::plan::{Op, Plan};
use crate::state::{BoxRecord, Root};
// The rule syntax is the kernel's (devices.allow): sys parses it.
use crate::sys::devcg;
pub use crate::sys::devcg::{kernel_rules, parse_rule};
use std::path::{Path, PathBuf};

/// Docker's device rules (runc's AllowedDevices with moby's defaults).
pub const DOCKER_DEFAULT: [&str; 12] = [
    "c *:* m",
    "b *:* m",
    "c 1:3 rwm",
    "c 1:5 rwm",
    "c 1:7 rwm",
    "c 1:8 rwm",
    "c 1:9 rwm",
    "c 5:0 rwm",
    "c 5:1 rwm",
    "c 5:2 rwm",
    "c 136:* rwm",
    "c 10:200 rwm",
];

/// The rules as the user gave them, checked, one space between words.
pub fn validate(rules: &[String]) -> Result<Vec<String>, StageError> {
    rules
        .iter()
        .map(|r| {
            parse_rule(r)
                .map(|_| r.split_whitespace().collect::<Vec<_>>().join(" "))
                .map_err(|reason| StageError::BadValue { what: "device rule", value: r.clone(), reason })
        })
        .collect()
}

/// The v1 hierarchy that carries the devices controller.
fn v1_devices_mount(fs: &Path) -> Option<PathBuf> {
    let dirs = std::fs::read_dir(fs).ok()?;
    dirs.flatten().map(|e| e.path()).find(|d| d.join("devices.allow").exists()).map(|d| d.canonicalize().unwrap_or(d))
}

/// Why `devices` cannot be planned: the box is not ready (a stage error) or
/// the machine's cgroups cannot carry the rules. Its own type, so that the
/// stage needs nothing of the command-level error (`error` imports stages).
#[derive(Debug, thiserror::Error)]
pub enum DevicesError {
    #[error(transparent)]
    Stage(#[from] StageError),
    #[error(transparent)]
    Cgroup(#[from] cgroup::CgroupError),
}

/// The plan of `glassbox devices`, and what the record notes before it runs.
/// `pids`: the box's processes now, moved in after the rules are in place.
pub fn plan(
    root: &Root,
    record: &BoxRecord,
    rules: &[String],
    pids: &[i32],
) -> Result<(Plan, DevicesRecord), DevicesError> {
    hardening::require_init(record, "devices")?;
    let fs = Path::new(cgroup::DEFAULT_FS);
    let driver = cgroup::detect(fs)?;
    let mut ops = vec![];
    let move_in = |dir: &Path, ops: &mut Vec<Op>| {
        for pid in pids {
            let why = format!("move the box's process {pid} in: it and every process it starts fall under the rules");
            ops.push(op::WriteCgroup { file: dir.join("cgroup.procs"), value: pid.to_string(), why }.into());
        }
    };
    let (version, dir) = match &driver {
        CgroupDriver::V2 { .. } => {
            let dir = driver.box_paths(root, &record.name).remove(0);
            if !dir.exists() {
                ops.extend(driver.plan_create(&driver.facts(root), root, &record.name));
            }
            let prog = devcg::assemble(&kernel_rules(rules).map_err(|e| StageError::BadValue {
                what: "device rules",
                value: rules.join(","),
                reason: e,
            })?);
            let op = op::AttachDeviceProgram { cgroup: dir.clone(), rules: rules.to_vec(), instructions: prog.len() };
            ops.push(op.into());
            move_in(&dir, &mut ops);
            ("v2", dir)
        }
        CgroupDriver::V1 { .. } => {
            let mount = v1_devices_mount(fs).ok_or_else(|| cgroup::CgroupError::Missing {
                controller: "devices",
                why: "no cgroup v1 hierarchy carries it".into(),
                fix: "mount it (mount -t cgroup -o devices none /sys/fs/cgroup/devices)".into(),
            })?;
            let parent = mount.join(cgroup::parent_name(root));
            let dir = parent.join(&record.name);
            for d in [&parent, &dir] {
                if !d.exists() {
                    ops.push(op::MakeCgroup { path: d.clone() }.into());
                }
            }
            let deny = "deny every device first: a new v1 cgroup starts with its parent's list, which allows all";
            ops.push(op::WriteCgroup { file: dir.join("devices.deny"), value: "a".into(), why: deny.into() }.into());
            for r in rules {
                let why = "then allow this one; opening or making any other device node fails with EPERM";
                ops.push(op::WriteCgroup { file: dir.join("devices.allow"), value: r.clone(), why: why.into() }.into());
            }
            move_in(&dir, &mut ops);
            ("v1", dir)
        }
    };
    let mut cgroups = record.hardening.devices.as_ref().map(|d| d.cgroups.clone()).unwrap_or_default();
    if !cgroups.contains(&dir) {
        cgroups.push(dir);
    }
    Ok((Plan::new(ops), DevicesRecord { version: version.into(), rules: rules.to_vec(), cgroups }))
}

/// The folder every box of this root has its v1 device cgroup in: removed
/// by `reset` with the other parents, once no box is left in it.
/// The v1 devices hierarchy's parent cgroup of this root's boxes, if any.
pub fn parent(root: &Root) -> Option<PathBuf> {
    v1_devices_mount(Path::new(cgroup::DEFAULT_FS)).map(|mount| mount.join(cgroup::parent_name(root)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::devcg::DeviceRule;

    #[test]
    fn rules_parse_as_cgroup_v1_writes_them() {
        assert_eq!(
            parse_rule("c 1:3 rwm").unwrap(),
            DeviceRule { kind: Some(2), major: Some(1), minor: Some(3), access: 7 }
        );
        assert_eq!(parse_rule("b *:* m").unwrap(), DeviceRule { kind: Some(1), major: None, minor: None, access: 1 });
        assert_eq!(parse_rule("a").unwrap().kind, None);
        for bad in ["", "c 1:3", "x 1:3 rwm", "c 1:3 rwx", "c 1-3 r", "c a:3 r", "c 1:3 "] {
            assert!(parse_rule(bad).is_err(), "{bad:?}");
        }
        assert!(DOCKER_DEFAULT.iter().all(|r| parse_rule(r).is_ok()));
    }
}
