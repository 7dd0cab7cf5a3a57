//! Images: glassbox's image store as Docker lists it. Reading is done
//! here; changing the store is `glassbox image import` (`docker load`),
//! `image rm` (`docker rmi`) and `commit`. glassbox is offline: a pull or
//! a push is answered with where images come from instead.
//!
//! A Docker reference (`busybox`, `busybox:latest`, `org/app:v2`) names a
//! glassbox image by one rule, [`glassbox_name`]: `busybox` for the tag
//! latest, `org_app-v2` otherwise. An image's ID is the digest of its layer
//! list, so two names of one image (`docker tag`) share it.

use super::App;
use super::api::{ApiError, ApiResult, Call, JSON_LIMIT, Key, json, ok_json};
use super::clock;
use crate::image::{ImageRecord, Store};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

/// Where images come from when there is no registry.
pub const OFFLINE: &str = "glassbox is offline and pulls or pushes no images: load one with `docker load -i FILE.tar` (an archive `docker save` wrote), or on the host `glassbox image import FILE.tar --name NAME` (or `glassbox image busybox`)";

/// The glassbox image a Docker reference names.
pub fn glassbox_name(reference: &str) -> String {
    let r = reference.trim_start_matches("docker.io/").trim_start_matches("library/");
    let r = r.split('@').next().unwrap_or(r);
    let (repo, tag) = match r.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, tag),
        _ => (r, "latest"),
    };
    let repo = repo.replace('/', "_");
    if tag == "latest" { repo } else { format!("{repo}-{tag}") }
}

/// The reference with its tag, as Docker says it: `busybox:latest`.
pub fn tagged(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    if last.contains(':') { reference.to_string() } else { format!("{reference}:latest") }
}

/// The image an ID (or its prefix, with or without `sha256:`) or a reference names.
pub fn resolve(root: &crate::state::Root, reference: &str) -> ApiResult<String> {
    let store = Store::at(root);
    let name = glassbox_name(reference);
    if crate::state::names::validate("image", &name).is_ok() && store.image(&name).is_ok() {
        return Ok(name);
    }
    let hex = reference.trim_start_matches("sha256:");
    if hex.len() >= 4 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        if let Some(i) = store.images().into_iter().find(|i| image_id(i).trim_start_matches("sha256:").starts_with(hex))
        {
            return Ok(i.name);
        }
    }
    Err(ApiError::not_found(format!("No such image: {}", tagged(reference))))
}

pub fn image_id(image: &ImageRecord) -> String {
    use sha2::Digest;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(image.layers.join("\n"))))
}

fn size(store: &Store, image: &ImageRecord) -> u64 {
    image.layers.iter().filter_map(|d| store.layer(d).ok()).map(|l| l.bytes).sum()
}

/// `GET /images/json`.
pub async fn list(State(app): State<App>) -> ApiResult {
    let store = Store::at(&app.root);
    let all: Vec<Value> = store
        .images()
        .iter()
        .map(|i| {
            let bytes = size(&store, i);
            json!({
                "Id": image_id(i), "ParentId": "", "RepoTags": [format!("{}:latest", i.name)], "RepoDigests": [],
                "Created": i.created_at, "Size": bytes, "VirtualSize": bytes, "SharedSize": -1,
                "Labels": {}, "Containers": -1,
            })
        })
        .collect();
    Ok(ok_json(&all))
}

/// `/images/{name}/json`, `/history`, `/tag`, `/push`, `/get` and DELETE
/// `/images/{name}`: a name may hold slashes, so the route takes the rest
/// of the path and this splits off the action.
pub async fn by_name(State(app): State<App>, Key(rest): Key, req: Request) -> ApiResult {
    let method = req.method().clone();
    let (name, action) = match rest.rsplit_once('/') {
        Some((n, a)) if ["json", "history", "tag", "push", "get"].contains(&a) => (n.to_string(), a),
        _ => (rest.clone(), ""),
    };
    match (method.as_str(), action) {
        ("GET", "json") => inspect(&app, &name),
        ("GET", "history") => history(&app, &name),
        ("POST", "tag") => tag(&app, &name, Call::read(req, JSON_LIMIT).await?),
        ("POST", "push") => Err(ApiError::not_found(OFFLINE)),
        ("GET", "get") => super::save::save(&app, Some(name), req).await,
        ("DELETE", "") => remove(&app, &name, Call::read(req, JSON_LIMIT).await?).await,
        _ => Err(ApiError::not_found(format!("page not found: {method} /images/{rest}"))),
    }
}

fn inspect(app: &App, reference: &str) -> ApiResult {
    let store = Store::at(&app.root);
    let image = store.image(&resolve(&app.root, reference)?)?;
    let bytes = size(&store, &image);
    // The image's own config (Cmd, Env, WorkingDir…), kept at import and
    // build; an image without one (a root filesystem tar) gets dockerd's
    // answer for an empty config: the default PATH and no command.
    let config = image.run_config().and_then(|c| serde_json::to_value(c).ok()).unwrap_or_else(|| {
        json!({ "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": null, "Labels": null })
    });
    Ok(ok_json(&json!({
        "Id": image_id(&image), "RepoTags": [format!("{}:latest", image.name)], "RepoDigests": [],
        "Parent": "", "Comment": image.source, "Created": clock::rfc3339(image.created_at),
        "DockerVersion": "", "Author": "", "Architecture": std::env::consts::ARCH.replace("x86_64", "amd64"), "Os": "linux",
        "Size": bytes, "VirtualSize": bytes,
        "Config": config,
        "GraphDriver": { "Name": "overlay", "Data": { "LowerDir": image.layers.iter().map(|d| store.layer_tree(d).display().to_string()).collect::<Vec<_>>().join(":") } },
        "RootFS": { "Type": "layers", "Layers": image.layers },
        "Metadata": { "LastTagTime": clock::ZERO },
    })))
}

