//! The box's hardening in the model: the policy its steps recorded, and
//! what the kernel shows of each process's confinement in /proc/PID/status
//! (CapEff, CapBnd, NoNewPrivs, Seccomp, Seccomp_filters).

use crate::stage::hardening::Hardening;
use crate::state::BoxRecord;
use serde::Serialize;

#[derive(Debug, Default, Serialize)]
pub struct HardeningModel {
    /// Capabilities kept by every process the init starts; None: all the init has.
    pub caps: Option<Vec<String>>,
    pub no_new_privs: bool,
    /// Seccomp filters loaded into every process the init starts.
    pub seccomp: Vec<FilterModel>,
    pub seccomp_unconfined: bool,
    /// Device rules, and the cgroup version that enforces them.
    pub devices: Option<DevicesModel>,
    pub masked: Vec<String>,
    pub read_only: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct FilterModel {
    pub profile: String,
    pub instructions: usize,
    pub file: String,
}

#[derive(Debug, Serialize)]
pub struct DevicesModel {
    pub cgroup_version: String,
    pub rules: Vec<String>,
}

/// One process's confinement, decoded.
#[derive(Debug, Serialize, Clone)]
pub struct ProcessConfinement {
    pub cap_eff: Vec<String>,
    pub cap_bnd: Vec<String>,
    pub no_new_privs: bool,
    /// "disabled", "strict" or "filter".
    pub seccomp: &'static str,
    pub seccomp_filters: u32,
}

pub fn collect(record: &BoxRecord) -> HardeningModel {
    let Hardening { caps, no_new_privs, filters, unconfined, devices, masks } = record.hardening.clone();
    let masks = masks.unwrap_or_default();
    HardeningModel {
        caps,
        no_new_privs,
        seccomp: filters
            .into_iter()
            .map(|f| FilterModel {
                profile: f.profile,
                instructions: f.instructions,
                file: f.file.display().to_string(),
            })
            .collect(),
        seccomp_unconfined: unconfined,
        devices: devices.map(|d| DevicesModel { cgroup_version: d.version, rules: d.rules }),
        masked: masks.masked,
        read_only: masks.read_only,
    }
}

pub fn process(pid: i32) -> Option<ProcessConfinement> {
    let c = crate::sys::confine::proc_confinement(pid)?;
    Some(ProcessConfinement {
        cap_eff: crate::stage::caps::names_of(c.effective),
        cap_bnd: crate::stage::caps::names_of(c.bounding),
        no_new_privs: c.no_new_privs,
        seccomp: match c.seccomp_mode {
            1 => "strict",
            2 => "filter",
            _ => "disabled",
        },
        seccomp_filters: c.seccomp_filters,
    })
}
