//! The last record of a removed box. `rm` ends a box and deletes all the
//! kernel held for it, but keeps its record (its steps above all) as
//! `<root>/removed/<name>.json`, the newest per name, so what was done to a
//! box can still be read once it is gone: a lesson checks that a box was
//! used the right way before it was removed. `reset` deletes them all.

use crate::state::{BoxRecord, Root, StateError};
use std::path::PathBuf;

pub fn dir(root: &Root) -> PathBuf {
    root.state.join("removed")
}

/// Keeps the record of a box being removed (the name was validated).
pub fn keep(root: &Root, record: &BoxRecord) -> Result<(), StateError> {
    let folder = dir(root);
    std::fs::create_dir_all(&folder).map_err(|e| StateError::io(&folder, e))?;
    let bytes = serde_json::to_vec_pretty(record).expect("records serialise");
    crate::state::record::write_atomic(&folder.join(format!("{}.json", record.name)), &bytes)
}

/// The last record of a removed box of this name, if one was kept.
pub fn load(root: &Root, name: &str) -> Option<BoxRecord> {
    crate::state::names::validate("box", name).ok()?;
    let bytes = std::fs::read(dir(root).join(format!("{name}.json"))).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Forgets the kept record of a removed box (a lesson started afresh:
/// what an earlier try did must not pass a check of this one).
pub fn forget(root: &Root, name: &str) {
    if crate::state::names::validate("box", name).is_ok() {
        let _ = std::fs::remove_file(dir(root).join(format!("{name}.json")));
    }
}
