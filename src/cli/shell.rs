//! `glassbox completions SHELL` and `glassbox man`: the shell's tab
//! completion and the manual page, both generated from the same clap
//! description that parses the command line, so neither can drift from it.

use clap::{Args, CommandFactory, ValueEnum};

/// The shells `completions` writes a script for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh or fish.
    pub shell: Shell,
}

/// The completion script for `shell`, from the whole command tree.
pub fn completion_script(shell: Shell) -> String {
    let mut cmd = super::Cli::command();
    let mut out = Vec::new();
    match shell {
        Shell::Bash => clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, "glassbox", &mut out),
        Shell::Zsh => clap_complete::generate(clap_complete::Shell::Zsh, &mut cmd, "glassbox", &mut out),
        Shell::Fish => clap_complete::generate(clap_complete::Shell::Fish, &mut cmd, "glassbox", &mut out),
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// glassbox(1) in roff, as `man` reads it.
pub fn man_page() -> std::io::Result<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(super::Cli::command()).render(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bash_completion_knows_the_step_commands() {
        let script = completion_script(Shell::Bash);
        for word in ["create", "unshare", "rootfs", "limit", "lesson", "completions"] {
            assert!(script.contains(word), "bash completion lacks {word}");
        }
        // The deferred arguments of a `Lazy` command are there too.
        assert!(script.contains("--map-root-to"), "bash completion lacks unshare's flags");
    }

    #[test]
    fn zsh_and_fish_scripts_and_the_man_page_name_the_commands() {
        assert!(completion_script(Shell::Zsh).contains("#compdef glassbox"));
        assert!(completion_script(Shell::Fish).contains("complete -c glassbox"));
        let man = man_page().unwrap();
        assert!(man.contains(".TH glassbox") && man.contains("unshare"), "{man}");
    }
}
