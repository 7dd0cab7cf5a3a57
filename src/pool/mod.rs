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

use crate::state::Root;
use crate::sys::proc::ProcRef;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberState {
    Serving,
    Draining,
    Out,
}

impl std::fmt::Display for MemberState {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(match self {
            MemberState::Serving => "serving",
            MemberState::Draining => "draining",
            MemberState::Out => "out",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub address: Ipv4Addr,
    pub state: MemberState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolPort {
    pub host_port: u16,
    pub box_port: u16,
    /// The balancer listening on 127.0.0.1:host_port.
    pub balancer: Option<ProcRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolRecord {
    pub name: String,
    /// The compose project whose service this is (`compose down` removes it).
    pub project: Option<String>,
    pub generation: u64,
    pub ports: Vec<PoolPort>,
    pub members: Vec<Member>,
}

/// What a balancer last wrote: the generation it runs on, connections open per member.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub generation: u64,
    pub open: BTreeMap<String, u32>,
}

pub fn pools_dir(root: &Root) -> PathBuf {
    root.state.join("pools")
}

pub fn pool_dir(root: &Root, name: &str) -> PathBuf {
    pools_dir(root).join(name)
}

pub fn status_path(dir: &std::path::Path, host_port: u16) -> PathBuf {
    dir.join(format!("status-{host_port}.json"))
}

/// Writes `value` as JSON in place of `path` (a reader sees the old or the new file, never half).
pub fn write_json(path: &std::path::Path, value: &impl Serialize) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(value).expect("pool files serialise"))?;
    std::fs::rename(&tmp, path)
}

pub fn read_json<T: for<'de> Deserialize<'de>>(path: &std::path::Path) -> Option<T> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// The pool's record, held under its lock until dropped.
pub struct Locked {
    _file: std::fs::File,
    pub dir: PathBuf,
    pub record: PoolRecord,
}

impl Locked {
    /// Locks pool `name` (making its folder when `create`); None when it does not exist.
    pub fn open(root: &Root, name: &str, create: bool) -> std::io::Result<Option<Locked>> {
        let dir = pool_dir(root, name);
        if create {
            crate::state::private::make_private_dir(&pools_dir(root))?;
            crate::state::private::make_private_dir(&dir)?;
        } else if !dir.is_dir() {
            return Ok(None);
        }
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(dir.join("lock"))?;
        crate::sys::fd::lock_exclusive(&file).map_err(|e| std::io::Error::other(e.to_string()))?;
        let record = read_json(&dir.join("pool.json"))
            .unwrap_or_else(|| PoolRecord { name: name.to_string(), ..Default::default() });
        Ok(Some(Locked { _file: file, dir, record }))
    }

    /// Saves the record with the next generation, which the balancers pick up.
    pub fn save(&mut self) -> std::io::Result<()> {
        self.record.generation += 1;
        write_json(&self.dir.join("pool.json"), &self.record)
    }

    /// Sets a member's state; false when it is not a member.
    pub fn set_state(&mut self, member: &str, state: MemberState) -> bool {
        match self.record.members.iter_mut().find(|m| m.name == member) {
            Some(m) => {
                m.state = state;
                true
            }
            None => false,
        }
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
    let Some(mut p) = Locked::open(root, pool, false)? else { return Ok(false) };
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
        if let Some(mut locked) = Locked::open(root, &p.name, false)? {
            locked.record.members.retain(|m| m.name != member);
            locked.save()?;
        }
    }
    Ok(())
}
