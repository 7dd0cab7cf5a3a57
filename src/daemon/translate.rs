//! `docker create` as glassbox steps: the daemon's plan, pure data.
//!
//! A create request is a list of wishes (a memory limit, a volume, a port);
//! each becomes the glassbox step a learner would type for it, in the order
//! runc performs them: the cgroup first (every Docker container has one,
//! limits or not, so `limit` always runs), then the namespaces Docker gives
//! a container (uts ipc net pid mnt; cgroup with `--cgroupns private`),
//! the image as the root filesystem, the volumes, the bridge and the
//! published ports. The command waits for `start`, which runs it.
//!
//! A wish glassbox cannot grant is refused before anything is made, with
//! what glassbox does instead. `-e`, `-w` and `-u` become `glassbox run`'s
//! own flags, over the image's Env, WorkingDir and User; with no command,
//! `run` runs the image's Entrypoint and Cmd. Last come the hardening
//! steps Docker gives every container (`caps`, `nnp`, `seccomp`,
//! `devices`, `mask`; see `harden`), changed by --cap-add, --cap-drop,
//! --security-opt and --read-only.

use super::types::{CreateRequest, HostConfig, Mount, PortBinding, Words};

/// Why a request is refused: bad input (400) or a missing thing (404).
#[derive(Debug, PartialEq)]
pub enum Refusal {
    Bad(String),
    NotFound(String),
}

/// The steps of one `docker create`, after `glassbox create NAME`.
#[derive(Debug, Default, PartialEq)]
pub struct Steps {
    /// glassbox arguments, one step each, in order.
    pub steps: Vec<Vec<String>>,
    /// Named volumes the steps mount, made first where missing (as Docker does).
    pub volumes: Vec<String>,
    /// Volumes made for this container alone (`-v /data`), removed by `rm -v`.
    pub anonymous: Vec<String>,
    /// The command `start` runs: `glassbox run NAME -- COMMAND`; empty for
    /// the image's own Entrypoint and Cmd.
    pub command: Vec<String>,
    /// `glassbox run`'s flags before it: `-e NAME=VALUE`, `-w DIR`, `-u USER`.
    pub run_flags: Vec<String>,
    /// A seccomp profile the request carries, for `Given::profile_file`.
    pub seccomp_profile: Option<String>,
    pub warnings: Vec<String>,
}

/// What the translation needs besides the request.
pub struct Given<'a> {
    pub name: &'a str,
    /// Docker's default hostname: the container ID's first 12 characters.
    pub hostname: &'a str,
    /// The glassbox image the request's image names.
    pub image: &'a str,
    /// A free port on the host's loopback, for `-p 80` and `-P`.
    pub free_port: &'a mut dyn FnMut() -> Option<u16>,
    /// Where a seccomp profile the request carries is written for its step.
    pub profile_file: &'a str,
}

pub fn translate(req: &CreateRequest, given: Given) -> Result<Steps, Refusal> {
    let host = req.host_config.clone().unwrap_or_default();
    refuse_unsupported(&host)?;
    let name = given.name.to_string();
    let step = |words: &[&str]| -> Vec<String> {
        let mut v = vec![words[0].to_string(), name.clone()];
        v.extend(words[1..].iter().map(|w| w.to_string()));
        v
    };
    let (entrypoint, command) = command(req)?;
    let run_flags = [run_flags(req)?, entrypoint].concat();
    let mut out = Steps { command, run_flags, ..Default::default() };
    let mut limit = step(&["limit"]);
    limit.extend(limits(&host)?);
    out.steps.push(limit);
    let network = network(&host)?;
    let hostname = req.hostname.as_deref().filter(|h| !h.is_empty()).unwrap_or(given.hostname);
    let mut kinds = vec!["uts", "ipc", "net", "pid", "mnt"];
    // `--network container:X`: the other box's net namespace, joined first
    // so the box init is born in it, as in a pod.
    if let Network::Container(other) = &network {
        out.steps.push(step(&["unshare", "net", "--join", other]));
        kinds.retain(|k| *k != "net");
    }
    if host.cgroupns_mode.as_deref() == Some("private") {
        kinds.push("cgroup");
    }
    kinds.extend(["--hostname", hostname]);
    out.steps.push(step(&[&["unshare"], kinds.as_slice()].concat()));
    out.steps.push(step(&["rootfs", given.image]));
    for spec in volumes(req, &host, given.name, &mut out)? {
        out.steps.push(vec!["volume".into(), "add".into(), name.clone(), spec]);
    }
    if network == Network::Bridge {
        out.steps.push(step(&["net"]));
        for (host_port, box_port) in ports(req, &host, given.free_port, &mut out.warnings)? {
            let mut publish = step(&["publish", &format!("{host_port}:{box_port}")]);
            if host_port < 1024 {
                publish.push("--allow-low-port".into());
            }
            out.steps.push(publish);
        }
    } else if host.port_bindings.as_ref().is_some_and(|p| !p.is_empty()) {
        return Err(Refusal::Bad(match network {
            Network::Container(other) => format!(
                "-p needs a network of the box's own: with --network container:{other} it uses {other}'s, so publish the port on {other}"
            ),
            _ => "-p needs the bridge network: a box with --network none has only lo".into(),
        }));
    }
    let wishes = harden::Wishes {
        cap_add: host.cap_add.as_deref().unwrap_or_default(),
        cap_drop: host.cap_drop.as_deref().unwrap_or_default(),
        security_opt: host.security_opt.as_deref().unwrap_or_default(),
        read_only: host.readonly_rootfs == Some(true),
    };
    harden::steps(&name, &wishes, given.profile_file, &mut out)?;
    Ok(out)
}

