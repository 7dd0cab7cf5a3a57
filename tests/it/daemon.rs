//! `glassbox daemon` driven by two clients nobody here wrote: the real
//! `docker` CLI and the Python Docker SDK (tests/daemon_sdk.py), each on a
//! daemon of the test's own root and socket. Kernel oracles check what the
//! requests made: cgroupfs values, mountinfo, namespaces, a TCP connection.

mod config;
mod fixture;
mod harden;
mod images;
mod pods;
mod serving;

use crate::harness::{Sandbox, patience, text};
use fixture::{Daemon, cgroup_value, wait_until};
use std::time::Duration;

#[test]
fn docker_run_rm_prints_what_the_command_prints_and_leaves_no_box() {
    let sb = Sandbox::new("dk-run");
    let d = Daemon::start(&sb);
    let out = d.docker(&["run", "--rm", "busybox", "echo", "hi"]);
    assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), "hi\n"), "{}", text(&out.stderr));
    let out = d.docker(&["run", "--rm", "busybox", "sh", "-c", "echo oops >&2; exit 3"]);
    assert_eq!(out.status.code(), Some(3), "the command's exit code is docker's");
    assert_eq!(text(&out.stderr).lines().filter(|l| !l.starts_with("WARNING")).collect::<Vec<_>>(), ["oops"]);
    assert_eq!(d.docker_ok(&["ps", "-a", "-q"]), "", "--rm removed the containers");
    assert_eq!(sb.ok(&["ls"]).lines().count(), 1, "and their boxes: {}", sb.ok(&["ls"]));
    let events = d.docker_ok(&["events", "--since", "0", "--until", &(fixture::now() + 1).to_string()]);
    for action in ["create", "start", "die", "destroy"] {
        assert!(events.contains(&format!("container {action}")), "docker events shows {action}:\n{events}");
    }
}

#[test]
fn a_detached_container_logs_execs_stops_and_goes() {
    let sb = Sandbox::new("dk-detach");
    let d = Daemon::start(&sb);
    let id = d.docker_ok(&["run", "-d", "--name", "web", "busybox", "sh", "-c", "echo out; echo err >&2; sleep 60"]);
    let id = id.trim();
    assert_eq!(id.len(), 64, "docker run -d prints the container's ID: {id}");
    wait_until("the output is written", || d.docker_ok(&["logs", "web"]) == "out\n");
    let logs = d.docker(&["logs", "web"]);
    assert_eq!(
        (text(&logs.stdout).as_str(), text(&logs.stderr).as_str()),
        ("out\n", "err\n"),
        "stdout and stderr apart"
    );
    assert_eq!(d.docker_ok(&["exec", "web", "hostname"]).trim(), &id[..12], "Docker's hostname is the short ID");
    assert_eq!(d.docker(&["exec", "web", "sh", "-c", "exit 4"]).status.code(), Some(4), "exec's exit code");
    let ps = d.docker_ok(&["ps", "--format", "{{.Names}} {{.Image}} {{.Status}}"]);
    assert!(ps.starts_with("web busybox Up"), "{ps}");
    d.docker_ok(&["stop", "-t", "1", "web"]);
    let state = d.docker_ok(&["inspect", "web", "--format", "{{.State.Status}} {{.State.ExitCode}}"]);
    assert_eq!(state.trim(), "exited 143", "stopped by SIGTERM");
    assert_eq!(d.docker_ok(&["ps", "-q"]), "", "docker ps lists running containers only");
    d.docker_ok(&["rm", "web"]);
    assert!(!sb.ok(&["ls"]).contains("web"), "the box went with the container");
    assert_eq!(d.docker(&["inspect", "web"]).status.code(), Some(1));
}

