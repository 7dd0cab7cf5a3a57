//! A rolling update: a service's replicas replaced a few at a time, the
//! port serving throughout.
//!
//! `compose up` finds replicas that run another image than the file names
//! (`update::pending`) and replaces them per `deploy.update_config`, each
//! move an ordinary step: a new replica is made by the steps `up` uses
//! (create … run, under the next free number; the project's supervisor
//! watches it, and runs it when it has `restart: on-failure`), waits until
//! the supervisor records it healthy (`supervisor::wait_healthy`: the
//! healthcheck has one owner), and only then joins the service's pool
//! (`pool add`); an old
//! one leaves it by `pool drain` (no new connections, the open ones finish)
//! before `rm --force`. `start-first` starts the successor before the old
//! replica goes, `stop-first` after.
//!
//! A new replica that never passes its healthcheck never joins the pool:
//! it is removed, and with `failure_action: rollback` every replica already
//! replaced comes back the same way: the steps its history recorded are
//! run again under a new number (its image, its environment, its command:
//! what it was made of, not what the file says now), it passes its
//! healthcheck and joins the pool; then a new replica drains and goes. The
//! old replicas not yet replaced serve throughout, so no connection is
//! refused.

use super::ComposeError;
use super::plan::{self, BoxPlan, Facts, Known};
use super::project::{Project, box_name};
use super::resolve::{Network, Service};
use super::runner::Steps;
use super::update::{self, OnFailure, Order, Pending, Record};
use crate::i18n::tr;
use crate::output::progress;
use crate::stage::NamespaceKind;
use crate::state::Root;
use std::time::{Duration, Instant};

/// One service's rolling update, with what it needs to know.
pub struct Rollout<'a> {
    pub root: &'a Root,
    pub project: &'a Project,
    pub known: &'a dyn Known,
    pub steps: &'a Steps,
}

/// Moves of one rollout: replicas made (serving) and old ones removed.
#[derive(Default)]
struct Moves {
    next: u32,
    started: Vec<String>,
    /// Each removed replica's name and the steps that made it.
    retired: Vec<(String, Vec<Vec<String>>)>,
}

/// The steps that made a box, from its history, to make one like it named
/// `to` (its `pool drain` left out: that is how it went; and its `run` once,
/// the restarts its supervisor made left out). Supervised when that `run`
/// was its supervisor's (in the foreground, no -d).
fn replay(s: &Service, commands: &[Vec<String>], from: &str, to: &str) -> BoxPlan {
    let mut ran = false;
    let steps: Vec<Vec<String>> = commands
        .iter()
        .map(|c| c.iter().skip(1).map(|w| if w == from { to.to_string() } else { w.clone() }).collect())
        .filter(|c: &Vec<String>| !c.starts_with(&["pool".to_string(), "drain".to_string()]))
        .filter(|c| c.first().is_none_or(|v| v != "run") || !std::mem::replace(&mut ran, true))
        .collect();
    let run = steps.iter().find(|c| c.first().is_some_and(|v| v == "run"));
    let flags = run.map(|r| r.iter().take_while(|w| *w != "--").any(|w| w == "-d"));
    BoxPlan { service: s.name.clone(), name: to.to_string(), steps, supervised: flags == Some(false) }
}

