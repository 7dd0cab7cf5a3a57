//! The arguments of `glassbox pool`: a port shared by boxes, owned by none.

use clap::Subcommand;

/// One published port for several boxes, with a balancer that belongs to no box.
///
/// `publish` gives a port to one box, and its proxy goes with the box. A
/// pool's balancer (a `glassbox-lb` process per host port) stays while its
/// members come and go: it sends each new connection to the next serving
/// member in turn, none to one that drains or is out. Compose makes one pool
/// per service that publishes a port, named PROJECT-SERVICE.
///
/// Examples:
///   glassbox pool add shop-web shop-web-1 8080:80
///   glassbox pool drain shop-web shop-web-1
///   glassbox pool ls
///   glassbox pool rm shop-web
#[derive(Debug, Subcommand)]
#[command(verbatim_doc_comment)]
pub enum PoolCommand {
    /// Add a connected box to the pool, serving on HOSTPORT:BOXPORT
    /// (the pool, and the port's balancer, are made on first use).
    Add {
        /// The pool.
        pool: String,
        /// The box (connected with `glassbox net`).
        name: String,
        /// HOSTPORT:BOXPORT
        ports: String,
        /// Allow a host port below 1024.
        #[arg(long)]
        allow_low_port: bool,
    },
    /// Send a member no new connection, wait until the ones it has are
    /// done, then take it out of the pool (before the box stops).
    Drain {
        /// The pool.
        pool: String,
        /// The member box.
        name: String,
        /// Seconds to wait for its connections to finish before taking it out anyway.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
    },
    /// Stop the pool's balancers and forget it (its boxes stay).
    Rm {
        /// The pool.
        pool: String,
    },
    /// Every pool: its ports, balancers and members with their state.
    Ls,
}
