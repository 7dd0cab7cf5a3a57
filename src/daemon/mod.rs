//! `glassbox daemon`: the Docker Engine API on a Unix socket, so the real
//! `docker` CLI (and any Docker SDK) drives glassbox.
//!
//! Docker is a client and a daemon. `docker run -d -m 64m busybox sleep 60`
//! does nothing itself: it sends `POST /containers/create` with a JSON body
//! over `/var/run/docker.sock`, then `POST /containers/ID/start`, and the
//! daemon turns each request into namespaces, a cgroup, an overlay mount and
//! a process. This module is such a daemon, with one rule that makes it
//! worth reading: it never acts on the kernel itself. Each request becomes
//! a sequence of ordinary glassbox steps (`create`, `limit`, `unshare`,
//! `rootfs`, `volume add`, `net`, `publish`, `run`), each run as the very
//! glassbox command a learner would type, holding the same box lock and
//! recorded in the same box history, tagged with the request that caused it
//! (`state::cause`). `glassbox history BOX` then shows `POST
//! /containers/create` above the steps it was.
//!
//! Why separate processes: the steps enter and create namespaces, and the
//! kernel refuses a multithreaded process some of them (unshare(2) of a
//! user namespace, setns(2) into a mount namespace). A server is
//! multithreaded or at least asynchronous; glassbox's steps are not. So the
//! daemon serves HTTP on a single-threaded tokio runtime, reads state
//! (records, the image store, volumes, /proc) in-process, and starts the
//! glassbox binary for every change. A `run` becomes a `glassbox run`
//! process in a session of its own: it is the container's monitor, as
//! containerd's shim is dockerd's, so stopping the daemon leaves every
//! container running (dockerd's live-restore), and a restarted daemon
//! serves the same boxes from their records.
//!
//! Layout: `socket` (the listening socket and who may connect), `api`
//! (errors, bodies, the request each step records), `routes` (the URL
//! table), `steps` (running one glassbox step), `translate` (a create
//! request into steps: pure), `containers/` (the container endpoints),
//! `streams` (logs, attach and exec output, Docker's stream framing),
//! `exec`, `images`, `resources` (volumes, networks), `system` (ping,
//! version, info, events), `clock` (Docker's time formats).

mod api;
mod build;
mod clock;
mod containers;
mod exec;
mod images;
mod load;
mod resources;
mod routes;
mod save;
mod socket;
pub(crate) mod steps;
mod streams;
mod system;
pub(crate) mod translate;
mod tty;
mod types;

use crate::i18n::tr;
use crate::output::say;
use crate::plan::op;
use crate::state::Root;
use std::path::PathBuf;
use std::sync::Arc;

/// The newest API version served, and the oldest: docker 28 asks for 1.50
/// and settles on this; docker 20.10 asks for 1.41.
pub const API_VERSION: &str = "1.47";
pub const MIN_API_VERSION: &str = "1.24";

#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(
        "{0} answers already: another glassbox daemon (or dockerd) serves it; stop that one, or pick another path with --socket PATH"
    )]
    SocketInUse(PathBuf),
    #[error("--socket {0}: {1}; give a path for a new socket, e.g. --socket /run/glassbox/docker.sock")]
    BadSocket(PathBuf, String),
    #[error("cannot listen on {0}: {1}")]
    Listen(PathBuf, std::io::Error),
    #[error("daemon: {0}")]
    Io(#[from] std::io::Error),
}

impl DaemonError {
    pub fn is_usage(&self) -> bool {
        matches!(self, DaemonError::SocketInUse(_) | DaemonError::BadSocket(..))
    }
}

