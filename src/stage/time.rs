//! Time namespace: per-box offsets of CLOCK_MONOTONIC and CLOCK_BOOTTIME
//! (time_namespaces(7)), which is how a container's uptime can start at zero
//! after a migration. Like PID namespaces it applies to the *children* of the
//! process that made it, and its offsets can be written only before the first
//! process enters — so they are given with the `unshare` step that makes it.

use super::{NamespaceKind, StageError, UnshareRequest};
use crate::plan::Op;
use crate::plan::op;
use crate::state::BoxRecord;

/// `uptime`: seconds since the host booted, when known (`<proc>/uptime`).
pub fn check(record: &BoxRecord, req: &UnshareRequest, uptime: Option<f64>) -> Result<(), StageError> {
    let has_offsets = req.monotonic_offset.is_some() || req.boottime_offset.is_some();
    if has_offsets && record.has(NamespaceKind::Time) {
        return Err(offsets_are_fixed(record, req));
    }
    if req.kinds.contains(&NamespaceKind::Time) {
        let uptime = uptime.unwrap_or(f64::MAX).floor() as i64;
        for (flag, offset) in [("--monotonic-offset", req.monotonic_offset), ("--boottime-offset", req.boottime_offset)]
        {
            if let Some(o) = offset.filter(|o| *o < -uptime) {
                return Err(StageError::BadValue {
                    what: flag,
                    value: format!("{o}s"),
                    reason: format!(
                        "it would put the box's clock before zero: the machine booted {uptime}s ago, so give at least -{uptime}s (a clock cannot start before the boot)"
                    ),
                });
            }
        }
    }
    if has_offsets && !req.kinds.contains(&NamespaceKind::Time) {
        return Err(StageError::OptionNeedsKind {
            name: record.name.clone(),
            option: "--monotonic-offset/--boottime-offset",
            kind: NamespaceKind::Time,
        });
    }
    Ok(())
}

/// A second time namespace cannot be made, nor the offsets of this one
/// changed: they are fixed once a process has entered it. The way to other
/// offsets is a new box, and the message gives the commands in full.
fn offsets_are_fixed(record: &BoxRecord, req: &UnshareRequest) -> StageError {
    let name = &record.name;
    let (mono, boot) = record.time_offsets.unwrap_or((0, 0));
    let mut again = format!("glassbox rm --force {name} && glassbox create {name} && glassbox unshare {name} time");
    for (flag, offset) in [("--monotonic-offset", req.monotonic_offset), ("--boottime-offset", req.boottime_offset)] {
        if let Some(o) = offset {
            again += &format!(" {flag} {o}");
        }
    }
    StageError::NeedsFirst {
        what: format!(
            "box {name} already has its own time namespace, with offsets monotonic {mono}s and boottime {boot}s, and they are fixed once a process has entered it; for other offsets, start over (and make its other namespaces again)"
        ),
        fix: again,
    }
}

pub fn setup(req: &UnshareRequest) -> Vec<Op> {
    match (req.monotonic_offset, req.boottime_offset) {
        (None, None) => vec![],
        (m, b) => vec![op::SetTimeOffsets { monotonic: m.unwrap_or(0), boottime: b.unwrap_or(0) }.into()],
    }
}

/// Parses an offset in seconds, with an optional unit: `3600`, `-30`, `90m`, `2h`, `1d`.
pub fn parse_offset(s: &str) -> Result<i64, String> {
    let (num, mult) = match s.char_indices().last() {
        Some((i, 's')) => (&s[..i], 1),
        Some((i, 'm')) => (&s[..i], 60),
        Some((i, 'h')) => (&s[..i], 3600),
        Some((i, 'd')) => (&s[..i], 86400),
        _ => (s, 1),
    };
    let n: i64 =
        num.parse().map_err(|_| format!("{s:?} is not a whole number of seconds (units s, m, h, d allowed)"))?;
    n.checked_mul(mult).filter(|v| v.abs() <= 10 * 365 * 86400).ok_or_else(|| format!("{s:?} is more than ten years"))
}

#[cfg(test)]
mod tests {
    use super::parse_offset;

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("3600"), Ok(3600));
        assert_eq!(parse_offset("-30"), Ok(-30));
        assert_eq!(parse_offset("2h"), Ok(7200));
        assert!(parse_offset("1e3").is_err());
        assert!(parse_offset("99999999999999999999").is_err());
        assert!(parse_offset("").is_err());
    }
}
