//! A compose project: the file, its name, and its services checked and ordered.

use super::ComposeError;
use super::parse;
use super::resolve::{self, Given, Service};
use super::spec::ComposeFile;
use crate::state::Root;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Project {
    pub name: String,
    pub file: PathBuf,
    /// The file with its variables substituted (what `compose config` prints).
    pub spec: ComposeFile,
    pub services: BTreeMap<String, Service>,
    /// Services by start order: each wave depends only on earlier ones.
    pub waves: Vec<Vec<String>>,
    /// Named volumes `up` makes where missing and `down -v` removes.
    pub volumes: Vec<String>,
}

/// The project name as Compose makes one: lowercase, only a-z 0-9 _ -.
pub fn normalise(name: &str) -> String {
    name.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect()
}

/// The box of a service's replica N.
pub fn box_name(project: &str, service: &str, replica: u32) -> String {
    format!("{project}-{service}-{replica}")
}

/// The project name from -p, else the file's `name:`, else its folder.
pub fn name_of(asked: Option<&str>, spec_name: Option<&str>, dir: &Path) -> Result<String, ComposeError> {
    let name = match (asked, spec_name) {
        (Some(p), _) => p.to_string(),
        (None, Some(n)) => normalise(n),
        (None, None) => normalise(&dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()),
    };
    crate::state::names::validate("project", &name)
        .map_err(|e| ComposeError::Bad(format!("{e}: give a project name with -p NAME")))?;
    Ok(name)
}

pub fn load(root: &Root, file: Option<&Path>, asked: Option<&str>) -> Result<Project, ComposeError> {
    let file = parse::find(file)?;
    let file = file.canonicalize().unwrap_or(file);
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let text = std::fs::read_to_string(&file).map_err(|e| ComposeError::Bad(format!("{}: {e}", file.display())))?;
    let vars = parse::variables(&dir)?;
    from_text(root, &file, &text, &vars, asked)
}

/// The project of a compose file's text (its folder: where `file` is).
pub fn from_text(
    root: &Root,
    file: &Path,
    text: &str,
    vars: &super::interpolate::Vars,
    asked: Option<&str>,
) -> Result<Project, ComposeError> {
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let file = file.to_path_buf();
    let spec = parse::parse(&file, text, vars)?;
    let name = name_of(asked, spec.name.as_deref(), &dir)?;
    if spec.services.is_empty() {
        return Err(ComposeError::Bad(format!("{}: no services: add one under `services:`", file.display())));
    }
    let mut volume_names = BTreeMap::new();
    let mut volumes = vec![];
    for (key, v) in &spec.volumes {
        let v = v.clone().unwrap_or_default();
        let named = v.name.clone().unwrap_or_else(|| format!("{name}_{key}"));
        crate::state::names::validate("volume", &named)
            .map_err(|e| ComposeError::Bad(format!("volumes.{key}: {e}")))?;
        if v.external != Some(true) {
            volumes.push(named.clone());
        }
        volume_names.insert(key.clone(), named);
    }
    for (key, n) in &spec.networks {
        if let Some(driver) = n.as_ref().and_then(|n| n.driver.as_deref()).filter(|d| *d != "bridge") {
            return Err(ComposeError::Bad(format!(
                "networks.{key}.driver: {driver:?}: glassbox has bridge networks only"
            )));
        }
    }
    let own = [root.state.as_path(), root.runtime.as_path()];
    let given = Given { project: &name, dir: &dir, volumes: &volume_names, own: &own };
    let mut services = BTreeMap::new();
    for (sname, s) in &spec.services {
        check_networks(sname, s, &spec)?;
        let svc = resolve::service(sname, s, &given)?;
        let longest = box_name(&name, sname, svc.replicas);
        crate::state::names::validate("box", &longest).map_err(|e| {
            ComposeError::Bad(format!(
                "services.{sname}: its boxes would be named like {e}; use a shorter project (-p) or service name"
            ))
        })?;
        services.insert(sname.clone(), svc);
    }
    refuse_shared_ports(&services)?;
    let waves = super::order::waves(&services)?;
    let project = Project { name, file, spec, services, waves, volumes };
    super::supervisor::refuse_restart_of_completed(&project)?;
    Ok(project)
}

fn check_networks(sname: &str, s: &super::spec::Service, spec: &ComposeFile) -> Result<(), ComposeError> {
    let listed = match &s.networks {
        None => vec![],
        Some(super::spec::OneOrMany::One(n)) => vec![n.clone()],
        Some(super::spec::OneOrMany::Many(l)) => l.clone(),
    };
    match listed.iter().find(|n| *n != "default" && !spec.networks.contains_key(*n)) {
        Some(n) => Err(ComposeError::Bad(format!(
            "services.{sname}.networks: {n:?} is not declared under the top-level networks"
        ))),
        None => Ok(()),
    }
}

fn refuse_shared_ports(services: &BTreeMap<String, Service>) -> Result<(), ComposeError> {
    let mut seen: BTreeMap<u16, &str> = BTreeMap::new();
    for s in services.values() {
        for (host, _) in &s.ports {
            if let Some(other) = seen.insert(*host, &s.name) {
                return Err(ComposeError::Bad(format!(
                    "services {other} and {} both publish host port {host}: one port reaches one box; give one of them another host port",
                    s.name
                )));
            }
        }
    }
    Ok(())
}
