//! The lessons as tasks (issue 23, "Lessons as tasks"), read straight from
//! the files under lessons/: no glassbox runs here, so a lesson whose data
//! lacks a goal, a question, a check's hints or a glossary term fails at
//! once, whatever the parser does with it.
//!
//! Lesson 02 is converted on another branch; the rules below apply to
//! lesson 01 and from lesson 03 on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

fn lessons_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lessons")
}

fn read_toml(path: &Path) -> Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse::<Table>().unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (folder name, lesson.toml) of every lesson this branch turned into a task.
fn task_lessons() -> Vec<(String, Table)> {
    let mut out: Vec<(String, Table)> = std::fs::read_dir(lessons_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .map(|name| {
            let spec = read_toml(&lessons_dir().join(&name).join("lesson.toml"));
            (name, spec)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 16, "lessons 01 and 03-17 are there: {:?}", out.iter().map(|l| &l.0).collect::<Vec<_>>());
    out
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

fn tables<'a>(spec: &'a Table, key: &str) -> Vec<&'a Table> {
    spec.get(key).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_table).collect()).unwrap_or_default()
}

fn text<'a>(t: &'a Table, key: &str) -> &'a str {
    t.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn glossary() -> Vec<Table> {
    let g = read_toml(&lessons_dir().join("glossary.toml"));
    tables(&g, "term").into_iter().cloned().collect()
}

#[test]
fn every_lesson_states_a_goal_its_concepts_and_asks_at_least_one_question() {
    for (id, spec) in task_lessons() {
        let goal = text(&spec, "goal");
        assert!(goal.len() > 40, "{id}: `goal` says what to achieve in a sentence or two: {goal:?}");
        assert!(!goal.contains("glassbox "), "{id}: the goal names no command: {goal:?}");
        assert!(!strings(spec.get("concepts")).is_empty(), "{id}: `concepts` names the glossary terms it teaches");
        let worked = spec.get("worked_example").and_then(Value::as_bool).unwrap_or(false);
        assert_eq!(worked, id.starts_with("01-"), "{id}: only lesson 01 is a worked example");
        let questions = tables(&spec, "question");
        assert!(!questions.is_empty(), "{id}: at least one [[question]]");
        for q in questions {
            let ask = text(q, "ask");
            let accept = strings(q.get("accept"));
            let path = text(q, "answer_path");
            assert!(
                !ask.is_empty() && !text(q, "explain").is_empty(),
                "{id}: a question has `ask` and `explain`: {q:?}"
            );
            assert!(accept.is_empty() != path.is_empty(), "{id}: {ask:?} has `accept` or `answer_path`, one of them");
            let choices = strings(q.get("choices"));
            if !choices.is_empty() {
                assert!(
                    accept.iter().all(|a| choices.contains(a)),
                    "{id}: {ask:?}: every accepted answer is one of the choices"
                );
            }
        }
    }
}

#[test]
fn some_questions_ask_to_find_out_a_value_and_some_to_predict_before_a_step() {
    let lessons = task_lessons();
    let all: Vec<&Table> = lessons.iter().flat_map(|(_, spec)| tables(spec, "question")).collect();
    let find_out = all.iter().filter(|q| q.contains_key("answer_path")).count();
    let before = all.iter().filter(|q| q.contains_key("before")).count();
    assert!(find_out >= 5, "a few questions ask for a value the learner must find out: {find_out}");
    assert!(before >= 5, "a few questions must be answered before the step they predict: {before}");
}

#[test]
fn every_check_names_two_or_three_hints() {
    for (id, spec) in task_lessons() {
        for c in tables(&spec, "check") {
            let hints = strings(c.get("hints"));
            assert!(
                (2..=3).contains(&hints.len()),
                "{id}: check {:?} has 2-3 hints, not {}",
                text(c, "what"),
                hints.len()
            );
        }
    }
}

