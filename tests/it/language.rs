//! Messages in the learner's language: `--lang`, then `GLASSBOX_LANG`, then
//! the locale; `--json` keeps a language-neutral code beside the message.

use crate::harness::{Sandbox, text};

/// glassbox in a Korean locale, as a Korean classroom VM runs it.
fn korean(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut c = sb.cmd();
    c.env_remove("GLASSBOX_LANG").env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "ko_KR.UTF-8");
    c.args(args).output().unwrap()
}

#[test]
fn a_korean_locale_gets_the_korean_error_and_exit_2() {
    let sb = Sandbox::new("lang-ko");
    let out = korean(&sb, &["create", "a/b"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("박스 이름 \"a/b\"은(는) 쓸 수 없습니다"), "{err}");
    assert!(err.contains("a-z 0-9 _ . - 이외의 문자"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(!sb.root.join("boxes/a").exists(), "nothing was made");
}

#[test]
fn the_lang_flag_overrides_the_locale() {
    let sb = Sandbox::new("lang-flag");
    let out = korean(&sb, &["--lang", "en", "create", "a/b"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("glassbox: invalid box name \"a/b\""), "{}", text(&out.stderr));
    let mut c = sb.cmd();
    let out = c.env("GLASSBOX_LANG", "ko").args(["ls", "--lang", "ko"]).output().unwrap();
    assert!(out.status.success(), "--lang after the command works too: {}", text(&out.stderr));
}

#[test]
fn json_errors_carry_a_neutral_code_and_the_message_in_the_language() {
    let sb = Sandbox::new("lang-json");
    let out = korean(&sb, &["--json", "create", "a/b"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON error on stdout");
    assert_eq!(v["error"]["code"], "name-invalid");
    assert_eq!(v["error"]["lang"], "ko");
    assert_eq!(v["error"]["exit_code"], 2);
    assert!(v["error"]["message"].as_str().unwrap().contains("쓸 수 없습니다"));
    let out = sb.cmd().args(["--json", "--lang", "en", "rm", "nosuchbox"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "box-not-found");
    assert!(v["error"]["message"].as_str().unwrap().starts_with("no box named"));
}

#[test]
fn an_unknown_language_is_a_usage_error() {
    let sb = Sandbox::new("lang-bad");
    let err = sb.fails(2, &["--lang", "fr", "ls"]);
    assert!(err.contains("en") && err.contains("ko"), "{err}");
}

#[test]
fn step_summaries_and_doctor_speak_korean() {
    let sb = Sandbox::new("lang-steps");
    let name = sb.name("ko");
    let out = korean(&sb, &["create", &name]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains(&format!("박스 {name}을(를) 만들었습니다")), "{said}");
    assert!(said.contains(&format!("다음: glassbox unshare {name} uts")), "{said}");
    let out = korean(&sb, &["unshare", &name, "uts"]);
    let said = text(&out.stdout);
    assert!(said.contains("uts    네임스페이스") && said.contains("격리하는 것: 호스트 이름"), "{said}");
    let out = korean(&sb, &["rm", &name]);
    assert_eq!(text(&out.stdout).trim(), format!("박스 {name}을(를) 지웠습니다"));
    let doctor = text(&korean(&sb, &["doctor"]).stdout);
    assert!(doctor.starts_with("glassbox doctor: 이 머신에서 모든 실습을 할 수 있을까요?"), "{doctor}");
    assert!(doctor.contains("실습\n"), "{doctor}");
}

#[test]
fn a_usage_error_is_typed_with_its_code_and_speaks_both_languages() {
    let sb = Sandbox::new("lang-usage");
    let name = sb.name("u");
    let out = korean(&sb, &["--json", "limit", &name]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON error on stdout");
    assert_eq!(v["error"]["code"], "limit-nothing", "the variant's id, not a generic code");
    assert!(v["error"]["message"].as_str().unwrap().starts_with("무엇을 제한할지 주세요"), "{v}");
    let err = sb.fails(2, &["--lang", "en", "limit", &name]);
    assert!(err.contains(&format!("say what to limit: glassbox limit {name} --memory 64M")), "{err}");
    let err = text(&korean(&sb, &["lesson", "show", "99"]).stderr);
    assert!(err.contains("\"99\"(이)라는 레슨이 없습니다"), "{err}");
}

#[test]
fn help_speaks_the_language_and_english_help_stays_as_written() {
    let sb = Sandbox::new("lang-help");
    let out = korean(&sb, &["rm", "--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    assert!(help.starts_with("박스를 지웁니다: 프로세스, 네임스페이스 홀드, 기록까지"), "{help}");
    assert!(help.contains("사용법: glassbox rm") && help.contains("실행 중인 박스도 지우고"), "{help}");
    let top = text(&korean(&sb, &["--help"]).stdout);
    assert!(top.contains("명령:") && top.contains("빈 박스를 새로 만듭니다"), "{top}");
    let english = text(&korean(&sb, &["--lang", "en", "rm", "--help"]).stdout);
    assert!(
        english.starts_with("Remove a box: its processes, namespace holds and record\n\nUsage: glassbox rm"),
        "{english}"
    );
}

#[test]
fn ls_inspect_ps_and_history_speak_korean_and_json_stays_neutral() {
    let sb = Sandbox::new("lang-show");
    let name = sb.name("show");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts"]);
    let ls = text(&korean(&sb, &["ls"]).stdout);
    assert!(ls.starts_with("이름                 상태     네임스페이스"), "{ls}");
    assert!(ls.contains("만들어짐"), "{ls}");
    let inspect = text(&korean(&sb, &["inspect", &name]).stdout);
    for said in [format!("박스 {name}  상태 만들어짐  호스트 이름 {name}"), "격리".into(), "- (호스트와 공유)".into()]
    {
        assert!(inspect.contains(&said), "{said}: {inspect}");
    }
    assert!(inspect.contains("\n단계:\n  1. glassbox create"), "{inspect}");
    assert!(inspect.contains("보안 강화:\n  capabilities  init가 가진 전부 (caps 단계 없음)"), "{inspect}");
    let ps = text(&korean(&sb, &["ps", &name]).stdout);
    assert!(ps.contains("역할   명령") && ps.contains(&format!("(프로세스 없음: 박스 {name} 안에서")), "{ps}");
    let history = text(&korean(&sb, &["history", &name]).stdout);
    assert!(history.contains(&format!("단계 2: glassbox unshare {name} uts")), "{history}");
    let english = text(&sb.cmd().args(["--lang", "en", "inspect", &name]).output().unwrap().stdout);
    assert!(english.starts_with(&format!("box {name}  state created  hostname {name}\n")), "{english}");
    let v: serde_json::Value =
        serde_json::from_slice(&korean(&sb, &["--json", "inspect", &name]).stdout).expect("inspect --json");
    assert_eq!(v["state"], "created", "--json keeps the English state word");
    // What holds the uts namespace: words in Korean, the model's value in --json.
    assert!(inspect.contains("바인드 마운트 /"), "held by, in Korean: {inspect}");
    let held: Vec<&str> = v["namespaces"].as_array().unwrap().iter().filter_map(|n| n["held_by"].as_str()).collect();
    assert!(!held.is_empty() && held.iter().all(|h| h.starts_with("bind mount /")), "{held:?}");
    sb.ok(&["rm", &name]);
}

/// clap's own words (a command line it could not read, `--help`'s brackets)
/// in Korean too; English stays clap's.
#[test]
fn clap_says_its_usage_errors_and_brackets_in_korean() {
    let sb = Sandbox::new("lang-clap");
    let out = korean(&sb, &["create", "a", "b"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("오류: 예상하지 못한 인자 'b'이(가) 있습니다\n"), "{err}");
    assert!(
        err.contains("\n사용법: glassbox create") && err.ends_with("더 알아보려면 '--help'를 실행해 보세요.\n"),
        "{err}"
    );
    assert!(!err.contains("Usage:") && !err.contains("error:"), "{err}");
    let err = text(&korean(&sb, &["--explian", "ls"]).stderr);
    assert!(err.contains("혹시 이것인가요? '--explain' (비슷한 인자)"), "{err}");
    let err = text(&korean(&sb, &["unshare"]).stderr);
    assert!(err.starts_with("오류: 꼭 필요한 다음 인자가 주어지지 않았습니다:\n  <NAME>"), "{err}");
    let help = text(&korean(&sb, &["--help"]).stdout);
    assert!(help.contains("[가능한 값: en, ko]") && !help.contains("possible values"), "{help}");
    let out = korean(&sb, &["--lang", "en", "create", "a", "b"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: unexpected argument 'b' found"), "{}", text(&out.stderr));
    assert!(!sb.root.join("boxes/a").exists(), "nothing was made");
}

/// `--explain` and `--dry-run` say each operation's why in Korean; its
/// syscall and shell faces are code and stay as they are.
#[test]
fn the_why_of_each_operation_is_korean_and_the_code_faces_are_not_translated() {
    let sb = Sandbox::new("lang-why");
    let name = sb.name("w");
    sb.ok(&["create", &name]);
    let plan = |lang: &str| {
        let out = sb.cmd().args(["--lang", lang, "--dry-run", "unshare", &name, "pid", "uts"]).output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout) + &text(&out.stderr)
    };
    let (en, ko) = (plan("en"), plan("ko"));
    let whys = |t: &str| t.lines().filter(|l| l.trim_start().starts_with("# ")).map(String::from).collect::<Vec<_>>();
    let face = |l: &&str| l.trim_start().starts_with("$ ") || l.trim_start().starts_with(|c: char| c.is_ascii_digit());
    let faces = |t: &str| t.lines().filter(face).map(String::from).collect::<Vec<_>>();
    assert_eq!(faces(&en), faces(&ko), "the syscall and shell faces are the same in both languages");
    assert!(en.contains("unshare(CLONE_NEWPID)") && en.contains("$ unshare --pid"), "{en}");
    assert!(whys(&en).iter().any(|w| w.contains("new pid namespace: isolates process IDs")), "{en}");
    assert!(whys(&ko).iter().any(|w| w.contains("새 pid 네임스페이스: 격리하는 것은 프로세스 ID")), "{ko}");
    let english: Vec<_> = whys(&ko).into_iter().filter(|w| !w.chars().any(|c| ('가'..='힣').contains(&c))).collect();
    assert!(english.is_empty() && !whys(&ko).is_empty(), "every why in Korean: {english:?}");
}

/// A Dockerfile that cannot be read says why in Korean, exit 2.
#[test]
fn a_dockerfile_syntax_error_is_korean() {
    let sb = Sandbox::new("lang-dockerfile");
    let dir = std::env::temp_dir().join(format!("glassbox-lang-dockerfile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Dockerfile"), "FORM alpine\n").unwrap();
    let out = korean(&sb, &["build", "-t", "x", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("Dockerfile:1:1: 알 수 없는 명령어 FORM: 명령어는 FROM RUN"), "{err}");
}

/// The daemon's and the pools' own lines speak Korean too.
#[test]
fn the_daemon_and_pool_lines_speak_korean() {
    let sb = Sandbox::new("lang-daemon");
    let daemon = text(&korean(&sb, &["daemon", "--dry-run"]).stdout);
    assert!(
        daemon.contains("docker.sock에서 기다리다가 요청마다 그 단계를 glassbox 명령으로 실행할 것입니다"),
        "{daemon}"
    );
    assert!(!daemon.contains("would listen"), "{daemon}");
    let pools = text(&korean(&sb, &["pool", "ls"]).stdout);
    assert!(pools.starts_with("풀") && pools.contains("포트") && pools.contains("멤버"), "{pools}");
}

/// An import's layer lines and `image inspect`'s labels in Korean.
#[test]
fn image_import_and_inspect_speak_korean() {
    let sb = Sandbox::new("lang-image");
    let archive = crate::images::docker_save(&[crate::images::tar_of(&[("hello", Some("hi"))])]);
    let path = sb.victim.parent().unwrap().join("one.tar");
    std::fs::write(&path, archive).unwrap();
    let import = korean(&sb, &["image", "import", path.to_str().unwrap(), "--name", "one"]);
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    let said = text(&import.stdout);
    assert!(said.contains("파일 1개, ") && !said.contains(" files, "), "{said}");
    let inspect = text(&korean(&sb, &["image", "inspect", "one"]).stdout);
    assert!(inspect.starts_with("이미지 one ("), "{inspect}");
    assert!(inspect.contains("  레이어(1개, 아래부터):\n") && !inspect.contains("bottom first"), "{inspect}");
}
