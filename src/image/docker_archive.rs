//! `manifest.json` of a `docker save` archive: one entry per image, naming
//! its config and its layer tars by path inside the archive, and its tags.
//!
//! The OCI image spec has no type for it (it is Docker's own format, older
//! than the spec's image layout), so `oci-spec` has none either: this small
//! struct is the one hand-written piece of the archive formats. Docker
//! writes more fields (`LayerSources`); they are ignored.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManifestEntry {
    /// The image's config, e.g. `blobs/sha256/<hex>` (Docker 25 on) or `<hex>.json`.
    pub config: String,
    /// `name:tag` references; `null` for an image saved by its ID.
    #[serde(default)]
    pub repo_tags: Option<Vec<String>>,
    /// The layer tars, bottom first, in the order of the config's diff IDs.
    pub layers: Vec<String>,
}

impl ManifestEntry {
    pub fn tags(&self) -> &[String] {
        self.repo_tags.as_deref().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::ManifestEntry;

    #[test]
    fn an_entry_reads_docker_s_names_and_untagged_images() {
        let text = r#"[{"Config":"c.json","RepoTags":["a:1"],"Layers":["l.tar"],"LayerSources":{}},
                       {"Config":"d.json","RepoTags":null,"Layers":[]}]"#;
        let entries: Vec<ManifestEntry> = serde_json::from_str(text).unwrap();
        assert_eq!(entries[0].tags(), ["a:1"]);
        assert_eq!(entries[0].layers, ["l.tar"]);
        assert!(entries[1].tags().is_empty());
        let out = serde_json::to_string(&entries[0]).unwrap();
        assert_eq!(out, r#"{"Config":"c.json","RepoTags":["a:1"],"Layers":["l.tar"]}"#);
        assert!(serde_json::from_str::<Vec<ManifestEntry>>(r#"[{"Layers":[]}]"#).is_err(), "Config is required");
    }
}
