//! Namespaces: made (`unshare`), entered (`setns`), held by a bind mount of
//! their `/proc/PID/ns` file, and let go — see namespaces(7).

use super::apply::{HelperCx, HostCx};
use super::op::{HelperStep, HostStep, Text, Words};
use super::runtime::HOLDS_SOURCE;
use super::script::StepScript;
use crate::domain::NamespaceKind;
use crate::i18n::tr;
use crate::output::escape::shell_word;
use crate::sys::{SysError, SysResult, ids, mounts, ns, process};
use serde::{Deserialize, Serialize};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum NsHost {
    /// Map a range of ids: root inside is `outside` on the host.
    MapIds { file: String, inside: u32, outside: u32, count: u32 },
    /// Keep a namespace alive after the helper exits.
    Hold { kind: NamespaceKind, path: PathBuf },
    /// Drop a bind-mount hold: the namespace goes when its last user does.
    Release { kind: NamespaceKind, path: PathBuf },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum NsHelper {
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
    /// Stop mount events from crossing between this mount namespace and the host's.
    MakeRprivate,
    /// Drop copies of other namespaces' handles from a new mount namespace.
    DetachHandles,
    SetHostname {
        name: String,
    },
    SetTimeOffsets {
        monotonic: i64,
        boottime: i64,
    },
}

/// The file of a namespace a bind mount holds: for time, the one children
/// are made in (the helper itself stays in the host's).
fn held_file(kind: NamespaceKind) -> &'static str {
    if kind == NamespaceKind::Time { "time_for_children" } else { kind.proc_file() }
}

impl HostStep for NsHost {
    fn text(&self, w: &Words) -> Text {
        match self {
            NsHost::MapIds { file, inside, outside, count } => Text::new(
                format!("write(\"/proc/$HELPER/{file}\", \"{inside} {outside} {count}\")"),
                map_line(file, *inside, *outside, *count),
                tr!("why-map-ids", count = count, inside = inside, outside = outside),
            ),
            NsHost::Hold { kind, path } => Text::new(
                format!("mount(\"/proc/$HELPER/ns/{}\", \"{}\", MS_BIND)", held_file(*kind), path.display()),
                format!("touch {p} && mount --bind /proc/$HELPER/ns/{} {p}", held_file(*kind), p = w.path(path)),
                tr!("why-hold", kind = kind),
            ),
            NsHost::Release { kind, path } => Text::new(
                format!("umount2(\"{}\", MNT_DETACH)", path.display()),
                format!("umount -l {p} && rm {p}", p = w.path(path)),
                tr!("why-release", kind = kind),
            ),
        }
    }

    fn apply(&self, cx: &mut HostCx) -> SysResult<()> {
        match self {
            NsHost::MapIds { file, inside, outside, count } => {
                ids::write_id_map(cx.helper(), file, *inside, *outside, *count)
            }
            // Bound from glassbox's own mount namespace: the kernel lets it
            // bind a mount namespace only if that one's id is above its own,
            // which the helper saw to when it made it
            // (`ns::unshare_mount_holdable_by`).
            NsHost::Hold { kind, path } => {
                std::fs::File::create(path).map_err(|e| SysError::io(format!("touch {}", path.display()), e))?;
                let file = Path::new("/proc").join(cx.helper().to_string()).join("ns").join(held_file(*kind));
                mounts::bind(&file, path)
            }
            NsHost::Release { path, .. } => {
                mounts::umount_detach(path)?;
                let _ = std::fs::remove_file(path);
                Ok(())
            }
        }
    }

    fn script(&self, s: &mut StepScript) {
        match self {
            NsHost::MapIds { file, inside, outside, count } => s.map_ids(map_line(file, *inside, *outside, *count)),
            NsHost::Hold { kind, .. } => s.hold(*kind),
            NsHost::Release { kind, .. } => s.release(*kind, self.text(s.words()).shell),
        }
    }
}

fn map_line(file: &str, inside: u32, outside: u32, count: u32) -> String {
    format!("echo '{inside} {outside} {count}' > /proc/$HELPER/{file}")
}

/// Drops every namespace handle from a new mount table: each box's holds
/// with their tmpfs, then whatever nsfs mount is left.
fn detach_handles_shell() -> String {
    format!(
        "findmnt -rn -t tmpfs -S {HOLDS_SOURCE} -o TARGET | xargs -rn1 umount -l; \
         findmnt -rn -t nsfs -o TARGET | xargs -rn1 umount -l"
    )
}

