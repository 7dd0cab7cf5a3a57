//! A pool's record (`pools/NAME/pool.json`) and what its balancers write
//! back (`status-HOSTPORT.json`): see `crate::pool` for what a pool is.
//! Plain data here, so that the plan's pool operations (`plan::pool`) can
//! hold what they write.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

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

/// A balancer process: its pid and its start time (ticks after boot), so
/// that a pid used again is not taken for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balancer {
    pub pid: i32,
    pub start_time: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolPort {
    pub host_port: u16,
    pub box_port: u16,
    /// The balancer listening on 127.0.0.1:host_port.
    pub balancer: Option<Balancer>,
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
