//! The Korean page has no English left (issue 30): every page, fetched
//! with `Accept-Language: ko` over a box that shows every part of the page
//! (gauges, counters, a pod-less diagram with a process outside a wall, a
//! request's steps, volumes, layers with files, a lesson with checks), is
//! searched for the English catalogue's texts. Any English text of the
//! page's messages found in what a learner reads is a failure; what a
//! learner reads is the page's text and its tooltips and labels, not its
//! code (`<code>`, `<pre>`: commands, paths, kernel names stay as typed).

use super::guard::AllowedHosts;
use super::lesson::{CheckView, LessonView};
use super::routes::{App, router};
use super::source::Source;
use super::tests::{HOST, fixture_box, fixture_host};
use crate::i18n::{Lang, message_in};
use crate::lesson::progress::Verdict;
use crate::model::files::{FileEntry, LayerFiles, Mark};
use crate::model::host::{HostModel, HostNamespace};
use crate::model::{BoxModel, CgroupModel, IdMapModel};
use crate::stage::NamespaceKind;
use crate::stage::cgroup::Layout;
use crate::stage::cgroup::limits::{Limit, Limits};
use crate::stage::cgroup::usage::Usage;
use crate::state::cause::Cause;
use axum::body::Body;
use axum::http::{Request, header};
use std::sync::Arc;
use tower::ServiceExt;

/// A box with every part of the page filled in.
pub fn full_box(name: &str) -> BoxModel {
    let mut m = fixture_box(name);
    m.user_map = Some(IdMapModel { inside: 0, outside: 100000, count: 65536 });
    m.time_offsets = Some((10, 20));
    m.cgroup = Some(CgroupModel {
        version: "v2".into(),
        layout: Layout::Unified,
        layout_explained: Layout::Unified.explain(),
        paths: vec!["/sys/fs/cgroup/glassbox/demo".into()],
        limits: Limits {
            memory: Some(Limit::Value(64 << 20)),
            cpu_quota_us: Some(Limit::Value(50_000)),
            pids: Some(Limit::Value(50)),
            ..Limits::default()
        },
        usage: Usage {
            memory_bytes: Some(12 << 20),
            memory_peak_bytes: Some(20 << 20),
            memory_limit_bytes: Some(64 << 20),
            oom_kills: Some(1234),
            memory_limit_hits: Some(2),
            cpu_usage_usec: Some(1_500_000),
            cpu_throttled_usec: Some(300_000),
            cpu_throttled_periods: Some(7),
            cpu_quota_usec: Some(50_000),
            pids: Some(3),
            pids_limit: Some(50),
        },
    });
    m.volumes = vec![crate::volume::VolumeModel {
        source: crate::volume::spec::Source::Named { name: "data".into() },
        host_path: "/var/lib/glassbox/volumes/data".into(),
        target: "/data".into(),
        read_only: true,
        mounted: false,
        shared_with: vec![],
    }];
    let post = Cause::new("docker API", "POST", "/v1.47/containers/create", b"{}");
    for n in [2, 3] {
        m.steps.push(crate::model::StepModel {
            n,
            at: n as u64 * 3600 + 15 * 3600,
            command: "glassbox unshare demo pid".into(),
            cause: Some(post.clone()),
            ops: vec![],
            makes: vec![],
        });
    }
    if let Some(r) = m.rootfs.as_mut() {
        r.layers[0].source = format!("box {name} (deleted with the box)");
        r.layers[1].source = "image busybox".into();
    }
    let mut health = crate::state::health::Health::new(vec!["true".into()], Some(2));
    (health.failing_streak, health.checks, health.restarts, health.last_exit) = (2, 14, 1, Some(3));
    m.health = Some(health);
    // Whys as a real step records them, in English: the page shows them in Korean.
    m.steps[0].ops = super::ko_whys_tests::english_ops();
    for n in &mut m.namespaces {
        if n.kind == NamespaceKind::Pid {
            n.held_by = Some("process 100 (glassbox-init, PID 1 inside)".into());
        }
    }
    m
}

fn files() -> Vec<LayerFiles> {
    let entry = |path: &str, kind: &'static str, mark| FileEntry {
        path: path.into(),
        depth: 1,
        name: path.trim_start_matches('/').into(),
        kind,
        size: 1234,
        mark,
        hidden_above: mark == Mark::Changed,
    };
    vec![LayerFiles {
        digest: None,
        made_by: "box".into(),
        source: "writable".into(),
        entries: vec![
            entry("/etc", "dir", Mark::Opaque),
            entry("/motd", "file", Mark::Changed),
            entry("/x", "whiteout", Mark::Deleted),
        ],
        truncated: true,
        added: 1,
        changed: 1,
        deleted: 1,
        hides_below: 4096,
        seen: 3,
    }]
}

