//! A layer stack read the way overlayfs merges it, one path at a time.
//!
//! `inspect --path` asks which layer a path in the box comes from, and
//! `diff` whether the layers under the container layer already had a path.
//! Both must answer as the box sees its files, not as the host does: a
//! symlink in an image (`/data -> /srv`) or one a box wrote means `/srv`
//! *inside the box*, and `..` stops at the box's `/`. For one folder that is
//! what `openat2(RESOLVE_IN_ROOT)` does; a box's root is a stack of folders,
//! so the lookup here walks one component at a time in every layer at once,
//! by descriptor and without the kernel following any symlink (see
//! `sys::tree`). A symlink met on the way is read as text and its target
//! looked up again in the stack, from the root when it starts with `/`.
//!
//! Per component, the overlay rules (the kernel's
//! Documentation/filesystems/overlayfs.rst): the topmost layer holding the
//! name wins; a whiteout (a 0/0 character device) hides the name in every
//! layer below; a folder merges with the same-named folders below it until
//! one is opaque (`trusted.overlay.opaque=y`) or a layer holds something
//! other than a folder there.

use crate::sys::tree::{self, FileKind, Stat};
use crate::sys::{SysResult, beneath};
use std::collections::VecDeque;
use std::ffi::{CStr, CString};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// As many symlinks as the kernel follows in one lookup (path_resolution(7)).
const MAX_SYMLINKS: u32 = 40;

/// How often one component is looked up again when it changed meanwhile.
const MAX_RETRIES: u32 = 100;

/// Whether overlayfs hides the layers below this folder.
pub fn is_opaque(dir: BorrowedFd) -> bool {
    tree::get_xattr(dir, c"trusted.overlay.opaque").is_ok_and(|v| v.as_deref() == Some(b"y"))
}

/// How symlinks on the way to the last component are treated. The last
/// component itself is never followed: the answer is about that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symlinks {
    /// Followed as the box would, their targets resolved inside the stack.
    InRoot,
    /// A symlink on the way means the path is not there.
    Never,
}

/// Where a path of the merged view comes from; `layer` counts from the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    In {
        layer: usize,
        kind: FileKind,
    },
    /// A whiteout in this layer hides the name.
    Deleted {
        layer: usize,
    },
    Absent,
}

/// One folder of the merged view: the layers' folders that make it, top first.
type Merged = Vec<(usize, OwnedFd)>;

/// What one component names in a merged folder.
enum Step {
    Dir(Merged, usize),
    Leaf { layer: usize, stat: Stat, target: Option<CString> },
    Deleted(usize),
    Absent,
}

pub struct LayerView {
    root: Merged,
}

impl LayerView {
    /// `trees` top first; a tree that cannot be opened adds nothing, and the
    /// others keep their place in the count.
    pub fn open(trees: &[PathBuf]) -> LayerView {
        let opened = trees.iter().enumerate().filter_map(|(layer, tree)| Some((layer, beneath::open_root(tree).ok()?)));
        LayerView { root: opened.collect() }
    }

