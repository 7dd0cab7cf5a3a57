//! What every request passes before it reaches a route.
//!
//! The page shows what runs on this machine, so a web page elsewhere must
//! not be able to read it through the learner's browser. A DNS-rebinding
//! attack makes `evil.example` resolve to 127.0.0.1: the browser then sends
//! `Host: evil.example:7878` to our loopback port. Hence the exact Host
//! allowlist, checked before routing on every path, static files and the
//! live stream included; and forwarded headers are refused outright, because
//! nothing legitimate stands between a learner's browser and a loopback
//! server (a proxy that adds them is exactly what the allowlist must not trust).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The `Host` values this server answers to: the loopback names with the served port.
#[derive(Debug, Clone)]
pub struct AllowedHosts(Arc<Vec<String>>);

impl AllowedHosts {
    pub fn new(port: u16, extra: &[String]) -> AllowedHosts {
        let mut v = vec![format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")];
        v.extend(
            extra.iter().map(|h| if h.contains(':') && !h.ends_with(']') { h.clone() } else { format!("{h}:{port}") }),
        );
        AllowedHosts(Arc::new(v))
    }
    pub fn allows(&self, host: &str) -> bool {
        self.0.iter().any(|h| h.eq_ignore_ascii_case(host))
    }
    /// True when `origin` is `http://` plus an allowed host.
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin.strip_prefix("http://").is_some_and(|h| self.allows(h))
    }
}

const FORWARDED: [&str; 6] =
    ["forwarded", "x-forwarded-host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-port", "x-real-ip"];

fn refuse(status: StatusCode, why: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], why).into_response()
}

/// Why a request's headers are refused, or None when they may pass.
pub fn check_headers(
    allowed: &AllowedHosts,
    method: &Method,
    headers: &HeaderMap,
    uri_authority: Option<&str>,
) -> Option<Response> {
    if FORWARDED.iter().any(|h| headers.contains_key(*h)) {
        return Some(refuse(
            StatusCode::FORBIDDEN,
            "forwarded headers are refused: glassbox serve is for loopback only\n",
        ));
    }
    // Browsers say where a request comes from: a page of another site (an
    // <img> or <script> pointing here, which sends no Origin) is refused;
    // our own pages say same-origin, an address typed in says none. A link
    // followed from elsewhere (a lesson's README, the book) opens the page in
    // the tab itself, where the other site can read nothing of it: it passes.
    if let Some(site) = headers.get("sec-fetch-site") {
        let followed_link = headers.get("sec-fetch-mode").is_some_and(|m| m == "navigate")
            && headers.get("sec-fetch-dest").is_some_and(|d| d == "document")
            && (method == Method::GET || method == Method::HEAD);
        if !matches!(site.to_str(), Ok("same-origin") | Ok("none")) && !followed_link {
            return Some(refuse(StatusCode::FORBIDDEN, "requests from other sites are refused\n"));
        }
    }
    let hosts: Vec<&HeaderValue> = headers.get_all(header::HOST).iter().collect();
    let host = match hosts.as_slice() {
        [one] => one.to_str().ok(),
        _ => None,
    };
    let Some(host) = host.filter(|h| allowed.allows(h)) else {
        return Some(refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "unknown Host: open the address `glassbox serve` printed (http://127.0.0.1:PORT/)\n",
        ));
    };
    // An absolute-form request line names its own authority; it must agree.
    if uri_authority.is_some_and(|a| !a.eq_ignore_ascii_case(host)) {
        return Some(refuse(StatusCode::MISDIRECTED_REQUEST, "the request line and the Host header disagree\n"));
    }
    None
}

pub async fn host_allowlist(State(allowed): State<AllowedHosts>, req: Request, next: Next) -> Response {
    let authority = req.uri().authority().map(|a| a.as_str());
    if let Some(refusal) = check_headers(&allowed, req.method(), req.headers(), authority) {
        return with_security_headers(refusal);
    }
    with_security_headers(next.run(req).await)
}

/// Headers on every response: no script but our own file, no sniffing a
/// box's text into HTML, no framing, no referrer leaking box names.
pub fn with_security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_exact_loopback_names_with_the_port_pass() {
        let a = AllowedHosts::new(7878, &[]);
        for ok in ["127.0.0.1:7878", "localhost:7878", "[::1]:7878", "LOCALHOST:7878"] {
            assert!(check_headers(&a, &Method::GET, &headers(&[("host", ok)]), None).is_none(), "{ok}");
        }
        for bad in
            ["evil.example:7878", "127.0.0.1", "127.0.0.1:7879", "0.0.0.0:7878", "127.0.0.2:7878", "localhost", ""]
        {
            assert!(check_headers(&a, &Method::GET, &headers(&[("host", bad)]), None).is_some(), "{bad}");
        }
        assert!(check_headers(&a, &Method::GET, &headers(&[]), None).is_some(), "missing Host");
        let two = headers(&[("host", "127.0.0.1:7878"), ("host", "evil.example:7878")]);
        assert!(check_headers(&a, &Method::GET, &two, None).is_some(), "two Host headers");
    }

    #[test]
    fn forwarded_headers_are_refused_even_with_a_good_host() {
        let a = AllowedHosts::new(7878, &[]);
        for f in ["X-Forwarded-Host", "Forwarded", "X-Forwarded-For"] {
            let h = headers(&[("host", "127.0.0.1:7878"), (f, "127.0.0.1:7878")]);
            let r = check_headers(&a, &Method::GET, &h, None).expect(f);
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
        }
    }

    #[test]
    fn requests_from_other_sites_are_refused() {
        let a = AllowedHosts::new(7878, &[]);
        for site in ["cross-site", "same-site", "bogus"] {
            let h = headers(&[("host", "127.0.0.1:7878"), ("sec-fetch-site", site)]);
            assert_eq!(check_headers(&a, &Method::GET, &h, None).expect(site).status(), StatusCode::FORBIDDEN);
        }
        for site in ["same-origin", "none"] {
            let h = headers(&[("host", "127.0.0.1:7878"), ("sec-fetch-site", site)]);
            assert!(check_headers(&a, &Method::GET, &h, None).is_none(), "{site}");
        }
    }

    #[test]
    fn a_link_followed_from_another_site_opens_the_page() {
        let a = AllowedHosts::new(7878, &[]);
        let link = [
            ("host", "127.0.0.1:7878"),
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "navigate"),
            ("sec-fetch-dest", "document"),
        ];
        assert!(check_headers(&a, &Method::GET, &headers(&link), None).is_none(), "a followed link");
        assert!(check_headers(&a, &Method::POST, &headers(&link), None).is_some(), "a form posted from elsewhere");
        let mut framed = link;
        framed[3] = ("sec-fetch-dest", "iframe");
        assert!(check_headers(&a, &Method::GET, &headers(&framed), None).is_some(), "a frame of another site");
        let mut fetched = link;
        fetched[2] = ("sec-fetch-mode", "cors");
        assert!(check_headers(&a, &Method::GET, &headers(&fetched), None).is_some(), "a script's fetch");
        let mut rebound = link;
        rebound[0] = ("host", "evil.example:7878");
        assert!(check_headers(&a, &Method::GET, &headers(&rebound), None).is_some(), "the Host check still holds");
    }

    #[test]
    fn origin_must_be_http_and_an_allowed_host() {
        let a = AllowedHosts::new(7878, &[]);
        assert!(a.allows_origin("http://127.0.0.1:7878"));
        assert!(!a.allows_origin("https://127.0.0.1:7878"));
        assert!(!a.allows_origin("http://evil.example:7878"));
        assert!(!a.allows_origin("null"));
    }
}
