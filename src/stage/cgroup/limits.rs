//! Limit values as users type them, parsed and checked before anything is
//! written. glassbox formats every value it writes to cgroupfs itself: no
//! user string ever reaches a cgroup file raw.

pub use crate::domain::limits::{CPU_PERIOD_US, Limit, Limits};
use crate::stage::StageError;

/// A CPU quota (µs per period) as the number of CPUs it amounts to.
pub fn quota_cpus(quota_us: u64) -> f64 {
    quota_us as f64 / CPU_PERIOD_US as f64
}
/// Below this a box cannot even exec its first program.
pub const MIN_MEMORY: u64 = 4 << 20;

// A reason is a message id (the error says it in the learner's language),
// or a sentence with values in it, said as it is.
fn bad(what: &'static str, value: &str, reason: impl Into<String>) -> StageError {
    StageError::BadValue { what, value: value.to_string(), reason: reason.into() }
}

/// A memory size: like `parse_bytes`, and at least `MIN_MEMORY`.
pub fn parse_size(what: &'static str, s: &str) -> Result<Limit, StageError> {
    let limit = parse_bytes(what, s)?;
    if matches!(limit, Limit::Value(bytes) if bytes < MIN_MEMORY) {
        return Err(bad(what, s, "limit-memory-too-small"));
    }
    Ok(limit)
}

