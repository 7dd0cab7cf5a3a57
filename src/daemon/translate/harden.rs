//! The hardening Docker gives every container, as glassbox's steps:
//! `caps` (Docker's fourteen, changed by --cap-add and --cap-drop),
//! `seccomp` (Docker's default profile, another one, or unconfined),
//! `nnp` (with --security-opt no-new-privileges), `devices` and `mask`
//! with Docker's defaults, and `mask --read-only /` for --read-only.
//!
//! One difference from Docker, kept visible: runc loads the seccomp filter
//! before it drops CAP_SYS_ADMIN, glassbox's init after (see `sys::confine`),
//! and the kernel loads a filter only into a process with no_new_privs or
//! CAP_SYS_ADMIN. So a container with a filter and without CAP_SYS_ADMIN
//! also gets `nnp`, and says so in a warning.

use super::{Refusal, Steps};
use crate::stage::caps::{self, DOCKER_DEFAULT};
use ::caps::Capability;

/// What the request's HostConfig says about hardening.
pub struct Wishes<'a> {
    pub cap_add: &'a [String],
    pub cap_drop: &'a [String],
    pub security_opt: &'a [String],
    pub read_only: bool,
}

#[derive(Debug, PartialEq)]
enum Seccomp {
    Default,
    Unconfined,
    /// A profile's JSON, as the docker CLI sends it (it reads the file).
    Profile(String),
}

/// The hardening steps for box `name`; a profile the request carries is
/// to be written to `profile_file` before the `seccomp` step runs.
pub fn steps(name: &str, w: &Wishes, profile_file: &str, out: &mut Steps) -> Result<(), Refusal> {
    let (seccomp, asked_nnp) = security_options(w.security_opt)?;
    let keep = kept(w.cap_add, w.cap_drop)?;
    let step = |words: &[&str]| -> Vec<String> {
        let mut v = vec![words[0].to_string(), name.to_string()];
        v.extend(words[1..].iter().map(|w| w.to_string()));
        v
    };
    let all = ::caps::all().iter().fold(0u64, |m, c| m | c.bitmask());
    if keep == mask(&DOCKER_DEFAULT) {
        out.steps.push(step(&["caps", "--docker-default"]));
    } else if keep != all {
        let names: Vec<String> =
            caps::names_of(keep).iter().map(|n| n.trim_start_matches("CAP_").to_string()).collect();
        let mut caps = step(&["caps", "--drop", "ALL"]);
        if !names.is_empty() {
            caps.extend(["--add".to_string(), names.join(",")]);
        }
        out.steps.push(caps);
    }
    let filter = seccomp != Seccomp::Unconfined;
    let needs_nnp = filter && keep & Capability::CAP_SYS_ADMIN.bitmask() == 0;
    if asked_nnp || needs_nnp {
        out.steps.push(step(&["nnp"]));
    }
    if needs_nnp && !asked_nnp {
        out.warnings.push(
            "no_new_privs is set (Docker leaves it off unless --security-opt no-new-privileges): glassbox's init loads the seccomp filter after dropping CAP_SYS_ADMIN, and the kernel then needs no_new_privs".into(),
        );
    }
    match seccomp {
        Seccomp::Default => out.steps.push(step(&["seccomp", "default"])),
        Seccomp::Unconfined => out.steps.push(step(&["seccomp", "unconfined"])),
        Seccomp::Profile(text) => {
            out.steps.push(step(&["seccomp", profile_file]));
            out.seccomp_profile = Some(text);
        }
    }
    out.steps.push(step(&["devices", "--docker-default"]));
    out.steps.push(step(&["mask", "--docker-default"]));
    if w.read_only {
        out.steps.push(step(&["mask", "--read-only", "/"]));
    }
    Ok(())
}

fn mask(list: &[Capability]) -> u64 {
    list.iter().fold(0, |m, c| m | c.bitmask())
}

