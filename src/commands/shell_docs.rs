//! `completions` and `man`: they print what clap's description of glassbox
//! generates and touch nothing, so they run before the root is resolved and
//! need no root (an install script or a packager runs them as anyone).

use crate::cli::{Command, CompletionsArgs, Lazy, completion_script, man_page};
use crate::output::say_err;

/// The exit code of a command that only prints documentation; None for
/// every other command.
pub fn shell_docs(command: &Command) -> Option<u8> {
    match command {
        Command::Completions(Lazy(CompletionsArgs { shell })) => crate::output::text(&completion_script(*shell)),
        Command::Man => match man_page() {
            Ok(page) => crate::output::text(&page),
            Err(e) => {
                say_err!("glassbox: could not render the man page: {e}");
                return Some(1);
            }
        },
        _ => return None,
    }
    Some(0)
}
