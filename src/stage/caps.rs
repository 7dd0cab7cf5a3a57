//! Capabilities: root's power cut into about forty pieces (capabilities(7)).
//!
//! The kernel checks a capability, not uid 0, before most privileged acts:
//! CAP_SYS_ADMIN to mount, CAP_SYS_MODULE to load a module, CAP_NET_RAW for
//! a raw socket (ping), CAP_MKNOD to make a device node. A process has five
//! sets: effective (what it uses now), permitted (what it may make
//! effective), inheritable and ambient (what passes through execve), and the
//! bounding set (the most execve can ever grant). For root, execve grants
//! the bounding set plus the inheritable set, so the `caps` step shrinks the
//! bounding set and empties inheritable and ambient (as Docker has done since
//! CVE-2022-24769). Docker keeps the fourteen in `DOCKER_DEFAULT`.

use super::StageError;
use super::hardening::{self, current_caps};
use crate::plan::Plan;
pub use crate::plan::confine::mask_of;
use crate::plan::op;
use crate::state::{BoxRecord, Root};
use caps::Capability;
use std::str::FromStr;

/// The capabilities Docker leaves a container (moby's oci/caps/defaults.go).
pub const DOCKER_DEFAULT: [Capability; 14] = [
    Capability::CAP_CHOWN,
    Capability::CAP_DAC_OVERRIDE,
    Capability::CAP_FSETID,
    Capability::CAP_FOWNER,
    Capability::CAP_MKNOD,
    Capability::CAP_NET_RAW,
    Capability::CAP_SETGID,
    Capability::CAP_SETUID,
    Capability::CAP_SETFCAP,
    Capability::CAP_SETPCAP,
    Capability::CAP_NET_BIND_SERVICE,
    Capability::CAP_SYS_CHROOT,
    Capability::CAP_KILL,
    Capability::CAP_AUDIT_WRITE,
];

/// What `glassbox caps` was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum CapsRequest {
    DockerDefault,
    /// Drop these (or all), then keep these of the dropped.
    Change {
        drop_all: bool,
        drop: Vec<Capability>,
        add: Vec<Capability>,
    },
}

/// Every capability by number, as the kernel orders them.
fn every() -> Vec<Capability> {
    let mut all: Vec<Capability> = caps::all().into_iter().collect();
    all.sort_by_key(|c| c.index());
    all
}

fn valid_names() -> String {
    every().iter().map(|c| c.to_string().trim_start_matches("CAP_").to_string()).collect::<Vec<_>>().join(" ")
}

/// One name, with or without `CAP_`, in any case.
pub fn parse_one(word: &str) -> Result<Capability, StageError> {
    let upper = word.trim().to_ascii_uppercase();
    let full = if upper.starts_with("CAP_") { upper } else { format!("CAP_{upper}") };
    Capability::from_str(&full).map_err(|_| StageError::BadValue {
        what: "capability",
        value: word.to_string(),
        reason: format!("the capabilities are {} (see capabilities(7)); --drop also takes ALL", valid_names()),
    })
}

/// A comma-separated list; `ALL` alone means every capability.
pub fn parse_list(text: &str) -> Result<(bool, Vec<Capability>), StageError> {
    let words: Vec<&str> = text.split(',').filter(|w| !w.trim().is_empty()).collect();
    if words.iter().any(|w| w.trim().eq_ignore_ascii_case("ALL")) {
        return Ok((true, vec![]));
    }
    Ok((false, words.into_iter().map(parse_one).collect::<Result<_, _>>()?))
}

/// The names of the capabilities in a mask, by number; a bit this program
/// has no name for (a newer kernel's) as `cap_N`.
pub fn names_of(mask: u64) -> Vec<String> {
    let known = every();
    (0..64u8)
        .filter(|i| mask & (1u64 << i) != 0)
        .map(|i| known.iter().find(|c| c.index() == i).map_or(format!("cap_{i}"), |c| c.to_string()))
        .collect()
}

/// What the box keeps after the request, checked against what it has.
pub fn kept(record: &BoxRecord, req: &CapsRequest) -> Result<u64, StageError> {
    let now = current_caps(record);
    let want = match req {
        CapsRequest::DockerDefault => DOCKER_DEFAULT.iter().fold(0, |m, c| m | c.bitmask()),
        CapsRequest::Change { drop_all, drop, add } => {
            let dropped = if *drop_all { now } else { drop.iter().fold(0, |m, c| m | c.bitmask()) };
            if let Some(missing) = add.iter().find(|c| now & c.bitmask() == 0) {
                return Err(StageError::BadValue {
                    what: "--add",
                    value: missing.to_string(),
                    reason: format!(
                        "box {} has no such capability to keep: it is not in its bounding set ({}); a capability once dropped \
                         comes back only by rebuilding the box",
                        record.name,
                        names_of(now).join(" ")
                    ),
                });
            }
            (now & !dropped) | add.iter().fold(0, |m, c| m | c.bitmask())
        }
    };
    Ok(want & now)
}

/// The plan of `glassbox caps`.
pub fn plan(root: &Root, record: &BoxRecord, req: &CapsRequest) -> Result<(Plan, Vec<String>), StageError> {
    hardening::require_init(record, "caps")?;
    let keep = kept(record, req)?;
    let h = &record.hardening;
    if !h.filters.is_empty() && !hardening::may_load_filter(h.no_new_privs, keep) {
        return Err(hardening::filter_needs_nnp(
            &record.name,
            "the box loads a seccomp filter and this drops CAP_SYS_ADMIN",
        ));
    }
    let names = names_of(keep);
    let dropped = (0..=crate::sys::confine::last_cap()).filter(|c| keep & (1u64 << c) == 0).count();
    let op = op::KeepCaps { socket: root.control_socket(&record.name), keep: names.clone(), dropped };
    Ok((Plan::new(vec![op.into()]), names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_spelling_and_unknown_ones_list_the_valid() {
        assert_eq!(parse_one("net_bind_service").unwrap(), Capability::CAP_NET_BIND_SERVICE);
        assert_eq!(parse_one("CAP_SYS_ADMIN").unwrap(), Capability::CAP_SYS_ADMIN);
        let err = parse_one("FLY").unwrap_err().to_string();
        assert!(err.contains("\"FLY\"") && err.contains("NET_RAW") && !err.contains('\n'), "{err}");
        assert_eq!(parse_list("all").unwrap(), (true, vec![]));
        assert_eq!(names_of(Capability::CAP_KILL.bitmask() | 1 << 63), ["CAP_KILL", "cap_63"]);
    }
}
