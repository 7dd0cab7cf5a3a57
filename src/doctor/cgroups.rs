//! Which cgroup layout this machine has and which controllers a box's
//! cgroup can use, read with the same detection the `limit` step uses.

use super::need::Controller;
use crate::i18n::tr;
use crate::stage::cgroup::{self, CgroupDriver, Layout};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct ControllerFacts {
    pub name: &'static str,
    pub usable: bool,
    /// Where it is, or why it is not usable.
    pub detail: String,
    /// The command that makes it usable.
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CgroupFacts {
    /// `unified`, `hybrid`, `legacy`; none when no cgroup filesystem is mounted.
    pub layout: Option<Layout>,
    pub detail: String,
    pub controllers: Vec<ControllerFacts>,
}

impl CgroupFacts {
    pub fn controller(&self, c: Controller) -> Option<&ControllerFacts> {
        self.controllers.iter().find(|f| f.name == c.name())
    }
}

fn words(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file).unwrap_or_default().split_whitespace().map(String::from).collect()
}

pub fn facts(fs: &Path) -> CgroupFacts {
    let driver = match cgroup::detect(fs) {
        Ok(d) => d,
        Err(e) => return CgroupFacts { layout: None, detail: e.to_string(), controllers: vec![] },
    };
    let controllers = match &driver {
        CgroupDriver::V2 { fs } => {
            let available = words(&fs.join("cgroup.controllers"));
            let enabled = words(&fs.join("cgroup.subtree_control"));
            let subtree = fs.join("cgroup.subtree_control").display().to_string();
            let listed = fs.join("cgroup.controllers").display().to_string();
            Controller::ALL
                .into_iter()
                .map(|c| {
                    let name = c.name();
                    let has = available.iter().any(|a| a == name);
                    let on = enabled.iter().any(|a| a == name);
                    let detail = match (has, on) {
                        (true, true) => tr!("doctor-controller-enabled", file = subtree),
                        (true, false) => tr!("doctor-controller-available", file = subtree),
                        (false, _) => tr!("doctor-controller-unlisted", file = listed),
                    };
                    let fix = (!has).then(|| tr!("doctor-controller-fix", controller = name));
                    ControllerFacts { name, usable: has, detail, fix }
                })
                .collect()
        }
        CgroupDriver::V1 { mounts, .. } => Controller::ALL
            .into_iter()
            .map(|c| {
                let v1 = c.v1_name();
                match mounts.get(v1) {
                    Some(dir) => ControllerFacts {
                        name: c.name(),
                        usable: true,
                        detail: tr!("doctor-controller-v1", dir = dir.display().to_string()),
                        fix: None,
                    },
                    None => ControllerFacts {
                        name: c.name(),
                        usable: false,
                        detail: tr!("doctor-controller-no-v1", controller = v1),
                        fix: Some(format!(
                            "mkdir -p {dir} && mount -t cgroup -o {v1} cgroup {dir}",
                            dir = fs.join(v1).display()
                        )),
                    },
                }
            })
            .collect(),
    };
    CgroupFacts { layout: Some(driver.layout()), detail: explained(driver.layout()), controllers }
}

/// [`Layout::explain`] in the command's language.
fn explained(layout: Layout) -> String {
    match layout {
        Layout::Unified => tr!("doctor-layout-unified"),
        Layout::Hybrid => tr!("doctor-layout-hybrid"),
        Layout::Legacy => tr!("doctor-layout-legacy"),
    }
}
