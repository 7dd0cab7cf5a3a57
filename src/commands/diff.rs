use super::Ctx;
use super::work::Made;
use crate::error::{Error, Result, UsageError};
use crate::image::Store;
use crate::image::view::{Found, LayerView, Symlinks};
use crate::output::outcome::Said;
use crate::output::say_to;
use crate::plan::work::WorkHost;
use crate::state::{BoxRecord, names};
use crate::sys::tree;
use std::path::{Path, PathBuf};

/// One change in the container layer, like a line of `docker diff`.
#[derive(Debug, serde::Serialize, PartialEq)]
pub struct Change {
    pub kind: char,
    pub path: String,
}

/// Walks the container layer: a 0/0 character device is a deletion, a path
/// that the layers below also have is a change, anything else was added.
/// The box may be writing the layer meanwhile: the walk and the look into
/// the layers below go by descriptor and follow no symlink (`sys::tree`).
pub fn changes(upper: &Path, lowers: &[PathBuf]) -> Result<Vec<Change>> {
    if !upper.exists() {
        return Ok(vec![]);
    }
    let below = LayerView::open(lowers);
    let mut out = vec![];
    tree::walk(upper, |e| {
        let kind = if e.stat.is_whiteout() {
            'D'
        } else if matches!(below.find(e.rel, Symlinks::Never)?, Found::In { .. }) {
            'C'
        } else {
            'A'
        };
        out.push(Change { kind, path: Path::new("/").join(e.rel).display().to_string() });
        Ok::<_, Error>(())
    })?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

pub fn diff(name: &str, ctx: &Ctx) -> Result<u8> {
    names::validate("box", name)?;
    let record = BoxRecord::load(&ctx.root, name)?;
    let store = Store::open(&ctx.root)?;
    let (upper, _) = ctx.root.container_layer(name);
    let list = changes(&upper, &super::rootfs::lower_trees(&store, &record.layers))?;
    ctx.show(Changes(list))
}

/// `diff`: the changes, one per line as `docker diff` prints them (JSON:
/// the list of them).
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Changes(Vec<Change>);

impl std::fmt::Display for Changes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in &self.0 {
            say_to!(f, "{} {}", c.kind, c.path)?;
        }
        if self.0.is_empty() {
            say_to!(f, "{}", crate::i18n::tr!("diff-empty"))?;
        }
        Ok(())
    }
}

pub fn commit(name: &str, image: &str, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    names::validate("image", image)?;
    let (_lock, mut record) = ctx.open(name)?;
    if !record.rootfs_mounted {
        return Err(UsageError::CommitNoRootfs { name: name.into() }.into());
    }
    let store = if ctx.dry_run { Store::at(&ctx.root) } else { Store::open(&ctx.root)? };
    store.refuse_taken(image, false)?;
    // The box's layers and its container layer, one image no box could stack.
    let fix = "build the box from an image with fewer layers, then commit it";
    crate::state::stack::check_count(&format!("image {image}"), record.layers.len() + 1, fix)?;
    let (upper, _) = ctx.root.container_layer(name);
    let op = WorkHost::CommitBox { box_name: name.into(), image: image.into(), upper, state: ctx.root.state.clone() };
    let Some((plan, Made::Commit { layer, image: made })) = super::work::run(ctx, op)? else { return Ok(0) };
    let n = made.layers.len();
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    let top = crate::model::format::short(&layer.digest);
    let said =
        crate::i18n::tr!("step-committed", image = image, count = n, top = top, files = layer.files, name = name);
    ctx.show(Said::new(store.image(image)?, said))
}
