//! `image import`: a `docker save` archive, an OCI image layout (a tar or a
//! folder), or a plain root filesystem tar (`docker export`, debootstrap).
//!
//! Everything in the archive is hostile until checked: the outer archive is
//! extracted with the same beneath-the-root rules as a layer; file names in
//! manifests must be plain relative paths with no symlink on the way;
//! digests must be `sha256:` and 64 hex digits, and every blob is verified
//! against its digest while it streams. All layers are unpacked and verified
//! before any is registered, so a bad archive registers nothing.
//!
//! An archive may hold several images (`docker save a b`, an OCI layout with
//! two tags): importing one of them silently would hide the others, so the
//! import lists them and asks which (`Pick`). The layers of the chosen
//! images together may expand to `Limits::max_size` (`--max-size`); the
//! archive around them is held to the same limits on its own.

use super::config::{self, ImageConfiguration};
use super::docker_archive::ManifestEntry;
use super::extract::{Extracted, Limits};
pub use super::pick::Pick;
use super::pick::{Entry, Layout, Listed, check_names, choose, listed};
use super::{ImageError, ImageRecord, Result, Store};
use oci_spec::image::{Arch, Descriptor, Digest, ImageIndex, ImageManifest};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

pub(super) fn invalid(reason: impl Into<String>) -> ImageError {
    ImageError::Invalid(format!("invalid archive: {}", reason.into()))
}

/// `sha256:<64 hex>`, nothing else.
pub fn check_digest(d: &str) -> Result<&str> {
    let hex = d.strip_prefix("sha256:").ok_or_else(|| invalid(format!("digest {d:?} is not sha256")))?;
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(invalid(format!("digest {d:?} is malformed")));
    }
    Ok(hex)
}

/// A file named by a manifest: a plain relative path inside `tree`, with no
/// symlink anywhere on the way, ending in a regular file.
pub fn inside(tree: &Path, name: &str) -> Result<PathBuf> {
    let rel = Path::new(name);
    if name.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(invalid(format!("{name:?} is not a plain relative path")));
    }
    let mut path = tree.to_path_buf();
    for c in rel.components() {
        path.push(c);
        let meta = std::fs::symlink_metadata(&path).map_err(|_| invalid(format!("{name:?} is missing")))?;
        if meta.file_type().is_symlink() {
            return Err(invalid(format!("{name:?} goes through a symlink")));
        }
    }
    if !std::fs::symlink_metadata(&path).map(|m| m.is_file()).unwrap_or(false) {
        return Err(invalid(format!("{name:?} is not a regular file")));
    }
    Ok(path)
}

/// A JSON file of the archive as the type it must be (`oci-spec`'s index,
/// docker save's manifest list, …); anything else is an invalid archive.
pub(super) fn read_json<T: DeserializeOwned>(tree: &Path, name: &str) -> Result<T> {
    let path = inside(tree, name)?;
    let text = std::fs::read(&path).map_err(|e| ImageError::Io { path: path.clone(), source: e })?;
    serde_json::from_slice(&text).map_err(|e| invalid(format!("{name}: {e}")))
}

fn sha256_file(path: &Path) -> Result<String> {
    use sha2::Digest;
    let bytes = std::fs::read(path).map_err(|e| ImageError::Io { path: path.into(), source: e })?;
    Ok(format!("sha256:{}", hex::encode(sha2::Sha256::digest(&bytes))))
}

/// A blob of an OCI layout, verified against its digest.
fn blob(tree: &Path, digest: &str) -> Result<PathBuf> {
    let hex = check_digest(digest)?;
    let path = inside(tree, &format!("blobs/sha256/{hex}"))?;
    Ok(path)
}

/// A JSON blob of an OCI layout, checked against its digest before it is parsed.
fn verified_json<T: DeserializeOwned>(tree: &Path, digest: &Digest) -> Result<T> {
    let digest = digest.to_string();
    let path = blob(tree, &digest)?;
    if sha256_file(&path)? != digest {
        return Err(invalid(format!("blob {digest} does not match its digest")));
    }
    let text = std::fs::read(&path).map_err(|e| ImageError::Io { path, source: e })?;
    serde_json::from_slice(&text).map_err(|e| invalid(format!("blob {digest}: {e}")))
}

/// What `image import` was asked for.
pub struct Request<'a> {
    pub name: &'a str,
    /// The name was given (`--name`): an archive's own tag does not replace it.
    pub named: bool,
    pub pick: Pick,
    /// Replace images that already have the names instead of refusing.
    pub force: bool,
    pub limits: Limits,
}

/// What to check an unpacked layer against.
struct Expected {
    file: PathBuf,
    blob: Option<String>,
    diff_id: Option<String>,
}

pub(super) fn str_list(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default()
}

/// What an image of the archive is: its layers to unpack and its config.
type Wanted = (Vec<Expected>, ImageConfiguration);

