//! Extended attributes, which is where overlayfs keeps an opaque folder's mark.

use super::{cpath, cstring};
use std::path::Path;

/// The value of an xattr of a path itself (not following a symlink).
pub fn get(path: &Path, name: &str) -> Option<Vec<u8>> {
    let (p, n) = (cpath(path).ok()?, cstring(name).ok()?);
    let mut buf = vec![0u8; 256];
    // SAFETY: buf is valid for its length.
    let len = unsafe { libc::lgetxattr(p.as_ptr(), n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    (len >= 0).then(|| {
        buf.truncate(len as usize);
        buf
    })
}