fn is_set(v: &Option<Vec<impl Sized>>) -> bool {
    v.as_ref().is_some_and(|v| !v.is_empty())
}

fn refuse_unsupported(host: &HostConfig) -> Result<(), Refusal> {
    let bad = |m: &str| Err(Refusal::Bad(m.into()));
    let mode = |m: &Option<String>| m.clone().unwrap_or_default();
    if host.privileged == Some(true) {
        return bad(
            "glassbox does not do --privileged: it would hand the box every device and capability of the host, and hide the isolation steps this is about; leave it out",
        );
    }
    if is_set(&host.devices) {
        return bad("glassbox does not pass host devices into a box (--device): a box gets a minimal /dev of its own");
    }
    if is_set(&host.device_requests) {
        return bad("glassbox does not pass GPUs or other devices into a box (--gpus)");
    }
    for (flag, value) in [("--pid", &host.pid_mode), ("--ipc", &host.ipc_mode), ("--uts", &host.uts_mode)] {
        if mode(value) == "host" || mode(value).starts_with("container:") {
            return Err(Refusal::Bad(format!(
                "glassbox does not do {flag} {}: each box gets namespaces of its own, which is the point; leave it out",
                mode(value)
            )));
        }
    }
    if !matches!(mode(&host.userns_mode).as_str(), "" | "host") {
        return bad("glassbox's daemon makes no user namespace (--userns): use `glassbox unshare BOX user` by hand");
    }
    if host.tmpfs.as_ref().is_some_and(|t| !t.is_empty()) {
        return bad("glassbox mounts no tmpfs volumes (--tmpfs); use a named volume: -v NAME:/path");
    }
    if is_set(&host.volumes_from) || is_set(&host.links) {
        return bad("glassbox does not do --volumes-from or --link; name the volumes, and publish ports with -p");
    }
    if host.restart_policy.as_ref().and_then(|r| r.name.clone()).is_some_and(|n| !n.is_empty() && n != "no") {
        return bad("glassbox restarts nothing by itself (--restart); leave it out");
    }
    Ok(())
}

/// The command after `glassbox run NAME --`, and `--entrypoint` when the
/// request gives one (dockerd's rule: an Entrypoint replaces the image's and
/// its Cmd; `[""]` means none). Empty with neither: the image's own.
fn command(req: &CreateRequest) -> Result<(Vec<String>, Vec<String>), Refusal> {
    let cmd = req.cmd.as_ref().map(Words::to_vec).unwrap_or_default();
    let (flags, argv) = match req.entrypoint.as_ref().map(Words::to_vec) {
        None => (vec![], cmd),
        Some(ep) if ep.iter().all(|w| w.is_empty()) => (vec!["--entrypoint".to_string(), String::new()], cmd),
        Some(ep) => (vec!["--entrypoint".to_string(), ep[0].clone()], [&ep[1..], &cmd[..]].concat()),
    };
    if flags.iter().chain(&argv).any(|a| a.contains('\0')) {
        return Err(Refusal::Bad("the command holds a NUL byte, which no program can be given".into()));
    }
    Ok((flags, argv))
}

