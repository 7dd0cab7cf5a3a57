//! Reading the command line into [`Cli`].

use super::Cli;

/// `Cli::try_parse`, with clap told only of the command being run (see
/// `Only`), minus freeing clap's description of the commands afterwards: the
/// process is short-lived, and the free is work every start would pay
/// (docs/performance.md).
pub fn parse() -> Result<Cli, clap::Error> {
    // clap's derived builder of the command list keeps every command's
    // temporaries in one stack frame, about 200 KB in a debug build: under
    // a small `ulimit -s` the parse runs on a thread of its own, joined
    // before anything forks or changes namespaces.
    if crate::sys::process::stack_limit() < 1 << 20 {
        let parsing = std::thread::Builder::new().stack_size(8 << 20).spawn(parse_here);
        if let Ok(Ok(parsed)) = parsing.map(|t| t.join()) {
            return parsed;
        }
    }
    parse_here()
}

fn parse_here() -> Result<Cli, clap::Error> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match super::only::command_word(&args) {
        Some(word) => parse_with(&args, Some(word)).or_else(|_| parse_with(&args, None)),
        None => parse_with(&args, None),
    }
}

fn parse_with(args: &[std::ffi::OsString], only_command: Option<&str>) -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut command = super::only::building_only(only_command, Cli::command);
    let parsed = command.try_get_matches_from_mut(args).and_then(|m| Cli::from_arg_matches(&m));
    std::mem::forget(command);
    // Help, or a usage error: clap prints from the tree, so the tree is
    // rewritten in the learner's language and asked again.
    let lang = super::help_lang::wanted(args);
    match parsed {
        Err(_) if only_command.is_none() && lang != crate::i18n::Lang::En => {
            let mut command = super::help_lang::in_language(Cli::command(), lang);
            command.try_get_matches_from_mut(args).and_then(|m| Cli::from_arg_matches(&m))
        }
        parsed => parsed,
    }
}
