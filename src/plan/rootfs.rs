//! The root filesystem: the image's layers stacked with overlayfs over the
//! box's writable container layer, the small filesystems a program expects
//! (/dev, /dev/pts, /sys), then pivot_root(2) into it — see overlayfs(5) in
//! the kernel's Documentation/filesystems/overlayfs.rst.

use super::apply::{HelperCx, HostCx};
use super::op::{HelperStep, HostStep, Text, Words};
use super::runtime::mkdir;
use super::script::StepScript;
use crate::i18n::tr;
use crate::output::escape::shell_word;
use crate::sys::{SysError, SysResult, mount_tree, mounts, ns};
use serde::{Deserialize, Serialize};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RootfsHost {
    /// Make the box's writable container layer and overlay work folder.
    PrepareContainerLayer { upper: PathBuf, work: PathBuf, owner: Option<u32> },
    /// Create a folder on the host.
    MakeDir { path: PathBuf },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RootfsHelper {
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
}

impl HostStep for RootfsHost {
    fn text(&self, w: &Words) -> Text {
        match self {
            RootfsHost::PrepareContainerLayer { upper, work, owner } => Text::new(
                format!(
                    "mkdir(\"{}\"); mkdir(\"{}\"){}",
                    upper.display(),
                    work.display(),
                    owner.map_or(String::new(), |o| format!("; chown({o}, {o})"))
                ),
                format!(
                    "mkdir -p {} {}{}",
                    w.path(upper),
                    w.path(work),
                    owner.map_or(String::new(), |o| format!(" && chown {o}:{o} {}", w.path(upper)))
                ),
                tr!("why-prepare-container-layer"),
            ),
            RootfsHost::MakeDir { path } => Text::new(
                format!("mkdir(\"{}\")", path.display()),
                format!("mkdir -p {}", w.path(path)),
                tr!("why-make-dir"),
            ),
        }
    }

    fn apply(&self, _: &mut HostCx) -> SysResult<()> {
        match self {
            RootfsHost::PrepareContainerLayer { upper, work, owner } => {
                mkdir(upper)?;
                mkdir(work)?;
                if let Some(uid) = owner {
                    std::os::unix::fs::chown(upper, Some(*uid), Some(*uid))
                        .map_err(|e| SysError::io(format!("chown {}", upper.display()), e))?;
                }
                Ok(())
            }
            RootfsHost::MakeDir { path } => mkdir(path),
        }
    }

    fn script(&self, s: &mut StepScript) {
        s.host(self.text(s.words()).shell)
    }
}

impl HelperStep for RootfsHelper {
    fn text(&self, w: &Words) -> Text {
        match self {
            RootfsHelper::MountOverlay { lower, upper, work, target } => {
                let shown = |p: &PathBuf| p.display().to_string();
                let opts = overlay_data(lower.iter().map(shown), shown(upper), shown(work));
                let words = match w.is_plain() {
                    true => shell_word(&opts),
                    false => overlay_data(lower.iter().map(|p| w.path(p)), w.path(upper), w.path(work)),
                };
                Text::new(
                    format!("mount(\"overlay\", \"{}\", \"overlay\", 0, \"{opts}\")", target.display()),
                    format!("mount -t overlay overlay -o {words} {}", w.path(target)),
                    tr!("why-mount-overlay", count = lower.len()),
                )
            }
            RootfsHelper::EnsureDir { path } => Text::new(
                format!("lstat(\"{p}\"); unlink if not a folder; mkdir(\"{p}\")", p = path.display()),
                format!("[ -d {p} ] && [ ! -L {p} ] || {{ rm -f {p}; mkdir {p}; }}", p = w.path(path)),
                tr!("why-ensure-dir"),
            ),
            RootfsHelper::MountFs { fstype, target, options, read_only } => {
                let opts: Vec<&str> = [if *read_only { "ro" } else { "" }, options.as_str()]
                    .into_iter()
                    .filter(|o| !o.is_empty())
                    .collect();
                let opts = if opts.is_empty() { String::new() } else { format!("-o {} ", opts.join(",")) };
                Text::new(
                    format!(
                        "mount(\"{fstype}\", \"{}\", \"{fstype}\", MS_NOSUID|MS_NODEV{}, \"{options}\")",
                        target.display(),
                        if *read_only { "|MS_RDONLY" } else { "" }
                    ),
                    format!("mount -t {fstype} {opts}{fstype} {}", w.path(target)),
                    match fstype.as_str() {
                        "devpts" => tr!("why-mount-devpts"),
                        "sysfs" => tr!("why-mount-sysfs"),
                        _ => tr!(
                            "why-mount-fs",
                            name = target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
                        ),
                    },
                )
            }
            RootfsHelper::BindDevice { name, target } => Text::new(
                format!("open(O_CREAT); mount(\"/dev/{name}\", \"{}\", MS_BIND)", target.display()),
                format!("touch {t} && mount --bind /dev/{name} {t}", t = w.path(target)),
                tr!("why-bind-device"),
            ),
            RootfsHelper::Symlink { link, to } => Text::new(
                format!("symlink(\"{to}\", \"{}\")", link.display()),
                format!("ln -s {} {}", shell_word(to), w.path(link)),
                tr!("why-symlink"),
            ),
            RootfsHelper::PivotRoot { new_root } => Text::new(
                format!("chdir(\"{}\"); pivot_root(\".\", \".\"); umount2(\".\", MNT_DETACH)", new_root.display()),
                format!("cd {} && pivot_root . . && umount -l .", w.path(new_root)),
                tr!("why-pivot-root"),
            ),
            RootfsHelper::ScratchMounts => Text::new(
                "unshare(CLONE_NEWNS); mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)",
                "unshare --mount --propagation private",
                tr!("why-scratch-mounts"),
            ),
            RootfsHelper::CopyTree { path, lock_with: Some(user) } => Text::new(
                format!(
                    "fork(); chdir(\"{}\"); setns(open(\"{}\"), CLONE_NEWUSER); unshare(CLONE_NEWNS); open_tree(\".\", OPEN_TREE_CLONE|AT_RECURSIVE)",
                    path.display(),
                    user.display()
                ),
                "# no util-linux 2.38 command: open_tree(2) has no front end",
                tr!("why-copy-tree-locked"),
            ),
            RootfsHelper::CopyTree { path, lock_with: None } => Text::new(
                format!("open_tree(\"{}\", OPEN_TREE_CLONE|AT_RECURSIVE)", path.display()),
                "# no util-linux 2.38 command: open_tree(2) has no front end",
                tr!("why-copy-tree"),
            ),
            RootfsHelper::AttachTree { target } => Text::new(
                format!("move_mount(tree, \"{}\")", target.display()),
                "# no util-linux 2.38 command: move_mount(2) has no front end",
                tr!("why-attach-tree"),
            ),
        }
    }

    /// The box's user namespace, whose hold a later setns hides.
    fn open_up_front(&self, _: &mut Vec<OwnedFd>) -> Option<SysResult<OwnedFd>> {
        match self {
            RootfsHelper::CopyTree { lock_with: Some(user), .. } => Some(ns::open(user)),
            _ => None,
        }
    }

    fn apply(&self, cx: &mut HelperCx, opened: Option<&OwnedFd>) -> SysResult<()> {
        match self {
            RootfsHelper::MountOverlay { lower, upper, work, target } => {
                // Relative to the state root, so the most layers fit (`state::stack`).
                let (base, data) = overlay_options(lower, upper, work);
                mounts::mount_overlay_from(&base, target, &data)
            }
            RootfsHelper::EnsureDir { path } => ensure_dir(path),
            RootfsHelper::MountFs { fstype, target, options, read_only } => {
                mounts::mount_fs(fstype, target, *read_only, options)
            }
            RootfsHelper::BindDevice { name, target } => {
                std::fs::File::create(target).map_err(|e| SysError::io(format!("touch {}", target.display()), e))?;
                mounts::bind(&Path::new("/dev").join(name), target)
            }
            RootfsHelper::Symlink { link, to } => std::os::unix::fs::symlink(to, link)
                .map_err(|e| SysError::io(format!("ln -s {to} {}", link.display()), e)),
            RootfsHelper::PivotRoot { new_root } => mounts::pivot_root(new_root).map_err(explain_pivot_root),
            RootfsHelper::ScratchMounts => {
                ns::unshare(libc::CLONE_NEWNS, "CLONE_NEWNS")?;
                mounts::make_private(Path::new("/"), true)
            }
            RootfsHelper::CopyTree { path, .. } => {
                let dir = mount_tree::open_in_root(&mount_tree::open_dir(Path::new("/"))?, path)?;
                cx.tree = Some(mount_tree::copy_tree(&dir, opened)?);
                Ok(())
            }
            RootfsHelper::AttachTree { target } => {
                let dir = mount_tree::open_in_root(&mount_tree::open_dir(Path::new("/"))?, target)?;
                mount_tree::attach(cx.tree.as_ref().expect("AttachTree follows CopyTree"), &dir)
            }
        }
    }

    fn script(&self, s: &mut StepScript) {
        match self {
            // util-linux has no front end for detached trees: the script
            // mounts directly in the box's mount namespace, unlocked.
            RootfsHelper::ScratchMounts | RootfsHelper::CopyTree { .. } | RootfsHelper::AttachTree { .. } => {}
            // Last of the whole script: a volume added later is bound from
            // the host's paths, which the box no longer sees once pivoted.
            RootfsHelper::PivotRoot { .. } => s.pivot(self.text(s.words()).shell),
            RootfsHelper::MountOverlay { .. } => {
                s.rootfs();
                s.inside(self.text(s.words()).shell)
            }
            _ => s.inside(self.text(s.words()).shell),
        }
    }
}

/// A mount point inside the image must be a real folder: an image that
/// made it a symlink (`dev -> /etc`) would redirect the mount. Replacing it
/// touches only the container layer.
fn ensure_dir(path: &Path) -> SysResult<()> {
    let err = |e| SysError::io(format!("mkdir {}", path.display()), e);
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => std::fs::remove_file(path).map_err(err)?,
        Err(_) => {}
    }
    std::fs::create_dir(path).map_err(err)
}

