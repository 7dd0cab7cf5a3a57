//! What a lesson can ask of the machine: the vocabulary of `needs` in
//! lesson.toml, shared by `doctor` and the lesson runner's skips.

use std::fmt;

/// A cgroup controller a lesson limits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Controller {
    Memory,
    Cpu,
    Pids,
    Cpuset,
    Io,
}

impl Controller {
    pub const ALL: [Controller; 5] =
        [Controller::Memory, Controller::Cpu, Controller::Pids, Controller::Cpuset, Controller::Io];

    /// The name in cgroup v2 (`cgroup.controllers`) and in lesson.toml.
    pub fn name(self) -> &'static str {
        match self {
            Controller::Memory => "memory",
            Controller::Cpu => "cpu",
            Controller::Pids => "pids",
            Controller::Cpuset => "cpuset",
            Controller::Io => "io",
        }
    }

    /// The cgroup v1 hierarchy that does the same job (`io` is `blkio` there).
    pub fn v1_name(self) -> &'static str {
        match self {
            Controller::Io => "blkio",
            c => c.name(),
        }
    }
}

/// One thing a lesson needs from the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// glassbox runs as root.
    Root,
    /// overlayfs mounts work (rootfs, layers).
    Overlay,
    /// /bin/busybox is a static busybox (`image busybox`).
    Busybox,
    /// User namespaces can be made.
    Userns,
    /// Time namespaces can be made (Linux 5.6+).
    Timens,
    /// Some cgroup hierarchy, v1 or v2.
    Cgroup,
    /// The unified cgroup v2 hierarchy.
    CgroupV2,
    /// This controller is usable for a box's cgroup.
    Controller(Controller),
    /// veth pairs and bridges can be made (`net`, `publish`).
    Veth,
    /// pivot_root works on this root filesystem.
    PivotRoot,
    /// The `docker` client is on PATH (for the daemon lesson; its own
    /// daemon is never started).
    DockerCli,
}

impl Need {
    /// The words lesson.toml may use, for error messages.
    pub const VOCABULARY: &'static str = "root, overlay, busybox, userns, timens, cgroup, cgroup-v2, controller:<memory|cpu|pids|cpuset|io>, veth, pivot_root, docker-cli";

    pub fn parse(s: &str) -> Result<Need, String> {
        let need = match s {
            "root" => Need::Root,
            "overlay" => Need::Overlay,
            "busybox" => Need::Busybox,
            "userns" => Need::Userns,
            "timens" => Need::Timens,
            "cgroup" => Need::Cgroup,
            "cgroup-v2" => Need::CgroupV2,
            "veth" => Need::Veth,
            "pivot_root" => Need::PivotRoot,
            "docker-cli" => Need::DockerCli,
            other => {
                let c =
                    other.strip_prefix("controller:").and_then(|c| Controller::ALL.into_iter().find(|k| k.name() == c));
                match c {
                    Some(c) => Need::Controller(c),
                    None => return Err(format!("unknown need {s:?}; the vocabulary is: {}", Need::VOCABULARY)),
                }
            }
        };
        Ok(need)
    }
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Need::Root => f.write_str("root"),
            Need::Overlay => f.write_str("overlay"),
            Need::Busybox => f.write_str("busybox"),
            Need::Userns => f.write_str("userns"),
            Need::Timens => f.write_str("timens"),
            Need::Cgroup => f.write_str("cgroup"),
            Need::CgroupV2 => f.write_str("cgroup-v2"),
            Need::Controller(c) => write!(f, "controller:{}", c.name()),
            Need::Veth => f.write_str("veth"),
            Need::PivotRoot => f.write_str("pivot_root"),
            Need::DockerCli => f.write_str("docker-cli"),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Need {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Need, D::Error> {
        let s = String::deserialize(d)?;
        Need::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Need {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A need this machine does not meet: what is missing and the command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Missing {
    pub what: String,
    pub fix: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_round_trips() {
        for w in [
            "root",
            "overlay",
            "busybox",
            "userns",
            "timens",
            "cgroup",
            "cgroup-v2",
            "veth",
            "pivot_root",
            "docker-cli",
        ] {
            assert_eq!(Need::parse(w).unwrap().to_string(), w);
        }
        for c in Controller::ALL {
            let w = format!("controller:{}", c.name());
            assert_eq!(Need::parse(&w).unwrap().to_string(), w);
        }
        assert!(Need::parse("controller:blkio").is_err());
        assert!(Need::parse("cgroupv2").unwrap_err().contains("vocabulary"));
    }
}
