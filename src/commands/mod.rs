//! One file per verb, each a thin `run(args, &ctx)` over the core.

mod build;
mod compose;
mod compose_logs;
mod compose_ps;
pub mod create;
pub mod diff;
mod doctor;
mod export;
mod harden;
mod history;
pub mod image;
pub mod image_info;
mod lesson;
mod limit;
mod net;
mod pool;
pub mod rm;
pub mod rootfs;
pub mod run;
mod shell_docs;
pub use shell_docs::shell_docs;
mod show;
mod stop;
pub mod unshare;
mod volume;
mod work;

use crate::cli::{
    BoxAndImage, Cli, Command, HistoryArgs, InspectArgs, Lazy, NetArgs, PublishArgs, RmArgs, ServeArgs, StatsArgs,
    StopArgs,
};
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
const LOCK_PATIENCE: Duration = Duration::from_secs(10);

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

fn require_root() -> Result<()> {
    if crate::sys::process::euid() != 0 {
        return Err(UsageError::NeedsRoot {}.into());
    }
    Ok(())
}

/// Runs one command; the returned number is the exit code.
pub fn dispatch(command: Command, ctx: &Ctx, argv: &[String]) -> Result<u8> {
    require_root()?;
    ctx.root.keep_private()?;
    let typed = typed_command(argv);
    match command {
        Command::Create { name, project } => create::run(&name, project.as_deref(), ctx, typed),
        Command::Unshare(Lazy(args)) => unshare::run(&args, ctx, typed),
        Command::Run(Lazy(a)) => run::run(&a, run::Mode { detach: a.detach, tty: a.tty, is_run: true }, ctx, typed),
        Command::Exec(Lazy(a)) => run::run(&a, run::Mode { detach: a.detach, tty: a.tty, is_run: false }, ctx, typed),
        Command::Stop(Lazy(StopArgs { name, timeout })) => {
            ctx.show_some(stop::run(&name, Duration::from_secs(timeout), ctx)?)
        }
        Command::Rm(Lazy(RmArgs { name, force })) => ctx.show_some(rm::run(&name, force, ctx)?),
        Command::Reset { volumes } => ctx.show_some(rm::reset(ctx, volumes)?),
        Command::Ls => show::ls(ctx),
        Command::Ps { name } => show::ps(&name, ctx),
        Command::Inspect(Lazy(InspectArgs { name, path })) => show::inspect(&name, path.as_deref(), ctx),
        Command::Image(Lazy(cmd)) => image::run(cmd, ctx),
        Command::Volume(Lazy(cmd)) => volume::run(cmd, ctx, typed),
        Command::Net(Lazy(NetArgs { name, ip, subnet, network })) => {
            let asked = net::Asked { ip: ip.as_deref(), subnet: subnet.as_deref(), network: network.as_deref() };
            net::connect(&name, &asked, ctx, typed)
        }
        Command::Publish(Lazy(PublishArgs { name, ports, allow_low_port, also })) => {
            net::publish(&name, &ports, (allow_low_port, &also), ctx, typed)
        }
        Command::Pool(Lazy(cmd)) => pool::run(cmd, ctx, typed),
        Command::Limit(Lazy(args)) => limit::run(&args, ctx, typed),
        Command::Stats(Lazy(StatsArgs { name, count })) => limit::stats(&name, count, ctx),
        Command::Rootfs(Lazy(BoxAndImage { name, image })) => rootfs::run(&name, &image, ctx, typed),
        Command::Layer(Lazy(cmd)) => rootfs::layer(cmd, ctx, typed),
        Command::Diff { name } => diff::diff(&name, ctx),
        Command::Commit(Lazy(BoxAndImage { name, image })) => diff::commit(&name, &image, ctx, typed),
        Command::History(Lazy(HistoryArgs { name, script })) => history::run(&name, script, ctx),
        Command::Serve(Lazy(ServeArgs { listen, allow_remote, allow_host })) => {
            // Two roots (two learners on one machine) never ask for one port.
            let listen = listen.unwrap_or_else(|| format!("127.0.0.1:{}", crate::stage::bridge::serve_port(&ctx.root)));
            let opts = crate::web::ServeOptions { listen, allow_remote, allow_host };
            Ok(crate::web::serve(ctx.root.clone(), &opts)?)
        }
        Command::Build(Lazy(args)) => build::run(&args, ctx),
        Command::Export(Lazy(args)) => export::bundle(&args, ctx),
        Command::Daemon(Lazy(a)) => {
            let opts =
                crate::daemon::Options { socket: a.socket.as_deref(), explain: ctx.explain, dry_run: ctx.dry_run };
            Ok(crate::daemon::serve(ctx.root.clone(), &opts)?)
        }
        Command::Lesson(Lazy(cmd)) => lesson::run(cmd, ctx),
        Command::Harden(cmd) => harden::run(cmd, ctx, typed),
        Command::Doctor => doctor::run(ctx),
        Command::Compose(Lazy(args)) => compose::run(args, ctx),
        // Printed before the context is made (main.rs).
        Command::Completions(_) | Command::Man => Ok(0),
    }
}

/// The command as the user typed it, for the history (glassbox's global
/// options left out: they say how to show a step, not what it did).
fn typed_command(argv: &[String]) -> Vec<String> {
    let mut out = vec!["glassbox".to_string()];
    let mut skip_next = false;
    for a in argv.iter().skip(1) {
        if skip_next {
            skip_next = false;
            continue;
        }
        match a.as_str() {
            "--explain" | "--dry-run" | "--json" => continue,
            "--root" | "--lang" => skip_next = true,
            s if s.starts_with("--root=") || s.starts_with("--lang=") => {}
            _ => out.push(a.clone()),
        }
    }
    out
}
