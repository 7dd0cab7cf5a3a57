//! IPC namespace: System V shared memory, semaphores, message queues and
//! POSIX message queues (ipc_namespaces(7)). A new one starts empty: `ipcs`
//! inside shows nothing the host made, and what the box makes (`ipcmk -M`)
//! is invisible to the host. Nothing to set up after the unshare.

use crate::plan::Op;

pub fn setup() -> Vec<Op> {
    vec![]
}
