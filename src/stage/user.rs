//! User namespace: root inside is not root outside (user_namespaces(7)).
//!
//! A new user namespace starts with no id mapping at all; until glassbox, from
//! the host, writes `/proc/PID/uid_map` and `gid_map`, every id in it shows
//! as 65534 ("nobody"). glassbox maps a range of 65536 ids so that uid 0
//! inside is `--map-root-to` outside (default 100000, the usual subuid base).
//! Every namespace made *after* the user namespace is owned by it, which is
//! what lets root in the box set its hostname or mount things; namespaces made
//! *before* stay owned by the host, which is why `user` must come first.

use super::{NamespaceKind, StageError, UnshareRequest};
use crate::plan::Op;
use crate::plan::op;
use crate::state::BoxRecord;

pub const DEFAULT_ROOT_UID: u32 = 100_000;
pub const RANGE: u32 = 65_536;

pub fn check(record: &BoxRecord, req: &UnshareRequest) -> Result<(), StageError> {
    if req.map_root_to.is_some() && !req.kinds.contains(&NamespaceKind::User) {
        return Err(StageError::OptionNeedsKind {
            name: record.name.clone(),
            option: "--map-root-to",
            kind: NamespaceKind::User,
        });
    }
    if let Some(uid) = req.map_root_to.filter(|&uid| uid == 0 || uid > u32::MAX - RANGE) {
        return Err(StageError::BadValue {
            what: "--map-root-to",
            value: uid.to_string(),
            reason: format!(
                "root inside must map to a uid from 1 to {} (a range of {RANGE} ids follows it)",
                u32::MAX - RANGE
            ),
        });
    }
    if req.kinds.contains(&NamespaceKind::User) && !record.namespaces.is_empty() {
        let others: Vec<&str> = record.namespaces.keys().map(|k| k.name()).collect();
        return Err(StageError::UserAfterOthers { name: record.name.clone(), others: others.join(" ") });
    }
    Ok(())
}

pub fn setup(req: &UnshareRequest) -> Vec<Op> {
    let outside = req.map_root_to.unwrap_or(DEFAULT_ROOT_UID);
    vec![
        op::MapIds { file: "uid_map".into(), inside: 0, outside, count: RANGE }.into(),
        op::MapIds { file: "gid_map".into(), inside: 0, outside, count: RANGE }.into(),
        crate::plan::Op::from(op::BecomeRoot),
    ]
}
