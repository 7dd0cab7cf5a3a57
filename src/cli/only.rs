//! `Only<T>`: the commands clap is told about, cut down to the one a start
//! runs.
//!
//! Building the top command, clap copies each global option (`--root`,
//! `--json`, …) into every subcommand, each copy a handful of allocations,
//! for every command a start does not run (what that costs a short command:
//! docs/performance.md).
//! `parse` finds the word that names the command; this wrapper then
//! registers that one alone. Anything else (no such word, help, a typo)
//! gets every command, and so does a command line the cut-down parse
//! rejects, so each message clap prints (usage, suggestions, help) comes
//! from the whole tree.

use clap::{Command, Subcommand};
use std::cell::RefCell;
use std::ffi::OsString;

thread_local! {
    static ONLY: RefCell<Option<String>> = const { RefCell::new(None) };
}

#[derive(Debug)]
pub struct Only<T>(pub T);

super::lazy::from_arg_matches_of_inner!(Only);

impl<T: Subcommand> Subcommand for Only<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        only(cmd, T::augment_subcommands)
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        only(cmd, T::augment_subcommands_for_update)
    }

    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}

/// `cmd` with every subcommand `augment` adds, or only the wanted one. The
/// others are built all the same (their name and about are cheap), then
/// dropped before clap copies anything into them.
fn only(cmd: Command, augment: fn(Command) -> Command) -> Command {
    let wanted = ONLY.with_borrow(|o| o.clone());
    let all = augment(Command::new("all"));
    match wanted.and_then(|name| all.find_subcommand(&name).cloned()) {
        Some(sub) => cmd.subcommand(sub),
        None => augment(cmd),
    }
}

/// Runs `build` with only the subcommand named `name` registered, if any.
pub fn building_only<R>(name: Option<&str>, build: impl FnOnce() -> R) -> R {
    ONLY.with_borrow_mut(|o| *o = name.map(String::from));
    let built = build();
    ONLY.with_borrow_mut(|o| *o = None);
    built
}

/// The word that picks the subcommand: the first that is neither an option
/// nor `--root`'s value. None where the whole tree must answer: help, the
/// version, or `--` first.
pub fn command_word(args: &[OsString]) -> Option<&str> {
    let mut words = args.iter().skip(1);
    while let Some(word) = words.next() {
        match word.to_str()? {
            "--root" => {
                words.next();
            }
            "-h" | "--help" | "-V" | "--version" | "--" | "help" => return None,
            w if w.starts_with('-') => {}
            w => return Some(w),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::command_word;
    use crate::cli::Cli;
    use clap::{CommandFactory, FromArgMatches};

    fn words(s: &str) -> Vec<std::ffi::OsString> {
        s.split_whitespace().map(Into::into).collect()
    }

    #[test]
    fn the_command_word_skips_options_and_the_roots_value() {
        let cases = [
            ("glassbox create demo", Some("create")),
            ("glassbox --root create ls", Some("ls")),
            ("glassbox --root=/r --json --explain unshare demo pid", Some("unshare")),
            ("glassbox --help create", None),
            ("glassbox -V", None),
            ("glassbox", None),
            ("glassbox --root", None),
        ];
        for (line, want) in cases {
            assert_eq!(command_word(&words(line)), want, "{line}");
        }
    }

    /// Every command line parses to the same thing, or fails with the same
    /// message, with one command registered as with all of them.
    #[test]
    fn the_cut_down_tree_parses_as_the_whole_one() {
        let lines = [
            "glassbox create demo",
            "glassbox --root /r --json inspect demo",
            "glassbox inspect demo --json --root /r",
            "glassbox --root /r create inspect",
            "glassbox --explain unshare demo uts --hostname inside",
            "glassbox unshare demo user --map-root-to 100000",
            "glassbox run demo -- hostname",
            "glassbox exec -it demo -- sh -c x",
            "glassbox rm --force demo",
            "glassbox history demo --script",
            "glassbox image import busybox",
            "glassbox lesson list --json",
            "glassbox limit demo --memory 64M --pids 20",
            "glassbox create",
            "glassbox create demo extra",
            "glassbox rm --bogus demo",
            "glassbox --bogus create demo",
            "glassbox creat demo",
            "glassbox run demo",
            "glassbox image",
        ];
        for line in lines {
            let args = words(line);
            let whole = Cli::command().try_get_matches_from(&args).and_then(|m| Cli::from_arg_matches(&m));
            let cut = super::building_only(command_word(&args), Cli::command)
                .try_get_matches_from(&args)
                .and_then(|m| Cli::from_arg_matches(&m));
            match (whole, cut) {
                (Ok(w), Ok(c)) => assert_eq!(format!("{w:?}"), format!("{c:?}"), "{line}"),
                (Err(_), Err(_)) => {}
                (w, c) => panic!("{line}: the whole tree gave {w:?}, the cut-down one {c:?}"),
            }
        }
    }
}
