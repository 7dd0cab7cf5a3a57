use super::Ctx;
use super::work::Made;
use crate::cli::LayerCommand;
use crate::error::{Error, Result, UsageError};
use crate::executor::{ApplyOptions, apply};
use crate::i18n::tr;
use crate::image::Store;
use crate::output::outcome::Said;
use crate::plan::Plan;
use crate::plan::op;
use crate::plan::work::WorkHost;
use crate::stage::rootfs;
use crate::stage::{self, NamespaceKind};
use crate::state::{BoxRecord, BoxState, HeldNamespace, Holder, LayerRole, StackLayer, names, stack};
use std::path::PathBuf;

/// A mounted stack cannot change its lower layers, so the box gets a new
/// mount namespace (its hold is released and made again) and the overlay is
/// mounted anew over the longer stack; the container layer is kept.
fn remount(ctx: &Ctx, record: &mut BoxRecord, store: &Store) -> Result<Plan> {
    let Some(hold) = record.handle(NamespaceKind::Mnt) else {
        return Err(UsageError::RootfsNoMnt { name: record.name.clone() }.into());
    };
    let mut fresh = record.clone();
    fresh.namespaces.remove(&NamespaceKind::Mnt);
    fresh.rootfs_mounted = false;
    let req = stage::UnshareRequest { kinds: [NamespaceKind::Mnt].into(), ..Default::default() };
    let mut ops = vec![op::Release { kind: NamespaceKind::Mnt, path: hold }.into()];
    ops.extend(stage::plan_unshare(&ctx.root, &fresh, &req, &super::unshare::host_facts())?.ops);
    let renew = Plan::new(ops);
    let opts = ApplyOptions { explain: ctx.explain, ..Default::default() };
    apply(&renew, &opts)?;
    for op in &renew.ops {
        if let Some(op::Hold { kind, path }) = op.as_ns_host() {
            let inode = crate::sys::ns::inode(path)?;
            record
                .namespaces
                .insert(*kind, HeldNamespace { inode, holder: Holder::BindMount { path: path.clone() }, shared: None });
        }
    }
    record.rootfs_mounted = false;
    let mount = rootfs::plan(&ctx.root, record, lower_trees(store, &record.layers))?;
    apply(&mount, &opts)?;
    record.rootfs_mounted = true;
    Ok(Plan::new(renew.ops.into_iter().chain(mount.ops).collect()))
}

/// The trees overlayfs stacks for a box, top first.
pub fn lower_trees(store: &Store, layers: &[StackLayer]) -> Vec<PathBuf> {
    layers.iter().rev().map(|l| store.layer_tree(&l.digest)).collect()
}

pub fn run(name: &str, image: &str, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    names::validate("image", image)?;
    let store = Store::open(&ctx.root)?;
    let img = store.image(image)?;
    let base = Base { layers: &img.layers, label: image, config: img.run_config().cloned() };
    let Some(record) = mount(name, &store, base, ctx, typed)? else { return Ok(0) };
    let count = |role| record.layers.iter().filter(|l| l.role == role).count();
    let added = match count(LayerRole::Layer) {
        0 => String::new(),
        n => tr!("step-rootfs-added", count = n),
    };
    let base = count(LayerRole::Base);
    let said = Said::new(
        crate::model::when_json(&ctx.root, &record),
        tr!("step-rootfs", name = name, base = base, image = image, added = added),
    );
    ctx.show(said.and(tr!("step-rootfs-try", name = name)))
}

/// A layer cannot go under a stack that processes are using. What to do
/// depends on what keeps them there: a main process can be stopped and
/// the stack mounted again; an init cannot, for the box ends with it.
fn too_late_for_a_layer(record: &BoxRecord) -> Error {
    let name = record.name.clone();
    Error::Usage(match (record.state(), record.init.is_some()) {
        (BoxState::Stopped, _) => UsageError::LayerAfterStop { name },
        (_, true) => UsageError::LayerUnderInit { name },
        _ => UsageError::LayerUnderMain { name },
    })
}

