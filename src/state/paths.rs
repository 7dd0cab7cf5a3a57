//! The state root (`--root`, env `GLASSBOX_ROOT`) and what lives under it.
//!
//! Everything glassbox makes is named from the root, so two roots (two test
//! runs, two classes) never see each other's boxes, holds or cgroups.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Root {
    /// Records, locks, later images and volumes.
    pub state: PathBuf,
    /// Namespace holds and control sockets: a private tmpfs.
    pub runtime: PathBuf,
}

pub const DEFAULT_STATE: &str = "/var/lib/glassbox";
pub const DEFAULT_RUNTIME: &str = "/run/glassbox";
/// Where each student's own root lives: `<USERS_DIR>/NAME`.
pub const USERS_DIR: &str = "/var/lib/glassbox/users";
/// Overrides USERS_DIR (a class that keeps the roots elsewhere; tests).
pub const USERS_ENV: &str = "GLASSBOX_USERS_DIR";

/// The folder holding every student's root.
pub fn users_dir() -> PathBuf {
    std::env::var_os(USERS_ENV).filter(|v| !v.is_empty()).map_or_else(|| USERS_DIR.into(), PathBuf::from)
}

/// The default root of the user who ran `sudo glassbox …` ($SUDO_USER):
/// `<users dir>/NAME`, so two students on one machine never share boxes,
/// lesson progress or ports (those are derived from the root). None for
/// root itself, without sudo, or for a name that is not a plain one.
pub fn per_user_default(sudo_user: Option<&str>) -> Option<PathBuf> {
    let name = sudo_user?;
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    if name.is_empty() || name == "root" || name.starts_with('.') || !name.chars().all(plain) {
        return None;
    }
    Some(users_dir().join(name))
}

impl Root {
    /// The default root keeps runtime holds in /run (gone at reboot, like the
    /// namespaces they hold); a custom root keeps everything under itself.
    pub fn new(custom: Option<&Path>) -> Root {
        match custom {
            Some(dir) => Root { state: dir.to_path_buf(), runtime: dir.join("run") },
            None => Root { state: DEFAULT_STATE.into(), runtime: DEFAULT_RUNTIME.into() },
        }
    }

    /// The root a user named, as the kernel will name it (see [`real_path`]),
    /// once its text is known to be safe to pass on (see [`plain_path`]).
    /// `reset` alone takes any root, so that what an older glassbox made
    /// under one can still be removed.
    pub fn resolve(custom: Option<&Path>, any_text: bool) -> std::io::Result<Root> {
        let real = custom.map(real_path).transpose()?;
        if let (Some(given), Some(real), false) = (custom, &real, any_text) {
            plain_path(real).map_err(|e| {
                let named = if given == real.as_path() {
                    String::new()
                } else {
                    format!("it is {}, and ", real.display().to_string().escape_debug())
                };
                std::io::Error::new(e.kind(), format!("{named}{e}"))
            })?;
        }
        Ok(Root::new(real.as_deref()))
    }

    pub fn boxes_dir(&self) -> PathBuf {
        self.state.join("boxes")
    }
    /// Every layer's tree, by digest.
    pub fn layers_dir(&self) -> PathBuf {
        crate::domain::image::layers_dir(&self.state)
    }
    /// Every image's record, by name.
    pub fn images_dir(&self) -> PathBuf {
        self.state.join("images")
    }
    /// Named volumes' data.
    pub fn volumes_dir(&self) -> PathBuf {
        self.state.join("volumes")
    }
    pub fn locks_dir(&self) -> PathBuf {
        self.state.join("locks")
    }
    pub fn box_dir(&self, name: &str) -> PathBuf {
        self.boxes_dir().join(name)
    }
    pub fn record_path(&self, name: &str) -> PathBuf {
        self.box_dir(name).join("box.json")
    }
    pub fn lock_path(&self, name: &str) -> PathBuf {
        self.locks_dir().join(format!("{name}.lock"))
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
    /// Present while a step has started a process its record does not name
    /// yet. Beside the record, not in the runtime folder: the first step
    /// under a root mounts that folder's tmpfs after the mark is made.
    pub fn unrecorded_mark(&self, name: &str) -> PathBuf {
        self.box_dir(name).join("unrecorded")
    }
    /// Where a glassbox from before kept that mark.
    pub fn old_unrecorded_mark(&self, name: &str) -> PathBuf {
        self.runtime_box_dir(name).join("unrecorded")
    }
}

/// `dir` absolute, its symlinks resolved, without `.`, `..` or a trailing
/// slash. A root's mounts are found by their path in /proc/self/mountinfo,
/// which names the real path, and its cgroups and bridge by a hash of the
/// path's text: `D`, `D/`, `./D` and a symlink to `D` must be one root, or
/// `rm` run with one spelling misses what a step made with another. The part
/// that does not exist yet has no symlinks to resolve and is cleaned as text.
pub fn real_path(dir: &Path) -> std::io::Result<PathBuf> {
    if dir.as_os_str().is_empty() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path is empty: give a folder"));
    }
    let cwd = || {
        std::env::current_dir().map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("a relative path, and the current folder is unknown ({e}); give an absolute one"),
            )
        })
    };
    let abs = if dir.is_absolute() { dir.to_path_buf() } else { cwd()?.join(dir) };
    if let Ok(real) = abs.canonicalize() {
        return Ok(real);
    }
    let mut real = PathBuf::from("/");
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Normal(name) => {
                real.push(name);
                if exists {
                    match real.canonicalize() {
                        Ok(r) => real = r,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => exists = false,
                        Err(e) => return Err(e),
                    }
                }
            }
            Component::ParentDir => {
                real.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Ok(real)
}

