//! `compose up` as data: the glassbox commands for each box, pure.
//!
//! One replica of one service is one box, made by the steps a learner
//! would type, in the order the daemon's `docker run` uses: `create`,
//! `limit` (every box gets its cgroup), `unshare` of the five namespaces
//! Docker gives a container (net left out for `network_mode: service:X`,
//! which `unshare … net --join` takes from X's first box instead),
//! `rootfs`, `volume add`, `net` on the bridge, `caps`, `run -d`, and
//! `pool add` for each published port: the service's pool (PROJECT-SERVICE)
//! owns the port, not any one box, so replicas can come and go behind it.
//! `--explain up` and `--dry-run up` print exactly these.

use super::project::{Project, box_name};
use super::resolve::{Network, Service};
use super::spec::Condition;

/// The steps that make one box. (One a dependency waits to complete
/// successfully runs in the foreground, `run` without -d, to its end.)
#[derive(Debug, Clone)]
pub struct BoxPlan {
    pub service: String,
    pub name: String,
    /// glassbox arguments, one step each, in order.
    pub steps: Vec<Vec<String>>,
    /// `restart: on-failure`: the `run` step is the project supervisor's,
    /// which runs it again when it fails.
    pub supervised: bool,
}

impl BoxPlan {
    /// Where its `run` step is (its `pool add`s come after it).
    pub fn run_at(&self) -> usize {
        self.steps.iter().rposition(|s| s.first().is_some_and(|v| v == "run")).unwrap_or(self.steps.len() - 1)
    }
}

/// One replica of `s` named `name`: its steps, and whether its supervisor runs it.
pub fn replica(p: &Project, s: &Service, name: &str, runs_to_end: bool, facts: &Facts) -> BoxPlan {
    let supervised = s.restart.is_some() && !runs_to_end;
    let steps = box_steps(p, s, name, runs_to_end || supervised, facts);
    BoxPlan { service: s.name.clone(), name: name.to_string(), steps, supervised }
}

#[derive(Debug, Default)]
pub struct UpPlan {
    /// `volume create` for the project's volumes that do not exist yet.
    pub volumes: Vec<Vec<String>>,
    /// `build` for services with `build` (with --build, or when the image is missing).
    pub builds: Vec<Vec<String>>,
    /// Boxes by wave: a wave's boxes are made in parallel, after the waves before.
    pub waves: Vec<Vec<BoxPlan>>,
    /// Per wave, the services it waits to be healthy first.
    pub waits: Vec<Vec<String>>,
}

impl UpPlan {
    pub fn count(&self) -> usize {
        self.volumes.len() + self.builds.len() + self.waves.iter().flatten().map(|b| b.steps.len()).sum::<usize>()
    }

    /// Every step as it would be typed, with the wave each belongs to.
    pub fn render(&self) -> String {
        let line = |s: &Vec<String>| format!("  glassbox {}\n", crate::daemon::steps::shown(s));
        let mut out = format!("compose up is these {} steps:\n", self.count());
        self.volumes.iter().chain(&self.builds).for_each(|s| out.push_str(&line(s)));
        for (i, wave) in self.waves.iter().enumerate() {
            let names: Vec<&str> = wave.iter().map(|b| b.name.as_str()).collect();
            let waits = self.waits.get(i).filter(|w| !w.is_empty());
            let after = waits.map(|w| format!(", once {} passes its healthcheck", w.join(" and "))).unwrap_or_default();
            out.push_str(&format!("# wave {} (in parallel{after}): {}\n", i + 1, names.join(", ")));
            for b in wave {
                for (n, s) in b.steps.iter().enumerate() {
                    if b.supervised && n == b.run_at() {
                        out.push_str("# by the project's supervisor, again when it fails (restart: on-failure):\n");
                    }
                    out.push_str(&line(s));
                }
            }
        }
        out
    }
}