/// `-e`, `-w` and `-u` as `glassbox run`'s flags of the same names.
fn run_flags(req: &CreateRequest) -> Result<Vec<String>, Refusal> {
    let env: Vec<String> = req.env.iter().flatten().filter(|e| e.contains('=')).cloned().collect();
    if let Some(bad) = env.iter().find(|e| e.starts_with('=') || e.contains('\0')) {
        return Err(Refusal::Bad(format!("environment variable {bad:?} has no name, or a NUL byte")));
    }
    let mut flags: Vec<String> = env.into_iter().flat_map(|e| ["-e".to_string(), e]).collect();
    if let Some(dir) = req.working_dir.as_deref().filter(|w| !w.is_empty()) {
        flags.extend(["-w".to_string(), dir.to_string()]);
    }
    if let Some(user) = req.user.as_deref().filter(|u| !u.is_empty()) {
        flags.extend(["-u".to_string(), user.to_string()]);
    }
    Ok(flags)
}

/// `limit` flags: Docker's numbers in glassbox's units. With none, the
/// box still gets a cgroup (`--memory max`), as every Docker container does.
fn limits(host: &HostConfig) -> Result<Vec<String>, Refusal> {
    let mut flags = vec![];
    let positive = |v: Option<i64>| v.filter(|v| *v > 0);
    if let Some(m) = positive(host.memory) {
        flags.extend(["--memory".to_string(), size(m)]);
        match host.memory_swap {
            Some(-1) => flags.extend(["--memory-swap".to_string(), "max".into()]),
            Some(total) if total > 0 && total < m => {
                return Err(Refusal::Bad("--memory-swap is memory plus swap: give at least --memory".into()));
            }
            Some(total) if total > 0 => flags.extend(["--memory-swap".to_string(), size(total - m)]),
            _ => {}
        }
    }
    let cpus = match (positive(host.nano_cpus), positive(host.cpu_quota)) {
        (Some(nano), _) => Some(nano as f64 / 1e9),
        (None, Some(q)) => Some(q as f64 / positive(host.cpu_period).unwrap_or(100_000) as f64),
        _ => None,
    };
    if let Some(c) = cpus {
        flags.extend(["--cpus".to_string(), format!("{}", (c * 1000.0).round() / 1000.0)]);
    }
    if let Some(p) = positive(host.pids_limit) {
        flags.extend(["--pids".to_string(), p.to_string()]);
    }
    if let Some(set) = host.cpuset_cpus.as_deref().filter(|s| !s.is_empty()) {
        flags.extend(["--cpuset".to_string(), set.to_string()]);
    }
    if let Some(w) = positive(host.blkio_weight) {
        flags.extend(["--io-weight".to_string(), w.to_string()]);
    }
    if flags.is_empty() {
        flags.extend(["--memory".to_string(), "max".into()]);
    }
    Ok(flags)
}

/// Bytes as glassbox's sizes read best: 64M rather than 67108864.
pub fn size(bytes: i64) -> String {
    match bytes {
        b if b % (1 << 30) == 0 => format!("{}G", b >> 30),
        b if b % (1 << 20) == 0 => format!("{}M", b >> 20),
        b if b % (1 << 10) == 0 => format!("{}k", b >> 10),
        b => b.to_string(),
    }
}

#[derive(Debug, PartialEq)]
enum Network {
    Bridge,
    None,
    /// Another container's network namespace (`unshare --join`).
    Container(String),
}

fn network(host: &HostConfig) -> Result<Network, Refusal> {
    match host.network_mode.as_deref().unwrap_or("") {
        "" | "default" | "bridge" => Ok(Network::Bridge),
        "none" => Ok(Network::None),
        "host" => Err(Refusal::Bad(
            "glassbox does not do --network host: a box always gets its own network namespace, which is the point; publish a port with -p HOST:BOX".into(),
        )),
        m if m.starts_with("container:") => match m.trim_start_matches("container:").trim_start_matches('/') {
            "" => Err(Refusal::Bad("--network container: names no container: give one (--network container:NAME)".into())),
            other => Ok(Network::Container(other.to_string())),
        },
        m => Err(Refusal::NotFound(format!("network {m} not found: glassbox has two, bridge and none"))),
    }
}

