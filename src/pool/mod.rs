//! A pool: one published port shared by several boxes, owned by none.
//!
//! `publish` gives a port to one box, and its proxy goes with that box. A
//! service of several replicas needs a port that outlives any one of them:
//! replace every replica in turn and the port stays open. That is a pool
//! (Kubernetes calls it a Service and its members Endpoints; Docker's swarm
//! mode, a virtual IP): a record under the root, `pools/NAME/pool.json`,
//! naming its host ports and its members, and per host port one balancer
//! process (`glassbox-lb NAME FD HOSTPORT ROOT`, see `balancer`), which reads
//! the record again whenever it changes.
//!
//! A member is `serving` (new connections may go to it), `draining` (none
//! may; the ones it has finish) or `out` (unhealthy: none may). Each change
//! bumps the record's generation; each balancer writes back, in
//! `status-HOSTPORT.json`, the generation it runs on and how many
//! connections each member has open, so `pool drain` knows when a member is
//! idle: once every balancer runs on the generation that drained it and
//! counts none open to it.

pub mod balancer;
pub mod plan;

pub use crate::domain::pool::{Member, MemberState, PoolRecord, Status};
pub use crate::plan::pool::{Held as Locked, read_json, status_path, write_json};
use crate::state::Root;
use std::path::PathBuf;

pub fn pools_dir(root: &Root) -> PathBuf {
    root.state.join("pools")
}

pub fn pool_dir(root: &Root, name: &str) -> PathBuf {
    pools_dir(root).join(name)
}

impl Locked {
    /// Locks pool `name`; None when it does not exist.
    pub fn open(root: &Root, name: &str) -> std::io::Result<Option<Locked>> {
        let dir = pool_dir(root, name);
        if !dir.is_dir() {
            return Ok(None);
        }
        Locked::at(&dir, name).map(Some)
    }
}

/// Every pool under the root, by name.
pub fn all(root: &Root) -> Vec<PoolRecord> {
    let mut names: Vec<String> = std::fs::read_dir(pools_dir(root))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .collect();
    names.sort();
    names.iter().filter_map(|n| read_json(&pool_dir(root, n).join("pool.json"))).collect()
}

/// The pools `member` belongs to.
pub fn of_member(root: &Root, member: &str) -> Vec<PoolRecord> {
    all(root).into_iter().filter(|p| p.members.iter().any(|m| m.name == member)).collect()
}

/// Marks a member serving or out (its supervisor's verdict on its
/// healthcheck): the balancers send it new connections again, or none. A
/// draining member stays draining (it is on its way out). False if it is
/// no member of that pool.
pub fn mark(root: &Root, pool: &str, member: &str, state: MemberState) -> std::io::Result<bool> {
    let Some(mut p) = Locked::open(root, pool)? else { return Ok(false) };
    let now = p.record.members.iter().find(|m| m.name == member).map(|m| m.state);
    if now.is_some_and(|m| m == state || m == MemberState::Draining) {
        return Ok(true);
    }
    let found = p.set_state(member, state);
    if found {
        p.save()?;
    }
    Ok(found)
}

/// Takes a removed box out of every pool at once (no draining: it is gone).
pub fn forget(root: &Root, member: &str) -> std::io::Result<()> {
    for p in of_member(root, member) {
        if let Some(mut locked) = Locked::open(root, &p.name)? {
            locked.record.members.retain(|m| m.name != member);
            locked.save()?;
        }
    }
    Ok(())
}
