//! One kernel operation: which side performs it, and its three faces.
//!
//! An [`Op`] is a host operation (glassbox itself, in the host's
//! namespaces) or a helper operation (the forked helper, inside the
//! namespaces the step enters or makes): the split is in the type, so the
//! executor hands each side only what it can apply. Each side is a list of
//! families, one file each (`runtime`, `ns`, `process`, `rootfs`, `volumes`,
//! `cgroups`, `network`, `confine`, `teardown`, `work`, `pool`); a family's
//! file says everything about its operations: syscall face, shell face,
//! why, apply and script lines.

use super::apply::{HelperCx, HostCx};
use super::script::StepScript;
use super::{cgroups, confine, network, ns, pool, process, rootfs, runtime, teardown, volumes, work};
use crate::output::escape::shell_word;
use crate::sys::SysResult;
use serde::{Deserialize, Serialize};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// Which process performs an operation. Making a namespace must happen in a
/// process that will be *in* it, but holding it (a bind mount in the host's
/// mount table) and writing a child's uid_map must happen outside: so a step
/// is a conversation between glassbox on the host and a forked helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Actor {
    Host,
    Helper,
}

/// A box record stores an operation as one object tagged `op` (its name),
/// whichever side and family it is of: the wrappers below add no level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Op {
    Host(HostOp),
    Helper(HelperOp),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HostOp {
    Runtime(runtime::RuntimeHost),
    Ns(ns::NsHost),
    Rootfs(rootfs::RootfsHost),
    Network(network::NetworkHost),
    Cgroups(cgroups::CgroupsHost),
    Process(process::ProcessHost),
    #[serde(with = "confine::tagged")]
    Confine(confine::ConfineHost),
    #[serde(with = "teardown::tagged")]
    Teardown(teardown::TeardownHost),
    #[serde(with = "work::tagged")]
    Work(work::WorkHost),
    #[serde(with = "pool::tagged")]
    Pool(pool::PoolHost),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HelperOp {
    Ns(ns::NsHelper),
    Process(process::ProcessHelper),
    Rootfs(rootfs::RootfsHelper),
    Volumes(volumes::VolumesHelper),
    Network(network::NetworkHelper),
    Cgroups(cgroups::CgroupsHelper),
    #[serde(with = "confine::tagged")]
    Confine(confine::ConfineHelper),
}

/// What an operation says of itself: the call, the shell line, why.
pub struct Text {
    pub syscall: String,
    pub shell: String,
    pub why: String,
}

impl Text {
    pub fn new(syscall: impl Into<String>, shell: impl Into<String>, why: impl Into<String>) -> Text {
        Text { syscall: syscall.into(), shell: shell.into(), why: why.into() }
    }
}

/// An operation glassbox applies itself, in the host's namespaces.
pub trait HostStep {
    /// The faces; `w` writes the paths of the shell face.
    fn text(&self, w: &Words) -> Text;
    fn apply(&self, cx: &mut HostCx) -> SysResult<()>;
    /// Its part of the `history --script` of the step.
    fn script(&self, s: &mut StepScript);
}

/// An operation the helper applies, inside the namespaces it entered.
pub trait HelperStep {
    fn text(&self, w: &Words) -> Text;
    /// What must be opened before the helper enters any namespace, while
    /// the host's files are in view (a handle, a cloned mount); `keep`
    /// holds what must stay open until the helper exits.
    fn open_up_front(&self, _keep: &mut Vec<OwnedFd>) -> Option<SysResult<OwnedFd>> {
        None
    }
    fn apply(&self, cx: &mut HelperCx, opened: Option<&OwnedFd>) -> SysResult<()>;
    fn script(&self, s: &mut StepScript);
}

impl HostOp {
    pub fn step(&self) -> &dyn HostStep {
        match self {
            HostOp::Runtime(o) => o,
            HostOp::Ns(o) => o,
            HostOp::Rootfs(o) => o,
            HostOp::Network(o) => o,
            HostOp::Cgroups(o) => o,
            HostOp::Process(o) => o,
            HostOp::Confine(o) => o,
            HostOp::Teardown(o) => o,
            HostOp::Work(o) => o,
            HostOp::Pool(o) => o,
        }
    }
}

impl HelperOp {
    pub fn step(&self) -> &dyn HelperStep {
        match self {
            HelperOp::Ns(o) => o,
            HelperOp::Process(o) => o,
            HelperOp::Rootfs(o) => o,
            HelperOp::Volumes(o) => o,
            HelperOp::Network(o) => o,
            HelperOp::Cgroups(o) => o,
            HelperOp::Confine(o) => o,
        }
    }
}

impl Op {
    pub fn actor(&self) -> Actor {
        match self {
            Op::Host(_) => Actor::Host,
            Op::Helper(_) => Actor::Helper,
        }
    }

    pub fn text(&self, w: &Words) -> Text {
        match self {
            Op::Host(o) => o.step().text(w),
            Op::Helper(o) => o.step().text(w),
        }
    }

    /// The faces, the why in the command's language.
    pub fn faces(&self) -> Faces {
        let Text { syscall, shell, why } = self.text(&Words::plain());
        Faces { actor: self.actor(), syscall, shell, why }
    }

    /// The faces with the why in `lang` (the syscall and shell faces are
    /// code, the same in every language).
    #[cfg(test)]
    pub fn faces_in(&self, lang: crate::i18n::Lang) -> Faces {
        crate::i18n::in_lang(lang, || self.faces())
    }

    pub fn script(&self, s: &mut StepScript) {
        match self {
            Op::Host(o) => o.step().script(s),
            Op::Helper(o) => o.step().script(s),
        }
    }

    pub fn helper(&self) -> Option<&HelperOp> {
        if let Op::Helper(o) = self { Some(o) } else { None }
    }

    /// The operation's name as a record stores it (`hold`, `mount_overlay`).
    pub fn name(&self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v["op"].as_str().map(String::from)).unwrap_or_default()
    }
}

