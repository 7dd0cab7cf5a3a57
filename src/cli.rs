//! The command line. The doc comments here are the `--help` a learner reads,
//! so each says what the step does to the kernel and shows an example.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

mod boxes;
mod build;
mod clap_ko;
pub use boxes::{BoxAndImage, HistoryArgs, InspectArgs, RmArgs, StatsArgs, StopArgs};
pub mod compose;
mod groups;
pub mod harden;
mod help_lang;
mod lazy;
mod net;
mod only;
mod parse;
mod pool;
pub use build::{BuildArgs, BundleArgs, ImageExportArgs};
pub use pool::PoolCommand;
mod servers;
mod shell;
pub use groups::{ImageCommand, ImportArgs, LayerCommand, LessonCommand, ProgressArgs, VolumeCommand};
pub use lazy::Lazy;
pub use net::{NetArgs, PublishArgs, ServeArgs};
pub use only::Only;
pub use parse::parse;
pub use servers::DaemonArgs;
pub use shell::{CompletionsArgs, completion_script, man_page};

/// glassbox: a container runtime you can see through.
///
/// Build a container one isolation step at a time and see what the kernel
/// holds after each one. Start with:
///
///   glassbox create demo
///   glassbox --explain unshare demo uts --hostname inside
///   glassbox run demo -- hostname
///   glassbox inspect demo
///   glassbox history demo --script
///   glassbox rm demo
#[derive(Debug, Parser)]
#[command(name = "glassbox", version, verbatim_doc_comment, max_term_width = 100)]
pub struct Cli {
    /// Keep all state (boxes, namespace holds) under DIR instead of
    /// /var/lib/glassbox and /run/glassbox; tests and classes use one each.
    /// Without it, `sudo glassbox` uses the invoking user's own root,
    /// /var/lib/glassbox/users/$SUDO_USER (boxes, lessons and ports apart).
    /// DIR is taken as the real path it names (./DIR, DIR/, a symlink to it),
    /// which may hold letters, digits and / . _ - + @ % = only.
    #[arg(long, global = true, env = "GLASSBOX_ROOT", value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print each kernel operation as it runs: the syscall, the shell
    /// command that does the same, and why.
    #[arg(long, global = true)]
    pub explain: bool,
    /// Print the operations a step would perform, and change nothing.
    #[arg(long, global = true, conflicts_with = "explain")]
    pub dry_run: bool,
    /// Machine-readable output.
    #[arg(long, global = true)]
    pub json: bool,
    /// The language of messages: en or ko. Without it: GLASSBOX_LANG, then
    /// LC_ALL / LC_MESSAGES / LANG (ko_KR.UTF-8 means Korean), else English.
    /// --json stays the same in both (codes, with the message as a field).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,
    #[command(subcommand)]
    pub command: Only<Command>,
}