/// Docker's rule (moby's caps.TweakCapabilities): its fourteen, or every
/// one with `--cap-add ALL`, or none with `--cap-drop ALL`; then the drops
/// go and the adds come.
fn kept(add: &[String], drop: &[String]) -> Result<u64, Refusal> {
    let parse = |words: &[String]| -> Result<(bool, u64), Refusal> {
        let joined = words.join(",");
        let (all, list) = caps::parse_list(&joined).map_err(|e| Refusal::Bad(format!("--cap-add/--cap-drop: {e}")))?;
        Ok((all, mask(&list)))
    };
    let (add_all, add) = parse(add)?;
    let (drop_all, drop) = parse(drop)?;
    let every = ::caps::all().iter().fold(0u64, |m, c| m | c.bitmask());
    let base = match (add_all, drop_all) {
        (true, _) => every,
        (false, true) => 0,
        (false, false) => mask(&DOCKER_DEFAULT),
    };
    Ok(if add_all { base & !drop } else { (base & !drop) | add })
}

/// `seccomp=…` and `no-new-privileges[=true|:true]`; what glassbox has no
/// step for is refused.
fn security_options(opts: &[String]) -> Result<(Seccomp, bool), Refusal> {
    let mut seccomp = Seccomp::Default;
    let mut nnp = false;
    for opt in opts {
        let (key, value) = opt.split_once(['=', ':']).unwrap_or((opt.as_str(), ""));
        match key {
            "seccomp" => {
                seccomp = match value {
                    "unconfined" => Seccomp::Unconfined,
                    "" | "builtin" | "default" => Seccomp::Default,
                    text if text.trim_start().starts_with('{') => Seccomp::Profile(text.to_string()),
                    other => {
                        return Err(Refusal::Bad(format!(
                            "--security-opt seccomp={other}: give unconfined or a profile file (the docker CLI sends its JSON)"
                        )));
                    }
                }
            }
            "no-new-privileges" => {
                nnp = match value {
                    "" | "true" => true,
                    "false" => false,
                    v => return Err(Refusal::Bad(format!("--security-opt no-new-privileges={v}: give true or false"))),
                }
            }
            "apparmor" | "label" | "systempaths" | "mask" | "unmask" => {
                return Err(Refusal::Bad(format!(
                    "glassbox has no step for --security-opt {key}: its hardening is caps, nnp, seccomp, devices and mask (see `glassbox harden --help`)"
                )));
            }
            _ => {
                return Err(Refusal::Bad(format!(
                    "--security-opt {opt}: glassbox knows seccomp= and no-new-privileges"
                )));
            }
        }
    }
    Ok((seccomp, nnp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn docker_s_capability_rule_starts_from_its_fourteen() {
        let default = mask(&DOCKER_DEFAULT);
        assert_eq!(kept(&[], &[]).unwrap(), default);
        let raw = Capability::CAP_NET_RAW.bitmask();
        let admin = Capability::CAP_NET_ADMIN.bitmask();
        assert_eq!(kept(&words(&["NET_ADMIN"]), &words(&["CAP_NET_RAW"])).unwrap(), (default & !raw) | admin);
        assert_eq!(kept(&words(&["NET_ADMIN"]), &words(&["ALL"])).unwrap(), admin);
        assert_eq!(kept(&words(&["ALL"]), &words(&["NET_RAW"])).unwrap() & raw, 0);
        assert!(matches!(kept(&words(&["FLY"]), &[]), Err(Refusal::Bad(m)) if m.contains("FLY")));
    }

    #[test]
    fn security_options_are_read_as_the_docker_cli_sends_them() {
        assert_eq!(security_options(&words(&["seccomp=unconfined"])).unwrap(), (Seccomp::Unconfined, false));
        assert_eq!(security_options(&words(&["no-new-privileges"])).unwrap(), (Seccomp::Default, true));
        assert!(security_options(&words(&["no-new-privileges:true"])).unwrap().1);
        let (s, _) = security_options(&words(&[r#"seccomp={"defaultAction":"SCMP_ACT_ALLOW"}"#])).unwrap();
        assert_eq!(s, Seccomp::Profile(r#"{"defaultAction":"SCMP_ACT_ALLOW"}"#.into()));
        assert!(security_options(&words(&["apparmor=unconfined"])).is_err());
        assert!(security_options(&words(&["seccomp=/etc/x.json"])).is_err());
    }
}