#[test]
fn memory_and_pids_limits_are_in_the_container_s_cgroup() {
    let sb = Sandbox::new("dk-limits");
    let d = Daemon::start(&sb);
    d.docker_ok(&["run", "-d", "--name", "lim", "-m", "64m", "--pids-limit", "20", "busybox", "sleep", "60"]);
    let pid = d.main_pid("lim");
    let v2 = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap().lines().all(|l| l.starts_with("0::"));
    let memory = if v2 { "memory.max" } else { "memory.limit_in_bytes" };
    assert_eq!(cgroup_value(pid, memory), "67108864", "-m 64m, read from the command's own cgroup");
    assert_eq!(cgroup_value(pid, "pids.max"), "20", "--pids-limit 20");
    for ns in ["uts", "ipc", "net", "pid", "mnt"] {
        assert_ne!(fixture::ns(pid, ns), fixture::ns(std::process::id() as i32, ns), "a {ns} namespace of its own");
    }
    d.docker_ok(&["rm", "-f", "lim"]);
}

#[test]
fn named_volumes_and_read_only_binds_are_mounted_as_asked() {
    let sb = Sandbox::new("dk-volumes");
    let d = Daemon::start(&sb);
    let host = sb.root.parent().unwrap().join("site");
    std::fs::create_dir(&host).unwrap();
    std::fs::write(host.join("index.html"), "from the host\n").unwrap();
    let bind = format!("{}:/p:ro", host.display());
    d.docker_ok(&["run", "-d", "--name", "vol", "-v", "data:/data", "-v", &bind, "busybox", "sleep", "60"]);
    let pid = d.main_pid("vol");
    let mounts = std::fs::read_to_string(format!("/proc/{pid}/mountinfo")).unwrap();
    let line = |target: &str| mounts.lines().find(|l| l.split(' ').nth(4) == Some(target)).map(String::from);
    let p = line("/p").unwrap_or_else(|| panic!("/p is mounted:\n{mounts}"));
    assert!(p.split(' ').nth(5).unwrap().split(',').any(|o| o == "ro"), "read-only: {p}");
    assert!(line("/data").is_some(), "/data is mounted:\n{mounts}");
    assert_eq!(d.docker_ok(&["exec", "vol", "cat", "/p/index.html"]), "from the host\n");
    assert_ne!(d.docker(&["exec", "vol", "touch", "/p/x"]).status.code(), Some(0), "a read-only bind refuses writes");
    d.docker_ok(&["exec", "vol", "sh", "-c", "echo kept > /data/f"]);
    d.docker_ok(&["rm", "-f", "vol"]);
    assert!(d.docker_ok(&["volume", "ls", "-q"]).contains("data"), "a named volume outlives the container");
    let volume = sb.root.join("volumes/data/data/f");
    assert_eq!(std::fs::read_to_string(volume).unwrap(), "kept\n");
    assert!(!host.join("x").exists());
}

#[test]
fn a_published_port_a_name_a_hostname_and_the_environment_reach_the_box() {
    let sb = Sandbox::new("dk-port");
    let d = Daemon::start(&sb);
    let port = fixture::free_port();
    let publish = format!("{port}:80");
    let cmd = "echo $GREETING > /www/index.html; httpd -f -p 80 -h /www";
    d.docker_ok(&[
        "run",
        "-d",
        "--name",
        "site",
        "--hostname",
        "h1",
        "-e",
        "GREETING=hello there",
        "-p",
        &publish,
        "busybox",
        "sh",
        "-c",
        &format!("mkdir /www; {cmd}"),
    ]);
    assert_eq!(d.docker_ok(&["exec", "site", "hostname"]).trim(), "h1");
    wait_until("the box answers on the published port", || {
        fixture::http_get(port).is_some_and(|b| b.contains("hello there"))
    });
    let ports = d.docker_ok(&["port", "site"]);
    assert!(ports.contains(&format!("80/tcp -> 127.0.0.1:{port}")), "{ports}");
    d.docker_ok(&["rm", "-f", "site"]);
    wait_until("the port is free again", || fixture::http_get(port).is_none());
}