/// What the plan needs to know of the machine besides the project.
pub trait Known {
    fn volume_exists(&self, name: &str) -> bool;
    fn image_exists(&self, name: &str) -> bool;
    /// The image's Entrypoint, which `command:` alone keeps (as in Compose).
    fn entrypoint(&self, image: &str) -> Vec<String>;
    /// The replica numbers of a service's boxes that exist already: `up`
    /// leaves them (and `scale` adds only the missing). After a rolling
    /// update they are not 1..N: each new replica takes the next number.
    fn replicas(&self, project: &str, service: &str) -> Vec<u32>;
    /// The image's layers, to tell a rebuilt image from the one a box runs.
    fn image_layers(&self, _image: &str) -> Option<Vec<String>> {
        None
    }
}

pub struct Facts<'a> {
    pub known: &'a dyn Known,
    /// `up --build`: build even where the image exists.
    pub build: bool,
}

/// The plan for the services asked (all when empty), each with `replicas` boxes
/// unless `scale` says otherwise.
pub fn up(p: &Project, only: &[String], scale: &[(String, u32)], facts: &Facts) -> UpPlan {
    let mut plan = UpPlan::default();
    for v in p.volumes.iter().filter(|v| !facts.known.volume_exists(v)) {
        plan.volumes.push(words(&["volume", "create", v]));
    }
    for wave in &p.waves {
        let mut boxes = vec![];
        for s in wave.iter().filter(|s| only.is_empty() || only.contains(s)).map(|s| &p.services[s]) {
            if let Some(b) = &s.build
                && (facts.build || !facts.known.image_exists(&s.image))
            {
                plan.builds.push([vec!["build".to_string()], b.clone()].concat());
            }
            let replicas = scale.iter().find(|(n, _)| *n == s.name).map(|(_, n)| *n).unwrap_or(s.replicas);
            let runs_to_end = p
                .services
                .values()
                .any(|o| o.depends_on.iter().any(|(d, c)| *d == s.name && *c == Condition::CompletedSuccessfully));
            let existing = facts.known.replicas(&p.name, &s.name);
            let missing = (replicas as usize).saturating_sub(existing.len());
            for n in (1..).filter(|n| !existing.contains(n)).take(missing) {
                let name = box_name(&p.name, &s.name, n);
                boxes.push(replica(p, s, &name, runs_to_end, facts));
            }
        }
        if !boxes.is_empty() {
            let mut waits: Vec<String> = boxes
                .iter()
                .flat_map(|b| &p.services[&b.service].depends_on)
                .filter(|(_, c)| *c == Condition::Healthy)
                .map(|(d, _)| d.clone())
                .collect();
            waits.sort();
            waits.dedup();
            plan.waits.push(waits);
            plan.waves.push(boxes);
        }
    }
    plan
}

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

/// The box whose net namespace `network_mode: service:X` joins: X's
/// lowest-numbered replica (not always 1: a rolling update numbers on), or
/// X-1, which the `up` that makes X makes first.
pub fn first_replica(p: &Project, service: &str, facts: &Facts) -> String {
    let n = facts.known.replicas(&p.name, service).into_iter().min().unwrap_or(1);
    box_name(&p.name, service, n)
}

/// The service's pool: one per service, whatever its replicas are called.
pub fn pool_name(project: &str, service: &str) -> String {
    format!("{project}-{service}")
}

/// `pool add` of the box for each port the service publishes.
pub fn pool_steps(p: &Project, s: &Service, name: &str) -> Vec<Vec<String>> {
    s.ports
        .iter()
        .map(|(host, boxp)| {
            let mut add = words(&["pool", "add", &pool_name(&p.name, &s.name), name, &format!("{host}:{boxp}")]);
            if *host < 1024 {
                add.push("--allow-low-port".into());
            }
            add
        })
        .collect()
}

