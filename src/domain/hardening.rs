//! A box's hardening as its steps recorded it (see `stage::hardening` for
//! what each layer does): read by the planners, the init's policy, inspect
//! and the web page, so it lives below them all.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The box's hardening, as its steps recorded it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Hardening {
    /// The capabilities every process the init starts keeps; None: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caps: Option<Vec<String>>,
    #[serde(default)]
    pub no_new_privs: bool,
    /// Seccomp filters, in the order they are loaded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<FilterRecord>,
    /// `seccomp unconfined` was chosen.
    #[serde(default)]
    pub unconfined: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub devices: Option<DevicesRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masks: Option<MaskRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterRecord {
    /// `default` or the profile file given.
    pub profile: String,
    /// The compiled program, in the box's state folder.
    pub file: PathBuf,
    pub instructions: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevicesRecord {
    /// "v1" (devices.allow) or "v2" (a BPF program).
    pub version: String,
    /// What the box may reach, as `c 1:3 rwm`.
    pub rules: Vec<String>,
    /// The cgroup folders the rules live in, noted before they are made.
    pub cgroups: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MaskRecord {
    pub masked: Vec<String>,
    pub read_only: Vec<String>,
}
