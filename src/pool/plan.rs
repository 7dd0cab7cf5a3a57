//! What `glassbox pool` changes, as plans: `--dry-run` prints them and
//! changes nothing, `--explain` names each operation as it runs, and the
//! member box's history records its `pool add` and `pool drain`.
//!
//! The planners are pure: the pool's record as it was read, the balancers
//! found running and the paths come in; the operations come out. Folders
//! and removal are kernel operations; starting a balancer, writing the
//! record and waiting for a drain are the pool's own (`plan::pool`): the
//! executor applies them all.

use super::{Member, MemberState, PoolRecord, pool_dir, pools_dir};
use crate::plan::pool::PoolHost;
use crate::plan::teardown::Target;
use crate::plan::{Op, op};
use crate::state::Root;
use std::net::Ipv4Addr;
use std::time::Duration;

/// What `pool add` asks for: the member and the ports.
pub struct Joining<'a> {
    pub pool: &'a str,
    pub name: &'a str,
    pub address: Ipv4Addr,
    pub host_port: u16,
    pub box_port: u16,
    /// The compose project the member's box belongs to, if any.
    pub project: Option<&'a str>,
}

/// `pool add`: the pool's folders when it is new, a balancer on the host
/// port unless one runs there (`had`: the record as read, none for a new
/// pool), and the record naming the member as serving.
pub fn plan_add(root: &Root, had: Option<&PoolRecord>, j: &Joining) -> Vec<Op> {
    let dir = pool_dir(root, j.pool);
    let mut ops = vec![];
    if had.is_none() {
        let top = pools_dir(root);
        if !top.is_dir() {
            let why = "pools live here, each a record and its balancers' status; only root may enter it";
            ops.push(Op::from(op::MakeStateDir { path: top, private: true, why: why.into() }));
        }
        let why = format!("pool {}: its record, which its balancers read again whenever it changes", j.pool);
        ops.push(Op::from(op::MakeStateDir { path: dir.clone(), private: true, why }));
    }
    if needs_balancer(had, j.host_port) {
        let state = root.state.clone();
        ops.push(Op::from(PoolHost::StartBalancer { name: j.pool.into(), host_port: j.host_port, state }));
    }
    let member = Member { name: j.name.into(), address: j.address, state: MemberState::Serving };
    let (host_port, box_port, project) = (j.host_port, j.box_port, j.project.map(String::from));
    ops.push(Op::from(PoolHost::Join { dir, project, member, host_port, box_port }));
    ops
}

/// True unless a balancer of the pool (`had`: none for a new pool) runs on the host port.
pub fn needs_balancer(had: Option<&PoolRecord>, host_port: u16) -> bool {
    let port = had.and_then(|p| p.ports.iter().find(|x| x.host_port == host_port));
    !port.and_then(|p| p.balancer).is_some_and(|b| b.alive())
}

/// `pool drain`: the member marked draining, the wait for its open
/// connections, and the member taken out of the record.
pub fn plan_drain(root: &Root, pool: &str, name: &str, patience: Duration) -> Vec<Op> {
    let dir = pool_dir(root, pool);
    let member = name.to_string();
    vec![
        Op::from(PoolHost::SetState { dir: dir.clone(), member: member.clone(), state: MemberState::Draining }),
        Op::from(PoolHost::AwaitDrain {
            dir: dir.clone(),
            member: member.clone(),
            patience_ms: patience.as_millis() as u64,
        }),
        Op::from(PoolHost::Leave { dir, member }),
    ]
}

