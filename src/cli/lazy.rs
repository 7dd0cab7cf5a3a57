//! `Lazy<T>`: a subcommand whose arguments clap builds only when it is the
//! one on the command line.
//!
//! clap's derive builds the description of every subcommand (each argument,
//! each help text copied into the heap) before it looks at the first word,
//! and every glassbox start pays for it, a large share of a short command
//! such as `history` (measured in docs/performance.md, where the bar for
//! keeping a start-up trick is also written). `Command::defer` postpones a command's own arguments until
//! clap enters it; this wrapper asks for that. The variant's doc comment
//! (its `about`) stays eager, so `glassbox --help` still lists every command.

use clap::{Args, Command, Subcommand};

#[derive(Debug)]
pub struct Lazy<T>(pub T);

/// `FromArgMatches` for a wrapper that only changes how clap builds `T`.
macro_rules! from_arg_matches_of_inner {
    ($wrapper:ident) => {
        impl<T: clap::FromArgMatches> clap::FromArgMatches for $wrapper<T> {
            fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
                T::from_arg_matches(matches).map($wrapper)
            }

            fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
                self.0.update_from_arg_matches(matches)
            }
        }
    };
}
pub(super) use from_arg_matches_of_inner;

from_arg_matches_of_inner!(Lazy);

impl<T: Args> Args for Lazy<T> {
    fn augment_args(cmd: Command) -> Command {
        cmd.defer(T::augment_args)
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        cmd.defer(T::augment_args_for_update)
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

impl<T: Subcommand> Subcommand for Lazy<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        cmd.defer(T::augment_subcommands)
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        cmd.defer(T::augment_subcommands_for_update)
    }

    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::{Cli, Command, Lazy, Only};
    use clap::{CommandFactory, Parser};

    #[test]
    fn every_deferred_command_passes_claps_own_checks() {
        // debug_assert builds every subcommand, deferred ones included.
        Cli::command().debug_assert();
    }

    #[test]
    fn a_deferred_command_parses_its_arguments() {
        let cli =
            Cli::try_parse_from(["glassbox", "--root", "/r", "exec", "-t", "demo", "--", "sh", "-c", "x"]).unwrap();
        let Only(Command::Exec(Lazy(a))) = cli.command else { panic!("exec parsed as {:?}", cli.command) };
        assert_eq!((a.name.as_str(), a.tty, a.detach), ("demo", true, false));
        assert_eq!(a.argv, ["sh", "-c", "x"]);
        assert!(Cli::try_parse_from(["glassbox", "exec", "demo", "--bogus", "--", "true"]).is_err());
    }

    #[test]
    fn the_variants_help_survives_the_deferral() {
        let mut cmd = Cli::command();
        let exec = cmd.find_subcommand_mut("exec").unwrap();
        let help = exec.render_long_help().to_string();
        assert!(help.starts_with("Start another process in a running box"), "{help}");
        assert!(help.contains("--tty"), "the deferred arguments are in the help: {help}");
    }
}
