//! An image's config: how to run it, as the OCI image spec (and Docker
//! before it) writes it next to the layers — `Cmd`, `Entrypoint`, `Env`,
//! `WorkingDir`, `User`, `ExposedPorts`, `Labels`, `Volumes` — and its
//! history, one entry per Dockerfile line, `empty_layer` for a line that
//! changed only the config.
//!
//! The types are the `oci-spec` crate's, so what glassbox keeps is what
//! `image export` writes and what podman reads back. Here: reading a config
//! from an archive leniently (an old `docker save` lacks fields the spec
//! calls required), and turning a config plus `run -e/-w/-u` into the argv
//! and process of a command (`sys::identity::ProcessSpec`).

use super::import::invalid;
use super::{ImageError, Result};
use crate::sys::identity::{Ids, ProcessSpec};
pub use oci_spec::image::{Config, History, ImageConfiguration};
use serde_json::Value;

/// The config of an archive's image. A config the spec's type takes whole
/// is kept whole; otherwise its `config` and `history` are read on their
/// own, and a malformed one of those is an invalid archive.
pub fn from_archive(value: &Value) -> Result<ImageConfiguration> {
    if let Ok(whole) = serde_json::from_value::<ImageConfiguration>(value.clone()) {
        return Ok(whole);
    }
    let mut out = ImageConfiguration::default();
    if let Some(c) = value.get("config").filter(|c| !c.is_null()) {
        let config: Config = serde_json::from_value(c.clone()).map_err(|e| invalid(format!("image config: {e}")))?;
        out.set_config(Some(config));
    }
    if let Some(h) = value.get("history").filter(|h| !h.is_null()) {
        let history: Vec<History> =
            serde_json::from_value(h.clone()).map_err(|e| invalid(format!("image history: {e}")))?;
        out.set_history(Some(history));
    }
    Ok(out)
}

/// What `run`/`exec` say over the image's config.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `-e KEY=value`.
    pub env: Vec<String>,
    /// `-w /folder`.
    pub workdir: Option<String>,
    /// `-u user[:group]`.
    pub user: Option<String>,
}

/// The command to run: the config's Entrypoint, then the arguments given,
/// or its Cmd when none were (Docker's rule). Empty when neither says one.
pub fn command(config: Option<&Config>, given: &[String]) -> Vec<String> {
    command_with(config, None, given)
}

/// The same with `--entrypoint` as dockerd takes it: a program replaces
/// the image's Entrypoint and its Cmd too (only the arguments given follow
/// it); `""` means no Entrypoint, and the image's Cmd runs if none is given.
pub fn command_with(config: Option<&Config>, entrypoint: Option<&str>, given: &[String]) -> Vec<String> {
    let image_cmd = || config.and_then(|c| c.cmd().clone()).unwrap_or_default();
    let rest = |cmd: Vec<String>| if given.is_empty() { cmd } else { given.to_vec() };
    match entrypoint {
        None => {
            let entrypoint = config.and_then(|c| c.entrypoint().clone()).unwrap_or_default();
            entrypoint.into_iter().chain(rest(image_cmd())).collect()
        }
        Some("") => rest(image_cmd()),
        Some(program) => std::iter::once(program.to_string()).chain(given.iter().cloned()).collect(),
    }
}

/// Checks one `KEY=value`: a name without `=` and no NUL anywhere.
pub fn check_env(pair: &str, flag: &str) -> Result<()> {
    match pair.split_once('=') {
        Some((k, _)) if !k.is_empty() && !pair.contains('\0') => Ok(()),
        _ => Err(ImageError::Invalid(format!(
            "{flag} {:?} is not KEY=value: give a name, `=`, and the value (e.g. {flag} GREETING=hello)",
            pair.escape_debug().to_string()
        ))),
    }
}

