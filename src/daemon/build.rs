//! `docker build` with the classic builder (`POST /build`, what
//! `DOCKER_BUILDKIT=0 docker build` and the SDKs' `images.build` send): the
//! context arrives as a tar, is unpacked into a private folder, and
//! `glassbox build` runs on it. Its lines go to the client as they come, in
//! the classic builder's JSON (`{"stream": …}`), then the image's ID
//! (`{"aux": {"ID": …}}`) or the error (`{"errorDetail": …}`), which the
//! docker CLI prints and the SDKs raise.

use super::App;
use super::api::{ApiError, ApiResult, bytes, query};
use super::images::{glassbox_name, image_id};
use crate::state::cause::Cause;
use axum::body::Bytes;
use axum::extract::{Request, State};
use serde_json::json;
use std::io::Read;
use std::path::{Component, Path};
use std::process::Stdio;
use tokio::io::AsyncBufReadExt;
use tokio::sync::mpsc::Sender;

/// `POST /build?t=NAME:TAG&dockerfile=PATH&buildargs={…}&nocache=1`.
pub async fn build(State(app): State<App>, req: Request) -> ApiResult {
    let (parts, body) = req.into_parts();
    let q = query(parts.uri.query());
    let dockerfile = q.get("dockerfile").cloned().filter(|d| !d.is_empty()).unwrap_or_else(|| "Dockerfile".into());
    if Path::new(&dockerfile).components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err(ApiError::bad(format!("-f {dockerfile}: give the Dockerfile's path inside the context")));
    }
    let build_args: std::collections::BTreeMap<String, Option<String>> = match q.get("buildargs") {
        Some(a) if !a.is_empty() => {
            serde_json::from_str(a).map_err(|e| ApiError::bad(format!("--build-arg: not what Docker sends: {e}")))?
        }
        _ => Default::default(),
    };
    if q.get("remote").is_some_and(|r| !r.is_empty()) {
        return Err(ApiError::bad(super::images::OFFLINE));
    }
    let folder = app.root.state.join("daemon");
    crate::state::private::make_private_dir(&folder)
        .map_err(|e| ApiError::internal(format!("{}: {e}", folder.display())))?;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let work = folder.join(format!("build-{}-{nanos}", std::process::id()));
    let (tar, context) = (work.with_extension("tar"), work.join("context"));
    let unpacked = unpack(body, &tar, &context).await;
    let _ = std::fs::remove_file(&tar);
    let digest = match unpacked {
        Ok(d) => d,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&work);
            return Err(e);
        }
    };
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/build");
    let mut cause = Cause::new("docker API", parts.method.as_str(), path, b"");
    cause.body = Some(digest.clone());
    let tag = q.get("t").cloned().filter(|t| !t.is_empty());
    // An untagged build still needs a glassbox name: the context's digest.
    let name = tag.as_deref().map(glassbox_name).unwrap_or_else(|| format!("built-{}", &digest[7..19]));
    crate::state::names::validate("image", &name).map_err(|e| ApiError::bad(format!("-t: {e}")))?;
    let mut args = vec!["build".to_string(), "-t".into(), name.clone(), "-f".into()];
    args.push(context.join(&dockerfile).display().to_string());
    for (k, v) in &build_args {
        args.extend(["--build-arg".into(), format!("{k}={}", v.clone().unwrap_or_default())]);
    }
    if super::api::flag(&q, "nocache") {
        args.push("--no-cache".into());
    }
    args.push(context.display().to_string());
    crate::output::say!("{}", cause.line());
    crate::output::say!("  {} glassbox {}", crate::i18n::tr!("daemon-step"), super::steps::shown(&args));
    let (tx, body) = super::streams::channel_body();
    tokio::spawn(async move {
        run(&app, &args, &cause, &name, tag.as_deref(), &tx).await;
        let _ = std::fs::remove_dir_all(&work);
    });
    Ok(bytes("application/json", body))
}

/// The body (a tar, or a gzipped one) into `tar`, then unpacked into
/// `context`; the body's digest, for the cause.
async fn unpack(body: axum::body::Body, tar: &Path, context: &Path) -> ApiResult<String> {
    let digest = super::load::receive(body, tar).await?;
    let (tar, context) = (tar.to_path_buf(), context.to_path_buf());
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&context)?;
        let mut f = std::fs::File::open(&tar)?;
        let mut magic = [0u8; 2];
        let gz = f.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
        let f = std::fs::File::open(&tar)?;
        let reader: Box<dyn Read> = if gz { Box::new(flate2::read::GzDecoder::new(f)) } else { Box::new(f) };
        let mut archive = tar::Archive::new(reader);
        // Never the tar's owners or device nodes: the context is files to copy.
        archive.set_preserve_ownerships(false);
        archive.set_preserve_permissions(true);
        archive.unpack(&context)
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
    .map_err(|e| ApiError::bad(format!("the build context is not a tar archive glassbox can unpack: {e}")))?;
    Ok(digest)
}

fn line(value: serde_json::Value) -> Bytes {
    Bytes::from(format!("{value}\n"))
}

/// `glassbox build`, its output as `{"stream": …}` lines, then the end.
async fn run(app: &App, args: &[String], cause: &Cause, name: &str, tag: Option<&str>, tx: &Sender<Bytes>) {
    let mut cmd = app.steps.command(args, Some(cause), None);
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = match tokio::process::Command::from(cmd).spawn() {
        Ok(c) => c,
        Err(e) => return fail(tx, &format!("cannot start glassbox build: {e}")).await,
    };
    let (out, err) = (child.stdout.take().expect("piped"), child.stderr.take().expect("piped"));
    let error = tokio::spawn(async move {
        let mut lines = tokio::io::BufReader::new(err).lines();
        let mut last = None;
        while let Ok(Some(l)) = lines.next_line().await {
            crate::output::say_err!("  {l}");
            last = Some(l.trim_start_matches("glassbox: ").to_string());
        }
        last
    });
    let mut lines = tokio::io::BufReader::new(out).lines();
    while let Ok(Some(l)) = lines.next_line().await {
        // A client that went away stops nothing: the build finishes and is kept.
        let _ = tx.send(line(json!({ "stream": format!("{l}\n") }))).await;
    }
    let status = child.wait().await;
    let last = error.await.ok().flatten();
    if !status.is_ok_and(|s| s.success()) {
        return fail(tx, &last.unwrap_or_else(|| "glassbox build failed".into())).await;
    }
    let Ok(image) = crate::image::Store::at(&app.root).image(name) else {
        return fail(tx, &format!("glassbox build ended but image {name} is not there")).await;
    };
    let id = image_id(&image);
    app.events.image("build", &id, name);
    let _ = tx.send(line(json!({ "aux": { "ID": id } }))).await;
    let _ = tx.send(line(json!({ "stream": format!("Successfully built {}\n", &id[7..19]) }))).await;
    if let Some(t) = tag {
        let shown =
            if t.rsplit('/').next().is_some_and(|l| l.contains(':')) { t.to_string() } else { format!("{t}:latest") };
        let _ =
            tx.send(line(json!({ "stream": format!("Successfully tagged {shown} (glassbox image {name})\n") }))).await;
    }
}

async fn fail(tx: &Sender<Bytes>, message: &str) {
    let _ = tx.send(line(json!({ "errorDetail": { "message": message }, "error": message }))).await;
}
