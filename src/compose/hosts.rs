//! Services find each other by name: `/etc/hosts` in every box of a project.
//!
//! Before Docker had an embedded DNS server (127.0.0.11 in each
//! container), `docker run --link db` wrote the linked container's address
//! into the new container's `/etc/hosts`. glassbox does the same for a
//! whole project: each box's `/etc/hosts` lists every box of the project
//! on the bridge, by box name and by service name, and compose writes it
//! again after every change (`up`, `scale`), so it stays current. The file
//! is written through the box init's root (`/proc/PID/root`), resolved with
//! `openat2(RESOLVE_IN_ROOT)` so an image's symlink cannot point it at a
//! file of the host.

use super::project::box_name;
use crate::state::{BoxRecord, Root};
use std::path::Path;

/// The project's boxes, by name order.
pub fn members(root: &Root, project: &str) -> Vec<BoxRecord> {
    let mut boxes: Vec<BoxRecord> =
        BoxRecord::load_all(root).into_iter().filter(|r| r.project.as_deref() == Some(project)).collect();
    boxes.sort_by(|a, b| a.name.cmp(&b.name));
    boxes
}

/// The service a box of the project runs: PROJECT-SERVICE-N → SERVICE.
pub fn service_of<'a>(project: &str, box_name: &'a str) -> &'a str {
    let rest = box_name.strip_prefix(project).and_then(|r| r.strip_prefix('-')).unwrap_or(box_name);
    rest.rsplit_once('-').map(|(s, _)| s).unwrap_or(rest)
}

/// The hosts file every box of the project gets.
pub fn text(project: &str, boxes: &[BoxRecord]) -> String {
    let mut out = String::from("# written by glassbox compose: every box of project ");
    out.push_str(project);
    out.push_str("\n127.0.0.1\tlocalhost\n::1\tlocalhost\n");
    for b in boxes {
        let Some(net) = &b.net else { continue };
        let service = service_of(project, &b.name);
        // The service name on its first replica only: a resolver takes the first line.
        let alias = if b.name == box_name(project, service, 1) { format!(" {service}") } else { String::new() };
        out.push_str(&format!("{}\t{}{alias}\n", net.address, b.name));
    }
    out
}

/// Writes the hosts file into every running box of the project; the boxes
/// it could not write to, with why.
pub fn refresh(root: &Root, project: &str) -> Vec<String> {
    let boxes = members(root, project);
    let text = text(project, &boxes);
    let mut failed = vec![];
    for b in boxes.iter().filter(|b| b.rootfs_mounted) {
        let Some(init) = b.init.filter(|i| i.alive()) else { continue };
        let written = crate::sys::mount_tree::open_dir(Path::new(&format!("/proc/{}/root", init.pid)))
            .and_then(|r| crate::sys::mount_tree::write_in_root(&r, Path::new("/etc"), c"hosts", text.as_bytes()));
        if let Err(e) = written {
            failed.push(format!("{}: {e}", b.name));
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_s_service_is_its_name_less_project_and_replica() {
        assert_eq!(service_of("shop", "shop-web-1"), "web");
        assert_eq!(service_of("shop", "shop-db-cache-12"), "db-cache");
    }
}
