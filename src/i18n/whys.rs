//! A why read back in another language. Records stay language-neutral
//! (older ones must still read), so an operation's why is kept as the text
//! a stage wrote, in English; the model shows it in the command's language
//! and the page in the reader's. A why is found by its text: a message
//! without values by equality, one with values (`the record of image
//! { $name }`) by its pattern, whose values are taken from the text and
//! given to the same message in the other language. A value that is itself
//! a catalogue word (what a namespace isolates) is translated too.

use super::{Lang, bundle, message_in};
use fluent_bundle::FluentValue;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A message's text with a mark where each value goes.
struct Pattern {
    id: String,
    /// The literal pieces around the values: one more than `names`.
    pieces: Vec<String>,
    names: Vec<String>,
}

impl Pattern {
    fn literal_len(&self) -> usize {
        self.pieces.iter().map(String::len).sum()
    }

    /// The values, when `text` is this message's text with some values.
    fn values<'t>(&self, text: &'t str) -> Option<Vec<&'t str>> {
        let (first, last) = (self.pieces.first()?, self.pieces.last()?);
        let mut rest = text.strip_prefix(first.as_str())?;
        let mut values = vec![];
        for piece in &self.pieces[1..self.pieces.len() - 1] {
            // Two values side by side have no piece to tell where one ends.
            let at = rest.get(1..)?.find(piece.as_str())? + 1;
            values.push(&rest[..at]);
            rest = &rest[at + piece.len()..];
        }
        let value = rest.strip_suffix(last.as_str())?;
        (!value.is_empty()).then(|| values.push(value))?;
        Some(values)
    }
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

struct Whys {
    /// Text of a message without values, in either language, to its id.
    exact: HashMap<String, String>,
    patterns: Vec<Pattern>,
    /// The text of a word a why takes as a value, to its id.
    words: HashMap<String, String>,
}

fn ids(lang: Lang, prefixes: &[&str]) -> Vec<String> {
    let lines = lang.sources().iter().flat_map(|s| s.lines());
    let ids = lines.filter_map(|l| l.split_once(" = ")).map(|(id, _)| id.trim());
    ids.filter(|id| prefixes.iter().any(|p| id.starts_with(p)) && bundle(lang).has_message(id))
        .map(String::from)
        .collect()
}

/// The names of a message's values, from its source line.
fn names(lang: Lang, id: &str) -> Vec<String> {
    let prefix = format!("{id} = ");
    let Some(line) = lang.sources().iter().flat_map(|s| s.lines()).find(|l| l.starts_with(&prefix)) else {
        return vec![];
    };
    line.split('$').skip(1).map(|s| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()).collect()
}

fn whys() -> &'static Whys {
    static WHYS: OnceLock<Whys> = OnceLock::new();
    WHYS.get_or_init(|| {
        let mut whys = Whys { exact: HashMap::new(), patterns: vec![], words: HashMap::new() };
        for lang in Lang::ALL {
            for id in ids(lang, &["why-"]) {
                let names = names(lang, &id);
                if names.is_empty() {
                    whys.exact.insert(message_in(lang, &id, &[]), id);
                    continue;
                }
                let marks: Vec<_> = names.iter().map(|n| format!("{OPEN}{n}{CLOSE}")).collect();
                let args: Vec<_> =
                    names.iter().zip(&marks).map(|(n, m)| (n.as_str(), FluentValue::from(m.clone()))).collect();
                let text = message_in(lang, &id, &args);
                let mut pieces = vec![];
                let mut order = vec![];
                let mut rest = text.as_str();
                while let Some((before, after)) = rest.split_once(OPEN) {
                    let Some((name, after)) = after.split_once(CLOSE) else { break };
                    pieces.push(before.to_string());
                    order.push(name.to_string());
                    rest = after;
                }
                pieces.push(rest.to_string());
                whys.patterns.push(Pattern { id, pieces, names: order });
            }
            for id in ids(lang, &["isolates-"]) {
                whys.words.insert(message_in(lang, &id, &[]), id);
            }
        }
        // The most specific first: a pattern with more fixed text wins.
        whys.patterns.sort_by_key(|p| std::cmp::Reverse(p.literal_len()));
        whys
    })
}

/// A recorded why in `lang`: the message whose text (in either language)
/// it is, with the values it holds; else the text as it is.
pub fn recorded_in(lang: Lang, text: &str) -> String {
    let whys = whys();
    if let Some(id) = whys.exact.get(text) {
        return message_in(lang, id, &[]);
    }
    for p in &whys.patterns {
        let Some(values) = p.values(text) else { continue };
        let args: Vec<(&str, FluentValue<'static>)> = p
            .names
            .iter()
            .zip(values)
            .map(|(n, v)| {
                let v = whys.words.get(v).map_or_else(|| v.to_string(), |id| message_in(lang, id, &[]));
                (n.as_str(), FluentValue::from(v))
            })
            .collect();
        return message_in(lang, &p.id, &args);
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::{Lang, message_in, recorded_in};
    use fluent_bundle::FluentValue;

    #[test]
    fn a_why_with_values_reads_in_either_language_with_its_values() {
        let args = [("name", FluentValue::from("busybox"))];
        let (en, ko) =
            (message_in(Lang::En, "why-rec-image-record", &args), message_in(Lang::Ko, "why-rec-image-record", &args));
        assert_eq!(en, "the record of image busybox");
        assert_eq!(recorded_in(Lang::Ko, &en), ko);
        assert!(ko.contains("busybox") && ko != en, "{ko}");
        assert_eq!(recorded_in(Lang::En, &ko), en);
        let two = "move the box's process 4242 (sleep 1000) in: it was started before the box had a cgroup";
        let korean = recorded_in(Lang::Ko, two);
        assert!(korean.contains("4242") && korean.contains("sleep 1000") && korean != two, "{korean}");
        assert_eq!(recorded_in(Lang::En, &korean), two);
    }

    #[test]
    fn a_value_that_is_a_catalogue_word_is_translated_too() {
        let what = |l| FluentValue::from(message_in(l, "isolates-uts", &[]));
        let args = |l| {
            [("kind", FluentValue::from("uts")), ("what", what(l)), ("man", FluentValue::from("uts_namespaces(7)"))]
        };
        let en = message_in(Lang::En, "why-unshare", &args(Lang::En));
        assert_eq!(recorded_in(Lang::Ko, &en), message_in(Lang::Ko, "why-unshare", &args(Lang::Ko)));
    }

    #[test]
    fn a_text_that_only_starts_like_a_why_stays_as_it_is() {
        for text in ["the record of image ", "layer sha256:abc is used by no other image", "a why of no message"] {
            assert_eq!(recorded_in(Lang::Ko, text), text);
        }
    }
}