impl HelperStep for NsHelper {
    fn text(&self, w: &Words) -> Text {
        match self {
            NsHelper::Join { kind, handle } => Text::new(
                format!("setns(open(\"{}\"), {})", handle.display(), kind.flag_name()),
                format!("nsenter {}={}", kind.util_linux_option(), w.path(handle)),
                match kind.applies_to_children() {
                    true => tr!("why-join-children", kind = kind),
                    false => tr!("why-join", kind = kind),
                },
            ),
            NsHelper::Share { kind, with, handle } => Text::new(
                format!("setns(open(\"{}\"), {})", handle.display(), kind.flag_name()),
                format!("nsenter {}={}", kind.util_linux_option(), w.path(handle)),
                match kind {
                    NamespaceKind::Pid => tr!("why-share-pid", with = with, kind = kind),
                    _ => tr!("why-share", with = with, kind = kind),
                },
            ),
            NsHelper::BecomeRoot => Text::new(
                "setgroups(0, []); setresgid(0, 0, 0); setresuid(0, 0, 0)",
                "# nsenter --user does this by itself",
                tr!("why-become-root"),
            ),
            NsHelper::Unshare { kind } => Text::new(
                format!("unshare({})", kind.flag_name()),
                format!("unshare {}", kind.util_linux_option()),
                tr!(
                    "why-unshare",
                    kind = kind,
                    what = crate::i18n::term(&format!("isolates-{kind}")),
                    man = kind.man_page()
                ),
            ),
            NsHelper::MakeRprivate => Text::new(
                "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)",
                "mount --make-rprivate /",
                tr!("why-make-rprivate"),
            ),
            NsHelper::DetachHandles => Text::new(
                format!("umount2(each {HOLDS_SOURCE} tmpfs, MNT_DETACH); umount2(each other nsfs mount, MNT_DETACH)"),
                detach_handles_shell(),
                tr!("why-detach-handles"),
            ),
            NsHelper::SetHostname { name } => Text::new(
                format!("sethostname(\"{name}\")"),
                format!("hostname {}", shell_word(name)),
                tr!("why-set-hostname"),
            ),
            NsHelper::SetTimeOffsets { monotonic, boottime } => Text::new(
                format!("write(\"/proc/self/timens_offsets\", \"monotonic {monotonic} 0\\nboottime {boottime} 0\")"),
                format!("unshare --time --monotonic {monotonic} --boottime {boottime}"),
                tr!("why-set-time-offsets"),
            ),
        }
    }

    /// Joining the mount namespace hides the host's paths, so every handle
    /// to enter is opened first, while the host's files are still in view.
    fn open_up_front(&self, _: &mut Vec<OwnedFd>) -> Option<SysResult<OwnedFd>> {
        match self {
            NsHelper::Join { handle, .. } | NsHelper::Share { handle, .. } => Some(ns::open(handle)),
            _ => None,
        }
    }

    fn apply(&self, cx: &mut HelperCx, opened: Option<&OwnedFd>) -> SysResult<()> {
        match self {
            NsHelper::Join { kind, .. } | NsHelper::Share { kind, .. } => {
                let fd = opened.expect("every Join has its handle opened up front");
                ns::setns(fd, kind.clone_flag(), kind.flag_name())?;
                cx.children_differ |= kind.applies_to_children();
            }
            NsHelper::BecomeRoot => {
                ids::become_root()?;
                // A credential change clears the parent-death signal; set it again.
                process::die_with_parent(libc::SIGKILL);
            }
            // glassbox itself binds the box's mount namespace (`Hold`): it must
            // be one that glassbox's own mount namespace may hold (see there).
            NsHelper::Unshare { kind: NamespaceKind::Mnt } => ns::unshare_mount_holdable_by(cx.holder_mnt_ns)?,
            NsHelper::Unshare { kind } => {
                ns::unshare(kind.clone_flag(), kind.flag_name())?;
                cx.children_differ |= kind.applies_to_children();
            }
            NsHelper::MakeRprivate => mounts::make_private(Path::new("/"), true)?,
            NsHelper::DetachHandles => detach_handles()?,
            NsHelper::SetHostname { name } => process::sethostname(name)?,
            NsHelper::SetTimeOffsets { monotonic, boottime } => ids::write_time_offsets(*monotonic, *boottime)?,
        }
        Ok(())
    }

    fn script(&self, s: &mut StepScript) {
        match self {
            // The script enters what it made through $ENTER, as root.
            NsHelper::Join { .. } | NsHelper::BecomeRoot => {}
            NsHelper::Share { kind, with, handle } => s.share(*kind, with, handle),
            NsHelper::Unshare { kind } => s.made(*kind),
            // util-linux unshare --mount makes the new mount table private itself.
            NsHelper::MakeRprivate => {}
            NsHelper::DetachHandles => s.setup(format!("{{ {}; }} 2>/dev/null || true", detach_handles_shell())),
            NsHelper::SetHostname { name } => s.setup(format!("hostname {}", shell_word(name))),
            NsHelper::SetTimeOffsets { monotonic, boottime } => {
                s.unshare_opt(format!("--monotonic {monotonic}"));
                s.unshare_opt(format!("--boottime {boottime}"));
            }
        }
    }
}

fn detach_handles() -> SysResult<()> {
    let all = mounts::mountinfo();
    let (tmpfs, loose) = mounts::handles_in(&all, HOLDS_SOURCE);
    // ENOENT, EINVAL: removed on the host meanwhile (its path no longer
    // resolves, or no longer to that mount).
    let vanished = |e: &SysError| matches!(e.errno(), Some(libc::ENOENT) | Some(libc::EINVAL));
    for m in tmpfs {
        match mounts::umount_detach(&m.mount_point) {
            Err(e) if !vanished(&e) => return Err(e),
            _ => {}
        }
    }
    for m in loose {
        match mounts::umount_detach(&m.mount_point) {
            Ok(()) => {}
            // A hold whose folder vanished: detach the mount it sits on
            // instead (an older glassbox's holds tmpfs, a runtime folder,
            // /run/netns) and never fail this box's step over it.
            Err(e) if vanished(&e) => {
                if let Some(parent) = all.iter().find(|p| p.id == m.parent && p.mount_point != Path::new("/")) {
                    let _ = mounts::umount_detach(&parent.mount_point);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
