//! Running one glassbox step for a request: the glassbox binary itself,
//! as a learner would type it, so its lock, its record and its errors are
//! exactly the CLI's.
//!
//! Each step gets the request in `GLASSBOX_CAUSE` (recorded with the step)
//! and, when the daemon holds the box's lock across a request's steps, that
//! lock as an inherited descriptor (`GLASSBOX_HELD_LOCK`, see
//! `state::lock`): no typed command can slip between two steps of one
//! `docker run`. The daemon prints each step as it starts it; with
//! `--explain`, the step's operations too.

use super::api::{ApiError, ApiResult};
use crate::output::{say, say_err};
use crate::state::cause::{self, Cause};
use crate::state::{BoxLock, Root, lock::HELD_ENV, paths};
use axum::http::StatusCode;
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::Stdio;

pub struct Runner {
    glassbox: PathBuf,
    /// `--root DIR`, or nothing for the default root (its runtime is
    /// /run/glassbox, which `--root /var/lib/glassbox` would not name).
    root_args: Vec<String>,
    explain: bool,
}

/// A box's lock, held by the daemon for the steps of one request.
pub struct Held {
    pub name: String,
    pub lock: BoxLock,
}

impl Runner {
    pub fn new(root: &Root, explain: bool) -> std::io::Result<Runner> {
        let default = root.state == std::path::Path::new(paths::DEFAULT_STATE)
            && root.runtime == std::path::Path::new(paths::DEFAULT_RUNTIME);
        let root_args = if default { vec![] } else { vec!["--root".into(), root.state.display().to_string()] };
        // The daemon's own binary, even after an upgrade replaced the file
        // (current_exe would then name a deleted path): steps and daemon
        // are always one version.
        Ok(Runner { glassbox: PathBuf::from("/proc/self/exe"), root_args, explain })
    }

    /// The command for `glassbox ARGS`, the cause and the held lock given.
    pub fn command(&self, args: &[String], cause: Option<&Cause>, held: Option<&Held>) -> std::process::Command {
        let mut cmd = std::process::Command::new(&self.glassbox);
        // Named as typed, for ps and for whoever reads /proc/PID/cmdline.
        std::os::unix::process::CommandExt::arg0(&mut cmd, "glassbox");
        cmd.args(&self.root_args);
        if self.explain {
            cmd.arg("--explain");
        }
        cmd.args(args);
        match cause {
            Some(c) => cmd.env(cause::ENV, serde_json::to_string(c).expect("a cause serialises")),
            None => cmd.env_remove(cause::ENV),
        };
        cmd.env_remove(HELD_ENV);
        if let Some(h) = held {
            let fd = h.lock.as_raw_fd();
            cmd.env(HELD_ENV, format!("{}:{fd}", h.name));
            crate::sys::child::keep_open(&mut cmd, fd);
        }
        cmd
    }

    /// Runs `glassbox ARGS` to its end; its stdout on success, its error
    /// as an API error otherwise.
    pub async fn run(&self, args: &[String], cause: Option<&Cause>, held: Option<&Held>) -> ApiResult<String> {
        say!("  {} glassbox {}", crate::i18n::tr!("daemon-step"), shown(args));
        self.output(args, cause, held).await
    }

    /// A command that only reads (`diff`, `stats`): nothing to show or record.
    pub async fn read(&self, args: &[String]) -> ApiResult<String> {
        self.output(args, None, None).await
    }

    async fn output(&self, args: &[String], cause: Option<&Cause>, held: Option<&Held>) -> ApiResult<String> {
        let mut cmd = self.command(args, cause, held);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let out = tokio::process::Command::from(cmd)
            .output()
            .await
            .map_err(|e| ApiError::internal(format!("cannot start glassbox for a step: {e}")))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if self.explain {
            crate::output::error_text(&stderr);
        }
        match out.status.code() {
            Some(0) => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
            code => {
                let message = error_line(&stderr).unwrap_or_else(|| format!("glassbox {} failed", shown(args)));
                say_err!("  failed: {message}");
                Err(ApiError::new(status_of(code, &message), message))
            }
        }
    }
}

/// The command as it would be typed (quoted where a shell needs it).
pub fn shown(args: &[String]) -> String {
    args.iter().map(|a| crate::output::escape::shell_word(a)).collect::<Vec<_>>().join(" ")
}

/// The step's error line, without the `glassbox: ` every CLI error starts with.
fn error_line(stderr: &str) -> Option<String> {
    let line = stderr.lines().find(|l| l.starts_with("glassbox: ")).or_else(|| stderr.lines().last())?;
    Some(line.trim_start_matches("glassbox: ").to_string())
}

/// Exit code 2 is bad input (400), with Docker's 404 and 409 where the
/// message says which; anything else failed (500).
fn status_of(code: Option<i32>, message: &str) -> StatusCode {
    match code {
        Some(2) if message.starts_with("no box named") || message.starts_with("no volume named") => {
            StatusCode::NOT_FOUND
        }
        Some(2) if message.contains("already exists") || message.contains("is busy") => StatusCode::CONFLICT,
        Some(2) => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_s_error_keeps_glassbox_s_sentence_and_its_class() {
        let stderr = "warning: x\nglassbox: no box named \"web\": see the boxes with `glassbox ls`\n";
        let line = error_line(stderr).unwrap();
        assert_eq!(line, "no box named \"web\": see the boxes with `glassbox ls`");
        assert_eq!(status_of(Some(2), &line), StatusCode::NOT_FOUND);
        assert_eq!(status_of(Some(2), "volume spec \"x\": bad"), StatusCode::BAD_REQUEST);
        assert_eq!(status_of(Some(1), "mount: EPERM"), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            shown(&["run".into(), "web".into(), "--".into(), "echo".into(), "a b".into()]),
            "run web -- echo 'a b'"
        );
    }
}
