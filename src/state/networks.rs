//! The bridges a root made, noted where `reset` finds them.
//!
//! A bridge's name is a hash of the root (and of the network's name, for
//! `net --network NAME` and compose's per-project networks), so nothing on
//! the host says which root a `gb290847` belongs to. The boxes' records
//! name their bridge, but a crash that loses every record of a project
//! would leave its bridge behind for good. So `net` notes each bridge in
//! `networks/BRIDGE.json` under the root's state before it makes it (noted
//! first, as a box's veth is), the note goes when the bridge is deleted,
//! and `reset` deletes every noted bridge that still exists.

use super::Root;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the note says: enough to tell a person what the bridge was for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkNote {
    pub bridge: String,
    /// The network's name (None: the root's default bridge).
    pub network: Option<String>,
    /// Its /24, as the bridge's address says it.
    pub subnet: String,
}

pub fn dir(root: &Root) -> PathBuf {
    root.state.join("networks")
}

/// Whether `name` can be a bridge glassbox made: `gb` and hex, within the
/// 15 bytes of an interface name. A note that says otherwise (edited by
/// hand, torn) names nothing `reset` may delete.
pub fn is_bridge_name(name: &str) -> bool {
    name.len() <= 15
        && name.strip_prefix("gb").is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn path(root: &Root, bridge: &str) -> PathBuf {
    dir(root).join(format!("{bridge}.json"))
}

/// Notes the bridge (before it is made); a note already there stays.
pub fn note(root: &Root, n: &NetworkNote) -> std::io::Result<()> {
    let p = path(root, &n.bridge);
    if p.exists() {
        return Ok(());
    }
    super::private::make_private_dir(&dir(root))?;
    let tmp = p.with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(n).map_err(std::io::Error::other)?)?;
    std::fs::rename(&tmp, &p)
}

/// The bridge is gone: its note goes (and the folder, when it was the last).
pub fn forget(root: &Root, bridge: &str) {
    let _ = std::fs::remove_file(path(root, bridge));
    let _ = std::fs::remove_dir(dir(root));
}

/// The bridges noted, by name (only names glassbox makes).
pub fn noted(root: &Root) -> Vec<String> {
    noted_in(&dir(root))
}

fn noted_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|f| f.strip_suffix(".json")).map(String::from))
        .filter(|n| is_bridge_name(n))
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_glassbox_gives_a_bridge_are_noted() {
        for ok in ["gb0", "gb290847", "gbabcdef12"] {
            assert!(is_bridge_name(ok), "{ok}");
        }
        for bad in ["gb", "eth0", "docker0", "gb../x", "gbxyz", "gb0123456789abcdef", "lo"] {
            assert!(!is_bridge_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_note_is_kept_until_forgotten_and_a_hand_made_one_names_nothing() {
        let tmp = std::env::temp_dir().join(format!("gb-networks-test-{}", std::process::id()));
        let root = Root::new(Some(&tmp));
        let n = NetworkNote { bridge: "gb290847".into(), network: Some("shop".into()), subnet: "10.91.2.0/24".into() };
        note(&root, &n).unwrap();
        std::fs::write(dir(&root).join("eth0.json"), "{}").unwrap();
        assert_eq!(noted(&root), ["gb290847"]);
        let kept: NetworkNote = serde_json::from_slice(&std::fs::read(path(&root, "gb290847")).unwrap()).unwrap();
        assert_eq!(kept, n);
        forget(&root, "gb290847");
        assert!(noted(&root).is_empty());
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
