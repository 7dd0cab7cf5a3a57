//! Folders only root may reach (see `state::private` for why the state
//! root's folders are so).

use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Owner only: read, write, search.
pub const MODE: u32 = 0o700;

/// `mkdir -p -m 700 dir`: every folder it makes is 0700 from the start, and
/// `dir` is made 0700 if it was there already.
pub fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new().recursive(true).mode(MODE).create(dir)?;
    tighten(dir)
}

/// chmod 700 through a descriptor of the folder itself: a symlink put in
/// its place is refused (ELOOP), never followed to what it names.
pub fn tighten(dir: &Path) -> std::io::Result<()> {
    let folder = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(dir)?;
    if folder.metadata()?.permissions().mode() & 0o7777 != MODE {
        folder.set_permissions(std::fs::Permissions::from_mode(MODE))?;
    }
    Ok(())
}
