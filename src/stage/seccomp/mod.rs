//! Seccomp: a filter the kernel runs at every system call (seccomp(2)).
//!
//! Capabilities gate privileged acts; a seccomp filter cuts the system call
//! surface itself, so a bug in a call the box never needs (keyctl, bpf,
//! userfaultfd, kexec_load …) is out of its reach. A filter is a classic BPF
//! program that reads the call's number, architecture and arguments and
//! answers: allow, fail with an errno, kill. Filters stack and cannot be
//! removed. glassbox reads Docker's profile format (`profile`), compiles it
//! once when the step runs (`compile`) and stores the program beside the
//! box's record; the box init loads it into every process it starts, last
//! before execve. The default is Docker's own profile, embedded below.

pub mod compile;
pub mod profile;
pub mod verdict;

use super::StageError;
use super::hardening::{self, current_caps};
use crate::plan::Plan;
use crate::plan::op;
use crate::state::{BoxRecord, Root};
use std::path::{Path, PathBuf};

/// Docker's default profile (see docker-default.NOTICE for its source).
pub const DEFAULT_PROFILE: &str = include_str!("docker-default.json");

#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Default,
    File(PathBuf),
    Unconfined,
}

impl Choice {
    pub fn parse(word: &str) -> Choice {
        match word {
            "default" => Choice::Default,
            "unconfined" => Choice::Unconfined,
            path => Choice::File(PathBuf::from(path)),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Choice::Default => "default".into(),
            Choice::Unconfined => "unconfined".into(),
            Choice::File(p) => p.display().to_string(),
        }
    }
}

/// A profile compiled for one box.
pub struct Compiled {
    pub label: String,
    pub program: Vec<seccompiler::sock_filter>,
}

fn bad(choice: &Choice, reason: String) -> StageError {
    StageError::BadValue { what: "seccomp profile", value: choice.label(), reason }
}

fn read_profile(choice: &Choice, path: &Path) -> Result<String, StageError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| bad(choice, format!("cannot read it ({e}); give a JSON file, default or unconfined")))?;
    if !meta.is_file() {
        return Err(bad(choice, "it is not a file; give a JSON file, default or unconfined".into()));
    }
    if meta.len() > profile::MAX_BYTES {
        return Err(bad(
            choice,
            format!(
                "it is {} bytes, and a profile may have at most {} (Docker's default has 14 KB)",
                meta.len(),
                profile::MAX_BYTES
            ),
        ));
    }
    std::fs::read_to_string(path).map_err(|e| bad(choice, format!("cannot read it as text ({e})")))
}

fn facts(record: &BoxRecord) -> Result<profile::Facts, String> {
    let (go_arch, scmp_arch) = match std::env::consts::ARCH {
        "x86_64" => ("amd64", "SCMP_ARCH_X86_64"),
        "aarch64" => ("arm64", "SCMP_ARCH_AARCH64"),
        "riscv64" => ("riscv64", "SCMP_ARCH_RISCV64"),
        other => return Err(format!("glassbox compiles seccomp filters for x86_64, aarch64 and riscv64, not {other}")),
    };
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let mut v = release.trim().split(['.', '-']).map(|p| p.parse::<u32>().unwrap_or(0));
    Ok(profile::Facts {
        go_arch,
        scmp_arch,
        caps: super::caps::names_of(current_caps(record)),
        kernel: (v.next().unwrap_or(0), v.next().unwrap_or(0)),
    })
}

/// Reads and compiles the profile for this box, after the step's guards:
/// None for `unconfined`.
pub fn prepare(record: &BoxRecord, choice: &Choice) -> Result<Option<Compiled>, StageError> {
    hardening::require_init(record, "seccomp")?;
    let h = &record.hardening;
    if *choice == Choice::Unconfined {
        if !h.filters.is_empty() {
            return Err(bad(
                choice,
                format!(
                    "box {} already loads a filter, and the kernel never takes one back: rebuild the box",
                    record.name
                ),
            ));
        }
        return Ok(None);
    }
    if !hardening::may_load_filter(h.no_new_privs, current_caps(record)) {
        return Err(hardening::filter_needs_nnp(
            &record.name,
            "the box keeps no CAP_SYS_ADMIN and has no no_new_privs",
        ));
    }
    let text = match choice {
        Choice::File(p) => read_profile(choice, p)?,
        _ => DEFAULT_PROFILE.to_string(),
    };
    let facts = facts(record).map_err(|e| bad(choice, e))?;
    let parsed = profile::parse(&text, &facts).map_err(|e| bad(choice, e))?;
    let program = compile::compile(&parsed).map_err(|e| bad(choice, e))?;
    let execve = compile::native_number("execve").unwrap_or(0) as u32;
    let call = verdict::Call { nr: execve, arch: verdict::native_audit_arch(), args: [0; 6] };
    if !verdict::run(&program, &call).is_some_and(verdict::lets_through) {
        return Err(bad(choice, "it denies execve, so the box could never start a command: allow execve".into()));
    }
    Ok(Some(Compiled { label: choice.label(), program }))
}

/// Where the box's n-th compiled filter is kept.
pub fn filter_file(root: &Root, name: &str, n: usize) -> PathBuf {
    root.box_dir(name).join(format!("seccomp-{n}.bpf"))
}

/// The plan of `glassbox seccomp`: one message to the init.
pub fn plan(root: &Root, record: &BoxRecord, compiled: Option<&Compiled>) -> Plan {
    let op = match compiled {
        None => op::Unconfined,
        Some(c) => op::LoadFilter {
            socket: root.control_socket(&record.name),
            file: filter_file(root, &record.name, record.hardening.filters.len() + 1),
            profile: c.label.clone(),
            instructions: c.program.len(),
        },
    };
    Plan::new(vec![op.into()])
}
