//! The model of an image: its layers and config, as `image inspect --json`
//! prints them and lesson checks read them.

use crate::image::{ImageRecord, Store};
use serde::Serialize;

#[derive(Serialize)]
pub struct LayerInfo {
    pub digest: String,
    pub files: u64,
    pub bytes: u64,
    pub source: String,
}

/// `image inspect`: the image, its layers and its config.
#[derive(Serialize)]
pub struct Inspected {
    pub name: String,
    pub source: String,
    pub created_at: u64,
    pub layers: Vec<LayerInfo>,
    pub config: Option<crate::image::config::ImageConfiguration>,
}

pub fn layers(store: &Store, image: &ImageRecord) -> Vec<LayerInfo> {
    let info = |d: &String| {
        let meta = store.layer(d).ok();
        LayerInfo {
            digest: d.clone(),
            files: meta.as_ref().map_or(0, |m| m.files),
            bytes: meta.as_ref().map_or(0, |m| m.bytes),
            source: meta.map(|m| m.source).unwrap_or_default(),
        }
    };
    image.layers.iter().map(info).collect()
}

impl Inspected {
    pub fn of(store: &Store, name: &str, image: &ImageRecord) -> Inspected {
        Inspected {
            name: name.into(),
            source: image.source.clone(),
            created_at: image.created_at,
            layers: layers(store, image),
            config: image.config.clone(),
        }
    }
}

/// What `image inspect NAME --json` prints, of an image already found:
/// lesson checks read it too.
pub fn inspected(store: &Store, name: &str, image: &ImageRecord) -> serde_json::Value {
    serde_json::to_value(Inspected::of(store, name, image)).expect("an image serialises")
}
