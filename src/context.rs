//! What every command is given: the state root it works in and how it shows
//! its work (`--explain`, `--dry-run`, `--json`), with the steps all
//! commands take the same way (open a box under its lock, apply a plan
//! noted in the record, print the outcome). The commands, the builder and
//! the lesson runner take it; it imports none of them.

use crate::cli::Cli;
use crate::error::{Result, UsageError};
use crate::executor::{Applied, ApplyError, ApplyOptions, apply};
use crate::output::say;
use crate::plan::Plan;
use crate::state::{BoxLock, BoxRecord, Root, names};
use std::time::Duration;

pub struct Ctx {
    pub root: Root,
    pub explain: bool,
    pub dry_run: bool,
    pub json: bool,
}

/// How long a command waits for another one to finish with the same box.
pub const LOCK_PATIENCE: Duration = Duration::from_secs(10);

impl Ctx {
    pub fn new(cli: &Cli) -> Result<Ctx> {
        let any_text = matches!(cli.command.0, crate::cli::Command::Reset { .. });
        // Without --root, a student's `sudo glassbox` uses a root of their own.
        let sudo_user = std::env::var("SUDO_USER").ok();
        let given = cli.root.clone().or_else(|| crate::state::paths::per_user_default(sudo_user.as_deref()));
        let root = Root::resolve(given.as_deref(), any_text).map_err(|e| {
            // Escaped: a root named with a newline or an escape sequence
            // still gets its one-line rejection.
            let dir = given.as_deref().unwrap_or(std::path::Path::new("")).display().to_string();
            let dir = dir.escape_debug();
            // The kernel's own reasons get the advice; glassbox's carry theirs.
            let advice =
                if e.get_ref().is_none() { format!(": {}", crate::i18n::tr!("root-advice")) } else { String::new() };
            UsageError::RootInvalid { dir: dir.to_string(), reason: format!("{e}{advice}") }
        })?;
        Ok(Ctx { root, explain: cli.explain, dry_run: cli.dry_run, json: cli.json })
    }

    /// Validates the name, takes the box's lock and loads its record; a box
    /// a step left half made is refused (see [`BoxRecord::require_intact`]).
    pub fn open(&self, name: &str) -> Result<(BoxLock, BoxRecord)> {
        let (lock, record) = self.open_any(name)?;
        record.require_intact()?;
        Ok((lock, record))
    }

    /// The same, also for a broken box: for what only stops or detaches.
    pub fn open_any(&self, name: &str) -> Result<(BoxLock, BoxRecord)> {
        names::validate("box", name)?;
        let lock = BoxLock::acquire(&self.root, name, LOCK_PATIENCE)?;
        let record = BoxRecord::load(&self.root, name)?;
        Ok((lock, record))
    }

    /// Applies a step that changes the box in the kernel, its record noting
    /// the step first. A failure that `rolled_back` says left the box as it
    /// was clears the note; any other failure, or glassbox killed meanwhile,
    /// leaves the box recorded as broken. On success the note is cleared in
    /// `record`, to be saved with what the step made.
    pub fn apply_noted(
        &self,
        record: &mut BoxRecord,
        typed: &[String],
        plan: &Plan,
        rolled_back: impl Fn(&ApplyError) -> bool,
    ) -> Result<Applied> {
        if plan.ops.is_empty() {
            return Ok(Applied::default());
        }
        record.begin(&self.root, typed)?;
        match apply(plan, &ApplyOptions { explain: self.explain, ..Default::default() }) {
            Ok(applied) => {
                record.unfinished = None;
                Ok(applied)
            }
            Err(e) => {
                if rolled_back(&e) {
                    record.unfinished = None;
                    record.save(&self.root)?;
                }
                Err(e.into())
            }
        }
    }

    /// Prints a plan for --dry-run; true when the caller should stop there.
    pub fn dry_run_shows(&self, plan: &Plan) -> bool {
        if self.dry_run {
            if self.json {
                crate::output::json(plan);
            } else {
                crate::output::text(&plan.render());
                say!("{}", crate::i18n::tr!("step-dry-run"));
            }
        }
        self.dry_run
    }

    /// The one printer of what a command did: its text, or with `--json`
    /// its value as one JSON object. The exit code is 0: it succeeded.
    pub fn show(&self, done: impl serde::Serialize + std::fmt::Display) -> Result<u8> {
        crate::output::outcome::show(&done, self.json);
        Ok(0)
    }

    /// [`Ctx::show`] for a command that may have shown its plan instead
    /// (`--dry-run`): then nothing more is printed.
    pub fn show_some(&self, done: Option<impl serde::Serialize + std::fmt::Display>) -> Result<u8> {
        done.map_or(Ok(0), |d| self.show(d))
    }
}
