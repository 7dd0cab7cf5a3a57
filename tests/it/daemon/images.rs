//! Images through the daemon: `docker save` (glassbox image export) read
//! back by another daemon's `docker load`, and `docker build` with the
//! classic builder from the docker CLI and the Python SDK.

use super::fixture::{Daemon, build_context, python};
use crate::harness::{Sandbox, text};

#[test]
fn docker_save_writes_an_archive_another_daemon_loads_and_runs() {
    let sb = Sandbox::new("dk-save");
    let d = Daemon::start(&sb);
    d.docker_ok(&["run", "--name", "maker", "busybox", "sh", "-c", "echo saved > /greeting"]);
    d.docker_ok(&["commit", "maker", "greeting:v1"]);
    let file = sb.root.parent().unwrap().join("greeting.tar");
    d.docker_ok(&["save", "-o", file.to_str().unwrap(), "greeting:v1"]);
    let listing = std::process::Command::new("tar").arg("tf").arg(&file).output().unwrap();
    assert!(text(&listing.stdout).lines().any(|l| l == "manifest.json"), "a docker save archive");
    let history = sb.ok(&["--json", "history", "maker"]);
    assert!(!history.contains("image export"), "saving is no step of the box");

    // Into a second root, through its own daemon, as a learner's other machine.
    let other = Sandbox::new("dk-save-into");
    let d2 = Daemon::start(&other);
    let out = d2.docker_ok(&["load", "-i", file.to_str().unwrap()]);
    assert!(out.contains("Loaded image: greeting:v1"), "{out}");
    assert_eq!(d2.docker_ok(&["run", "--rm", "greeting:v1", "cat", "/greeting"]), "saved\n");

    // Piped (GET /images/get?names=…), as `docker save IMAGE > FILE` does.
    let out = d.docker(&["save", "busybox"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.len() > 100_000, "the busybox image, {} bytes", out.stdout.len());
    let out = d.docker(&["save", "busybox", "greeting:v1"]);
    assert!(text(&out.stderr).contains("one image per archive"), "{}", text(&out.stderr));
    let out = d.docker(&["save", "nosuch"]);
    assert!(text(&out.stderr).contains("No such image"), "{}", text(&out.stderr));
    d.docker_ok(&["rm", "maker"]);
}

#[test]
fn docker_build_runs_glassbox_build_and_streams_its_progress() {
    let sb = Sandbox::new("dk-build");
    let d = Daemon::start(&sb);
    let ctx = build_context(
        &sb,
        "FROM busybox\nARG WHO=nobody\nCOPY message /message\nRUN echo \"for $WHO\" >> /message\nCMD [\"cat\", \"/message\"]\n",
    );
    std::fs::write(ctx.join("message"), "built by docker\n").unwrap();
    let mut build = d.docker_cmd(&["build", "-t", "made:v2", "--build-arg", "WHO=class", ctx.to_str().unwrap()]);
    let out = build.env("DOCKER_BUILDKIT", "0").output().unwrap();
    let printed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{printed}\n{}", text(&out.stderr));
    assert!(printed.contains("RUN echo") && printed.contains("Successfully built "), "the builder's lines:\n{printed}");
    assert!(printed.contains("Successfully tagged made:v2"), "{printed}");
    assert_eq!(d.docker_ok(&["run", "--rm", "made:v2"]), "built by docker\nfor class\n");
    // `docker image inspect` shows the config the Dockerfile wrote, as dockerd does.
    let cmd = d.docker_ok(&["image", "inspect", "--format", "{{json .Config.Cmd}}", "made:v2"]);
    assert_eq!(cmd.trim(), r#"["cat","/message"]"#);

    // The old CLI, and a Dockerfile that fails: the builder's error, exit 1.
    std::fs::write(ctx.join("Broken.dockerfile"), "FROM busybox\nRUN exit 7\n").unwrap();
    let out = d.old_docker(&["build", "-f", ctx.join("Broken.dockerfile").to_str().unwrap(), ctx.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("exit"), "the error reaches the CLI: {}", text(&out.stderr));

    // The Python SDK's images.build reads the same stream for the image's ID.
    let script = "import docker, sys\n\
        c = docker.DockerClient(base_url='unix://' + sys.argv[1])\n\
        image, logs = c.images.build(path=sys.argv[2], tag='sdkmade', buildargs={'WHO': 'sdk'})\n\
        print(image.id, ''.join(l.get('stream', '') for l in logs).count('Step') > 0 or 'lines')\n\
        print(c.containers.run('sdkmade', remove=True).decode(), end='')\n";
    let out = std::process::Command::new(python())
        .args(["-c", script, d.socket.to_str().unwrap(), ctx.to_str().unwrap()])
        .output()
        .unwrap();
    let said = text(&out.stdout);
    assert!(out.status.success(), "{said}\n{}", text(&out.stderr));
    assert!(said.starts_with("sha256:") && said.ends_with("built by docker\nfor sdk\n"), "{said}");
}
