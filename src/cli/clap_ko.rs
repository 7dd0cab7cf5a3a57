//! clap's own words (`error: unexpected argument`, `Usage:`, `For more
//! information, try '--help'`) in the learner's language. clap writes its
//! errors in English only, but an error carries its kind and the values
//! that went into it (the argument, the value, the suggestions, the usage
//! line): for Korean the message is written again from those with the
//! catalogue's `clap-*` texts. Any kind not named here keeps clap's English.

use crate::i18n::{Lang, message_in};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use fluent_bundle::FluentValue;

/// The error as clap would print it, in `lang`; `None` where clap's own
/// English is what to print (English, or a kind not named here).
pub fn render(e: &clap::Error, lang: Lang) -> Option<String> {
    let english = e.render().to_string();
    match (lang, headline(e, lang)) {
        (Lang::Ko, Some(head)) => {
            let t = |id: &str, args: &[(&str, FluentValue<'static>)]| message_in(lang, id, args);
            let mut out = format!("{}: {head}", t("clap-error", &[]));
            let tips = [
                (ContextKind::SuggestedSubcommand, "clap-what-subcommand"),
                (ContextKind::SuggestedArg, "clap-what-argument"),
                (ContextKind::SuggestedValue, "clap-what-value"),
            ];
            let mut tipped = false;
            for (kind, what) in tips {
                if let Some(names) = e.get(kind).and_then(words) {
                    out.push_str(if tipped { "\n" } else { "\n\n" });
                    tipped = true;
                    let names = names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
                    let args = [("what", t(what, &[]).into()), ("names", names.into())];
                    out.push_str(&format!("  {}: {}", t("clap-tip", &[]), t("clap-tip-similar", &args)));
                }
            }
            if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
                let usage = usage.to_string();
                let line = usage.strip_prefix("Usage:").map(|rest| format!("{}:{rest}", t("help-heading-usage", &[])));
                out.push_str(&format!("\n\n{}", line.unwrap_or(usage)));
            }
            if english.trim_end().ends_with("For more information, try '--help'.") {
                out.push_str(&format!("\n\n{}", t("clap-more", &[("help", "--help".into())])));
            }
            Some(out + "\n")
        }
        _ => None,
    }
}

fn words(v: &ContextValue) -> Option<Vec<String>> {
    match v {
        ContextValue::String(s) => Some(vec![s.clone()]),
        ContextValue::Strings(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn text(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first line, without `error: `; `None` for what is left in English.
fn headline(e: &clap::Error, lang: Lang) -> Option<String> {
    let t = |id: &str, args: &[(&str, Option<String>)]| -> Option<String> {
        let args: Option<Vec<(&str, FluentValue<'static>)>> =
            args.iter().map(|(k, v)| v.clone().map(|v| (*k, FluentValue::from(v)))).collect();
        Some(message_in(lang, id, &args?))
    };
    let arg = text(e, ContextKind::InvalidArg);
    let value = text(e, ContextKind::InvalidValue);
    let list = |kind: ContextKind, label: &str| match e.get(kind).and_then(words) {
        Some(values) => format!("\n  [{}: {}]", message_in(lang, label, &[]), values.join(", ")),
        None => String::new(),
    };
    match e.kind() {
        ErrorKind::UnknownArgument => t("clap-unknown-argument", &[("arg", arg)]),
        ErrorKind::InvalidValue if value.as_deref() == Some("") => t("clap-value-required", &[("arg", arg)])
            .map(|h| h + &list(ContextKind::ValidValue, "clap-possible-values")),
        ErrorKind::InvalidValue => t("clap-invalid-value", &[("arg", arg), ("value", value)])
            .map(|h| h + &list(ContextKind::ValidValue, "clap-possible-values")),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            t("clap-invalid-value", &[("arg", arg), ("value", value)]).map(|h| format!("{h}: {why}"))
        }
        ErrorKind::InvalidSubcommand => {
            t("clap-invalid-subcommand", &[("name", text(e, ContextKind::InvalidSubcommand))])
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = e.get(ContextKind::InvalidArg).and_then(words)?;
            t("clap-missing-required", &[]).map(|h| missing.iter().fold(h, |h, m| format!("{h}\n  {m}")))
        }
        ErrorKind::MissingSubcommand => {
            t("clap-missing-subcommand", &[("name", text(e, ContextKind::InvalidSubcommand))])
                .map(|h| h + &list(ContextKind::ValidSubcommand, "clap-what-subcommand"))
        }
        ErrorKind::TooManyValues => t("clap-too-many-values", &[("arg", arg), ("value", value)]),
        ErrorKind::TooFewValues => t(
            "clap-too-few-values",
            &[
                ("arg", arg),
                ("min", text(e, ContextKind::MinValues)),
                ("actual", text(e, ContextKind::ActualNumValues)),
            ],
        ),
        ErrorKind::WrongNumberOfValues => t(
            "clap-wrong-number-of-values",
            &[
                ("arg", arg),
                ("expected", text(e, ContextKind::ExpectedNumValues)),
                ("actual", text(e, ContextKind::ActualNumValues)),
            ],
        ),
        ErrorKind::NoEquals => t("clap-no-equals", &[("arg", arg)]),
        ErrorKind::ArgumentConflict => {
            let prior = e.get(ContextKind::PriorArg).and_then(words).unwrap_or_default();
            match prior.as_slice() {
                [one] if Some(one) == arg.as_ref() => t("clap-argument-repeated", &[("arg", arg)]),
                [one] => t("clap-argument-conflict", &[("arg", arg), ("other", Some(one.clone()))]),
                _ => t("clap-argument-conflict-many", &[("arg", arg)])
                    .map(|h| prior.iter().fold(h, |h, p| format!("{h}\n  {p}"))),
            }
        }
        _ => None,
    }
}