/// pivot_root's EINVAL covers several different mistakes; name them.
fn explain_pivot_root(e: SysError) -> SysError {
    if e.errno() != Some(libc::EINVAL) {
        return e;
    }
    SysError::io(
        "pivot_root refused the new root (EINVAL): it must be a mount point (the overlay), not on a shared mount \
         (the box's mounts are made private first), and the old root must be reachable below it; \
         on an initramfs root (rootfs) pivot_root is impossible — see pivot_root(2)",
        e.source,
    )
}

/// The options of a box's overlay and the folder they are relative to:
/// the deepest folder that holds every layer (the state root: see `state::stack` for why).
pub fn overlay_options(lower: &[PathBuf], upper: &Path, work: &Path) -> (PathBuf, String) {
    let holds_all = |base: &Path| lower.iter().map(PathBuf::as_path).chain([work]).all(|p| p.starts_with(base));
    let mut base = upper.to_path_buf();
    while !holds_all(&base) && base.pop() {}
    let rel = |p: &Path| match p.strip_prefix(&base) {
        Ok(r) if !r.as_os_str().is_empty() => r.display().to_string(),
        _ => ".".into(),
    };
    (base.clone(), overlay_data(lower.iter().map(|p| rel(p)), rel(upper), rel(work)))
}

/// The one spelling of an overlay's options, the folders written as the
/// caller needs them (relative to the state root for mount(2), absolute
/// for `--explain`, with the script's variables for `history --script`).
pub fn overlay_data(lower: impl Iterator<Item = String>, upper: String, work: String) -> String {
    format!("lowerdir={},upperdir={upper},workdir={work}", lower.collect::<Vec<_>>().join(":"))
}