fn lesson() -> LessonView {
    let check = |verdict, when: &str| CheckView {
        what: "체크".into(),
        box_name: "demo".into(),
        passed: verdict == Some(Verdict::Passed),
        verdict,
        when: when.into(),
    };
    LessonView {
        id: "02-uts".into(),
        title: "호스트 이름".into(),
        summary: "요약".into(),
        done: false,
        hints_shown: 2,
        checks: vec![check(Some(Verdict::Passed), "2026-12-08T15:04:05Z"), check(None, "")],
        boxes: vec!["demo".into()],
        chapter_file: "book/src/stages/02-uts.md".into(),
        chapter_url: "http://localhost:3000/stages/02-uts.html".into(),
    }
}

struct Full;

impl Source for Full {
    fn box_names(&self) -> Vec<String> {
        vec!["demo".into()]
    }
    fn one(&self, name: &str) -> Option<BoxModel> {
        (name == "demo").then(|| full_box(name))
    }
    fn host_summary(&self) -> HostModel {
        fixture_host()
    }
    fn host(&self, _boxes: &[BoxModel]) -> HostModel {
        let ns = |kind, is_host, of_box: Option<&str>| HostNamespace {
            kind,
            inode: 4026531000,
            processes: 1234,
            first_pid: 1,
            command: "sleep".into(),
            is_host,
            of_box: of_box.map(Into::into),
        };
        HostModel {
            namespaces: vec![ns(NamespaceKind::Uts, true, None), ns(NamespaceKind::Uts, false, Some("demo"))],
            ..fixture_host()
        }
    }
    fn files(&self, _name: &str) -> Vec<LayerFiles> {
        files()
    }
    fn log_tail(&self, _name: &str) -> Option<String> {
        Some("hello\n".into())
    }
    fn lesson(&self) -> Option<LessonView> {
        Some(lesson())
    }
}

pub async fn korean(path: &str) -> String {
    page_in(path, "ko").await
}

async fn page_in(path: &str, accept: &str) -> String {
    let live = super::live::Live::new();
    // What the box was before its last step, as `serve` saw it then: the
    // page shows what that step changed.
    let mut before = full_box("demo");
    before.steps.pop();
    before.cgroup = None;
    before.hostname = None;
    if let Some(r) = before.rootfs.as_mut() {
        r.mounted = false;
    }
    before.namespaces.iter_mut().for_each(|n| n.isolated = false);
    before.volumes.clear();
    before.mounts.clear();
    before.network = None;
    live.timeline.note(&before);
    let app = router(App::new(Arc::new(Full), AllowedHosts::new(7878, &[]), live));
    let req = Request::get(path).header(header::HOST, HOST).header(header::ACCEPT_LANGUAGE, accept);
    let resp = app.oneshot(req.body(Body::empty()).unwrap()).await.expect("router answers");
    let body = axum::body::to_bytes(resp.into_body(), 1 << 22).await.expect("body");
    String::from_utf8_lossy(&body).into_owned()
}

