//! A box's layer stack, and the two rules overlayfs sets on it.
//!
//! **How many layers.** glassbox mounts a box's overlay with mount(2), and
//! the kernel copies a mount's options from one page: 4096 bytes, the last
//! one a NUL (`path_mount` in fs/namespace.c). overlayfs's own limit,
//! OVL_MAX_STACK, is 500 lower layers, but the page is full long before.
//! The new mount API would lift the page (fsconfig `lowerdir+`, one layer
//! a call) only from Linux 6.8 on, and classroom VMs run older kernels. So
//! the overlay is mounted from the state root, its options naming
//! `layers/sha256-<hex>/fs` and `boxes/<box>/container/…` relative to it:
//! every name then has a fixed length whatever the root's path, and the
//! limit is one number, [`MAX_LAYERS`], checked before anything is made.
//!
//! **Each layer once.** overlayfs refuses a folder that is already a layer
//! of the same mount (ELOOP, "overlapping lowerdir"). A layer that an image
//! repeats (two steps that changed nothing give the same empty layer) is
//! stacked once, at its top place: everything the lower copy holds, the
//! upper one holds too and covers, so the merged tree is the same. A layer
//! that `layer add` or `rootfs` would stack a second time is refused.

use super::{StackLayer, StateError};
use crate::state::LayerRole;

/// The bytes mount(2) reads of a mount's options, less its closing NUL.
pub const MOUNT_OPTIONS_MAX: usize = 4096 - 1;

/// `layers/sha256-<64 hex>/fs`, one lower layer as the options name it.
const LAYER_NAME: usize = "layers/sha256-".len() + 64 + "/fs".len();

/// `upperdir=` and `workdir=` of a box with the longest name (63).
const CONTAINER_OPTIONS: usize =
    ",upperdir=boxes/".len() + 63 + "/container/upper".len() + ",workdir=boxes/".len() + 63 + "/container/work".len();

/// The most read-only layers one box can stack: as many `:`-separated
/// layer names as fit in the options beside `lowerdir=` and the container
/// layer's two folders (47).
pub const MAX_LAYERS: usize = (MOUNT_OPTIONS_MAX - "lowerdir=".len() - CONTAINER_OPTIONS + 1) / (LAYER_NAME + 1);

/// An image's layers as a stack's, bottom first, each digest once: a
/// repeated one keeps its top place (see the module's comment).
pub fn image_layers(digests: &[String], role: LayerRole, source: &str) -> Vec<StackLayer> {
    let top_place = |i: usize, d: &String| !digests[i + 1..].contains(d);
    let stack = digests.iter().enumerate().filter(|(i, d)| top_place(*i, d));
    stack.map(|(_, d)| StackLayer { digest: d.clone(), role, source: source.into() }).collect()
}

/// The layers `box_name` would stack are ones overlayfs can mount: each
/// once, and no more than [`MAX_LAYERS`]. `fix` says what to do instead.
pub fn check(box_name: &str, layers: &[StackLayer], fix: &str) -> Result<(), StateError> {
    for (i, upper) in layers.iter().enumerate() {
        if let Some(lower) = layers[..i].iter().find(|l| l.digest == upper.digest) {
            return Err(StateError::LayerTwice {
                name: box_name.into(),
                digest: upper.digest.clone(),
                lower: placed(lower),
                upper: placed(upper),
            });
        }
    }
    check_count(&format!("box {box_name}"), layers.len(), fix)
}

/// Where a layer came from, and by which command: `image x (rootfs)`.
fn placed(layer: &StackLayer) -> String {
    let by = match layer.role {
        LayerRole::Base => "rootfs",
        LayerRole::Layer => "layer add",
    };
    format!("{} ({by})", layer.source)
}

/// `count` read-only layers of `what` fit in one box.
pub fn check_count(what: &str, count: usize, fix: &str) -> Result<(), StateError> {
    if count > MAX_LAYERS {
        return Err(StateError::TooManyLayers { what: what.into(), count, fix: fix.into() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Root;
    use std::path::{Path, PathBuf};

    fn layer(i: usize) -> PathBuf {
        PathBuf::from(format!("/some/long/root/of/a/class/layers/sha256-{i:064x}/fs"))
    }

    #[test]
    fn the_longest_stack_fits_in_a_page_and_one_more_does_not() {
        let root = Root::new(Some(Path::new("/some/long/root/of/a/class")));
        let (upper, work) = root.container_layer(&"b".repeat(63));
        let options =
            |n: usize| crate::plan::rootfs::overlay_options(&(0..n).map(layer).collect::<Vec<_>>(), &upper, &work);
        let (base, full) = options(MAX_LAYERS);
        assert_eq!(base, root.state, "the options are relative to the root");
        assert!(full.len() <= MOUNT_OPTIONS_MAX, "{} bytes", full.len());
        assert!(options(MAX_LAYERS + 1).1.len() > MOUNT_OPTIONS_MAX);
        assert!(full.starts_with(&format!("lowerdir=layers/sha256-{:064x}/fs:", 0)), "{full}");
        assert!(full.ends_with(&format!(",workdir=boxes/{}/container/work", "b".repeat(63))), "{full}");
        assert_eq!(MAX_LAYERS, 47);
    }

    #[test]
    fn a_layer_an_image_repeats_is_stacked_at_its_top_place() {
        let d = |s: &str| s.to_string();
        let stack = image_layers(&[d("a"), d("e"), d("b"), d("e"), d("c")], LayerRole::Base, "image x");
        let digests: Vec<&str> = stack.iter().map(|l| l.digest.as_str()).collect();
        assert_eq!(digests, ["a", "b", "e", "c"]);
    }

    #[test]
    fn a_layer_stacked_twice_is_refused_naming_both_sources() {
        let mut layers = image_layers(&["a".into(), "b".into()], LayerRole::Base, "image base");
        layers.extend(image_layers(&["b".into()], LayerRole::Layer, "image extra"));
        let err = check("demo", &layers, "").unwrap_err().to_string();
        assert!(err.contains("image base") && err.contains("image extra") && err.contains("twice"), "{err}");
        assert!(check("demo", &layers[..2], "").is_ok());
    }
}
