//! Images and layers: the read-only templates a box's root filesystem is
//! stacked from.
//!
//! A layer is a folder tree stored once under the state root, named by the
//! sha256 of its uncompressed tar (the OCI "diff ID"). An image is an
//! ordered list of layer digests plus a name and where it came from. Every
//! layer, whatever its source (an archive, a folder, busybox, a box's
//! container layer), goes through the same path: a tar stream is extracted
//! into a staging folder beneath a root descriptor, verified, its whiteouts
//! converted to overlayfs's form, and only then renamed into the store.

pub mod extract;