/// The `tagged` module of a family whose records name the family first,
/// `{"op": "confine", "confine": "mask", …}` (for `#[serde(with)]`): the
/// families that were one operation of `Op` before they were many.
macro_rules! tagged_family {
    ($variant:ident) => {
        pub mod tagged {
            use serde::{Deserialize, Deserializer, Serialize, Serializer};

            #[derive(Serialize, Deserialize)]
            #[serde(tag = "op", rename_all = "snake_case")]
            enum Tagged<T> {
                $variant(T),
            }

            pub fn serialize<T: Serialize + Clone, S: Serializer>(op: &T, s: S) -> Result<S::Ok, S::Error> {
                Tagged::$variant(op.clone()).serialize(s)
            }

            pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
                let Tagged::$variant(op) = Tagged::deserialize(d)?;
                Ok(op)
            }
        }
    };
}
pub(super) use tagged_family;

/// Each family's enums become an [`Op`] of their side, and an `Op` is
/// asked for one of them with `as_…` (`op.as_ns_host()`).
macro_rules! family {
    ($($family:ty => $opv:ident($side:ident :: $variant:ident), $as:ident;)*) => {
        $(impl From<$family> for Op {
            fn from(o: $family) -> Op {
                Op::$opv($side::$variant(o))
            }
        })*
        // Not every family is asked for yet; each is one line, kept for the next.
        #[allow(dead_code)]
        impl Op {
            $(pub fn $as(&self) -> Option<&$family> {
                match self {
                    Op::$opv($side::$variant(o)) => Some(o),
                    _ => None,
                }
            })*
        }
    };
}

family! {
    runtime::RuntimeHost => Host(HostOp::Runtime), as_runtime_host;
    ns::NsHost => Host(HostOp::Ns), as_ns_host;
    rootfs::RootfsHost => Host(HostOp::Rootfs), as_rootfs_host;
    network::NetworkHost => Host(HostOp::Network), as_network_host;
    cgroups::CgroupsHost => Host(HostOp::Cgroups), as_cgroups_host;
    process::ProcessHost => Host(HostOp::Process), as_process_host;
    confine::ConfineHost => Host(HostOp::Confine), as_confine_host;
    teardown::TeardownHost => Host(HostOp::Teardown), as_teardown_host;
    work::WorkHost => Host(HostOp::Work), as_work_host;
    pool::PoolHost => Host(HostOp::Pool), as_pool_host;
    ns::NsHelper => Helper(HelperOp::Ns), as_ns_helper;
    process::ProcessHelper => Helper(HelperOp::Process), as_process_helper;
    rootfs::RootfsHelper => Helper(HelperOp::Rootfs), as_rootfs_helper;
    volumes::VolumesHelper => Helper(HelperOp::Volumes), as_volumes_helper;
    network::NetworkHelper => Helper(HelperOp::Network), as_network_helper;
    cgroups::CgroupsHelper => Helper(HelperOp::Cgroups), as_cgroups_helper;
    confine::ConfineHelper => Helper(HelperOp::Confine), as_confine_helper;
}

