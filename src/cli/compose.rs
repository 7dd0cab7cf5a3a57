//! The arguments of `glassbox compose`.

use clap::{Args, Subcommand};
use std::path::PathBuf;

/// Several boxes from one compose.yaml, each made of ordinary glassbox steps.
///
/// Reads a subset of the Compose Specification (compose.yaml,
/// docker-compose.yml) and turns each service into the steps you would
/// type: create, limit, unshare, rootfs, volume add, net, publish, caps,
/// run. `--dry-run compose up` prints them all ("compose up is these N
/// steps"); `--explain compose up` prints them and each one's kernel
/// operations as it runs. Boxes are named PROJECT-SERVICE-N, labelled with
/// their project, and are ordinary boxes for every other command. Services
/// find each other by name through /etc/hosts, which compose writes in
/// every box of the project. A supervisor process per project
/// (glassbox-supervisor, started by up, stopped by down and reset) runs
/// the healthchecks on their schedule and restarts on-failure services.
/// A published port belongs to the service's pool (`glassbox pool`), not to
/// a box; a replica the supervisor finds unhealthy leaves the pool until it
/// is healthy again. Change a service's image and run `up -d` again: a
/// rolling update replaces its replicas per deploy.update_config, each new
/// one healthy (as its supervisor records) before it serves and each old
/// one drained before it stops; one that never gets healthy rolls it back.
///
/// Keys read: services.*: image, build (context, dockerfile, args),
/// command, entrypoint, environment, env_file, ports (HOST:BOX), volumes
/// (named, ./bind, :ro), depends_on (service_started, service_healthy,
/// service_completed_successfully), healthcheck (test, interval, timeout,
/// retries, start_period), hostname, working_dir, user, mem_limit, cpus,
/// pids_limit, deploy.resources.limits, deploy.replicas, deploy.update_config
/// (parallelism, delay, order, failure_action: rollback|pause), cap_add,
/// cap_drop, read_only, network_mode (none, service:NAME), networks,
/// restart (no, on-failure[:N]);
/// top-level name, volumes, networks. ${VAR}, ${VAR:-default}, $$ and .env.
/// Any other key is an error naming it and its line.
///
/// Examples:
///   glassbox compose config
///   glassbox --dry-run compose up
///   glassbox compose up -d && glassbox compose ps
///   glassbox compose exec web -- cat /etc/hosts
///   glassbox compose down -v
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ComposeArgs {
    /// The compose file (default: compose.yaml, compose.yml,
    /// docker-compose.yml or docker-compose.yaml in the current folder).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The project name (default: the file's `name:`, else its folder's name).
    #[arg(short = 'p', long = "project-name", value_name = "NAME")]
    pub project: Option<String>,
    #[command(subcommand)]
    pub action: ComposeAction,
}

#[derive(Debug, Subcommand)]
pub enum ComposeAction {
    /// Make and start the services' boxes, dependencies first.
    Up {
        /// Start them in the background (glassbox always does; accepted for habit).
        #[arg(short = 'd', long)]
        detach: bool,
        /// Build every service that has `build`, even when its image exists.
        #[arg(long)]
        build: bool,
        /// Only these services (and none of their dependencies).
        services: Vec<String>,
    },
    /// Remove the project's boxes (and with -v its named volumes).
    Down {
        /// Remove the named volumes of the file too.
        #[arg(short = 'v', long)]
        volumes: bool,
    },
    /// The project's boxes: service, state, health, restarts, pool, image
    /// (old ones marked during an update), address, ports; and each
    /// service's last rollout.
    Ps,
    /// What the services' main processes printed.
    Logs {
        /// Keep printing as they print more (until Ctrl-C).
        #[arg(short = 'f', long)]
        follow: bool,
        /// Only this service.
        service: Option<String>,
    },
    /// Run a command in a service's first box, like `glassbox exec`.
    Exec {
        /// The service.
        service: String,
        /// The command and its arguments, after `--`.
        #[arg(last = true, required = true, value_name = "CMD")]
        argv: Vec<String>,
    },
    /// Print the file as glassbox read it, variables substituted.
    Config,
    /// Set how many boxes a service has: SERVICE=N adds or removes replicas.
    Scale {
        /// SERVICE=N, one or more.
        #[arg(required = true, value_name = "SERVICE=N")]
        targets: Vec<String>,
    },
}
