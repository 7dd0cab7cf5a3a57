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
    BoxAndImage, Command, HistoryArgs, InspectArgs, Lazy, NetArgs, PublishArgs, RmArgs, ServeArgs, StatsArgs, StopArgs,
};
use crate::error::{Result, UsageError};
use std::time::Duration;

// What every command is given lives a layer below the commands, so that
// the lesson runner (which commands/lesson.rs starts) takes it too without
// importing the commands.
pub use crate::context::Ctx;
use crate::context::LOCK_PATIENCE;

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
        Command::Build(Lazy(args)) => build::command::run(&args, ctx),
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
