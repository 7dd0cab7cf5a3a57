//! Running compose's steps: each the glassbox binary itself, as typed.
//!
//! The command line, the root and the cause are built by the daemon's
//! [`crate::daemon::steps::Runner`], so a step compose runs is recorded
//! exactly as one the daemon runs: with `compose up (PROJECT)` as its
//! cause above it in `history`. Compose runs a step to its end and keeps
//! its output; only the step's one-line error is shown when it fails.

use super::ComposeError;
use crate::daemon::steps::{Runner, shown};
use crate::output::progress;
use crate::state::Root;
use crate::state::cause::Cause;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

pub struct Steps {
    runner: Runner,
    cause: Cause,
    explain: bool,
    /// Every step killed when the thread that started it ends (the supervisor's).
    tied: bool,
}

/// What a step printed, and how it ended.
pub struct Done {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Done {
    /// The step's error line, without the `glassbox: ` it starts with.
    pub fn error(&self) -> String {
        let line = self.stderr.lines().find(|l| l.starts_with("glassbox: ")).or_else(|| self.stderr.lines().last());
        line.map(|l| l.trim_start_matches("glassbox: ").to_string())
            .unwrap_or_else(|| format!("exit code {:?}", self.code))
    }
}

impl Steps {
    pub fn new(root: &Root, explain: bool, verb: &str, project: &str) -> Result<Steps, ComposeError> {
        let runner = Runner::new(root, explain).map_err(|e| ComposeError::Failed(format!("glassbox itself: {e}")))?;
        let cause = Cause::new("compose", "compose", &format!("{verb} (project {project})"), b"");
        Ok(Steps { runner, cause, explain, tied: false })
    }

    /// Steps that die with the thread that starts them: a supervisor's, so
    /// that stopping it leaves none of them behind.
    pub fn tied(mut self) -> Steps {
        self.tied = true;
        self
    }

    /// `glassbox ARGS`, not yet started, with this cause (and tied if asked).
    pub fn command(&self, args: &[String]) -> std::process::Command {
        let mut cmd = self.runner.command(args, Some(&self.cause), None);
        if self.tied {
            crate::sys::child::die_with_parent(&mut cmd);
        }
        cmd
    }

    /// Runs `glassbox ARGS`, says it first with `who` in front; Err with its error line.
    pub fn step(&self, who: &str, args: &[String]) -> Result<Done, ComposeError> {
        progress!("{who}: glassbox {}", shown(args));
        let done = self.quiet(args)?;
        if self.explain {
            crate::output::error_text(&done.stderr);
        }
        match done.code {
            Some(0) => Ok(done),
            Some(2) => Err(ComposeError::Bad(format!("{who}: {}", done.error()))),
            _ => Err(ComposeError::Failed(format!("{who}: glassbox {}: {}", shown(args), done.error()))),
        }
    }

    /// Runs a step and returns how it ended, saying nothing (health checks, reads).
    pub fn quiet(&self, args: &[String]) -> Result<Done, ComposeError> {
        self.quiet_within(args, Duration::MAX)
    }

    /// The same, killed after `limit` (then its code is None).
    pub fn quiet_within(&self, args: &[String], limit: Duration) -> Result<Done, ComposeError> {
        let mut cmd = self.command(args);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child =
            cmd.spawn().map_err(|e| ComposeError::Failed(format!("cannot start glassbox for a step: {e}")))?;
        // Read both pipes while it runs: a step that prints much never blocks on a full pipe.
        let (out, err) = (child.stdout.take(), child.stderr.take());
        let out = std::thread::spawn(move || drain(out));
        let err = std::thread::spawn(move || drain(err));
        let began = Instant::now();
        let status = loop {
            if limit == Duration::MAX {
                // No limit: block until it ends (a step's own time, no polling delay).
                let done = child.wait().map_err(|e| ComposeError::Failed(format!("waiting for a step: {e}")))?;
                break done.code();
            }
            match child.try_wait() {
                Ok(Some(status)) => break status.code(),
                Ok(None) if began.elapsed() > limit => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(e) => return Err(ComposeError::Failed(format!("waiting for a step: {e}"))),
            }
        };
        Ok(Done { code: status, stdout: out.join().unwrap_or_default(), stderr: err.join().unwrap_or_default() })
    }
}

fn drain(pipe: Option<impl Read>) -> String {
    let mut text = String::new();
    if let Some(mut p) = pipe {
        let mut bytes = vec![];
        let _ = p.read_to_end(&mut bytes);
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    text
}