impl Op {
    /// The helper becomes a command (`run` of a box without an init).
    pub fn is_exec(&self) -> bool {
        matches!(self.as_process_helper(), Some(process::ProcessHelper::Exec { .. }))
    }

    /// The box init is asked to start a command.
    pub fn is_ask_init(&self) -> bool {
        self.as_process_host().is_some()
    }

    /// The box's PID 1 starts.
    pub fn is_start_init(&self) -> bool {
        matches!(self.as_process_helper(), Some(process::ProcessHelper::StartInit { .. }))
    }
}

/// How the shell face writes a path: as one word of a line meant to be
/// pasted, or (for `history --script`) with the box's own folders replaced
/// by the script's (`"$HOLD/rootfs"/etc`).
#[derive(Default)]
pub struct Words {
    replaced: Vec<(PathBuf, String)>,
}

impl Words {
    pub fn plain() -> Words {
        Words::default()
    }

    /// `from` and what lies below it written as `"$var"…`.
    pub fn replacing(mut self, from: PathBuf, var: &str) -> Words {
        self.replaced.push((from, var.to_string()));
        self
    }

    pub fn is_plain(&self) -> bool {
        self.replaced.is_empty()
    }

    pub fn path(&self, p: &Path) -> String {
        for (from, var) in &self.replaced {
            if let Ok(rest) = p.strip_prefix(from) {
                return match rest.as_os_str().is_empty() {
                    true => format!("\"{var}\""),
                    false => format!("\"{var}\"/{}", shell_word(&rest.to_string_lossy())),
                };
            }
        }
        shell_word(&p.to_string_lossy())
    }
}

/// The three faces of an operation, plus who performs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Faces {
    pub actor: Actor,
    pub syscall: String,
    pub shell: String,
    pub why: String,
}

impl Faces {
    /// One explained operation. `helper` replaces the `$HELPER` placeholder
    /// with the real pid while a plan is being applied.
    pub fn render(&self, n: usize, helper: Option<i32>) -> String {
        let fill = |s: &str| match helper {
            Some(pid) => s.replace("$HELPER", &pid.to_string()),
            None => s.to_string(),
        };
        let who = match self.actor {
            Actor::Host => "host  ",
            Actor::Helper => "helper",
        };
        // Each face escaped on its own: a path or hostname holding a newline
        // must not add a line to the three.
        let shown = |s: &str| crate::output::escape::visible(s).into_owned();
        format!(
            "{n:>3}. [{who}] {}\n       $ {}\n       # {}\n",
            shown(&fill(&self.syscall)),
            shown(&fill(&self.shell)),
            shown(&self.why)
        )
    }
}

/// A command line as shell words.
pub fn quote_argv(argv: &[String]) -> String {
    argv.iter().map(|a| shell_word(a)).collect::<Vec<_>>().join(" ")
}

/// Every operation by its name, whatever its family: `op::Unshare { kind }`
/// (`.into()` makes it an [`Op`]).
pub use super::cgroups::{CgroupsHelper::*, CgroupsHost::*};
pub use super::confine::{ConfineHelper::*, ConfineHost::*};
pub use super::network::{NetworkHelper::*, NetworkHost::*};
pub use super::ns::{NsHelper::*, NsHost::*};
pub use super::process::{ProcessHelper::*, ProcessHost::*};
pub use super::rootfs::{RootfsHelper::*, RootfsHost::*};
pub use super::runtime::RuntimeHost::*;
pub use super::teardown::TeardownHost::*;
pub use super::volumes::VolumesHelper::*;