    /// Looks `path` up in the merged view, as if the stack were the root.
    pub fn find(&self, path: &Path, symlinks: Symlinks) -> SysResult<Found> {
        let mut todo = components(path.as_os_str().as_bytes());
        let mut folders: Vec<(Merged, usize)> = vec![];
        let mut followed = 0;
        while let Some(c) = todo.pop_front() {
            if c == b".." {
                // At the root, `..` stays there.
                folders.pop();
                continue;
            }
            let Ok(name) = CString::new(c) else { return Ok(Found::Absent) };
            let here = folders.last().map_or(&self.root, |(m, _)| m);
            let last = todo.is_empty();
            match step_settled(here, &name)? {
                Step::Absent => return Ok(Found::Absent),
                Step::Deleted(layer) => return Ok(if last { Found::Deleted { layer } } else { Found::Absent }),
                Step::Dir(merged, layer) => folders.push((merged, layer)),
                Step::Leaf { layer, stat, .. } if last => return Ok(Found::In { layer, kind: stat.kind }),
                Step::Leaf { target: Some(target), .. } if symlinks == Symlinks::InRoot => {
                    followed += 1;
                    if followed > MAX_SYMLINKS {
                        return Ok(Found::Absent);
                    }
                    if target.as_bytes().starts_with(b"/") {
                        folders.clear();
                    }
                    for c in components(target.as_bytes()).into_iter().rev() {
                        todo.push_front(c);
                    }
                }
                Step::Leaf { .. } => return Ok(Found::Absent),
            }
        }
        Ok(match folders.last() {
            Some((_, layer)) => Found::In { layer: *layer, kind: FileKind::Dir },
            None => {
                self.root.first().map_or(Found::Absent, |(layer, _)| Found::In { layer: *layer, kind: FileKind::Dir })
            }
        })
    }
}

impl LayerView {
    /// The bytes of a regular file of the merged view (at most `max`), read
    /// from the layer that holds it; `None` when it is absent, not a regular
    /// file, or reached only through a symlink.
    pub fn read_file(&self, path: &Path, max: u64) -> Option<Vec<u8>> {
        use std::io::Read;
        let Ok(Found::In { layer, kind: FileKind::File }) = self.find(path, Symlinks::Never) else { return None };
        let (_, top) = self.root.iter().find(|(l, _)| *l == layer)?;
        let mut parts: Vec<CString> =
            components(path.as_os_str().as_bytes()).into_iter().map(CString::new).collect::<Result<_, _>>().ok()?;
        let name = parts.pop()?;
        let dir = beneath::walk(top.as_fd(), &parts, false).ok()?;
        let (file, _) = tree::open_file(dir.as_fd(), &name).ok()??;
        let mut out = vec![];
        file.take(max).read_to_end(&mut out).ok()?;
        Some(out)
    }
}

/// A path's components, without empty ones and `.`.
fn components(path: &[u8]) -> VecDeque<Vec<u8>> {
    path.split(|b| *b == b'/').filter(|c| !c.is_empty() && *c != b".").map(<[u8]>::to_vec).collect()
}

/// A box may swap the name between the look and the use (a folder for a
/// symlink): look again, as a reader a moment later would.
fn step_settled(here: &[(usize, OwnedFd)], name: &CStr) -> SysResult<Step> {
    let mut tries = 0;
    loop {
        match step(here, name) {
            Err(e) if tree::changed_meanwhile(&e) && tries < MAX_RETRIES => tries += 1,
            other => return other,
        }
    }
}

fn step(here: &[(usize, OwnedFd)], name: &CStr) -> SysResult<Step> {
    for (i, (layer, fd)) in here.iter().enumerate() {
        let Some(stat) = tree::stat(fd.as_fd(), name)? else { continue };
        if stat.is_whiteout() {
            return Ok(Step::Deleted(*layer));
        }
        if stat.kind == FileKind::Dir {
            return Ok(Step::Dir(merge(&here[i..], name)?, *layer));
        }
        let target = if stat.kind == FileKind::Symlink { Some(tree::read_link(fd.as_fd(), name)?) } else { None };
        return Ok(Step::Leaf { layer: *layer, stat, target });
    }
    Ok(Step::Absent)
}