/// The process a command runs as: the config's Env, WorkingDir and User,
/// each overridden by the flags; `read` gives a file of the box's root
/// (`/etc/passwd`, `/etc/group`) to resolve a user name.
pub fn process(
    config: Option<&Config>,
    over: &Overrides,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<ProcessSpec> {
    let mut spec = ProcessSpec::default();
    let cwd = over.workdir.clone().or_else(|| config.and_then(|c| c.working_dir().clone())).filter(|w| !w.is_empty());
    if let Some(cwd) = &cwd {
        if !cwd.starts_with('/') || cwd.contains('\0') {
            return Err(ImageError::Invalid(format!(
                "working folder {:?} is not an absolute path: give one such as /app",
                cwd.escape_debug().to_string()
            )));
        }
    }
    spec.cwd = cwd;
    let user = over.user.clone().or_else(|| config.and_then(|c| c.user().clone())).filter(|u| !u.is_empty());
    if let Some(user) = user {
        let (ids, home) = resolve_user(&user, read)?;
        if let Some(home) = home {
            spec.env.push(format!("HOME={home}"));
        }
        spec.user = Some(ids);
    }
    spec.env.extend(config.and_then(|c| c.env().clone()).unwrap_or_default());
    for pair in &over.env {
        check_env(pair, "-e")?;
        spec.env.push(pair.clone());
    }
    Ok(spec)
}

/// One line of /etc/passwd or /etc/group: its fields.
fn entries(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines().filter(|l| !l.starts_with('#')).map(|l| l.split(':').collect::<Vec<_>>())
}

/// `user`, `uid`, `user:group`, `uid:gid` (Docker's `USER`) as numeric ids,
/// and the user's home when /etc/passwd names one. A name must be in the
/// image's files; a number need not be.
pub fn resolve_user(spec: &str, read: &dyn Fn(&str) -> Option<String>) -> Result<(Ids, Option<String>)> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let passwd = read("/etc/passwd").unwrap_or_default();
    let groups_text = read("/etc/group").unwrap_or_default();
    let found = entries(&passwd).find(|f| f.len() >= 4 && (f[0] == user || f[2] == user));
    let (uid, mut gid, name, home) = match (found, user.parse::<u32>()) {
        (Some(f), _) => {
            let uid = f[2].parse::<u32>().map_err(|_| bad_user(spec, "its /etc/passwd line has no numeric uid"))?;
            (uid, f[3].parse::<u32>().unwrap_or(0), Some(f[0].to_string()), f.get(5).map(|h| h.to_string()))
        }
        (None, Ok(uid)) => (uid, 0, None, None),
        (None, Err(_)) => return Err(bad_user(spec, "no such user in the image's /etc/passwd")),
    };
    if let Some(g) = group {
        gid = match (entries(&groups_text).find(|f| f.len() >= 3 && f[0] == g), g.parse::<u32>()) {
            (Some(f), _) => {
                f[2].parse::<u32>().map_err(|_| bad_user(spec, "its /etc/group line has no numeric gid"))?
            }
            (None, Ok(n)) => n,
            (None, Err(_)) => return Err(bad_user(spec, "no such group in the image's /etc/group")),
        };
    }
    // Supplementary groups: those whose member list names the user.
    let mut groups: Vec<u32> = match (&name, group) {
        (Some(n), None) => entries(&groups_text)
            .filter(|f| f.len() >= 4 && f[3].split(',').any(|m| m == n))
            .filter_map(|f| f[2].parse().ok())
            .collect(),
        _ => vec![],
    };
    if !groups.contains(&gid) {
        groups.insert(0, gid);
    }
    Ok((Ids { uid, gid, groups }, home.filter(|h| !h.is_empty())))
}

fn bad_user(spec: &str, why: &str) -> ImageError {
    ImageError::Invalid(format!(
        "user {:?}: {why}; give a name the image has, or numbers such as 1000:1000",
        spec.escape_debug().to_string()
    ))
}

/// The config of an image made on top of `base` (commit, build): its run
/// config replaced, `added` appended to its history, its layers `layers`.
pub fn extended(
    base: Option<&ImageConfiguration>,
    run: Option<Config>,
    added: Vec<History>,
    layers: &[String],
) -> ImageConfiguration {
    let mut out = base.cloned().unwrap_or_default();
    out.set_config(run);
    let mut history = out.history().clone().unwrap_or_default();
    history.extend(added);
    out.set_history(Some(history));
    out.rootfs_mut().set_diff_ids(layers.to_vec());
    out.set_created(Some(timestamp(crate::state::record::now())));
    out
}

/// An image's history, one entry per layer at least: an image made from a
/// folder (busybox, from-host) or imported without one gets an entry per
/// layer saying where it came from, so the entries that made layers and
/// the layers always pair up.
pub fn history_of(store: &super::Store, image: &super::ImageRecord) -> Vec<History> {
    let kept = image.config.as_ref().and_then(|c| c.history().clone()).unwrap_or_default();
    let made = kept.iter().filter(|h| h.empty_layer() != Some(true)).count();
    if made == image.layers.len() {
        return kept;
    }
    let entry = |d: &String| {
        let meta = store.layer(d).ok();
        let mut h = history(&meta.as_ref().map_or(d.clone(), |l| l.source.clone()), false, None);
        h.set_created(Some(timestamp(meta.map_or(image.created_at, |l| l.created_at))));
        h
    };
    image.layers.iter().map(entry).collect()
}

