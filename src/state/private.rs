//! Who may reach the state root: root alone.
//!
//! A box can write a setuid-root program into its container layer, a layer
//! keeps the setuid bits its image gave a file, and a volume holds whatever a
//! box left in it. Each is a root shell for every local user who can walk to
//! it, so every folder of the root that holds them is mode 0700, as Docker's
//! data root is: the kernel checks search permission on each folder of a
//! path (path_resolution(7)), so the modes of the files below no longer
//! matter. glassbox makes these folders so, and makes them so again each
//! time it opens a root, because a glassbox from before made them 0755.
//!
//! Nothing in a box needs these paths: glassbox mounts the overlay and the
//! volumes as the host's root (overlayfs then reaches its layers with the
//! mounter's credentials), and a box's processes, mapped uids included, see
//! the files through those mounts and never walk the root's folders.

use super::{Root, StateError};
// The mkdir itself is a plain folder call in sys (the plan's runtime and
// teardown steps make private folders too, below this layer).
pub use crate::sys::private_dir::make_private_dir;
use crate::sys::private_dir::tighten;
use std::path::PathBuf;

impl Root {
    /// The folders that hold what boxes and images put under the root.
    fn private_dirs(&self) -> [PathBuf; 6] {
        [
            self.boxes_dir(),
            self.layers_dir(),
            self.images_dir(),
            self.volumes_dir(),
            self.locks_dir(),
            self.runtime.clone(),
        ]
    }

    /// Makes each of the root's private folders that exists 0700 (a root
    /// an older glassbox made, or one made by hand). Not a step of any box:
    /// the exposure is there whatever the command, `--dry-run` included.
    pub fn keep_private(&self) -> Result<(), StateError> {
        for dir in self.private_dirs() {
            match tighten(&dir) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                r => r.map_err(|e| StateError::io(&dir, e))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::private_dir::MODE;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn every_private_folder_is_made_and_kept_0700() {
        let base = super::super::paths::unit_test_dir("private");
        let root = Root::new(Some(&base.join("new/root")));
        make_private_dir(&root.boxes_dir()).unwrap();
        assert_eq!((mode(&base.join("new")), mode(&root.state), mode(&root.boxes_dir())), (MODE, MODE, MODE));
        // As an older glassbox left them: 0755, and a setgid bit for good measure.
        for dir in [root.layers_dir(), root.runtime.clone()] {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o2755)).unwrap();
        }
        root.keep_private().unwrap();
        assert_eq!((mode(&root.layers_dir()), mode(&root.runtime)), (MODE, MODE));
        assert!(!root.volumes_dir().exists(), "keeping folders private makes none");
    }

    #[test]
    fn a_symlink_in_place_of_a_private_folder_is_not_followed() {
        let base = super::super::paths::unit_test_dir("private-link");
        let root = Root::new(Some(&base.join("root")));
        std::fs::create_dir_all(base.join("elsewhere")).unwrap();
        std::fs::set_permissions(base.join("elsewhere"), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::create_dir_all(&root.state).unwrap();
        std::os::unix::fs::symlink(base.join("elsewhere"), root.images_dir()).unwrap();
        assert!(root.keep_private().is_err());
        assert_eq!(mode(&base.join("elsewhere")), 0o755, "what the link names is untouched");
    }
}
