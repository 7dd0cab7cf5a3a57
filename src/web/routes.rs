//! The routes: three pages, the JSON API, the event stream and the static
//! files. Read-only by construction: every route is GET (HEAD follows), so
//! nothing a web page sends can change a box.

use super::guard::{self, AllowedHosts};
use super::live::{self, Change};
use super::pages::{self, BoxPage, OverviewPage};
use super::source::Source;
use super::{assets, views};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::broadcast;

/// Requests carry no bodies here; anything bigger than this is refused unread.
const BODY_LIMIT: usize = 16 * 1024;

#[derive(Clone)]
pub struct App {
    pub source: Arc<dyn Source>,
    pub allowed: AllowedHosts,
    pub live: broadcast::Sender<Change>,
    /// Last CPU reading per box, to turn the cgroup's running total into a rate.
    cpu: Arc<Mutex<HashMap<String, (Instant, u64)>>>,
    /// Looks at /proc and cgroupfs running at once: more requests wait
    /// instead of all scanning together and starving the machine.
    looks: Arc<tokio::sync::Semaphore>,
}

/// How many model looks may run at once (this machine class has 2 cores).
const PARALLEL_LOOKS: usize = 4;

impl App {
    pub fn new(source: Arc<dyn Source>, allowed: AllowedHosts, live: broadcast::Sender<Change>) -> App {
        App { source, allowed, live, cpu: Arc::default(), looks: Arc::new(tokio::sync::Semaphore::new(PARALLEL_LOOKS)) }
    }

    fn cpu_rate(&self, name: &str, usage_usec: Option<u64>) -> Option<f64> {
        let now = Instant::now();
        let mut seen = self.cpu.lock().unwrap_or_else(|e| e.into_inner());
        let usage = usage_usec?;
        let rate = seen.get(name).and_then(|(then, before)| {
            let secs = now.duration_since(*then).as_secs_f64();
            (secs > 0.05 && usage >= *before).then(|| (usage - before) as f64 / 1e6 / secs)
        });
        seen.insert(name.to_string(), (now, usage));
        rate
    }
}

#[derive(Deserialize)]
struct PageQuery {
    part: Option<String>,
}

impl PageQuery {
    fn part(&self) -> bool {
        self.part.as_deref() == Some("main")
    }
}

pub fn router(app: App) -> Router {
    let allowed = app.allowed.clone();
    Router::new()
        .route("/", get(overview))
        .route("/box/{name}", get(box_page))
        .route("/host", get(host_page))
        .route("/api/boxes", get(api_boxes))
        .route("/api/boxes/{name}", get(api_box))
        .route("/api/host", get(api_host))
        .route("/events", get(events))
        .route("/static/{file}", get(static_file))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
        // Outermost, so it runs first on every path, the fallback included.
        .layer(axum::middleware::from_fn_with_state(allowed, guard::host_allowlist))
}

impl App {
    /// Model work reads /proc and cgroupfs: blocking, so off the async
    /// threads, and a few at a time.
    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, Response> {
        let internal = || (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        let _turn = self.looks.acquire().await.map_err(|_| internal())?;
        tokio::task::spawn_blocking(f).await.map_err(|_| internal())
    }
}

fn html(status: StatusCode, page: impl Template) -> Response {
    match page.render() {
        Ok(body) => (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("template error: {e}")).into_response(),
    }
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn json_error(status: StatusCode, message: &str) -> Response {
    json(status, serde_json::json!({ "error": message }).to_string())
}

async fn overview(State(app): State<App>, Query(q): Query<PageQuery>) -> Response {
    let src = app.source.clone();
    match app.blocking(move || (src.host_summary(), src.boxes())).await {
        Ok((host, boxes)) => {
            let rows = boxes.iter().map(views::box_row).collect();
            html(StatusCode::OK, OverviewPage { part: q.part(), page: "overview", topic: String::new(), host, rows })
        }
        Err(r) => r,
    }
}

async fn box_page(State(app): State<App>, Path(name): Path<String>, Query(q): Query<PageQuery>) -> Response {
    let src = app.source.clone();
    let n = name.clone();
    let model = match app.blocking(move || src.one(&n)).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let status = if model.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    let b = model.map(|m| {
        let rate = m.cgroup.as_ref().and_then(|c| app.cpu_rate(&m.name, c.usage.cpu_usage_usec));
        pages::box_view(m, rate)
    });
    // The name is shown as the removed box's heading: only a valid one.
    let topic = if crate::state::names::validate("box", &name).is_ok() { name } else { "(not a box name)".into() };
    html(status, BoxPage { part: q.part(), page: "box", topic, b })
}

async fn host_page(State(app): State<App>, Query(q): Query<PageQuery>) -> Response {
    let src = app.source.clone();
    match app.blocking(move || src.host(&src.boxes())).await {
        Ok(host) => html(StatusCode::OK, pages::host_page(host, q.part())),
        Err(r) => r,
    }
}

async fn api_boxes(State(app): State<App>) -> Response {
    let src = app.source.clone();
    match app.blocking(move || serde_json::to_string_pretty(&src.boxes())).await {
        Ok(Ok(body)) => json(StatusCode::OK, body),
        Ok(Err(e)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(r) => r,
    }
}

async fn api_box(State(app): State<App>, Path(name): Path<String>) -> Response {
    let src = app.source.clone();
    let n = name.clone();
    match app.blocking(move || src.one(&n).map(|m| serde_json::to_string_pretty(&m))).await {
        Ok(Some(Ok(body))) => json(StatusCode::OK, body),
        Ok(Some(Err(e))) => json_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Ok(None) => json_error(StatusCode::NOT_FOUND, "no such box (removed, or not made yet): see /api/boxes"),
        Err(r) => r,
    }
}

async fn api_host(State(app): State<App>) -> Response {
    let src = app.source.clone();
    match app.blocking(move || serde_json::to_string_pretty(&src.host(&src.boxes()))).await {
        Ok(Ok(body)) => json(StatusCode::OK, body),
        Ok(Err(e)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(r) => r,
    }
}

/// The live stream. Cross-origin pages may not listen: a browser sends
/// `Origin` on a cross-origin EventSource, and it must be one of ours.
async fn events(State(app): State<App>, headers: HeaderMap) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN) {
        if !origin.to_str().is_ok_and(|o| app.allowed.allows_origin(o)) {
            return (StatusCode::FORBIDDEN, "cross-origin listeners are refused\n").into_response();
        }
    }
    live::stream(app.live.subscribe())
}

async fn static_file(Path(file): Path<String>) -> Response {
    match assets::find(&file) {
        Some(a) => {
            ([(header::CONTENT_TYPE, a.content_type), (header::CACHE_CONTROL, "no-cache")], a.body).into_response()
        }
        None => not_found().await,
    }
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found: try / or /api/boxes\n")
        .into_response()
}