#[cfg(test)]
mod tests {
    use crate::plan::{Op, op};
    use std::path::PathBuf;

    #[test]
    fn a_path_with_a_space_is_one_word_of_the_shell_line() {
        // A volume's path in the box may hold a space; the line --explain
        // prints is meant to be pasted, so the path must stay one word.
        let target = PathBuf::from("/r/rootfs/my data");
        let ensure = Op::from(op::EnsureDir { path: target.clone() }).faces().shell;
        assert_eq!(
            ensure,
            "[ -d '/r/rootfs/my data' ] && [ ! -L '/r/rootfs/my data' ] || { rm -f '/r/rootfs/my data'; mkdir '/r/rootfs/my data'; }"
        );
        assert_eq!(Op::from(op::UnmountVolume { target }).faces().shell, "umount -l '/r/rootfs/my data'");
    }

    #[test]
    fn the_script_writes_the_box_folders_as_its_own() {
        let op = Op::from(op::MountOverlay {
            lower: vec![PathBuf::from("/s/layers/a/fs")],
            upper: PathBuf::from("/s/boxes/x/container/upper"),
            work: PathBuf::from("/s/boxes/x/container/work"),
            target: PathBuf::from("/s/run/boxes/x/rootfs"),
        });
        let words = crate::plan::op::Words::plain()
            .replacing("/s/boxes/x/container/upper".into(), "$HOLD/upper")
            .replacing("/s/run/boxes/x/rootfs".into(), "$HOLD/rootfs");
        assert_eq!(
            op.text(&words).shell,
            "mount -t overlay overlay -o lowerdir=/s/layers/a/fs,upperdir=\"$HOLD/upper\",workdir=/s/boxes/x/container/work \"$HOLD/rootfs\""
        );
    }
}
