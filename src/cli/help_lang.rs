//! `--help` in the learner's language. The doc comments in cli/ are the
//! English help (and `scripts/check-book.sh` makes the book's command pages
//! from them); the catalogue's `help-*` messages are the same texts by id,
//! and for Korean the command tree is rewritten with them before clap
//! prints anything: a command's about is `help-PATH` (`help-image-import`),
//! an option's help `help-PATH--ID`, else `help--ID` (the global options).
//! clap builds the tree and prints help only when a parse stops (help asked
//! for, or a usage error), so only that path pays for the rewrite.

use crate::i18n::{Lang, has_message, message_in};
use clap::{Arg, Command};

/// The language `--lang` or the environment asks for, read from the raw
/// arguments: clap has not parsed them yet.
pub fn wanted(args: &[std::ffi::OsString]) -> Lang {
    let mut flag = None;
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(w) = words.next() {
        let value = if w == "--lang" { words.next() } else { w.strip_prefix("--lang=") };
        if let Some(lang) = value.and_then(Lang::from_locale) {
            flag = Some(lang);
        }
    }
    crate::i18n::choose(flag, |v| std::env::var(v).ok())
}

/// The whole tree with its help texts in `lang` (English: as written).
pub fn in_language(mut cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    cmd.build();
    rewrite(cmd, lang, "help", "help")
}

fn text(lang: Lang, id: &str) -> Option<String> {
    has_message(lang, id).then(|| message_in(lang, id, &[]))
}

/// clap keeps headings as `&'static str`; the process prints help and exits.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// `cmd` with the texts of `id`; its subcommands are `base-NAME` (clap's
/// own `help` command lists its parent's commands under their ids).
fn rewrite(mut cmd: Command, lang: Lang, id: &str, base: &str) -> Command {
    if let Some(about) = text(lang, id) {
        cmd = cmd.about(about.clone()).long_about(text(lang, &format!("{id}--long")).unwrap_or(about));
    }
    let usage = message_in(lang, "help-heading-usage", &[]);
    cmd = cmd.help_template(leak(format!(
        "{{before-help}}{{about-with-newline}}\n{usage}: {{usage}}\n\n{{all-args}}{{after-help}}"
    )));
    cmd = cmd.subcommand_help_heading(leak(message_in(lang, "help-heading-commands", &[])));
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for arg in ids {
        let own = format!("{id}--{arg}");
        let shared = format!("help--{arg}");
        let help = text(lang, &own).or_else(|| text(lang, &shared));
        let heading = if cmd.get_arguments().any(|a| a.get_id() == arg.as_str() && a.is_positional()) {
            "help-heading-arguments"
        } else {
            "help-heading-options"
        };
        let heading = leak(message_in(lang, heading, &[]));
        cmd = cmd.mut_arg(arg.as_str(), |a: Arg| {
            let a = a.help_heading(heading);
            let a = match help {
                Some(h) => a.help(h).long_help(None::<&'static str>),
                None => a,
            };
            brackets_in(a, lang)
        });
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub_id = format!("{base}-{name}");
        cmd = match name.as_str() {
            "help" => cmd.mut_subcommand("help", |s| rewrite(s, lang, "help-subcommand-help", id)),
            _ => cmd.mut_subcommand(name.as_str(), |s| rewrite(s, lang, &sub_id, &sub_id)),
        };
    }
    cmd
}

/// clap's `[possible values: …]` and `[default: …]` after an option's
/// help, in `lang`: clap's are hidden and the help says them itself.
fn brackets_in(mut a: Arg, lang: Lang) -> Arg {
    if !a.get_action().takes_values() {
        return a;
    }
    let mut said = a.get_help().map(|h| h.to_string()).unwrap_or_default();
    let values: Vec<String> =
        a.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_string()).collect();
    if !values.is_empty() && !a.is_hide_possible_values_set() {
        said.push_str(&format!(" [{}: {}]", message_in(lang, "clap-possible-values", &[]), values.join(", ")));
        a = a.hide_possible_values(true);
    }
    let defaults: Vec<String> = a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() && !a.is_hide_default_value_set() {
        said.push_str(&format!(" [{}: {}]", message_in(lang, "clap-default", &[]), defaults.join(", ")));
        a = a.hide_default_value(true);
    }
    a.help(said.trim_start().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    fn each(cmd: &Command, id: &str, out: &mut Vec<(String, String)>) {
        out.push((id.to_string(), cmd.get_about().map(|a| a.to_string()).unwrap_or_default()));
        if let Some(long) = cmd.get_long_about() {
            out.push((format!("{id}--long"), long.to_string()));
        }
        let own =
            |a: &&Arg| !["help", "version"].contains(&a.get_id().as_str()) && (!a.is_global_set() || id == "help");
        for a in cmd.get_arguments().filter(own) {
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            out.push((format!("{id}--{}", a.get_id()), help));
        }
        for s in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            each(s, &format!("{id}-{}", s.get_name()), out);
        }
    }

    /// Every command and option has its Korean help, and the catalogue's
    /// English is the doc comment's, so the two cannot drift apart.
    #[test]
    fn every_help_text_is_in_the_catalogue_in_both_languages() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut all = vec![];
        each(&cmd, "help", &mut all);
        let (mut missing, mut drifted) = (vec![], vec![]);
        for (id, english) in all.iter().filter(|(_, e)| !e.is_empty()) {
            let shared = id.rsplit_once("--").map(|(_, arg)| format!("help--{arg}"));
            let id = [Some(id.clone()), shared].into_iter().flatten().find(|i| has_message(Lang::En, i));
            match id {
                Some(id) if has_message(Lang::Ko, &id) => {
                    if &message_in(Lang::En, &id, &[]) != english {
                        drifted.push(format!("{id}: the doc comment says {english:?}"));
                    }
                }
                _ => missing.push(format!("{id_asked}: {english:?}", id_asked = all_id(&all, english))),
            }
        }
        assert!(missing.is_empty(), "help texts without a catalogue message: {missing:#?}");
        assert!(drifted.is_empty(), "the catalogue's English must be the doc comment's: {drifted:#?}");
    }

    fn all_id<'a>(all: &'a [(String, String)], english: &str) -> &'a str {
        all.iter().find(|(_, e)| e == english).map(|(i, _)| i.as_str()).unwrap_or("?")
    }

    #[test]
    fn korean_help_is_korean_and_english_help_is_untouched() {
        let english = Cli::command().render_long_help().to_string();
        assert_eq!(in_language(Cli::command(), Lang::En).render_long_help().to_string(), english);
        let mut ko = in_language(Cli::command(), Lang::Ko);
        let top = ko.render_long_help().to_string();
        assert!(
            top.contains("명령:") && top.contains("사용법: glassbox") && top.contains("빈 박스를 새로 만듭니다"),
            "{top}"
        );
        let create = ko.find_subcommand_mut("create").unwrap().render_long_help().to_string();
        assert!(create.contains("빈 박스를 새로 만듭니다"), "{create}");
    }

    #[test]
    fn the_language_is_read_before_clap_parses() {
        let args = |s: &str| s.split_whitespace().map(Into::into).collect::<Vec<std::ffi::OsString>>();
        assert_eq!(wanted(&args("glassbox --lang ko create --help")), Lang::Ko);
        assert_eq!(wanted(&args("glassbox create --help --lang=ko")), Lang::Ko);
    }
}
