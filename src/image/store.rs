//! The layer store and the image records under the state root.
//!
//! `layers/sha256-<hex>/fs` is a layer's tree and `layer.json` what it is;
//! `images/<name>.json` lists an image's layers, bottom first. The store is
//! mode 0700 (see `state::private`): a layer may hold setuid binaries, which
//! no other host user may reach. Registration is atomic: a layer is extracted into a staging folder
//! and renamed into place only once complete, so a killed import leaves
//! nothing registered, and two imports of the same archive end with one layer.
//! Registering an import's layers and saving its records, and removing layers
//! no image uses, hold one lock (`Store::lock`), so a removal never takes a
//! layer registered a moment ago and not recorded yet.

use super::extract::{self, Extracted, Limits};
use super::{ImageError, Result};
use crate::state::Root;
use crate::state::record::write_atomic;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerMeta {
    /// "sha256:<hex>" of the uncompressed tar.
    pub digest: String,
    pub source: String,
    pub files: u64,
    pub bytes: u64,
    pub created_at: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageRecord {
    pub name: String,
    /// Layer digests, bottom (base) first.
    pub layers: Vec<String>,
    pub source: String,
    pub created_at: u64,
    /// How to run it and its history (kept at import, written by `build`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<super::config::ImageConfiguration>,
}

impl ImageRecord {
    /// The runtime part of the config (Cmd, Env, …), when it has one.
    pub fn run_config(&self) -> Option<&super::config::Config> {
        self.config.as_ref().and_then(|c| c.config().as_ref())
    }
}

pub struct Store {
    root: Root,
}

/// The store's lock (`Store::lock`), released when dropped.
pub struct StoreLock {
    _file: std::fs::File,
}

static STAGING: AtomicU32 = AtomicU32::new(0);

impl Store {
    /// The store as it is, for reading only: makes and cleans nothing (the
    /// model and the web page look; they never change the store).
    pub fn at(root: &Root) -> Store {
        Store { root: root.clone() }
    }

    pub fn open(root: &Root) -> Result<Store> {
        let store = Store { root: root.clone() };
        for dir in [store.layers_dir(), store.images_dir()] {
            crate::state::private::make_private_dir(&dir).map_err(ImageError::io(&dir))?;
        }
        store.remove_stale_scratch();
        Ok(store)
    }

    /// Staging folders of imports that were killed (their pid is gone).
    fn remove_stale_scratch(&self) {
        let Ok(dir) = std::fs::read_dir(self.layers_dir()) else { return };
        for e in dir.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let pid = name
                .strip_prefix(".scratch-")
                .and_then(|rest| rest.rsplit('-').nth(1))
                .and_then(|p| p.parse::<i32>().ok());
            let stale =
                pid.is_some_and(|pid| pid != std::process::id() as i32 && crate::sys::proc::start_time(pid).is_none());
            if stale {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }

    fn layers_dir(&self) -> PathBuf {
        self.root.layers_dir()
    }
    fn images_dir(&self) -> PathBuf {
        self.root.images_dir()
    }

    /// The folder of one layer (digest "sha256:<hex>").
    pub fn layer_dir(&self, digest: &str) -> PathBuf {
        self.layers_dir().join(digest.replace(':', "-"))
    }

    /// The tree overlayfs stacks.
    pub fn layer_tree(&self, digest: &str) -> PathBuf {
        self.layer_dir(digest).join("fs")
    }

    pub fn layer(&self, digest: &str) -> Result<LayerMeta> {
        let path = self.layer_dir(digest).join("layer.json");
        let text = std::fs::read_to_string(&path).map_err(|_| ImageError::MissingLayer(digest.into()))?;
        serde_json::from_str(&text).map_err(|e| ImageError::Corrupt { path, reason: e.to_string() })
    }

    /// Extracts a tar stream into staging, then registers it under its digest.
    pub fn add_layer(
        &self,
        reader: impl Read,
        source: &str,
        limits: &Limits,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(LayerMeta, Extracted)> {
        let staging = self.scratch_dir("staging")?;
        let result =
            self.unpack(reader, &staging, limits, progress).and_then(|x| Ok((self.register(&staging, &x, source)?, x)));
        let _ = std::fs::remove_dir_all(&staging);
        result
    }

    /// Extracts a tar stream into `staging/fs` without registering it.
    pub fn unpack(
        &self,
        reader: impl Read,
        staging: &Path,
        limits: &Limits,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Extracted> {
        let tree = staging.join("fs");
        std::fs::create_dir_all(&tree).map_err(ImageError::io(&tree))?;
        Ok(extract::extract_layer(reader, &tree, limits, progress)?)
    }

    /// Moves an unpacked staging folder into the store under its digest.
    pub fn register(&self, staging: &Path, extracted: &Extracted, source: &str) -> Result<LayerMeta> {
        let meta = LayerMeta {
            digest: extracted.diff_id.clone(),
            source: source.to_string(),
            files: extracted.files,
            bytes: extracted.bytes,
            created_at: crate::state::record::now(),
        };
        let meta_path = staging.join("layer.json");
        std::fs::write(&meta_path, serde_json::to_vec_pretty(&meta).expect("serialises"))
            .map_err(ImageError::io(&meta_path))?;
        let final_dir = self.layer_dir(&meta.digest);
        match std::fs::rename(staging, &final_dir) {
            Ok(()) => Ok(meta),
            // Another import registered the same digest first: keep theirs.
            Err(_) if final_dir.join("layer.json").exists() => self.layer(&meta.digest),
            Err(e) => Err(ImageError::io(&final_dir)(e)),
        }
    }

    /// A fresh folder under the store for building a tree or a tar.
    pub fn scratch_dir(&self, what: &str) -> Result<PathBuf> {
        // Names start with a dot: never mistaken for a registered layer.
        let n = STAGING.fetch_add(1, Ordering::SeqCst);
        let dir = self.layers_dir().join(format!(".scratch-{what}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(ImageError::io(&dir))?;
        Ok(dir)
    }

    /// A folder becomes a layer: written as a tar, then added like any archive.
    pub fn add_tree(&self, dir: &Path, source: &str, times: super::layer_tar::Times) -> Result<LayerMeta> {
        let scratch = self.scratch_dir("tar")?;
        let tar_path = scratch.join("layer.tar");
        let result = (|| {
            let file = std::fs::File::create(&tar_path).map_err(ImageError::io(&tar_path))?;
            super::layer_tar::write_tree(dir, std::io::BufWriter::new(file), times)?;
            let file = std::fs::File::open(&tar_path).map_err(ImageError::io(&tar_path))?;
            Ok(self.add_layer(std::io::BufReader::new(file), source, &Limits::own_tree(), &mut |_| {})?.0)
        })();
        let _ = std::fs::remove_dir_all(&scratch);
        result
    }

    /// A built tree (busybox, from-host) becomes a one-layer image. Times
    /// are fixed, so building the same tree again gives the same layer.
    pub fn image_of_tree(
        &self,
        name: &str,
        tree: &Path,
        layer_source: &str,
        image_source: String,
    ) -> Result<ImageRecord> {
        let layer = self.add_tree(tree, layer_source, super::layer_tar::Times::Fixed(0))?;
        let image = ImageRecord {
            name: name.into(),
            layers: vec![layer.digest],
            source: image_source,
            created_at: crate::state::record::now(),
            config: None,
        };
        self.save_image(&image)?;
        Ok(image)
    }

    /// Held while layers are registered and records saved, and while unused
    /// layers are removed: otherwise a removal could take a layer another
    /// import has just registered and not yet recorded. flock(2): a killed
    /// glassbox releases it with its last descriptor.
    pub fn lock(&self) -> Result<StoreLock> {
        let path = self.images_dir().join(".lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(ImageError::io(&path))?;
        crate::sys::fd::lock_exclusive(&file).map_err(|e| ImageError::Io { path, source: e.source })?;
        Ok(StoreLock { _file: file })
    }

    /// Refuses a name an image already has: replacing an image is asked
    /// for (`--force`, where a command offers it), never done silently.
    pub fn refuse_taken(&self, name: &str, force_flag: bool) -> Result<()> {
        match self.images_dir().join(format!("{name}.json")).exists() {
            true => Err(ImageError::NameTaken { name: name.into(), force_flag }),
            false => Ok(()),
        }
    }

    pub fn image(&self, name: &str) -> Result<ImageRecord> {
        let path = self.images_dir().join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).map_err(|_| ImageError::NoSuchImage(name.into()))?;
        serde_json::from_str(&text).map_err(|e| ImageError::Corrupt { path, reason: e.to_string() })
    }

    pub fn save_image(&self, image: &ImageRecord) -> Result<()> {
        let path = self.images_dir().join(format!("{}.json", image.name));
        write_atomic(&path, &serde_json::to_vec_pretty(image).expect("serialises")).map_err(ImageError::State)
    }

    pub fn images(&self) -> Vec<ImageRecord> {
        let Ok(dir) = std::fs::read_dir(self.images_dir()) else { return vec![] };
        let mut v: Vec<ImageRecord> = dir
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.strip_suffix(".json").map(String::from))
            .filter_map(|n| self.image(&n).ok())
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }

    /// Removing an image: its record, then every layer no other image and
    /// no box uses (planned with the store's lock held, see [`Store::lock`]).
    pub fn plan_remove_image(&self, name: &str) -> Result<Vec<crate::plan::Op>> {
        use crate::plan::{Op, op};
        let path = self.images_dir().join(format!("{name}.json"));
        if !path.exists() {
            return Err(ImageError::NoSuchImage(name.into()));
        }
        let mut ops = vec![Op::from(op::RemoveFile { path, why: format!("the record of image {name}") })];
        let used: Vec<String> = self.images().into_iter().filter(|i| i.name != name).flat_map(|i| i.layers).collect();
        let boxes_used = crate::state::BoxRecord::layer_digests(&self.root);
        let mut layers: Vec<String> = std::fs::read_dir(self.layers_dir())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().replacen('-', ":", 1))
            .filter(|d| !d.starts_with('.') && !used.contains(d) && !boxes_used.contains(d))
            .collect();
        layers.sort();
        for digest in layers {
            let why = format!("layer {} is used by no other image and no box", &digest[..digest.len().min(19)]);
            ops.push(Op::from(op::RemoveTree { path: self.layer_dir(&digest), why }));
        }
        Ok(ops)
    }

    /// Removes those of `digests` that no image and no box uses. Only these:
    /// a layer another import registered a moment ago is not used yet either.
    pub fn remove_unused(&self, digests: &[String]) {
        let used: Vec<String> = self.images().into_iter().flat_map(|i| i.layers).collect();
        let boxes_used = crate::state::BoxRecord::layer_digests(&self.root);
        for digest in digests.iter().filter(|d| !used.contains(d) && !boxes_used.contains(d)) {
            let _ = std::fs::remove_dir_all(self.layer_dir(digest));
        }
    }
}
