//! glassbox's side of the control socket.

use super::protocol::{Control, Reply, Request};
use crate::domain::NamespaceKind;
use crate::sys::{SysError, SysResult, ns, process, socket};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};

/// The init's answer to a request: the command is on its way.
#[derive(Debug)]
pub struct Asked {
    pub conn: OwnedFd,
    /// The command has exec'd already: it can only exit from here on.
    pub exec_done: bool,
}

/// A request sent, its answer not read yet: the init is starting the command.
#[derive(Debug)]
pub struct Asking {
    conn: OwnedFd,
}

impl Asking {
    /// The connection once the init has started the command.
    pub fn started(self) -> SysResult<Asked> {
        match read_reply(&self.conn)? {
            Some(Reply::Started { exec_done, .. }) => Ok(Asked { conn: self.conn, exec_done }),
            Some(Reply::Failed { call, errno }) => Err(failure(call, errno)),
            _ => Err(SysError::io("box init", std::io::Error::other("did not start the command"))),
        }
    }
}

/// Sends a request; `started` then waits for the init's answer.
pub fn ask(
    path: &Path,
    joins: &[(NamespaceKind, PathBuf)],
    argv: &[String],
    process: &crate::sys::identity::ProcessSpec,
    stdio: Option<[RawFd; 3]>,
    tty: bool,
) -> SysResult<Asking> {
    let conn = socket::connect(path)?;
    let handles = joins.iter().map(|(_, p)| ns::open(p)).collect::<SysResult<Vec<_>>>()?;
    let mut fds: Vec<RawFd> = stdio.unwrap_or([0, 1, 2]).to_vec();
    fds.extend(handles.iter().map(|h| h.as_raw_fd()));
    let joins = joins.iter().map(|(k, _)| *k).collect();
    let req = Request { argv: argv.to_vec(), joins, tty, process: process.clone() };
    socket::send_long(&conn, &serde_json::to_vec(&req).expect("requests serialise"), &fds)?;
    Ok(Asking { conn })
}

fn failure(call: String, errno: Option<i32>) -> SysError {
    SysError::io(call, errno.map_or_else(|| std::io::Error::other("failed"), std::io::Error::from_raw_os_error))
}

fn read_reply(conn: &OwnedFd) -> SysResult<Option<Reply>> {
    let (data, _) = socket::recv(conn)?;
    Ok(if data.is_empty() { None } else { serde_json::from_slice(&data).ok() })
}

/// Waits for the command to end, forwarding the signals read from `sigs` to it.
/// Returns its exit code (128 + signal when killed) or the exec failure.
pub fn wait_exit(conn: &OwnedFd, sigs: &OwnedFd) -> Result<i32, SysError> {
    let mut failure = None;
    loop {
        let ready = process::poll_readable(&[conn.as_raw_fd(), sigs.as_raw_fd()], -1);
        if ready.contains(&1) {
            if let Some(signal) = process::read_signal(sigs) {
                let msg = serde_json::to_vec(&Control::Signal { signal }).expect("serialises");
                let _ = socket::send(conn, &msg, &[]);
            }
        }
        if ready.contains(&0) {
            match read_reply(conn)? {
                Some(Reply::Failed { call, errno }) => failure = Some(self::failure(call, errno)),
                Some(Reply::Exited { code }) => {
                    return match failure {
                        Some(e) => Err(e),
                        None => Ok(code),
                    };
                }
                Some(Reply::Started { .. }) => {}
                None => {
                    return Err(SysError::io(
                        "box init",
                        std::io::Error::other("closed the connection (the box was stopped)"),
                    ));
                }
            }
        }
    }
}
