//! Lessons in Korean (issue 30): the same lesson, its texts from
//! lesson.ko.toml when the learner's language is Korean, its answers judged
//! the same in both languages, and the web page's lesson in the page's
//! language.

use crate::harness::{Sandbox, text};
use crate::web::Server;

/// glassbox with `--lang ko` (the flag; the locale is tested below).
fn ko(sb: &Sandbox, args: &[&str]) -> (bool, String) {
    let out = sb.cmd().arg("--lang").arg("ko").args(args).output().unwrap();
    (out.status.success(), format!("{}{}", text(&out.stdout), text(&out.stderr)))
}

#[test]
fn lang_ko_lesson_start_02_prints_the_korean_goal_and_questions() {
    let sb = Sandbox::new("lesson-ko-start");
    let (ok, said) = ko(&sb, &["lesson", "start", "02"]);
    assert!(ok, "{said}");
    assert!(said.starts_with("실습 02-uts: UTS 네임스페이스: 나만의 호스트 이름\n"), "{said}");
    assert!(said.contains("목표: 박스 l02는 자기만의 호스트 이름 sandbox를 갖고, 호스트는 자기 이름을"), "{said}");
    assert!(said.contains("개념: UTS 네임스페이스(UTS namespace), 호스트 이름(hostname)"), "{said}");
    assert!(said.contains("     b) 호스트 자신의 이름, 그대로\n"), "{said}");
    assert!(!said.contains("Goal:") && !said.contains("the host's own name"), "no English left: {said}");
    // The checks' expectations in Korean too; their paths and commands stay code.
    let (ok, said) = ko(&sb, &["lesson", "check"]);
    assert!(!ok, "nothing is solved yet: {said}");
    assert!(said.contains("  실패     박스 l02에 자기 UTS 네임스페이스가 있다\n"), "{said}");
    assert!(said.contains("기대한 값: namespaces[kind=uts].isolated: true와(과) 같다"), "{said}");
    assert!(said.contains("기대한 값: 박스 l02 안의 `hostname`이(가) \"sandbox\"을(를) 출력, 종료 코드 0"), "{said}");
    assert!(said.contains("확인 2개 중 0개 통과."), "{said}");
    // The same lesson in English, from the same started state.
    let status = sb.ok(&["lesson", "status", "02"]);
    assert!(status.contains("Goal: Box l02 gets a hostname of its own"), "{status}");
    let mut c = sb.cmd();
    let out = c.env("GLASSBOX_LANG", "").env("LC_ALL", "").env("LANG", "ko_KR.UTF-8").args(["lesson", "show"]);
    let said = text(&out.output().unwrap().stdout);
    assert!(said.starts_with("실습 02-uts: UTS 네임스페이스"), "a Korean locale is Korean too: {said}");
}

#[test]
fn answers_are_judged_the_same_in_both_languages() {
    let sb = Sandbox::new("lesson-ko-answer");
    sb.ok(&["lesson", "start", "02"]);
    // Korean text, in Korean.
    let (_, said) = ko(&sb, &["lesson", "answer", "02", "1", "호스트 자신의 이름, 그대로"]);
    assert!(said.starts_with("맞았습니다.\n"), "{said}");
    // A letter in Korean, the English text's choice.
    let (_, said) = ko(&sb, &["lesson", "answer", "02", "2", "a"]);
    assert!(said.starts_with("틀렸습니다.\n"), "{said}");
    // The Korean text of a choice, given in English, and the English text in Korean.
    sb.ok(&["lesson", "start", "02"]);
    sb.ok(&["lesson", "reset", "02"]);
    sb.ok(&["lesson", "start", "02"]);
    assert!(sb.ok(&["lesson", "answer", "02", "2", "호스트의 네임스페이스"]).starts_with("Right."));
    let (_, said) = ko(&sb, &["lesson", "answer", "02", "1", "the host's own name, unchanged"]);
    assert!(said.starts_with("맞았습니다.\n"), "{said}");
    // A value is a value: the inode, asked in Korean.
    sb.ok(&["unshare", "l02", "uts", "--hostname", "sandbox"]);
    let inode =
        sb.inspect("l02")["namespaces"].as_array().unwrap().iter().find(|n| n["kind"] == "uts").unwrap()["inode"]
            .to_string();
    let (_, said) = ko(&sb, &["lesson", "answer", "02", "3", &inode]);
    assert!(said.starts_with("맞았습니다.\n"), "{said}");
    let (ok, said) = ko(&sb, &["lesson", "check"]);
    assert!(ok && said.contains("  통과     박스 l02에 자기 UTS 네임스페이스가 있다\n"), "{said}");
    assert!(said.contains("확인 2개가 모두 통과했습니다: 실습 02-uts을(를) 마쳤습니다."), "{said}");
}

#[test]
fn the_lesson_page_in_korean_shows_the_korean_checks_and_the_results_checked_in_english() {
    let sb = Sandbox::new("lesson-ko-web");
    sb.ok(&["lesson", "start", "02"]);
    sb.fails(1, &["lesson", "check"]);
    let server = Server::start(&sb);
    let (status, page) = server.get("/lesson?lang=ko");
    assert_eq!(status, 200);
    assert!(page.contains("UTS 네임스페이스: 나만의 호스트 이름"), "{page}");
    assert!(page.contains("박스 안에서 hostname이 sandbox를 출력한다"), "{page}");
    assert!(!page.contains("inside the box, hostname prints sandbox"), "{page}");
    assert!(page.contains("data-verdict=\"failed\""), "checked in English, shown failed in Korean: {page}");
    let (_, page) = server.get("/lesson?lang=en");
    assert!(page.contains("inside the box, hostname prints sandbox"), "{page}");
}
