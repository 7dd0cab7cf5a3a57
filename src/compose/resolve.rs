//! From the file's words to what each service asks of glassbox.
//!
//! Everything a step would refuse is refused here first, before anything is
//! made: a bad port, two services on one host port, a volume path the
//! volume rules forbid, a `network_mode` glassbox has no step for. What is
//! left is a [`Service`] whose fields are already glassbox's flags.

use super::ComposeError;
use super::spec::{self, Condition, Environment, Scalar, Words};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum Network {
    /// The project's bridge: an address, /etc/hosts names, published ports.
    Bridge,
    /// Only `lo`.
    None,
    /// The first replica's network namespace of that service (a pod).
    Service(String),
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Health {
    pub argv: Vec<String>,
    pub interval: Duration,
    pub timeout: Duration,
    pub retries: u32,
    pub start_period: Duration,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub image: String,
    /// `glassbox build` arguments after `build`, when the service has `build`.
    pub build: Option<Vec<String>>,
    /// The command; empty for the image's own Entrypoint and Cmd.
    pub argv: Vec<String>,
    /// `glassbox run` flags: -e, -w, -u.
    pub run_flags: Vec<String>,
    pub hostname: Option<String>,
    /// `glassbox limit` flags.
    pub limits: Vec<String>,
    /// `volume add` specs, SOURCE:/path[:ro], SOURCE a volume or a host folder.
    pub volumes: Vec<String>,
    /// (host port, box port).
    pub ports: Vec<(u16, u16)>,
    pub network: Network,
    /// `glassbox caps` flags, when cap_add or cap_drop ask for a change.
    pub caps: Option<Vec<String>>,
    pub depends_on: Vec<(String, Condition)>,
    pub health: Option<Health>,
    pub replicas: u32,
    /// `read_only: true`: `mask --read-only /` before `run`.
    pub read_only: bool,
    /// `restart: on-failure[:N]`: at most N restarts (u32::MAX without N),
    /// made by the project's supervisor, which then runs the main process.
    pub restart: Option<u32>,
    /// How a rolling update replaces the replicas (`deploy.update_config`).
    pub update: super::update::UpdateConfig,
}

fn bad(service: &str, key: &str, what: impl std::fmt::Display) -> ComposeError {
    ComposeError::Bad(format!("services.{service}.{key}: {what}"))
}

pub fn words(w: &Words) -> Vec<String> {
    match w {
        Words::List(l) => l.clone(),
        Words::Line(s) => s.split_whitespace().map(String::from).collect(),
    }
}

pub fn scalar_text(s: &Scalar) -> String {
    match s {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => f.to_string(),
        Scalar::Text(t) => t.clone(),
    }
}

/// `30s`, `1m30s`, `500ms`, `2h`: Compose's durations.
pub fn duration(text: &str) -> Result<Duration, String> {
    let mut total = Duration::ZERO;
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err("an empty duration".into());
    }
    while !rest.is_empty() {
        let n = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let value: f64 = rest[..n].parse().map_err(|_| format!("{text:?} is not a duration like 30s or 1m30s"))?;
        rest = &rest[n..];
        let u = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let secs = match &rest[..u] {
            "ms" => value / 1000.0,
            "s" => value,
            "m" => value * 60.0,
            "h" => value * 3600.0,
            _ => return Err(format!("{text:?} is not a duration like 30s or 1m30s (units: ms s m h)")),
        };
        total += Duration::from_secs_f64(secs);
        rest = &rest[u..];
    }
    Ok(total)
}

pub fn environment_list(env: &Environment) -> Vec<String> {
    match env {
        Environment::List(l) => l.clone(),
        Environment::Map(m) => {
            m.iter().map(|(k, v)| format!("{k}={}", v.as_ref().map(scalar_text).unwrap_or_default())).collect()
        }
    }
}

pub struct Given<'a> {
    pub project: &'a str,
    pub dir: &'a Path,
    /// Names of the file's top-level volumes (as written) and their glassbox names.
    pub volumes: &'a BTreeMap<String, String>,
    /// This root's state and runtime folders, which no bind mount may reach.
    pub own: &'a [&'a Path],
}

