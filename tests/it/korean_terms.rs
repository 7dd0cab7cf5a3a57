//! Korean terms are used consistently (issue 30): each glossary term's
//! Korean form (`ko` in lessons/glossary.toml) is the one every Korean text
//! uses, never a variant a translator might reach for. The variants below
//! are listed per glossary term; the test fails if a listed term left the
//! glossary (the list follows it) or if a variant appears in a Korean
//! text: the Korean book, the lessons' Korean files, the Korean message
//! catalogue and the glossary's own Korean definitions. Code (fenced blocks
//! and `inline code`) is what a learner types or reads from a terminal and
//! is left out, as are lines without Hangul (English beside the Korean).

use std::path::{Path, PathBuf};

/// (the glossary's `ko`, variants that must not stand for it).
const VARIANTS: &[(&str, &[&str])] = &[
    ("네임스페이스", &["이름공간", "이름 공간", "네임 스페이스", "네임스페이쓰"]),
    ("컨테이너", &["콘테이너", "컨테이나"]),
    ("유저 네임스페이스", &["사용자 네임스페이스", "user 네임스페이스"]),
    ("타임 네임스페이스", &["시간 네임스페이스", "time 네임스페이스"]),
    ("호스트 이름", &["호스트명", "호스트네임"]),
    ("케이퍼빌리티", &["캐퍼빌리티", "케퍼빌리티", "캐파빌리티", "케이퍼빌리티즈"]),
    ("브리지", &["브릿지", "브리쥐"]),
    ("데몬", &["대몬", "데먼", "디먼"]),
    ("바인드 마운트", &["바인드마운트", "바인드 마운팅"]),
    ("루트 파일시스템", &["루트 파일 시스템", "루트파일시스템", "루트 파일계"]),
    ("시스템 콜", &["시스템 호출", "시스템콜", "시스콜"]),
    ("컨트롤 그룹(cgroup)", &["제어 그룹", "컨트롤그룹", "통제 그룹"]),
    ("스로틀링", &["쓰로틀링", "트로틀링", "스로틀닝"]),
    ("파드", &["포드"]),
    ("가상 머신", &["가상머신", "가상 기계"]),
    ("볼륨", &["볼룸", "볼류움"]),
    ("하위 디렉터리(lowerdir)", &["디렉토리"]),
    ("메시지 큐", &["메세지", "메시지큐"]),
    ("UID 매핑(uid map)", &["uid 매핑", "UID 맵", "UID 맵핑", "uid 맵"]),
    ("OOM 킬", &["OOM kill", "OOM-kill"]),
    ("좀비 프로세스", &["좀비프로세스"]),
    ("고아 프로세스", &["고아프로세스"]),
    ("빌드 캐시", &["빌드캐시"]),
    ("화이트아웃", &["화이트 아웃"]),
    ("카피 업(copy-up)", &["카피업", "복사 업"]),
    ("사이드카", &["사이드 카"]),
    ("롤링 업데이트", &["롤링업데이트"]),
    ("롤백", &["롤 백", "롤빽"]),
    ("헬스체크(healthcheck)", &["헬스 체크", "건강 검사", "상태 검사"]),
    ("풀(pool)", &["연결 풀", "커넥션 풀"]),
    ("복제본", &["레플리카", "복제품"]),
    ("드레인", &["드레이닝", "드레인닝"]),
    ("루프백 인터페이스", &["루프 백", "루프백인터페이스"]),
    ("게시된 포트(published port)", &["공개된 포트", "퍼블리시된 포트", "발행된 포트", "게시 포트", "공개한 포트"]),
    ("포크 폭탄", &["포크밤", "포크 밤", "포크폭탄"]),
    ("컨트롤러", &["콘트롤러"]),
    ("이미지", &["이메지"]),
    ("레이어", &["레이야", "래이어"]),
    ("컨테이너 레이어", &["컨테이너레이어"]),
    ("이미지 히스토리", &["이미지 이력"]),
    ("CPU 할당량", &["CPU 쿼터"]),
    ("메모리 제한", &["메모리 한도", "메모리 상한"]),
    ("디바이스 cgroup", &["장치 cgroup"]),
    ("init 프로세스", &["이닛 프로세스"]),
    ("시계 오프셋", &["클럭 오프셋", "시간 오프셋"]),
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, keep, out);
        } else if keep(&p) {
            out.push(p);
        }
    }
}

