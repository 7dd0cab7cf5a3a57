//! The box page in a real browser (headless Chromium). The first test
//! drives it over the DevTools protocol by hand: it reads the namespace
//! table and the layer stack from the DOM, makes a step from the CLI and
//! sees the page change without a reload, then restarts `serve` and sees
//! the page reconnect (target/test-artifacts/box-page.png). The second runs
//! tests/browser/scenes.mjs (Playwright and axe-core, installed from npm by
//! `npm ci` here) over the scenes: a full box, a half-built one (two of
//! its steps made by one API request), a fresh one, one made from a
//! committed image with a whiteout, one made from a `glassbox build`
//! image, and the current lesson with its box; it saves its screenshots
//! in tests/artifacts/.

use crate::harness::{Sandbox, patience};
use crate::web::{Server, http};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Chromium and its profile folder, both gone when dropped.
struct Browser {
    child: Child,
    profile: PathBuf,
    devtools_port: u16,
}

impl Browser {
    fn open(url: &str) -> Browser {
        let profile = std::env::temp_dir().join(format!("gb-chromium-{}", std::process::id()));
        // Chromium makes its own folder in TMPDIR as well (for the socket of
        // its single-instance lock), which a SIGKILL leaves behind: inside
        // the profile it goes with the profile.
        let tmp = profile.join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let mut child = Command::new(CHROMIUM)
            .env("TMPDIR", &tmp)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--window-size=1280,1800",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .expect("chromium starts");
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let mut port = None;
        for line in stderr.lines().map_while(Result::ok) {
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                port = rest.split('/').next().and_then(|p| p.parse().ok());
                break;
            }
        }
        let devtools_port = port.expect("chromium printed its DevTools address");
        Browser { child, profile, devtools_port }
    }

    /// The page's DevTools connection.
    fn page(&self) -> Page {
        let deadline = Instant::now() + patience(Duration::from_secs(10));
        loop {
            let (_, _, body) = http(
                self.devtools_port,
                &format!("GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", self.devtools_port),
            );
            let targets: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let ws = targets
                .as_array()
                .into_iter()
                .flatten()
                .find(|t| t["type"] == "page")
                .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(String::from));
            if let Some(ws) = ws {
                let (socket, _) = tungstenite::client::client(
                    ws.as_str(),
                    TcpStream::connect(("127.0.0.1", self.devtools_port)).unwrap(),
                )
                .expect("DevTools websocket");
                return Page { socket, next_id: 1 };
            }
            assert!(Instant::now() < deadline, "no page target in chromium");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        unsafe { libc::kill(-(self.child.id() as i32), libc::SIGKILL) };
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

struct Page {
    socket: tungstenite::WebSocket<TcpStream>,
    next_id: u64,
}

impl Page {
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({ "id": id, "method": method, "params": params }).to_string();
        self.socket.send(tungstenite::Message::text(msg)).expect("send to DevTools");
        loop {
            let reply = self.socket.read().expect("DevTools reply");
            let Ok(v) = serde_json::from_str::<Value>(reply.to_text().unwrap_or("")) else { continue };
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    /// Evaluates a JavaScript expression in the page; its JSON value.
    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call("Runtime.evaluate", json!({ "expression": expr, "returnByValue": true }));
        r["result"]["value"].clone()
    }

    /// Evaluates until the expression is true, or panics after `within`
    /// (scaled by the harness's `patience`).
    fn wait_until(&mut self, expr: &str, within: Duration, what: &str) {
        let deadline = Instant::now() + patience(within);
        while self.eval(expr) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

const ROWS: &str = "JSON.stringify([...document.querySelectorAll('#namespaces tr[data-kind]')].map(r => [r.dataset.kind, r.querySelector('.isolated-cell').textContent.trim()]))";

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn isolated(rows: &Value) -> Vec<String> {
    let rows: Vec<(String, String)> = serde_json::from_str(rows.as_str().unwrap()).unwrap();
    rows.into_iter().filter(|(_, iso)| iso == "yes").map(|(k, _)| k).collect()
}

#[test]
fn the_box_page_follows_the_cli_live() {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("GLASSBOX_REQUIRE_BROWSER").is_none(),
            "GLASSBOX_REQUIRE_BROWSER is set but {CHROMIUM} is missing: run scripts/setup.sh"
        );
        eprintln!(
            "SKIPPED the_box_page_follows_the_cli_live: {CHROMIUM} is not installed (scripts/setup.sh installs it)"
        );
        return;
    }
    let sb = Sandbox::new("web-browser");
    let name = sb.name("page");
    sb.ok(&["image", "busybox"]);
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt", "pid", "ipc"]);
    sb.ok(&["rootfs", &name, "busybox"]);
    sb.ok(&["limit", &name, "--memory", "64M", "--pids", "50"]);
    sb.ok(&["run", "-d", &name, "--", "sh", "-c", "sleep 1000 & exec sleep 1001"]);
    sb.ok(&["exec", "-d", &name, "--", "sh", "-c", "sleep 1002; true", "<img src=x onerror=alert(1)>"]);
    let server = Server::start(&sb);
    let browser = Browser::open(&server.url(&format!("/box/{name}")));
    let mut page = browser.page();
    page.wait_until(
        "document.getElementById('live')?.textContent === 'live'",
        Duration::from_secs(15),
        "the live stream",
    );

    // What the DOM shows is what the model holds.
    let before = isolated(&page.eval(ROWS));
    assert_eq!(before, vec!["mnt", "ipc", "pid"]);
    let roles = page.eval("JSON.stringify([...document.querySelectorAll('#layers li.band')].map(g => g.dataset.role))");
    assert_eq!(roles.as_str().unwrap(), r#"["container","base"]"#);
    let meters = page.eval("document.querySelectorAll('#usage meter').length");
    assert_eq!(meters, json!(3));
    let tree = page.eval("document.querySelectorAll('#processes tr.init').length");
    assert_eq!(tree, json!(1));
    // A process named like markup is text on the page, not an element.
    assert_eq!(page.eval("document.querySelectorAll('#main img').length"), json!(0));
    let shown = page.eval("document.getElementById('processes').textContent.includes('<img src=x onerror=alert(1)>')");
    assert_eq!(shown, json!(true));

    // A step from the CLI shows up without a reload.
    page.eval("window.__notReloaded = true");
    sb.ok(&["unshare", &name, "uts", "--hostname", "live-step"]);
    page.wait_until(
        &format!("{ROWS}.includes('[\"uts\",\"yes\"]')"),
        Duration::from_secs(5),
        "the uts row to say isolated",
    );
    assert_eq!(page.eval("window.__notReloaded === true"), json!(true), "the page was reloaded");
    assert_eq!(page.eval("document.getElementById('hostname').textContent"), json!("live-step"));

    let shot = page.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }));
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    std::fs::write(artifacts().join("box-page.png"), png).unwrap();

    // serve restarts: the page reconnects by itself and keeps following.
    let port = server.port;
    drop(server);
    page.wait_until(
        "document.getElementById('live').textContent !== 'live'",
        Duration::from_secs(5),
        "the page to notice",
    );
    let _again = Server::on(&sb, port);
    page.wait_until("document.getElementById('live').textContent === 'live'", Duration::from_secs(10), "a reconnect");
    sb.ok(&["rm", "--force", &name]);
    page.wait_until(
        "document.getElementById('box-state')?.textContent === 'removed'",
        Duration::from_secs(5),
        "removed",
    );
    assert_eq!(page.eval("window.__notReloaded === true"), json!(true));
}

