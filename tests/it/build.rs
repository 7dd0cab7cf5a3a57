//! Image config kept and used, zstd layers, and `glassbox build`: each
//! Dockerfile line a layer or a config change, the build cache, and the
//! bad input of issue 26.

use crate::harness::{Sandbox, text};
use crate::images::{busybox_rootfs, sha};
use crate::rootfs::boxed;
use std::path::{Path, PathBuf};

/// A `docker save` archive of one image whose config says how to run it.
fn configured_image(tag: &str, layer: &[u8], config: serde_json::Value) -> Vec<u8> {
    let mut full = config;
    full["rootfs"] = serde_json::json!({"type": "layers", "diff_ids": [sha(layer)]});
    full["architecture"] = "amd64".into();
    full["os"] = "linux".into();
    let cfg = full.to_string();
    let manifest = serde_json::json!([{"Config": "c.json", "RepoTags": [tag], "Layers": ["l/layer.tar"]}]).to_string();
    crate::images::files_to_tar(&[
        ("c.json".into(), cfg.into_bytes()),
        ("l/layer.tar".into(), layer.to_vec()),
        ("manifest.json".into(), manifest.into_bytes()),
    ])
}

fn write(sb: &Sandbox, file: &str, bytes: &[u8]) -> PathBuf {
    let path = sb.victim.parent().unwrap().join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n";

#[test]
fn an_imported_image_keeps_its_config_its_tag_names_it_and_run_uses_it() {
    let sb = Sandbox::new("config");
    let layer = busybox_rootfs(&[("etc/passwd", Some(PASSWD)), ("home", None), ("home/app", None)]);
    let config = serde_json::json!({"config": {
        "Entrypoint": ["/bin/sh", "-c"], "Cmd": ["echo $GREETING from $(pwd) as $(id -u)"],
        "Env": ["PATH=/bin", "GREETING=hello"], "WorkingDir": "/home/app", "User": "app",
        "ExposedPorts": {"8080/tcp": {}}, "Labels": {"course": "glassbox"}, "Volumes": {"/data": {}}},
        "history": [{"created_by": "ADD rootfs"}]});
    let archive = write(&sb, "greeter.tar", &configured_image("docker.io/library/greeter:latest", &layer, config));
    sb.ok(&["image", "import", archive.to_str().unwrap()]);
    let inspected: serde_json::Value =
        serde_json::from_str(&sb.ok(&["--json", "image", "inspect", "greeter"])).unwrap();
    let c = &inspected["config"]["config"];
    assert_eq!(c["Cmd"][0], "echo $GREETING from $(pwd) as $(id -u)");
    assert_eq!(c["ExposedPorts"]["8080/tcp"], serde_json::json!({}));
    assert_eq!(c["Labels"]["course"], "glassbox");
    assert!(c["Volumes"].get("/data").is_some(), "{c}");
    assert!(sb.ok(&["image", "history", "greeter"]).contains("ADD rootfs"));
    let name = boxed(&sb, "greeter");
    let out = sb.run(&["run", &name]);
    assert_eq!(text(&out.stdout), "hello from /home/app as 1000\n", "{}", text(&out.stderr));
    let over = sb.ok(&["run", "-e", "GREETING=hi", "-w", "/tmp", "-u", "0", &name]);
    assert_eq!(over, "hi from /tmp as 0\n");
    let exec = sb.ok(&["exec", &name, "--", "sh", "-c", "echo $HOME; id -g"]);
    assert_eq!(exec, "/home/app\n1000\n", "exec takes the image's user and env too");
    let err = sb.fails(2, &["run", "-u", "nobody-here", &name]);
    assert!(err.contains("no such user") && err.lines().count() == 1, "{err}");
}

/// An OCI image layout of one layer compressed with zstd.
fn oci_zstd(layer: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![];
    let mut blob = |bytes: Vec<u8>| -> (String, usize) {
        let (d, n) = (sha(&bytes), bytes.len());
        files.push((format!("blobs/sha256/{}", &d[7..]), bytes));
        (d, n)
    };
    let (zst, zst_size) = blob(zstd::encode_all(layer, 3).unwrap());
    let config = serde_json::json!({"architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha(layer)]}, "config": {"Cmd": ["cat", "/etc/zstd-was-here"]}});
    let (cfg, cfg_size) = blob(config.to_string().into_bytes());
    let manifest = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg, "size": cfg_size},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "digest": zst, "size": zst_size}]});
    let (m, m_size) = blob(manifest.to_string().into_bytes());
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": m, "size": m_size, "annotations": {"org.opencontainers.image.ref.name": "localhost/zstdimage:latest"}}]});
    files.push(("index.json".into(), index.to_string().into_bytes()));
    files.push(("oci-layout".into(), br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec()));
    files
}

#[test]
fn a_zstd_compressed_layer_imports_and_runs() {
    let sb = Sandbox::new("zstd");
    let layer = busybox_rootfs(&[("etc/zstd-was-here", Some("yes"))]);
    let archive = write(&sb, "layout.tar", &crate::images::files_to_tar(&oci_zstd(&layer)));
    let out = sb.ok(&["image", "import", archive.to_str().unwrap()]);
    assert!(out.contains("image zstdimage"), "named by its OCI ref name: {out}");
    let name = boxed(&sb, "zstdimage");
    assert_eq!(sb.ok(&["run", &name]), "yes");
}

