//! `glassbox lesson progress`: a learner's progress, and for instructors
//! every student's on this machine (`--all-users`: each root under the
//! users folder, see state::paths::users_dir) or one student's as a JSON
//! file to collect from many machines (`--export FILE`).

use super::catalogue::Catalogue;
use super::progress::Progress;
use crate::cli::ProgressArgs;
use crate::context::Ctx;
use crate::error::{Result, UsageError};
use crate::output::say_to;
use crate::state::{Root, paths};
use serde::Serialize;
use std::path::Path;

/// One student's progress, as `--all-users` lists it and `--export` writes it.
#[derive(Serialize)]
pub struct Student {
    /// The user name (the root's folder name under the users folder), or
    /// `(shared)` for the default root.
    user: String,
    root: String,
    /// Lessons done, in order.
    done: Vec<String>,
    /// Questions answered right, of those answered.
    questions_right: usize,
    questions_answered: usize,
    hints_asked: usize,
    /// The progress file as stored (lessons/progress.json).
    progress: Option<Progress>,
    /// Why the progress could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn student(user: String, root: &Root) -> Student {
    let (progress, error) = match Progress::load(root) {
        Ok(p) => (Some(p), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let lessons = progress.iter().flat_map(|p| p.lessons.iter());
    let done = lessons.clone().filter(|(_, l)| l.done).map(|(id, _)| id.clone()).collect();
    let answers = || lessons.clone().flat_map(|(_, l)| l.answers.values());
    Student {
        user,
        root: root.state.display().to_string(),
        done,
        questions_right: answers().filter(|a| a.right).count(),
        questions_answered: answers().count(),
        hints_asked: lessons.clone().map(|(_, l)| l.hints_asked).sum(),
        error,
        progress,
    }
}

/// Every student root under the users folder, by name; and the shared
/// default root when it holds progress.
fn every_student() -> Vec<Student> {
    let dir = paths::users_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut all: Vec<Student> =
        names.into_iter().map(|n| student(n.clone(), &Root::new(Some(&dir.join(&n))))).collect();
    let shared = Root::new(None);
    if std::env::var_os(paths::USERS_ENV).is_none() && super::progress::path(&shared).exists() {
        all.push(student("(shared)".into(), &shared));
    }
    all
}

/// Who is running glassbox: the user behind sudo, else the user.
fn invoking_user() -> String {
    std::env::var("SUDO_USER").or_else(|_| std::env::var("USER")).unwrap_or_default()
}

fn export(file: &Path, force: bool, ctx: &Ctx) -> Result<u8> {
    Progress::load(&ctx.root)?;
    let one = student(invoking_user(), &ctx.root);
    if file.exists() && !force {
        return Err(UsageError::ClassFileExists { path: file.display().to_string().escape_debug().to_string() }.into());
    }
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default().trim().to_string();
    let out = serde_json::json!({"host": host, "student": one});
    let bytes = serde_json::to_vec_pretty(&out).expect("progress serialises");
    std::fs::write(file, bytes)
        .map_err(|e| UsageError::ClassCannotWrite { path: file.into(), reason: e.to_string() })?;
    let said = format!(
        "Wrote the progress of {} ({} lessons done) to {}.",
        ctx.root.state.display(),
        one.done.len(),
        file.display()
    );
    ctx.show(crate::output::outcome::Said::new(out, said))
}

fn row(f: &mut std::fmt::Formatter<'_>, s: &Student, total: usize) -> std::fmt::Result {
    let current = s.progress.as_ref().and_then(|p| p.current.as_deref()).unwrap_or("-");
    let done = format!("{}/{total}", s.done.len());
    let questions = format!("{}/{}", s.questions_right, s.questions_answered);
    let note = s.error.as_deref().map(|e| format!("  ({e})")).unwrap_or_default();
    say_to!(
        f,
        "{:<16} {:<24} {:<6} {:<9} {:<6} {}{note}",
        s.user,
        current,
        done,
        questions,
        s.hints_asked,
        s.done.join(" ")
    )
}

pub fn progress(args: &ProgressArgs, ctx: &Ctx) -> Result<u8> {
    if let Some(file) = &args.export {
        return export(file, args.force, ctx);
    }
    let total = Catalogue::load()?.lessons.len();
    let students = if args.all_users {
        every_student()
    } else {
        Progress::load(&ctx.root)?;
        vec![student(invoking_user(), &ctx.root)]
    };
    ctx.show(Class { students, all_users: args.all_users, total })
}

/// `lesson progress`: a row per student (JSON: the one student, or with
/// `--all-users` the list).
struct Class {
    students: Vec<Student>,
    all_users: bool,
    total: usize,
}

impl Serialize for Class {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match (self.all_users, self.students.first()) {
            (false, Some(one)) => one.serialize(s),
            _ => self.students.serialize(s),
        }
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.students.is_empty() {
            return say_to!(f, "{}", crate::i18n::tr!("class-none", path = paths::users_dir()));
        }
        let col = |id: &str, width: usize| crate::i18n::pad(&crate::i18n::message(id, &[]), width);
        let (user, current) = (col("class-col-user", 16), col("class-col-current", 24));
        let (done, right, hints) = (col("class-col-done", 6), col("class-col-right", 9), col("class-col-hints", 6));
        say_to!(f, "{user} {current} {done} {right} {hints} {}", crate::i18n::tr!("class-col-lessons"))?;
        for s in &self.students {
            row(f, s, self.total)?;
        }
        say_to!(f)?;
        say_to!(f, "{}", crate::i18n::tr!("class-legend"))
    }
}