pub fn service(name: &str, s: &spec::Service, given: &Given) -> Result<Service, ComposeError> {
    crate::state::names::validate("service", name).map_err(|e| ComposeError::Bad(format!("services.{name}: {e}")))?;
    let image = match (&s.image, &s.build) {
        (Some(i), _) => i.clone(),
        (None, Some(_)) => format!("{}-{name}", given.project),
        (None, None) => return Err(bad(name, "image", "a service needs an image (or a build): add `image: busybox`")),
    };
    let mut run_flags = vec![];
    for file in super::files::env_files(s, given.dir).map_err(|e| bad(name, "env_file", e))? {
        run_flags.extend(["-e".to_string(), file]);
    }
    for kv in s.environment.as_ref().map(environment_list).unwrap_or_default() {
        if !kv.contains('=') || kv.starts_with('=') {
            return Err(bad(name, "environment", format!("{kv:?}: give NAME=VALUE")));
        }
        run_flags.extend(["-e".to_string(), kv]);
    }
    if let Some(w) = &s.working_dir {
        run_flags.extend(["-w".to_string(), w.clone()]);
    }
    if let Some(u) = &s.user {
        run_flags.extend(["-u".to_string(), u.clone()]);
    }
    let mut argv = s.entrypoint.as_ref().map(words).unwrap_or_default();
    argv.extend(s.command.as_ref().map(words).unwrap_or_default());
    let network = match s.network_mode.as_deref() {
        None | Some("bridge") | Some("default") => Network::Bridge,
        Some("none") => Network::None,
        Some(m) if m.starts_with("service:") => Network::Service(m[8..].to_string()),
        Some(m) => {
            return Err(bad(name, "network_mode", format!("{m:?}: glassbox reads none and service:NAME")));
        }
    };
    let replicas = match s.deploy.as_ref().and_then(|d| d.replicas.as_ref()) {
        None => 1,
        Some(r) => scalar_text(r)
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=20).contains(n))
            .ok_or_else(|| bad(name, "deploy.replicas", "give a number from 1 to 20"))?,
    };
    let ports = super::files::ports(name, &s.ports)?;
    if let Some((a, b)) =
        ports.iter().enumerate().find_map(|(i, a)| ports[i + 1..].iter().find(|b| b.1 == a.1).map(|b| (a, b)))
        && replicas > 1
    {
        return Err(bad(
            name,
            "ports",
            format!(
                "{}:{} and {}:{} look like a host port per replica: the {replicas} replicas share one host port (\"{}:{}\"), whose balancer takes turns over them",
                a.0, a.1, b.0, b.1, a.0, a.1
            ),
        ));
    }
    if network != Network::Bridge && !ports.is_empty() {
        return Err(bad(name, "ports", "a published port needs the project's bridge: drop network_mode or the ports"));
    }
    let restart = restart(name, s.restart.as_deref())?;
    Ok(Service {
        name: name.to_string(),
        image,
        build: super::files::build(s, given.dir, given.project, name)?,
        argv,
        run_flags,
        hostname: s.hostname.clone(),
        limits: super::files::limits(name, s)?,
        volumes: super::files::volumes(name, &s.volumes, given)?,
        ports,
        network,
        caps: caps(s),
        depends_on: super::order::dependencies(s),
        health: health(name, s)?,
        replicas,
        read_only: s.read_only == Some(true),
        restart,
        update: super::update::config(name, s)?,
    })
}

/// `restart:` as the most restarts the supervisor makes (None: `no`).
fn restart(name: &str, r: Option<&str>) -> Result<Option<u32>, ComposeError> {
    match r {
        None | Some("no") => Ok(None),
        Some("on-failure") => Ok(Some(u32::MAX)),
        Some(r) if r.starts_with("on-failure:") => r["on-failure:".len()..]
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .map(Some)
            .ok_or_else(|| bad(name, "restart", format!("{r:?}: give on-failure:N, N from 1 to 1000"))),
        Some(r @ ("always" | "unless-stopped")) => Err(bad(
            name,
            "restart",
            format!("{r:?}: glassbox's supervisor restarts a main process that failed only: use on-failure[:N] or no"),
        )),
        Some(r) => Err(bad(name, "restart", format!("{r:?}: give no or on-failure[:N]"))),
    }
}

