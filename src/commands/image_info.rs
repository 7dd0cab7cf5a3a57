//! `image inspect` and `image history`: what an image's config says, and
//! which line made which layer.

use super::Ctx;
use crate::error::Result;
use crate::i18n::tr;
use crate::image::config::{Config, History};
use crate::image::{ImageRecord, Store};
use crate::model::format::{human, short};
use crate::model::image::{Inspected, LayerInfo, layers};
use crate::output::say_to;
use crate::state::names;
use serde::Serialize;
use std::fmt::{self, Display, Formatter};

fn inspect_value(store: &Store, name: &str) -> Result<Inspected> {
    names::validate("image", name)?;
    let image = store.image(name)?;
    Ok(Inspected::of(store, name, &image))
}

pub fn inspect(store: &Store, name: &str, ctx: &Ctx) -> Result<u8> {
    ctx.show(inspect_value(store, name)?)
}

impl Display for Inspected {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        say_to!(f, "{}", tr!("image-inspect-title", name = self.name, source = self.source))?;
        match self.config.as_ref().and_then(|c| c.config().as_ref()) {
            Some(c) => config(f, c)?,
            None => say_to!(f, "  {}", tr!("image-inspect-no-config"))?,
        }
        say_to!(f, "  {}", tr!("image-inspect-layers", count = self.layers.len()))?;
        let files = tr!("image-inspect-files");
        for l in &self.layers {
            say_to!(f, "    {}  {:>6} {files} {:>10}  {}", short(&l.digest), l.files, human(l.bytes), l.source)?;
        }
        Ok(())
    }
}

fn config(f: &mut Formatter<'_>, c: &Config) -> fmt::Result {
    let list = |v: &Option<Vec<String>>| v.as_ref().map(|v| serde_json::to_string(v).unwrap_or_default());
    let rows: [(&str, Option<String>); 6] = [
        ("Entrypoint", list(c.entrypoint())),
        ("Cmd", list(c.cmd())),
        ("WorkingDir", c.working_dir().clone()),
        ("User", c.user().clone()),
        ("ExposedPorts", c.exposed_ports().as_ref().map(|p| p.join(" "))),
        ("Volumes", c.volumes().as_ref().map(|v| v.join(" "))),
    ];
    for (key, value) in rows {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            say_to!(f, "  {key:<12} {v}")?;
        }
    }
    for e in c.env().iter().flatten() {
        say_to!(f, "  {:<12} {e}", "Env")?;
    }
    let mut labels: Vec<_> = c.labels().iter().flatten().collect();
    labels.sort();
    for (k, v) in labels {
        say_to!(f, "  {:<12} {k}={v}", "Label")?;
    }
    Ok(())
}

/// One row of `image history`.
#[derive(Serialize)]
struct Row {
    created_by: String,
    /// The layer this line made; None: it changed the config only.
    layer: Option<String>,
    bytes: u64,
    comment: Option<String>,
    created: Option<String>,
}

/// The history's entries matched with the layers: each entry not marked
/// `empty_layer` made the next layer. Without a history (an image of a
/// folder, an old import), a row per layer says where it came from.
fn rows(store: &Store, image: &ImageRecord) -> Vec<Row> {
    let infos = layers(store, image);
    let history: Vec<History> = image.config.as_ref().and_then(|c| c.history().clone()).unwrap_or_default();
    let made = history.iter().filter(|h| h.empty_layer() != Some(true)).count();
    if history.is_empty() || made != infos.len() {
        let row = |l: LayerInfo| Row {
            created_by: l.source,
            layer: Some(l.digest),
            bytes: l.bytes,
            comment: None,
            created: None,
        };
        return infos.into_iter().map(row).collect();
    }
    let mut next = infos.into_iter();
    let row = |h: History| {
        let layer = if h.empty_layer() == Some(true) { None } else { next.next() };
        Row {
            created_by: h.created_by().clone().unwrap_or_default(),
            bytes: layer.as_ref().map_or(0, |l| l.bytes),
            layer: layer.map(|l| l.digest),
            comment: h.comment().clone(),
            created: h.created().clone(),
        }
    };
    history.into_iter().map(row).collect()
}

pub fn history(store: &Store, name: &str, ctx: &Ctx) -> Result<u8> {
    names::validate("image", name)?;
    let image = store.image(name)?;
    let rows = rows(store, &image);
    ctx.show(Rows(rows))
}

/// `image history`: a row per line of the build (JSON: the list of rows).
#[derive(Serialize)]
#[serde(transparent)]
struct Rows(Vec<Row>);

impl Display for Rows {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let (layer, size) = (crate::i18n::pad(&tr!("history-col-layer"), 14), tr!("history-col-size"));
        let (size, build) = (crate::i18n::pad_left(&size, 10), crate::i18n::pad(&tr!("history-col-build"), 16));
        say_to!(f, "{:<3} {layer} {size}  {build} {}", "#", tr!("history-col-created-by"))?;
        let config_only = tr!("history-config-only");
        for (i, r) in self.0.iter().enumerate() {
            let layer = r.layer.as_deref().map_or(config_only.clone(), short);
            let build = r.comment.as_deref().unwrap_or("");
            let build = build.strip_prefix("glassbox build: ").unwrap_or(build);
            let line: String = r.created_by.chars().take(200).collect();
            let (layer, build) = (crate::i18n::pad(&layer, 14), crate::i18n::pad(build, 16));
            say_to!(f, "{:<3} {layer} {:>10}  {build} {line}", i + 1, human(r.bytes))?;
        }
        Ok(())
    }
}
