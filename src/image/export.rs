//! `image export`: an image as an archive real engines load — an OCI image
//! layout (`oci-layout`, `index.json`, blobs by digest) and, for the
//! `docker` format, also the `manifest.json` that `docker load` and
//! `podman load` read (as `docker save` has written since Docker 25).
//!
//! The store keeps layers as trees, not tars, so each layer is written as
//! a tar again (`layer_tar`: overlayfs's whiteouts become `.wh.` names) and
//! its digest — the diff ID the config lists — is computed while it
//! streams. The layer goes straight into the archive: a placeholder header
//! first, the layer's bytes, then the header written over the placeholder
//! once its name (the digest) and size are known. So a layer is read once
//! and written once, like `tar -cf` would.

use super::config::{self, ImageConfiguration};
use super::docker_archive::ManifestEntry;
use super::extract::HashPipe;
use super::layer_tar::{Times, write_tree};
use super::{ImageError, ImageRecord, Result, Store};
use oci_spec::image::{
    Descriptor, DescriptorBuilder, Digest, ImageIndexBuilder, ImageManifestBuilder, MediaType, OciLayoutBuilder,
};
use sha2::Sha256;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `manifest.json` plus an OCI layout: what `docker save` writes.
    Docker,
    /// An OCI image layout alone.
    Oci,
}

/// What was written.
pub struct Exported {
    pub layers: usize,
    pub bytes: u64,
}

/// The archive's writer: the output file, where it is, and the end blocks.
struct Archive {
    out: BufWriter<File>,
    at: u64,
}

impl Archive {
    fn header(path: &str, size: u64) -> Result<tar::Header> {
        let mut h = tar::Header::new_ustar();
        h.set_path(path).map_err(|e| ImageError::Invalid(format!("{path}: {e}")))?;
        h.set_size(size);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_entry_type(tar::EntryType::Regular);
        h.set_cksum();
        Ok(h)
    }

    fn write(&mut self, bytes: &[u8], file: &Path) -> Result<()> {
        self.out.write_all(bytes).map_err(ImageError::io(file))?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    fn pad(&mut self, size: u64, file: &Path) -> Result<()> {
        let rest = (512 - size % 512) % 512;
        self.write(&vec![0u8; rest as usize], file)
    }

    /// A small file whose bytes are known.
    fn file(&mut self, path: &str, bytes: &[u8], file: &Path) -> Result<()> {
        let h = Self::header(path, bytes.len() as u64)?;
        self.write(h.as_bytes(), file)?;
        self.write(bytes, file)?;
        self.pad(bytes.len() as u64, file)
    }

    /// A blob by its digest; returns the descriptor that names it.
    fn blob(&mut self, media_type: MediaType, bytes: &[u8], file: &Path) -> Result<Descriptor> {
        let digest = format!("sha256:{}", hex::encode(<Sha256 as sha2::Digest>::digest(bytes)));
        self.file(&format!("blobs/sha256/{}", &digest[7..]), bytes, file)?;
        Ok(Descriptor::new(media_type, bytes.len() as u64, parse_digest(&digest)?))
    }

    /// A JSON document (`oci-spec`'s types) as a blob.
    fn json_blob(&mut self, media_type: MediaType, value: &impl serde::Serialize, file: &Path) -> Result<Descriptor> {
        self.blob(media_type, &to_json(value)?, file)
    }

    /// A layer tree as a tar blob: its digest and size.
    fn layer(&mut self, tree: &Path, file: &Path) -> Result<(String, u64)> {
        let start = self.at;
        self.write(&[0u8; 512], file)?;
        let mut counted = Counted { inner: &mut self.out, hash: HashPipe::start(), bytes: 0 };
        write_tree(tree, &mut counted, Times::Keep)?;
        let (digest, size) = (counted.hash.finish(), counted.bytes);
        self.at += size;
        self.pad(size, file)?;
        let h = Self::header(&format!("blobs/sha256/{}", &digest[7..]), size)?;
        self.out.seek(SeekFrom::Start(start)).map_err(ImageError::io(file))?;
        self.out.write_all(h.as_bytes()).map_err(ImageError::io(file))?;
        self.out.seek(SeekFrom::Start(self.at)).map_err(ImageError::io(file))?;
        Ok((digest, size))
    }
}

/// A writer that counts what passes through it and hashes it on another
/// thread (`HashPipe`): the hash would otherwise cost half again what
/// writing the tar does.
struct Counted<'w, W: Write> {
    inner: &'w mut W,
    hash: HashPipe,
    bytes: u64,
}

