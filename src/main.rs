//! glassbox: parse → resolve context → dispatch → exit code, in one place.
// unsafe code is allowed in sys/ alone: the one kernel-facing module.
#![deny(unsafe_code)]

mod cli;
mod commands;
mod compose;
mod context;
mod daemon;
mod doctor;
mod domain;
mod error;
mod executor;
mod i18n;
mod image;
mod init;
mod lesson;
mod model;
mod output;
mod plan;
mod pool;
mod proxy;
mod stage;
mod state;
#[allow(unsafe_code)]
mod sys;
mod teardown;
mod volume;
mod web;

/// Rust's own start stays: its stack-overflow guard turns an overflow into
/// a message, and it ignores SIGPIPE, so a closed stdout is an EPIPE error
/// that `output` handles. A panic prints one line (`output`'s hook) and
/// unwinds to here: exit code 1, nothing aborted.
fn main() -> std::process::ExitCode {
    output::on_panic_say_internal_error();
    let code = std::panic::catch_unwind(run).unwrap_or(1);
    std::process::ExitCode::from(output::finish(code))
}

/// The program; its exit code.
fn run() -> u8 {
    let args: Vec<String> = std::env::args().collect();
    if args.first().is_some_and(|a| a == "glassbox-init") {
        init::main(&args);
    }
    if args.first().is_some_and(|a| a == "glassbox-proxy") {
        proxy::main(&args);
    }
    if args.first().is_some_and(|a| a == "glassbox-supervisor") {
        compose::supervisor::main(&args);
    }
    if args.first().is_some_and(|a| a == "glassbox-lb") {
        pool::balancer::main(&args);
    }
    let cli = match cli::parse() {
        Ok(cli) => cli,
        // A usage error in Korean is written again from its kind and values.
        Err(e) if e.use_stderr() => {
            match cli::clap_words(&e) {
                Some(text) => output::error_text(&text),
                None => drop(e.print()),
            }
            return 2;
        }
        Err(e) => {
            let _ = e.print();
            return 0;
        }
    };
    i18n::set(i18n::choose(cli.lang, |v| std::env::var(v).ok()));
    if let Some(code) = commands::shell_docs(&cli.command.0) {
        return code;
    }
    let json = cli.json;
    output::answer_in_json(json);
    match commands::Ctx::new(&cli).and_then(|ctx| commands::dispatch(cli.command.0, &ctx, &args)) {
        Ok(code) => code,
        Err(e) => {
            output::say_err!("glassbox: {e}");
            if let error::Error::Apply(_) = e {
                // A kernel operation failed part way through a step.
                output::say_err!("glassbox: {}", i18n::tr!("apply-advice"));
            }
            if json {
                // A script reads the code; the message is for its user.
                output::json(&e.to_json());
            }
            e.exit_code()
        }
    }
}