/// A build context folder with these files (path, content).
fn context(sb: &Sandbox, files: &[(&str, &str)]) -> PathBuf {
    let dir = sb.victim.parent().unwrap().join(format!("ctx-{}", sb.name("c")));
    for (path, content) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
    }
    dir
}

const APP: &str = "FROM busybox
COPY app.sh /app/
RUN echo building; mkdir -p /data && echo made > /data/f && rm /etc/os-release
ENV GREETING=hi
RUN echo second >&2
CMD [\"/bin/sh\", \"/app/app.sh\"]
";

fn build(sb: &Sandbox, dir: &Path, tag: &str) -> String {
    sb.ok(&["build", "-t", tag, dir.to_str().unwrap()])
}

fn boxes(sb: &Sandbox) -> String {
    sb.ok(&["--json", "ls"])
}

#[test]
fn a_dockerfile_builds_a_layer_per_changing_line_and_the_image_runs_its_cmd() {
    let sb = Sandbox::new("build");
    sb.ok(&["image", "busybox"]);
    let dir = context(
        &sb,
        &[
            ("Dockerfile", APP),
            ("app.sh", "echo \"$GREETING from the app\"; ls /data\n"),
            ("secret.txt", "s"),
            (".dockerignore", "secret.txt\n"),
        ],
    );
    let out = build(&sb, &dir, "hello");
    for want in
        ["#3 [1/6] FROM busybox", "[2/6] COPY app.sh /app/", "building", "second", "DONE", "naming to hello done"]
    {
        assert!(out.contains(want), "{want:?} missing from:\n{out}");
    }
    assert!(
        out.lines().any(|l| l.starts_with("#5 ") && l.ends_with(" building")),
        "a RUN's output line: #N TIME LINE\n{out}"
    );
    let history: serde_json::Value = serde_json::from_str(&sb.ok(&["--json", "image", "history", "hello"])).unwrap();
    let rows: Vec<(String, bool)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["created_by"].as_str().unwrap().to_string(), r["layer"].is_string()))
        .collect();
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert!(rows[1].0.starts_with("COPY") && rows[1].1 && rows[2].0.starts_with("RUN echo building") && rows[2].1);
    assert!(!rows[3].1 && !rows[4].1 && !rows[5].1, "ENV, a RUN that changed nothing and CMD make no layer: {rows:?}");
    let image: serde_json::Value = serde_json::from_str(&sb.ok(&["--json", "image", "inspect", "hello"])).unwrap();
    assert_eq!(image["layers"].as_array().unwrap().len(), 3);
    assert_eq!(boxes(&sb).trim(), "[]", "the build's boxes are gone");
    let name = boxed(&sb, "hello");
    assert_eq!(sb.ok(&["run", &name]), "hi from the app\nf\n");
    // The RUN's `rm` is a real whiteout: the file is gone from the image.
    let gone = sb.run(&["run", &name, "--", "/bin/sh", "-c", "ls /etc/os-release"]);
    assert!(!gone.status.success());
    assert!(
        sb.run(&["run", &name, "--", "cat", "/app/secret.txt"]).status.code() != Some(0),
        ".dockerignore'd file copied"
    );
}

#[test]
fn an_unchanged_rebuild_is_all_cached_and_one_changed_file_rebuilds_from_its_copy() {
    let sb = Sandbox::new("cache");
    sb.ok(&["image", "busybox"]);
    let dir = context(&sb, &[("Dockerfile", APP), ("app.sh", "echo v1\n")]);
    build(&sb, &dir, "hello");
    let again = build(&sb, &dir, "hello");
    assert_eq!(again.matches(" CACHED").count(), 6, "{again}");
    let ran = |out: &str| out.lines().any(|l| l.ends_with(" building"));
    assert!(!ran(&again) && !again.contains("box build-"), "no RUN ran:\n{again}");
    std::fs::write(dir.join("app.sh"), "echo v2\n").unwrap();
    let changed = build(&sb, &dir, "hello");
    assert!(changed.contains("#3 CACHED"), "FROM stays cached:\n{changed}");
    assert_eq!(changed.matches(" CACHED").count(), 1, "COPY and every step after it rebuild:\n{changed}");
    assert!(ran(&changed));
    let no_cache = sb.ok(&["build", "--no-cache", "-t", "hello", dir.to_str().unwrap()]);
    assert_eq!(no_cache.matches(" CACHED").count(), 0);
    let name = boxed(&sb, "hello");
    assert_eq!(sb.ok(&["run", &name]), "v2\n");
}

