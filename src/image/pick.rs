//! Archives that hold several images (`docker save a b`, an OCI layout with
//! two tags). Importing the first one silently would hide the others, so
//! the import lists them, numbered, and asks which: `--image N`, or `--all`
//! to import each under a name of its own.

use super::docker_archive::ManifestEntry;
use super::extract::shown;
use super::import::{Request, invalid, read_json};
use super::{ImageError, Result, Store};
use oci_spec::image::{Descriptor, ImageIndex};
use std::path::Path;

pub use crate::domain::image::Pick;

/// The two layouts of an image archive with a manifest.
#[derive(Clone, Copy)]
pub(super) enum Layout {
    /// `oci-layout` and `index.json`, blobs by digest.
    Oci,
    /// `docker save`: `manifest.json` naming files.
    DockerSave,
}

/// How an archive names one of its images.
#[derive(Debug, Clone)]
pub(super) enum Entry {
    /// An OCI index's descriptor of a manifest (or of a nested index).
    Oci(Box<Descriptor>),
    /// docker save's `manifest.json` entry.
    DockerSave(ManifestEntry),
}

/// One image an archive holds: how the list shows it, the names the archive
/// gives it, and its entry (`()` for a plain root filesystem tar, which
/// names nothing).
pub(super) struct Listed<E> {
    pub(super) label: String,
    pub(super) references: Vec<String>,
    pub(super) entry: E,
}

pub(super) fn listed(layout: Layout, tree: &Path) -> Result<Vec<Listed<Entry>>> {
    let (file, entries) = match layout {
        Layout::Oci => {
            let index: ImageIndex = read_json(tree, "index.json")?;
            ("index.json", index.manifests().iter().map(|d| Entry::Oci(Box::new(d.clone()))).collect::<Vec<_>>())
        }
        Layout::DockerSave => {
            let list: Vec<ManifestEntry> = read_json(tree, "manifest.json")?;
            ("manifest.json", list.into_iter().map(Entry::DockerSave).collect())
        }
    };
    if entries.is_empty() {
        return Err(invalid(format!("{file} lists no image")));
    }
    Ok(entries.into_iter().map(|e| Listed { label: label(&e), references: references(&e), entry: e }).collect())
}

/// The OCI annotation that names an image in a layout's index.
const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// Tags, or the OCI reference name and platform: text from the archive,
/// escaped so that it cannot forge a line or move the cursor.
fn label(entry: &Entry) -> String {
    let mut parts = references(entry);
    if let Some(platform) = match entry {
        Entry::Oci(desc) => desc.platform().as_ref(),
        _ => None,
    } {
        parts.push(format!("{}/{}", platform.os(), platform.architecture()));
    }
    if parts.is_empty() {
        parts.push("untagged".into());
    }
    shown(parts.join(" ").as_bytes())
}

/// The images `req.pick` asks for, each with the name it is imported as.
pub(super) fn choose<E>(mut listed: Vec<Listed<E>>, req: &Request, archive: &Path) -> Result<Vec<(String, E)>> {
    let (count, archive) = (listed.len(), archive.display().to_string());
    let n = match req.pick {
        Pick::All => {
            let named = listed.into_iter().enumerate().map(|(i, l)| (format!("{}-{}", req.name, i + 1), l.entry));
            return Ok(named.collect());
        }
        Pick::Only if count > 1 => {
            let listing: Vec<String> =
                listed.iter().enumerate().map(|(i, l)| format!("{} {}", i + 1, l.label)).collect();
            return Err(ImageError::SeveralImages { archive, count, listing: listing.join(", ") });
        }
        Pick::Only => 1,
        Pick::Number(n) => n,
    };
    if n == 0 || n > count {
        return Err(ImageError::NoImageNumber { archive, count, asked: n });
    }
    let chosen = listed.swap_remove(n - 1);
    let tagged = if req.named { None } else { chosen.references.iter().find_map(|r| name_of_reference(r)) };
    Ok(vec![(tagged.unwrap_or_else(|| req.name.to_string()), chosen.entry)])
}

/// The names an archive gives an image: docker save's `RepoTags`, an OCI
/// index's `org.opencontainers.image.ref.name` annotation.
fn references(entry: &Entry) -> Vec<String> {
    match entry {
        Entry::DockerSave(e) => e.tags().to_vec(),
        Entry::Oci(desc) => desc.annotations().iter().flat_map(|a| a.get(REF_NAME)).cloned().collect(),
    }
}

/// An image name from a reference: `docker.io/library/busybox:latest` is
/// `busybox`, `localhost/app:1.2` is `app-1.2`. A bare tag (an OCI ref name
/// may be just `latest`) names nothing, nor does one glassbox could not use.
pub fn name_of_reference(reference: &str) -> Option<String> {
    if !reference.contains([':', '/']) {
        return None;
    }
    let without_digest = reference.split('@').next()?;
    let last = without_digest.rsplit('/').next()?;
    let (repo, tag) = last.split_once(':').unwrap_or((last, "latest"));
    let name = if tag == "latest" || tag.is_empty() { repo.to_string() } else { format!("{repo}-{tag}") };
    let name = name.to_lowercase();
    crate::state::names::validate("image", &name).is_ok().then_some(name)
}

/// Each name must be valid and, without `--force`, not an image's already.
/// The one name of a single image is checked before anything is read;
/// `--all` knows its names only once the archive is listed.
pub(super) fn check_names<'n>(store: &Store, names: impl IntoIterator<Item = &'n str>, force: bool) -> Result<()> {
    for name in names {
        crate::state::names::validate("image", name)?;
        if !force {
            store.refuse_taken(name, true)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::name_of_reference;

    #[test]
    fn a_reference_names_the_image_by_its_last_component_and_tag() {
        let cases = [
            ("docker.io/library/busybox:latest", Some("busybox")),
            ("localhost/app:1.2", Some("app-1.2")),
            ("hello:latest", Some("hello")),
            ("registry:5000/team/tool", Some("tool")),
            ("latest", None),
            ("x/../..:latest", None),
            ("Bad Name:latest", None),
        ];
        for (reference, want) in cases {
            assert_eq!(name_of_reference(reference).as_deref(), want, "{reference}");
        }
    }
}
