//! What every endpoint shares: errors as Docker sends them, bounded
//! bodies, the query, and the request each step records as its cause.
//!
//! dockerd answers an error with a status and `{"message": "..."}`; the
//! `docker` CLI prints `Error response from daemon: MESSAGE`, and the SDKs
//! raise it. glassbox's own error lines (exit code 2: bad input, 1: the
//! operation failed) become those messages unchanged, so the learner reads
//! the same sentence the CLI would have printed.

use crate::state::cause::Cause;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

/// A JSON body (a create request, an exec) larger than this is refused.
pub const JSON_LIMIT: usize = 1 << 20;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

pub type ApiResult<T = Response> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into() }
    }
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, message)
    }
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json(self.status, &serde_json::json!({ "message": self.message }))
    }
}

impl From<crate::state::StateError> for ApiError {
    fn from(e: crate::state::StateError) -> ApiError {
        let status = if e.is_usage() { StatusCode::BAD_REQUEST } else { StatusCode::INTERNAL_SERVER_ERROR };
        ApiError::new(status, e.to_string())
    }
}

impl From<crate::image::ImageError> for ApiError {
    fn from(e: crate::image::ImageError) -> ApiError {
        let status = if e.is_usage() { StatusCode::BAD_REQUEST } else { StatusCode::INTERNAL_SERVER_ERROR };
        ApiError::new(status, e.to_string())
    }
}

pub fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    let body = serde_json::to_vec(value).expect("API values serialise");
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

pub fn ok_json(value: &impl serde::Serialize) -> Response {
    json(StatusCode::OK, value)
}

pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The name or ID a path names (`/containers/{id}/json`), whether or not
/// the path began with a version (`/v1.47/...`, itself a path parameter).
pub struct Key(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Key {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Key, ApiError> {
        let axum::extract::Path(params) =
            axum::extract::Path::<HashMap<String, String>>::from_request_parts(parts, state)
                .await
                .map_err(|e| ApiError::bad(e.to_string()))?;
        params
            .into_iter()
            .find(|(k, _)| k != "version")
            .map(|(_, v)| Key(v))
            .ok_or_else(|| ApiError::bad("the path names nothing"))
    }
}

/// A request read whole: the query, the body (bounded), and the cause
/// that the steps it makes will record.
pub struct Call {
    pub query: HashMap<String, String>,
    pub body: Bytes,
    pub cause: Cause,
}

impl Call {
    pub async fn read(req: Request, limit: usize) -> ApiResult<Call> {
        let (parts, body) = req.into_parts();
        let path = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
        let body = axum::body::to_bytes(body, limit).await.map_err(|_| too_large(limit))?;
        let cause = Cause::new("docker API", parts.method.as_str(), &original_path(&parts, &path), &body);
        Ok(Call { query: query(parts.uri.query()), body, cause })
    }

    /// The body as JSON of type T; an empty body is T's default. Unknown
    /// fields are ignored, as dockerd ignores them.
    pub fn json<T: serde::de::DeserializeOwned + Default>(&self) -> ApiResult<T> {
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(T::default());
        }
        serde_json::from_slice(&self.body)
            .map_err(|e| ApiError::bad(format!("the request body is not what Docker sends here: {e}")))
    }

    pub fn flag(&self, key: &str) -> bool {
        flag(&self.query, key)
    }
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the request body is over {limit} bytes, more than this endpoint takes"),
    )
}

/// The path as the client sent it (a nested route sees it without the
/// `/v1.47` prefix; the history shows what was sent).
fn original_path(parts: &axum::http::request::Parts, fallback: &str) -> String {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .and_then(|u| u.0.path_and_query().map(|p| p.as_str().to_string()))
        .unwrap_or_else(|| fallback.to_string())
}

/// The query string as a map (the last value of a repeated key wins).
pub fn query(q: Option<&str>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for pair in q.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.insert(decode(k), decode(v));
    }
    out
}

/// Docker's booleans in a query: 1, true, True.
pub fn flag(q: &HashMap<String, String>, key: &str) -> bool {
    q.get(key).is_some_and(|v| matches!(v.as_str(), "1" | "true" | "True" | "TRUE"))
}

/// Percent-decoding, `+` as a space (form encoding, as Go's url.Values).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Refuses an API version newer than ours, as dockerd does; the client
/// then knows to ask /_ping and use ours.
pub async fn check_version(req: Request, next: axum::middleware::Next) -> Response {
    let path = req.uri().path();
    let prefix = path
        .strip_prefix("/v")
        .and_then(|r| r.split('/').next())
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()));
    if let Some(v) = prefix {
        match (version_number(v), version_number(super::API_VERSION), version_number(super::MIN_API_VERSION)) {
            (Some(asked), Some(max), _) if asked > max => {
                return ApiError::bad(format!(
                    "client version {v} is too new. Maximum supported API version is {}",
                    super::API_VERSION
                ))
                .into_response();
            }
            (Some(asked), _, Some(min)) if asked < min => {
                return ApiError::bad(format!(
                    "client version {v} is too old. Minimum supported API version is {}, please upgrade your client to a newer version",
                    super::MIN_API_VERSION
                ))
                .into_response();
            }
            (None, ..) => return ApiError::not_found(format!("page not found: {path}")).into_response(),
            _ => {}
        }
    }
    next.run(req).await
}

/// "1.47" as (1, 47).
fn version_number(v: &str) -> Option<(u32, u32)> {
    let (a, b) = v.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// A body of bytes with a content type (logs, a tar).
pub fn bytes(content_type: &'static str, body: Body) -> Response {
    let mut r = Response::new(body);
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_decoded_as_go_encodes_it() {
        let q = query(Some("name=web&filters=%7B%22status%22%3A%5B%22exited%22%5D%7D&all=1&x=a+b&bad=%zz"));
        assert_eq!(q["name"], "web");
        assert_eq!(q["filters"], r#"{"status":["exited"]}"#);
        assert!(flag(&q, "all") && !flag(&q, "name"));
        assert_eq!(q["x"], "a b");
        assert_eq!(q["bad"], "%zz");
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(version_number("1.9") < version_number("1.41"));
        assert!(version_number("1.50") > version_number(crate::daemon::API_VERSION));
        assert_eq!(version_number("x"), None);
    }
}
