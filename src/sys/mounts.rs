//! mount(2), umount2(2) and /proc/self/mountinfo.
//!
//! Mount propagation is why glassbox's runtime folder is a *private* mount
//! (a tmpfs): on a host whose `/run` is shared (systemd makes `/`
//! shared), a bind mount made below it would otherwise appear in every peer
//! mount namespace, and a mount-namespace handle mounted there could even form
//! a reference loop the kernel refuses (mount_namespaces(7)).

use super::fd::{sys, sys_with};
use super::{SysError, SysResult};
use nix::mount::MsFlags;
use std::path::{Path, PathBuf};

fn mount_raw(src: Option<&Path>, dst: &Path, fstype: Option<&str>, flags: libc::c_ulong, call: &str) -> SysResult<()> {
    mount_data(src, dst, fstype, flags, None, call)
}

fn mount_data(
    src: Option<&Path>,
    dst: &Path,
    fstype: Option<&str>,
    flags: libc::c_ulong,
    data: Option<&str>,
    call: &str,
) -> SysResult<()> {
    let flags = MsFlags::from_bits_retain(flags);
    nix::mount::mount(src, dst, fstype, flags, data).map_err(|e| SysError::io(call, e.into()))
}

pub fn bind(src: &Path, dst: &Path) -> SysResult<()> {
    mount_raw(Some(src), dst, None, libc::MS_BIND, &format!("mount --bind {} {}", src.display(), dst.display()))
}

pub fn make_private(path: &Path, recursive: bool) -> SysResult<()> {
    let flags = libc::MS_PRIVATE | if recursive { libc::MS_REC } else { 0 };
    mount_raw(None, path, None, flags, &format!("mount --make-private {}", path.display()))
}

pub fn mount_proc(target: &Path) -> SysResult<()> {
    let flags = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
    mount_raw(Some(Path::new("proc")), target, Some("proc"), flags, &format!("mount -t proc proc {}", target.display()))
}

/// A fresh filesystem (tmpfs, devpts, sysfs, overlay) with mount options.
pub fn mount_fs(fstype: &str, target: &Path, read_only: bool, data: &str) -> SysResult<()> {
    mount_named(fstype, fstype, target, read_only, data)
}

/// An overlay whose options name its folders relative to `base`, where
/// overlayfs looks them up from (the caller's current folder): shorter
/// names, more layers in the one page mount(2) reads of the options. The
/// caller's current folder is back as it was afterwards.
pub fn mount_overlay_from(base: &Path, target: &Path, data: &str) -> SysResult<()> {
    let here = std::fs::File::open(".").map_err(|e| super::SysError::io("open .", e))?;
    std::env::set_current_dir(base).map_err(|e| super::SysError::io(format!("chdir {}", base.display()), e))?;
    let mounted = mount_fs("overlay", target, false, data);
    let back = rustix::process::fchdir(&here).map_err(sys("fchdir back"));
    mounted.and(back)
}

/// A fresh filesystem whose source (the SOURCE column of `findmnt`, which
/// a filesystem with no device ignores) is `source`, so that it can be told
/// apart from every other mount of its type.
pub fn mount_named(source: &str, fstype: &str, target: &Path, read_only: bool, data: &str) -> SysResult<()> {
    // The root filesystem keeps setuid binaries and device whiteouts working;
    // the small filesystems around it get neither.
    let hardening = if fstype == "overlay" { 0 } else { libc::MS_NOSUID | libc::MS_NODEV };
    let flags = hardening | if read_only { libc::MS_RDONLY } else { 0 };
    let call = format!("mount -t {fstype} -o {data} {source} {}", target.display());
    mount_data(Some(Path::new(source)), target, Some(fstype), flags, Some(data), &call)
}

/// pivot_root(".", ".") in `new_root`, then detach the old root stacked
/// beneath: the trick runc uses, which needs no folder for the old root.
pub fn pivot_root(new_root: &Path) -> SysResult<()> {
    std::env::set_current_dir(new_root).map_err(|e| super::SysError::io(format!("chdir {}", new_root.display()), e))?;
    rustix::process::pivot_root(".", ".").map_err(sys("pivot_root(\".\", \".\")"))?;
    umount_detach(Path::new("."))?;
    std::env::set_current_dir("/").map_err(|e| super::SysError::io("chdir /", e))
}

/// Lazy unmount: detaches now, frees when the last user lets go.
pub fn umount_detach(path: &Path) -> SysResult<()> {
    rustix::mount::unmount(path, rustix::mount::UnmountFlags::DETACH)
        .map_err(sys_with(|| format!("umount -l {}", path.display())))
}

