//! Docker's ways of saying when: RFC 3339 timestamps in JSON, and "Up 5
//! minutes" / "Exited (0) 2 hours ago" in `docker ps`, from the seconds
//! since the epoch that glassbox records.

/// `2024-05-01T12:00:00.000000000Z` (what Go's time.RFC3339Nano prints).
pub fn rfc3339(secs: u64) -> String {
    let ((y, m, d), (h, min, s)) = crate::output::time::utc(secs);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.000000000Z")
}

/// Docker's zero time, for "never" (a container not started yet).
pub const ZERO: &str = "0001-01-01T00:00:00Z";

/// A duration as Docker's go-units HumanDuration says it.
pub fn human(secs: u64) -> String {
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match secs {
        0 => "Less than a second".into(),
        s if s < 60 => plural(s, "second"),
        s if s < 120 => "About a minute".into(),
        s if s < 3600 => plural(s / 60, "minute"),
        s if s < 7200 => "About an hour".into(),
        s if s < 48 * 3600 => plural(s / 3600, "hour"),
        s if s < 7 * 86_400 * 2 => plural(s / 86_400, "day"),
        s if s < 30 * 86_400 * 3 => plural(s / (7 * 86_400), "week"),
        s if s < 365 * 86_400 * 2 => plural(s / (30 * 86_400), "month"),
        s => plural(s / (365 * 86_400), "year"),
    }
}

pub fn now() -> u64 {
    crate::state::record::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00.000000000Z");
        assert_eq!(rfc3339(1_714_564_800 + 3661), "2024-05-01T13:01:01.000000000Z");
    }

    #[test]
    fn durations_read_as_docker_ps_says_them() {
        assert_eq!(human(0), "Less than a second");
        assert_eq!(human(1), "1 second");
        assert_eq!(human(59), "59 seconds");
        assert_eq!(human(90), "About a minute");
        assert_eq!(human(600), "10 minutes");
        assert_eq!(human(3 * 3600), "3 hours");
        assert_eq!(human(3 * 86_400), "3 days");
    }
}
