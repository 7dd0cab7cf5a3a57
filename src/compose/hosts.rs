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
    let number = |name: &str| name.rsplit_once('-').and_then(|(_, n)| n.parse::<u32>().ok()).unwrap_or(u32::MAX);
    for b in boxes {
        let Some(net) = &b.net else { continue };
        let service = service_of(project, &b.name);
        // The service name on its lowest-numbered replica only (a resolver
        // takes the first line); after a rolling update that is not replica 1.
        let first = boxes
            .iter()
            .filter(|o| o.net.is_some() && service_of(project, &o.name) == service)
            .min_by_key(|o| number(&o.name));
        let alias = if first.is_some_and(|f| f.name == b.name) { format!(" {service}") } else { String::new() };
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
