//! `glassbox lesson show [LESSON]`: the lesson's theory in the terminal
//! (README.md's "What and why"), where the book explains it at length and
//! where the web page shows the learner's box.

use super::catalogue::{self, Catalogue};
use super::progress::Progress;
use super::runner::pick;
use crate::context::Ctx;
use crate::error::Result;
use crate::i18n::tr;
use crate::output::say_to;
use serde::Serialize;

/// The lines under `heading` (`## What and why`, or README.ko.md's own),
/// up to the next `## ` heading.
pub fn what_and_why(readme: &str, heading: &str) -> String {
    let mut lines = readme.lines().skip_while(|l| l.trim_end() != heading).skip(1);
    let part: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("## ")).collect();
    part.join("\n").trim().to_string()
}

#[derive(Serialize)]
struct Shown<'a> {
    id: &'a str,
    title: &'a str,
    what_and_why: String,
    /// The book page, relative to the source tree (book/src/…).
    chapter: Option<&'a str>,
    /// The box's page while `glassbox serve` runs.
    web: Option<String>,
}

pub fn show(id: Option<&str>, ctx: &Ctx) -> Result<u8> {
    let cat = Catalogue::load()?;
    let progress = Progress::load(&ctx.root)?;
    let lesson = pick(&cat, &progress, id)?;
    let vars = lesson.vars(&ctx.root);
    let spec = &lesson.spec_for(&vars)?;
    let out = Shown {
        id: &lesson.dir,
        title: &spec.title,
        what_and_why: {
            let (readme, heading) = lesson.readme(crate::i18n::current());
            what_and_why(readme, heading)
        },
        chapter: catalogue::chapter(&lesson.dir),
        web: spec.first_box().map(|b| format!("{}/box/{b}", vars.web)),
    };
    ctx.show(out)
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        say_to!(f, "{}", tr!("lesson-heading", id = self.id, title = self.title))?;
        say_to!(f)?;
        if self.what_and_why.is_empty() {
            say_to!(f, "{}", tr!("lesson-no-theory"))?;
        } else {
            // The README's own lines: a block, each line escaped when printed.
            writeln!(f, "{}", self.what_and_why)?;
        }
        say_to!(f)?;
        match self.chapter {
            Some(page) => say_to!(f, "{}", tr!("lesson-read-book", page = page))?,
            None => say_to!(f, "{}", tr!("lesson-read-file", file = format!("lessons/{}/README.md", self.id)))?,
        }
        if let Some(web) = &self.web {
            say_to!(f, "{}", tr!("lesson-see-web", url = web))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn takes_the_what_and_why_part_only() {
        let readme = "# 02 · t\n\n## What and why\n\nThe idea.\n\nMore.\n\n## Try it and observe\n\nsteps\n";
        assert_eq!(super::what_and_why(readme, "## What and why"), "The idea.\n\nMore.");
        assert_eq!(super::what_and_why("# t\n", "## What and why"), "");
        let ko = "# 02 · t\n\n## 무엇을, 왜\n\n개념.\n\n## 해 보고 관찰하기\n";
        assert_eq!(super::what_and_why(ko, super::super::translation::README_HEADINGS[0]), "개념.");
    }
}
