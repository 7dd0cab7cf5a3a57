//! The arguments of the commands that name one box and little else.

use clap::Args;

// `rootfs` and `commit`: a box and an image name, neither with help text.
#[derive(Debug, Args)]
pub struct BoxAndImage {
    pub name: String,
    pub image: String,
}

#[derive(Debug, Args)]
pub struct StopArgs {
    /// The box.
    pub name: String,
    /// Seconds to wait after SIGTERM before SIGKILL.
    #[arg(long, default_value_t = 5)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// The box.
    pub name: String,
    /// Remove a running box too, and clean up after a crashed command.
    #[arg(long, short)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The box.
    pub name: String,
    /// Say which layer a path inside the box comes from.
    #[arg(long)]
    pub path: Option<String>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The box.
    pub name: String,
    /// Print a bash script of standard tools (unshare, nsenter, mount, ip)
    /// that rebuilds the box: its namespaces held the same way, its cgroup
    /// and limits, root filesystem, volumes and network.
    #[arg(long)]
    pub script: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The box.
    pub name: String,
    /// Stop after this many samples (0: run until Ctrl-C).
    #[arg(long, default_value_t = 0)]
    pub count: u32,
}