impl Rollout<'_> {
    fn service(&self, name: &str) -> &Service {
        &self.project.services[name]
    }

    /// The update, then the boxes that share the service's net namespace
    /// (whether it went through or was rolled back: either way the
    /// replicas they joined may be gone).
    pub fn run(&self, pending: &Pending) -> Result<(), ComposeError> {
        let updated = self.update(pending);
        let followed = self.follow_sidecars(&pending.service);
        updated.and(followed)
    }

    fn update(&self, pending: &Pending) -> Result<(), ComposeError> {
        let s = self.service(&pending.service);
        let cfg = &s.update;
        // A built service's replicas run the image of its name as it was
        // before this build: kept under another name (`keep`).
        let previous = super::keep::previous(self.root, s);
        let was = |i: &String| previous.clone().filter(|_| *i == s.image).unwrap_or_else(|| i.clone());
        let mut from: Vec<String> = pending.old.iter().map(|(_, i)| was(i)).collect();
        from.dedup();
        let mut record = Record {
            service: s.name.clone(),
            from: from.clone(),
            to: s.image.clone(),
            to_layers: self.known.image_layers(&s.image),
            state: "rolling".into(),
            reason: None,
        };
        update::save(&record, self.root, &self.project.name);
        let at_a_time = match cfg.parallelism {
            usize::MAX => tr!("rollout-all"),
            n => tr!("rollout-batch", count = n),
        };
        let said = tr!(
            "rollout-start",
            service = s.name,
            count = pending.old.len(),
            from = from.join(", "),
            to = s.image,
            batch = at_a_time,
            order = if cfg.order == Order::StartFirst { "start-first" } else { "stop-first" }
        );
        progress!("{said}");
        let existing = super::down::replica_numbers(self.root, &self.project.name, &s.name);
        let mut moves = Moves { next: existing.last().map_or(1, |(n, _)| n + 1), ..Default::default() };
        let failure = self.replace_all(s, pending, &mut moves).err();
        let Some(why) = failure else {
            record.state = "done".into();
            update::save(&record, self.root, &self.project.name);
            progress!("{}", tr!("rollout-done", service = s.name, image = s.image));
            return Ok(());
        };
        record.reason = Some(why.to_string());
        if cfg.on_failure == OnFailure::Pause {
            record.state = "paused".into();
            update::save(&record, self.root, &self.project.name);
            return Err(ComposeError::Failed(format!(
                "the rolling update of {} to {} is paused: {why}; {} replicas run {}, the rest {} (glassbox compose ps)",
                s.name,
                s.image,
                moves.started.len(),
                s.image,
                from.join(", ")
            )));
        }
        record.state = "rolling back".into();
        update::save(&record, self.root, &self.project.name);
        progress!("{}", tr!("rollout-rolling-back", service = s.name, from = from.join(", "), why = why.to_string()));
        let back = self.roll_back(s, &mut moves);
        record.state = if back.is_ok() { "rolled back" } else { "rollback failed" }.into();
        update::save(&record, self.root, &self.project.name);
        back?;
        Err(ComposeError::Failed(format!(
            "the rolling update of {} to {} failed and was rolled back: {why}; {} runs {} on {} replicas as before (glassbox compose ps)",
            s.name,
            s.image,
            s.name,
            from.join(", "),
            pending.old.len()
        )))
    }

    fn replace_all(&self, s: &Service, pending: &Pending, moves: &mut Moves) -> Result<(), ComposeError> {
        for (i, batch) in pending.old.chunks(s.update.parallelism.max(1)).enumerate() {
            if i > 0 && !s.update.delay.is_zero() {
                let delay = format!("{:?}", s.update.delay);
                progress!("{}", tr!("rollout-waiting", service = s.name, delay = delay));
                std::thread::sleep(s.update.delay);
            }
            if s.update.order == Order::StopFirst {
                self.retire_each(batch, moves)?;
            }
            for _ in batch {
                let name = box_name(&self.project.name, &s.name, moves.next);
                moves.next += 1;
                let facts = Facts { known: self.known, build: false };
                self.start(s, plan::replica(self.project, s, &name, false, &facts))?;
                moves.started.push(name);
            }
            if s.update.order == Order::StartFirst {
                self.retire_each(batch, moves)?;
            }
        }
        Ok(())
    }

    fn retire_each(&self, batch: &[(String, String)], moves: &mut Moves) -> Result<(), ComposeError> {
        for (old, _) in batch {
            let record = crate::state::BoxRecord::load(self.root, old);
            let made = record.map(|r| r.steps.into_iter().map(|s| s.command).collect()).unwrap_or_default();
            self.retire(old)?;
            moves.retired.push((old.clone(), made));
        }
        Ok(())
    }

    /// Every replica replaced comes back as it was made: it starts and
    /// serves, then a new replica drains and goes.
    fn roll_back(&self, s: &Service, moves: &mut Moves) -> Result<(), ComposeError> {
        let previous = super::keep::previous(self.root, s);
        for (old, made) in std::mem::take(&mut moves.retired) {
            let name = box_name(&self.project.name, &s.name, moves.next);
            moves.next += 1;
            let mut b = replay(s, &made, &old, &name);
            // Built again under the same name, the old build is the kept one.
            for step in b.steps.iter_mut().filter(|c| c.first().is_some_and(|v| v == "rootfs")) {
                if let (Some(kept), Some(image)) = (&previous, step.get_mut(2))
                    && *image == s.image
                {
                    *image = kept.clone();
                }
            }
            self.start(s, b)?;
            if let Some(new) = moves.started.pop() {
                self.retire(&new)?;
            }
        }
        for new in std::mem::take(&mut moves.started) {
            self.retire(&new)?;
        }
        Ok(())
    }

    /// A new replica: made (and watched by the project's supervisor), ready,
    /// then in the pool (its `pool add`s come last). One that fails on the
    /// way is removed again.
    fn start(&self, s: &Service, mut b: BoxPlan) -> Result<(), ComposeError> {
        let name = b.name.clone();
        let name = name.as_str();
        let (joins, makes): (Vec<_>, Vec<_>) =
            std::mem::take(&mut b.steps).into_iter().partition(|step| step.first().is_some_and(|v| v == "pool"));
        b.steps = makes;
        let made = super::up::make_one(self.root, self.project, &b, self.steps).and_then(|_| {
            super::hosts::refresh(self.root, &self.project.name);
            wait_ready(self.root, &self.project.name, name, s)
        });
        if let Err(e) = made {
            progress!("{name}: removed: it never served ({e})");
            let _ = self.steps.step(name, &["rm".into(), "--force".into(), name.to_string()]);
            return Err(e);
        }
        for step in &joins {
            self.steps.step(name, step)?;
        }
        Ok(())
    }

    /// Boxes of `network_mode: service:X` whose net namespace was a
    /// replica of X that is gone now: each replaced the way a replica is (a
    /// new box joins X's first replica, is ready, then the old one goes), as
    /// Docker recreates a container that shares another's network. Left as
    /// it was, the box would keep a namespace only it holds, with no route
    /// to anything and nothing of X listening on its localhost.
    fn follow_sidecars(&self, x: &str) -> Result<(), ComposeError> {
        let sharing = Network::Service(x.to_string());
        for s in self.project.services.values().filter(|s| s.network == sharing) {
            let existing = super::down::replica_numbers(self.root, &self.project.name, &s.name);
            let mut next = existing.last().map_or(1, |(n, _)| n + 1);
            for (_, old) in existing {
                let record = crate::state::BoxRecord::load(self.root, &old).ok();
                let joined = record.and_then(|r| r.shared_from(NamespaceKind::Net).map(|f| f.joined.clone()));
                let Some(joined) = joined.filter(|j| !self.root.record_path(j).exists()) else { continue };
                let name = box_name(&self.project.name, &s.name, next);
                next += 1;
                let facts = Facts { known: self.known, build: false };
                let b = plan::replica(self.project, s, &name, false, &facts);
                progress!("{old}: the net namespace it shares was {joined}'s, which is gone: {name} takes its place");
                self.start(s, b)?;
                self.retire(&old)?;
            }
        }
        Ok(())
    }

    /// An old replica out of the pool (its open connections done), then removed.
    fn retire(&self, name: &str) -> Result<(), ComposeError> {
        for drain in super::pool_drains(self.root, name) {
            self.steps.step(name, &drain)?;
        }
        self.steps.step(name, &["rm".into(), "--force".into(), name.to_string()])?;
        super::hosts::refresh(self.root, &self.project.name);
        Ok(())
    }

    /// The steps of the rollout as planned (all goes well), for --dry-run and --explain.
    pub fn render(&self, pending: &Pending) -> String {
        let s = self.service(&pending.service);
        let existing = super::down::replica_numbers(self.root, &self.project.name, &s.name);
        let mut next = existing.last().map_or(1, |(n, _)| n + 1);
        let mut out = format!("# rolling update of {} to {}:\n", s.name, s.image);
        let line = |out: &mut String, step: &[String]| {
            out.push_str(&format!("  glassbox {}\n", crate::daemon::steps::shown(step)));
        };
        let facts = Facts { known: self.known, build: false };
        for batch in pending.old.chunks(s.update.parallelism.max(1)) {
            let mut retire = String::new();
            for (old, _) in batch {
                if !s.ports.is_empty() {
                    line(
                        &mut retire,
                        &["pool".into(), "drain".into(), plan::pool_name(&self.project.name, &s.name), old.clone()],
                    );
                }
                line(&mut retire, &["rm".into(), "--force".into(), old.clone()]);
            }
            if s.update.order == Order::StopFirst {
                out.push_str(&retire);
            }
            for _ in batch {
                let name = box_name(&self.project.name, &s.name, next);
                next += 1;
                out.push_str(&format!("# {name}, then until it is ready: {}\n", ready_test(s)));
                for step in plan::replica(self.project, s, &name, false, &facts).steps {
                    line(&mut out, &step);
                }
            }
            if s.update.order == Order::StartFirst {
                out.push_str(&retire);
            }
        }
        let sharing = Network::Service(s.name.clone());
        for side in self.project.services.values().filter(|o| o.network == sharing) {
            out.push_str(&format!(
                "# then each box of {}, which shares the net namespace of a replica that went, made again to join {}'s first replica (and the old one removed)\n",
                side.name, s.name
            ));
        }
        out
    }
}