fn docker_save(tree: &Path, entry: &ManifestEntry) -> Result<Wanted> {
    // The config stays loose JSON until `config::from_archive`: an old
    // `docker save` lacks fields the spec's type requires.
    let config: Value = read_json(tree, &entry.config)?;
    let diff_ids = str_list(&config["rootfs"]["diff_ids"]);
    let layers = &entry.layers;
    if layers.is_empty() || layers.len() != diff_ids.len() {
        return Err(invalid("manifest.json and its config disagree on the layers"));
    }
    let expected = layers
        .iter()
        .zip(diff_ids)
        .map(|(l, d)| {
            Ok(Expected { file: inside(tree, l)?, blob: None, diff_id: Some(check_digest(&d).map(|_| d.clone())?) })
        })
        .collect::<Result<_>>()?;
    Ok((expected, config::from_archive(&config)?))
}

fn oci_layout(tree: &Path, desc: &Descriptor) -> Result<Wanted> {
    let top: Value = verified_json(tree, desc.digest())?;
    let manifest: ImageManifest = if top.get("manifests").is_some() {
        // A nested index (several platforms): take amd64, else the first.
        let index: ImageIndex = serde_json::from_value(top).map_err(|e| invalid(format!("nested index: {e}")))?;
        let list = index.manifests();
        let amd64 = list.iter().find(|m| m.platform().as_ref().is_some_and(|p| *p.architecture() == Arch::Amd64));
        let desc = amd64.or(list.first()).ok_or_else(|| invalid("empty nested index"))?;
        verified_json(tree, desc.digest())?
    } else {
        serde_json::from_value(top).map_err(|e| invalid(format!("manifest {}: {e}", desc.digest())))?
    };
    let config: Value = verified_json(tree, manifest.config().digest())?;
    let diff_ids = str_list(&config["rootfs"]["diff_ids"]);
    let layers: Vec<String> = manifest.layers().iter().map(|l| l.digest().to_string()).collect();
    if layers.is_empty() || layers.len() != diff_ids.len() {
        return Err(invalid("the manifest and its config disagree on the layers"));
    }
    let expected = layers
        .iter()
        .zip(diff_ids)
        .map(|(l, d)| {
            Ok(Expected {
                file: blob(tree, l)?,
                blob: Some(l.clone()),
                diff_id: Some(check_digest(&d).map(|_| d.clone())?),
            })
        })
        .collect::<Result<_>>()?;
    Ok((expected, config::from_archive(&config)?))
}

fn check_layer(x: &Extracted, want: &Expected) -> Result<()> {
    let pairs = [("blob digest", &want.blob, &x.blob_digest), ("diff id", &want.diff_id, &x.diff_id)];
    for (what, expected, got) in pairs {
        if let Some(expected) = expected.as_ref().filter(|e| *e != got) {
            let file = want.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            return Err(invalid(format!("layer {file}: its {what} is {got}, the manifest says {expected}")));
        }
    }
    Ok(())
}

/// Imports the images `req` asks for from `path` and saves their records;
/// returns them and the warnings (entries skipped).
pub fn import(
    store: &Store,
    path: &Path,
    req: &Request,
    progress: &mut dyn FnMut(u64),
) -> Result<(Vec<ImageRecord>, Vec<String>)> {
    // The one name is known before anything is read: fail fast.
    if req.pick != Pick::All && req.named {
        check_names(store, [req.name], req.force)?;
    }
    let outer = store.scratch_dir("import")?;
    let mut staged: Vec<PathBuf> = vec![];
    let source = path.display().to_string();
    let result = unpack(store, path, req, &outer, &mut staged, progress).and_then(|u| register(store, u, &source));
    let _ = std::fs::remove_dir_all(&outer);
    for s in staged {
        let _ = std::fs::remove_dir_all(s);
    }
    result
}

/// The chosen images with their layers unpacked and verified, nothing
/// registered yet.
struct Unpacked {
    /// Each image's name, its layers (indexes into `layers`, bottom first)
    /// and its config.
    images: Vec<(String, Vec<usize>, Option<ImageConfiguration>)>,
    /// A staging folder each, and what extracting into it found.
    layers: Vec<(PathBuf, Extracted)>,
    warnings: Vec<String>,
}

