//! `docker save`: the step `glassbox image export NAME -o FILE` writes the
//! image as `docker save` would (manifest.json, config, one tar per layer)
//! into a private file, which is sent as the response and removed.

use super::App;
use super::api::{ApiError, ApiResult, Call, JSON_LIMIT, bytes};
use super::images::resolve;
use axum::body::Bytes;
use axum::extract::Request;
use std::io::Read;

/// `GET /images/{name}/get` (`name` given) and `GET /images/get?names=…`.
pub async fn save(app: &App, name: Option<String>, req: Request) -> ApiResult {
    let raw_query = req.uri().query().unwrap_or("").to_string();
    let call = Call::read(req, JSON_LIMIT).await?;
    let names = raw_query.split('&').filter(|p| p.starts_with("names=")).count();
    if names > 1 {
        return Err(ApiError::bad(
            "glassbox saves one image per archive: run docker save once for each image (docker save -o a.tar a)",
        ));
    }
    let reference = name
        .or_else(|| call.query.get("names").cloned())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::bad("name the image to save: docker save -o FILE IMAGE"))?;
    let image = resolve(&app.root, &reference)?;
    let folder = app.root.state.join("daemon");
    crate::state::private::make_private_dir(&folder)
        .map_err(|e| ApiError::internal(format!("{}: {e}", folder.display())))?;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let file = folder.join(format!("save-{}-{nanos}.tar", std::process::id()));
    crate::output::say!("{}", call.cause.line());
    let mut args = ["image", "export", &image, "-o", &file.display().to_string()].map(String::from).to_vec();
    // Named in the archive as the client named it (not by an ID), so `docker load` lists it so.
    if super::images::glassbox_name(&reference) == image {
        args.extend(["--tag".into(), super::images::tagged(&reference)]);
    }
    let opened =
        app.steps.run(&args, Some(&call.cause), None).await.and_then(|_| {
            std::fs::File::open(&file).map_err(|e| ApiError::internal(format!("{}: {e}", file.display())))
        });
    // Open, the file needs no name: nothing is left behind if the client goes.
    let _ = std::fs::remove_file(&file);
    let mut archive = opened?;
    let (tx, body) = super::streams::channel_body();
    tokio::task::spawn_blocking(move || {
        let mut piece = vec![0u8; 256 << 10];
        while let Ok(n) = archive.read(&mut piece) {
            if n == 0 || tx.blocking_send(Bytes::copy_from_slice(&piece[..n])).is_err() {
                break;
            }
        }
    });
    Ok(bytes("application/x-tar", body))
}
