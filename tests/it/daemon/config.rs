//! An image's own config through the daemon: its Cmd, WorkingDir and Env,
//! and `-e`, `-w`, `-u` over them.

use super::fixture::{Daemon, build_context};
use crate::harness::{Sandbox, text};

#[test]
fn an_image_s_own_command_runs_and_w_u_and_e_reach_the_process() {
    let sb = Sandbox::new("dk-config");
    let d = Daemon::start(&sb);
    // An image with a Cmd, a WorkingDir and an Env of its own, built by glassbox.
    let ctx = build_context(
        &sb,
        "FROM busybox\nWORKDIR /srv\nENV GREETING=hello\nCMD [\"sh\", \"-c\", \"echo $GREETING from $(pwd)\"]\n",
    );
    sb.ok(&["build", "-t", "greeter", ctx.to_str().unwrap()]);
    let out = d.docker(&["run", "--rm", "greeter"]);
    assert_eq!(
        (out.status.code(), text(&out.stdout).as_str()),
        (Some(0), "hello from /srv\n"),
        "{}",
        text(&out.stderr)
    );
    // -e, -w and -u over it, as `glassbox run`'s own flags.
    let out = d.docker(&[
        "run",
        "--rm",
        "-e",
        "GREETING=hi",
        "-w",
        "/tmp",
        "-u",
        "1000:1000",
        "greeter",
        "sh",
        "-c",
        "echo $GREETING $(pwd) $(id -u)",
    ]);
    assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), "hi /tmp 1000\n"), "{}", text(&out.stderr));
}

#[test]
fn entrypoint_replaces_the_image_s_and_resets_its_cmd_as_dockerd_does() {
    let sb = Sandbox::new("dk-entry");
    let d = Daemon::start(&sb);
    let ctx = build_context(&sb, "FROM busybox\nENTRYPOINT [\"echo\", \"ep\"]\nCMD [\"default\"]\n");
    sb.ok(&["build", "-t", "ep", ctx.to_str().unwrap()]);
    let run = |args: &[&str]| d.docker_ok(&[&["run", "--rm"][..], args].concat());
    assert_eq!(run(&["ep"]), "ep default\n", "the image's Entrypoint and Cmd");
    assert_eq!(run(&["ep", "given"]), "ep given\n", "arguments replace Cmd only");
    assert_eq!(run(&["--entrypoint", "echo", "ep"]), "\n", "--entrypoint resets Cmd");
    assert_eq!(run(&["--entrypoint", "echo", "ep", "hi"]), "hi\n");
    assert_eq!(run(&["--entrypoint", "", "ep", "echo", "none"]), "none\n", "an empty entrypoint is none");
    let config =
        |name: &str| d.docker_ok(&["inspect", name, "--format", "{{json .Config.Entrypoint}} {{json .Config.Cmd}}"]);
    d.docker_ok(&["create", "--name", "plain", "ep"]);
    assert_eq!(config("plain").trim(), r#"["echo","ep"] ["default"]"#);
    d.docker_ok(&["create", "--name", "over", "--entrypoint", "sh", "ep", "-c", "exit 3"]);
    assert_eq!(config("over").trim(), r#"["sh"] ["-c","exit 3"]"#);
    let path = d.docker_ok(&["inspect", "over", "--format", "{{.Path}} {{json .Args}}"]);
    assert_eq!(path.trim(), r#"sh ["-c","exit 3"]"#);
    d.docker_ok(&["start", "over"]);
    assert_eq!(d.docker_ok(&["wait", "over"]).trim(), "3");
    assert!(sb.ok(&["history", "over"]).contains("glassbox run over --entrypoint sh -- -c 'exit 3'"));
    d.docker_ok(&["rm", "plain", "over"]);
}
