//! Pool: the operations of `glassbox pool add` and `pool drain` whose doing
//! is glassbox's own (see `crate::pool` for what a pool is): start a
//! port's balancer, write the pool's record, wait for a draining member's
//! connections.
//!
//! Each writes the record under the pool's lock (`lock` beside it), read
//! again as it is then: the operation holds the change (the member, its
//! state), so a change made by another command meanwhile (a supervisor
//! marking its box out) is kept. What the operations made (the balancer,
//! how the drain went) is handed back in [`Made`] for the command to
//! report; a later `Join` names the balancer an earlier `StartBalancer` made.

use super::apply::HostCx;
use super::op::{HostStep, Text, Words};
use super::script::StepScript;
use crate::domain::pool::{Balancer, Member, MemberState, PoolPort, PoolRecord, Status};
use crate::i18n::tr;
use crate::output::escape::shell_word;
use crate::sys::proc::ProcRef;
use crate::sys::{SysError, SysResult, detached};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "pool", rename_all = "snake_case")]
pub enum PoolHost {
    /// The balancer of a host port starts with the socket the command bound.
    StartBalancer { name: String, host_port: u16, state: PathBuf },
    /// The member serves: its entry and the port (with the balancer just
    /// started, if one was) written into the record of folder `dir`.
    Join { dir: PathBuf, project: Option<String>, member: Member, host_port: u16, box_port: u16 },
    /// A member's state changes (`draining`: no new connection).
    SetState { dir: PathBuf, member: String, state: MemberState },
    /// Waits until every running balancer counts no connection open to
    /// the member, or the patience is up.
    AwaitDrain { dir: PathBuf, member: String, patience_ms: u64 },
    /// The member is taken out of the record.
    Leave { dir: PathBuf, member: String },
}

// A record stores one as `{"op": "pool", "pool": …}`.
super::op::tagged_family!(Pool);

/// What a pool operation made.
#[derive(Debug)]
pub enum Made {
    Balancer(Balancer),
    /// Connections still open when the wait ended (none: a balancer did not
    /// answer), and how long it took.
    Drained {
        still_open: Option<u32>,
        seconds: f64,
    },
}

impl Balancer {
    pub fn of(pid: i32) -> Option<Balancer> {
        ProcRef::of(pid).map(|p| Balancer { pid: p.pid, start_time: p.start_time })
    }

    pub fn proc(&self) -> ProcRef {
        ProcRef { pid: self.pid, start_time: self.start_time }
    }

    /// True while the very balancer started still runs.
    pub fn alive(&self) -> bool {
        self.proc().alive()
    }
}

pub fn record_path(dir: &Path) -> PathBuf {
    dir.join("pool.json")
}

pub fn status_path(dir: &Path, host_port: u16) -> PathBuf {
    dir.join(format!("status-{host_port}.json"))
}

/// Writes `value` as JSON in place of `path` (a reader sees the old or the new file, never half).
pub fn write_json(path: &Path, value: &impl Serialize) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(value).expect("pool files serialise"))?;
    std::fs::rename(&tmp, path)
}

pub fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// The pool's record, held under its lock until dropped.
pub struct Held {
    _file: std::fs::File,
    pub dir: PathBuf,
    pub record: PoolRecord,
}

impl Held {
    /// Locks the pool of folder `dir` (which exists); its record, or a new one named `name`.
    pub fn at(dir: &Path, name: &str) -> std::io::Result<Held> {
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(dir.join("lock"))?;
        crate::sys::fd::lock_exclusive(&file).map_err(|e| std::io::Error::other(e.to_string()))?;
        let record =
            read_json(&record_path(dir)).unwrap_or_else(|| PoolRecord { name: name.to_string(), ..Default::default() });
        Ok(Held { _file: file, dir: dir.to_path_buf(), record })
    }