/// The npm packages of tests/browser (Playwright's core, axe-core), at the
/// versions its lockfile pins: `npm ci` when they are not there yet. None
/// when node or npm is missing.
fn browser_packages() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let wanted: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    let installed = |name: &str| -> Option<String> {
        let p = dir.join("node_modules").join(name).join("package.json");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()?;
        v["version"].as_str().map(String::from)
    };
    let deps = wanted["dependencies"].as_object().unwrap();
    if deps.iter().all(|(name, v)| installed(name).as_deref() == v.as_str()) {
        return Some(dir);
    }
    let ci = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .status()
        .ok()?;
    assert!(ci.success(), "npm ci in {} failed", dir.display());
    Some(dir)
}

/// tests/browser with its packages installed, or None (said on stderr) when
/// this machine has no browser, node or npm to run its scripts.
pub fn browser_scripts(test: &str) -> Option<PathBuf> {
    if skip_without_browser(test) {
        return None;
    }
    let scripts = browser_packages();
    if scripts.is_none() {
        assert!(std::env::var_os("GLASSBOX_REQUIRE_BROWSER").is_none(), "npm is missing: run scripts/setup-tests.sh");
        eprintln!("SKIPPED {test}: npm is not installed");
    }
    scripts
}

fn skip_without_browser(test: &str) -> bool {
    let have_node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if Path::new(CHROMIUM).exists() && have_node {
        return false;
    }
    assert!(
        std::env::var_os("GLASSBOX_REQUIRE_BROWSER").is_none(),
        "GLASSBOX_REQUIRE_BROWSER is set but {CHROMIUM} or node is missing: run scripts/setup.sh"
    );
    eprintln!("SKIPPED {test}: {CHROMIUM} or node is not installed (scripts/setup.sh installs them)");
    true
}

