//! The runtime folder: where a box's namespace holds and its control
//! socket live. A tmpfs, private, so nothing made below it propagates to
//! other mount namespaces, and gone at reboot like what it holds.

use super::apply::HostCx;
use super::op::{HostStep, Text, Words};
use super::script::StepScript;
use crate::i18n::tr;
use crate::sys::{SysError, SysResult, mounts, socket};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The options of the runtime folder's tmpfs: it holds empty files (holds,
/// marks), sockets and folders only, and (like the state root, see
/// `state::private`) root alone reaches them.
pub const RUNTIME_TMPFS: &str = "size=1m,mode=0700";

/// The options of the tmpfs the holds are made on: they are empty files,
/// so it needs no room, and the folder keeps the mode `mkdir` gives it.
pub const HOLDS_TMPFS: &str = "size=16k,mode=0755";

/// The source the holds' tmpfs is mounted from: it names them in `findmnt`,
/// and lets a new mount namespace find and drop every box's holds at once.
pub const HOLDS_SOURCE: &str = "glassbox-holds";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RuntimeHost {
    /// Mount a tmpfs on the runtime folder, private: what lives there is
    /// gone at reboot, like the namespaces it holds.
    PrivateRuntime { dir: PathBuf },
    /// Create the folder for the box's namespace handles.
    PrepareHolds { dir: PathBuf },
    /// Mount a small tmpfs of the box's own on that folder, so that the
    /// holds made on it all go with one unmount.
    MountHolds { dir: PathBuf },
    /// Open the socket the box init will take `run`/`exec` requests on.
    ListenControl { socket: PathBuf },
}

impl HostStep for RuntimeHost {
    fn text(&self, w: &Words) -> Text {
        match self {
            RuntimeHost::PrivateRuntime { dir } => Text::new(
                format!(
                    "mount(\"tmpfs\", \"{d}\", \"tmpfs\", MS_NOSUID|MS_NODEV, \"{RUNTIME_TMPFS}\"); mount(NULL, \"{d}\", NULL, MS_PRIVATE)",
                    d = dir.display()
                ),
                format!(
                    "mount -t tmpfs -o {RUNTIME_TMPFS},nosuid,nodev tmpfs {d} && mount --make-private {d}",
                    d = w.path(dir)
                ),
                tr!("why-private-runtime"),
            ),
            RuntimeHost::PrepareHolds { dir } => Text::new(
                format!("mkdir(\"{}\")", dir.display()),
                format!("mkdir -p {}", w.path(dir)),
                tr!("why-prepare-holds"),
            ),
            RuntimeHost::MountHolds { dir } => Text::new(
                format!(
                    "mount(\"{HOLDS_SOURCE}\", \"{}\", \"tmpfs\", MS_NOSUID|MS_NODEV, \"{HOLDS_TMPFS}\")",
                    dir.display()
                ),
                format!("mount -t tmpfs -o {HOLDS_TMPFS},nosuid,nodev {HOLDS_SOURCE} {}", w.path(dir)),
                tr!("why-mount-holds", source = HOLDS_SOURCE),
            ),
            RuntimeHost::ListenControl { socket } => Text::new(
                format!("socket(AF_UNIX, SOCK_SEQPACKET); bind(\"{}\"); listen()", socket.display()),
                "# glassbox's own control socket (util-linux has no equivalent)",
                tr!("why-listen-control"),
            ),
        }
    }

    fn apply(&self, cx: &mut HostCx) -> SysResult<()> {
        match self {
            RuntimeHost::PrivateRuntime { dir } => private_runtime(dir),
            RuntimeHost::PrepareHolds { dir } => mkdir(dir),
            RuntimeHost::MountHolds { dir } => mounts::mount_named(HOLDS_SOURCE, "tmpfs", dir, false, HOLDS_TMPFS),
            RuntimeHost::ListenControl { socket: path } => {
                mkdir(path.parent().expect("a socket lives in a folder"))?;
                *cx.listener = Some(socket::listen(path)?);
                Ok(())
            }
        }
    }

    /// The script's prelude makes its own private folder for the holds
    /// ($HOLD), and its helpers need no control socket.
    fn script(&self, _: &mut StepScript) {}
}

pub(super) fn mkdir(dir: &Path) -> SysResult<()> {
    std::fs::create_dir_all(dir).map_err(|e| SysError::io(format!("mkdir -p {}", dir.display()), e))
}

/// The runtime folder becomes a mount of its own with private propagation,
/// so the holds made below it never appear in another mount namespace (the
/// same thing `ip netns` does for /run/netns).
fn private_runtime(dir: &Path) -> SysResult<()> {
    crate::sys::private_dir::make_private_dir(dir)
        .map_err(|e| SysError::io(format!("mkdir -p -m 700 {}", dir.display()), e))?;
    // The first steps of two boxes of one root at once would each see no
    // mount and mount one each, stacking two: one at a time. The folder is
    // its own lock: whoever opened it before the tmpfs was mounted has the
    // folder below, and whoever opened it after sees the mount.
    let folder = std::fs::File::open(dir).map_err(|e| SysError::io(format!("open {}", dir.display()), e))?;
    crate::sys::fd::lock_exclusive(&folder)?;
    if !mounts::is_mount_point(dir) {
        mounts::mount_fs("tmpfs", dir, false, RUNTIME_TMPFS)?;
    }
    mounts::make_private(dir, false)
}
