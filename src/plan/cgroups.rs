//! Cgroups: a folder in cgroupfs is a cgroup; writing a limit file limits
//! every process in it, writing a pid to `cgroup.procs` moves that process
//! in — see cgroups(7) and the kernel's Documentation/admin-guide/cgroup-v2.rst.

use super::apply::{HelperCx, HostCx};
use super::op::{HelperStep, HostStep, Text, Words};
use super::script::StepScript;
use crate::i18n::tr;
use crate::sys::{SysError, SysResult};
use serde::{Deserialize, Serialize};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CgroupsHost {
    /// Create a cgroup folder.
    MakeCgroup { path: PathBuf },
    /// Write one value to one cgroup file.
    WriteCgroup { file: PathBuf, value: String, why: String },
    /// The same, skipped when the kernel does not offer the file.
    WriteCgroupIfPresent { file: PathBuf, value: String, why: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CgroupsHelper {
    /// Move this process into the box's cgroup before anything else.
    JoinCgroup { procs: Vec<PathBuf> },
}

impl HostStep for CgroupsHost {
    fn text(&self, w: &Words) -> Text {
        match self {
            CgroupsHost::MakeCgroup { path } => Text::new(
                format!("mkdir(\"{}\")", path.display()),
                format!("mkdir {}", w.path(path)),
                tr!("why-make-cgroup"),
            ),
            CgroupsHost::WriteCgroup { file, value, why } | CgroupsHost::WriteCgroupIfPresent { file, value, why } => {
                Text::new(
                    format!("write(\"{}\", \"{value}\")", file.display()),
                    format!("echo '{value}' > {}", w.path(file)),
                    crate::i18n::recorded(why),
                )
            }
        }
    }

    fn apply(&self, _: &mut HostCx) -> SysResult<()> {
        match self {
            CgroupsHost::MakeCgroup { path } => match std::fs::create_dir(path) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    Err(SysError::io(format!("mkdir {}", path.display()), e))
                }
                _ => Ok(()),
            },
            CgroupsHost::WriteCgroup { file, value, .. } => write_file(file, value),
            CgroupsHost::WriteCgroupIfPresent { file, value, .. } => match file.exists() {
                true => write_file(file, value),
                false => Ok(()),
            },
        }
    }

    /// The same folders and writes; a process moved in is the script's own
    /// box process (its init and that one's children), not the pid the box had.
    fn script(&self, s: &mut StepScript) {
        let line = match self {
            CgroupsHost::MakeCgroup { path } => format!("mkdir -p {}", s.words().path(path)),
            CgroupsHost::WriteCgroup { file, .. } if file.ends_with("cgroup.procs") => {
                format!("for p in $(box_pids); do echo \"$p\" > {}; done", s.words().path(file))
            }
            CgroupsHost::WriteCgroup { .. } => self.text(s.words()).shell,
            CgroupsHost::WriteCgroupIfPresent { file, .. } => {
                format!("[ ! -e {} ] || {}", s.words().path(file), self.text(s.words()).shell)
            }
        };
        s.host(line)
    }
}

fn write_file(file: &Path, value: &str) -> SysResult<()> {
    std::fs::write(file, value).map_err(|e| SysError::io(format!("write {value:?} to {}", file.display()), e))
}

impl HelperStep for CgroupsHelper {
    fn text(&self, w: &Words) -> Text {
        let CgroupsHelper::JoinCgroup { procs } = self;
        Text::new(
            procs.iter().map(|p| format!("write(\"{}\", getpid())", p.display())).collect::<Vec<_>>().join("; "),
            procs.iter().map(|p| format!("echo $$ > {}", w.path(p))).collect::<Vec<_>>().join("; "),
            tr!("why-join-cgroup"),
        )
    }

    fn apply(&self, _: &mut HelperCx, _: Option<&OwnedFd>) -> SysResult<()> {
        let CgroupsHelper::JoinCgroup { procs } = self;
        let me = crate::sys::proc::self_pid().to_string();
        for p in procs {
            std::fs::write(p, &me).map_err(|e| SysError::io(format!("write {me} to {}", p.display()), e))?;
        }
        Ok(())
    }

    /// The script's helpers join before they unshare, as glassbox's does.
    fn script(&self, s: &mut StepScript) {
        let CgroupsHelper::JoinCgroup { procs } = self;
        let files: Vec<String> = procs.iter().map(|p| s.words().path(p)).collect();
        s.before_helper(format!("CGROUP_PROCS=({})", files.join(" ")));
    }
}
