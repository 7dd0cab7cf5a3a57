//! `glassbox doctor`: can this machine run every lesson, and if not, what is
//! missing and which command fixes it.
//!
//! Each feature is *tried*, not guessed from a version number: a namespace
//! of each kind is made in a forked child, overlayfs and pivot_root are
//! tried in a throw-away mount namespace, a bridge and a veth pair in a
//! throw-away network namespace (probe.rs). The lesson runner asks the same
//! [`Machine`] through [`Machine::missing`], so `doctor` and a skipped
//! lesson check always give the same reason and the same fix.

mod cgroups;
mod hardening;
mod need;
mod probe;
pub mod report;

pub use need::{Controller, Missing, Need};

use crate::i18n::tr;
use crate::stage::NamespaceKind;
use crate::stage::cgroup::Layout;
use probe::Probe;
use std::cell::OnceCell;

/// Needs named here (comma separated) are reported missing whatever the
/// machine has: to see what a learner without them sees, and for tests.
pub const ASSUME_MISSING_ENV: &str = "GLASSBOX_ASSUME_MISSING";

/// What this machine offers, each part probed on first use.
#[derive(Default)]
pub struct Machine {
    namespaces: OnceCell<Vec<(NamespaceKind, Probe)>>,
    overlay: OnceCell<Probe>,
    pivot_root: OnceCell<Probe>,
    bridge: OnceCell<Probe>,
    veth: OnceCell<Probe>,
    cgroups: OnceCell<cgroups::CgroupFacts>,
}

fn missing(what: impl Into<String>, fix: impl Into<String>) -> Option<Missing> {
    Some(Missing { what: what.into(), fix: fix.into() })
}

pub fn kernel_release() -> String {
    probe::sysctl("kernel.osrelease").unwrap_or_else(|| "unknown".into())
}

/// WSL2 runs a Microsoft kernel, with its own limits (no cgroup v1 trees on
/// some builds, systemd off by default).
pub fn is_wsl() -> bool {
    std::fs::read_to_string("/proc/version").is_ok_and(|v| v.to_lowercase().contains("microsoft"))
}

impl Machine {
    pub fn new() -> Machine {
        Machine::default()
    }

    pub fn namespaces(&self) -> &[(NamespaceKind, Probe)] {
        self.namespaces.get_or_init(|| NamespaceKind::ALL.into_iter().map(|k| (k, probe::namespace(k))).collect())
    }

    fn namespace(&self, kind: NamespaceKind) -> &Probe {
        &self.namespaces().iter().find(|(k, _)| *k == kind).expect("every kind is probed").1
    }

    pub fn overlay(&self) -> &Probe {
        self.overlay.get_or_init(probe::overlay)
    }

    pub fn pivot_root(&self) -> &Probe {
        self.pivot_root.get_or_init(probe::pivot_root)
    }

    pub fn bridge(&self) -> &Probe {
        self.bridge.get_or_init(probe::bridge)
    }

    pub fn veth(&self) -> &Probe {
        self.veth.get_or_init(probe::veth)
    }

    pub fn cgroups(&self) -> &cgroups::CgroupFacts {
        self.cgroups.get_or_init(|| cgroups::facts(std::path::Path::new(crate::stage::cgroup::DEFAULT_FS)))
    }

    /// Why user namespaces may be refused here, from the sysctls that
    /// restrict them; empty when nothing does.
    pub fn userns_restrictions(&self) -> Vec<(String, String)> {
        let mut v = vec![];
        if probe::sysctl("user.max_user_namespaces").as_deref() == Some("0") {
            v.push((tr!("doctor-userns-max"), "sysctl -w user.max_user_namespaces=15000".into()));
        }
        if probe::sysctl("kernel.apparmor_restrict_unprivileged_userns").as_deref() == Some("1") {
            v.push((tr!("doctor-userns-apparmor"), "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0".into()));
        }
        if probe::sysctl("kernel.unprivileged_userns_clone").as_deref() == Some("0") {
            v.push((tr!("doctor-userns-clone"), "sysctl -w kernel.unprivileged_userns_clone=1".into()));
        }
        v
    }

    /// What this machine lacks for `need`, with the command that fixes it;
    /// `None` when the need is met.
    pub fn missing(&self, need: &Need) -> Option<Missing> {
        let assumed = std::env::var(ASSUME_MISSING_ENV).unwrap_or_default();
        if assumed.split(',').any(|w| w.trim() == need.to_string()) {
            return missing(
                tr!("doctor-assumed-missing", need = need.to_string(), env = ASSUME_MISSING_ENV),
                format!("unset {ASSUME_MISSING_ENV}"),
            );
        }
        let failed = |p: &Probe| p.as_ref().err().cloned();
        match need {
            Need::Root => {
                (crate::sys::process::euid() != 0).then(|| Missing { what: "root".into(), fix: tr!("doctor-root-fix") })
            }
            Need::Overlay => {
                failed(self.overlay()).and_then(|e| missing(format!("overlayfs ({e})"), tr!("doctor-overlay-fix")))
            }
            Need::Busybox => failed(&probe::busybox())
                .and_then(|e| missing(format!("busybox-static ({e})"), "apt-get install busybox-static")),
            Need::Userns => failed(self.namespace(NamespaceKind::User)).and_then(|e| {
                let fix = self.userns_restrictions().into_iter().map(|(_, f)| f).collect::<Vec<_>>().join(" && ");
                let fix = if fix.is_empty() { tr!("doctor-userns-fix") } else { fix };
                missing(tr!("doctor-userns-missing", reason = e), fix)
            }),
            Need::Timens => failed(self.namespace(NamespaceKind::Time)).and_then(|e| {
                missing(tr!("doctor-timens-missing", reason = e, kernel = kernel_release()), tr!("doctor-timens-fix"))
            }),
            Need::Cgroup => {
                let c = self.cgroups();
                c.layout.is_none().then(|| Missing {
                    what: format!("cgroups ({})", c.detail),
                    fix: "mount -t cgroup2 none /sys/fs/cgroup".into(),
                })
            }
            Need::CgroupV2 => {
                let c = self.cgroups();
                (c.layout != Some(Layout::Unified)).then(|| Missing {
                    what: tr!("doctor-cgroup-v2-missing", detail = c.detail),
                    fix: tr!("doctor-grub-fix"),
                })
            }
            Need::Controller(ctl) => {
                let c = self.cgroups();
                match c.controller(*ctl) {
                    Some(f) if f.usable => None,
                    Some(f) => missing(
                        tr!("doctor-controller-missing", controller = ctl.name(), detail = f.detail),
                        f.fix.clone().unwrap_or_default(),
                    ),
                    None => missing(format!("cgroups ({})", c.detail), "mount -t cgroup2 none /sys/fs/cgroup"),
                }
            }
            Need::Veth => {
                let e = failed(self.veth()).map(|e| format!("veth: {e}"));
                let e = e.or_else(|| failed(self.bridge()).map(|e| format!("bridge: {e}")));
                e.and_then(|e| missing(tr!("doctor-veth-missing", reason = e), "modprobe veth bridge"))
            }
            Need::DockerCli => probe::on_path("docker")
                .is_none()
                .then(|| Missing { what: tr!("doctor-docker-missing"), fix: tr!("doctor-docker-fix") }),
            Need::PivotRoot => failed(self.pivot_root()).and_then(|e| {
                let on_rootfs = probe::root_fs_type().as_deref() == Some("rootfs");
                let why = if on_rootfs { tr!("doctor-pivot-root-initramfs") } else { e };
                missing(format!("pivot_root ({why})"), tr!("doctor-pivot-root-fix"))
            }),
        }
    }
}
