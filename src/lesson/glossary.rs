//! The glossary: every term the lessons use, in English and Korean, from
//! lessons/glossary.toml (embedded like the lessons; a GLASSBOX_LESSONS_DIR
//! with a glossary.toml of its own overrides it). `glassbox lesson glossary
//! [TERM]` prints entries; `--markdown` prints the book's appendix
//! (book/src/glossary.md, kept current by scripts/check-book.sh).

use crate::context::Ctx;
use crate::error::{Error, Result, UsageError};
use crate::output::say_to;
use serde::{Deserialize, Serialize};

const EMBEDDED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/glossary.toml"));

/// `[[term]]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub en: String,
    pub ko: String,
    pub en_def: String,
    pub ko_def: String,
    /// The book page that explains it, relative to book/src.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "term")]
    terms: Vec<Term>,
}

pub struct Glossary {
    /// Sorted by `en`, case-insensitive.
    pub terms: Vec<Term>,
}

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

impl Glossary {
    pub fn parse(text: &str) -> std::result::Result<Glossary, String> {
        let mut terms = toml::from_str::<File>(text).map_err(|e| e.to_string().trim_end().to_string())?.terms;
        terms.sort_by_key(|t| key(&t.en));
        Ok(Glossary { terms })
    }

    /// The glossary next to the lessons in use.
    pub fn load() -> Result<Glossary> {
        let own = std::env::var_os(super::catalogue::DIR_ENV)
            .filter(|d| !d.is_empty())
            .map(|d| std::path::PathBuf::from(d).join("glossary.toml"))
            .filter(|p| p.is_file());
        let (text, from) = match own {
            Some(p) => (std::fs::read_to_string(&p).unwrap_or_default(), p.display().to_string()),
            None => (EMBEDDED.to_string(), "lessons/glossary.toml".into()),
        };
        Glossary::parse(&text)
            .map_err(|e| Error::from(UsageError::GlossaryInvalid { file: from, reason: e.to_string() }))
    }

    /// The term named exactly (English, case-insensitive): what a lesson's
    /// `concepts` must name.
    pub fn has(&self, en: &str) -> bool {
        self.terms.iter().any(|t| key(&t.en) == key(en))
    }

    /// Terms named exactly (English or Korean), else those starting so.
    pub fn find(&self, asked: &str) -> Vec<&Term> {
        let k = key(asked);
        let exact: Vec<&Term> = self.terms.iter().filter(|t| key(&t.en) == k || key(&t.ko) == k).collect();
        if !exact.is_empty() {
            return exact;
        }
        self.terms.iter().filter(|t| key(&t.en).starts_with(&k) || key(&t.ko).starts_with(&k)).collect()
    }

    /// book/src/glossary.md
    pub fn markdown(&self) -> String {
        let mut md = String::from("# Glossary · 용어집\n\n");
        md += "<!-- Generated from lessons/glossary.toml by `glassbox lesson glossary --markdown`;\n";
        md += "     scripts/check-book.sh checks it is current, `--update` rewrites it. -->\n\n";
        md += "Every term the lessons use, in English and Korean. In the terminal:\n";
        md += "`glassbox lesson glossary TERM` (English or Korean, or their beginning).\n";
        for t in &self.terms {
            md += &format!("\n## {} · {}\n\n{}\n\n{}\n", t.en, t.ko, t.en_def.trim(), t.ko_def.trim());
            if let Some(page) = &t.chapter {
                md += &format!("\nIn the book: [{page}]({page})\n");
            }
        }
        md
    }
}

/// A lesson's concepts as the learner reads them: in Korean, each term's
/// Korean form with the English one (what `lesson glossary` also finds).
pub fn concepts_shown(concepts: &[String]) -> String {
    if crate::i18n::current() != crate::i18n::Lang::Ko {
        return concepts.join(", ");
    }
    let g = Glossary::load().ok();
    let shown = |c: &String| match g.as_ref().and_then(|g| g.terms.iter().find(|t| key(&t.en) == key(c))) {
        Some(t) if t.ko != t.en => format!("{}({})", t.ko, t.en),
        _ => c.clone(),
    };
    concepts.iter().map(shown).collect::<Vec<_>>().join(", ")
}

