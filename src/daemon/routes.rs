//! The URL table: every endpoint served, with and without the version
//! prefix (`/v1.47/containers/json` and `/containers/json`), and a 404 that
//! says which request glassbox does not serve.

use super::api::{ApiError, check_version};
use super::containers::{lifecycle, monitor, ops, start, view};
use super::{App, exec, images, resources, streams, system};
use axum::Router;
use axum::extract::Request;
use axum::response::IntoResponse;
use axum::routing::{any, delete, get, head, post};

pub fn router(app: App) -> Router {
    let api = api();
    Router::new()
        .merge(api.clone())
        .nest("/{version}", api)
        .fallback(unserved)
        .layer(axum::middleware::from_fn(check_version))
        .with_state(app)
}

fn api() -> Router<App> {
    Router::new()
        .route("/_ping", get(system::ping).merge(head(system::ping)))
        .route("/version", get(system::version))
        .route("/info", get(system::info))
        .route("/events", get(system::events))
        .route("/containers/json", get(view::list))
        .route("/containers/create", post(lifecycle::create))
        .route("/containers/{id}/json", get(view::inspect))
        .route("/containers/{id}/start", post(start::start))
        .route("/containers/{id}/stop", post(lifecycle::stop))
        .route("/containers/{id}/restart", post(lifecycle::restart))
        .route("/containers/{id}/kill", post(lifecycle::kill))
        .route("/containers/{id}/wait", post(monitor::wait))
        .route("/containers/{id}", delete(lifecycle::remove))
        .route("/containers/{id}/logs", get(streams::logs))
        .route("/containers/{id}/attach", post(streams::attach))
        .route("/containers/{id}/resize", post(ops::resize))
        .route("/containers/{id}/top", get(ops::top))
        .route("/containers/{id}/stats", get(ops::stats))
        .route("/containers/{id}/changes", get(ops::changes))
        .route("/containers/{id}/exec", post(exec::create))
        .route("/containers/{id}/pause", post(ops::refused))
        .route("/containers/{id}/unpause", post(ops::refused))
        .route("/containers/{id}/rename", post(ops::refused))
        .route("/containers/{id}/update", post(ops::refused))
        .route("/containers/{id}/export", get(ops::refused))
        .route("/containers/{id}/archive", any(ops::refused))
        .route("/exec/{id}/start", post(exec::start))
        .route("/exec/{id}/resize", post(exec::resize))
        .route("/exec/{id}/json", get(exec::inspect))
        .route("/commit", post(images::commit))
        .route("/images/json", get(images::list))
        .route("/images/create", post(images::pull))
        .route("/images/search", get(images::pull))
        .route("/images/load", post(images::load))
        .route("/images/get", get(images::save))
        .route("/images/{*rest}", any(images::by_name))
        .route("/build", post(images::build))
        .route("/volumes", get(resources::list))
        .route("/volumes/create", post(resources::create))
        .route("/volumes/{name}", get(resources::inspect).delete(resources::remove))
        .route("/networks", get(resources::networks))
        .route("/networks/create", post(resources::network_refused))
        .route("/networks/{id}", get(resources::network).delete(resources::network_refused))
        .route(
            "/auth",
            post(|| async { ApiError::bad("glassbox talks to no registry, so it keeps no registry logins") }),
        )
}

/// Anything else: what was asked, and that glassbox does not serve it.
async fn unserved(req: Request) -> axum::response::Response {
    ApiError::not_found(format!(
        "page not found: glassbox does not serve {} {} (see `glassbox daemon --help` for the endpoints it serves)",
        req.method(),
        req.uri().path()
    ))
    .into_response()
}
