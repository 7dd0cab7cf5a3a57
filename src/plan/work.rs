//! Work: the operations whose doing is glassbox's own file work rather than
//! one kernel call (`image import`, `image busybox`, `image from-host`,
//! `commit`, `layer add`, `publish`).
//!
//! Each is one operation of its step's plan, applied by the executor like
//! any other: what `--explain` names as it starts is what runs, and
//! `--dry-run` prints it and does none of it. The operation holds what the
//! work needs as data (the archive, the names, the state folder whose store
//! it writes), in `domain`'s words only. The work itself belongs to layers
//! above this one (the image store, the port proxy), so `apply` hands the
//! operation to the [`Worker`] that the command gave the executor
//! (`commands::work`); the worker keeps what the work made, and a failure's
//! own error, for the command to report.

use super::apply::{ApplyOptions, HostCx};
use super::op::{HostStep, Text, Words};
use super::script::StepScript;
use crate::domain::image::{Pick, layers_dir};
use crate::output::escape::shell_word;
use crate::sys::SysResult;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "work", rename_all = "snake_case")]
pub enum WorkHost {
    /// Import the images of an archive (docker save, OCI layout, a tar)
    /// into the store under `state`.
    ImportImage {
        file: PathBuf,
        name: String,
        named: bool,
        pick: Pick,
        force: bool,
        max_size: u64,
        max_ratio: u64,
        state: PathBuf,
    },
    /// A one-layer image of the host's static busybox and a link per applet.
    BusyboxImage { name: String, state: PathBuf },
    /// A one-layer image of host programs and the libraries they load.
    HostProgramsImage { name: String, programs: Vec<String>, state: PathBuf },
    /// A folder or an archive becomes a layer of the store.
    StoreLayer { source: PathBuf, folder: bool, typed: String, state: PathBuf },
    /// A box's container layer becomes the top layer of a new image.
    CommitBox { box_name: String, image: String, upper: PathBuf, state: PathBuf },
    /// A port proxy starts on the host with the socket the command bound.
    StartProxy { box_name: String, host_port: u16, target: String, state: PathBuf },
}

// A record stores one as `{"op": "work", "work": …}`.
super::op::tagged_family!(Work);

/// Does the work of a work operation, for the executor (see
/// `executor::apply_with`); the command that planned it gives it, and reads
/// from it afterwards what the work made. An error is the operation's
/// failure, like any other operation's.
pub trait Worker {
    fn work(&mut self, op: &WorkHost, opts: &ApplyOptions) -> SysResult<()>;
}

impl HostStep for WorkHost {
    fn text(&self, _: &Words) -> Text {
        match self {
            WorkHost::ImportImage { file, name, state, .. } => Text::new(
                format!(
                    "read {} (docker save, OCI layout or a plain tar); for each new layer: unpack into a staging folder of {}, verify its digest, rename it into the store; write image {name}",
                    file.display(),
                    layers_dir(state).display()
                ),
                format!("mkdir -p L && tar -xf {} -C L", shell_word(&file.to_string_lossy())),
                "each layer is stored once by its digest; an entry that would land outside its staging folder, or a device node, is refused",
            ),
            WorkHost::BusyboxImage { name, state } => Text::new(
                format!(
                    "copy the busybox binary into a new layer of {}, a link per applet; write image {name}",
                    layers_dir(state).display()
                ),
                "mkdir -p L/bin && cp \"$(command -v busybox)\" L/bin/ && chroot L /bin/busybox --install -s /bin",
                "a one-layer image of the host's busybox and a link per applet: a shell and coreutils in one file",
            ),
            WorkHost::HostProgramsImage { name, programs, .. } => {
                let list = programs.iter().map(|p| shell_word(p)).collect::<Vec<_>>().join(" ");
                Text::new(
                    format!("copy {list} and the libraries they load into a new layer; write image {name}"),
                    format!(
                        "for p in {list}; do cp --parents \"$(command -v $p)\" $(ldd \"$(command -v $p)\" | grep -o '/[^ ]*') L/; done"
                    ),
                    "an image of exactly what the programs need to run, taken from the host",
                )
            }
            WorkHost::StoreLayer { source, folder, typed, state } => {
                let word = shell_word(typed);
                Text::new(
                    format!(
                        "read {} beneath it (openat O_NOFOLLOW), store it as a new layer of {} by its digest",
                        source.display(),
                        layers_dir(state).display()
                    ),
                    if *folder { format!("cp -a {word}/. L/") } else { format!("tar -xf {word} -C L") },
                    "a layer is stored once, read-only; the box's stack then takes it on top (the plan after this one)",
                )
            }
            WorkHost::CommitBox { image, upper, state, .. } => Text::new(
                format!(
                    "walk {} beneath its folder (openat O_NOFOLLOW, one component at a time), pack it as a new layer of {}; write image {image}: the box's layers and it",
                    upper.display(),
                    layers_dir(state).display()
                ),
                format!(
                    "tar -C {} -cpf layer.tar . && glassbox image import layer.tar --name {image}",
                    shell_word(&upper.to_string_lossy())
                ),
                "what the box changed becomes a read-only layer on top of its image's: a new image, the box left as it is",
            ),
            WorkHost::StartProxy { box_name, host_port, target, .. } => {
                let first = target.split(',').next().unwrap_or_default();
                Text::new(
                    format!(
                        "socket(AF_INET, SOCK_STREAM); bind(127.0.0.1:{host_port}); listen(); start glassbox-proxy {box_name} with it (fork, setsid, execve), forwarding to {target}"
                    ),
                    format!("socat TCP-LISTEN:{host_port},bind=127.0.0.1,fork,reuseaddr TCP:{first} &"),
                    "a process on the host passes each connection to the box: its port is reachable from the host's loopback only",
                )
            }
        }
    }

    fn apply(&self, cx: &mut HostCx) -> SysResult<()> {
        let worker = cx.worker.as_deref_mut().expect("a plan with a work operation is applied with a worker");
        worker.work(self, cx.opts)
    }

    /// What the work made lives in the store, not in a box: no part of a
    /// box's `history --script`.
    fn script(&self, _: &mut StepScript) {}
}