// mount_setattr(2)'s MOUNT_ATTR_RDONLY from <linux/mount.h>, which rustix
// does not wrap (`mount_tree` calls it).
pub(super) const MOUNT_ATTR_RDONLY: u64 = 0x1;

/// One line of /proc/self/mountinfo, the fields glassbox reads.
#[derive(Debug, Clone, PartialEq)]
pub struct MountEntry {
    pub id: u32,
    pub parent: u32,
    pub mount_point: PathBuf,
    pub fstype: String,
    /// What was mounted: a device, or for tmpfs and the like any name.
    pub source: String,
    pub optional: String,
    /// The per-mount options (field 6): `ro` or `rw` first.
    pub read_only: bool,
}

/// Decodes the octal escapes mountinfo uses for space, tab, newline and `\`.
fn unescape(field: &str) -> String {
    let b = field.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into()
}

pub fn parse_mountinfo(text: &str) -> Vec<MountEntry> {
    text.lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let l: Vec<&str> = left.split(' ').collect();
            let mut fs = right.split(' ');
            let fstype = fs.next()?.to_string();
            let source = unescape(fs.next().unwrap_or_default());
            Some(MountEntry {
                id: l.first()?.parse().ok()?,
                parent: l.get(1)?.parse().ok()?,
                mount_point: PathBuf::from(unescape(l.get(4)?)),
                fstype,
                source,
                optional: l.get(6..).map(|o| o.join(" ")).unwrap_or_default(),
                read_only: l.get(5).is_some_and(|o| o.split(',').any(|x| x == "ro")),
            })
        })
        .collect()
}

pub fn mountinfo() -> Vec<MountEntry> {
    mountinfo_in(Path::new(super::proc::PROC_ROOT))
}

/// The mount table under a /proc root: `<proc>/self/mountinfo`.
pub fn mountinfo_in(proc_root: &Path) -> Vec<MountEntry> {
    let path = proc_root.join("self/mountinfo");
    let raw = super::proc::read_proc(&path, 16 << 10).unwrap_or_default();
    parse_mountinfo(&String::from_utf8_lossy(&raw))
}

pub fn is_mount_point(path: &Path) -> bool {
    mountinfo().iter().any(|m| m.mount_point == path)
}

/// The namespace handles in `table`, as a new mount namespace finds them in
/// its copy of the host's: the holds tmpfs of each box (one lazy unmount
/// takes its holds along, one RCU grace period instead of one per hold), then
/// every handle not on one of those (`ip netns` files, holds of an older
/// layout).
pub fn handles_in<'a>(table: &'a [MountEntry], holds_source: &str) -> (Vec<&'a MountEntry>, Vec<&'a MountEntry>) {
    let tmpfs: Vec<&MountEntry> = table.iter().filter(|m| m.fstype == "tmpfs" && m.source == holds_source).collect();
    let loose = table.iter().filter(|m| m.fstype == "nsfs" && !tmpfs.iter().any(|t| t.id == m.parent)).collect();
    (tmpfs, loose)
}

/// A mount point (in `table`) whose top mount neither sends nor receives propagation.
pub fn is_private_mount_point(table: &[MountEntry], path: &Path) -> bool {
    let top = table.iter().rfind(|m| m.mount_point == path);
    top.is_some_and(|m| !m.optional.split(' ').any(|f| f.starts_with("shared:") || f.starts_with("master:")))
}

/// Mount points at or below `prefix`, deepest first (the order to unmount).
pub fn mounts_under(prefix: &Path) -> Vec<PathBuf> {
    mounts_under_in(&mountinfo(), prefix)
}

/// Mount points of `table` at or below `prefix`, deepest first.
pub fn mounts_under_in(table: &[MountEntry], prefix: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = table.iter().map(|m| m.mount_point.clone()).filter(|p| p.starts_with(prefix)).collect();
    v.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    v.dedup();
    v
}

/// The mount points of `points` that no other one there is above: a lazy
/// unmount of each takes every mount below it along, in one pass of the
/// kernel's (each unmount waits for an RCU grace period).
pub fn outermost(points: &[PathBuf]) -> Vec<PathBuf> {
    points.iter().filter(|p| !points.iter().any(|q| q != *p && p.starts_with(q))).cloned().collect()
}

