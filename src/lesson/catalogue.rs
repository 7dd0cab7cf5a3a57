//! The lessons: folders `NN-slug/` embedded in the binary at build time
//! (build.rs), or read from `GLASSBOX_LESSONS_DIR` when that is set (lesson
//! authors and tests point it at a folder to try lessons without a rebuild).

use super::spec::Spec;
use super::translation::{self, Translation};
use crate::error::{Error, Result, UsageError};
use crate::i18n::{self, Lang};
use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
}

/// The environment variable naming a folder to load lessons from instead of
/// the ones built into the binary.
pub const DIR_ENV: &str = "GLASSBOX_LESSONS_DIR";

/// The book page that includes a lesson's README (book/src/…), if any.
pub fn chapter(dir: &str) -> Option<&'static str> {
    embedded::CHAPTERS.iter().find(|(d, _)| *d == dir).map(|(_, page)| *page)
}

pub struct Lesson {
    /// The folder name, `02-uts`: the lesson's id.
    pub dir: String,
    /// Every file of the folder: path relative to it → text.
    pub files: BTreeMap<String, String>,
    /// lesson.toml parsed, or why it could not be.
    pub spec: std::result::Result<Spec, String>,
}

pub struct Catalogue {
    pub lessons: Vec<Lesson>,
    /// Where the lessons came from, for messages: `built in` or a folder.
    pub source: String,
}

/// `NN-slug`: two digits, a dash, something.
pub fn is_lesson_folder(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 3 && b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2] == b'-'
}

fn read_tree(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        let ty = e.file_type()?;
        if ty.is_dir() {
            read_tree(&e.path(), &format!("{name}/"), out)?;
        } else if ty.is_file() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                out.insert(name, text);
            }
        }
    }
    Ok(())
}

impl Lesson {
    fn new(dir: String, files: BTreeMap<String, String>) -> Lesson {
        let spec = match files.get("lesson.toml") {
            Some(text) => Spec::parse(text).map_err(|e| format!("lessons/{dir}/lesson.toml: {e}")),
            None => Err(format!("lessons/{dir} has no lesson.toml")),
        };
        Lesson { dir, files, spec }
    }

    pub fn file(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }

    /// The parsed lesson.toml; a broken one is an error naming the file.
    pub fn spec(&self) -> Result<&Spec> {
        self.spec.as_ref().map_err(|e| Error::from(UsageError::LessonBroken { reason: e.clone() }))
    }

    /// lesson.toml with this root's variables (`{port}`, `{web}`) filled in,
    /// in the command's language: the lesson as this learner reads and
    /// checks it.
    pub fn spec_for(&self, vars: &super::vars::Vars) -> Result<Spec> {
        self.spec_in(vars, i18n::current())
    }

    /// The same in a given language (the web page's, or English for what
    /// is kept language-neutral).
    pub fn spec_in(&self, vars: &super::vars::Vars, lang: Lang) -> Result<Spec> {
        self.spec()?;
        let text = self.file("lesson.toml").unwrap_or_default();
        let spec = Spec::parse(&vars.fill(text)).map_err(|e| {
            Error::from(UsageError::LessonTomlInvalid { lesson: self.dir.clone(), reason: e.to_string() })
        })?;
        let ko = match self.translation(vars) {
            Ok(ko) => ko,
            // A broken translation stops the Korean lesson, not the English one.
            Err(e) if lang == Lang::Ko => return Err(e),
            Err(_) => None,
        };
        Ok(translation::localize(spec, ko.as_ref(), lang))
    }

    /// lesson.ko.toml with the variables filled in; None when the lesson
    /// has no Korean texts.
    pub fn translation(&self, vars: &super::vars::Vars) -> Result<Option<Translation>> {
        let Some(text) = self.file(translation::FILE) else { return Ok(None) };
        let t = Translation::parse(&vars.fill(text)).map_err(|e| UsageError::LessonTranslationInvalid {
            lesson: self.dir.clone(),
            file: translation::FILE.into(),
            reason: e.to_string(),
        })?;
        Ok(Some(t))
    }

    /// The README in the language (README.ko.md for Korean when there is
    /// one) and the heading of its "What and why" part.
    pub fn readme(&self, lang: Lang) -> (&str, &'static str) {
        match self.file(translation::README) {
            Some(ko) if lang == Lang::Ko => (ko, translation::README_HEADINGS[0]),
            _ => (self.file("README.md").unwrap_or_default(), super::devcheck::README_HEADINGS[0]),
        }
    }

    /// The variables of this lesson on this root.
    pub fn vars(&self, root: &crate::state::Root) -> super::vars::Vars {
        super::vars::Vars::new(root, &self.dir)
    }

