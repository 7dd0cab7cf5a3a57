//! Removing a box's cgroups, bottom-up. A cgroup folder can be removed only
//! when no process is in it and it has no child cgroups, and a process in
//! the box (root in its cgroup namespace) may have made child cgroups.
//!
//! The plan is made from the tree as it is found (see [`plan`]); the
//! executor kills what is left and removes each folder
//! (`plan::teardown`).

// The walk belongs to the teardown step that kills and removes what it finds.
pub use crate::plan::teardown::subtree;
use crate::plan::{Op, op};
use std::path::{Path, PathBuf};

/// One cgroup tree to remove, as found: its folders deepest first (the top
/// last), and whether the kernel offers `cgroup.kill` there.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub dirs: Vec<PathBuf>,
    pub kill_file: bool,
}

impl Tree {
    /// The tree at `top` in a cgroupfs (a host's or a test's).
    pub fn find(top: &Path) -> Option<Tree> {
        let dirs = subtree(top);
        (!dirs.is_empty()).then(|| Tree { dirs, kill_file: top.join("cgroup.kill").exists() })
    }
}

/// Removing one cgroup tree: kill what is left in it, then rmdir each folder.
pub fn plan(tree: &Tree) -> Vec<Op> {
    let Some(top) = tree.dirs.last() else { return vec![] };
    let mut ops = vec![Op::from(op::KillCgroup { dir: top.clone(), kill_file: tree.kill_file })];
    ops.extend(tree.dirs.iter().map(|d| Op::from(op::RemoveCgroup { dir: d.clone() })));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_the_box_grew_is_removed_bottom_up_after_one_kill() {
        let fs = crate::state::paths::unit_test_dir("cg-remove");
        let top = fs.join("glassbox-x/b1");
        for d in ["a/deep", "b"] {
            std::fs::create_dir_all(top.join(d)).unwrap();
        }
        std::fs::write(top.join("cgroup.kill"), "").unwrap();
        let tree = Tree::find(&top).unwrap();
        let text: Vec<String> = plan(&tree).iter().map(|o| o.faces().shell).collect();
        let at = |d: &str| format!("rmdir {}", top.join(d).display());
        assert_eq!(
            text,
            [
                format!("echo 1 > {}", top.join("cgroup.kill").display()),
                at("a/deep"),
                at("a"),
                at("b"),
                format!("rmdir {}", top.display()),
            ]
        );
        assert_eq!(Tree::find(&fs.join("none")), None);
        std::fs::remove_file(top.join("cgroup.kill")).unwrap();
        let v1 = plan(&Tree::find(&top).unwrap());
        assert!(v1[0].faces().shell.contains("xargs -r kill -KILL"), "v1 has no cgroup.kill: {:?}", v1[0]);
    }
}