impl<W: Write> Write for Counted<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `image` to `file` (a new file: the caller renames it into place),
/// named `tag` in the archive (`NAME:latest` when None).
pub fn export(store: &Store, image: &ImageRecord, file: &Path, format: Format, tag: Option<&str>) -> Result<Exported> {
    let out = File::create(file).map_err(ImageError::io(file))?;
    let mut a = Archive { out: BufWriter::with_capacity(1 << 20, out), at: 0 };
    let mut layers = vec![];
    for digest in &image.layers {
        store.layer(digest)?;
        let (d, size) = a.layer(&store.layer_tree(digest), file)?;
        layers.push((d, size));
    }
    let diff_ids: Vec<String> = layers.iter().map(|(d, _)| d.clone()).collect();
    let mut config: ImageConfiguration = image.config.clone().unwrap_or_default();
    config.set_history(Some(config::history_of(store, image)));
    config.rootfs_mut().set_diff_ids(diff_ids.clone());
    if config.created().is_none() {
        config.set_created(Some(config::timestamp(image.created_at)));
    }
    let config_desc = a.json_blob(MediaType::ImageConfig, &config, file)?;
    let layer_descs = layers
        .iter()
        .map(|(d, size)| Ok(Descriptor::new(MediaType::ImageLayer, *size, parse_digest(d)?)))
        .collect::<Result<Vec<_>>>()?;
    let manifest = ImageManifestBuilder::default()
        .schema_version(2u32)
        .media_type(MediaType::ImageManifest)
        .config(config_desc.clone())
        .layers(layer_descs)
        .build()
        .map_err(spec_error)?;
    let manifest_desc = a.json_blob(MediaType::ImageManifest, &manifest, file)?;
    let tag = tag.map_or_else(|| format!("{}:latest", image.name), str::to_string);
    // The OCI name and the one containerd (so `docker load`) reads.
    let annotations = HashMap::from([
        ("org.opencontainers.image.ref.name".to_string(), tag.clone()),
        ("io.containerd.image.name".to_string(), format!("docker.io/library/{tag}")),
    ]);
    let manifest_desc = DescriptorBuilder::default()
        .media_type(MediaType::ImageManifest)
        .digest(manifest_desc.digest().clone())
        .size(manifest_desc.size())
        .annotations(annotations)
        .build()
        .map_err(spec_error)?;
    let index = ImageIndexBuilder::default()
        .schema_version(2u32)
        .media_type(MediaType::ImageIndex)
        .manifests(vec![manifest_desc])
        .build()
        .map_err(spec_error)?;
    a.file("index.json", &to_json(&index)?, file)?;
    let layout = OciLayoutBuilder::default().image_layout_version("1.0.0").build().map_err(spec_error)?;
    a.file("oci-layout", &to_json(&layout)?, file)?;
    if format == Format::Docker {
        let blob_path = |d: &Digest| format!("blobs/sha256/{}", d.digest());
        let entry = ManifestEntry {
            config: blob_path(config_desc.digest()),
            repo_tags: Some(vec![tag]),
            layers: diff_ids.iter().map(|d| format!("blobs/sha256/{}", &d[7..])).collect(),
        };
        a.file("manifest.json", &to_json(&[entry])?, file)?;
    }
    a.write(&[0u8; 1024], file)?;
    a.out.flush().map_err(ImageError::io(file))?;
    // Not fsync'd, as `tar -cf` and `docker save` do not: the archive is
    // renamed into place whole, and the page cache writes it back.
    a.out.into_inner().map_err(|e| ImageError::io(file)(e.into_error()))?;
    Ok(Exported { layers: layers.len(), bytes: a.at })
}

fn spec_error(e: oci_spec::OciSpecError) -> ImageError {
    ImageError::Invalid(format!("image export: {e}"))
}

fn parse_digest(d: &str) -> Result<Digest> {
    d.parse().map_err(spec_error)
}

/// JSON with its object keys sorted (through `serde_json::Value`, whose maps
/// are ordered): `oci-spec` keeps annotations in a `HashMap`, and an export
/// should not change from one run to the next.
fn to_json(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    let sorted = serde_json::to_value(value).map_err(|e| ImageError::Invalid(e.to_string()))?;
    Ok(sorted.to_string().into_bytes())
}
