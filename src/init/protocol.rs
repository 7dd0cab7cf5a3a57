//! Messages on the init's control socket (one JSON object per packet).

use crate::domain::NamespaceKind;
use serde::{Deserialize, Serialize};

/// Start a command. Sent with descriptors: stdin, stdout, stderr, then one
/// namespace handle per entry of `joins`, in that order. It is as long as
/// the argv (execve(2) takes megabytes), so it goes by `socket::send_long`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub argv: Vec<String>,
    pub joins: Vec<NamespaceKind>,
    pub tty: bool,
    /// Environment, working folder and user.
    #[serde(default)]
    pub process: crate::sys::identity::ProcessSpec,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum Reply {
    /// The command's pid inside the box. `exec_done`: it was started in the
    /// init's memory (see `sys::spawn`) and has already exec'd, so no
    /// `Failed` follows; a forked child still has its exec ahead of it.
    Started {
        pid: i32,
        #[serde(default)]
        exec_done: bool,
    },
    /// It could not start (exec failed): errno and what was being done.
    Failed { call: String, errno: Option<i32> },
    /// It ended: exit code, or 128 + signal number.
    Exited { code: i32 },
}

/// Client to init, after `Started`.
#[derive(Debug, Serialize, Deserialize)]
pub enum Control {
    Signal { signal: i32 },
}