/// An entry, the command's language first.
fn entry(f: &mut std::fmt::Formatter<'_>, t: &Term) -> std::fmt::Result {
    if crate::i18n::current() == crate::i18n::Lang::Ko {
        say_to!(f, "{} · {}", t.ko, t.en)?;
        say_to!(f, "  {}", t.ko_def.trim())?;
        say_to!(f, "  {}", t.en_def.trim())?;
    } else {
        say_to!(f, "{} · {}", t.en, t.ko)?;
        say_to!(f, "  {}", t.en_def.trim())?;
        say_to!(f, "  {}", t.ko_def.trim())?;
    }
    if let Some(page) = &t.chapter {
        say_to!(f, "  book: book/src/{page}")?;
    }
    Ok(())
}

/// `lesson glossary`: the entries found (JSON: the list of them), or the
/// whole glossary as a Markdown page (JSON: that page as a string).
#[derive(Serialize)]
#[serde(untagged)]
enum Found<'a> {
    Terms(Vec<&'a Term>),
    Markdown(String),
}

impl std::fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Found::Markdown(page) => f.write_str(page),
            Found::Terms(found) => {
                for (i, t) in found.iter().enumerate() {
                    if i > 0 {
                        say_to!(f)?;
                    }
                    entry(f, t)?;
                }
                Ok(())
            }
        }
    }
}

/// `glassbox lesson glossary [TERM] [--markdown]`
pub fn run(term: Option<&str>, markdown: bool, ctx: &Ctx) -> Result<u8> {
    let g = Glossary::load()?;
    if markdown {
        return ctx.show(Found::Markdown(g.markdown()));
    }
    let found: Vec<&Term> = match term {
        Some(t) if t.trim().is_empty() => {
            return Err(UsageError::GlossaryTermEmpty {}.into());
        }
        Some(t) => g.find(t),
        None => g.terms.iter().collect(),
    };
    if found.is_empty() {
        return Err(UsageError::GlossaryNoTerm {
            term: format!("{:?}", term.unwrap_or_default().escape_debug().to_string()),
        }
        .into());
    }
    ctx.show(Found::Terms(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glossary_parses_is_sorted_and_has_no_twins() {
        let g = Glossary::parse(EMBEDDED).unwrap();
        let raw: Vec<String> = toml::from_str::<File>(EMBEDDED).unwrap().terms.iter().map(|t| key(&t.en)).collect();
        let mut sorted = raw.clone();
        sorted.sort();
        assert_eq!(raw, sorted, "lessons/glossary.toml: keep [[term]]s sorted by `en` (a merge is then a union)");
        sorted.dedup();
        assert_eq!(sorted.len(), g.terms.len(), "a term is in lessons/glossary.toml twice");
    }

    #[test]
    fn every_concept_of_every_lesson_is_in_the_glossary() {
        let g = Glossary::parse(EMBEDDED).unwrap();
        let cat = super::super::catalogue::Catalogue::embedded();
        let missing: Vec<String> = cat
            .lessons
            .iter()
            .filter_map(|l| l.spec.as_ref().ok().map(|s| (l, s)))
            .flat_map(|(l, s)| s.concepts.iter().filter(|c| !g.has(c)).map(move |c| format!("{}: {c:?}", l.dir)))
            .collect();
        assert!(missing.is_empty(), "concepts missing from lessons/glossary.toml: {missing:?}");
    }

    #[test]
    fn finds_by_english_or_korean_exactly_or_by_beginning() {
        let g = Glossary::parse(
            "[[term]]\nen = \"UTS namespace\"\nko = \"UTS 네임스페이스\"\nen_def = \"a\"\nko_def = \"b\"\n\
             [[term]]\nen = \"user namespace\"\nko = \"사용자 네임스페이스\"\nen_def = \"c\"\nko_def = \"d\"\n",
        )
        .unwrap();
        assert_eq!(g.find("uts NAMESPACE").len(), 1);
        assert_eq!(g.find("u").len(), 2);
        assert_eq!(g.find("사용자")[0].en, "user namespace");
        assert!(g.find("pid").is_empty());
        assert!(g.has("UTS namespace") && !g.has("UTS"));
    }
}
