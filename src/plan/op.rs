//! One kernel operation and its three faces.

use crate::stage::NamespaceKind;
use crate::sys::identity::ProcessSpec;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Which process performs an operation. Making a namespace must happen in a
/// process that will be *in* it, but holding it (a bind mount in the host's
/// mount table) and writing a child's uid_map must happen outside: so a step
/// is a conversation between glassbox on the host and a forked helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Actor {
    Host,
    Helper,
}

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
pub enum Op {
    /// Mount a tmpfs on the runtime folder, private: what lives there is
    /// gone at reboot, like the namespaces it holds.
    PrivateRuntime {
        dir: PathBuf,
    },
    /// Create the folder for the box's namespace handles.
    PrepareHolds {
        dir: PathBuf,
    },
    /// Mount a small tmpfs of the box's own on that folder, so that the
    /// holds made on it all go with one unmount.
    MountHolds {
        dir: PathBuf,
    },
    /// Open the socket the box init will take `run`/`exec` requests on.
    ListenControl {
        socket: PathBuf,
    },
    /// Enter a namespace the box already has.
    Join {
        kind: NamespaceKind,
        handle: PathBuf,
    },
    /// Enter another box's namespace, to share it instead of making one (a pod).
    Share {
        kind: NamespaceKind,
        /// The box whose namespace it is (`--join`).
        with: String,
        /// That box's hold, or its init's /proc/PID/ns file.
        handle: PathBuf,
    },
    /// Take uid 0 and gid 0 in the user namespace just entered or made.
    BecomeRoot,
    /// Make a new namespace of one kind.
    Unshare {
        kind: NamespaceKind,
    },
    /// Map a range of ids: root inside is `outside` on the host.
    MapIds {
        file: String,
        inside: u32,
        outside: u32,
        count: u32,
    },
    /// Stop mount events from crossing between this mount namespace and the host's.
    MakeRprivate,
    /// Drop copies of other namespaces' handles from a new mount namespace.
    DetachHandles,
    SetHostname {
        name: String,
    },
    LoopbackUp,
    SetTimeOffsets {
        monotonic: i64,
        boottime: i64,
    },
    /// Start PID 1 of the new PID namespace; when the step also gives the
    /// box its mount namespace, PID 1 mounts the box's /proc here first.
    StartInit {
        box_name: String,
        root: PathBuf,
        /// An empty folder on the runtime tmpfs, the bottom layer of the
        /// overlay the init's image is seen through: a filesystem of its own,
        /// so never inside the binary's folder, which overlayfs refuses (ELOOP).
        #[serde(default)]
        empty_layer: PathBuf,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mount_proc: Option<PathBuf>,
    },
    /// Mount a proc filesystem of the box's PID namespace.
    MountProc {
        target: PathBuf,
    },
    /// Make the box's writable container layer and overlay work folder.
    PrepareContainerLayer {
        upper: PathBuf,
        work: PathBuf,
        owner: Option<u32>,
    },
    /// Create a folder on the host.
    MakeDir {
        path: PathBuf,
    },
    /// Stack the layers with overlayfs.
    MountOverlay {
        lower: Vec<PathBuf>,
        upper: PathBuf,
        work: PathBuf,
        target: PathBuf,
    },
    /// Make sure a mount point is a real folder, not an image's symlink.
    EnsureDir {
        path: PathBuf,
    },
    /// Mount a fresh small filesystem (tmpfs, devpts, sysfs).
    MountFs {
        fstype: String,
        target: PathBuf,
        options: String,
        read_only: bool,
    },
    /// Bind one host device node into the box's /dev.
    BindDevice {
        name: String,
        target: PathBuf,
    },
    Symlink {
        link: PathBuf,
        to: String,
    },
    /// Make the overlay the root of the box's mount namespace.
    PivotRoot {
        new_root: PathBuf,
    },
    /// Create the bridge (virtual switch) the boxes plug into, with its address.
    CreateBridge {
        name: String,
        address: std::net::Ipv4Addr,
        prefix: u8,
    },
    /// Create a veth pair, its peer end directly in the box's network namespace.
    CreateVeth {
        host: String,
        peer: String,
        netns: PathBuf,
    },
    /// Plug the host end into the bridge and bring it up.
    AttachToBridge {
        link: String,
        bridge: String,
    },
    /// Give the box's end its address and the default route via the bridge.
    ConfigureInterface {
        name: String,
        address: std::net::Ipv4Addr,
        prefix: u8,
        gateway: std::net::Ipv4Addr,
    },
    /// Attach a host folder (a volume) at a path in the box, resolved
    /// with `root` as `/`: the box's root filesystem, built or in use.
    MountVolume {
        source: PathBuf,
        #[serde(default = "slash")]
        root: PathBuf,
        target: PathBuf,
        read_only: bool,
    },
    /// Make a scratch mount namespace, a private copy of this one owned by
    /// the host, to build in: the box's own mount table gets only the
    /// finished tree, so a failure half way leaves it as it was.
    ScratchMounts,
    /// Copy the finished mount tree at `path`; with the box's user namespace
    /// (`lock_with`), from a mount namespace that it owns, which locks every
    /// mount of the copy so that root in the box cannot change or unmount it.
    CopyTree {
        path: PathBuf,
        lock_with: Option<PathBuf>,
    },
    /// Attach the copied tree at `target` (resolved inside the current root).
    AttachTree {
        target: PathBuf,
    },
    /// Detach a volume from the box.
    UnmountVolume {
        target: PathBuf,
    },
    /// Drop a bind-mount hold: the namespace goes when its last user does.
    Release {
        kind: NamespaceKind,
        path: PathBuf,
    },
    /// Create a cgroup folder.
    MakeCgroup {
        path: PathBuf,
    },
    /// Write one value to one cgroup file.
    WriteCgroup {
        file: PathBuf,
        value: String,
        why: String,
    },
    /// The same, skipped when the kernel does not offer the file.
    WriteCgroupIfPresent {
        file: PathBuf,
        value: String,
        why: String,
    },
    /// Move this process into the box's cgroup before anything else.
    JoinCgroup {
        procs: Vec<PathBuf>,
    },
    /// Keep a namespace alive after the helper exits.
    Hold {
        kind: NamespaceKind,
        path: PathBuf,
    },
    /// Replace the helper with the command.
    Exec {
        argv: Vec<String>,
        /// Environment, working folder and user (an image's config, `run -e -w -u`).
        #[serde(default, skip_serializing_if = "ProcessSpec::is_default")]
        process: ProcessSpec,
    },
    /// A hardening operation (see `plan::confine`).
    Confine(super::confine::ConfineOp),
    /// Taking apart, or state made outside a box (see `plan::teardown_ops`).
    Teardown(super::teardown_ops::TeardownOp),
    /// Ask the box init to start the command as its child.
    AskInit {
        socket: PathBuf,
        joins: Vec<(NamespaceKind, PathBuf)>,
        argv: Vec<String>,
        #[serde(default, skip_serializing_if = "ProcessSpec::is_default")]
        process: ProcessSpec,
    },
}

/// Where a volume recorded before `MountVolume` had a root was resolved.
fn slash() -> PathBuf {
    PathBuf::from("/")
}

/// The three faces of an operation, plus who performs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Faces {
    pub actor: Actor,
    pub syscall: String,
    pub shell: String,
    pub why: String,
}

impl Faces {
    /// One explained operation. `helper` replaces the `$HELPER` placeholder
    /// with the real pid while a plan is being applied.
    pub fn render(&self, n: usize, helper: Option<i32>) -> String {
        let fill = |s: &str| match helper {
            Some(pid) => s.replace("$HELPER", &pid.to_string()),
            None => s.to_string(),
        };
        let who = match self.actor {
            Actor::Host => "host  ",
            Actor::Helper => "helper",
        };
        // Each face escaped on its own: a path or hostname holding a newline
        // must not add a line to the three.
        let shown = |s: &str| crate::output::escape::visible(s).into_owned();
        format!(
            "{n:>3}. [{who}] {}\n       $ {}\n       # {}\n",
            shown(&fill(&self.syscall)),
            shown(&fill(&self.shell)),
            shown(&self.why)
        )
    }
}
