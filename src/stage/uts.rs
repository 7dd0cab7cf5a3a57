//! UTS namespace: the hostname (uts_namespaces(7)).
//!
//! The name is historical: `struct utsname` from uname(2). A new UTS
//! namespace starts with a copy of the host's names; `sethostname` inside it
//! changes only the box's. glassbox names the box's host after the box unless
//! `--hostname` says otherwise.

use super::{NamespaceKind, StageError, UnshareRequest};
use crate::plan::Op;
use crate::plan::op;
use crate::state::BoxRecord;

pub fn validate_hostname(name: &str) -> Result<(), StageError> {
    let bad = |reason: &str| Err(StageError::BadValue { what: "hostname", value: name.into(), reason: reason.into() });
    if name.is_empty() {
        return bad("name-empty");
    }
    if name.len() > 64 {
        return bad("hostname-too-long");
    }
    if name.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return bad("hostname-bad-char");
    }
    Ok(())
}

pub fn check(record: &BoxRecord, req: &UnshareRequest) -> Result<(), StageError> {
    if let Some(h) = &req.hostname {
        validate_hostname(h)?;
        if !req.kinds.contains(&NamespaceKind::Uts) {
            return Err(StageError::OptionNeedsKind {
                name: record.name.clone(),
                option: "--hostname",
                kind: NamespaceKind::Uts,
            });
        }
    }
    Ok(())
}

pub fn setup(record: &BoxRecord, req: &UnshareRequest) -> Vec<Op> {
    vec![op::SetHostname { name: req.hostname.clone().unwrap_or_else(|| record.name.clone()) }.into()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn hostname_limits() {
        assert!(super::validate_hostname("web-1").is_ok());
        assert!(super::validate_hostname(&"h".repeat(64)).is_ok());
        assert!(super::validate_hostname(&"h".repeat(65)).is_err());
        assert!(super::validate_hostname("a\0b").is_err());
        assert!(super::validate_hostname("").is_err());
    }
}
