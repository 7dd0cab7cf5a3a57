//! Namespaces a box shares with another box (a pod): which box it joined,
//! which box made the namespace, and who else is in it now.
//!
//! A box that joins another's namespace holds it itself, by a bind mount
//! of its own (a PID namespace excepted: only its init keeps that alive), so
//! the namespace outlives the box that made it for as long as a sharer
//! holds it. The record notes only where the namespace came from; who
//! shares it now is read from all the records, never stored twice.

use super::{BoxRecord, Holder};
use crate::domain::NamespaceKind;
pub use crate::domain::record::SharedFrom;
use crate::sys::proc::ProcRef;

impl BoxRecord {
    /// Where the box's namespace of this kind came from, if another box made it.
    pub fn shared_from(&self, kind: NamespaceKind) -> Option<&SharedFrom> {
        self.namespaces.get(&kind)?.shared.as_ref()
    }

    /// The box made its namespace of this kind itself.
    pub fn owns(&self, kind: NamespaceKind) -> bool {
        self.has(kind) && self.shared_from(kind).is_none()
    }

    /// The box that made its namespace of this kind.
    pub fn maker(&self, kind: NamespaceKind) -> Option<&str> {
        let held = self.namespaces.get(&kind)?;
        Some(held.shared.as_ref().map_or(self.name.as_str(), |s| s.made_by.as_str()))
    }

    /// The PID namespace the box shares has ended with the init that held
    /// it (its maker was stopped or removed): the kernel killed every
    /// process in it, and nothing can enter it again.
    pub fn shared_pid_ended(&self) -> bool {
        self.shared_pid_ended_in(std::path::Path::new(crate::sys::proc::PROC_ROOT))
    }

    /// As [`BoxRecord::shared_pid_ended`], under a /proc root.
    pub fn shared_pid_ended_in(&self, proc_root: &std::path::Path) -> bool {
        let Some(held) = self.namespaces.get(&NamespaceKind::Pid) else { return false };
        match (&held.shared, &held.holder) {
            (Some(_), Holder::Process { pid, start_time }) => {
                !(ProcRef { pid: *pid, start_time: *start_time }).alive_in(proc_root)
            }
            _ => false,
        }
    }
}

/// What to say when a box whose shared PID namespace ended is asked to act.
pub fn pid_ended(record: &BoxRecord) -> String {
    let maker = record.maker(NamespaceKind::Pid).unwrap_or("?");
    format!(
        "box {0} shared box {maker}'s PID namespace, which ended with {maker}'s init (the kernel killed {0}'s processes in it too): remove {0} and build it again: glassbox rm {0}",
        record.name
    )
}

/// The other boxes under `root` whose namespace of `kind` is the one with
/// this inode, sorted by name.
pub fn sharers(records: &[BoxRecord], name: &str, kind: NamespaceKind, inode: u64) -> Vec<String> {
    records
        .iter()
        .filter(|r| r.name != name && r.namespaces.get(&kind).is_some_and(|h| h.inode == inode))
        .map(|r| r.name.clone())
        .collect()
}

/// Whether the box `maker` still has the namespace with this inode (false
/// once it was removed, or a new box took its name).
pub fn maker_present(records: &[BoxRecord], maker: &str, kind: NamespaceKind, inode: u64) -> bool {
    records.iter().any(|r| r.name == maker && r.namespaces.get(&kind).is_some_and(|h| h.inode == inode))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::HeldNamespace;

    fn record(name: &str, inode: u64, shared: Option<SharedFrom>) -> BoxRecord {
        let mut r = BoxRecord::new(name);
        let holder = Holder::BindMount { path: format!("/run/x/{name}/net").into() };
        r.namespaces.insert(NamespaceKind::Net, HeldNamespace { inode, holder, shared });
        r
    }

    #[test]
    fn sharers_and_makers_come_from_the_records() {
        let from_a = || Some(SharedFrom { joined: "a".into(), made_by: "a".into() });
        let all = [record("a", 5, None), record("b", 5, from_a()), record("c", 6, None)];
        assert_eq!(sharers(&all, "a", NamespaceKind::Net, 5), ["b"]);
        assert_eq!(sharers(&all, "b", NamespaceKind::Net, 5), ["a"]);
        assert_eq!((all[0].maker(NamespaceKind::Net), all[1].maker(NamespaceKind::Net)), (Some("a"), Some("a")));
        assert!(all[0].owns(NamespaceKind::Net) && !all[1].owns(NamespaceKind::Net));
        assert!(maker_present(&all, "a", NamespaceKind::Net, 5));
        assert!(!maker_present(&all[1..], "a", NamespaceKind::Net, 5), "a removed");
        assert!(!maker_present(&[record("a", 9, None)], "a", NamespaceKind::Net, 5), "a new box of that name");
    }
}