/// `64M`, `1G`, `512k`, `512MiB`, a byte count, or `max`. Units are binary
/// (k = 1024): one documented meaning, as cgroupfs itself uses.
pub fn parse_bytes(what: &'static str, s: &str) -> Result<Limit, StageError> {
    if s == "max" {
        return Ok(Limit::Max);
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let (num, unit) = s.split_at(digits);
    let shift = match unit {
        "" | "b" | "B" => 0,
        "k" | "K" | "KiB" | "kiB" => 10,
        "m" | "M" | "MiB" => 20,
        "g" | "G" | "GiB" => 30,
        "t" | "T" | "TiB" => 40,
        _ => {
            return Err(bad(what, s, "limit-bytes-unit"));
        }
    };
    let n: u64 = num.parse().map_err(|_| bad(what, s, "limit-bytes-number"))?;
    let bytes =
        n.checked_mul(1 << shift).filter(|b| *b <= i64::MAX as u64).ok_or_else(|| bad(what, s, "limit-too-large"))?;
    Ok(Limit::Value(bytes))
}

/// Swap may be 0 (no swap at all); otherwise like a size.
pub fn parse_swap(s: &str) -> Result<Limit, StageError> {
    if s == "0" {
        return Ok(Limit::Value(0));
    }
    parse_size("--memory-swap", s)
}

/// `0.5`, `2`, `1.25`, or `max`: how many CPUs' worth of time per period.
pub fn parse_cpus(s: &str, online: usize) -> Result<(Limit, Option<String>), StageError> {
    if s == "max" {
        return Ok((Limit::Max, None));
    }
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') && s.matches('.').count() <= 1;
    let cpus: f64 = if ok { s.parse().map_err(|_| bad("--cpus", s, "limit-cpus-number"))? } else { -1.0 };
    if cpus.is_nan() || cpus <= 0.0 || cpus > 1024.0 {
        return Err(bad("--cpus", s, "limit-cpus-range"));
    }
    let quota = (cpus * CPU_PERIOD_US as f64).round() as u64;
    if quota < 1000 {
        return Err(bad("--cpus", s, "limit-cpus-min"));
    }
    let warning = (cpus > online as f64)
        .then(|| format!("--cpus {s} is more than the {online} CPUs this machine has: it cannot limit anything"));
    Ok((Limit::Value(quota), warning))
}

pub fn parse_pids(s: &str) -> Result<Limit, StageError> {
    if s == "max" {
        return Ok(Limit::Max);
    }
    match s.parse::<u64>() {
        Ok(n) if (1..=4_194_304).contains(&n) => Ok(Limit::Value(n)),
        _ => Err(bad("--pids", s, "limit-pids")),
    }
}

/// A CPU list (`0-1,3`) of CPUs that exist, normalised. Each range is
/// checked against the online CPUs before any of it is listed: `0-99999999999`
/// names a CPU this machine lacks, not a list to build.
pub fn parse_cpuset(s: &str, online: &[usize]) -> Result<String, StageError> {
    let mut cpus = vec![];
    for part in s.split(',') {
        let range: Vec<&str> = part.split('-').collect();
        let num = |x: &str| x.parse::<usize>().map_err(|_| bad("--cpuset", s, "limit-cpuset"));
        let (lo, hi) = match range.as_slice() {
            [a] => (num(a)?, num(a)?),
            [a, b] => (num(a)?, num(b)?),
            _ => return Err(bad("--cpuset", s, "limit-cpuset")),
        };
        if lo > hi {
            return Err(bad("--cpuset", s, "limit-cpuset-order"));
        }
        if let Some(missing) = first_missing(lo, hi, online) {
            return Err(bad(
                "--cpuset",
                s,
                format!("CPU {missing} is not online here (online: {})", format_list(online)),
            ));
        }
        cpus.extend(lo..=hi);
    }
    cpus.sort_unstable();
    cpus.dedup();
    Ok(format_list(&cpus))
}

/// The first CPU of `lo..=hi` that is not online. It looks at no more CPUs
/// than the machine has: past the highest online one, the next is missing.
fn first_missing(lo: usize, hi: usize, online: &[usize]) -> Option<usize> {
    let past_last = online.iter().max().map_or(0, |m| m + 1);
    (lo..=hi.min(past_last.max(lo))).find(|c| !online.contains(c))
}

pub fn format_list(cpus: &[usize]) -> String {
    let mut out: Vec<String> = vec![];
    let mut i = 0;
    while i < cpus.len() {
        let start = cpus[i];
        while i + 1 < cpus.len() && cpus[i + 1] == cpus[i] + 1 {
            i += 1;
        }
        out.push(if start == cpus[i] { start.to_string() } else { format!("{start}-{}", cpus[i]) });
        i += 1;
    }
    out.join(",")
}

/// Parses the kernel's own list format (/sys/devices/system/cpu/online).
pub fn parse_online(text: &str) -> Vec<usize> {
    text.trim()
        .split(',')
        .flat_map(|p| match p.split_once('-') {
            Some((a, b)) => (a.parse().unwrap_or(0)..=b.parse().unwrap_or(0)).collect::<Vec<_>>(),
            None => p.parse().into_iter().collect(),
        })
        .collect()
}

pub fn parse_io_weight(s: &str) -> Result<u64, StageError> {
    match s.parse::<u64>() {
        Ok(n) if (1..=10_000).contains(&n) => Ok(n),
        _ => Err(bad("--io-weight", s, "limit-io-weight")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("m", "64M").unwrap(), Limit::Value(64 << 20));
        assert_eq!(parse_size("m", "512MiB").unwrap(), Limit::Value(512 << 20));
        assert_eq!(parse_size("m", "512m").unwrap(), Limit::Value(512 << 20));
        assert_eq!(parse_size("m", "1G").unwrap(), Limit::Value(1 << 30));
        assert_eq!(parse_size("m", "8192k").unwrap(), Limit::Value(8 << 20));
        assert_eq!(parse_size("m", "max").unwrap(), Limit::Max);
        for bad in ["0", "-1", "1", "99999999999999999999", "1e3", "10Q", "1.5.G", "100\n+cpu", "", "M", "1.5G", " 64M"]
        {
            assert!(parse_size("m", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn cpus() {
        assert_eq!(parse_cpus("0.5", 2).unwrap().0, Limit::Value(50_000));
        assert_eq!(parse_cpus("2", 2).unwrap(), (Limit::Value(200_000), None));
        assert!(parse_cpus("4", 2).unwrap().1.is_some(), "more than the machine has: allowed, with a warning");
        for bad in ["0", "-1", "abc", "1e3", "0.001", "", "1..5", "2000"] {
            assert!(parse_cpus(bad, 2).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn limits_serialise_as_numbers_or_max() {
        assert_eq!(serde_json::to_string(&Limit::Value(5)).unwrap(), "5");
        assert_eq!(serde_json::to_string(&Limit::Max).unwrap(), "\"max\"");
        assert_eq!(serde_json::from_str::<Limit>("\"max\"").unwrap(), Limit::Max);
        assert_eq!(serde_json::from_str::<Limit>("7").unwrap(), Limit::Value(7));
    }

    #[test]
    fn pids_and_cpusets() {
        assert!(parse_pids("0").is_err());
        assert_eq!(parse_pids("32").unwrap(), Limit::Value(32));
        assert_eq!(parse_cpuset("1,0", &[0, 1]).unwrap(), "0-1");
        assert!(parse_cpuset("0-7", &[0, 1]).is_err());
        assert!(parse_cpuset("1-0", &[0, 1]).is_err());
        assert!(parse_cpuset("x", &[0, 1]).is_err());
    }

    #[test]
    fn a_cpuset_naming_absent_cpus_is_refused_without_listing_them() {
        let err = |s: &str| parse_cpuset(s, &[0, 1]).unwrap_err().to_string();
        assert!(err("0-99999999999").contains("CPU 2 is not online here (online: 0-1)"), "{}", err("0-99999999999"));
        assert!(err("99999999999").contains("CPU 99999999999 is not online"));
        assert!(err(&format!("0-{}", usize::MAX)).contains("CPU 2 is not online"));
        assert!(err("99999999999999999999999").contains("a CPU list such as"));
        assert!(err("5-7").contains("CPU 5 is not online"));
        // A hole in the online CPUs is found inside a range, too.
        assert_eq!(first_missing(0, 3, &[0, 1, 3]), Some(2));
        assert_eq!(first_missing(0, 3, &[0, 1, 2, 3]), None);
        assert_eq!(parse_cpuset("3,0-1", &[0, 1, 3]).unwrap(), "0-1,3");
        assert_eq!(parse_online("0-3,6\n"), [0, 1, 2, 3, 6]);
        assert_eq!(format_list(&[0, 1, 2, 5, 7, 8]), "0-2,5,7-8");
    }
}
