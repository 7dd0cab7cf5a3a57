//! How the model's numbers read to a person: sizes, digests, a cgroup's
//! usage on one line. The commands, the web page and `build` print them
//! alike; they live beside the model they format, not in one command.

use crate::stage::cgroup::usage::Usage;

/// The first 12 hex digits of a digest, as `docker images` shows them.
pub fn short(digest: &str) -> String {
    digest.trim_start_matches("sha256:").chars().take(12).collect()
}

/// A size in binary units: `512 B`, `1.5 KiB`, `64.0 MiB`, `2.0 GiB`.
pub fn human(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// One line of what the box uses now: `stats` and `inspect` print it.
pub fn usage_line(u: &Usage) -> String {
    let h = |v: Option<u64>| v.map(human).unwrap_or_else(|| "-".into());
    let n = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_else(|| "-".into());
    crate::i18n::tr!(
        "usage-line",
        memory = h(u.memory_bytes),
        limit = u.memory_limit_bytes.map(human).unwrap_or_else(|| "max".into()),
        peak = h(u.memory_peak_bytes),
        ooms = n(u.oom_kills),
        cpu = format!("{:.2}", u.cpu_usage_usec.unwrap_or(0) as f64 / 1e6),
        throttled = format!("{:.2}", u.cpu_throttled_usec.unwrap_or(0) as f64 / 1e6),
        periods = n(u.cpu_throttled_periods),
        pids = n(u.pids),
        pids_max = u.pids_limit.map(|p| p.to_string()).unwrap_or_else(|| "max".into()),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_take_the_largest_binary_unit_and_digests_twelve_digits() {
        assert_eq!(super::human(512), "512 B");
        assert_eq!(super::human(1536), "1.5 KiB");
        assert_eq!(super::human(64 << 20), "64.0 MiB");
        assert_eq!(super::short("sha256:0123456789abcdef"), "0123456789ab");
    }
}