#[test]
fn the_page_draws_the_model_follows_a_step_and_passes_axe_in_chromium() {
    let Some(scripts) = browser_scripts("the_page_draws_the_model_follows_a_step_and_passes_axe_in_chromium") else {
        return;
    };
    let sb = Sandbox::new("web-scenes");
    let [full, half, fresh, maker, child] = ["full", "half", "fresh", "maker", "child"].map(|n| sb.name(n));
    let image = sb.name("nohosts");
    sb.ok(&["image", "busybox"]);
    // A full box: its own user, mount, pid and ipc namespaces, a root
    // filesystem, limits, and a shell with children.
    sb.ok(&["create", &full]);
    sb.ok(&["unshare", &full, "user", "mnt", "pid", "ipc", "--map-root-to", "100000"]);
    sb.ok(&["rootfs", &full, "busybox"]);
    sb.ok(&["limit", &full, "--memory", "64M", "--pids", "50", "--cpus", "0.5"]);
    sb.ok(&[
        "run",
        "-d",
        &full,
        "--",
        "sh",
        "-c",
        "echo hello from the box; sleep 1000 & sleep 1001 & exec sleep 1002",
    ]);
    // Half built: namespaces and a limit, no files, nothing run.
    sb.ok(&["create", &half]);
    sb.ok(&["unshare", &half, "mnt", "pid"]);
    sb.ok(&["limit", &half, "--pids", "20"]);
    // Fresh, and labelled as a compose project's: the overview groups it under the project.
    sb.ok(&["create", "--project", "classroom", &fresh]);
    // An image whose top layer deletes /etc/hosts (and adds a file named
    // like markup), and a box made from it.
    sb.ok(&["create", &maker]);
    sb.ok(&["unshare", &maker, "mnt"]);
    sb.ok(&["rootfs", &maker, "busybox"]);
    sb.ok(&["run", &maker, "--", "rm", "/etc/hosts"]);
    sb.ok(&["run", &maker, "--", "touch", "/etc/<img src=x onerror=alert(1)>"]);
    sb.ok(&["commit", &maker, &image]);
    sb.ok(&["create", &child]);
    sb.ok(&["unshare", &child, "mnt"]);
    sb.ok(&["rootfs", &child, &image]);
    // Two steps of the half-built box made by one API request, as `glassbox daemon` makes them.
    let cause = json!({ "via": "docker API", "method": "POST", "path": "/v1.47/containers/create?name=web",
        "body": format!("sha256:{}", "ab12".repeat(16)) });
    for step in [&["unshare", &half, "ipc"][..], &["limit", &half, "--memory", "32M"]] {
        let out = sb.cmd().env("GLASSBOX_CAUSE", cause.to_string()).args(step).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // An image built from a Dockerfile, and a box made from it.
    let (built, built_image) = (sb.name("built"), sb.name("fromfile"));
    let context = sb.root.parent().unwrap().join("context");
    std::fs::create_dir_all(&context).unwrap();
    std::fs::write(context.join("greeting.txt"), "hello\n").unwrap();
    std::fs::write(context.join("Dockerfile"), "FROM busybox\nCOPY greeting.txt /greeting.txt\n").unwrap();
    sb.ok(&["build", "-t", &built_image, context.to_str().unwrap()]);
    sb.ok(&["create", &built]);
    sb.ok(&["unshare", &built, "mnt"]);
    sb.ok(&["rootfs", &built, &built_image]);
    // A pod: the second box shares the first's net, ipc and uts namespaces.
    let (pod_a, pod_b) = (sb.name("poda"), sb.name("podb"));
    sb.ok(&["create", &pod_a]);
    sb.ok(&["unshare", &pod_a, "net", "ipc", "uts"]);
    sb.ok(&["create", &pod_b]);
    sb.ok(&["unshare", &pod_b, "net", "ipc", "uts", "--join", &pod_a]);
    // The current lesson (its box is l02, under this test's root).
    sb.ok(&["lesson", "start", "02-uts"]);
    let server = Server::start(&sb);
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
    let scene = json!({
        "full": full, "half": half, "fresh": fresh, "child": child,
        "step": ["unshare", full, "uts", "--hostname", "live-step"],
        "caused": half, "cause": cause,
        "built": built, "line": "COPY greeting.txt /greeting.txt",
        "pod": [pod_a, pod_b],
        "lesson": { "id": "02-uts", "box": "l02", "solve": ["unshare", "l02", "uts", "--hostname", "sandbox"] },
    });
    let out = Command::new("node")
        .arg(scripts.join("scenes.mjs"))
        .arg(server.url(""))
        .arg(crate::harness::BIN)
        .arg(&sb.root)
        .arg(&artifacts)
        .arg(scene.to_string())
        .current_dir(&scripts)
        .output()
        .expect("node runs");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    eprintln!("{report}");
    assert!(out.status.success(), "browser checks failed:\n{report}");
    for shot in ["box-1366x768.png", "box-390x844.png", "overview-1366x768.png", "layers-1366.png"] {
        assert!(artifacts.join(shot).exists(), "screenshot {shot}");
    }
}