/// Every Korean text a learner reads.
fn korean_texts() -> Vec<PathBuf> {
    let r = repo();
    let mut out = vec![];
    files_under(&r.join("book-ko/src"), &|p| p.extension().is_some_and(|e| e == "md"), &mut out);
    files_under(&r.join("src/i18n/ko"), &|p| p.extension().is_some_and(|e| e == "ftl"), &mut out);
    let korean_lesson_file = |p: &Path| {
        let name = p.file_name().unwrap().to_string_lossy();
        name == "lesson.ko.toml" || name == "README.ko.md"
    };
    files_under(&r.join("lessons"), &korean_lesson_file, &mut out);
    out.push(r.join("lessons/glossary.toml"));
    out.sort();
    out
}

fn hangul(line: &str) -> bool {
    line.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// The prose of a text: its Hangul lines without code (fenced blocks,
/// `inline code`) and, in the glossary, only the Korean fields.
fn prose(path: &Path, text: &str) -> Vec<(usize, String)> {
    let glossary = path.ends_with("glossary.toml");
    let mut fenced = false;
    let mut out = vec![];
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let korean_field = line.starts_with("ko = ") || line.starts_with("ko_def = ");
        if fenced || !hangul(line) || (glossary && !korean_field) {
            continue;
        }
        // A bilingual heading (`## 용어 · term`) is checked in its Korean half.
        let line = match line.split_once(" · ") {
            Some((ko, _)) if line.starts_with('#') => ko,
            _ => line,
        };
        let outside_code: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        out.push((n + 1, outside_code));
    }
    out
}

fn glossary_korean_terms() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("lessons/glossary.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table["term"].as_array().unwrap().iter().map(|t| t["ko"].as_str().unwrap().to_string()).collect()
}

#[test]
fn every_listed_term_is_a_glossary_term() {
    let terms = glossary_korean_terms();
    let strays: Vec<&str> = VARIANTS.iter().map(|(ko, _)| *ko).filter(|ko| !terms.iter().any(|t| t == ko)).collect();
    assert!(strays.is_empty(), "not a `ko` of lessons/glossary.toml (renamed there? follow it here): {strays:?}");
    for (ko, variants) in VARIANTS {
        for v in *variants {
            assert!(!ko.contains(v), "{ko:?}: the variant {v:?} is part of the term itself");
        }
    }
}

#[test]
fn korean_texts_use_the_glossary_terms_and_no_variant() {
    let files = korean_texts();
    assert!(files.len() > 40, "the Korean texts are found: {}", files.len());
    let mut found = vec![];
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in prose(path, &text) {
            for (ko, variants) in VARIANTS {
                for v in variants.iter().filter(|v| line.contains(**v)) {
                    let rel = path.strip_prefix(repo()).unwrap().display();
                    found.push(format!("{rel}:{n}: {v:?} stands for the glossary's {ko:?}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "Korean texts use a variant of a glossary term:\n{}", found.join("\n"));
}

#[test]
fn the_test_sees_a_variant_in_prose_and_not_in_code() {
    let path = Path::new("book-ko/src/x.md");
    let text = "이름공간을 만듭니다\n```console\n# 이름공간\n```\n`이름 공간` 코드\nEnglish only: OOM kill\n## OOM 킬 · OOM kill\n";
    let lines = prose(path, text);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(!lines[2].1.contains("kill"), "a bilingual heading's English half: {lines:?}");
    assert!(lines[0].1.contains("이름공간") && !lines[1].1.contains("이름 공간"), "{lines:?}");
}