/// cap_add/cap_drop as `caps` flags: Docker's 14 by default, changed by both.
fn caps(s: &spec::Service) -> Option<Vec<String>> {
    if s.cap_add.is_empty() && s.cap_drop.is_empty() {
        return None;
    }
    let upper = |l: &[String]| l.iter().map(|c| c.trim_start_matches("CAP_").to_uppercase()).collect::<Vec<_>>();
    let (add, drop) = (upper(&s.cap_add), upper(&s.cap_drop));
    // `caps --drop ALL --add X` keeps exactly X: Docker's defaults plus
    // cap_add, less cap_drop.
    let mut keep: Vec<String> = if drop.iter().any(|d| d == "ALL") {
        vec![]
    } else {
        crate::stage::caps::DOCKER_DEFAULT
            .iter()
            .map(|c| c.to_string().trim_start_matches("CAP_").to_string())
            .collect()
    };
    keep.retain(|c| !drop.contains(c));
    keep.extend(add.into_iter().filter(|a| a != "ALL"));
    keep.sort();
    keep.dedup();
    let mut flags = vec!["--drop".to_string(), "ALL".to_string()];
    if !keep.is_empty() {
        flags.extend(["--add".to_string(), keep.join(",")]);
    }
    Some(flags)
}

fn health(name: &str, s: &spec::Service) -> Result<Option<Health>, ComposeError> {
    let Some(h) = s.healthcheck.as_ref().filter(|h| h.disable != Some(true)) else { return Ok(None) };
    let argv = match &h.test {
        None => {
            return Err(bad(
                name,
                "healthcheck.test",
                "give a test, e.g. [\"CMD\", \"wget\", \"-q\", \"-O-\", \"localhost\"]",
            ));
        }
        Some(Words::Line(line)) => vec!["sh".into(), "-c".into(), line.clone()],
        Some(Words::List(l)) => match l.first().map(String::as_str) {
            Some("NONE") => return Ok(None),
            Some("CMD") if l.len() > 1 => l[1..].to_vec(),
            Some("CMD-SHELL") if l.len() == 2 => vec!["sh".into(), "-c".into(), l[1].clone()],
            _ => return Err(bad(name, "healthcheck.test", "start the list with CMD or CMD-SHELL, or give one string")),
        },
    };
    let dur = |v: &Option<String>, key: &str, default: u64| -> Result<Duration, ComposeError> {
        v.as_deref()
            .map(duration)
            .transpose()
            .map_err(|e| bad(name, key, e))
            .map(|d| d.unwrap_or(Duration::from_secs(default)))
    };
    let retries = match &h.retries {
        None => 3,
        Some(r) => scalar_text(r).parse().map_err(|_| bad(name, "healthcheck.retries", "give a number"))?,
    };
    Ok(Some(Health {
        argv,
        interval: dur(&h.interval, "healthcheck.interval", 30)?,
        timeout: dur(&h.timeout, "healthcheck.timeout", 30)?,
        retries,
        start_period: dur(&h.start_period, "healthcheck.start_period", 0)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_compose_writes_them() {
        assert_eq!(duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(duration("500ms").unwrap(), Duration::from_millis(500));
        assert!(duration("5 parsecs").is_err());
    }

    #[test]
    fn restart_policies_as_limits() {
        assert_eq!(restart("s", None), Ok(None));
        assert_eq!(restart("s", Some("no")), Ok(None));
        assert_eq!(restart("s", Some("on-failure")), Ok(Some(u32::MAX)));
        assert_eq!(restart("s", Some("on-failure:5")), Ok(Some(5)));
        for bad in ["always", "unless-stopped", "on-failure:0", "on-failure:x", "sometimes"] {
            assert!(restart("s", Some(bad)).is_err(), "{bad}");
        }
    }
}
