//! The message catalogue: every sentence a learner reads, in English and
//! Korean, as Project Fluent files embedded in the binary (`en/*.ftl`,
//! `ko/*.ftl` beside this file). Code names a message by its id and passes
//! its values: `tr!("box-not-found", name = name)`. The id doubles as the
//! language-neutral code that `--json` prints next to the message.
//!
//! The language is chosen once per command ([`choose`]): `--lang en|ko`,
//! then `GLASSBOX_LANG`, then the POSIX locale (`LC_ALL`, `LC_MESSAGES`,
//! `LANG`: `ko_KR.UTF-8` means Korean). English is the fallback, and a
//! message missing from a language (a test forbids it) falls back to
//! English too. The web page picks a language per request with
//! [`message_in`].
//!
//! Kernel and command names (`unshare`, `CLONE_NEWPID`, `--memory`) stay
//! untranslated in both languages; Korean follows the terms of Korean Docker
//! and Kubernetes documentation (컨테이너, 이미지, 레이어, 볼륨, 네임스페이스,
//! 컨트롤 그룹, 데몬).

mod arg;
#[cfg(test)]
mod tests;
mod whys;

pub use arg::ToArg;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;
pub use whys::recorded_in;

/// A language glassbox speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The BCP 47 tag (`lang` attributes, `Accept-Language`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// A language from a tag or a locale: `ko`, `ko-KR`, `ko_KR.UTF-8`.
    /// Anything else (`C`, `POSIX`, `fr_FR`) is not a language glassbox has.
    pub fn from_locale(text: &str) -> Option<Lang> {
        let primary = text.split(['_', '-', '.', '@']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// The catalogue's files for this language, in the order they load.
    fn sources(self) -> &'static [&'static str] {
        match self {
            Lang::En => &EN,
            Lang::Ko => &KO,
        }
    }
}

const EN: [&str; 11] = [
    include_str!("en/errors.ftl"),
    include_str!("en/usage.ftl"),
    include_str!("en/steps.ftl"),
    include_str!("en/doctor.ftl"),
    include_str!("en/web.ftl"),
    include_str!("en/lesson.ftl"),
    include_str!("en/help.ftl"),
    include_str!("en/show.ftl"),
    include_str!("en/page.ftl"),
    include_str!("en/why.ftl"),
    include_str!("en/cli.ftl"),
];
const KO: [&str; 11] = [
    include_str!("ko/errors.ftl"),
    include_str!("ko/usage.ftl"),
    include_str!("ko/steps.ftl"),
    include_str!("ko/doctor.ftl"),
    include_str!("ko/web.ftl"),
    include_str!("ko/lesson.ftl"),
    include_str!("ko/help.ftl"),
    include_str!("ko/show.ftl"),
    include_str!("ko/page.ftl"),
    include_str!("ko/why.ftl"),
    include_str!("ko/cli.ftl"),
];

/// The language from the flag, else the environment: `GLASSBOX_LANG`, then
/// the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set (POSIX order:
/// `LC_ALL=C` means English even when `LANG` says Korean).
pub fn choose(flag: Option<Lang>, env: impl Fn(&str) -> Option<String>) -> Lang {
    if let Some(lang) = flag {
        return lang;
    }
    if let Some(lang) = env("GLASSBOX_LANG").as_deref().and_then(Lang::from_locale) {
        return lang;
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| env(v).filter(|s| !s.is_empty()));
    locale.as_deref().and_then(Lang::from_locale).unwrap_or(Lang::En)
}

static CURRENT: OnceLock<Lang> = OnceLock::new();

thread_local! {
    static OVERRIDE: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// `f` with messages in `lang` instead of the command's language: the
/// snapshot of the operations' faces is English whatever the locale.
#[cfg(test)]
pub fn in_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = OVERRIDE.with(|o| o.replace(Some(lang)));
    let out = f();
    OVERRIDE.with(|o| o.set(before));
    out
}

/// Fixes the command's language; called once, right after parsing.
pub fn set(lang: Lang) {
    let _ = CURRENT.set(lang);
}

/// The command's language (from the environment when `set` was not called:
/// the helper processes glassbox starts inherit it).
pub fn current() -> Lang {
    if let Some(lang) = OVERRIDE.with(|o| o.get()) {
        return lang;
    }
    *CURRENT.get_or_init(|| choose(None, |v| std::env::var(v).ok()))
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| Lang::ALL.map(load));
    &all[lang as usize]
}

fn load(lang: Lang) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.tag().parse().expect("a valid tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around values: a terminal shows them as
    // escapes (`say!` makes every hidden character visible).
    bundle.set_use_isolating(false);
    for source in lang.sources() {
        let resource = FluentResource::try_new(source.to_string()).expect("the catalogue parses (tested)");
        bundle.add_resource(resource).expect("message ids are unique (tested)");
    }
    bundle
}

/// Whether `lang` itself has the message (no English fallback).
pub fn has_message(lang: Lang, id: &str) -> bool {
    bundle(lang).has_message(id)
}

/// A message in the command's language.
pub fn message(id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    message_in(current(), id, args)
}

/// A message in the given language; English when the language lacks it,
/// the id itself when both do (a test keeps that from happening).
pub fn message_in(lang: Lang, id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let fluent_args: FluentArgs = args.iter().map(|(k, v)| (*k, v.clone())).collect();
    [lang, Lang::En]
        .into_iter()
        .find_map(|l| {
            let bundle = bundle(l);
            let pattern = bundle.get_message(id)?.value()?;
            let mut errors = vec![];
            Some(bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned())
        })
        .unwrap_or_else(|| id.to_string())
}

/// A word the code holds as data (what a name names, why it is refused):
/// the message with that id, or `term-TEXT`'s, else the text as it is (a
/// value from the user or the kernel).
pub fn term(text: &str) -> String {
    let lang = current();
    [text.to_string(), format!("term-{text}")]
        .into_iter()
        .find(|id| bundle(lang).has_message(id) || bundle(Lang::En).has_message(id))
        .map_or_else(|| text.to_string(), |id| message_in(lang, &id, &[]))
}

/// A why a stage wrote into an operation's record, in English (records
/// stay language-neutral and older ones must still read), in the command's
/// language: see [`whys`].
pub fn recorded(text: &str) -> String {
    match current() {
        Lang::En => text.to_string(),
        lang => whys::recorded_in(lang, text),
    }
}

/// The text padded with spaces to `width` terminal columns: a Hangul
/// syllable takes two, so `{:<24}` would leave a Korean column out of line.
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

/// The text after spaces up to `width` columns (a right-aligned header).
pub fn pad_left(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(columns(text))))
}

fn columns(text: &str) -> usize {
    let wide = |c: char| matches!(c, '\u{1100}'..='\u{115F}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7A3}');
    text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

/// `tr!("id", name = value, ...)`: the message in the command's language.
/// Values are strings, numbers or anything [`ToArg`] knows.
macro_rules! tr {
    ($id:literal $(,)?) => {
        $crate::i18n::message($id, &[])
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message($id, &[$((stringify!($name), $crate::i18n::ToArg::to_arg(&$value))),+])
    };
}

pub(crate) use tr;
