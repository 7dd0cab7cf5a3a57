//! Work: the operations whose doing is glassbox's own file work rather than
//! one kernel call (`image import`, `image busybox`, `image from-host`,
//! `commit`, `layer add`, `publish`).
//!
//! Each is one operation of its step's plan, applied by the executor like
//! any other: what `--explain` names as it starts is what runs, and
//! `--dry-run` prints it and does none of it. The operation holds what the
//! work needs as data (the archive, the names, the state folder whose store
//! it writes); its `apply` calls the work itself, which stays where it
//! belongs (`image::…`, `sys::detached`). What the work made (the images,
//! the layer) is handed back in [`Made`] for the command to report; a
//! failure keeps its own error (see [`WorkError`]), so the command fails as
//! it did before the work was an operation.

use super::apply::HostCx;
use super::op::{HostStep, Text, Words};
use super::script::StepScript;
use crate::image::import::{self, Pick};
use crate::image::store::LayerMeta;
use crate::image::{ImageError, ImageRecord, Store, busybox, commit, fromhost};
use crate::output::escape::shell_word;
use crate::state::Root;
use crate::sys::{SysError, SysResult};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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

/// What a work operation made, for the command to report.
#[derive(Debug)]
pub enum Made {
    Images {
        images: Vec<ImageRecord>,
        warnings: Vec<String>,
    },
    Busybox {
        image: ImageRecord,
        applets: usize,
    },
    HostPrograms {
        image: ImageRecord,
        files: Vec<PathBuf>,
    },
    Layer {
        meta: LayerMeta,
        source: String,
    },
    Commit {
        layer: LayerMeta,
        image: ImageRecord,
    },
    /// What a pool operation made (`plan::pool`).
    Pool(super::pool::Made),
}

/// The work's own error, carried through the executor's `SysError` (as
/// its source) so that the command returns it unchanged.
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error(transparent)]
    Sys(#[from] SysError),
}

impl WorkError {
    /// The work's error inside an operation's failure, when it is one.
    pub fn within(e: SysError) -> Result<WorkError, SysError> {
        let SysError { call, source } = e;
        match source.get_ref().is_some_and(|r| r.is::<WorkError>()) {
            true => Ok(*source.into_inner().expect("checked").downcast::<WorkError>().expect("checked")),
            false => Err(SysError { call, source }),
        }
    }
}

fn failed(what: &str, e: impl Into<WorkError>) -> SysError {
    SysError::io(what, std::io::Error::other(e.into()))
}

/// The store under a state folder; the command that planned the work
/// opened it (made its folders) before.
fn store(state: &Path) -> Store {
    Store::at(&Root::new(Some(state)))
}

fn layers(state: &Path) -> PathBuf {
    Root::new(Some(state)).layers_dir()
}

impl HostStep for WorkHost {
    fn text(&self, _: &Words) -> Text {
        match self {
            WorkHost::ImportImage { file, name, state, .. } => Text::new(
                format!(
                    "read {} (docker save, OCI layout or a plain tar); for each new layer: unpack into a staging folder of {}, verify its digest, rename it into the store; write image {name}",
                    file.display(),
                    layers(state).display()
                ),
                format!("mkdir -p L && tar -xf {} -C L", shell_word(&file.to_string_lossy())),
                "each layer is stored once by its digest; an entry that would land outside its staging folder, or a device node, is refused",
            ),
            WorkHost::BusyboxImage { name, state } => Text::new(
                format!(
                    "copy the busybox binary into a new layer of {}, a link per applet; write image {name}",
                    layers(state).display()
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
                        layers(state).display()
                    ),
                    if *folder { format!("cp -a {word}/. L/") } else { format!("tar -xf {word} -C L") },
                    "a layer is stored once, read-only; the box's stack then takes it on top (the plan after this one)",
                )
            }
            WorkHost::CommitBox { image, upper, state, .. } => Text::new(
                format!(
                    "walk {} beneath its folder (openat O_NOFOLLOW, one component at a time), pack it as a new layer of {}; write image {image}: the box's layers and it",
                    upper.display(),
                    layers(state).display()
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
        let made = match self {
            WorkHost::ImportImage { file, name, named, pick, force, max_size, max_ratio, state } => {
                let limits =
                    crate::image::extract::Limits { max_size: *max_size, max_ratio: *max_ratio, ..Default::default() };
                let request = import::Request { name, named: *named, pick: *pick, force: *force, limits };
                let (images, warnings) =
                    with_progress(file, |progress| import::import(&store(state), file, &request, progress))
                        .map_err(|e| failed("import", e))?;
                Made::Images { images, warnings }
            }
            WorkHost::BusyboxImage { name, state } => {
                let (image, applets) = busybox::make_image(&store(state), name).map_err(|e| failed("busybox", e))?;
                Made::Busybox { image, applets }
            }
            WorkHost::HostProgramsImage { name, programs, state } => {
                let (image, files) =
                    fromhost::make_image(&store(state), name, programs).map_err(|e| failed("from-host", e))?;
                Made::HostPrograms { image, files }
            }
            WorkHost::StoreLayer { source, folder, typed, state } => {
                let (meta, source) =
                    commit::store_layer(&store(state), source, *folder, typed).map_err(|e| failed("layer", e))?;
                Made::Layer { meta, source }
            }
            WorkHost::CommitBox { box_name, image, upper, state } => {
                let (layer, image) = commit::commit(&store(state), &Root::new(Some(state)), box_name, upper, image)
                    .map_err(|e| failed("commit", e))?;
                Made::Commit { layer, image }
            }
            WorkHost::StartProxy { box_name, target, state, .. } => {
                let listener = cx.opts.listener.expect("publish hands its bound socket to the plan");
                start_proxy(box_name, target, state, listener).map_err(|e| failed("publish", e))?;
                return Ok(());
            }
        };
        *cx.made = Some(made);
        Ok(())
    }

    /// What the work made lives in the store, not in a box: no part of a
    /// box's `history --script`.
    fn script(&self, _: &mut StepScript) {}
}

/// Runs an import with a progress bar on stderr, cleared when it ends.
fn with_progress<T>(file: &Path, work: impl FnOnce(&mut dyn FnMut(u64)) -> T) -> T {
    let total = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("importing {bar:30} {bytes}/{total_bytes} {bytes_per_sec}")
            .expect("a valid template"),
    );
    let result = work(&mut |n| bar.set_position(n.min(total)));
    bar.finish_and_clear();
    result
}

fn start_proxy(name: &str, target: &str, state: &Path, listener: std::os::fd::RawFd) -> SysResult<()> {
    use crate::sys::detached;
    let argv = ["glassbox-proxy".into(), name.into(), String::new(), target.into(), state.display().to_string()];
    detached::start_self_detached(&argv, listener, 2, detached::Detached::on_disk())
        .and_then(detached::Starting::started)
        .map(drop)
        .map_err(|e| SysError::io(format!("start the port proxy: {}", e.call), e.source))
}