/// The characters a root's real path may hold: ASCII letters, digits and
/// `/ . _ - + @ % =`, the words a shell line may hold unquoted. Every path
/// glassbox makes starts with the root and goes where plain text is
/// parsed: overlayfs splits `lowerdir` at `:` (a root `/tmp/x:/etc` would
/// stack `/etc/…` as a layer), mount options split at `,`, and `history
/// --script` finds the box's own folders in its shell lines by their text.
pub fn plain_path(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let plain = |b: &u8| b.is_ascii_alphanumeric() || b"/._-+@%=".contains(b);
    match dir.as_os_str().as_bytes().iter().find(|b| !plain(b)) {
        None => Ok(()),
        Some(&b) => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "its path holds {}, which overlayfs options and the shell commands glassbox prints would split or misread; \
                 use a folder whose path has only letters, digits and / . _ - + @ % = (e.g. /tmp/glassbox-class)",
                match b {
                    b' ' => "a space".to_string(),
                    b if b.is_ascii_graphic() => format!("`{}`", b as char),
                    b => format!("the byte 0x{b:02x}"),
                }
            ),
        )),
    }
}

/// A fresh, empty folder for a unit test, removed when the test ends,
/// also when it fails: `tag` keeps tests running in parallel apart, the
/// process id two runs at once.
#[cfg(test)]
pub fn unit_test_dir(tag: &str) -> UnitTestDir {
    let dir = std::env::temp_dir().join(format!("gb-unit-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    UnitTestDir(dir)
}

#[cfg(test)]
pub struct UnitTestDir(PathBuf);

#[cfg(test)]
impl std::ops::Deref for UnitTestDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

#[cfg(test)]
impl AsRef<Path> for UnitTestDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

#[cfg(test)]
impl Drop for UnitTestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sudo_gives_each_user_a_root_of_their_own() {
        use super::*;
        // Unset in tests: the default users folder.
        if std::env::var_os(USERS_ENV).is_some() {
            return;
        }
        assert_eq!(per_user_default(Some("alice")), Some(PathBuf::from("/var/lib/glassbox/users/alice")));
        for not_a_student in [None, Some("root"), Some(""), Some("../x"), Some(".hidden"), Some("a b")] {
            assert_eq!(per_user_default(not_a_student), None, "{not_a_student:?}");
        }
    }

    use super::{plain_path, real_path, unit_test_dir};
    use std::path::Path;

    #[test]
    fn every_spelling_of_a_root_is_one_path() {
        let base = unit_test_dir("realpath");
        std::fs::create_dir_all(base.join("real")).unwrap();
        std::os::unix::fs::symlink(base.join("real"), base.join("link")).unwrap();
        let want = base.canonicalize().unwrap().join("real");
        let spellings = [
            base.join("real"),
            base.join("real/"),
            base.join("./real/."),
            base.join("link"),
            base.join("real/x/..").join("."),
        ];
        let got: Vec<_> = spellings.iter().map(|p| real_path(p).unwrap()).collect();
        // A root that does not exist yet, below a symlink and with `..` in the new part.
        let new = real_path(&base.join("link/new/a/../b/")).unwrap();
        assert!(got.iter().all(|p| *p == want), "{got:?} should all be {want:?}");
        assert_eq!(new, want.join("new/b"));
    }

    #[test]
    fn a_relative_root_is_made_absolute() {
        let p = real_path(Path::new("gb-unit-no-such-folder/x")).unwrap();
        assert!(p.is_absolute() && p.ends_with("gb-unit-no-such-folder/x"), "{p:?}");
        assert!(real_path(Path::new("")).is_err(), "an empty root would be the current folder");
    }

    #[test]
    fn a_root_is_plain_text_or_refused() {
        for ok in ["/var/lib/glassbox", "/tmp/.tmpAb9", "/home/a.b/gb_1-2+x@y%z=w"] {
            assert!(plain_path(Path::new(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "/tmp/my class",
            "/tmp/x:/etc",
            "/tmp/a,b",
            "/tmp/a\nb",
            "/tmp/$(id)",
            "/tmp/a'b",
            "/tmp/\x1b[31m",
            "/tmp/é",
        ] {
            let err = plain_path(Path::new(bad)).unwrap_err().to_string();
            assert!(err.contains("only letters, digits"), "{bad:?}: {err}");
            assert!(!err.contains('\n') && !err.contains('\x1b'), "the message stays one plain line: {err:?}");
        }
    }
}
