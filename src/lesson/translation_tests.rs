//! The Korean texts: how they replace the English, what they must hold,
//! and that every lesson of the catalogue has them all.

use super::*;

const EN: &str = r#"
id = "02-x"
title = "T"
summary = "S"
goal = "G"
boxes = ["b"]
hints = ["h1", "h2"]
[[question]]
ask = "A?"
choices = ["yes", "no"]
accept = ["no"]
explain = "E"
[[check]]
what = "W"
path = "state"
equals = "running"
hints = ["c1"]
"#;

const KO: &str = r#"
title = "제목"
summary = "요약"
goal = "목표"
hints = ["힌트1", "힌트2"]
[[question]]
ask = "질문?"
choices = ["예", "아니요"]
explain = "설명"
[[check]]
what = "확인"
hints = ["확인 힌트"]
"#;

#[test]
fn korean_texts_replace_the_english_and_leave_the_checks_alone() {
    let en = Spec::parse(EN).unwrap();
    let ko = Translation::parse(KO).unwrap();
    assert!(ko.problems(&en).is_empty(), "{:?}", ko.problems(&en));
    let s = localize(en.clone(), Some(&ko), Lang::Ko);
    assert_eq!((s.title.as_str(), s.goal.as_str(), s.hints[1].as_str()), ("제목", "목표", "힌트2"));
    assert_eq!((s.questions[0].choices[1].as_str(), s.checks[0].what.as_str()), ("아니요", "확인"));
    assert_eq!(s.typed_checks().unwrap()[0].kind, en.typed_checks().unwrap()[0].kind);
    assert_eq!(s.questions[0].accept, ["no", "아니요"]);
    let e = localize(en, Some(&ko), Lang::En);
    assert_eq!((e.title.as_str(), e.questions[0].accept.len()), ("T", 2), "Korean answers count in English too");
}

#[test]
fn a_korean_readme_keeps_the_code_blocks_and_has_its_four_parts() {
    let en = "# 02 · t\n## What and why\ntext\n```console\n# hostname\n```\n## Try it and observe\n## Read more\n## How to check\n";
    let ko = "# 02 · 제목\n## 무엇을, 왜\n글\n```console\n# hostname\n```\n## 해 보고 관찰하기\n## 더 읽을거리\n## 확인하는 법\n";
    assert!(readme_problems(en, ko).is_empty(), "{:?}", readme_problems(en, ko));
    let translated_code = ko.replace("# hostname", "# 호스트 이름");
    assert!(readme_problems(en, &translated_code)[0].contains("block 1"));
    assert!(readme_problems(en, &ko.replace("## 더 읽을거리\n", ""))[0].contains("headings"));
}

#[test]
fn a_missing_or_extra_korean_text_is_a_problem() {
    let en = Spec::parse(EN).unwrap();
    let short = Translation::parse(&KO.replace("hints = [\"힌트1\", \"힌트2\"]", "hints = [\"힌트1\"]")).unwrap();
    assert!(short.problems(&en).iter().any(|p| p.contains("hints: 2 in lesson.toml, 1")), "{:?}", short.problems(&en));
    let empty = Translation::parse(&KO.replace("goal = \"목표\"", "goal = \"\"")).unwrap();
    assert_eq!(empty.problems(&en), ["goal is empty in lesson.ko.toml"]);
    let no_check = Translation::parse(KO.split("[[check]]").next().unwrap()).unwrap();
    assert!(no_check.problems(&en).iter().any(|p| p.contains("[[check]]s: 1 in lesson.toml, 0")));
    assert!(Translation::parse("title = \"t\"\naccept = [\"x\"]").is_err(), "what is judged stays in lesson.toml");
}

/// A Korean chapter still listed in book-ko/PENDING waits for its lesson's
/// README.ko.md; every other lesson has one.
fn pending_chapters() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/book-ko/PENDING")).unwrap_or_default()
}

#[test]
fn every_lesson_has_every_text_in_korean() {
    let cat = super::super::catalogue::Catalogue::embedded();
    assert!(cat.lessons.len() >= 18, "the catalogue: {}", cat.ids());
    let pending = pending_chapters();
    let mut problems = vec![];
    for lesson in &cat.lessons {
        let spec = lesson.spec.as_ref().unwrap();
        problems.extend(lesson_problems(lesson, spec).into_iter().map(|p| format!("{}: {p}", lesson.dir)));
        let chapter = super::super::catalogue::chapter(&lesson.dir).unwrap_or_default();
        let waits = pending.lines().any(|l| !chapter.is_empty() && chapter.ends_with(l.trim()) && !l.trim().is_empty());
        if lesson.file(README).is_none() && !waits {
            problems.push(format!("{}: no {README}, and its chapter {chapter} is not in book-ko/PENDING", lesson.dir));
        }
    }
    assert!(problems.is_empty(), "Korean texts missing:\n{}", problems.join("\n"));
}
