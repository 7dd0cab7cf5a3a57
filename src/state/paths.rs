//! The state root (`--root`, env `GLASSBOX_ROOT`) and what lives under it.
//!
//! Everything glassbox makes is named from the root, so two roots (two test
//! runs, two classes) never see each other's boxes, holds or cgroups.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Root {
    /// Records, locks, later images and volumes.
    pub state: PathBuf,
    /// Namespace holds and control sockets: a private mount of itself.
    pub runtime: PathBuf,
}

pub const DEFAULT_STATE: &str = "/var/lib/glassbox";
pub const DEFAULT_RUNTIME: &str = "/run/glassbox";

impl Root {
    /// The default root keeps runtime holds in /run (gone at reboot, like the
    /// namespaces they hold); a custom root keeps everything under itself.
    pub fn new(custom: Option<&Path>) -> Root {
        match custom {
            Some(dir) => Root { state: dir.to_path_buf(), runtime: dir.join("run") },
            None => Root { state: DEFAULT_STATE.into(), runtime: DEFAULT_RUNTIME.into() },
        }
    }

    pub fn boxes_dir(&self) -> PathBuf {
        self.state.join("boxes")
    }
    pub fn box_dir(&self, name: &str) -> PathBuf {
        self.boxes_dir().join(name)
    }
    pub fn record_path(&self, name: &str) -> PathBuf {
        self.box_dir(name).join("box.json")
    }
    pub fn lock_path(&self, name: &str) -> PathBuf {
        self.state.join("locks").join(format!("{name}.lock"))
    }
    pub fn log_path(&self, name: &str) -> PathBuf {
        self.box_dir(name).join("output.log")
    }
    /// The box's own writable layer (overlay upperdir) and overlay workdir.
    pub fn container_layer(&self, name: &str) -> (PathBuf, PathBuf) {
        let dir = self.box_dir(name).join("container");
        (dir.join("upper"), dir.join("work"))
    }
    /// Where the box's overlay is mounted before it becomes the box's root.
    pub fn rootfs_mount(&self, name: &str) -> PathBuf {
        self.runtime_box_dir(name).join("rootfs")
    }
    pub fn runtime_box_dir(&self, name: &str) -> PathBuf {
        self.runtime.join("boxes").join(name)
    }
    pub fn holds_dir(&self, name: &str) -> PathBuf {
        self.runtime_box_dir(name).join("ns")
    }
    pub fn control_socket(&self, name: &str) -> PathBuf {
        self.runtime_box_dir(name).join("init.sock")
    }
}