/// `volume add` specs: -v binds, --mount, and anonymous volumes (-v /data).
fn volumes(req: &CreateRequest, host: &HostConfig, name: &str, out: &mut Steps) -> Result<Vec<String>, Refusal> {
    let mut mounts: Vec<(String, String, bool)> = vec![];
    for bind in host.binds.iter().flatten() {
        let parts: Vec<&str> = bind.split(':').collect();
        let (source, target, opts) = match parts.as_slice() {
            [s, t] => (*s, *t, ""),
            [s, t, o] => (*s, *t, *o),
            _ => return Err(Refusal::Bad(format!("-v {bind:?}: give SOURCE:/path or SOURCE:/path:ro"))),
        };
        mounts.push((source.to_string(), target.to_string(), opts.split(',').any(|o| o == "ro")));
    }
    for m in host.mounts.iter().flatten() {
        let Mount { kind, source, target, read_only } = m;
        let (target, ro) = (target.clone().unwrap_or_default(), *read_only == Some(true));
        match (kind.as_deref().unwrap_or("volume"), source.as_deref().unwrap_or("")) {
            ("bind" | "volume", s) if !s.is_empty() => mounts.push((s.to_string(), target, ro)),
            ("volume", _) => mounts.push((anonymous(name, out), target, ro)),
            (k, _) => {
                return Err(Refusal::Bad(format!("--mount type={k}: glassbox mounts volumes and host folders only")));
            }
        }
    }
    for target in req.volumes.iter().flat_map(|v| v.keys()) {
        if !mounts.iter().any(|(_, t, _)| t == target) {
            mounts.push((anonymous(name, out), target.clone(), false));
        }
    }
    for (source, _, _) in &mounts {
        let named = !source.starts_with('/') && !out.anonymous.contains(source);
        if named && !out.volumes.contains(source) {
            out.volumes.push(source.clone());
        }
    }
    Ok(mounts.into_iter().map(|(s, t, ro)| format!("{s}:{t}{}", if ro { ":ro" } else { "" })).collect())
}

/// A volume of this container's own: Docker names it with 64 random hex
/// digits; glassbox after the box, so `volume ls` says whose it is.
fn anonymous(name: &str, out: &mut Steps) -> String {
    // Box names are ASCII: the cut falls between characters.
    let v = format!("{}-anon-{}", &name[..name.len().min(50)], out.anonymous.len() + 1);
    out.anonymous.push(v.clone());
    v
}

/// (host port, box port) pairs from -p and -P; glassbox listens on loopback.
fn ports(
    req: &CreateRequest,
    host: &HostConfig,
    free: &mut dyn FnMut() -> Option<u16>,
    warnings: &mut Vec<String>,
) -> Result<Vec<(u16, u16)>, Refusal> {
    let mut out = vec![];
    let mut bindings: Vec<(String, Option<PortBinding>)> = vec![];
    for (port, list) in host.port_bindings.iter().flatten() {
        match list.as_deref() {
            Some(l) if !l.is_empty() => bindings.extend(l.iter().map(|b| (port.clone(), Some(b.clone())))),
            _ => bindings.push((port.clone(), None)),
        }
    }
    if host.publish_all_ports == Some(true) {
        let bound: Vec<String> = bindings.iter().map(|(p, _)| p.clone()).collect();
        bindings.extend(
            req.exposed_ports.iter().flat_map(|e| e.keys()).filter(|p| !bound.contains(p)).map(|p| (p.clone(), None)),
        );
    }
    for (port, binding) in bindings {
        let (number, proto) = port.split_once('/').unwrap_or((&port, "tcp"));
        let box_port: u16 = number
            .parse()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| Refusal::Bad(format!("-p: {port:?} is not a port number")))?;
        if proto != "tcp" {
            return Err(Refusal::Bad(format!("-p {port}: glassbox publishes TCP ports only")));
        }
        let binding = binding.unwrap_or_default();
        let ip = binding.host_ip.unwrap_or_default();
        if !matches!(ip.as_str(), "" | "0.0.0.0" | "127.0.0.1" | "::" | "localhost") {
            return Err(Refusal::Bad(format!("-p {ip}:…: glassbox publishes on 127.0.0.1 only")));
        }
        let host_port = match binding.host_port.as_deref().unwrap_or("") {
            "" | "0" => free().ok_or_else(|| Refusal::Bad("no free port on 127.0.0.1 to publish on".into()))?,
            p => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                Refusal::Bad(format!(
                    "-p {p}:{box_port}: give one host port from 1 to 65535 (glassbox takes no ranges)"
                ))
            })?,
        };
        if ip != "127.0.0.1" && !warnings.iter().any(|w| w.starts_with("-p")) {
            warnings.push("-p: glassbox publishes on 127.0.0.1 only, not on every address of the host".into());
        }
        out.push((host_port, box_port));
    }
    Ok(out)
}

mod harden;
#[cfg(test)]
mod tests;
