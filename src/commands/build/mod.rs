//! `build`: a Dockerfile becomes an image, one line at a time, through
//! glassbox's own steps.
//!
//! "Each line of a Dockerfile makes a layer" is literally what happens
//! here. A `RUN` gets a box of its own, made by the same steps a learner
//! types (create, unshare pid mnt uts ipc, rootfs of the image so far), its
//! command run in it with the build's environment, working folder, user and
//! shell; the box's container layer then becomes the step's layer exactly
//! as `commit` makes one (overlayfs's whiteouts turned into `.wh.` entries),
//! and the box is removed. `COPY` and `ADD` write a layer from the build
//! context without running anything. `ENV`, `CMD`, `WORKDIR`, `USER` and
//! the rest change only the image's config: a history entry marked
//! `empty_layer`, like Docker's. A step that changed no file stores no layer.
//!
//! The build cache (`cache`) remembers the result of each step under a key
//! made of the key of the step before it (so the whole chain of parents),
//! the line with its variables resolved, and what the step reads: for COPY
//! and ADD a digest of the copied files' content and metadata, for RUN the
//! environment it gets. An unchanged rebuild finds every step and runs
//! nothing; changing one file of the context changes that COPY's key and
//! so the key of every step after it.
//!
//! The builder is a core function (`build`), not a command: `glassbox
//! build` prints its progress events as BuildKit's plain output does, and
//! the Docker API daemon can stream the same events as JSON. It lives
//! under `commands` because a RUN runs the very commands a learner types
//! (create, unshare, rootfs, run, diff, rm): it is built on them, and
//! `command` is its front door.

pub mod cache;
pub mod command;
pub mod copy;
pub mod dockerfile;
pub mod ignore;
mod instructions;
mod run_step;
mod stage;
pub mod words;

use crate::image::ImageRecord;
use std::path::PathBuf;
use std::time::Duration;

pub use stage::build;

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// The build context folder, as given.
    pub context: PathBuf,
    /// The Dockerfile (default: CONTEXT/Dockerfile).
    pub dockerfile: Option<PathBuf>,
    /// The image's name.
    pub name: String,
    pub no_cache: bool,
    /// `--build-arg KEY=VALUE`, in order.
    pub build_args: Vec<(String, String)>,
    /// Replace an image of that name that no build made.
    pub force: bool,
}

/// What the builder reports as it goes. `id` numbers the vertices as
/// BuildKit does (`#3`); `step` is `[k/M]` where a line has one.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A vertex begins: its id and what it is.
    Start {
        id: usize,
        name: String,
    },
    /// A line of a RUN's output, with the time since its vertex began.
    Output {
        id: usize,
        since: Duration,
        line: String,
    },
    /// Something worth saying inside a vertex (a box made, a layer committed).
    Note {
        id: usize,
        text: String,
    },
    Done {
        id: usize,
        took: Duration,
    },
    Cached {
        id: usize,
    },
    Error {
        id: usize,
        took: Duration,
        message: String,
    },
}

// Its error is kept in `error`, below the builder, so that the crate's
// error type does not import the builder it reports on (the builder runs
// commands, which return that error).
pub use crate::error::build::BuildError;

/// The result: the image saved, and how many steps came from the cache.
#[derive(Debug)]
pub struct Built {
    pub image: ImageRecord,
    pub cached: usize,
    pub steps: usize,
}

/// Where the builder sends its events.
pub type Report<'a> = &'a mut dyn FnMut(Event);
