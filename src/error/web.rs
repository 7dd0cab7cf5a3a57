//! Why `serve` could not start: a bad or busy address, or a page that would
//! leave loopback. Kept here, below the web server, so the crate's error
//! type does not import the server it reports on.

use std::net::SocketAddr;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{}", crate::i18n::tr!("listen-invalid", value = format!("{:?}", .0)))]
    BadListen(String),
    #[error(
        "refusing to listen on {0}: the page shows every process and namespace on this machine, so it stays on \
         loopback (127.0.0.1, ::1). To reach it from elsewhere, use an SSH tunnel (ssh -L 7878:127.0.0.1:7878 HOST), \
         or pass --allow-remote together with --allow-host NAME if you accept that anyone who can reach it sees it"
    )]
    NotLoopback(SocketAddr),
    #[error("{}", crate::i18n::tr!("port-in-use", addr = .0.to_string()))]
    PortInUse(SocketAddr),
    #[error("cannot listen on {0}: {1}")]
    Listen(SocketAddr, std::io::Error),
    #[error("web server: {0}")]
    Io(#[from] std::io::Error),
}

impl WebError {
    pub fn is_usage(&self) -> bool {
        !matches!(self, WebError::Io(_))
    }
}
