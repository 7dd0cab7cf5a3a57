//! Dates from the seconds since the epoch that glassbox records: one
//! calendar for the image config, the daemon's JSON and the web page.

/// The proleptic Gregorian date (year, month, day) of a day counted from
/// 1970-01-01: Howard Hinnant's days-to-civil.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The date and the time of day (hours, minutes, seconds) of a moment.
pub fn utc(secs: u64) -> ((i64, u32, u32), (u64, u64, u64)) {
    let rest = secs % 86_400;
    (civil_from_days((secs / 86_400) as i64), (rest / 3600, rest / 60 % 60, rest % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates_across_leap_years_and_centuries() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(utc(1_796_661_644).0, (2026, 12, 7));
    }
}
