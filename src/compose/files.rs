//! The service keys that name files, ports and sizes, checked the way the
//! steps will check them (so a bad one stops `up` before anything is made).

use super::ComposeError;
use super::resolve::{Given, scalar_text};
use super::spec::{self, Build, OneOrMany, Scalar};
use std::path::{Path, PathBuf};

fn bad(service: &str, key: &str, what: impl std::fmt::Display) -> ComposeError {
    ComposeError::Bad(format!("services.{service}.{key}: {what}"))
}

/// The `KEY=VALUE` lines of the service's env_files (relative to the project).
pub fn env_files(s: &spec::Service, dir: &Path) -> Result<Vec<String>, String> {
    let files = match &s.env_file {
        None => vec![],
        Some(OneOrMany::One(f)) => vec![f.clone()],
        Some(OneOrMany::Many(l)) => l.clone(),
    };
    let mut out = vec![];
    for f in files {
        let path = dir.join(&f);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let vars = super::interpolate::parse_dotenv(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        out.extend(vars.into_iter().map(|(k, v)| format!("{k}={v}")));
    }
    Ok(out)
}

/// `8080:80`, `127.0.0.1:8080:80`, `8080:80/tcp`; a box port alone is refused
/// (glassbox publishes on a port you name, so two `up`s never race for one).
pub fn ports(service: &str, list: &[Scalar]) -> Result<Vec<(u16, u16)>, ComposeError> {
    let mut out = vec![];
    for p in list {
        let text = scalar_text(p);
        let spec = text.strip_suffix("/tcp").unwrap_or(&text);
        if spec.ends_with("/udp") {
            return Err(bad(service, "ports", format!("{text:?}: glassbox publishes TCP ports only")));
        }
        let parts: Vec<&str> = spec.split(':').collect();
        let (host, boxp) = match parts.as_slice() {
            [h, b] => (*h, *b),
            ["127.0.0.1" | "localhost", h, b] => (*h, *b),
            [ip, _, _] => {
                return Err(bad(service, "ports", format!("{text:?}: glassbox publishes on 127.0.0.1 only, not {ip}")));
            }
            _ => {
                return Err(bad(service, "ports", format!("{text:?}: give HOSTPORT:BOXPORT, e.g. \"8080:80\"")));
            }
        };
        if host.contains('-') {
            return Err(bad(
                service,
                "ports",
                format!(
                    "{text:?}: a host port per replica is not how glassbox spreads replicas: give one host port (\"8080:80\"), and its proxy takes turns over the replicas"
                ),
            ));
        }
        let num = |s: &str| s.parse::<u16>().ok().filter(|p| *p > 0);
        match (num(host), num(boxp)) {
            (Some(h), Some(b)) => out.push((h, b)),
            _ => {
                return Err(bad(
                    service,
                    "ports",
                    format!("{text:?}: give one host port and one box port from 1 to 65535 (no ranges)"),
                ));
            }
        }
    }
    Ok(out)
}

/// `glassbox build` arguments for a service with `build`.
pub fn build(s: &spec::Service, dir: &Path, project: &str, name: &str) -> Result<Option<Vec<String>>, ComposeError> {
    let Some(b) = &s.build else { return Ok(None) };
    let (context, dockerfile, args) = match b {
        Build::Context(c) => (c.clone(), None, vec![]),
        Build::Full(f) => (
            f.context.clone(),
            f.dockerfile.clone(),
            f.args.as_ref().map(super::resolve::environment_list).unwrap_or_default(),
        ),
    };
    // `./app` and `.` as a reader would write them: /project/app, /project.
    let context: PathBuf = dir.join(&context).components().filter(|c| *c != std::path::Component::CurDir).collect();
    if !context.is_dir() {
        return Err(bad(name, "build.context", format!("{}: no such folder", context.display())));
    }
    let tag = s.image.clone().unwrap_or_else(|| format!("{project}-{name}"));
    let mut out = vec!["-t".to_string(), tag, "--force".to_string()];
    if let Some(df) = dockerfile {
        out.extend(["-f".to_string(), context.join(df).display().to_string()]);
    }
    for a in args {
        out.extend(["--build-arg".to_string(), a]);
    }
    out.push(context.display().to_string());
    Ok(Some(out))
}

/// Compose's sizes (`64m`, `1g`, `512mb`, bytes) as bytes.
fn bytes(service: &str, key: &str, v: &Scalar) -> Result<String, ComposeError> {
    let text = scalar_text(v).to_lowercase();
    let n = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let shift = match text[n..].trim_end_matches('b') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        _ => return Err(bad(service, key, format!("{text:?}: give a size like 64m or 1g"))),
    };
    let value: i64 = text[..n].parse().map_err(|_| bad(service, key, format!("{text:?}: give a size like 64m")))?;
    // In glassbox's own units (64M), as the daemon writes Docker's.
    Ok(crate::daemon::translate::size(value << shift))
}

