//! The hardening the box init applies to every process it starts.
//!
//! A process cannot be confined from outside: no call lowers another
//! process's capabilities or loads a filter into it. So the hardening steps
//! tell the init, over its control socket, and the init confines each new
//! process in the child, just before execve (see `sys::confine` for the
//! order). The init itself keeps what it needs to start them (entering
//! namespaces made after it needs CAP_SYS_ADMIN) and runs no code of the
//! box's; a box process with fewer capabilities cannot ptrace it or open
//! its /proc/1/mem, root or fd (the kernel's ptrace access check wants the
//! tracer's permitted set to cover the target's).
//!
//! The policy only ever tightens: capabilities are intersected, no_new_privs
//! is never unset, filters are added (the kernel runs them all, and the
//! strictest answer wins). So a message on the socket from anyone — a box
//! process that can reach it, too — can make the box stricter, never looser.

use crate::sys::confine::Confinement;
use crate::sys::{SysError, SysResult, socket};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::Path;

/// A message on the control socket that tightens the policy.
#[derive(Debug, Serialize, Deserialize)]
pub struct Tighten {
    pub tighten: Tightening,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum Tightening {
    /// Keep only these capabilities (a bit per capability).
    KeepCaps {
        mask: u64,
    },
    NoNewPrivs,
    /// Add a seccomp filter: its compiled program is the descriptor sent
    /// with the message.
    Filter,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum Answer {
    Done,
    Refused { reason: String },
}

/// The largest filter file the init reads (4096 instructions of 8 bytes).
const MAX_FILTER_BYTES: u64 = 4096 * 8;

/// The init's side: applies a tightening to its policy.
pub fn tighten(policy: &mut Confinement, t: Tightening, fds: Vec<OwnedFd>) -> Answer {
    match t {
        Tightening::KeepCaps { mask } => {
            policy.keep = Some(policy.keep.map_or(mask, |old| old & mask));
        }
        Tightening::NoNewPrivs => policy.no_new_privs = true,
        Tightening::Filter => {
            let Some(fd) = fds.into_iter().next() else {
                return Answer::Refused { reason: "no filter came with the message".into() };
            };
            let mut bytes = vec![];
            if let Err(e) = std::fs::File::from(fd).take(MAX_FILTER_BYTES + 1).read_to_end(&mut bytes) {
                return Answer::Refused { reason: format!("reading the filter: {e}") };
            }
            match crate::sys::confine::filter_from_bytes(&bytes) {
                Some(f) if bytes.len() as u64 <= MAX_FILTER_BYTES => policy.filters.push(f),
                _ => {
                    return Answer::Refused {
                        reason: "the filter is not a BPF program of 1 to 4096 instructions".into(),
                    };
                }
            }
        }
    }
    Answer::Done
}

/// glassbox's side: tells the init and waits for its answer.
pub fn send(socket_path: &Path, t: Tightening, filter: Option<&Path>) -> SysResult<()> {
    let conn = socket::connect(socket_path)?;
    let file = filter
        .map(|p| std::fs::File::open(p).map_err(|e| SysError::io(format!("open {}", p.display()), e)))
        .transpose()?;
    let fds: Vec<RawFd> = file.iter().map(|f| f.as_raw_fd()).collect();
    let msg = serde_json::to_vec(&Tighten { tighten: t }).expect("messages serialise");
    socket::send(&conn, &msg, &fds)?;
    let (data, _) = socket::recv(&conn)?;
    match serde_json::from_slice::<Answer>(&data) {
        Ok(Answer::Done) => Ok(()),
        Ok(Answer::Refused { reason }) => Err(SysError::io("box init", std::io::Error::other(reason))),
        Err(_) => Err(SysError::io(
            "box init",
            std::io::Error::other("gave no answer (an init from before glassbox could harden boxes?)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_only_tightens() {
        let mut p = Confinement::default();
        tighten(&mut p, Tightening::KeepCaps { mask: 0b1110 }, vec![]);
        tighten(&mut p, Tightening::KeepCaps { mask: 0b0111 }, vec![]);
        assert_eq!(p.keep, Some(0b0110), "a capability dropped once stays dropped");
        tighten(&mut p, Tightening::NoNewPrivs, vec![]);
        assert!(p.no_new_privs);
        assert!(matches!(tighten(&mut p, Tightening::Filter, vec![]), Answer::Refused { .. }));
        assert!(p.filters.is_empty());
    }
}