/// The folder `name` as overlayfs merges it from these layers' folders.
fn merge(below: &[(usize, OwnedFd)], name: &CStr) -> SysResult<Merged> {
    let mut merged = vec![];
    for (layer, fd) in below {
        match tree::stat(fd.as_fd(), name)? {
            None => continue,
            Some(st) if st.kind == FileKind::Dir => {
                let sub = beneath::open_dir(fd.as_fd(), name)?;
                let opaque = is_opaque(sub.as_fd());
                merged.push((*layer, sub));
                if opaque {
                    break;
                }
            }
            // A whiteout or a non-folder hides the rest.
            Some(_) => break,
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// Two layers, `upper` over `lower`, and a `host` folder beside them.
    struct Stack(PathBuf);

    impl Stack {
        fn new(test: &str) -> Stack {
            let dir = std::env::temp_dir().join(format!("glassbox-view-{test}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for d in ["upper", "lower/etc", "lower/d", "host/etc"] {
                std::fs::create_dir_all(dir.join(d)).unwrap();
            }
            std::fs::write(dir.join("lower/etc/hostname"), "box").unwrap();
            std::fs::write(dir.join("lower/d/old"), "").unwrap();
            std::fs::write(dir.join("host/etc/shadow"), "host").unwrap();
            Stack(dir)
        }
        fn view(&self) -> LayerView {
            LayerView::open(&[self.0.join("upper"), self.0.join("lower")])
        }
        fn find(&self, path: &str, symlinks: Symlinks) -> Found {
            self.view().find(Path::new(path), symlinks).unwrap()
        }
    }

    impl Drop for Stack {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const FILE_IN_LOWER: Found = Found::In { layer: 1, kind: FileKind::File };

    #[test]
    fn symlinks_and_dotdot_resolve_inside_the_stack_never_on_the_host() {
        let s = Stack::new("inroot");
        symlink("/etc", s.0.join("upper/conf")).unwrap();
        symlink(s.0.join("host"), s.0.join("upper/out")).unwrap();
        symlink("../../../../../../etc", s.0.join("lower/d/up")).unwrap();
        assert_eq!(s.find("/conf/hostname", Symlinks::InRoot), FILE_IN_LOWER);
        assert_eq!(s.find("/d/up/hostname", Symlinks::InRoot), FILE_IN_LOWER);
        assert_eq!(s.find("/../../../etc/hostname", Symlinks::InRoot), FILE_IN_LOWER);
        let host = format!("{}/etc/shadow", s.0.join("host").display());
        for path in ["/out/etc/shadow", "/conf/shadow", host.as_str(), &format!("/../../../..{host}")] {
            assert_eq!(s.find(path, Symlinks::InRoot), Found::Absent, "{path}");
        }
        // The last component is the answer itself, not where it points.
        assert_eq!(s.find("/out", Symlinks::InRoot), Found::In { layer: 0, kind: FileKind::Symlink });
        assert_eq!(s.find("/conf/hostname", Symlinks::Never), Found::Absent);
        assert_eq!(s.find("/etc/hostname", Symlinks::Never), FILE_IN_LOWER);
    }

    #[test]
    fn whiteouts_opaque_folders_and_loops_follow_overlay_rules() {
        let s = Stack::new("overlay");
        let upper = beneath::open_root(&s.0.join("upper")).unwrap();
        beneath::whiteout(upper.as_fd(), c"etc").unwrap();
        beneath::mkdir(upper.as_fd(), c"d", 0o755).unwrap();
        let d = beneath::open_dir(upper.as_fd(), c"d").unwrap();
        beneath::set_xattr(d.as_fd(), c"trusted.overlay.opaque", b"y").unwrap();
        symlink("loop", s.0.join("upper/loop")).unwrap();
        assert_eq!(s.find("/etc", Symlinks::InRoot), Found::Deleted { layer: 0 });
        assert_eq!(s.find("/etc/hostname", Symlinks::InRoot), Found::Absent);
        assert_eq!(s.find("/d", Symlinks::InRoot), Found::In { layer: 0, kind: FileKind::Dir });
        assert_eq!(s.find("/d/old", Symlinks::InRoot), Found::Absent, "an opaque folder hides the one below");
        assert_eq!(s.find("/loop/x", Symlinks::InRoot), Found::Absent);
        assert_eq!(s.find("/", Symlinks::InRoot), Found::In { layer: 0, kind: FileKind::Dir });
    }
}