    /// Saves the record with the next generation, which the balancers pick up.
    pub fn save(&mut self) -> std::io::Result<()> {
        self.record.generation += 1;
        write_json(&record_path(&self.dir), &self.record)
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

fn failed(what: &str) -> impl Fn(std::io::Error) -> SysError + '_ {
    move |e| SysError::io(what.to_string(), e)
}

/// Changes the record of folder `dir` under its lock.
fn change(dir: &Path, how: impl FnOnce(&mut PoolRecord) -> std::io::Result<()>) -> SysResult<()> {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    let mut held = Held::at(dir, &name).map_err(failed("lock the pool"))?;
    how(&mut held.record).map_err(failed("change the pool's record"))?;
    held.save().map_err(failed("save the pool's record"))
}

fn record_text(dir: &Path, change: String, why: String) -> Text {
    let file = record_path(dir);
    Text::new(
        format!("flock({}); write {}: {change}, the generation one up", dir.join("lock").display(), file.display()),
        format!("# no standard tool keeps a pool: glassbox's balancers read {}", shell_word(&file.to_string_lossy())),
        why,
    )
}

impl HostStep for PoolHost {
    fn text(&self, _: &Words) -> Text {
        match self {
            PoolHost::StartBalancer { name, host_port, .. } => Text::new(
                format!(
                    "socket(AF_INET, SOCK_STREAM); bind(127.0.0.1:{host_port}); listen(); start glassbox-lb {name} with it (fork, setsid, execve)"
                ),
                format!("socat TCP-LISTEN:{host_port},bind=127.0.0.1,fork,reuseaddr TCP:\"$MEMBER\" &"),
                tr!("why-start-balancer"),
            ),
            PoolHost::Join { dir, member, host_port, box_port, .. } => record_text(
                dir,
                format!("{} at {}:{box_port} serving, port {host_port} -> {box_port}", member.name, member.address),
                tr!("why-pool-join"),
            ),
            PoolHost::SetState { dir, member, state } => {
                record_text(dir, format!("{member} {state}"), tr!("why-pool-set-state"))
            }
            PoolHost::AwaitDrain { member, patience_ms, .. } => Text::new(
                format!(
                    "read status-PORT.json of each balancer until it runs on the record's generation and counts no connection open to {member}, for up to {patience_ms} ms"
                ),
                format!(
                    "timeout {}s sh -c 'until [ \"$(ss -Htn state established | wc -l)\" = 0 ]; do sleep 0.1; done'",
                    patience_ms.div_ceil(1000).max(1)
                ),
                tr!("why-pool-await-drain"),
            ),
            PoolHost::Leave { dir, member } => {
                record_text(dir, format!("{member} out of the members"), tr!("why-pool-leave"))
            }
        }
    }

    fn apply(&self, cx: &mut HostCx) -> SysResult<()> {
        let made = match self {
            PoolHost::StartBalancer { name, host_port, state } => {
                let listener = cx.opts.listener.expect("pool add hands its bound socket to the plan");
                Made::Balancer(start_balancer(name, *host_port, state, listener)?)
            }
            PoolHost::Join { dir, project, member, host_port, box_port } => {
                let started = match cx.pool {
                    Some(Made::Balancer(b)) => Some(*b),
                    _ => None,
                };
                return change(dir, |r| {
                    let port = PoolPort { host_port: *host_port, box_port: *box_port, balancer: started };
                    match r.ports.iter_mut().find(|p| p.host_port == *host_port) {
                        Some(had) if started.is_some() => *had = port,
                        Some(_) => {}
                        None => r.ports.push(port),
                    }
                    r.project = r.project.take().or(project.clone());
                    r.members.retain(|m| m.name != member.name);
                    r.members.push(member.clone());
                    Ok(())
                });
            }
            PoolHost::SetState { dir, member, state } => {
                return change(dir, |r| match r.members.iter_mut().find(|m| m.name == *member) {
                    Some(m) => {
                        m.state = *state;
                        Ok(())
                    }
                    None => Err(std::io::Error::other(format!("{member} is no member of the pool"))),
                });
            }
            PoolHost::AwaitDrain { dir, member, patience_ms } => await_drain(dir, member, *patience_ms),
            PoolHost::Leave { dir, member } => {
                return change(dir, |r| {
                    r.members.retain(|m| m.name != *member);
                    Ok(())
                });
            }
        };
        *cx.pool = Some(made);
        Ok(())
    }

    /// A pool belongs to no box: no part of a box's `history --script`.
    fn script(&self, _: &mut StepScript) {}
}

fn start_balancer(pool: &str, host_port: u16, state: &Path, listener: i32) -> SysResult<Balancer> {
    let argv = ["glassbox-lb".into(), pool.into(), String::new(), host_port.to_string(), state.display().to_string()];
    let pid = detached::start_self_detached(&argv, listener, 2, detached::Detached::on_disk())
        .and_then(detached::Starting::started)
        .map_err(|e| SysError::io(format!("start the pool's balancer: {}", e.call), e.source))?;
    Balancer::of(pid).ok_or_else(|| {
        let ended = std::io::Error::other(format!("it ended as it started: see `glassbox pool ls` ({pool})"));
        SysError::io("start the pool's balancer".to_string(), ended)
    })
}

/// Waits for the balancers of the record as it is now (which has the
/// member draining) to count none open to it, up to the patience.
fn await_drain(dir: &Path, member: &str, patience_ms: u64) -> Made {
    let record: PoolRecord = read_json(&record_path(dir)).unwrap_or_default();
    let patience = Duration::from_millis(patience_ms);
    let began = Instant::now();
    let still_open = loop {
        let now = open_to(dir, &record.ports, member, record.generation);
        if now == Some(0) || began.elapsed() >= patience {
            break now;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Made::Drained { still_open, seconds: began.elapsed().as_secs_f64() }
}

/// Connections open to `member` over the pool's running balancers, once
/// each runs on `generation` or later; None while one has not caught up.
fn open_to(dir: &Path, ports: &[PoolPort], member: &str, generation: u64) -> Option<u32> {
    let mut total = 0;
    for port in ports.iter().filter(|p| p.balancer.is_some_and(|b| b.alive())) {
        let status: Status = read_json(&status_path(dir, port.host_port))?;
        if status.generation < generation {
            return None;
        }
        total += status.open.get(member).copied().unwrap_or(0);
    }
    Some(total)
}
