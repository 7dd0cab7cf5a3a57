//! The page in the reader's language, through the whole router.

use super::tests::{HOST, send};
use axum::body::Body;
use axum::http::{Request, header};

async fn page(path: &str, headers: &[(header::HeaderName, &str)]) -> (axum::http::HeaderMap, String) {
    let mut req = Request::get(path).header(header::HOST, HOST);
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    let (_, h, body) = send(req.body(Body::empty()).unwrap()).await;
    (h, body)
}

#[tokio::test]
async fn accept_language_ko_gets_the_korean_page() {
    let (h, body) = page("/", &[(header::ACCEPT_LANGUAGE, "ko-KR,ko;q=0.9,en;q=0.8")]).await;
    assert!(body.contains("<html lang=\"ko\">"), "{body}");
    assert_eq!(h[header::CONTENT_LANGUAGE], "ko");
    assert!(body.contains("<h1>박스</h1>") && body.contains(">호스트 네임스페이스</a>"));
    assert!(body.contains("<th scope=\"col\">자기 네임스페이스</th>"));
    assert!(body.contains("<code>glassbox inspect --json</code>와(과) 같은 모델입니다"));
    assert!(body.contains("href=\"?lang=en\""), "the switch leads to English");
    let (_, body) = page("/box/demo", &[(header::ACCEPT_LANGUAGE, "ko")]).await;
    assert!(body.contains("<h2>네임스페이스 그림</h2>") && body.contains("title=\"1970년 1월 1일 00:00:00 UTC\""));
}

#[tokio::test]
async fn without_a_preference_the_page_is_english() {
    let (h, body) = page("/host", &[]).await;
    assert!(body.contains("<html lang=\"en\">") && body.contains("<h1>Every namespace on this machine</h1>"));
    assert_eq!(h[header::CONTENT_LANGUAGE], "en");
    assert!(body.contains("href=\"?lang=ko\"") && body.contains(">한국어</a>"));
}

#[tokio::test]
async fn the_switch_is_remembered_over_accept_language() {
    let (h, body) = page("/?lang=en", &[(header::ACCEPT_LANGUAGE, "ko")]).await;
    assert!(body.contains("<html lang=\"en\">"));
    let cookie = h[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("glassbox_lang=en;") && cookie.contains("Path=/"), "{cookie}");
    let (_, body) = page("/", &[(header::ACCEPT_LANGUAGE, "ko"), (header::COOKIE, "glassbox_lang=en")]).await;
    assert!(body.contains("<html lang=\"en\">"), "the cookie wins over the browser's header");
}