/// `pool rm`: the balancers ended (asked, then killed after `patience`),
/// then the pool's folder removed.
pub fn plan_remove(root: &Root, pool: &str, balancers: Vec<Target>, patience: Duration) -> Vec<Op> {
    let mut ops = vec![];
    if !balancers.is_empty() {
        ops.push(Op::from(op::Signal { procs: balancers }));
        ops.push(Op::from(op::AwaitEnd { patience_ms: patience.as_millis() as u64 }));
    }
    let why = format!("pool {pool}: its record and its balancers' status");
    ops.push(Op::from(op::RemoveTree { path: pool_dir(root, pool), why }));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn faces(ops: &[Op]) -> Vec<String> {
        ops.iter().map(|o| o.faces().shell).collect()
    }

    #[test]
    fn a_new_pool_gets_its_folders_a_balancer_and_its_record() {
        let root = Root::new(Some(Path::new("/nonexistent/gb-pool-plan")));
        let address = Ipv4Addr::new(10, 0, 0, 2);
        let j = Joining { pool: "web", name: "web-1", address, host_port: 8080, box_port: 80, project: None };
        let ops = plan_add(&root, None, &j);
        let shells = faces(&ops);
        assert_eq!(shells.len(), 4, "{shells:?}");
        assert!(shells[0].starts_with("mkdir -p -m 700") && shells[0].ends_with("/pools"), "{shells:?}");
        assert!(shells[1].ends_with("/pools/web"), "{shells:?}");
        assert!(shells[2].contains("TCP-LISTEN:8080"), "{shells:?}");
        assert!(shells[3].contains("pools/web/pool.json"), "{shells:?}");
        let Some(PoolHost::Join { member, host_port: 8080, box_port: 80, .. }) = ops[3].as_pool_host() else {
            panic!("{:?}", ops[3])
        };
        assert_eq!((member.name.as_str(), member.address, member.state), ("web-1", address, MemberState::Serving));
    }

    #[test]
    fn draining_marks_waits_then_takes_out() {
        let root = Root::new(Some(Path::new("/nonexistent/gb-pool-plan")));
        let ops = plan_drain(&root, "web", "web-1", Duration::from_millis(1500));
        let ops: Vec<_> = ops.iter().map(|o| o.as_pool_host().cloned().expect("pool operations")).collect();
        assert!(
            matches!(&ops[0], PoolHost::SetState { member, state: MemberState::Draining, .. } if member == "web-1")
        );
        assert!(matches!(&ops[1], PoolHost::AwaitDrain { patience_ms: 1500, .. }));
        assert!(matches!(&ops[2], PoolHost::Leave { dir, .. } if dir.ends_with("pools/web")));
        assert_eq!(ops.len(), 3);
    }

    #[test]
    fn a_pool_whose_balancer_is_gone_gets_a_new_one_and_no_folder() {
        let root = Root::new(Some(Path::new("/nonexistent/gb-pool-plan")));
        let gone = crate::domain::pool::Balancer { pid: i32::MAX, start_time: 1 };
        let had = PoolRecord {
            name: "web".into(),
            ports: vec![crate::domain::pool::PoolPort { host_port: 8080, box_port: 80, balancer: Some(gone) }],
            ..Default::default()
        };
        let address = Ipv4Addr::new(10, 0, 0, 3);
        let j = Joining { pool: "web", name: "web-2", address, host_port: 8080, box_port: 80, project: None };
        let shells = faces(&plan_add(&root, Some(&had), &j));
        assert_eq!(shells.len(), 2, "{shells:?}");
        assert!(shells[0].contains("TCP-LISTEN:8080"), "{shells:?}");
    }

    #[test]
    fn removing_a_pool_ends_its_balancers_before_its_folder_goes() {
        let root = Root::new(Some(Path::new("/nonexistent/gb-pool-plan")));
        let lb = Target { pid: 7, start_time: 1, command: "glassbox-lb".into() };
        let shells = faces(&plan_remove(&root, "web", vec![lb], Duration::from_secs(1)));
        assert_eq!(shells[0], "kill -TERM 7");
        assert!(shells[2].starts_with("rm -rf") && shells[2].ends_with("/pools/web"), "{shells:?}");
        let shells = faces(&plan_remove(&root, "web", vec![], Duration::from_secs(1)));
        assert_eq!(shells.len(), 1, "no balancer: only the folder goes");
    }
}
