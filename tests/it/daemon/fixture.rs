//! A daemon on the sandbox's root, the docker CLI pointed at it, and the
//! kernel oracles the daemon tests read.

use crate::harness::{Sandbox, cgroups_of, mounts_containing, patience, processes_mentioning, text};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The Python with the Docker SDK (`pip install docker`), made by the test setup.
pub fn python() -> PathBuf {
    let p = PathBuf::from(
        std::env::var("GLASSBOX_TEST_PYTHON").unwrap_or_else(|_| "/opt/glassbox-test-venv/bin/python".into()),
    );
    assert!(
        p.exists(),
        "{} is missing: the test setup makes it (python3 -m venv /opt/glassbox-test-venv && /opt/glassbox-test-venv/bin/pip install docker)",
        p.display()
    );
    p
}

pub struct Daemon {
    child: Option<Child>,
    pub socket: PathBuf,
    config: PathBuf,
    log: PathBuf,
}

impl Daemon {
    /// A daemon on the sandbox's root (with the busybox image made), once
    /// its socket answers.
    pub fn start(sb: &Sandbox) -> Daemon {
        if !sb.ok(&["image", "ls"]).lines().any(|l| l.starts_with("busybox ")) {
            sb.ok(&["image", "busybox"]);
        }
        let base = sb.root.parent().unwrap();
        let (config, log) = (base.join("docker-config"), base.join("daemon.log"));
        std::fs::create_dir_all(&config).unwrap();
        let out = std::fs::OpenOptions::new().create(true).append(true).open(&log).unwrap();
        let child = sb
            .cmd()
            .arg("daemon")
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("glassbox daemon starts");
        let d = Daemon { child: Some(child), socket: sb.root.join("run/docker.sock"), config, log };
        wait_until("the daemon's socket answers", || std::os::unix::net::UnixStream::connect(&d.socket).is_ok());
        d
    }

    /// A daemon started as systemd starts it from glassbox-daemon.socket:
    /// the listening socket made by someone else, passed as descriptor 3
    /// with LISTEN_PID and LISTEN_FDS (sd_listen_fds(3)).
    pub fn activated(sb: &Sandbox, socket: PathBuf) -> Daemon {
        const SYSTEMD: &str = "import os, socket, sys\n\
            s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o660); s.listen(16)\n\
            os.dup2(s.fileno(), 3); os.set_inheritable(3, True); os.environ['LISTEN_PID'] = str(os.getpid()); os.environ['LISTEN_FDS'] = '1'\n\
            os.execv(sys.argv[2], sys.argv[2:])";
        let base = sb.root.parent().unwrap();
        let (config, log) = (base.join("docker-config"), base.join("daemon.log"));
        std::fs::create_dir_all(&config).unwrap();
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new("python3")
            .args(["-c", SYSTEMD])
            .arg(&socket)
            .arg(crate::harness::BIN)
            .arg("--root")
            .arg(&sb.root)
            .args(["daemon", "--socket"])
            .arg(&socket)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let d = Daemon { child: Some(child), socket, config, log };
        wait_until("the activated daemon answers", || d.raw("GET", "/_ping", b"").0 == 200);
        d
    }

    /// `docker ARGS` against this daemon, never hanging a test for long.
    pub fn docker_cmd(&self, args: &[&str]) -> Command {
        self.cli("docker", args)
    }

