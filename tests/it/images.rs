//! Archives for tests, built in memory: plain root filesystem tars and
//! `docker save` archives whose layers carry OCI whiteouts.

use sha2::Digest;

/// One tar entry: a path and its content (None: a folder; Some("->x"): a symlink to x).
pub type Entry<'a> = (&'a str, Option<&'a str>);

/// A header with every numeric field filled in.
fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_mtime(0);
    h.set_uid(0);
    h.set_gid(0);
    h
}

pub fn tar_of(entries: &[Entry]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, content) in entries {
        let mut h = header(tar::EntryType::Regular, 0o644, 0);
        match content {
            None => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                h.set_size(0);
                b.append_data(&mut h, path, std::io::empty()).unwrap();
            }
            Some(c) if c.starts_with("->") => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_mode(0o777);
                h.set_size(0);
                b.append_link(&mut h, path, &c[2..]).unwrap();
            }
            Some(c) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(0o644);
                h.set_size(c.len() as u64);
                b.append_data(&mut h, path, c.as_bytes()).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

pub fn sha(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

/// A `docker save` archive of the given layers (bottom first).
pub fn docker_save(layers: &[Vec<u8>]) -> Vec<u8> {
    docker_save_images(&[("test:latest", layers)])
}

/// A `docker save` archive of several images, each a tag and its layers.
pub fn docker_save_images(images: &[(&str, &[Vec<u8>])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |path: &str, data: &[u8]| {
        let mut h = header(tar::EntryType::Regular, 0o644, data.len() as u64);
        b.append_data(&mut h, path, data).unwrap();
    };
    let mut manifest = vec![];
    for (i, (tag, layers)) in images.iter().enumerate() {
        let diff_ids: Vec<String> = layers.iter().map(|l| sha(l)).collect();
        let config = serde_json::json!({"architecture": "amd64", "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": diff_ids}})
        .to_string();
        let names: Vec<String> = (0..layers.len()).map(|n| format!("i{i}l{n}/layer.tar")).collect();
        add(&format!("config{i}.json"), config.as_bytes());
        for (name, layer) in names.iter().zip(layers.iter()) {
            add(name, layer);
        }
        manifest.push(serde_json::json!({"Config": format!("config{i}.json"), "RepoTags": [tag], "Layers": names}));
    }
    add("manifest.json", serde_json::Value::from(manifest).to_string().as_bytes());
    b.into_inner().unwrap()
}

/// A minimal root filesystem: busybox from the host plus the given entries.
pub fn busybox_rootfs(extra: &[Entry]) -> Vec<u8> {
    let busybox = std::fs::read("/bin/busybox").expect("busybox-static is installed by scripts/setup.sh");
    let mut b = tar::Builder::new(Vec::new());
    for d in ["bin", "etc", "proc", "sys", "dev", "tmp"] {
        let mut h = header(tar::EntryType::Directory, 0o755, 0);
        b.append_data(&mut h, d, std::io::empty()).unwrap();
    }
    let mut h = header(tar::EntryType::Regular, 0o755, busybox.len() as u64);
    b.append_data(&mut h, "bin/busybox", &busybox[..]).unwrap();
    for applet in ["sh", "ls", "cat", "echo", "mount", "ps", "rm", "touch", "readlink", "stat", "test"] {
        let mut h = header(tar::EntryType::Symlink, 0o777, 0);
        b.append_link(&mut h, format!("bin/{applet}"), "busybox").unwrap();
    }
    let mut out = b.into_inner().unwrap();
    // Append the extra entries' blocks before the end-of-archive marker.
    let extra_tar = tar_of(extra);
    out.truncate(out.len() - 1024);
    out.extend_from_slice(&extra_tar);
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, bytes).unwrap();
    gz.finish().unwrap()
}

/// An OCI image layout as (path, bytes) files: gzip'd layer blobs, config,
/// manifest, index.json and oci-layout.
pub fn oci_layout(layers: &[Vec<u8>]) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![];
    let mut blob = |bytes: Vec<u8>| -> String {
        let d = sha(&bytes);
        files.push((format!("blobs/sha256/{}", &d[7..]), bytes));
        d
    };
    let diff_ids: Vec<String> = layers.iter().map(|l| sha(l)).collect();
    let layer_descs: Vec<serde_json::Value> = layers
        .iter()
        .map(|l| {
            let gz = gzip(l);
            let size = gz.len();
            serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": blob(gz), "size": size})
        })
        .collect();
    let config =
        serde_json::json!({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}})
            .to_string();
    let config_digest = blob(config.clone().into_bytes());
    let manifest = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": layer_descs}).to_string();
    let manifest_digest = blob(manifest.clone().into_bytes());
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest, "size": manifest.len()}]}).to_string();
    files.push(("index.json".into(), index.into_bytes()));
    files.push(("oci-layout".into(), br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec()));
    files
}

pub fn files_to_tar(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut h = header(tar::EntryType::Regular, 0o644, data.len() as u64);
        b.append_data(&mut h, path, &data[..]).unwrap();
    }
    b.into_inner().unwrap()
}