/// What a root filesystem is stacked from: an image's layers (or, for a
/// `build` step, the image so far), its name, its run config.
pub struct Base<'a> {
    pub layers: &'a [String],
    pub label: &'a str,
    pub config: Option<crate::image::config::Config>,
}

/// The step itself (for `build` too): the box's record after it, None for a dry run.
pub fn mount(name: &str, store: &Store, base: Base, ctx: &Ctx, typed: Vec<String>) -> Result<Option<BoxRecord>> {
    let (_lock, mut record) = ctx.open(name)?;
    let mut layers = stack::image_layers(base.layers, LayerRole::Base, &format!("image {}", base.label));
    layers.extend(record.layers.iter().filter(|l| l.role == LayerRole::Layer).cloned());
    let plan = rootfs::plan(&ctx.root, &record, lower_trees(store, &layers))?;
    stack::check(name, &layers, "use an image with fewer layers, or make the box again with fewer `layer add`s")?;
    if ctx.dry_run_shows(&plan) {
        return Ok(None);
    }
    // The tree is built apart and handed over whole: a failure before the
    // hand-over leaves the box's mount namespace as it was.
    ctx.apply_noted(&mut record, &typed, &plan, |e| rootfs::failure_left_box_as_it_was(&plan, e.index))?;
    record.image = Some(base.label.to_string());
    record.image_config = base.config;
    record.layers = layers;
    record.rootfs_mounted = true;
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    Ok(Some(record))
}

pub fn layer(cmd: LayerCommand, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    let LayerCommand::Add { name, source } = cmd;
    let (_lock, mut record) = ctx.open(&name)?;
    if record.rootfs_mounted && record.state() != BoxState::Created {
        return Err(too_late_for_a_layer(&record));
    }
    let store = if ctx.dry_run { Store::at(&ctx.root) } else { Store::open(&ctx.root)? };
    let fix = "put the folders together and add them as one layer, or start from an image with fewer layers";
    let path = PathBuf::from(&source);
    let folder = path.is_dir();
    let added: Vec<StackLayer> = if folder || path.is_file() {
        // One more: counted before the folder or archive goes into the store.
        stack::check_count(&format!("box {name}"), record.layers.len() + 1, fix)?;
        let op = WorkHost::StoreLayer { source: path, folder, typed: source, state: ctx.root.state.clone() };
        let made = super::work::run(ctx, op).map_err(|e| match e {
            // A folder or archive that cannot be opened is the state's error, as ever.
            Error::Image(crate::image::ImageError::State(e)) => Error::State(e),
            other => other,
        })?;
        let Some((_, Made::Layer { meta, source })) = made else { return Ok(0) };
        vec![StackLayer { digest: meta.digest, role: LayerRole::Layer, source }]
    } else {
        let img = names::validate("image", &source).ok().and_then(|_| store.image(&source).ok()).ok_or_else(|| {
            Error::from(UsageError::LayerUnknown { source: format!("{:?}", source.escape_debug().to_string()) })
        })?;
        stack::image_layers(&img.layers, LayerRole::Layer, &format!("image {source}"))
    };
    let n = added.len();
    let mut layers = record.layers.clone();
    layers.extend(added);
    stack::check(&name, &layers, fix)?;
    record.layers = layers;
    let plan = if record.rootfs_mounted {
        // The old mount namespace is let go first: a failure after that
        // leaves a box with none to run in, recorded as broken.
        record.begin(&ctx.root, &typed)?;
        let plan = remount(ctx, &mut record, &store)?;
        record.unfinished = None;
        plan
    } else {
        Plan::default()
    };
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    let said = tr!("step-layer-added", name = name, count = n, total = record.layers.len());
    ctx.show(Said::new(crate::model::when_json(&ctx.root, &record), said))
}
