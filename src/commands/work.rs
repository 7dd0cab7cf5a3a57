//! Steps whose work is glassbox's own file work rather than one kernel call
//! (`image import`, `image busybox`, `image from-host`, `commit`,
//! `layer add`, `publish`; `pool add` and `pool drain` have their own family,
//! `plan::pool`): each is a plan of one work operation
//! (`plan::work`) that the executor applies like any other, so `--dry-run`
//! prints it and does none of it, and `--explain` names it as it starts.
//! The executor hands the operation to the [`Worker`] here, which calls the
//! work where it belongs (`image::…`, `sys::detached`) and keeps what it
//! made ([`Made`]) for the command to report.

use super::Ctx;
use crate::error::{Error, Result};
use crate::executor::{ApplyOptions, apply_with};
use crate::image::store::LayerMeta;
use crate::image::{ImageError, ImageRecord, Store, busybox, commit, fromhost, import};
use crate::plan::work::{WorkHost, Worker};
use crate::plan::{Op, Plan};
use crate::state::Root;
use crate::sys::{SysError, SysResult};
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};

/// What a work operation made, for the command to report.
#[derive(Debug)]
pub enum Made {
    Images { images: Vec<ImageRecord>, warnings: Vec<String> },
    Busybox { image: ImageRecord, applets: usize },
    HostPrograms { image: ImageRecord, files: Vec<PathBuf> },
    Layer { meta: LayerMeta, source: String },
    Commit { layer: LayerMeta, image: ImageRecord },
}

/// Shows the plan of one work operation under --dry-run (then None: the
/// caller stops), or applies it: the plan, for the box's history, and
/// what the work made.
pub fn run(ctx: &Ctx, op: WorkHost) -> Result<Option<(Plan, Made)>> {
    let plan = Plan::new(vec![Op::from(op)]);
    if ctx.dry_run_shows(&plan) {
        return Ok(None);
    }
    let made = apply_work(ctx, &plan, None)?;
    Ok(Some((plan, made.expect("a work operation says what it made"))))
}

/// Applies a plan with a work operation; a failure of the work is its own
/// error (an archive refused is bad input, exit 2), as before it was an
/// operation.
pub fn apply_work(ctx: &Ctx, plan: &Plan, listener: Option<RawFd>) -> Result<Option<Made>> {
    let mut worker = Doer::default();
    match apply_with(plan, &ApplyOptions { explain: ctx.explain, listener, ..Default::default() }, &mut worker) {
        Ok(_) => Ok(worker.made),
        Err(e) => Err(match WorkError::within(e.source) {
            Ok(WorkError::Image(e)) => Error::Image(e),
            Ok(WorkError::Sys(e)) => Error::Sys(e),
            Err(source) => Error::Apply(crate::executor::ApplyError { source, ..e }),
        }),
    }
}

/// The work's own error, carried through the executor's `SysError` (as
/// its source) so that the command returns it unchanged.
#[derive(Debug, thiserror::Error)]
enum WorkError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error(transparent)]
    Sys(#[from] SysError),
}

impl WorkError {
    /// The work's error inside an operation's failure, when it is one.
    fn within(e: SysError) -> std::result::Result<WorkError, SysError> {
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

/// Does the work operations of a plan, keeping what the last one made.
#[derive(Default)]
struct Doer {
    made: Option<Made>,
}

impl Worker for Doer {
    fn work(&mut self, op: &WorkHost, opts: &ApplyOptions) -> SysResult<()> {
        let made = match op {
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
                let listener = opts.listener.expect("publish hands its bound socket to the plan");
                start_proxy(box_name, target, state, listener).map_err(|e| failed("publish", e))?;
                return Ok(());
            }
        };
        self.made = Some(made);
        Ok(())
    }
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

fn start_proxy(name: &str, target: &str, state: &Path, listener: RawFd) -> SysResult<()> {
    use crate::sys::detached;
    let argv = ["glassbox-proxy".into(), name.into(), String::new(), target.into(), state.display().to_string()];
    detached::start_self_detached(&argv, listener, 2, detached::Detached::on_disk())
        .and_then(detached::Starting::started)
        .map(drop)
        .map_err(|e| SysError::io(format!("start the port proxy: {}", e.call), e.source))
}