/// Commands that take more than one argument hold them in a `Lazy`, so a
/// start builds only the arguments of the command it runs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a new, empty box.
    ///
    /// It isolates nothing yet: a process run in it is
    /// an ordinary host process (`glassbox run demo -- hostname` prints the
    /// host's name). Each later step adds one kind of isolation.
    ///
    /// Example: glassbox create demo
    Create {
        /// Box name: 1-63 characters from a-z 0-9 _ . - (starting with a letter or digit).
        name: String,
        /// Label the box as part of a compose project (`glassbox compose`
        /// sets it; `compose ps` and the web page group boxes by it).
        #[arg(long, value_name = "PROJECT")]
        project: Option<String>,
    },
    /// Give the box new namespaces, one step per call
    ///
    /// Kinds: uts (hostname), ipc (System V IPC, message queues), net
    /// (network stack, only `lo`), pid (own PID 1: starts the box init), mnt
    /// (own mount table), user (root inside is an unprivileged uid outside),
    /// cgroup (cgroup tree view), time (clock offsets); `all` for every one.
    /// Make `user` first: namespaces made after it are owned by it.
    /// `--join OTHER` enters OTHER's namespaces of those kinds instead (a pod).
    ///
    /// Examples:
    ///   glassbox unshare demo uts --hostname box1
    ///   glassbox unshare demo user --map-root-to 100000
    ///   glassbox --explain unshare demo pid mnt
    ///   glassbox unshare sidecar net ipc uts --join app
    #[command(verbatim_doc_comment)]
    Unshare(Lazy<UnshareArgs>),
    /// Start a process in the box (recorded as a step).
    ///
    /// It runs inside exactly the namespaces the box has so far. Stdin, stdout, stderr
    /// and the exit code pass through; `-d` leaves it running in the
    /// background as the box's main process. `exec` is the same without the
    /// record, for a box that is running.
    ///
    /// Example: glassbox run demo -- sh -c 'hostname; echo $$'
    Run(Lazy<ProcessArgs>),
    /// Start another process in a running box, like `docker exec`.
    ///
    /// Example: glassbox exec demo -- ps -ef
    Exec(Lazy<ProcessArgs>),
    /// End the box's processes.
    ///
    /// SIGTERM first, SIGKILL after --timeout.
    /// With a PID namespace the init exits and its namespace dies with it.
    Stop(Lazy<StopArgs>),
    /// Remove a box: its processes, namespace holds and record.
    Rm(Lazy<RmArgs>),
    /// List boxes.
    Ls,
    /// The box's processes: host pid, pid inside, parent inside, command.
    Ps {
        /// The box.
        name: String,
    },
    /// Everything about a box.
    ///
    /// Per namespace kind the box's and the host's
    /// inode and what holds it; processes; steps. `--json` is the model the
    /// web page and lessons read.
    Inspect(Lazy<InspectArgs>),
    /// The steps applied to a box, each with its kernel operations.
    ///
    /// `--script` prints a shell script of standard tools (util-linux,
    /// iproute2) that rebuilds the box: namespaces, cgroup and limits, root
    /// filesystem, volumes, network.
    History(Lazy<HistoryArgs>),
    /// Remove everything glassbox made under this root.
    ///
    /// Every box, mount, namespace hold, cgroup, init and proxy. Images stay; named volumes stay unless --volumes.
    Reset {
        /// Delete the named volumes' data too.
        #[arg(long)]
        volumes: bool,
    },
    /// Put the box in its own cgroup and set what it may use
    ///
    /// Sizes take 64M, 1G, 512k, 512MiB or bytes (binary units); `max`
    /// removes a limit. The box's processes are moved in, and every later
    /// one starts inside.
    ///
    /// Examples:
    ///   glassbox limit demo --memory 64M --pids 32
    ///   glassbox --explain limit demo --cpus 0.5
    ///   glassbox limit demo --memory max
    #[command(verbatim_doc_comment)]
    Limit(Lazy<LimitArgs>),
    /// Live usage of the box's cgroup, once a second.
    ///
    /// Until Ctrl-C: memory
    /// (current, peak, OOM kills), CPU (usage, throttling), processes.
    Stats(Lazy<StatsArgs>),
    /// Connect the box to the other boxes (veth pair, bridge).
    ///
    /// A veth pair from its network
    /// namespace (`eth0`) to a bridge on the host (made on first use), an
    /// address on the bridge's subnet and a default route. Needs `net`.
    ///
    /// Example: glassbox unshare web net && glassbox net web
    Net(Lazy<NetArgs>),
    /// Forward a TCP port on the host's loopback into the box.
    ///
    /// 127.0.0.1:HOSTPORT reaches the box's port through a small proxy glassbox runs.
    ///
    /// Example: glassbox publish web 8080:80 && curl http://127.0.0.1:8080/
    Publish(Lazy<PublishArgs>),
    /// One port for several boxes: a balancer owned by no box, members drained before they stop.
    #[command(subcommand)]
    Pool(Lazy<PoolCommand>),
    /// Serve the live web page: process tree, namespaces, layers, cgroup
    ///
    /// Keep it open beside the terminal: every step shows up within a second.
    /// Pages: / (every box, the host), /box/NAME (process tree, the 8
    /// namespaces box vs host and what holds them, the layer stack, cgroup
    /// gauges, network, step history), /host (every namespace on the
    /// machine, like lsns). JSON: /api/boxes, /api/boxes/NAME, /api/host.
    /// Read-only, loopback only, and it answers only to the names
    /// 127.0.0.1, localhost and [::1] with its port.
    ///
    /// Example: glassbox serve   # then open the address it prints
    #[command(verbatim_doc_comment)]
    Serve(Lazy<ServeArgs>),
    /// Serve the Docker Engine API on a Unix socket, so `docker` drives glassbox.
    Daemon(Lazy<DaemonArgs>),
    /// Volumes: data that outlives a box, bind-mounted into it.
    #[command(subcommand)]
    Volume(Lazy<VolumeCommand>),
    /// Images: read-only templates of a root filesystem, made of layers.
    #[command(subcommand)]
    Image(Lazy<ImageCommand>),
    /// Give the box its own root filesystem.
    ///
    /// The image's layers stacked with
    /// overlayfs under a writable container layer, made `/` with pivot_root,
    /// with /proc, a minimal /dev, a read-only /sys and /tmp. Needs `mnt`.
    ///
    /// Example: glassbox image busybox && glassbox rootfs demo busybox
    Rootfs(Lazy<BoxAndImage>),
    /// Layers of a box's root filesystem.
    #[command(subcommand)]
    Layer(Lazy<LayerCommand>),
    /// What the box's container layer holds, like `docker diff`: A added, C changed, D deleted.
    Diff { name: String },
    /// Turn the box's container layer into a new image.
    ///
    /// It becomes one more read-only layer on top of the stack. "Each Dockerfile line is a layer", by hand.
    ///
    /// Example: glassbox commit demo demo-v2
    Commit(Lazy<BoxAndImage>),
    #[command(flatten)]
    Harden(harden::HardenCommand),
    /// Build an image from a Dockerfile: each line a layer or a config change.
    ///
    /// RUN runs in a box made by glassbox's own steps (create, unshare pid
    /// mnt uts ipc, rootfs of the image so far) and its container layer
    /// becomes the layer, as `commit` makes it; COPY/ADD write a layer from
    /// the context; ENV, CMD, WORKDIR… change only the config. Unchanged
    /// steps come from the build cache (CACHED).
    ///
    /// Example: glassbox build -t hello ./app && glassbox image history hello
    Build(Lazy<BuildArgs>),
    /// Write a box out as an OCI runtime bundle (config.json + rootfs/).
    ///
    /// The box's namespaces, hostname, id maps, cgroup limits, mounts and its
    /// image's process, as runc reads them.
    ///
    /// Example: glassbox export demo --bundle /tmp/demo && runc run --bundle /tmp/demo demo
    Export(Lazy<BundleArgs>),
    /// Guided lessons with automated checks, like rustlings for containers.
    ///
    /// Each lesson sets up a box, states a goal and asks you to predict
    /// before you run, and checks your work against the same model
    /// `inspect --json` prints. Progress is kept under the --root
    /// (lessons/progress.json). IDs: 02, uts or 02-uts; without one,
    /// status/show/check/hint/solution/reset act on the current lesson.
    ///
    ///   glassbox lesson list          # every lesson, done or not, hints used
    ///   glassbox lesson start 01      # set the lesson up, print its goal and questions
    ///   glassbox lesson show          # the idea behind it, the book chapter, the web page
    ///   glassbox lesson answer 01 1 b # answer question 1 (predict, then run)
    ///   glassbox lesson check         # passed / failed (expected vs actual) / skipped
    ///   glassbox lesson hint          # the next hint for the failing check
    ///   glassbox lesson glossary pid  # what a term means (English, 한국어)
    ///   glassbox lesson solution      # a worked solution
    ///   glassbox lesson reset         # remove its boxes and its progress
    #[command(subcommand, verbatim_doc_comment)]
    Lesson(Lazy<LessonCommand>),
    /// Several boxes from one compose.yaml, each made of ordinary glassbox steps.
    Compose(Lazy<compose::ComposeArgs>),
    /// Can this machine run every lesson? What is missing and how to fix it.
    ///
    /// Tries each feature glassbox uses instead of guessing: a namespace of
    /// each of the 8 kinds, an overlay mount and pivot_root (in a throw-away
    /// mount namespace), the cgroup layout and controllers, busybox-static,
    /// user namespace restrictions, a bridge and a veth pair (in a throw-away
    /// network namespace). Nothing is left behind. Each missing piece comes
    /// with the command that fixes it; then each lesson says whether it can
    /// run here. Exit code 0 when everything is usable, 1 otherwise.
    ///
    /// Example: sudo glassbox doctor
    Doctor,
    /// Print tab completion for bash, zsh or fish.
    ///
    /// Example: glassbox completions bash > /etc/bash_completion.d/glassbox
    Completions(Lazy<CompletionsArgs>),
    /// Print the glassbox(1) manual page (roff).
    ///
    /// Example: glassbox man > /usr/local/share/man/man1/glassbox.1
    Man,
}

