use super::Ctx;
use crate::error::{Result, UsageError};
use crate::model::done::{Removed, Reset};
use crate::output::{say, say_err};
use crate::state::{BoxLock, BoxRecord, BoxState, StateError, names};
use crate::sys::mounts;
use crate::teardown;
use std::time::Duration;

pub fn run(name: &str, force: bool, ctx: &Ctx) -> Result<Option<Removed>> {
    names::validate("box", name)?;
    let _lock = BoxLock::acquire(&ctx.root, name, super::LOCK_PATIENCE)?;
    let record = match BoxRecord::load(&ctx.root, name) {
        Ok(r) => Some(r),
        // With --force, debris of a box whose record is gone or torn is removed too.
        Err(StateError::NoSuchBox(_) | StateError::NoRecord(_) | StateError::Corrupt { .. }) if force => None,
        Err(e) => return Err(e.into()),
    };
    if record.as_ref().is_some_and(|r| r.state() == BoxState::Running) && !force {
        return Err(UsageError::BoxRunning { name: name.into() }.into());
    }
    if ctx.dry_run {
        say!(
            "would stop the box's processes, unmount {}, and delete {}",
            ctx.root.runtime_box_dir(name).display(),
            ctx.root.box_dir(name).display()
        );
        return Ok(None);
    }
    remove(ctx, name, record.as_ref())?;
    // What was done to it stays readable (a lesson checks the order of a
    // removed box's steps); a failure to keep it leaves the box removed.
    if let Some(r) = &record {
        if let Err(e) = crate::model::removed::keep(&ctx.root, r) {
            say_err!("warning: {e} (the record of the removed box was not kept)");
        }
    }
    Ok(Some(Removed::new("box", name)))
}

/// Removes a box as `rm --force` does (for `build`'s boxes): its lock held.
pub fn remove_box(ctx: &Ctx, name: &str) -> Result<()> {
    let _lock = BoxLock::acquire(&ctx.root, name, super::LOCK_PATIENCE)?;
    let record = BoxRecord::load(&ctx.root, name).ok();
    remove(ctx, name, record.as_ref())
}

fn remove(ctx: &Ctx, name: &str, record: Option<&BoxRecord>) -> Result<()> {
    teardown::release(&ctx.root, name, record, Duration::from_secs(2))?;
    let dir = ctx.root.box_dir(name);
    match std::fs::remove_dir_all(&dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(StateError::io(dir, e).into()),
        _ => {}
    }
    // After the record is gone: of boxes removed at once (`compose down`),
    // the last to go finds no other on the bridge, and removes it.
    if let Some(net) = record.and_then(|r| r.net.as_ref()) {
        remove_bridge_if_unused(ctx, name, &net.bridge)?;
    }
    Ok(())
}

/// A bridge goes with the last box of this root that used it.
fn remove_bridge_if_unused(ctx: &Ctx, leaving: &str, bridge: &str) -> Result<()> {
    let others = BoxRecord::list(&ctx.root)
        .into_iter()
        .filter(|b| b != leaving)
        .any(|b| BoxRecord::load(&ctx.root, &b).is_ok_and(|r| r.net.is_some_and(|n| n.bridge == bridge)));
    if !others {
        crate::sys::netlink::delete_link(bridge)?;
    }
    Ok(())
}

/// Every lock file (of the boxes just removed, and of commands on boxes
/// that never were), each deleted while held, then their folder if nothing
/// made a new one meanwhile.
fn remove_locks(ctx: &Ctx) -> Result<()> {
    let dir = ctx.root.locks_dir();
    let entries = std::fs::read_dir(&dir).into_iter().flatten().flatten();
    for name in entries.filter_map(|e| e.file_name().to_str().and_then(|f| f.strip_suffix(".lock")).map(String::from)) {
        if names::validate("box", &name).is_ok() {
            BoxLock::acquire(&ctx.root, &name, super::LOCK_PATIENCE)?.remove();
        }
    }
    let _ = std::fs::remove_dir(&dir);
    Ok(())
}

/// Every box under the root, then anything that a crashed command left
/// (holds of unrecorded boxes, stray inits), then the runtime mount itself.
pub fn reset(ctx: &Ctx, volumes: bool) -> Result<Option<Reset>> {
    // Every box folder, its record written or not.
    let mut names = BoxRecord::folders(&ctx.root);
    if let Ok(dir) = std::fs::read_dir(ctx.root.runtime.join("boxes")) {
        names.extend(dir.flatten().filter_map(|e| e.file_name().to_str().map(String::from)));
    }
    for init in teardown::find_inits(&ctx.root, None) {
        if let Some(n) = crate::sys::proc::argv(init.pid).get(1) {
            names.push(n.clone());
        }
    }
    // A box's cgroup, made by a `limit` whose record was lost with a crash.
    let driver = super::limit::driver().ok();
    for parent in driver.iter().flat_map(|d| d.parents(&ctx.root)) {
        let boxes = std::fs::read_dir(parent).into_iter().flatten().flatten();
        names.extend(boxes.filter(|e| e.path().is_dir()).filter_map(|e| e.file_name().to_str().map(String::from)));
    }
    names.sort();
    names.dedup();
    if ctx.dry_run {
        say!("would remove: {}", if names.is_empty() { "nothing".into() } else { names.join(" ") });
        return Ok(None);
    }
    for name in &names {
        if names::validate("box", name).is_err() {
            continue;
        }
        let _lock = BoxLock::acquire(&ctx.root, name, super::LOCK_PATIENCE)?;
        let record = BoxRecord::load(&ctx.root, name).ok();
        remove(ctx, name, record.as_ref())?;
    }
    remove_locks(ctx)?;
    if let Some(driver) = driver {
        driver.remove_parents(&ctx.root);
    }
    crate::stage::devices::remove_parent(&ctx.root);
    teardown::terminate(&teardown::find_proxies(&ctx.root, None), Duration::from_secs(1));
    crate::sys::netlink::delete_link(&crate::stage::bridge::bridge_name(&ctx.root))?;
    for m in mounts::mounts_under(&ctx.root.runtime) {
        mounts::umount_detach(&m)?;
    }
    let _ = std::fs::remove_dir_all(&ctx.root.runtime);
    // Where earlier glassboxes kept the init image's empty layer (now in the runtime tmpfs).
    let _ = std::fs::remove_dir(ctx.root.state.join("empty"));
    let _ = std::fs::remove_dir_all(crate::model::removed::dir(&ctx.root));
    if volumes {
        let _ = std::fs::remove_dir_all(crate::volume::volumes_dir(&ctx.root));
    }
    Ok(Some(Reset { root: ctx.root.state.clone(), boxes_removed: names.len() }))
}
