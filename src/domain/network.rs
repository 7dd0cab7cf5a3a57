//! A box's connection to the bridge, as its record notes it before anything
//! is made (so `rm --force` finds the links after a crash): the planner,
//! teardown, inspect and the daemon all read it.

use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetRecord {
    pub bridge: String,
    pub host_veth: String,
    pub address: Ipv4Addr,
    pub prefix: u8,
    pub gateway: Ipv4Addr,
    #[serde(default)]
    pub published: Vec<Published>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub host_port: u16,
    pub box_port: u16,
}
