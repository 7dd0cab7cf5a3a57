//! The socket is the security boundary, as dockerd's is.
//!
//! Whoever can connect can run any command as root on this machine (`docker
//! run -v /:/host busybox chroot /host`), so the socket is a Unix socket
//! and never TCP, owned by root, mode 0660, its group `glassbox` when that
//! group exists (membership is root, as membership of `docker` is), and
//! root's own group otherwise. It is made in a private folder and renamed
//! into place only once its mode and owner are set: there is no moment at
//! which anyone else could connect. Under systemd socket activation
//! (contrib/glassbox-daemon.socket), systemd makes it and passes it as
//! descriptor 3 (sd_listen_fds(3)).

use super::DaemonError;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

/// The group whose members may use the socket.
const GROUP: &str = "glassbox";
/// Owner and group read and write: connecting needs write permission.
const MODE: u32 = 0o660;

pub struct Bound {
    pub listener: UnixListener,
    /// (device, inode) of the socket file, so that only our own is removed.
    pub identity: Option<(u64, u64)>,
    pub warnings: Vec<String>,
}

pub fn bind(path: &Path) -> Result<Bound, DaemonError> {
    if let Some(listener) = from_systemd()? {
        return Ok(Bound { listener, identity: None, warnings: vec![] });
    }
    let parent = check_path(path)?;
    clear_stale(path)?;
    let gid = group_id(GROUP);
    let listener = bind_private(path, &parent, gid.unwrap_or(0)).map_err(|e| DaemonError::Listen(path.into(), e))?;
    listener.set_nonblocking(true)?;
    let identity = std::fs::symlink_metadata(path).ok().map(|m| (m.dev(), m.ino()));
    Ok(Bound { listener, identity, warnings: warnings(&parent, gid) })
}

/// Deletes the socket file at the end, if it is still the one we made.
pub fn remove(path: &Path, identity: &Option<(u64, u64)>) {
    let now = std::fs::symlink_metadata(path).ok().map(|m| (m.dev(), m.ino()));
    if identity.is_some() && now == *identity {
        let _ = std::fs::remove_file(path);
    }
}

/// The folder the socket goes in (made 0700 if missing), and a path that
/// fits a socket address.
fn check_path(path: &Path) -> Result<PathBuf, DaemonError> {
    let bad = |why: &str| DaemonError::BadSocket(path.into(), why.into());
    // sun_path holds 108 bytes with its NUL; the temporary name is longer.
    if path.as_os_str().len() > 90 {
        return Err(bad("the path is longer than a socket address can hold (90 bytes here)"));
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).ok_or_else(|| bad("no folder"))?;
    if path.file_name().is_none() {
        return Err(bad("it names no file"));
    }
    // A folder that is there is left as it is (it may be /run); one made is 0700.
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(parent).map_err(|e| bad(&e.to_string()))?;
    Ok(parent.to_path_buf())
}

/// A socket file nobody answers on is what a killed daemon left; a live
/// one is refused, and anything else at the path is not ours to delete.
fn clear_stale(path: &Path) -> Result<(), DaemonError> {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return Ok(()) };
    if !meta.file_type().is_socket() {
        return Err(DaemonError::BadSocket(path.into(), "something that is not a socket is there".into()));
    }
    if UnixStream::connect(path).is_ok() {
        return Err(DaemonError::SocketInUse(path.into()));
    }
    std::fs::remove_file(path)?;
    Ok(())
}

/// bind(2) in a 0700 folder of our own, chmod and chown, then rename(2)
/// into place.
fn bind_private(path: &Path, parent: &Path, gid: u32) -> std::io::Result<UnixListener> {
    let staging = parent.join(format!(".gb{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::DirBuilder::new().mode(0o700).create(&staging)?;
    let made = staging.join("s");
    let result = (|| {
        let listener = UnixListener::bind(&made)?;
        std::os::unix::fs::chown(&made, Some(0), Some(gid))?;
        std::fs::set_permissions(&made, std::fs::Permissions::from_mode(MODE))?;
        std::fs::rename(&made, path)?;
        Ok(listener)
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result
}

/// The listening socket systemd passed (LISTEN_PID is us, LISTEN_FDS 1).
fn from_systemd() -> Result<Option<UnixListener>, DaemonError> {
    let ours = std::env::var("LISTEN_PID").ok().and_then(|p| p.parse::<u32>().ok()) == Some(std::process::id());
    if !ours || std::env::var("LISTEN_FDS").ok().as_deref() != Some("1") {
        return Ok(None);
    }
    const SD_LISTEN_FDS_START: i32 = 3;
    let fd = crate::sys::fd::adopt(SD_LISTEN_FDS_START);
    crate::sys::fd::set_cloexec(&fd, true).map_err(|e| std::io::Error::other(e.to_string()))?;
    let listener = UnixListener::from(fd);
    listener.set_nonblocking(true)?;
    Ok(Some(listener))
}

/// A group's id from /etc/group.
fn group_id(name: &str) -> Option<u32> {
    let text = std::fs::read_to_string("/etc/group").ok()?;
    text.lines().find_map(|l| {
        let mut f = l.split(':');
        (f.next()? == name).then(|| f.nth(1)?.parse().ok())?
    })
}

/// What the learner should know about who can connect.
fn warnings(parent: &Path, gid: Option<u32>) -> Vec<String> {
    let Some(_) = gid else {
        return vec![format!(
            "only root can use the socket (mode 0660, group root); a group `{GROUP}` would let its members use it, which makes them root"
        )];
    };
    let searchable = parent.ancestors().all(|d| std::fs::metadata(d).is_ok_and(|m| m.mode() & 0o011 != 0));
    if searchable {
        return vec![format!("members of group `{GROUP}` can use the socket: membership is root on this machine")];
    }
    vec![format!(
        "group `{GROUP}` cannot reach the socket: {} is private (0700), as glassbox keeps its runtime folder; its members use sudo, or start the daemon with --socket in a folder they can search",
        parent.display()
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_is_root_s_mode_0660_and_a_stale_one_is_replaced() {
        let dir = crate::state::paths::unit_test_dir("daemon-socket");
        let path = dir.join("d.sock");
        let first = bind(&path).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.mode() & 0o7777, MODE);
        assert_eq!(meta.uid(), 0);
        assert!(matches!(bind(&path), Err(DaemonError::SocketInUse(_))), "a live daemon is not replaced");
        drop(first);
        let second = bind(&path).expect("a socket nobody answers on is stale");
        remove(&path, &second.identity);
        assert!(!path.exists());
        std::fs::write(&path, "x").unwrap();
        assert!(matches!(bind(&path), Err(DaemonError::BadSocket(..))), "a file is not ours to delete");
    }
}