#[derive(Debug, Args)]
pub struct LimitArgs {
    /// The box.
    pub name: String,
    /// Memory limit; past it the kernel OOM-kills a process of the box.
    /// Swap is limited to 0 too unless --memory-swap says otherwise.
    #[arg(long)]
    pub memory: Option<String>,
    /// Swap the box may use on top of --memory (0 for none).
    #[arg(long, requires = "memory")]
    pub memory_swap: Option<String>,
    /// CPU time as a number of CPUs: 0.5 is half of one CPU.
    #[arg(long)]
    pub cpus: Option<String>,
    /// Most processes at once; fork() fails with EAGAIN beyond.
    #[arg(long)]
    pub pids: Option<String>,
    /// CPUs the box may run on, e.g. 0 or 0-1,3.
    #[arg(long)]
    pub cpuset: Option<String>,
    /// Share of disk time, 1 to 10000 (default 100).
    #[arg(long)]
    pub io_weight: Option<String>,
}

#[derive(Debug, Args)]
pub struct UnshareArgs {
    /// The box.
    pub name: String,
    /// uts ipc net pid mnt user cgroup time, or all.
    #[arg(required = true, value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Hostname inside the new uts namespace (default: the box name).
    #[arg(long)]
    pub hostname: Option<String>,
    /// Host uid (and gid) that root inside the new user namespace maps to;
    /// 65536 ids are mapped from there. Default 100000.
    #[arg(long, value_name = "UID")]
    pub map_root_to: Option<String>,
    /// CLOCK_MONOTONIC offset of the new time namespace: seconds, or with a unit (90m, 2h, 1d).
    #[arg(long, allow_hyphen_values = true)]
    pub monotonic_offset: Option<String>,
    /// CLOCK_BOOTTIME offset of the new time namespace.
    #[arg(long, allow_hyphen_values = true)]
    pub boottime_offset: Option<String>,
    /// Share this box's namespaces of these kinds instead of making new ones
    /// (net ipc uts pid mnt), as the containers of a Kubernetes pod do.
    #[arg(long, value_name = "BOX")]
    pub join: Option<String>,
}

