//! The routes: three pages, the JSON API, the event stream and the static
//! files. Read-only by construction: every route is GET (HEAD follows), so
//! nothing a web page sends can change a box.

use super::answers::{self, Answers};
use super::assets;
use super::guard::{self, AllowedHosts};
use super::live::{self, Live};
use super::pages::{self, BoxPage, Extras, LessonPage, OverviewPage};
use super::source::Source;
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

/// Requests carry no bodies here; anything bigger than this is refused unread.
const BODY_LIMIT: usize = 16 * 1024;

#[derive(Clone)]
pub struct App {
    pub source: Arc<dyn Source>,
    pub allowed: AllowedHosts,
    pub live: Arc<Live>,
    /// Last CPU reading per box, to turn the cgroup's running total into a rate.
    cpu: Arc<Mutex<HashMap<String, (Instant, u64)>>>,
    /// Looks at /proc and cgroupfs running at once: more requests wait
    /// instead of all scanning together and starving the machine.
    looks: Arc<tokio::sync::Semaphore>,
    pub answers: Arc<Answers>,
}

/// How many model looks may run at once (this machine class has 2 cores).
const PARALLEL_LOOKS: usize = 4;

impl App {
    pub fn new(source: Arc<dyn Source>, allowed: AllowedHosts, live: Arc<Live>) -> App {
        let answers = Answers::new(source.state_folder());
        let looks = Arc::new(tokio::sync::Semaphore::new(PARALLEL_LOOKS));
        App { source, allowed, live, cpu: Arc::default(), looks, answers }
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
    let kept = app.clone();
    // What the pages and the API say is kept while the world stays the same (answers.rs).
    let looks = Router::new()
        .route("/", get(overview))
        .route("/box/{name}", get(box_page))
        .route("/host", get(host_page))
        .route("/api/boxes", get(api_boxes))
        .route("/api/boxes/{name}", get(api_box))
        .route("/api/host", get(api_host))
        .route("/api/rollouts", get(api_rollouts))
        // Kept too: the key sees `lesson check` replace the progress (watch.rs).
        .route("/lesson", get(lesson_page))
        .route_layer(axum::middleware::from_fn_with_state(kept, answers::kept));
    Router::new()
        .merge(looks)
        .route("/events", get(events))
        .route("/static/{file}", get(static_file))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
        .layer(axum::middleware::from_fn(super::lang::choose))
        // Outermost, so it runs first on every path, the fallback included.
        .layer(axum::middleware::from_fn_with_state(allowed, guard::host_allowlist))
}

impl App {
    /// Model work reads /proc and cgroupfs: blocking, so off the async
    /// threads, and a few at a time.
    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, Response> {
        let internal = || (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        let _turn = self.looks.acquire().await.map_err(|_| internal())?;
        let lang = super::lang::lang();
        tokio::task::spawn_blocking(move || super::lang::within(lang, f)).await.map_err(|_| internal())
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
    let version = versions_text(&app.live);
    match app.blocking(move || (src.host_summary(), src.summaries(), src.rollouts())).await {
        Ok((host, boxes, rollouts)) => {
            let groups = pages::by_project(&boxes, &rollouts);
            let page = OverviewPage { part: q.part(), page: "overview", topic: String::new(), version, host, groups };
            html(StatusCode::OK, page)
        }
        Err(r) => r,
    }
}

/// Every box's version, as the overview was made from them.
fn versions_text(live: &Live) -> String {
    live.versions().iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join(" ")
}

async fn box_page(State(app): State<App>, Path(name): Path<String>, Query(q): Query<PageQuery>) -> Response {
    let src = app.source.clone();
    let n = name.clone();
    // The version first: a step landing meanwhile makes the page older, never newer, than it says.
    let version = app.live.version(&name).to_string();
    let found = app
        .blocking(move || {
            src.one(&n).map(|m| {
                // The pod's other boxes, read only when there is a pod.
                let pod = super::diagram::pod_of(&m)
                    .1
                    .iter()
                    .filter_map(|o| src.one(o))
                    .map(|o| super::diagram::PodBox::of(&o))
                    .collect();
                (src.files(&n), src.log_tail(&n), src.lesson(), pod, m)
            })
        })
        .await;
    let found = match found {
        Ok(f) => f,
        Err(r) => return r,
    };
    let status = if found.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    let b = found.map(|(files, log, lesson, pod, m)| {
        // The watcher's last sample when a page is open (a steady 1 s
        // interval), else the change since this route last looked.
        let sampled = app.live.usage.last(&m.name).and_then(|s| s.cpu);
        let cpu_rate =
            sampled.or_else(|| m.cgroup.as_ref().and_then(|c| app.cpu_rate(&m.name, c.usage.cpu_usage_usec)));
        pages::box_view(m, Extras { cpu_rate, files, log, live: &app.live, lesson, pod })
    });
    // The name is shown as the removed box's heading: only a valid one.
    let topic = if crate::state::names::validate("box", &name).is_ok() { name } else { "(not a box name)".into() };
    html(status, BoxPage { part: q.part(), page: "box", topic, version, b })
}

async fn host_page(State(app): State<App>, Query(q): Query<PageQuery>) -> Response {
    let src = app.source.clone();
    match app.blocking(move || src.host_page()).await {
        Ok(host) => html(StatusCode::OK, pages::host_page(host, q.part())),
        Err(r) => r,
    }
}

async fn lesson_page(State(app): State<App>, Query(q): Query<PageQuery>) -> Response {
    let src = app.source.clone();
    match app.blocking(move || src.lesson()).await {
        Ok(lesson) => {
            let page =
                LessonPage { part: q.part(), page: "lesson", topic: String::new(), version: String::new(), lesson };
            html(StatusCode::OK, page)
        }
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

/// The compose services' rolling updates: phase, and each replica's image and state.
async fn api_rollouts(State(app): State<App>) -> Response {
    let src = app.source.clone();
    match app.blocking(move || serde_json::to_string_pretty(&src.rollouts())).await {
        Ok(Ok(body)) => json(StatusCode::OK, body),
        Ok(Err(e)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(r) => r,
    }
}

async fn api_host(State(app): State<App>) -> Response {
    let src = app.source.clone();
    match app.blocking(move || serde_json::to_string_pretty(&src.host_page())).await {
        Ok(Ok(body)) => json(StatusCode::OK, body),
        Ok(Err(e)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct EventsQuery {
    /// The box the listening page shows: its usage is read and sent.
    #[serde(rename = "box")]
    box_name: Option<String>,
}

/// The live stream. Cross-origin pages may not listen: a browser sends
/// `Origin` on a cross-origin EventSource, and it must be one of ours.
async fn events(State(app): State<App>, headers: HeaderMap, Query(q): Query<EventsQuery>) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN) {
        if !origin.to_str().is_ok_and(|o| app.allowed.allows_origin(o)) {
            return (StatusCode::FORBIDDEN, "cross-origin listeners are refused\n").into_response();
        }
    }
    let viewing = q.box_name.filter(|n| crate::state::names::validate("box", n).is_ok());
    live::stream(&app.live, viewing)
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
