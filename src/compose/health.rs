//! Healthchecks: the service's `test`, run in its box as `glassbox exec`.
//!
//! Who runs them: `compose up` itself, while it waits for a dependency
//! with `condition: service_healthy` (every `interval`, failures counted
//! after `start_period`, `retries` of them and the dependent never
//! starts), and `compose ps`, which runs each test once when it is asked.
//! No process stays behind to run them on a schedule (that supervisor is
//! not built yet); a box's health is therefore what its test says now.

use super::ComposeError;
use super::resolve::Health;
use super::runner::Steps;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Healthy,
    Unhealthy,
}

/// Runs the test once in `name`; its status and what it printed.
pub fn check(steps: &Steps, name: &str, h: &Health) -> (Status, String) {
    let mut args = vec!["exec".to_string(), name.to_string(), "--".to_string()];
    args.extend(h.argv.iter().cloned());
    match steps.quiet_within(&args, h.timeout) {
        Ok(done) if done.code == Some(0) => (Status::Healthy, String::new()),
        Ok(done) if done.code.is_none() => (Status::Unhealthy, format!("the test took longer than {:?}", h.timeout)),
        Ok(done) => {
            let said = format!("{}{}", done.stdout, done.stderr);
            let last = said.lines().rev().find(|l| !l.trim().is_empty()).map(str::trim).unwrap_or("");
            let code = done.code.unwrap_or(-1);
            (
                Status::Unhealthy,
                if last.is_empty() { format!("exit code {code}") } else { format!("exit code {code}: {last}") },
            )
        }
        Err(e) => (Status::Unhealthy, e.to_string()),
    }
}

/// Waits until `name` passes its test, or fails it `retries` times past `start_period`.
pub fn wait_healthy(steps: &Steps, name: &str, h: &Health) -> Result<(), ComposeError> {
    crate::output::progress!("{name}: waiting until healthy: {}", h.argv.join(" "));
    let began = Instant::now();
    let mut failures = 0;
    loop {
        let (status, said) = check(steps, name, h);
        if status == Status::Healthy {
            crate::output::progress!("{name}: healthy");
            return Ok(());
        }
        if began.elapsed() >= h.start_period {
            failures += 1;
        }
        if failures >= h.retries.max(1) {
            return Err(ComposeError::Failed(format!(
                "{name} never became healthy: its healthcheck failed {failures} times (last: {said})"
            )));
        }
        std::thread::sleep(h.interval.max(Duration::from_millis(100)));
    }
}
