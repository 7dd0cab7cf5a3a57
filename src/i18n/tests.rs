//! The catalogue is complete: every message in both languages, with the
//! same values, and every message the code names exists.

use super::{Lang, message_in};
use fluent_bundle::FluentValue;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use std::collections::{BTreeMap, BTreeSet};

/// Each message id with the variables its text uses.
fn catalogue(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for source in lang.sources() {
        let resource = fluent_syntax::parser::parse(*source).unwrap_or_else(|(_, e)| panic!("{lang:?}: {e:?}"));
        for entry in resource.body {
            if let Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    variables(p, &mut vars);
                }
                let fresh = out.insert(m.id.name.to_string(), vars).is_none();
                assert!(fresh, "{lang:?}: message {} is defined twice", m.id.name);
            }
        }
    }
    out
}

fn variables(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            let inline = match expression {
                Expression::Inline(i) => i,
                Expression::Select { selector, variants } => {
                    variants.iter().for_each(|v| variables(&v.value, out));
                    selector
                }
            };
            if let InlineExpression::VariableReference { id } = inline {
                out.insert(id.name.to_string());
            }
        }
    }
}

#[test]
fn every_message_is_in_both_languages_with_the_same_values() {
    let en = catalogue(Lang::En);
    let ko = catalogue(Lang::Ko);
    let only_en: Vec<_> = en.keys().filter(|k| !ko.contains_key(*k)).collect();
    let only_ko: Vec<_> = ko.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty() && only_ko.is_empty(), "English only: {only_en:?}; Korean only: {only_ko:?}");
    for (id, vars) in &en {
        assert_eq!(vars, &ko[id], "message {id}: the languages use different values");
    }
}

#[test]
fn every_message_the_code_names_exists() {
    let en = catalogue(Lang::En);
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut missing = vec![];
    let mut stack = vec![std::path::PathBuf::from(src)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // The macro, not include_str; the docs' own example aside.
                let calls = text.match_indices("tr!(\"").filter(|(at, _)| !text[..*at].ends_with("_s"));
                for (at, call) in calls {
                    let id = text[at + call.len()..].split('"').next().unwrap();
                    if id != "id" && !en.contains_key(id) {
                        missing.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "tr! names messages the catalogue lacks: {missing:?}");
}

#[test]
fn the_language_comes_from_the_flag_then_glassbox_lang_then_the_locale() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    };
    assert_eq!(super::choose(None, env(&[("LANG", "ko_KR.UTF-8")])), Lang::Ko);
    assert_eq!(super::choose(Some(Lang::En), env(&[("LANG", "ko_KR.UTF-8")])), Lang::En);
    assert_eq!(super::choose(None, env(&[("GLASSBOX_LANG", "ko"), ("LANG", "en_US.UTF-8")])), Lang::Ko);
    assert_eq!(super::choose(None, env(&[("LC_ALL", "C"), ("LANG", "ko_KR.UTF-8")])), Lang::En);
    assert_eq!(super::choose(None, env(&[("LC_MESSAGES", "ko_KR"), ("LANG", "en_US")])), Lang::Ko);
    assert_eq!(super::choose(None, env(&[])), Lang::En);
}

#[test]
fn values_are_filled_in_without_hidden_marks() {
    let text = message_in(Lang::Ko, "box-busy", &[("name", "\"demo\"".into())]);
    assert_eq!(text, "박스 \"demo\"을(를) 다른 glassbox 명령이 바꾸는 중입니다: 그 명령이 끝난 뒤 다시 시도하세요");
}

#[test]
fn every_usage_error_has_its_message_with_its_fields_as_values() {
    for lang in Lang::ALL {
        let catalogue = catalogue(lang);
        for (id, fields) in crate::error::usage::MESSAGES {
            let fields: BTreeSet<String> = fields.iter().map(|f| f.to_string()).collect();
            assert_eq!(catalogue.get(*id), Some(&fields), "{lang:?}: usage error {id} and its message's values");
        }
    }
}

/// A why a stage writes into a record is found in the catalogue by its
/// English text: each `why-rec-*` message is a string literal of the code
/// (so it cannot go stale unnoticed), and shows in Korean.
#[test]
fn recorded_whys_are_literals_of_the_code_and_read_in_korean() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut code = String::new();
    let mut stack = vec![std::path::PathBuf::from(src)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            match path.is_dir() {
                true => stack.push(path),
                false if path.extension().is_some_and(|e| e == "rs") => {
                    code.push_str(&std::fs::read_to_string(&path).unwrap())
                }
                false => {}
            }
        }
    }
    let ids: Vec<String> = catalogue(Lang::En).into_keys().filter(|id| id.starts_with("why-rec-")).collect();
    assert!(ids.len() >= 30, "the stages' whys are in the catalogue: {ids:?}");
    for id in ids {
        let names = catalogue(Lang::En).remove(&id).unwrap_or_default();
        // A why with values is a `format!` of the code, its values inline
        // (`{name}`) or in order (`{}`); a sample value stands for each.
        let args: Vec<_> = names.iter().map(|n| (n.as_str(), FluentValue::from(format!("<{n}>")))).collect();
        let english = message_in(Lang::En, &id, &args);
        let inline = names.iter().fold(english.clone(), |t, n| t.replace(&format!("<{n}>"), &format!("{{{n}}}")));
        let ordered = names.iter().fold(english.clone(), |t, n| t.replace(&format!("<{n}>"), "{}"));
        let literal = [inline, ordered].into_iter().any(|l| code.contains(&format!("\"{l}\"")));
        assert!(literal, "{id}: no string literal in src says {english:?}");
        let korean = super::in_lang(Lang::Ko, || super::recorded(&english));
        assert_eq!(korean, message_in(Lang::Ko, &id, &args), "{id}");
        assert_eq!(super::in_lang(Lang::En, || super::recorded(&english)), english);
    }
    assert_eq!(super::in_lang(Lang::Ko, || super::recorded("a why of no message")), "a why of no message");
}