/// The steps of one box, from `create` to `run` and its `pool add`s
/// (`run` in the foreground when it runs to its end, or when the
/// supervisor runs it).
pub fn box_steps(p: &Project, s: &Service, name: &str, foreground: bool, facts: &Facts) -> Vec<Vec<String>> {
    let on = |verb: &str, rest: &[String]| -> Vec<String> {
        [vec![verb.to_string(), name.to_string()], rest.to_vec()].concat()
    };
    let mut steps = vec![on("create", &words(&["--project", &p.name])), on("limit", &s.limits)];
    let mut kinds = words(&["uts", "ipc", "net", "pid", "mnt"]);
    if matches!(s.network, Network::Service(_)) {
        kinds.retain(|k| k != "net");
    }
    kinds.extend(["--hostname".to_string(), s.hostname.clone().unwrap_or_else(|| s.name.clone())]);
    steps.push(on("unshare", &kinds));
    if let Network::Service(other) = &s.network {
        steps.push(on("unshare", &words(&["net", "--join", &first_replica(p, other, facts)])));
    }
    steps.push(on("rootfs", std::slice::from_ref(&s.image)));
    for v in &s.volumes {
        steps.push(vec!["volume".into(), "add".into(), name.to_string(), v.clone()]);
    }
    if s.network == Network::Bridge {
        steps.push(on("net", &words(&["--network", &p.name])));
    }
    if s.read_only {
        // The overlay's merged view remounted read-only; volumes, /proc,
        // /dev and /tmp are mounts of their own and keep their mode.
        steps.push(on("mask", &words(&["--read-only", "/"])));
    }
    if let Some(caps) = &s.caps {
        steps.push(on("caps", caps));
    }
    let mut run = vec!["run".to_string()];
    if !foreground {
        run.push("-d".into());
    }
    run.push(name.to_string());
    run.extend(s.run_flags.iter().cloned());
    let mut argv = s.argv.clone();
    if !argv.is_empty() && p.spec.services[&s.name].entrypoint.is_none() {
        argv = [facts.known.entrypoint(&s.image), argv].concat();
    }
    if !argv.is_empty() {
        run.push("--".into());
        run.extend(argv);
    }
    steps.push(run);
    if s.network == Network::Bridge {
        steps.extend(pool_steps(p, s, name));
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::project::from_text;
    use crate::state::Root;
    use std::path::Path;

    struct Nothing;
    impl Known for Nothing {
        fn volume_exists(&self, _: &str) -> bool {
            false
        }
        fn image_exists(&self, _: &str) -> bool {
            true
        }
        fn entrypoint(&self, _: &str) -> Vec<String> {
            vec!["/entry".into()]
        }
        fn replicas(&self, _: &str, _: &str) -> Vec<u32> {
            vec![]
        }
    }

    const FILE: &str = "services:
  web:
    image: app
    command: serve
    ports: [\"8080:80\"]
    deploy: {replicas: 2}
    depends_on: {db: {condition: service_healthy}}
  db:
    image: busybox
    network_mode: none
    cap_drop: [NET_RAW]
    healthcheck: {test: [CMD, \"true\"]}
";

    #[test]
    fn a_file_becomes_waves_of_typed_steps() {
        let root = Root::new(Some(Path::new("/tmp/gb-plan-test")));
        let p = from_text(&root, Path::new("/srv/shop/compose.yaml"), FILE, &Default::default(), None).unwrap();
        let plan = up(&p, &[], &[], &Facts { known: &Nothing, build: false });
        let text = plan.render();
        assert!(text.starts_with("compose up is these 20 steps:\n# wave 1 (in parallel): shop-db-1\n"), "{text}");
        assert!(
            text.contains("# wave 2 (in parallel, once db passes its healthcheck): shop-web-1, shop-web-2"),
            "{text}"
        );
        assert!(
            text.contains("glassbox unshare shop-db-1 uts ipc net pid mnt --hostname db\n  glassbox rootfs"),
            "{text}"
        );
        assert!(!text.contains("glassbox net shop-db-1"), "network_mode none: {text}");
        assert!(text.contains("glassbox caps shop-db-1 --drop ALL --add "), "{text}");
        assert!(text.contains("glassbox run -d shop-web-2 -- /entry serve"), "command keeps the entrypoint: {text}");
        assert!(
            text.contains(
                "glassbox run -d shop-web-2 -- /entry serve\n  glassbox pool add shop-web shop-web-2 8080:80\n"
            ),
            "{text}"
        );
    }
}
