//! Archives that hold several images (`docker save a b`, an OCI layout with
//! two tags). Importing the first one silently would hide the others, so
//! the import lists them, numbered, and asks which: `--image N`, or `--all`
//! to import each under a name of its own.

use super::extract::shown;
use super::import::{Request, invalid, read_json, str_list};
use super::{ImageError, Result, Store};
use serde_json::Value;
use std::path::Path;

/// Which images of an archive to import.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pick {
    /// The only one: an archive with several is refused with their list.
    Only,
    /// The Nth (from 1), as that list numbers them.
    Number(usize),
    /// Every one, named NAME-1, NAME-2, … in the list's order.
    All,
}

/// The two layouts of an image archive with a manifest.
#[derive(Clone, Copy)]
pub(super) enum Layout {
    /// `oci-layout` and `index.json`, blobs by digest.
    Oci,
    /// `docker save`: `manifest.json` naming files.
    DockerSave,
}

/// One image an archive holds: how the list shows it, and its entry
/// (docker save's manifest entry, or an OCI index's descriptor).
pub(super) struct Listed {
    pub(super) label: String,
    pub(super) entry: Value,
}

pub(super) fn listed(layout: Layout, tree: &Path) -> Result<Vec<Listed>> {
    let (file, key) = match layout {
        Layout::Oci => ("index.json", "manifests"),
        Layout::DockerSave => ("manifest.json", ""),
    };
    let top = read_json(tree, file)?;
    let entries = if key.is_empty() { &top } else { &top[key] };
    let entries =
        entries.as_array().filter(|a| !a.is_empty()).ok_or_else(|| invalid(format!("{file} lists no image")))?;
    Ok(entries.iter().map(|e| Listed { label: label(layout, e), entry: e.clone() }).collect())
}

/// Tags, or the OCI reference name and platform: text from the archive,
/// escaped so that it cannot forge a line or move the cursor.
fn label(layout: Layout, entry: &Value) -> String {
    let mut parts = match layout {
        Layout::DockerSave => str_list(&entry["RepoTags"]),
        Layout::Oci => {
            entry["annotations"]["org.opencontainers.image.ref.name"].as_str().map(String::from).into_iter().collect()
        }
    };
    if let (Some(os), Some(arch)) = (entry["platform"]["os"].as_str(), entry["platform"]["architecture"].as_str()) {
        parts.push(format!("{os}/{arch}"));
    }
    if parts.is_empty() {
        parts.push("untagged".into());
    }
    shown(parts.join(" ").as_bytes())
}

/// The images `req.pick` asks for, each with the name it is imported as.
pub(super) fn choose(mut listed: Vec<Listed>, req: &Request, archive: &Path) -> Result<Vec<(String, Value)>> {
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
    let entry = listed.swap_remove(n - 1).entry;
    let tagged = if req.named { None } else { references(&entry).iter().find_map(|r| name_of_reference(r)) };
    Ok(vec![(tagged.unwrap_or_else(|| req.name.to_string()), entry)])
}

/// The names an archive gives an image: docker save's `RepoTags`, an OCI
/// index's `org.opencontainers.image.ref.name` annotation.
fn references(entry: &Value) -> Vec<String> {
    let mut refs = str_list(&entry["RepoTags"]);
    refs.extend(entry["annotations"]["org.opencontainers.image.ref.name"].as_str().map(String::from));
    refs
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