    /// The title in the command's language, or a note when lesson.toml is broken.
    pub fn title(&self) -> String {
        let ko = (i18n::current() == Lang::Ko)
            .then(|| self.file(translation::FILE).and_then(|t| Translation::parse(t).ok()))
            .flatten();
        match (&self.spec, ko) {
            (Ok(_), Some(t)) if !t.title.trim().is_empty() => t.title,
            (Ok(s), _) => s.title.clone(),
            (Err(_), _) => "(lesson.toml does not parse)".into(),
        }
    }

    /// `wrong/*.sh`: (file name, text), in name order.
    pub fn wrong_scripts(&self) -> Vec<(&str, &str)> {
        self.files
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("wrong/").filter(|n| n.ends_with(".sh")).map(|n| (n, v.as_str())))
            .collect()
    }
}

impl Catalogue {
    pub fn load() -> Result<Catalogue> {
        match std::env::var_os(DIR_ENV).filter(|v| !v.is_empty()) {
            Some(dir) => Catalogue::from_dir(Path::new(&dir)),
            None => Ok(Catalogue::embedded()),
        }
    }

    pub fn embedded() -> Catalogue {
        let mut folders: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (path, text) in embedded::FILES {
            if let Some((dir, rest)) = path.split_once('/') {
                folders.entry(dir.to_string()).or_default().insert(rest.to_string(), text.to_string());
            }
        }
        let lessons =
            folders.into_iter().filter(|(d, _)| is_lesson_folder(d)).map(|(d, f)| Lesson::new(d, f)).collect();
        Catalogue { lessons, source: "built into glassbox".into() }
    }

    pub fn from_dir(dir: &Path) -> Result<Catalogue> {
        let io = |e: std::io::Error| UsageError::LessonsDirUnreadable { dir: dir.into(), reason: e.to_string() };
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(io)?
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| is_lesson_folder(n))
            .collect();
        names.sort();
        let mut lessons = vec![];
        for name in names {
            let mut files = BTreeMap::new();
            read_tree(&dir.join(&name), "", &mut files).map_err(io)?;
            lessons.push(Lesson::new(name, files));
        }
        Ok(Catalogue { lessons, source: format!("{} ({DIR_ENV})", dir.display()) })
    }

    pub fn ids(&self) -> String {
        self.lessons.iter().map(|l| l.dir.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// A lesson by its id (`02-uts`), number (`02`, `2`) or slug (`uts`).
    pub fn find(&self, id: &str) -> Result<&Lesson> {
        let number = |l: &Lesson| l.dir[..2].parse::<u32>().ok();
        let found = self.lessons.iter().find(|l| l.dir == id).or_else(|| {
            self.lessons.iter().find(|l| {
                (id.chars().all(|c| c.is_ascii_digit()) && !id.is_empty() && id.parse::<u32>().ok() == number(l))
                    || l.dir[3..] == *id
            })
        });
        found.ok_or_else(|| {
            let known = if self.lessons.is_empty() { crate::i18n::tr!("lessons-none-yet") } else { self.ids() };
            Error::from(UsageError::LessonNotFound { id: format!("{:?}", id.escape_debug().to_string()), known })
        })
    }

    /// The lesson after this one, in order.
    pub fn next_after(&self, dir: &str) -> Option<&Lesson> {
        self.lessons.iter().skip_while(|l| l.dir != dir).nth(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> Catalogue {
        let mk = |d: &str| Lesson::new(d.into(), BTreeMap::new());
        Catalogue { lessons: vec![mk("01-first"), mk("02-uts"), mk("10-net")], source: String::new() }
    }

    #[test]
    fn finds_by_id_number_or_slug() {
        let c = cat();
        assert_eq!(c.find("02-uts").unwrap().dir, "02-uts");
        assert_eq!(c.find("02").unwrap().dir, "02-uts");
        assert_eq!(c.find("2").unwrap().dir, "02-uts");
        assert_eq!(c.find("uts").unwrap().dir, "02-uts");
        assert_eq!(c.find("10").unwrap().dir, "10-net");
        for bad in ["", "03", "ut", "02-ut", "../02-uts", "-1"] {
            assert!(c.find(bad).is_err(), "{bad:?}");
        }
        assert_eq!(c.next_after("02-uts").unwrap().dir, "10-net");
        assert!(c.next_after("10-net").is_none());
    }

    #[test]
    fn lesson_folders_are_nn_dash_slug() {
        assert!(is_lesson_folder("02-uts"));
        assert!(!is_lesson_folder("FORMAT.md"));
        assert!(!is_lesson_folder("2-uts"));
        assert!(!is_lesson_folder("02-"));
    }
}