// What `run` and `exec` take. (No doc comment: under `Lazy` it would
// replace the variant's help, as clap applies it when it builds the args.)
#[derive(Debug, Args)]
pub struct ProcessArgs {
    /// The box (for exec, it must be running).
    pub name: String,
    /// Detach: start it in the background, output to the box's log.
    #[arg(short = 'd', long, conflicts_with = "tty")]
    pub detach: bool,
    /// Keep stdin open (the default; accepted for `docker run -it` habits).
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Give the command a pseudo-terminal, for shells and editors: -it.
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Set an environment variable, over the image's Env (repeatable).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Working folder inside the box, over the image's WorkingDir (made if missing).
    #[arg(short = 'w', long = "workdir", value_name = "DIR")]
    pub workdir: Option<String>,
    /// Run as USER[:GROUP] (names from the image's /etc/passwd, or numbers), over the image's User.
    #[arg(short = 'u', long = "user", value_name = "USER")]
    pub user: Option<String>,
    /// run only: this program instead of the image's Entrypoint, and without
    /// its Cmd (as docker run --entrypoint); "" for no Entrypoint at all.
    #[arg(long, value_name = "PROGRAM")]
    pub entrypoint: Option<String>,
    /// The command and its arguments, after `--` (for run: the image's
    /// Entrypoint and Cmd when none is given).
    #[arg(last = true, value_name = "CMD")]
    pub argv: Vec<String>,
}

/// A usage error as clap says it, in the language `--lang` or the
/// environment asks for.
pub fn clap_words(e: &clap::Error) -> Option<String> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    clap_ko::render(e, help_lang::wanted(&args))
}
