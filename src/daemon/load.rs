//! `docker load`: the archive arrives as the request body; the daemon
//! writes it to a private file and runs `glassbox image import` on it,
//! once per image it holds, named after the image's tag in the archive.

use super::App;
use super::api::{ApiError, ApiResult, bytes};
use super::images::glassbox_name;
use crate::image::docker_archive::ManifestEntry;
use crate::state::cause::Cause;
use axum::body::Body;
use axum::extract::{Request, State};
use oci_spec::image::{Descriptor, ImageIndex};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The largest archive taken: glassbox's own import limit (4G expanded).
const LOAD_LIMIT: u64 = 4 << 30;

/// `POST /images/load`.
pub async fn load(State(app): State<App>, req: Request) -> ApiResult {
    let (parts, body) = req.into_parts();
    let folder = app.root.state.join("daemon");
    crate::state::private::make_private_dir(&folder)
        .map_err(|e| ApiError::internal(format!("{}: {e}", folder.display())))?;
    let file = folder.join(format!("load-{}-{}.tar", std::process::id(), super::clock::now()));
    let received = receive(body, &file).await;
    let result = match received {
        Ok(digest) => {
            let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/images/load");
            let mut cause = Cause::new("docker API", parts.method.as_str(), path, b"");
            cause.body = Some(digest);
            import_all(&app, &file, &cause).await
        }
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&file);
    let lines = result?;
    Ok(bytes("application/json", Body::from(lines)))
}

/// The body into the file, bounded; its digest, for the cause.
pub(super) async fn receive(body: Body, file: &Path) -> ApiResult<String> {
    use futures_util::StreamExt;
    use sha2::Digest;
    let mut out = std::fs::File::create(file).map_err(|e| ApiError::internal(format!("{}: {e}", file.display())))?;
    let mut hash = sha2::Sha256::new();
    let mut total = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad(format!("the archive did not arrive whole: {e}")))?;
        total += chunk.len() as u64;
        if total > LOAD_LIMIT {
            return Err(ApiError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the archive is over {LOAD_LIMIT} bytes; import it on the host with glassbox image import FILE --max-size SIZE"
                ),
            ));
        }
        hash.update(&chunk);
        out.write_all(&chunk).map_err(|e| ApiError::internal(format!("{}: {e}", file.display())))?;
    }
    Ok(format!("sha256:{}", hex::encode(hash.finalize())))
}

/// One `glassbox image import` per image of the archive; Docker's progress
/// lines (`Loaded image: busybox:latest`) for the client.
async fn import_all(app: &App, file: &Path, cause: &Cause) -> ApiResult<String> {
    let tags = tags(file);
    let mut lines = String::new();
    let count = tags.len().max(1);
    for (i, tag) in tags.iter().cloned().chain(std::iter::repeat(None)).take(count).enumerate() {
        let shown = tag.clone().unwrap_or_else(|| format!("loaded-{}", i + 1));
        let name = glassbox_name(&shown);
        let mut args = vec![
            "image".into(),
            "import".into(),
            file.display().to_string(),
            "--name".into(),
            name.clone(),
            "--force".into(),
        ];
        if count > 1 {
            args.extend(["--image".into(), (i + 1).to_string()]);
        }
        app.steps.run(&args, Some(cause), None).await?;
        app.events.image("load", &name, &name);
        let line = serde_json::json!({ "stream": format!("Loaded image: {shown} (glassbox image {name})\n") });
        lines.push_str(&format!("{line}\n"));
    }
    Ok(lines)
}

/// An OCI index entry's name as Docker shows it: containerd's annotation
/// (`docker.io/library/busybox:latest` shown as `busybox:latest`), else the
/// OCI reference name.
fn first_name(desc: &Descriptor) -> Option<String> {
    let a = desc.annotations().as_ref()?;
    let name = a.get("io.containerd.image.name").or(a.get("org.opencontainers.image.ref.name"))?;
    Some(name.trim_start_matches("docker.io/library/").to_string())
}

/// Each image's first tag, from `manifest.json` (docker save) or
/// `index.json` (an OCI layout); none where the archive names none.
fn tags(file: &Path) -> Vec<Option<String>> {
    let Ok(mut f) = std::fs::File::open(file) else { return vec![] };
    let mut magic = [0u8; 2];
    let gz = f.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    let Ok(f) = std::fs::File::open(file) else { return vec![] };
    let reader: Box<dyn Read> = if gz { Box::new(flate2::read::GzDecoder::new(f)) } else { Box::new(f) };
    let mut archive = tar::Archive::new(reader);
    let Ok(entries) = archive.entries() else { return vec![] };
    for mut entry in entries.flatten().take(100_000) {
        let path: PathBuf = entry.path().map(|p| p.into_owned()).unwrap_or_default();
        let which = path.to_str().map(|p| p.trim_start_matches("./").to_string()).unwrap_or_default();
        if which != "manifest.json" && which != "index.json" {
            continue;
        }
        let mut text = vec![];
        if entry.by_ref().take(1 << 20).read_to_end(&mut text).is_err() {
            return vec![];
        }
        return match which.as_str() {
            "manifest.json" => match serde_json::from_slice::<Vec<ManifestEntry>>(&text) {
                Ok(list) => list.iter().map(|m| m.tags().first().cloned()).collect(),
                Err(_) => vec![],
            },
            _ => match serde_json::from_slice::<ImageIndex>(&text) {
                Ok(index) => index.manifests().iter().map(first_name).collect(),
                Err(_) => vec![],
            },
        };
    }
    vec![]
}