/// Everything a handler needs: where the state is, how to run a step,
/// and what the daemon keeps in memory (exec sessions, containers'
/// stdin, events, exit codes of removed containers).
pub struct Daemon {
    pub root: Root,
    pub steps: steps::Runner,
    pub events: system::Events,
    pub execs: exec::Sessions,
    pub live: containers::Live,
    /// Set once SIGTERM (or Ctrl-C) came.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

pub type App = Arc<Daemon>;

/// The socket path: `--socket`, or docker.sock in the runtime folder.
pub fn socket_path(root: &Root, asked: Option<&std::path::Path>) -> PathBuf {
    asked.map(PathBuf::from).unwrap_or_else(|| root.runtime.join("docker.sock"))
}

/// Binds the socket before any runtime starts (a bad path or a live
/// daemon is a plain error, exit code 2), then serves until SIGTERM or
/// Ctrl-C: in-flight requests finish, containers keep running, the socket
/// file goes.
/// How the daemon was asked to run (glassbox's global options).
pub struct Options<'a> {
    pub socket: Option<&'a std::path::Path>,
    /// Each step prints its kernel operations as it runs (on stderr).
    pub explain: bool,
    /// Print what starting the daemon would do, and serve nothing.
    pub dry_run: bool,
}

pub fn serve(root: Root, opts: &Options) -> Result<u8, DaemonError> {
    let explain = opts.explain;
    let path = socket_path(&root, opts.socket);
    let plan = start_plan(&root, &path);
    if opts.dry_run {
        crate::output::text(&plan.render());
        say!("{}", tr!("daemon-would-listen", path = path));
        say!("{}", tr!("step-dry-run"));
        return Ok(0);
    }
    if !plan.ops.is_empty() {
        use crate::executor::{ApplyOptions, apply};
        apply(&plan, &ApplyOptions { explain, ..Default::default() })
            .map_err(|e| DaemonError::Io(std::io::Error::other(e.to_string())))?;
    }
    let bound = socket::bind(&path)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let app: App = Arc::new(Daemon {
        steps: steps::Runner::new(&root, explain)?,
        root,
        events: system::Events::default(),
        execs: exec::Sessions::default(),
        live: containers::Live::default(),
        stopping: tokio::sync::watch::Sender::new(false),
    });
    let result = runtime.block_on(async {
        let listener = tokio::net::UnixListener::from_std(bound.listener)?;
        tokio::spawn(containers::monitor::watch_orphans(app.clone()));
        say!("{}", tr!("daemon-serving", path = path));
        say!("  {} DOCKER_HOST=unix://{} docker run --rm busybox echo hi", tr!("daemon-try"), path.display());
        for warning in &bound.warnings {
            say!("  {}", tr!("daemon-note", note = warning));
        }
        tokio::spawn({
            let app = app.clone();
            async move {
                stop_signal().await;
                let _ = app.stopping.send(true);
            }
        });
        let drain = app.clone();
        let serving = axum::serve(listener, routes::router(app.clone()))
            .with_graceful_shutdown(async move { stopping(&drain).await });
        // Requests in flight finish; a stream that never ends by itself
        // (events, logs -f, an attach) is given GRACE, then dropped.
        tokio::select! {
            r = serving => r?,
            _ = async { stopping(&app).await; tokio::time::sleep(GRACE).await } => {}
        }
        say!("{}", tr!("daemon-stopped"));
        Ok::<(), DaemonError>(())
    });
    socket::remove(&path, &bound.identity);
    result?;
    Ok(0)
}

/// The runtime folder is a private tmpfs, mounted by the first step under a
/// root: a socket made in the folder before then would vanish under it. So
/// a daemon whose socket is there mounts it first, with the operation that
/// step plans.
fn start_plan(root: &Root, socket: &std::path::Path) -> crate::plan::Plan {
    let mounted = crate::sys::mounts::is_private_mount_point(&crate::sys::mounts::mountinfo(), &root.runtime);
    let ops = if socket.starts_with(&root.runtime) && !mounted {
        vec![op::PrivateRuntime { dir: root.runtime.clone() }.into()]
    } else {
        vec![]
    };
    crate::plan::Plan::new(ops)
}

/// How long requests in flight may take once SIGTERM came.
const GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Resolves once the daemon is stopping (streams end their loops on it).
pub async fn stopping(app: &App) {
    let mut rx = app.stopping.subscribe();
    let _ = rx.wait_for(|s| *s).await;
}

async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