    pub fn cli(&self, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new("timeout");
        c.args(["120", program]).args(args);
        c.env("DOCKER_HOST", format!("unix://{}", self.socket.display()))
            .env("DOCKER_CONFIG", &self.config)
            .env_remove("DOCKER_CONTEXT")
            .env_remove("DOCKER_API_VERSION")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    pub fn docker(&self, args: &[&str]) -> Output {
        self.docker_cmd(args).output().expect("the docker CLI runs (the test setup installs it)")
    }

    /// The docker CLI Debian 12 ships (20.10, API 1.41), without its daemon.
    pub fn old_docker(&self, args: &[&str]) -> Output {
        let old = std::env::var("GLASSBOX_TEST_OLD_DOCKER").unwrap_or_else(|_| "/opt/docker-20.10/docker".into());
        assert!(
            std::path::Path::new(&old).exists(),
            "{old} is missing: the test setup extracts it (apt-get download docker.io; dpkg-deb -x docker.io_*.deb x; install x/usr/bin/docker {old}), never starting its daemon"
        );
        self.cli(&old, args).output().expect("the old docker CLI runs")
    }

    /// Runs and asserts exit 0; returns stdout.
    pub fn docker_ok(&self, args: &[&str]) -> String {
        let out = self.docker(args);
        assert!(
            out.status.success(),
            "docker {args:?} failed ({:?}):\nstdout: {}\nstderr: {}\ndaemon log:\n{}",
            out.status,
            text(&out.stdout),
            text(&out.stderr),
            std::fs::read_to_string(&self.log).unwrap_or_default()
        );
        text(&out.stdout)
    }

    pub fn id(&self, name: &str) -> String {
        self.docker_ok(&["inspect", name, "--format", "{{.Id}}"]).trim().to_string()
    }

    /// The host pid of the container's command.
    pub fn main_pid(&self, name: &str) -> i32 {
        let pid = self.docker_ok(&["inspect", name, "--format", "{{.State.Pid}}"]).trim().parse().unwrap();
        assert!(pid > 0, "{name} runs");
        pid
    }

    /// One HTTP request by hand: the status code and the body.
    pub fn raw(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        let Ok(mut s) = std::os::unix::net::UnixStream::connect(&self.socket) else { return (0, String::new()) };
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: docker\r\nContent-Length: {}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
            body.len()
        );
        // The daemon may answer (and close) before reading a body it refuses.
        let _ = s.write_all(head.as_bytes()).and_then(|_| s.write_all(body));
        let mut reply = vec![];
        let _ = s.read_to_end(&mut reply);
        let reply = text(&reply);
        let code = reply.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (code, reply.split("\r\n\r\n").nth(1).unwrap_or("").to_string())
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, and the exit code once it has gone.
    pub fn stop(&mut self) -> Option<i32> {
        let mut c = self.child.take()?;
        // SAFETY: a signal to the daemon this fixture started.
        unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + patience(Duration::from_secs(10));
        while Instant::now() < deadline {
            if let Ok(Some(status)) = c.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = c.kill();
        let _ = c.wait();
        None
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("daemon log:\n{}", std::fs::read_to_string(&self.log).unwrap_or_default());
        }
        if self.stop().is_none() {
            self.kill9();
        }
    }
}

/// Polls `f` until it holds; fails the test, naming `what`, if it never does.
/// A build context of the test's own holding this Dockerfile; its path.
pub fn build_context(sb: &Sandbox, dockerfile: &str) -> PathBuf {
    let ctx = sb.root.parent().unwrap().join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::write(ctx.join("Dockerfile"), dockerfile).unwrap();
    ctx
}

pub fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + patience(Duration::from_secs(20));
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// A value from the cgroup a process is in, found from /proc/PID/cgroup
/// (a v1 hierarchy that has the file, or the v2 tree).
pub fn cgroup_value(pid: i32, file: &str) -> String {
    let cgroups = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap();
    for line in cgroups.lines() {
        let mut f = line.splitn(3, ':');
        let (_, controllers, path) = (f.next(), f.next().unwrap_or(""), f.next().unwrap_or(""));
        let mut dirs = vec![PathBuf::from("/sys/fs/cgroup").join(path.trim_start_matches('/'))];
        for c in controllers.split(',').filter(|c| !c.is_empty()) {
            dirs.push(PathBuf::from("/sys/fs/cgroup").join(c).join(path.trim_start_matches('/')));
        }
        if let Some(value) = dirs.iter().find_map(|d| std::fs::read_to_string(d.join(file)).ok()) {
            return value.trim().to_string();
        }
    }
    panic!("no {file} in the cgroups of {pid}:\n{cgroups}")
}

pub fn ns(pid: i32, kind: &str) -> String {
    std::fs::read_link(format!("/proc/{pid}/ns/{kind}")).unwrap().display().to_string()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `GET /` on 127.0.0.1:PORT: the body, or none when nothing answers.
pub fn http_get(port: u16) -> Option<String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n").ok()?;
    let mut out = vec![];
    s.read_to_end(&mut out).ok()?;
    Some(text(&out)).filter(|t| t.starts_with("HTTP/"))
}

/// Nothing of the box is left: no process (its command, its init, the
/// `glassbox run` that waited for it), no mount, no cgroup, no folder.
pub fn assert_gone(sb: &Sandbox, name: &str) {
    let root = sb.root.display().to_string();
    let mine = |p: &String| p.split(' ').any(|w| w == name);
    wait_until(&format!("box {name}'s processes are gone"), || !processes_mentioning(&root).iter().any(mine));
    let mounts: Vec<String> = mounts_containing(&format!("/boxes/{name}"));
    assert_eq!(mounts, Vec::<String>::new(), "mounts of {name} left");
    let cgroups: Vec<PathBuf> = cgroups_of(&sb.root).iter().map(|p| p.join(name)).filter(|p| p.exists()).collect();
    assert_eq!(cgroups, Vec::<PathBuf>::new(), "cgroups of {name} left");
    assert!(!sb.root.join("boxes").join(name).exists(), "the folder of {name} is left");
}
