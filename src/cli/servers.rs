//! The arguments of the two servers, `serve` (the web page) and `daemon`
//! (the Docker Engine API); a doc comment on a struct is its command's help.

use clap::Args;
use std::path::PathBuf;

/// Serve the Docker Engine API on a Unix socket, so `docker` drives glassbox.
///
/// Point the real docker CLI (or a Docker SDK) at the socket and each
/// request becomes ordinary glassbox steps, recorded in the box's history
/// with the request that made them: `docker run -d -m 64m -v data:/data
/// busybox sleep 60` is `create`, `limit --memory 64M`, `unshare uts ipc
/// net pid mnt`, `rootfs`, `volume add`, `net`, Docker's hardening (`caps`,
/// `nnp`, `seccomp`, `devices`, `mask`) and `run`. Boxes made through
/// the API are ordinary boxes (glassbox ls, inspect, exec, rm work on them),
/// and docker ps lists boxes made by hand. Runs in the foreground; SIGTERM
/// or Ctrl-C stops it and leaves the containers running; started again, it
/// serves them again.
///
/// The socket is root's (mode 0660, group glassbox if there is one):
/// whoever can use it is root on this machine, as with dockerd's. There is
/// no TCP listener. glassbox is offline: `docker pull` says how to load an
/// image instead (`docker load -i FILE`, `glassbox image import FILE`).
///
/// Served: ping, version, info, events; containers: create, start, stop,
/// kill, wait, rm, ps, inspect, logs (-f), attach, top, stats, diff, exec,
/// commit, run -it and exec -it (a terminal the daemon holds), --cap-add,
/// --cap-drop, --security-opt seccomp=/no-new-privileges, --read-only,
/// --entrypoint; images: ls, inspect, history, rm, tag, load, save, build
/// (the classic builder: DOCKER_BUILDKIT=0); volumes: ls, create, inspect,
/// rm; networks: ls, inspect (bridge, none). Refused with the reason:
/// --privileged, --device, --gpus, --network/--pid host, pull, push.
/// With --explain every step prints its kernel operations as it runs.
///
/// Example:
///   sudo glassbox daemon &
///   sudo DOCKER_HOST=unix:///run/glassbox/docker.sock docker run --rm busybox echo hi
///   sudo glassbox history $(sudo glassbox ls | awk 'NR==2 {print $1}')
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DaemonArgs {
    /// The Unix socket to listen on (default: docker.sock in the runtime
    /// folder: /run/glassbox/docker.sock, or DIR/run/docker.sock with --root DIR).
    #[arg(long, value_name = "PATH")]
    pub socket: Option<PathBuf>,
}
