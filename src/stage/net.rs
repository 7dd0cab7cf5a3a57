//! Network namespace: devices, addresses, routes, ports (network_namespaces(7)).
//!
//! A new network namespace has one device, `lo`, and it is down: even
//! 127.0.0.1 does not answer until it is brought up. Connecting the box to
//! anything else (a veth pair to a bridge) is a later step.

use crate::plan::Op;
use crate::plan::op;

pub fn setup() -> Vec<Op> {
    vec![crate::plan::Op::from(op::LoopbackUp)]
}
