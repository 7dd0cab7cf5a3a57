//! `glassbox serve`: the web page beside the terminal. A thin front over the
//! same model as `inspect --json`; it only reads. Tokio and axum start here
//! and nowhere else: the stage code stays single-threaded.

mod answers;
mod assets;
mod diagram;
mod guard;
#[cfg(test)]
mod health_tests;
#[cfg(test)]
mod ko_page_tests;
#[cfg(test)]
mod ko_whys_tests;
pub mod lang;
#[cfg(test)]
mod lang_tests;
mod lesson;
mod listener;
mod live;
#[cfg(test)]
mod overview_tests;
mod pages;
#[cfg(test)]
mod pod_tests;
mod rollout;
#[cfg(test)]
mod rollout_tests;
mod routes;
mod slots;
mod source;
mod steps;
#[cfg(test)]
mod tests;
mod timeline;
mod usage;
mod views;
mod watch;
mod watch_compose;
mod words;

pub use crate::error::WebError;
use crate::output::say;
use crate::state::Root;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

/// Open connections at once; past it the longest waiting for a request
/// head makes room, or the new one is closed (see slots.rs).
const MAX_CONNECTIONS: usize = 256;

/// Threads for blocking work: the routes' looks and the watcher's.
const BLOCKING_THREADS: usize = 6;

/// Connections the kernel keeps waiting for accept: a flood's burst waits
/// there a moment instead of having its SYNs, and a page's, dropped.
const BACKLOG: i32 = 4096;

pub struct ServeOptions {
    pub listen: String,
    pub allow_remote: bool,
    pub allow_host: Vec<String>,
}

/// Checks the address and binds it, before any runtime starts: a bad flag or
/// a busy port is a plain error with exit code 2, and nothing was started.
pub fn bind(opts: &ServeOptions) -> Result<TcpListener, WebError> {
    let addr: SocketAddr = opts.listen.parse().map_err(|_| WebError::BadListen(opts.listen.clone()))?;
    if !addr.ip().is_loopback() && !opts.allow_remote {
        return Err(WebError::NotLoopback(addr));
    }
    let listener = TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => WebError::PortInUse(addr),
        _ => WebError::Listen(addr, e),
    })?;
    crate::sys::net::widen_backlog(&listener, BACKLOG).map_err(|e| WebError::Listen(addr, e.source))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

pub fn serve(root: Root, opts: &ServeOptions) -> Result<u8, WebError> {
    let std_listener = bind(opts)?;
    let addr = std_listener.local_addr()?;
    // The address listened on is a name the browser may use too (a non-default
    // loopback address, or a remote one acknowledged with --allow-remote).
    let mut names = opts.allow_host.clone();
    if !addr.ip().is_unspecified() {
        names.push(addr.to_string());
    }
    let allowed = guard::AllowedHosts::new(addr.port(), &names);
    // The address a browser should open: the one listened on (IPv6 in
    // brackets); on all addresses, the loopback one, which the Host check
    // takes (0.0.0.0 is no address to open, and it would refuse it).
    let url = if addr.ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", addr.port())
    } else {
        format!("http://{addr}/")
    };
    // Few threads for the blocking looks at /proc (routes let four at a time
    // look): each thread that allocates keeps an arena of its own, and
    // idle ones linger, which is most of the server's memory otherwise.
    crate::sys::memory::few_arenas();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(BLOCKING_THREADS)
        .thread_keep_alive(std::time::Duration::from_secs(2))
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let source: Arc<dyn source::Source> = Arc::new(source::LiveSource::new(root));
        let live = live::Live::new();
        watch::spawn(source.clone(), live.clone());
        // Outermost layer: it sees every request, the refused ones included.
        let app = routes::router(routes::App::new(source, allowed, live))
            .layer(axum::middleware::from_fn(slots::answering))
            .into_make_service_with_connect_info::<slots::SlotOf>();
        let listener =
            listener::LimitedListener::new(tokio::net::TcpListener::from_std(std_listener)?, MAX_CONNECTIONS);
        say!("{}", crate::i18n::tr!("serve-serving", url = url));
        use std::io::Write;
        let _ = std::io::stdout().flush();
        // Not a graceful shutdown: open event streams never end by themselves.
        tokio::select! {
            r = axum::serve(listener, app) => r?,
            _ = stop_signal() => {}
        }
        Ok::<(), WebError>(())
    })?;
    Ok(0)
}

async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
