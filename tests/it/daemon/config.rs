//! An image's own config through the daemon: its Cmd, WorkingDir and Env,
//! and `-e`, `-w`, `-u` over them.

use super::fixture::Daemon;
use crate::harness::{Sandbox, text};

#[test]
fn an_image_s_own_command_runs_and_w_u_and_e_reach_the_process() {
    let sb = Sandbox::new("dk-config");
    let d = Daemon::start(&sb);
    // An image with a Cmd, a WorkingDir and an Env of its own, built by glassbox.
    let ctx = sb.victim.parent().unwrap().join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM busybox\nWORKDIR /srv\nENV GREETING=hello\nCMD [\"sh\", \"-c\", \"echo $GREETING from $(pwd)\"]\n",
    )
    .unwrap();
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