/// Registers the layers and saves the records under the store's lock, so
/// that removing unused layers (of an image this import replaces, or by
/// `image rm`) never takes one registered and not yet recorded.
fn register(store: &Store, u: Unpacked, source: &str) -> Result<(Vec<ImageRecord>, Vec<String>)> {
    let _lock = store.lock()?;
    let digests = u
        .layers
        .iter()
        .map(|(staging, x)| store.register(staging, x, source).map(|m| m.digest))
        .collect::<Result<Vec<_>>>()?;
    let records: Vec<ImageRecord> = u
        .images
        .into_iter()
        .map(|(name, layers, config)| ImageRecord {
            name,
            layers: layers.iter().map(|i| digests[*i].clone()).collect(),
            source: source.into(),
            created_at: crate::state::record::now(),
            config,
        })
        .collect();
    // The layers of the images replaced (`--force`), once nothing uses them.
    let replaced: Vec<String> =
        records.iter().filter_map(|r| store.image(&r.name).ok()).flat_map(|i| i.layers).collect();
    for image in &records {
        store.save_image(image)?;
    }
    store.remove_unused(&replaced);
    Ok((records, u.warnings))
}

fn unpack(
    store: &Store,
    path: &Path,
    req: &Request,
    outer: &Path,
    staged: &mut Vec<PathBuf>,
    progress: &mut dyn FnMut(u64),
) -> Result<Unpacked> {
    let (tree, outer_x) = if path.is_dir() {
        (path.to_path_buf(), None)
    } else {
        let file = std::fs::File::open(path).map_err(|e| ImageError::Io { path: path.into(), source: e })?;
        (outer.join("fs"), Some(store.unpack(std::io::BufReader::new(file), outer, &req.limits, progress)?))
    };
    let layout = if tree.join("oci-layout").exists() && tree.join("index.json").exists() {
        Layout::Oci
    } else if tree.join("manifest.json").exists() {
        Layout::DockerSave
    } else if let Some(x) = outer_x {
        // A plain root filesystem: the archive itself is the one layer.
        let (name, _) =
            choose(vec![Listed { label: String::new(), references: vec![], entry: () }], req, path)?.remove(0);
        if req.pick == Pick::All || !req.named {
            check_names(store, [name.as_str()], req.force)?;
        }
        let warnings = x.warnings.clone();
        return Ok(Unpacked { images: vec![(name, vec![0], None)], layers: vec![(outer.to_path_buf(), x)], warnings });
    } else {
        return Err(invalid(format!("{} has neither oci-layout nor manifest.json", path.display())));
    };
    let chosen = choose(listed(layout, &tree)?, req, path)?;
    if req.pick == Pick::All || !req.named {
        check_names(store, chosen.iter().map(|(n, _)| n.as_str()), req.force)?;
    }
    let mut out = Unpacked { images: vec![], layers: vec![], warnings: vec![] };
    // Images of one archive often share layers: each is unpacked once, and
    // together they may expand to the size limit.
    let mut files: Vec<PathBuf> = vec![];
    let mut spent = 0u64;
    for (name, entry) in chosen {
        let (wanted, config) = match &entry {
            Entry::Oci(desc) => oci_layout(&tree, desc)?,
            Entry::DockerSave(e) => docker_save(&tree, e)?,
        };
        // Before any of its layers is unpacked: an image no box could stack is not made.
        let distinct: std::collections::BTreeSet<_> = wanted.iter().map(|e| &e.diff_id).collect();
        let fix = "flatten it first, e.g. import the `docker export` tar of a container made from it (one layer)";
        crate::state::stack::check_count(&format!("image {}", name.escape_debug()), distinct.len(), fix)?;
        let mut layers = vec![];
        for want in &wanted {
            if let Some(i) = files.iter().position(|f| *f == want.file) {
                layers.push(i);
                continue;
            }
            let staging = store.scratch_dir("layer")?;
            staged.push(staging.clone());
            let file =
                std::fs::File::open(&want.file).map_err(|e| ImageError::Io { path: want.file.clone(), source: e })?;
            let limits = Limits { size_spent: spent, ..req.limits.clone() };
            let x = store.unpack(std::io::BufReader::new(file), &staging, &limits, progress)?;
            check_layer(&x, want)?;
            spent += x.size;
            out.warnings.extend(x.warnings.iter().cloned());
            layers.push(out.layers.len());
            out.layers.push((staging, x));
            files.push(want.file.clone());
        }
        out.images.push((name, layers, Some(config)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_must_be_sha256_hex() {
        assert!(check_digest(&format!("sha256:{}", "a".repeat(64))).is_ok());
        for bad in [
            "sha256:../x",
            "md5:abc",
            &format!("sha256:{}", "A".repeat(64)),
            "sha256:",
            &format!("sha512:{}", "a".repeat(128)),
        ] {
            assert!(check_digest(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn manifest_paths_stay_inside() {
        let dir = crate::state::paths::unit_test_dir("inside");
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("a/f"), "x").unwrap();
        let _ = std::os::unix::fs::symlink("/etc", dir.join("s"));
        assert!(inside(&dir, "a/f").is_ok());
        for bad in ["../../etc/passwd", "/etc/passwd", "s/passwd", "a", "a/missing", ""] {
            assert!(inside(&dir, bad).is_err(), "{bad}");
        }
    }
}