/// What `wait_ready` waits for, in words.
fn ready_test(s: &Service) -> String {
    match &s.health {
        Some(h) => format!("its supervisor sees its healthcheck ({}) pass, before its pool add", h.argv.join(" ")),
        None if !s.ports.is_empty() => "its ports take a connection, before its pool add".into(),
        None => "it runs".into(),
    }
}

/// Waits until a new replica may serve: the project's supervisor, which
/// runs its healthcheck, records it healthy (an error once it records it
/// unhealthy); or, without a healthcheck, each port it publishes takes a
/// connection.
pub fn wait_ready(root: &Root, project: &str, name: &str, s: &Service) -> Result<(), ComposeError> {
    if s.health.is_some() {
        return super::supervisor::wait_healthy(root, project, name);
    }
    let Some(address) = crate::state::BoxRecord::load(root, name).ok().and_then(|r| r.net).map(|n| n.address) else {
        return Ok(());
    };
    for (_, port) in &s.ports {
        let began = Instant::now();
        let target = std::net::SocketAddr::from((address, *port));
        while std::net::TcpStream::connect_timeout(&target, Duration::from_secs(1)).is_err() {
            if began.elapsed() > Duration::from_secs(10) {
                return Err(ComposeError::Failed(format!("{name} never took a connection on port {port} in 10s")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::project::from_text;
    use std::path::Path;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn a_replayed_replica_runs_once_and_its_supervisor_runs_it_when_it_did() {
        let root = Root::new(Some(Path::new("/tmp/gb-replay-test")));
        let file = "services:\n  web:\n    image: app\n    restart: on-failure\n";
        let p = from_text(&root, Path::new("/srv/shop/compose.yaml"), file, &Default::default(), None).unwrap();
        let s = &p.services["web"];
        let history = [
            "glassbox create shop-web-1 --project shop",
            "glassbox run shop-web-1 -- serve -d",
            "glassbox pool add shop-web shop-web-1 8080:80",
            "glassbox run shop-web-1 -- serve -d",
            "glassbox pool drain shop-web shop-web-1",
        ]
        .map(words);
        let b = replay(s, &history, "shop-web-1", "shop-web-3");
        let lines: Vec<String> = b.steps.iter().map(|c| c.join(" ")).collect();
        assert_eq!(
            lines,
            ["create shop-web-3 --project shop", "run shop-web-3 -- serve -d", "pool add shop-web shop-web-3 8080:80"],
            "the supervisor's restart and the drain are not replayed"
        );
        assert!(b.supervised, "its run was in the foreground: the supervisor's");
        let detached = replay(s, &[words("glassbox run -d shop-web-1 -- serve")], "shop-web-1", "shop-web-3");
        assert!(!detached.supervised);
    }
}