#[test]
fn workdir_user_chown_and_add_of_a_local_tar_shape_the_image() {
    let sb = Sandbox::new("shape");
    sb.ok(&["image", "busybox"]);
    let dockerfile = "FROM busybox\nWORKDIR /srv/app\nCOPY --chown=1000:1000 app.sh ./\nADD bundle.tar.gz /opt/\nUSER 1000\nCMD [\"sh\", \"-c\", \"pwd; stat -c %u app.sh; cat /opt/inside.txt; id -u\"]\n";
    let dir = context(&sb, &[("Dockerfile", dockerfile), ("app.sh", "echo app\n")]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &crate::images::tar_of(&[("inside.txt", Some("from the tar\n"))])).unwrap();
    std::fs::write(dir.join("bundle.tar.gz"), gz.finish().unwrap()).unwrap();
    build(&sb, &dir, "shaped");
    let name = boxed(&sb, "shaped");
    assert_eq!(sb.ok(&["run", &name]), "/srv/app\n1000\nfrom the tar\n1000\n");
}

#[test]
fn a_failed_run_names_its_step_and_exit_code_and_leaves_no_box_layer_or_image() {
    let sb = Sandbox::new("runfails");
    sb.ok(&["image", "busybox"]);
    let layers_before = std::fs::read_dir(sb.root.join("layers")).unwrap().count();
    let dir = context(&sb, &[("Dockerfile", "FROM busybox\nRUN echo half > /half && exit 3\n")]);
    let out = sb.run(&["build", "-t", "broken", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("step 2/2") && err.contains("exit") && err.contains("code 3"), "{err}");
    assert_eq!(boxes(&sb).trim(), "[]");
    assert_eq!(std::fs::read_dir(sb.root.join("layers")).unwrap().count(), layers_before, "no half layer");
    assert!(!sb.ok(&["image", "ls"]).contains("broken"));
    assert!(crate::harness::mounts_containing(&format!("{}/run/boxes", sb.root.display())).is_empty());
}

#[test]
fn a_symlink_in_the_context_is_copied_as_a_symlink_never_followed() {
    let sb = Sandbox::new("ctxlink");
    sb.ok(&["image", "busybox"]);
    let dir = context(&sb, &[("Dockerfile", "FROM busybox\nCOPY . /ctx/\n")]);
    std::os::unix::fs::symlink(&sb.victim, dir.join("out")).unwrap();
    build(&sb, &dir, "linked");
    let name = boxed(&sb, "linked");
    let target = sb.ok(&["run", &name, "--", "readlink", "/ctx/out"]);
    assert_eq!(target.trim(), sb.victim.to_str().unwrap());
    let looked = sb.run(&["run", &name, "--", "cat", "/ctx/out/file"]);
    assert!(!looked.status.success(), "the victim's file must not be in the image");
}

/// Each bad build: exit 2, one line on stderr naming the problem, nothing made.
#[test]
fn bad_builds_are_refused_with_one_line_and_nothing_left() {
    let sb = Sandbox::new("badbuild");
    sb.ok(&["image", "busybox"]);
    let images_before = sb.ok(&["image", "ls"]);
    let huge = "FROM busybox\n".to_string() + &"RUN true\n".repeat(10_000);
    type Case<'a> = (&'a str, Vec<(&'a str, String)>, &'a str);
    let cases: Vec<Case> = vec![
        ("syntax", vec![("Dockerfile", "FROM busybox\nENV A=\"open\n".into())], "Dockerfile:2:7"),
        (
            "unknown",
            vec![("Dockerfile", "FROM busybox\n  FORM x\n".into())],
            "Dockerfile:2:3: unknown instruction FORM",
        ),
        ("outside", vec![("Dockerfile", "FROM busybox\nCOPY ../outside /x\n".into())], "outside the build context"),
        (
            "ignored",
            vec![("Dockerfile", "FROM busybox\n".into()), (".dockerignore", "Dockerfile\n".into())],
            "leaves out the Dockerfile",
        ),
        ("missing", vec![("Dockerfile", "FROM nosuchimage\n".into())], "images: busybox"),
        ("argafter", vec![("Dockerfile", "FROM busybox\nRUN echo $V\nARG V=1\n".into())], "before `ARG V` on line 3"),
        ("huge", vec![("Dockerfile", huge)], "more than 1000 instructions"),
        ("url", vec![("Dockerfile", "FROM busybox\nADD http://example.com/x /x\n".into())], "offline"),
        ("stages", vec![("Dockerfile", "FROM busybox AS b\n".into())], "not supported"),
    ];
    for (what, files, want) in cases {
        let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (*p, c.as_str())).collect();
        let dir = context(&sb, &files);
        let t = std::time::Instant::now();
        let err = sb.fails(2, &["build", "-t", "bad", dir.to_str().unwrap()]);
        assert!(t.elapsed() < std::time::Duration::from_secs(10), "{what} took {:?}", t.elapsed());
        assert!(err.contains(want), "{what}: {err}");
        assert_eq!(err.lines().count(), 1, "{what}: {err}");
    }
    let missing = sb.fails(2, &["build", "-t", "bad", "/nonexistent/context"]);
    assert!(missing.contains("no such folder"), "{missing}");
    assert_eq!(sb.ok(&["image", "ls"]), images_before);
    assert_eq!(boxes(&sb).trim(), "[]");
}
