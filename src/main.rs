//! glassbox: parse → resolve context → dispatch → exit code, in one place.
// unsafe code is allowed in sys/ alone: the one kernel-facing module.
#![deny(unsafe_code)]
// The C library calls `sys::entry`'s `main`, which calls `run` (see there).
#![cfg_attr(not(test), no_main)]

mod cli;
mod commands;
mod doctor;
mod error;
mod image;
mod init;
mod lesson;
mod model;
mod plan;
mod proxy;
mod stage;
mod state;
#[allow(unsafe_code)]
mod sys;
mod teardown;
mod volume;
mod web;

/// The program; its exit code. (Unit tests have the test harness's main.)
#[cfg_attr(test, allow(dead_code))]
fn run() -> u8 {
    let args: Vec<String> = std::env::args().collect();
    if args.first().is_some_and(|a| a == "glassbox-init") {
        init::main(&args);
    }
    if args.first().is_some_and(|a| a == "glassbox-proxy") {
        proxy::main(&args);
    }
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match commands::Ctx::new(&cli).and_then(|ctx| commands::dispatch(cli.command.0, &ctx, &args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("glassbox: {e}");
            if let error::Error::Apply(_) = e {
                // A kernel operation failed part way through a step.
                eprintln!(
                    "glassbox: run the step again with --explain to see each operation; `glassbox rm --force BOX` removes whatever it left"
                );
            }
            e.exit_code()
        }
    }
}