/// `limit` flags from mem_limit/cpus/pids_limit and deploy.resources.limits
/// (the deploy ones win, as in Compose); `--memory max` with none: every
/// box gets its cgroup, as every Docker container does.
pub fn limits(name: &str, s: &spec::Service) -> Result<Vec<String>, ComposeError> {
    let deploy =
        s.deploy.as_ref().and_then(|d| d.resources.as_ref()).and_then(|r| r.limits.clone()).unwrap_or_default();
    let mut flags = vec![];
    if let Some(m) = deploy.memory.as_ref().or(s.mem_limit.as_ref()) {
        flags.extend(["--memory".to_string(), bytes(name, "mem_limit", m)?]);
    }
    if let Some(c) = deploy.cpus.as_ref().or(s.cpus.as_ref()) {
        let text = scalar_text(c);
        text.parse::<f64>().ok().filter(|c| *c > 0.0).ok_or_else(|| bad(name, "cpus", "give a number like 0.5"))?;
        flags.extend(["--cpus".to_string(), text]);
    }
    if let Some(p) = deploy.pids.as_ref().or(s.pids_limit.as_ref()) {
        let text = scalar_text(p);
        text.parse::<u32>().map_err(|_| bad(name, "pids_limit", "give a number"))?;
        flags.extend(["--pids".to_string(), text]);
    }
    if flags.is_empty() {
        flags.extend(["--memory".to_string(), "max".to_string()]);
    }
    Ok(flags)
}

/// `volume add` specs: a top-level volume by its glassbox name, or a host
/// folder (relative to the project) the volume rules accept.
pub fn volumes(name: &str, list: &[String], given: &Given) -> Result<Vec<String>, ComposeError> {
    let mut out = vec![];
    for v in list {
        let parts: Vec<&str> = v.split(':').collect();
        let (source, target, ro) = match parts.as_slice() {
            [s, t] => (*s, *t, false),
            [s, t, "ro"] => (*s, *t, true),
            [s, t, "rw"] => (*s, *t, false),
            _ => return Err(bad(name, "volumes", format!("{v:?}: give SOURCE:/path or SOURCE:/path:ro"))),
        };
        crate::volume::spec::parse_target(target).map_err(|e| bad(name, "volumes", format!("{v:?}: {e}")))?;
        let source = if source.starts_with('/') || source.starts_with('.') {
            host_folder(name, v, &given.dir.join(source), given.own)?
        } else {
            given.volumes.get(source).cloned().ok_or_else(|| {
                bad(name, "volumes", format!("{v:?}: volume {source:?} is not declared under the top-level volumes"))
            })?
        };
        out.push(format!("{source}:{target}{}", if ro { ":ro" } else { "" }));
    }
    Ok(out)
}

fn host_folder(name: &str, spec: &str, path: &Path, own: &[&Path]) -> Result<String, ComposeError> {
    let resolved: PathBuf = path.canonicalize().map_err(|_| {
        bad(name, "volumes", format!("{spec:?}: host folder {} does not exist: make it first", path.display()))
    })?;
    if !resolved.is_dir() {
        return Err(bad(name, "volumes", format!("{spec:?}: {} is not a folder", resolved.display())));
    }
    if let Some(why) = crate::volume::danger::reason(&resolved, own) {
        return Err(bad(
            name,
            "volumes",
            format!("{spec:?}: refusing to mount {} into a box: {why}", resolved.display()),
        ));
    }
    Ok(resolved.display().to_string())
}