/// A read-only overlay of `lowers` (the first on top), made with fsopen and
/// fsmount and attached nowhere: no mount table lists it, and with no upper
/// layer it is read-only in the filesystem itself, so no remount can make it
/// writable. It lives as long as a descriptor into it does.
pub fn detached_readonly_overlay(lowers: &[&Path]) -> SysResult<std::os::fd::OwnedFd> {
    let lowerdir: Vec<String> = lowers.iter().map(|p| overlay_escape(p)).collect();
    use rustix::mount::{FsMountFlags, FsOpenFlags, MountAttrFlags};
    let fs = rustix::mount::fsopen("overlay", FsOpenFlags::FSOPEN_CLOEXEC).map_err(sys("fsopen(overlay)"))?;
    let lowerdir = lowerdir.join(":");
    rustix::mount::fsconfig_set_string(&fs, "lowerdir", &*lowerdir)
        .map_err(sys_with(|| format!("fsconfig(lowerdir={lowerdir})")))?;
    // Only to keep "xino" notes out of dmesg; an old kernel may not know it.
    let _ = rustix::mount::fsconfig_set_string(&fs, "xino", "off");
    rustix::mount::fsconfig_create(&fs).map_err(sys("fsconfig(create)"))?;
    let attrs =
        MountAttrFlags::MOUNT_ATTR_RDONLY | MountAttrFlags::MOUNT_ATTR_NOSUID | MountAttrFlags::MOUNT_ATTR_NODEV;
    rustix::mount::fsmount(&fs, FsMountFlags::FSMOUNT_CLOEXEC, attrs).map_err(sys("fsmount"))
}

/// Backslash and colon are lowerdir's own syntax (escape, layer separator);
/// fsconfig takes each option on its own, so a comma is just a character.
fn overlay_escape(p: &Path) -> String {
    p.display().to_string().replace('\\', "\\\\").replace(':', "\\:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_outermost_mounts_are_unmounted() {
        let p = |s: &str| PathBuf::from(s);
        // The holds' tmpfs with two holds on it, an old-style hold beside it,
        // and a sibling whose name only starts like the tmpfs's.
        let points = [p("/r/b/ns/uts"), p("/r/b/ns/ipc"), p("/r/b/ns"), p("/r/b/old"), p("/r/b/nsx")];
        let mut got = outermost(&points);
        got.sort();
        assert_eq!(got, [p("/r/b/ns"), p("/r/b/nsx"), p("/r/b/old")]);
        assert!(outermost(&[]).is_empty());
    }

    #[test]
    fn lowerdir_syntax_is_escaped() {
        assert_eq!(overlay_escape(Path::new("/a:b\\c")), "/a\\:b\\\\c");
        assert_eq!(overlay_escape(Path::new("/usr/local/bin")), "/usr/local/bin");
    }

    #[test]
    fn parses_escaped_mount_points_and_fstype() {
        let text = "36 35 98:0 / /mnt/a\\040b rw,noatime master:1 - ext3 /dev/root rw\n\
                    40 35 0:4 net:[4026531840] /run/x/net rw shared:5 - nsfs nsfs rw\n";
        let m = parse_mountinfo(text);
        assert_eq!(m[0].mount_point, PathBuf::from("/mnt/a b"));
        assert_eq!(m[0].fstype, "ext3");
        assert_eq!(m[0].optional, "master:1");
        assert_eq!(m[1].fstype, "nsfs");
        assert_eq!(m[1].source, "nsfs");
    }

    #[test]
    fn holds_go_with_their_tmpfs_and_loose_handles_one_by_one() {
        let text = "20 1 0:20 / /run rw - tmpfs tmpfs rw\n\
                    30 20 0:30 / /run/gb rw - tmpfs tmpfs rw,size=1024k\n\
                    31 30 0:31 / /run/gb/boxes/a/ns rw - tmpfs glassbox-holds rw,size=16k\n\
                    32 31 0:4 uts:[1] /run/gb/boxes/a/ns/uts rw - nsfs nsfs rw\n\
                    33 31 0:4 net:[2] /run/gb/boxes/a/ns/net rw - nsfs nsfs rw\n\
                    34 20 0:4 net:[3] /run/netns/x rw - nsfs nsfs rw\n\
                    35 30 0:35 / /run/gb/boxes/b/ns rw - tmpfs tmpfs rw\n";
        let table = parse_mountinfo(text);
        let (tmpfs, loose) = handles_in(&table, "glassbox-holds");
        let points = |v: Vec<&MountEntry>| v.iter().map(|m| m.mount_point.clone()).collect::<Vec<_>>();
        assert_eq!(points(tmpfs), [PathBuf::from("/run/gb/boxes/a/ns")]);
        assert_eq!(points(loose), [PathBuf::from("/run/netns/x")]);
    }

    #[test]
    fn unescape_leaves_plain_backslashes() {
        assert_eq!(unescape("a\\134b"), "a\\b");
        assert_eq!(unescape("a\\x"), "a\\x");
    }
}