#[test]
fn history_shows_each_step_with_the_request_that_made_it() {
    let sb = Sandbox::new("dk-history");
    let d = Daemon::start(&sb);
    d.docker_ok(&["run", "-d", "--name", "hist", "-m", "32m", "-v", "hv:/v", "busybox", "sleep", "60"]);
    let history = sb.ok(&["history", "hist"]);
    let lines: Vec<&str> =
        history.lines().filter(|l| l.starts_with("docker API request") || l.starts_with("step ")).collect();
    let create = lines
        .iter()
        .position(|l| l.contains("POST /v1.47/containers/create?name=hist (body sha256:"))
        .expect("the create request");
    let unshare = format!("step 3: glassbox unshare hist uts ipc net pid mnt --hostname {}", &d.id("hist")[..12]);
    assert_eq!(
        lines[create + 1..create + 12],
        [
            "step 1: glassbox create hist",
            "step 2: glassbox limit hist --memory 32M",
            &unshare,
            "step 4: glassbox rootfs hist busybox",
            "step 5: glassbox volume add hist hv:/v",
            "step 6: glassbox net hist",
            "step 7: glassbox caps hist --docker-default",
            "step 8: glassbox nnp hist",
            "step 9: glassbox seccomp hist default",
            "step 10: glassbox devices hist --docker-default",
            "step 11: glassbox mask hist --docker-default",
        ]
    );
    assert!(lines[create + 12].contains("/start"), "{history}");
    assert_eq!(lines[create + 13], "step 12: glassbox run hist -- sleep 60");
    let json: serde_json::Value = serde_json::from_str(&sb.ok(&["--json", "history", "hist"])).unwrap();
    for step in json.as_array().unwrap() {
        assert_eq!(step["cause"]["via"], "docker API", "every step has its request: {step}");
        assert!(step["cause"]["body"].as_str().is_none_or(|b| b.starts_with("sha256:")));
    }
    sb.ok(&["create", "typed"]);
    let typed: serde_json::Value = serde_json::from_str(&sb.ok(&["--json", "history", "typed"])).unwrap();
    assert_eq!(typed[0]["cause"], serde_json::Value::Null, "a typed step has no request");
    d.docker_ok(&["rm", "-f", "hist"]);
}

#[test]
fn the_cli_and_the_api_see_the_same_boxes() {
    let sb = Sandbox::new("dk-onestate");
    let d = Daemon::start(&sb);
    let by_hand = sb.name("hand");
    for step in [
        vec!["create", &by_hand],
        vec!["unshare", &by_hand, "uts", "pid", "mnt"],
        vec!["rootfs", &by_hand, "busybox"],
        vec!["run", "-d", &by_hand, "--", "sleep", "60"],
    ] {
        sb.ok(&step);
    }
    let ps = d.docker_ok(&["ps", "--format", "{{.Names}}|{{.Image}}|{{.Command}}|{{.State}}"]);
    assert!(
        ps.contains(&format!("{by_hand}|busybox|\"sleep 60\"|running")),
        "docker ps lists the box made by hand:\n{ps}"
    );
    d.docker_ok(&["run", "-d", "--name", "api", "busybox", "sleep", "60"]);
    let ls = sb.ok(&["ls"]);
    assert!(
        ls.lines().any(|l| l.starts_with("api ") && l.contains("running")),
        "glassbox ls lists the container:\n{ls}"
    );
    assert_eq!(d.docker_ok(&["exec", &by_hand, "echo", "in"]), "in\n", "docker exec into a box made by hand");
    assert_eq!(sb.ok(&["exec", "api", "--", "echo", "in"]), "in\n", "glassbox exec into a container");
    sb.ok(&["rm", "--force", "api"]);
    assert!(!d.docker_ok(&["ps", "-a"]).contains("api"), "removed by the CLI, gone from the API");
    d.docker_ok(&["rm", "-f", &by_hand]);
    assert!(!sb.ok(&["ls"]).contains(&by_hand));
}

