//! `glassbox lesson show [LESSON]`: the lesson's theory in the terminal
//! (README.md's "What and why"), where the book explains it at length and
//! where the web page shows the learner's box.

use super::catalogue::{self, Catalogue};
use super::progress::Progress;
use super::runner::pick;
use crate::commands::Ctx;
use crate::error::Result;
use crate::output::say;
use serde::Serialize;

/// The lines under `## What and why`, up to the next `## ` heading.
pub fn what_and_why(readme: &str) -> String {
    let mut lines = readme.lines().skip_while(|l| l.trim_end() != "## What and why").skip(1);
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
        what_and_why: what_and_why(lesson.file("README.md").unwrap_or_default()),
        chapter: catalogue::chapter(&lesson.dir),
        web: spec.first_box().map(|b| format!("{}/box/{b}", vars.web)),
    };
    if ctx.json {
        ctx.print_json(&out);
        return Ok(0);
    }
    say!("Lesson {}: {}", out.id, out.title);
    say!();
    if out.what_and_why.is_empty() {
        say!("(this lesson's README.md has no \"## What and why\" part)");
    } else {
        crate::output::text(&format!("{}\n", out.what_and_why));
    }
    say!();
    match out.chapter {
        Some(page) => say!("Read more in the book: {page} (built: book/book/, `mdbook serve book` to browse)"),
        None => say!("Read more: lessons/{}/README.md", out.id),
    }
    if let Some(web) = &out.web {
        say!("See your box on the web page (while `glassbox serve` runs): {web}");
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn takes_the_what_and_why_part_only() {
        let readme = "# 02 · t\n\n## What and why\n\nThe idea.\n\nMore.\n\n## Try it and observe\n\nsteps\n";
        assert_eq!(super::what_and_why(readme), "The idea.\n\nMore.");
        assert_eq!(super::what_and_why("# t\n"), "");
    }
}
