//! The page in the reader's language. A layer over the routes picks the
//! language of each request — `?lang=ko` (the page's switch, remembered in
//! a cookie), then the `glassbox_lang` cookie, then `Accept-Language`, else
//! English — and the templates ask for their words by message id
//! (`{{ crate::web::lang::t("web-boxes") }}`) from the same catalogue the
//! CLI uses. The language is a task-local of the request, so the page
//! structs stay as they are.

use crate::i18n::{self, Lang};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

tokio::task_local! {
    static REQUEST_LANG: Lang;
}

const COOKIE: &str = "glassbox_lang";

/// The language the reader asked for, and whether they asked just now
/// (the switch: remembered in a cookie).
pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> (Lang, bool) {
    let asked = query.and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(Lang::from_locale));
    if let Some(lang) = asked {
        return (lang, true);
    }
    let cookie = headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        c.split(';').find_map(|kv| kv.trim().strip_prefix(&format!("{COOKIE}="))).and_then(Lang::from_locale)
    });
    let accepted = || {
        let text = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
        accept_language(text)
    };
    (cookie.or_else(accepted).unwrap_or(Lang::En), false)
}

/// The first language glassbox has, by the reader's weights:
/// `ko-KR,ko;q=0.9,en;q=0.8` is Korean, `fr,en;q=0.5` English.
fn accept_language(text: &str) -> Option<Lang> {
    let mut ranked: Vec<(f32, Lang)> = text
        .split(',')
        .filter_map(|part| {
            let mut bits = part.split(';');
            let lang = Lang::from_locale(bits.next()?.trim())?;
            let q = bits.find_map(|b| b.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.parse().ok())?;
            (q > 0.0).then_some((q, lang))
        })
        .collect();
    // Stable: of equal weights the first listed wins.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map(|(_, lang)| *lang)
}

/// The layer: every response is made in the request's language, says so
/// (`Content-Language`), and varies by what chose it.
pub async fn choose(request: Request, next: Next) -> Response {
    let (lang, switched) = negotiate(request.uri().query(), request.headers());
    let mut response = REQUEST_LANG.scope(lang, next.run(request)).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    if switched {
        let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.tag());
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            headers.insert(header::SET_COOKIE, v);
        }
    }
    response
}

/// The language of the request being answered (English outside one).
pub fn lang() -> Lang {
    REQUEST_LANG.try_with(|l| *l).unwrap_or(Lang::En)
}

/// Runs `f` in `lang`: blocking work of a request (a thread of its own,
/// where the request's task-local is not) reads the page's language too.
pub fn within<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    REQUEST_LANG.sync_scope(lang, f)
}

/// The `lang` attribute of the page.
pub fn tag() -> &'static str {
    lang().tag()
}

/// A message of the page in the request's language.
pub fn t(id: &str) -> String {
    i18n::message_in(lang(), id, &[])
}

/// A box's state word (`running`, `created`, …) in the request's language;
/// the page keeps the English word as its CSS class.
pub fn state(word: &str) -> String {
    let id = format!("state-{word}");
    if i18n::has_message(Lang::En, &id) { i18n::message_in(lang(), &id, &[]) } else { word.to_string() }
}

/// A message with values, in the request's language (escaped by askama).
pub fn t_with(id: &str, name: &str, value: &str) -> String {
    i18n::message_in(lang(), id, &[(name, value.to_string().into())])
}

/// A message whose values are commands, each shown as `<code>`: HTML
/// for the template (`|safe`), the message's own text escaped.
pub fn t_code(id: &str, codes: &[(&str, &str)]) -> String {
    let marks: Vec<_> =
        codes.iter().enumerate().map(|(i, (name, _))| (*name, format!("\u{1}{i}\u{1}").into())).collect();
    let mut html = escape(&i18n::message_in(lang(), id, &marks));
    for (i, (_, code)) in codes.iter().enumerate() {
        html = html.replace(&format!("\u{1}{i}\u{1}"), &format!("<code>{}</code>", escape(code)));
    }
    html
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The switch's other language: its tag and its own name for itself.
pub fn other() -> (&'static str, &'static str) {
    match lang() {
        Lang::En => ("ko", "한국어"),
        Lang::Ko => ("en", "English"),
    }
}

/// A count with the locale's digit grouping (both use `1,234`). The page
/// formats its numbers and dates here, on the server, in the request's
/// language (one way for the whole page); app.js's live updates of the
/// gauges and counters group digits the same way.
pub fn number(n: &usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A UTC time (`2026-12-07T18:40:12Z`) as the locale writes a date:
/// `7 Dec 2026, 18:40:12 UTC` or `2026년 12월 7일 18:40:12 UTC`.
pub fn date(iso: &str) -> String {
    let parse = || -> Option<(u32, usize, u32, &str)> {
        let (day, time) = iso.strip_suffix('Z')?.split_once('T')?;
        let mut ymd = day.split('-').map(str::parse::<u32>);
        Some((ymd.next()?.ok()?, ymd.next()?.ok()? as usize, ymd.next()?.ok()?, time))
    };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match (parse(), lang()) {
        (Some((y, m, d, time)), Lang::En) if (1..=12).contains(&m) => format!("{d} {} {y}, {time} UTC", MONTHS[m - 1]),
        (Some((y, m, d, time)), Lang::Ko) => format!("{y}년 {m}월 {d}일 {time} UTC"),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.clone(), HeaderValue::from_str(v).unwrap())).collect()
    }

    #[test]
    fn the_switch_then_the_cookie_then_accept_language() {
        let ko = headers(&[(header::ACCEPT_LANGUAGE, "ko-KR,ko;q=0.9,en;q=0.8")]);
        assert_eq!(negotiate(None, &ko), (Lang::Ko, false));
        assert_eq!(negotiate(Some("lang=en"), &ko), (Lang::En, true));
        let remembered = headers(&[(header::COOKIE, "a=b; glassbox_lang=en"), (header::ACCEPT_LANGUAGE, "ko")]);
        assert_eq!(negotiate(Some("part=main"), &remembered), (Lang::En, false));
        assert_eq!(negotiate(None, &headers(&[(header::ACCEPT_LANGUAGE, "fr, en;q=0.5, ko;q=0.7")])).0, Lang::Ko);
        assert_eq!(negotiate(None, &headers(&[(header::ACCEPT_LANGUAGE, "fr")])).0, Lang::En);
        assert_eq!(negotiate(None, &headers(&[(header::ACCEPT_LANGUAGE, "ko;q=0, en")])).0, Lang::En);
        assert_eq!(negotiate(Some("lang=xx"), &HeaderMap::new()), (Lang::En, false));
    }

    #[test]
    fn commands_in_messages_are_code_and_the_rest_is_escaped() {
        let html = t_code("web-footer", &[("command", "glassbox <inspect>")]);
        assert!(html.starts_with("The same model as <code>glassbox &lt;inspect&gt;</code>."), "{html}");
    }

    #[test]
    fn numbers_and_dates_for_the_locale() {
        assert_eq!(number(&1234567), "1,234,567");
        assert_eq!(number(&999), "999");
        assert_eq!(date("2026-12-07T18:40:12Z"), "7 Dec 2026, 18:40:12 UTC");
        let ko = REQUEST_LANG.sync_scope(Lang::Ko, || date("2026-12-07T18:40:12Z"));
        assert_eq!(ko, "2026년 12월 7일 18:40:12 UTC");
        assert_eq!(date("garbage"), "garbage");
    }
}
