//! A box described as an OCI runtime bundle's `config.json`: what runc (or
//! crun, youki) needs to make the same container, in the runtime spec's
//! words — the namespaces the box isolated, its hostname, its uid and gid
//! maps, its cgroup limits, its mounts (/proc, /dev, /sys, volumes) and the
//! process its image says to run. Facts in (the record, the process), spec
//! out: nothing here touches the kernel, so the mapping is unit-tested.
//!
//! A time namespace has no field in the runtime spec runc 1.1 reads (its
//! offsets came in spec 1.2): it is left out, and `export` says so.

use super::NamespaceKind;
use crate::stage::cgroup::limits::{CPU_PERIOD_US, Limit};
use crate::state::BoxRecord;
use crate::sys::identity::ProcessSpec;
use oci_spec::runtime::{
    LinuxBuilder, LinuxCpuBuilder, LinuxIdMappingBuilder, LinuxMemoryBuilder, LinuxNamespaceBuilder,
    LinuxNamespaceType, LinuxPidsBuilder, LinuxResourcesBuilder, Mount, MountBuilder, ProcessBuilder, RootBuilder,
    Spec, UserBuilder, get_default_mounts,
};
use std::path::PathBuf;

/// Every capability the kernel knows: a command glassbox runs keeps them
/// all (until the hardening steps drop some), so the bundle's process does.
const ALL_CAPS: [&str; 41] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

/// The runtime spec's name for a namespace kind (`mnt` is `mount`).
fn spec_kind(kind: NamespaceKind) -> Option<LinuxNamespaceType> {
    Some(match kind {
        NamespaceKind::Pid => LinuxNamespaceType::Pid,
        NamespaceKind::Mnt => LinuxNamespaceType::Mount,
        NamespaceKind::Uts => LinuxNamespaceType::Uts,
        NamespaceKind::Ipc => LinuxNamespaceType::Ipc,
        NamespaceKind::Net => LinuxNamespaceType::Network,
        NamespaceKind::User => LinuxNamespaceType::User,
        NamespaceKind::Cgroup => LinuxNamespaceType::Cgroup,
        NamespaceKind::Time => return None,
    })
}

/// A volume as a bind mount: its folder on the host, at its path in the box.
pub struct VolumeBind {
    pub host: PathBuf,
    pub target: PathBuf,
    pub read_only: bool,
}

/// The config.json of a box: `argv` and `process` are what its image (or
/// the caller) says to run; the rootfs is `rootfs/` beside it.
pub fn spec(
    record: &BoxRecord,
    argv: &[String],
    process: &ProcessSpec,
    env: Vec<String>,
    volumes: &[VolumeBind],
) -> Spec {
    let user = match &process.user {
        Some(ids) => UserBuilder::default().uid(ids.uid).gid(ids.gid).additional_gids(ids.groups.clone()).build(),
        None => UserBuilder::default().uid(0u32).gid(0u32).build(),
    }
    .expect("a user of numbers");
    let proc = ProcessBuilder::default()
        .terminal(false)
        .user(user)
        .args(argv.to_vec())
        .env(env)
        .cwd(process.cwd.clone().unwrap_or_else(|| "/".into()))
        .no_new_privileges(false)
        .build()
        .expect("a process of plain values");
    let namespaces: Vec<_> = record
        .namespaces
        .keys()
        .filter_map(|k| spec_kind(*k))
        .map(|typ| LinuxNamespaceBuilder::default().typ(typ).build().expect("a namespace type"))
        .collect();
    // No masked or read-only paths: those are hardening steps, and a box
    // without them shows the whole /proc.
    let mut linux = LinuxBuilder::default().namespaces(namespaces).masked_paths(vec![]).readonly_paths(vec![]);
    if let Some(map) = &record.id_map {
        let m = LinuxIdMappingBuilder::default().container_id(0u32).host_id(map.outside).size(map.count).build();
        let m = m.expect("a mapping of numbers");
        linux = linux.uid_mappings(vec![m]).gid_mappings(vec![m]);
    }
    if let Some(cg) = &record.cgroup {
        let value = |l: &Option<Limit>| match l {
            Some(Limit::Value(v)) => Some(*v as i64),
            _ => None,
        };
        let mut res = LinuxResourcesBuilder::default();
        if let Some(m) = value(&cg.limits.memory) {
            let swap = value(&cg.limits.memory_swap).map_or(m, |s| m + s);
            res = res.memory(LinuxMemoryBuilder::default().limit(m).swap(swap).build().expect("numbers"));
        }
        let mut cpu = LinuxCpuBuilder::default();
        if let Some(q) = value(&cg.limits.cpu_quota_us) {
            cpu = cpu.quota(q).period(CPU_PERIOD_US);
        }
        if let Some(set) = &cg.limits.cpuset {
            cpu = cpu.cpus(set.clone());
        }
        res = res.cpu(cpu.build().expect("numbers"));
        if let Some(p) = value(&cg.limits.pids) {
            res = res.pids(LinuxPidsBuilder::default().limit(p).build().expect("a number"));
        }
        linux = linux.resources(res.build().expect("resources"));
    }
    let linux = linux.build().expect("a linux section of plain values");
    let mut mounts: Vec<Mount> = get_default_mounts()
        .into_iter()
        // Without a cgroup namespace the host's tree would be mounted: left out, as glassbox does.
        .filter(|m| m.typ().as_deref() != Some("cgroup") || record.has(NamespaceKind::Cgroup))
        .collect();
    if record.has(NamespaceKind::User) && !record.has(NamespaceKind::Net) {
        // A user namespace may mount sysfs only in a network namespace it
        // owns: the host's /sys is bound read-only instead (as rootless runc does).
        for m in mounts.iter_mut().filter(|m| m.typ().as_deref() == Some("sysfs")) {
            let opts = ["rbind", "nosuid", "noexec", "nodev", "ro"].map(String::from).to_vec();
            *m = MountBuilder::default()
                .destination("/sys")
                .typ("bind")
                .source("/sys")
                .options(opts)
                .build()
                .expect("a bind");
        }
    }
    for v in volumes {
        let mut options = vec!["rbind".to_string()];
        options.push(if v.read_only { "ro" } else { "rw" }.into());
        let m = MountBuilder::default().destination(&v.target).typ("bind").source(&v.host).options(options).build();
        mounts.push(m.expect("a bind mount"));
    }
    let mut spec = Spec::default();
    spec.set_version("1.0.2".into());
    spec.set_process(Some(proc));
    spec.set_root(Some(RootBuilder::default().path("rootfs").readonly(false).build().expect("a root")));
    spec.set_hostname(record.hostname.clone().filter(|_| record.has(NamespaceKind::Uts)));
    spec.set_mounts(Some(mounts));
    spec.set_annotations(Some([("org.glassbox.box".to_string(), record.name.clone())].into_iter().collect()));
    spec.set_linux(Some(linux));
    spec
}

