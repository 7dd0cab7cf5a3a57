//! How the daemon serves: its socket (root's, systemd's when activated,
//! never TCP) and the terminals it holds for `run -it` and `exec -it`.

use super::fixture::Daemon;
use crate::harness::{Sandbox, patience, text};
use std::time::Duration;

#[test]
fn a_socket_systemd_made_is_served_and_left_to_systemd() {
    let sb = Sandbox::new("dk-systemd");
    sb.ok(&["image", "busybox"]);
    let socket = sb.root.parent().unwrap().join("activated.sock");
    let mut d = Daemon::activated(&sb, socket.clone());
    assert_eq!(d.docker_ok(&["run", "--rm", "busybox", "echo", "activated"]), "activated\n");
    assert_eq!(d.stop(), Some(0));
    assert!(socket.exists(), "the socket is systemd's: the daemon leaves it");
}

#[test]
fn the_socket_is_root_s_mode_0660_and_a_second_daemon_is_refused() {
    use std::os::unix::fs::MetadataExt;
    let sb = Sandbox::new("dk-socket");
    let d = Daemon::start(&sb);
    let meta = std::fs::metadata(&d.socket).unwrap();
    assert_eq!((meta.mode() & 0o7777, meta.uid()), (0o660, 0));
    let second = sb.run(&["daemon"]);
    assert_eq!(second.status.code(), Some(2), "{}", text(&second.stderr));
    assert!(text(&second.stderr).contains("answers already"), "{}", text(&second.stderr));
    assert_eq!(d.raw("GET", "/_ping", b"").0, 200, "the first daemon still serves");
    let listening =
        std::fs::read_to_string("/proc/net/tcp").unwrap() + &std::fs::read_to_string("/proc/net/tcp6").unwrap();
    let inode = |pid: u32| -> Vec<String> {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .unwrap()
            .flatten()
            .filter_map(|e| std::fs::read_link(e.path()).ok())
            .filter_map(|l| l.to_str()?.strip_prefix("socket:[")?.strip_suffix(']').map(String::from))
            .collect()
    };
    let tcp: Vec<String> = inode(d.pid()).into_iter().filter(|i| listening.contains(&format!(" {i} "))).collect();
    assert_eq!(tcp, Vec::<String>::new(), "no TCP socket at all");
}

#[test]
fn a_terminal_reaches_the_box_for_run_and_exec() {
    let sb = Sandbox::new("dk-tty");
    let d = Daemon::start(&sb);
    // `script` gives the docker CLI the terminal -t asks for.
    let typed = |command: &str, keys: &'static str| {
        let mut c = d.cli("script", &["-qec", command, "/dev/null"]);
        c.stdin(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            std::thread::sleep(patience(Duration::from_secs(2)));
            let _ = std::io::Write::write_all(&mut stdin, keys.as_bytes());
            std::thread::sleep(Duration::from_secs(60));
        });
        child.wait_with_output().unwrap()
    };
    let run = typed("docker run -it --rm busybox sh", "echo $((6*7))\nexit 3\n");
    assert_eq!(run.status.code(), Some(3), "{}", text(&run.stdout));
    assert!(text(&run.stdout).contains("\n42"), "the shell answered through the terminal:\n{}", text(&run.stdout));
    d.docker_ok(&["run", "-d", "--name", "t", "busybox", "sleep", "60"]);
    let exec = typed("docker exec -it t sh", "echo in-$((2+3))\nexit 4\n");
    assert_eq!(exec.status.code(), Some(4), "{}", text(&exec.stdout));
    assert!(text(&exec.stdout).contains("in-5"), "{}", text(&exec.stdout));
    d.docker_ok(&["rm", "-f", "t"]);
}