/// What a learner reads: the text outside `<code>`/`<pre>`/`<script>`, and
/// the attributes a browser shows or reads aloud, each on a line.
pub fn readable(html: &str) -> String {
    let mut text = html.to_string();
    for tag in ["code", "pre", "script", "style", "title"] {
        while let Some(start) = text.find(&format!("<{tag}")) {
            let close = format!("</{tag}>");
            let Some(end) = text[start..].find(&close) else { break };
            text.replace_range(start..start + end + close.len(), " ");
        }
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push('\n');
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open..open + close];
        for attr in ["title=\"", "aria-label=\"", "data-label=\"", "data-on=\"", "data-off=\"", "data-word-"] {
            for (i, _) in tag.match_indices(attr) {
                let v = &tag[i + attr.len()..];
                let v = if attr == "data-word-" { v.split_once("=\"").map_or("", |x| x.1) } else { v };
                out.push_str(v.split('"').next().unwrap_or(""));
                out.push('\n');
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    // Paths, file and kernel names (`/var/lib/x`, `memory.max`,
    // `mount_namespaces(7)`) are names, not words.
    let name = |w: &str| {
        let b = w.as_bytes();
        w.contains('/')
            || (1..b.len().saturating_sub(1)).any(|i| b"._".contains(&b[i]) && b[i + 1].is_ascii_alphanumeric())
    };
    out.lines().map(|l| l.split(' ').filter(|w| !name(w)).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

/// Names that stay as they are in Korean too: kernel, command and unit
/// names a learner types or reads in a terminal.
const KEPT: [&str; 12] =
    ["root", "pid", "pids", "uid", "inode", "CPU", "JSON", "glassbox", "overlay", "serve", "cgroup", "init"];

/// The English texts of the page's messages (web.ftl, page.ftl), each cut
/// at its values into the pieces a page would show whole, with the id.
fn english_texts() -> Vec<(String, String)> {
    use fluent_syntax::ast::{Entry, Expression, Pattern, PatternElement};
    fn pieces(p: &Pattern<&str>, out: &mut Vec<String>) {
        let mut piece = String::new();
        for e in &p.elements {
            match e {
                PatternElement::TextElement { value } => piece.push_str(value),
                PatternElement::Placeable { expression } => {
                    out.push(std::mem::take(&mut piece));
                    if let Expression::Select { variants, .. } = expression {
                        variants.iter().for_each(|v| pieces(&v.value, out));
                    }
                }
            }
        }
        out.push(piece);
    }
    let mut out = vec![];
    let steps = include_str!("../i18n/en/steps.ftl");
    for source in [include_str!("../i18n/en/web.ftl"), include_str!("../i18n/en/page.ftl"), steps] {
        let resource = fluent_syntax::parser::parse(source).expect("the catalogue parses");
        for entry in resource.body {
            let Entry::Message(m) = entry else { continue };
            let mut texts = vec![];
            m.value.iter().for_each(|p| pieces(p, &mut texts));
            let id = m.id.name.to_string();
            // Of the steps' messages, what the page shows: what each kind isolates.
            if source == steps && !id.starts_with("isolates-") {
                continue;
            }
            let korean = message_in(Lang::Ko, &id, &[]);
            for text in texts {
                let text = text.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
                let letters = text.chars().filter(char::is_ascii_alphabetic).count();
                if letters < 2 || korean.contains(&text) || KEPT.contains(&text.as_str()) {
                    continue;
                }
                out.push((id.clone(), text));
            }
        }
    }
    out
}

/// Where `needle` stands in `text` as words of its own (not inside a longer word).
fn has_words(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[test]
fn the_english_texts_are_many_and_cut_at_their_values() {
    let texts = english_texts();
    assert!(texts.len() > 200, "{}", texts.len());
    let of = |id: &str| texts.iter().filter(|(i, _)| i == id).map(|(_, t)| t.as_str()).collect::<Vec<_>>();
    assert_eq!(of("web-ns-caption"), ["the box's namespaces next to the host's"]);
    assert_eq!(of("web-half-made-by"), ["half made by"]);
    assert!(of("web-meter-cpu").is_empty(), "CPU is CPU in Korean too");
    assert!(has_words("Lesson 02", "Lesson") && !has_words("glassbox", "box"));
}

#[tokio::test]
async fn the_korean_pages_show_no_english_text_of_the_catalogue() {
    let texts = english_texts();
    let mut found = vec![];
    for path in ["/", "/box/demo", "/host", "/lesson", "/box/zzz"] {
        let page = korean(path).await;
        assert!(page.contains("<html lang=\"ko\">"), "{path}");
        let text = readable(&page);
        for (id, english) in &texts {
            if has_words(&text, english) {
                found.push(format!("{path}: {id}: {english:?}"));
            }
        }
        // A message the catalogue lacks shows as its id.
        if let Some(at) = text.find("web-") {
            found.push(format!("{path}: a message id: {}", &text[at..(at + 40).min(text.len())]));
        }
    }
    assert!(found.is_empty(), "English on the Korean pages:\n{}", found.join("\n"));
}

/// The search finds what it looks for: the same pages in English show
/// most of those texts (all but the ones for states the fixture is not in).
#[tokio::test]
async fn the_english_pages_show_the_texts_the_search_looks_for() {
    let texts = english_texts();
    let mut pages = String::new();
    for path in ["/", "/box/demo", "/host", "/lesson", "/box/zzz"] {
        pages.push_str(&readable(&page_in(path, "en").await));
    }
    let seen = texts.iter().filter(|(_, english)| has_words(&pages, english)).count();
    assert!(seen * 10 >= texts.len() * 6, "only {seen} of {} English texts seen on the English pages", texts.len());
}

#[tokio::test]
async fn the_korean_page_formats_numbers_and_dates_for_its_locale() {
    let page = korean("/box/demo").await;
    // 1234 OOM kills, grouped; the step's time as a Korean date.
    assert!(page.contains("<td class=\"num\">1,234</td>"), "{page}");
    assert!(page.contains("title=\"1970년 1월 1일 17:00:00 UTC\""), "{page}");
    assert!(page.contains("CPU 0.50개") && page.contains("+61200초"), "{page}");
    assert!(page.contains("파일 1,234 B"), "a file's size, grouped: {page}");
    let host = korean("/host").await;
    assert!(host.contains("<td class=\"num\">1,234</td>"), "{host}");
    let lesson = korean("/lesson").await;
    assert!(lesson.contains(">2026년 12월 8일 15:04:05 UTC</time>"), "{lesson}");
    assert!(lesson.contains("힌트 2개 봄"), "{lesson}");
    assert!(page.contains("상태: 시작 중 (검사 14번 중 연속 실패 2번) · 재시작: 1/2번 (마지막 종료 코드 3)"), "{page}");
}