/// A history entry: what made a layer (or only the config).
pub fn history(created_by: &str, empty_layer: bool, comment: Option<String>) -> History {
    let mut h = History::default();
    h.set_created(Some(timestamp(crate::state::record::now())));
    h.set_created_by(Some(created_by.to_string()));
    h.set_empty_layer(empty_layer.then_some(true));
    h.set_comment(comment);
    h
}

/// Seconds since the epoch as RFC 3339 (UTC), as the spec's `created` wants.
pub fn timestamp(secs: u64) -> String {
    let ((y, m, d), (h, min, s)) = crate::output::time::utc(secs);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n";
    const GROUP: &str = "root:x:0:\napp:x:1000:\nwheel:x:10:app,root\n";

    fn files(path: &str) -> Option<String> {
        match path {
            "/etc/passwd" => Some(PASSWD.into()),
            "/etc/group" => Some(GROUP.into()),
            _ => None,
        }
    }

    #[test]
    fn a_user_name_becomes_its_ids_groups_and_home() {
        let (ids, home) = resolve_user("app", &files).unwrap();
        assert_eq!(ids, Ids { uid: 1000, gid: 1000, groups: vec![1000, 10] });
        assert_eq!(home.as_deref(), Some("/home/app"));
        let (ids, _) = resolve_user("app:wheel", &files).unwrap();
        assert_eq!((ids.uid, ids.gid, ids.groups), (1000, 10, vec![10]));
        let (ids, home) = resolve_user("4242:4343", &files).unwrap();
        assert_eq!((ids.uid, ids.gid, home), (4242, 4343, None));
    }

    #[test]
    fn a_name_the_image_lacks_is_refused_with_what_to_give() {
        let err = resolve_user("nobody-here", &files).unwrap_err().to_string();
        assert!(err.contains("no such user") && err.contains("1000:1000"), "{err}");
        assert!(resolve_user("app:nogroup", &files).is_err());
    }

    #[test]
    fn the_command_is_entrypoint_then_the_given_arguments_or_cmd() {
        let mut c = Config::default();
        c.set_entrypoint(Some(vec!["/bin/echo".into()]));
        c.set_cmd(Some(vec!["default".into()]));
        assert_eq!(command(Some(&c), &[]), ["/bin/echo", "default"]);
        assert_eq!(command(Some(&c), &["given".into()]), ["/bin/echo", "given"]);
        assert!(command(None, &[]).is_empty());
        assert_eq!(command_with(Some(&c), Some("/bin/sh"), &[]), ["/bin/sh"], "--entrypoint resets Cmd");
        assert_eq!(command_with(Some(&c), Some("/bin/sh"), &["-c".into(), "x".into()]), ["/bin/sh", "-c", "x"]);
        assert_eq!(command_with(Some(&c), Some(""), &[]), ["default"], "no Entrypoint: the image's Cmd");
        assert_eq!(command_with(Some(&c), Some(""), &["ls".into()]), ["ls"]);
    }

    #[test]
    fn flags_override_the_config() {
        let mut c = Config::default();
        c.set_env(Some(vec!["A=1".into()]));
        c.set_working_dir(Some("/srv".into()));
        c.set_user(Some("app".into()));
        let over = Overrides { env: vec!["A=2".into()], workdir: Some("/tmp".into()), user: Some("0".into()) };
        let spec = process(Some(&c), &over, &files).unwrap();
        assert_eq!(spec.env, ["HOME=/root", "A=1", "A=2"], "the user's home first; the later one wins when merged");
        assert_eq!(spec.cwd.as_deref(), Some("/tmp"));
        assert_eq!(spec.user.unwrap().uid, 0);
        let bad = Overrides { env: vec!["=x".into()], ..Default::default() };
        assert!(process(None, &bad, &files).is_err());
        let relative = Overrides { workdir: Some("app".into()), ..Default::default() };
        assert!(process(None, &relative, &files).is_err());
    }

    #[test]
    fn a_docker_config_without_os_still_gives_its_config() {
        let v = serde_json::json!({"config": {"Cmd": ["sh"], "Env": ["X=1"], "ExposedPorts": {"80/tcp": {}}},
                                   "rootfs": {"type": "layers", "diff_ids": []}});
        let c = from_archive(&v).unwrap();
        let config = c.config().clone().unwrap();
        assert_eq!(config.cmd().clone().unwrap(), ["sh"]);
        assert_eq!(config.exposed_ports().clone().unwrap(), ["80/tcp"]);
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
    }
}
