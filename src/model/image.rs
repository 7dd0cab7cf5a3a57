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

#[derive(Serialize)]
struct Inspected<'a> {
    name: &'a str,
    source: &'a str,
    created_at: u64,
    layers: Vec<LayerInfo>,
    config: Option<&'a crate::image::config::ImageConfiguration>,
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

/// What `image inspect NAME --json` prints, of an image already found:
/// lesson checks read it too.
pub fn inspected(store: &Store, name: &str, image: &ImageRecord) -> serde_json::Value {
    let out = Inspected {
        name,
        source: &image.source,
        created_at: image.created_at,
        layers: layers(store, image),
        config: image.config.as_ref(),
    };
    serde_json::to_value(out).expect("an image serialises")
}