#[test]
fn what_glassbox_does_not_do_is_refused_with_a_message_and_nothing_made() {
    let sb = Sandbox::new("dk-refuse");
    let d = Daemon::start(&sb);
    for (flags, says) in [
        (vec!["--privileged"], "--privileged"),
        (vec!["--device", "/dev/kmsg"], "--device"),
        (vec!["--gpus", "all"], "GPUs"),
        (vec!["--network", "host"], "--network host"),
        (vec!["--pid", "host"], "--pid host"),
        (vec!["--name", "Upper"], "lowercase"),
    ] {
        let mut args = vec!["run", "--rm"];
        args.extend(flags.iter());
        args.extend(["busybox", "true"]);
        let out = d.docker(&args);
        assert_eq!(out.status.code(), Some(125), "{flags:?}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains("Error response from daemon") && err.contains(says), "{flags:?}: {err}");
    }
    let pull = d.docker(&["pull", "alpine"]);
    let err = text(&pull.stderr);
    assert!(!pull.status.success() && err.contains("docker load") && err.contains("glassbox image import"), "{err}");
    assert_eq!(sb.ok(&["ls"]).lines().count(), 1, "nothing was made");
    assert_eq!(d.raw("POST", "/containers/create", &vec![b' '; 2 << 20]).0, 413, "a body over the limit");
    assert_eq!(d.raw("GET", "/v1.99/version", b"").0, 400, "a version newer than the daemon's");
}

#[test]
fn docker_20_10_negotiates_its_older_api_version() {
    let sb = Sandbox::new("dk-old");
    let d = Daemon::start(&sb);
    let version = d.old_docker(&["version", "--format", "{{.Client.APIVersion}}"]);
    assert_eq!(text(&version.stdout).trim(), "1.41", "{}", text(&version.stderr));
    let out = d.old_docker(&["run", "--rm", "busybox", "echo", "old client"]);
    assert_eq!(text(&out.stdout), "old client\n", "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("WARNING"), "the create's warnings reach the old client too");
    let history = std::fs::read_to_string(sb.root.parent().unwrap().join("daemon.log")).unwrap();
    assert!(history.contains("POST /v1.41/containers/create"), "it spoke 1.41:\n{history}");
}

#[test]
fn docker_load_imports_an_archive_that_docker_run_then_runs() {
    let sb = Sandbox::new("dk-load");
    let d = Daemon::start(&sb);
    let archive = crate::images::docker_save_images(&[("tiny:latest", &[crate::images::busybox_rootfs(&[])])]);
    let file = sb.root.parent().unwrap().join("tiny.tar");
    std::fs::write(&file, archive).unwrap();
    let out = d.docker_ok(&["load", "-i", file.to_str().unwrap()]);
    assert!(out.contains("Loaded image: tiny:latest"), "{out}");
    assert!(d.docker_ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]).contains("tiny:latest"));
    assert_eq!(d.docker_ok(&["run", "--rm", "tiny", "echo", "ok"]), "ok\n");
    d.docker_ok(&["tag", "tiny", "tiny2:latest"]);
    d.docker_ok(&["rmi", "tiny2"]);
    assert!(sb.ok(&["image", "ls"]).contains("tiny "), "rmi of one name keeps the other");
}

#[test]
fn a_daemon_killed_during_docker_run_leaves_a_box_rm_force_removes_completely() {
    let sb = Sandbox::new("dk-crash");
    let mut d = Daemon::start(&sb);
    let mut run = d.docker_cmd(&["run", "--name", "crash", "busybox", "sh", "-c", "sleep 30"]).spawn().unwrap();
    wait_until("the container runs", || {
        sb.ok(&["ls"]).lines().any(|l| l.starts_with("crash ") && l.contains("running"))
    });
    d.kill9();
    let _ = run.wait();
    assert!(sb.ok(&["ls"]).contains("crash"), "the box outlives the daemon");
    d = Daemon::start(&sb);
    d.docker_ok(&["rm", "-f", "crash"]);
    assert!(!sb.ok(&["ls"]).contains("crash"));
    // Killed half way through the steps of a create: the CLI's rm --force.
    let mut create =
        d.docker_cmd(&["create", "--name", "half", "-v", "hv:/v", "-p", "1999:80", "busybox", "true"]).spawn().unwrap();
    wait_until("some steps were made", || sb.run(&["history", "half"]).status.success());
    d.kill9();
    let _ = create.wait();
    std::thread::sleep(Duration::from_millis(500));
    sb.ok(&["rm", "--force", "half"]);
    for name in ["crash", "half"] {
        fixture::assert_gone(&sb, name);
    }
}

