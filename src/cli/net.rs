//! The arguments of `net`, `publish` and `serve`: what reaches a box, or
//! the page, over the network (`daemon`'s are in servers.rs).

use clap::Args;

#[derive(Debug, Args)]
pub struct NetArgs {
    /// The box.
    pub name: String,
    /// The box's address, e.g. 10.88.0.7/24 (default: the next free one).
    #[arg(long)]
    pub ip: Option<String>,
    /// The bridge's /24 when this makes the bridge (default 10.88.0.0/24
    /// for the default root, a per-root one otherwise).
    #[arg(long)]
    pub subnet: Option<String>,
    /// A network of its own: the bridge named after NAME (made on first
    /// use, removed with its last box) instead of the root's one. Boxes on
    /// two networks do not share a link; compose gives each project one.
    #[arg(long, value_name = "NAME")]
    pub network: Option<String>,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The box (connected with `glassbox net`).
    pub name: String,
    /// HOSTPORT:BOXPORT
    pub ports: String,
    /// Allow a host port below 1024.
    #[arg(long)]
    pub allow_low_port: bool,
    /// Another connected box to share the port with (repeatable): each
    /// connection goes to the next box in turn, and a box that refuses it
    /// is skipped (compose's replicas behind one port).
    #[arg(long, value_name = "BOX")]
    pub also: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// ADDRESS:PORT to listen on (port 0: any free one); default 127.0.0.1:7878, another --root its own port.
    #[arg(long)]
    pub listen: Option<String>,
    /// Accept a --listen address that is not loopback. Anyone who can
    /// reach it sees every process on this machine.
    #[arg(long)]
    pub allow_remote: bool,
    /// Another Host name (NAME or NAME:PORT) to answer to, with --allow-remote.
    #[arg(long, value_name = "NAME", requires = "allow_remote")]
    pub allow_host: Vec<String>,
}
