//! The hardening steps: `caps`, `seccomp`, `nnp`, `devices`, `mask` and
//! `harden` (all five with Docker's defaults). Top-level commands, kept in
//! their own enum and flattened into `Command`.

use super::Lazy;
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum HardenCommand {
    /// Capabilities the box's processes keep (needs the box init: `unshare pid`)
    ///
    /// Root's power comes in about forty capabilities; every process the box
    /// init starts from now on keeps only these (bounding, effective and
    /// permitted sets; inheritable and ambient emptied). Processes already
    /// running keep theirs. A dropped capability never comes back.
    ///
    /// Examples:
    ///   glassbox caps web --docker-default
    ///   glassbox caps web --drop ALL --add NET_BIND_SERVICE
    #[command(verbatim_doc_comment)]
    Caps(Lazy<CapsArgs>),
    /// A seccomp filter on every system call of the box's processes
    ///
    /// `default` is Docker's default profile (about 350 calls allowed, the
    /// rest fail with EPERM); a file is a profile in Docker's JSON format;
    /// `unconfined` records that there is none. Compiled once, here.
    ///
    /// Examples:
    ///   glassbox nnp web && glassbox seccomp web default
    ///   glassbox seccomp web ./deny-mkdir.json
    #[command(verbatim_doc_comment)]
    Seccomp(Lazy<SeccompArgs>),
    /// no_new_privs: setuid programs and file capabilities give nothing.
    ///
    /// Example: glassbox nnp web
    Nnp {
        /// The box.
        name: String,
    },
    /// Which device nodes the box may make, read and write
    ///
    /// cgroup v1: devices.deny and devices.allow; cgroup v2: an eBPF program
    /// attached to the box's cgroup. Everything else fails with EPERM.
    ///
    /// Examples:
    ///   glassbox devices web --docker-default
    ///   glassbox devices web --allow 'c 1:3 rwm,c 1:5 rwm'
    #[command(verbatim_doc_comment)]
    Devices(Lazy<DevicesArgs>),
    /// Hide kernel files in the box, or make them read-only
    ///
    /// --docker-default (also with no path): /dev/null over /proc/kcore,
    /// /proc/keys, /proc/timer_list …, an empty tmpfs over /proc/acpi,
    /// /sys/firmware …, and /proc/sys, /proc/sysrq-trigger … read-only.
    /// Paths given are masked; --read-only paths are made read-only
    /// (`--read-only /`: the root filesystem, as docker run --read-only).
    /// Needs `mnt`.
    ///
    /// Examples:
    ///   glassbox mask web --docker-default
    ///   glassbox mask web --read-only /
    #[command(verbatim_doc_comment)]
    Mask(Lazy<MaskArgs>),
    /// All five with Docker's defaults, as five recorded steps
    ///
    /// caps --docker-default, nnp, seccomp default, devices --docker-default,
    /// mask --docker-default. Needs `pid` and `mnt`.
    ///
    /// Example: glassbox harden web
    #[command(verbatim_doc_comment)]
    Harden {
        /// The box.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct CapsArgs {
    /// The box.
    pub name: String,
    /// Capabilities to drop, comma-separated (NET_RAW or CAP_NET_RAW), or ALL.
    #[arg(long, value_name = "CAPS", required_unless_present = "docker_default")]
    pub drop: Option<String>,
    /// Capabilities to keep of those dropped (with --drop ALL: the only ones kept).
    #[arg(long, value_name = "CAPS", requires = "drop")]
    pub add: Option<String>,
    /// Keep the 14 Docker keeps.
    #[arg(long, conflicts_with_all = ["drop", "add"])]
    pub docker_default: bool,
}

#[derive(Debug, Args)]
pub struct SeccompArgs {
    /// The box.
    pub name: String,
    /// default, unconfined, or a profile file in Docker's JSON format.
    pub profile: String,
}

#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// The box.
    pub name: String,
    /// Docker's rules: mknod anything, open only null, zero, full, random,
    /// urandom, tty, console, ptys and tun.
    #[arg(long, conflicts_with = "allow", required_unless_present = "allow")]
    pub docker_default: bool,
    /// Rules to allow, comma-separated: 'c 1:3 rwm', 'c 136:* rw', 'b 8:0 r'.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub allow: Vec<String>,
}

#[derive(Debug, Args)]
pub struct MaskArgs {
    /// The box.
    pub name: String,
    /// Docker's masked and read-only paths (the default when no path is given).
    #[arg(long, conflicts_with_all = ["paths", "read_only"])]
    pub docker_default: bool,
    /// Paths inside the box to make read-only, comma-separated; `/` is the
    /// root filesystem itself.
    #[arg(long, value_delimiter = ',', value_name = "PATHS")]
    pub read_only: Vec<String>,
    /// Paths inside the box to mask.
    pub paths: Vec<String>,
}