#[test]
fn sigterm_leaves_containers_running_and_a_new_daemon_serves_them_again() {
    let sb = Sandbox::new("dk-restart");
    let mut d = Daemon::start(&sb);
    d.docker_ok(&["run", "-d", "--name", "long", "busybox", "sleep", "60"]);
    d.docker_ok(&["run", "-d", "--name", "short", "busybox", "sh", "-c", "sleep 2; exit 7"]);
    let socket = d.socket.clone();
    assert_eq!(d.stop(), Some(0), "SIGTERM is a clean stop");
    assert!(!socket.exists(), "the socket goes with the daemon");
    assert!(sb.ok(&["ls"]).lines().any(|l| l.starts_with("long ") && l.contains("running")), "containers keep running");
    std::thread::sleep(patience(Duration::from_secs(3)));
    d = Daemon::start(&sb);
    assert!(d.docker_ok(&["ps", "--format", "{{.Names}}"]).contains("long"));
    wait_until("the end of `short` is found in its record", || {
        d.docker_ok(&["inspect", "short", "--format", "{{.State.Status}} {{.State.ExitCode}}"]).trim() == "exited 7"
    });
    assert_eq!(d.docker_ok(&["wait", "short"]).trim(), "7");
    d.docker_ok(&["rm", "-f", "long", "short"]);
    for name in ["long", "short"] {
        fixture::assert_gone(&sb, name);
    }
}

#[test]
fn the_python_docker_sdk_drives_the_daemon() {
    let sb = Sandbox::new("dk-sdk");
    let d = Daemon::start(&sb);
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/daemon_sdk.py");
    let out = std::process::Command::new(fixture::python())
        .arg(&script)
        .arg(&d.socket)
        .arg(&sb.root)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the test venv's python runs");
    assert!(out.status.success(), "tests/daemon_sdk.py:\n{}\n{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("all passed"), "{}", text(&out.stdout));
}

#[test]
fn a_typed_step_never_lands_between_the_steps_of_one_request() {
    let sb = Sandbox::new("dk-lock");
    let d = Daemon::start(&sb);
    let mut args = vec!["create", "--name", "busy"];
    let volumes: Vec<String> = (0..6).map(|i| format!("v{i}:/v{i}")).collect();
    for v in &volumes {
        args.extend(["-v", v]);
    }
    args.extend(["busybox", "true"]);
    let mut create = d.docker_cmd(&args).spawn().unwrap();
    wait_until("the create request has begun", || sb.run(&["history", "busy"]).status.success());
    // Typed while the request's steps are under way: it waits for all of them.
    sb.ok(&["limit", "busy", "--pids", "7"]);
    assert!(create.wait().unwrap().success());
    let json: serde_json::Value = serde_json::from_str(&sb.ok(&["--json", "history", "busy"])).unwrap();
    let typed: Vec<usize> =
        json.as_array().unwrap().iter().enumerate().filter(|(_, s)| s["cause"].is_null()).map(|(i, _)| i).collect();
    assert_eq!(
        typed,
        [json.as_array().unwrap().len() - 1],
        "the typed step comes after the request's steps:\n{json:#}"
    );
}

#[test]
fn rm_v_removes_the_container_s_anonymous_volumes_and_keeps_named_ones() {
    let sb = Sandbox::new("dk-anon");
    let d = Daemon::start(&sb);
    d.docker_ok(&[
        "run",
        "--name",
        "anon",
        "-v",
        "/cache",
        "-v",
        "named:/n",
        "busybox",
        "sh",
        "-c",
        "echo x > /cache/f",
    ]);
    let volumes = d.docker_ok(&["volume", "ls", "-q"]);
    assert!(volumes.contains("anon-anon-1") && volumes.contains("named"), "{volumes}");
    d.docker_ok(&["rm", "-v", "anon"]);
    assert_eq!(d.docker_ok(&["volume", "ls", "-q"]).trim(), "named");
}
