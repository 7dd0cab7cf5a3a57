//! Fault injection for the crash tests: `GLASSBOX_PAUSE_BEFORE=hold` makes
//! glassbox (or its helper, or a box init on its way to exec) sleep before
//! that point, so a test can kill it exactly there and prove `rm --force`
//! cleans up.

/// Whether `GLASSBOX_PAUSE_BEFORE` names this point; if so, says on stderr
/// that glassbox pauses there (the crash tests wait for that line).
pub fn pause_announced(point: &str) -> bool {
    let wanted = std::env::var("GLASSBOX_PAUSE_BEFORE").is_ok_and(|w| w == point);
    if wanted {
        let line = format!("glassbox: pausing before {point} (GLASSBOX_PAUSE_BEFORE)\n");
        let _ = super::fd::write_all(2, line.as_bytes());
    }
    wanted
}

/// The pause itself: long enough for a test to kill the process in it.
pub fn pause() {
    std::thread::sleep(std::time::Duration::from_secs(60));
}