fn history(app: &App, reference: &str) -> ApiResult {
    let store = Store::at(&app.root);
    let image = store.image(&resolve(&app.root, reference)?)?;
    let rows: Vec<Value> = image
        .layers
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let layer = store.layer(d).ok();
            json!({
                "Id": if i == 0 { image_id(&image) } else { "<missing>".into() },
                "Created": layer.as_ref().map_or(image.created_at, |l| l.created_at),
                "CreatedBy": layer.as_ref().map_or(String::new(), |l| l.source.clone()),
                "Tags": if i == 0 { vec![format!("{}:latest", image.name)] } else { vec![] },
                "Size": layer.map_or(0, |l| l.bytes),
                "Comment": d,
            })
        })
        .collect();
    Ok(ok_json(&rows))
}

/// `docker tag SOURCE NEW`: the image's record under a second name, its
/// layers shared (not a glassbox step: images are not boxes).
fn tag(app: &App, reference: &str, call: Call) -> ApiResult {
    let repo = call.query.get("repo").cloned().unwrap_or_default();
    let tag = call.query.get("tag").cloned().filter(|t| !t.is_empty()).unwrap_or_else(|| "latest".into());
    let new = glassbox_name(&format!("{repo}:{tag}"));
    crate::state::names::validate("image", &new)
        .map_err(|e| ApiError::bad(format!("{repo}:{tag} would be glassbox image {e}")))?;
    let store = Store::open(&app.root)?;
    let mut image = store.image(&resolve(&app.root, reference)?)?;
    image.name = new.clone();
    let _lock = store.lock()?;
    store.save_image(&image)?;
    crate::output::say!("{}", crate::i18n::tr!("daemon-tag", name = new, id = image_id(&image)));
    Ok(StatusCode::CREATED.into_response())
}

async fn remove(app: &App, reference: &str, call: Call) -> ApiResult {
    let store = Store::at(&app.root);
    let image = store.image(&resolve(&app.root, reference)?)?;
    let args = ["image".to_string(), "rm".into(), image.name.clone()];
    app.steps.run(&args, Some(&call.cause), None).await.map_err(|e| match e.status {
        StatusCode::BAD_REQUEST if e.message.contains("used by") => ApiError::conflict(e.message),
        _ => e,
    })?;
    app.events.image("delete", &image_id(&image), &image.name);
    Ok(ok_json(&json!([{ "Untagged": format!("{}:latest", image.name) }, { "Deleted": image_id(&image) }])))
}

/// `GET /images/get?names=…`.
pub async fn save(State(app): State<App>, req: Request) -> ApiResult {
    super::save::save(&app, None, req).await
}

/// `POST /images/create` (pull, import from a URL), `GET /images/search`.
pub async fn pull(State(_app): State<App>) -> ApiResult {
    Err(ApiError::not_found(OFFLINE))
}

pub use super::build::build;

/// `POST /commit?container=ID&repo=NAME&tag=TAG`: the `commit` step.
pub async fn commit(State(app): State<App>, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let c = super::containers::find(&app.root, call.query.get("container").map(String::as_str).unwrap_or(""))?;
    let repo = call
        .query
        .get("repo")
        .cloned()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::bad("glassbox images have names: give one, e.g. docker commit CONTAINER NAME"))?;
    let tag = call.query.get("tag").cloned().filter(|t| !t.is_empty()).unwrap_or_else(|| "latest".into());
    let name = glassbox_name(&format!("{repo}:{tag}"));
    crate::output::say!("{}", call.cause.line());
    let held = super::containers::lock(&app, c.name()).await?;
    app.steps.run(&["commit".into(), c.name().into(), name.clone()], Some(&call.cause), Some(&held)).await?;
    let image = Store::at(&app.root).image(&name)?;
    app.events.image("commit", &image_id(&image), &name);
    Ok(json(StatusCode::CREATED, &json!({ "Id": image_id(&image) })))
}

pub use super::load::load;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_docker_reference_names_one_glassbox_image() {
        assert_eq!(glassbox_name("busybox"), "busybox");
        assert_eq!(glassbox_name("busybox:latest"), "busybox");
        assert_eq!(glassbox_name("docker.io/library/alpine:3.19"), "alpine-3.19");
        assert_eq!(glassbox_name("org/app:v2"), "org_app-v2");
        assert_eq!(glassbox_name("localhost:5000/app"), "localhost:5000_app");
        assert_eq!(tagged("busybox"), "busybox:latest");
        assert_eq!(tagged("org/app:v2"), "org/app:v2");
    }
}
