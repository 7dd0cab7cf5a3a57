//! Healthchecks: the service's `test`, run in its box as `glassbox exec`.
//!
//! Who runs them: the project's supervisor (see `supervisor`), on the
//! service's schedule from the moment its box is made until it is removed.
//! `compose up` waits for a `service_healthy` dependency by reading what
//! the supervisor recorded, and `compose ps`, `inspect` and the web page
//! show the same record: one owner, one answer.

use super::resolve::Health;
use super::runner::Steps;

/// Runs the test once in `name`: whether it passed, and what it said when it did not.
pub fn check(steps: &Steps, name: &str, h: &Health) -> (bool, String) {
    let mut args = vec!["exec".to_string(), name.to_string(), "--".to_string()];
    args.extend(h.argv.iter().cloned());
    match steps.quiet_within(&args, h.timeout) {
        Ok(done) if done.code == Some(0) => (true, String::new()),
        Ok(done) if done.code.is_none() => (false, format!("the test took longer than {:?}", h.timeout)),
        Ok(done) => {
            let said = format!("{}{}", done.stdout, done.stderr);
            let last = said.lines().rev().find(|l| !l.trim().is_empty()).map(str::trim).unwrap_or("");
            let code = done.code.unwrap_or(-1);
            (false, if last.is_empty() { format!("exit code {code}") } else { format!("exit code {code}: {last}") })
        }
        Err(e) => (false, e.to_string()),
    }
}