#[test]
fn every_concept_is_in_the_glossary_and_the_glossary_is_sorted_and_whole() {
    let terms = glossary();
    let ens: Vec<String> = terms.iter().map(|t| text(t, "en").to_string()).collect();
    let mut sorted = ens.clone();
    sorted.sort_by_key(|e| e.to_lowercase());
    assert_eq!(ens, sorted, "glossary entries are sorted by `en`, case-insensitively, so branches merge as a union");
    let unique: BTreeSet<String> = ens.iter().map(|e| e.to_lowercase()).collect();
    assert_eq!(unique.len(), ens.len(), "no term twice");
    let book = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("book/src");
    for t in &terms {
        for key in ["en", "ko", "en_def", "ko_def"] {
            assert!(!text(t, key).trim().is_empty(), "term {:?} has `{key}`", text(t, "en"));
        }
        let keys: BTreeSet<&str> = t.keys().map(String::as_str).collect();
        let known: BTreeSet<&str> = ["en", "ko", "en_def", "ko_def", "chapter"].into();
        assert!(keys.is_subset(&known), "term {:?}: only en, ko, en_def, ko_def, chapter: {keys:?}", text(t, "en"));
        let chapter = text(t, "chapter");
        assert!(
            chapter.is_empty() || book.join(chapter).is_file(),
            "term {:?}: chapter {chapter} exists",
            text(t, "en")
        );
    }
    for (id, spec) in task_lessons() {
        for c in strings(spec.get("concepts")) {
            assert!(unique.contains(&c.to_lowercase()), "{id}: concept {c:?} is not in lessons/glossary.toml");
        }
    }
}

/// The solution's lines that change a box or make an image (`glassbox
/// VERB ARGS` without the `glassbox`, so `glassbox --explain VERB ARGS`
/// gives it away too; `docker run …` whole), with `$BOX` filled in: the
/// commands a README would hand out.
fn state_changing_commands(solution: &str, first_box: &str) -> Vec<String> {
    const VERBS: [&str; 17] = [
        "unshare",
        "limit",
        "rootfs",
        "net",
        "publish",
        "volume add",
        "volume create",
        "commit",
        "layer add",
        "caps",
        "nnp",
        "seccomp",
        "devices",
        "mask",
        "harden",
        "build",
        "rm",
    ];
    solution
        .lines()
        .map(|l| l.split(" #").next().unwrap_or_default().trim())
        .filter_map(|l| match l.strip_prefix("glassbox ") {
            Some(rest) => VERBS.iter().any(|v| rest.starts_with(&format!("{v} "))).then_some(rest),
            None => l.starts_with("docker run ").then_some(l),
        })
        .map(|cmd| cmd.replace("\"$BOX\"", first_box).replace("$BOX", first_box))
        .collect()
}

#[test]
fn from_lesson_03_on_no_readme_hands_out_the_solutions_commands() {
    for (id, spec) in task_lessons().into_iter().filter(|(id, _)| !id.starts_with("01-")) {
        let dir = lessons_dir().join(&id);
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
        let solution = std::fs::read_to_string(dir.join("solution.sh")).unwrap();
        let first_box = strings(spec.get("boxes")).into_iter().next().unwrap_or_default();
        // Words as a reader sees them: a command may be wrapped across lines.
        let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
        for cmd in state_changing_commands(&solution, &first_box) {
            assert!(!flat.contains(&cmd), "{id}: README.md gives away the solution's `{cmd}`");
        }
        let headings: Vec<&str> = readme.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(headings, ["## What and why", "## Try it and observe", "## Read more", "## How to check"], "{id}");
        assert!(
            flat.contains("glassbox lesson hint") && flat.contains("--help"),
            "{id}: the README points to --help and `lesson hint`"
        );
    }
}

#[test]
fn the_layers_lesson_checks_its_dockerfile_exercises_on_the_images() {
    let spec = read_toml(&lessons_dir().join("11-layers/lesson.toml"));
    let images = strings(spec.get("images"));
    let checks = tables(&spec, "check");
    for name in ["l11-tool", "l11-app"] {
        assert!(images.contains(&name.to_string()), "`lesson start` removes the image {name}");
        assert!(checks.iter().any(|c| text(c, "image") == name), "a check reads the image {name}");
    }
    assert!(
        checks.iter().any(|c| text(c, "image") == "l11-tool" && c.contains_key("at_most")),
        "the size of l11-tool's RUN layer is checked: a `RUN rm` of its own does not shrink the image"
    );
    assert!(checks.iter().any(|c| c.contains_key("count_equals")), "the exact number of layers is checked");
    let wrong = lessons_dir().join("11-layers/wrong");
    for script in ["rm-in-own-run.sh", "copy-all-first.sh", "no-code-change.sh"] {
        assert!(wrong.join(script).is_file(), "wrong/{script} exists");
    }
}
