//! What `glassbox pool` changes, as plans: `--dry-run` prints them and
//! changes nothing, `--explain` names each operation as it runs, and the
//! member box's history records its `pool add` and `pool drain`.
//!
//! The planners are pure: the pool's record as it was read, the balancers
//! found running and the paths come in; the operations come out. Folders
//! and removal are kernel operations the executor applies; writing the
//! record, starting a balancer and waiting for a drain are glassbox's own
//! work (`Work`), done by the command where the plan places them.

use super::{PoolRecord, pool_dir, pools_dir};
use crate::plan::teardown::Target;
use crate::plan::{Op, op};
use crate::state::Root;
use std::net::Ipv4Addr;
use std::path::Path;
use std::time::Duration;

/// One named piece of the pool's own work.
fn work(what: String, shell: String, why: &str) -> Op {
    Op::from(op::Work { what, shell, why: why.into() })
}

/// The record's file, and the shell that shows it.
fn record_file(dir: &Path) -> (String, String) {
    let file = dir.join("pool.json");
    let shell = crate::output::escape::shell_word(&file.to_string_lossy());
    (file.display().to_string(), shell)
}

/// What `pool add` asks for: the member and the ports.
pub struct Joining<'a> {
    pub pool: &'a str,
    pub name: &'a str,
    pub address: Ipv4Addr,
    pub host_port: u16,
    pub box_port: u16,
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
    let port = had.and_then(|p| p.ports.iter().find(|x| x.host_port == j.host_port));
    if !port.and_then(|p| p.balancer).is_some_and(|b| b.alive()) {
        ops.push(work(
            format!(
                "socket(AF_INET, SOCK_STREAM); bind(127.0.0.1:{}); listen(); start glassbox-lb {} with it (fork, setsid, execve)",
                j.host_port, j.pool
            ),
            format!("socat TCP-LISTEN:{},bind=127.0.0.1,fork,reuseaddr TCP:{}:{} &", j.host_port, j.address, j.box_port),
            "one balancer per host port passes each connection to a serving member: the port outlives any one box",
        ));
    }
    let (file, shell) = record_file(&dir);
    ops.push(work(
        format!("write {file}: {} at {}:{} serving, the generation one up", j.name, j.address, j.box_port),
        format!("# no standard tool keeps a pool: glassbox's balancers read {shell}"),
        "the balancers read the record again and send new connections to the member too",
    ));
    ops
}

/// `pool drain`: the member marked draining, the wait for its open
/// connections, and the member taken out of the record.
pub fn plan_drain(root: &Root, pool: &str, name: &str, patience: Duration) -> Vec<Op> {
    let (file, shell) = record_file(&pool_dir(root, pool));
    vec![
        work(
            format!("write {file}: {name} draining, the generation one up"),
            format!("# no standard tool keeps a pool: glassbox's balancers read {shell}"),
            "the balancers send the member no new connection; the ones it has go on",
        ),
        work(
            format!(
                "read status-PORT.json of each balancer until it runs on that generation and counts no connection open to {name}, for up to {patience:?}"
            ),
            format!(
                "timeout {}s sh -c 'until [ \"$(ss -Htn state established | wc -l)\" = 0 ]; do sleep 0.1; done'",
                patience.as_secs().max(1)
            ),
            "a member leaves once what it serves has finished, or once the patience is up",
        ),
        work(
            format!("write {file}: {name} out of the members"),
            format!("# no standard tool keeps a pool: glassbox's balancers read {shell}"),
            "the member is no longer part of the pool; the box itself is left as it is",
        ),
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

    fn faces(ops: &[Op]) -> Vec<String> {
        ops.iter().map(|o| o.faces().shell).collect()
    }

    #[test]
    fn a_new_pool_gets_its_folders_a_balancer_and_its_record() {
        let root = Root::new(Some(Path::new("/nonexistent/gb-pool-plan")));
        let j =
            Joining { pool: "web", name: "web-1", address: Ipv4Addr::new(10, 0, 0, 2), host_port: 8080, box_port: 80 };
        let shells = faces(&plan_add(&root, None, &j));
        assert_eq!(shells.len(), 4, "{shells:?}");
        assert!(shells[0].starts_with("mkdir -p -m 700") && shells[0].ends_with("/pools"), "{shells:?}");
        assert!(shells[1].ends_with("/pools/web"), "{shells:?}");
        assert!(shells[2].contains("TCP-LISTEN:8080") && shells[2].contains("10.0.0.2:80"), "{shells:?}");
        assert!(shells[3].contains("pools/web/pool.json"), "{shells:?}");
    }

    #[test]
    fn a_pool_whose_balancer_is_gone_gets_a_new_one_and_no_folder() {
        let root = Root::new(Some(Path::new("/nonexistent/gb-pool-plan")));
        let gone = crate::sys::proc::ProcRef { pid: i32::MAX, start_time: 1 };
        let had = PoolRecord {
            name: "web".into(),
            ports: vec![super::super::PoolPort { host_port: 8080, box_port: 80, balancer: Some(gone) }],
            ..Default::default()
        };
        let j =
            Joining { pool: "web", name: "web-2", address: Ipv4Addr::new(10, 0, 0, 3), host_port: 8080, box_port: 80 };
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