/// The spec as JSON, the process's capability sets those of `bounding`
/// (a bit per capability number: glassbox's own bounding set, which every
/// command it starts inherits). Set here because the crate's capability
/// type has no list of them all.
pub fn to_json(spec: &Spec, bounding: u64) -> serde_json::Value {
    let mut v = serde_json::to_value(spec).expect("a spec serialises");
    let all: Vec<&str> =
        ALL_CAPS.iter().enumerate().filter(|(n, _)| bounding & (1 << n) != 0).map(|(_, c)| *c).collect();
    v["process"]["capabilities"] = serde_json::json!({
        "bounding": all, "effective": all, "permitted": all
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::record::IdMap;

    #[test]
    fn the_spec_names_the_boxes_namespaces_hostname_maps_and_process() {
        let mut record = BoxRecord::new("demo");
        for (k, inode) in
            [(NamespaceKind::Uts, 1), (NamespaceKind::Pid, 2), (NamespaceKind::Mnt, 3), (NamespaceKind::Time, 4)]
        {
            record.namespaces.insert(
                k,
                crate::state::HeldNamespace {
                    inode,
                    holder: crate::state::Holder::BindMount { path: "/x".into() },
                    shared: None,
                },
            );
        }
        record.hostname = Some("inside".into());
        record.id_map = Some(IdMap { outside: 100000, count: 65536 });
        let process = ProcessSpec { cwd: Some("/app".into()), ..Default::default() };
        let v = to_json(&spec(&record, &["sh".into()], &process, vec!["PATH=/bin".into()], &[]), !(1 << 24));
        let mut kinds: Vec<&str> =
            v["linux"]["namespaces"].as_array().unwrap().iter().map(|n| n["type"].as_str().unwrap()).collect();
        kinds.sort();
        assert_eq!(kinds, ["mount", "pid", "uts"], "time has no place in runc's spec");
        assert_eq!(v["hostname"], "inside");
        assert_eq!(v["linux"]["uidMappings"][0]["hostID"], 100000);
        assert_eq!(v["process"]["args"][0], "sh");
        assert_eq!(v["process"]["cwd"], "/app");
        assert_eq!(v["root"]["path"], "rootfs");
        let caps = v["process"]["capabilities"]["bounding"].as_array().unwrap();
        assert_eq!(caps.len(), 40, "all but the one left out of the bounding set");
        assert!(!caps.contains(&"CAP_SYS_RESOURCE".into()));
        assert!(v["mounts"].as_array().unwrap().iter().all(|m| m["type"] != "cgroup"));
    }
}
