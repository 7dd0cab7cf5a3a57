//! `glassbox serve` on a real socket, over real boxes: the model it serves,
//! live events after a CLI step, and the HOSTILE.md web requests.

use crate::harness::{BIN, Sandbox, text};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `glassbox serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    pub fn start(sb: &Sandbox) -> Server {
        Server::on(sb, 0)
    }

    pub fn on(sb: &Sandbox, port: u16) -> Server {
        let mut child = sb
            .cmd()
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("serve printed its URL, not {line:?}"));
        Server { child, port }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// GET with the right Host; returns status and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = http(self.port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", self.port));
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One raw HTTP/1.1 exchange (`head` without the final blank line), so a
/// test can send any Host header it likes.
pub fn http(port: u16, head: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes()).unwrap();
    let mut raw = vec![];
    let _ = s.read_to_end(&mut raw);
    let raw = text(&raw);
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = headers.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, headers.to_lowercase(), body.to_string())
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[test]
fn serves_the_same_model_as_inspect() {
    let sb = Sandbox::new("web-model");
    let name = sb.name("w");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts", "pid", "--hostname", "<i>inside</i>"]);
    sb.ok(&["run", "-d", &name, "--", "sleep", "1000"]);
    let server = Server::start(&sb);

    let inspect = sb.inspect(&name);
    let (status, body) = server.get(&format!("/api/boxes/{name}"));
    assert_eq!(status, 200);
    let api = json(&body);
    assert_eq!(api["namespaces"], inspect["namespaces"]);
    assert_eq!(api["steps"], inspect["steps"]);
    assert_eq!(api["processes"].as_array().unwrap().len(), inspect["processes"].as_array().unwrap().len());
    let (_, all) = server.get("/api/boxes");
    assert_eq!(
        json(&all).as_array().unwrap().iter().map(|b| b["name"].clone()).collect::<Vec<_>>(),
        vec![name.clone()]
    );
    // Answers are kept (src/web/answers.rs), but never past a step that
    // finished: the very next answer shows it.
    sb.ok(&["unshare", &name, "ipc"]);
    let (_, after) = server.get(&format!("/api/boxes/{name}"));
    let after = json(&after);
    let ipc = after["namespaces"].as_array().unwrap().iter().find(|n| n["kind"] == "ipc").unwrap();
    assert_eq!(ipc["isolated"], true, "the step shows at once: {ipc}");

    let (status, page) = server.get(&format!("/box/{name}"));
    assert_eq!(status, 200);
    let (uts, host_uts) = sb.inodes(&name, "uts");
    assert!(page.contains(&uts.to_string()) && page.contains(&host_uts.to_string()), "both inodes on the page");
    assert!(page.contains("&#60;i&#62;inside&#60;/i&#62;"), "the hostname, escaped");
    assert!(page.contains("init (PID 1)"));

    let (_, host) = server.get("/api/host");
    let host = json(&host);
    let mine = host["namespaces"].as_array().unwrap().iter().find(|n| n["inode"] == uts).expect("box uts ns listed");
    assert_eq!(mine["of_box"], name.as_str());
    let (_, host_page) = server.get("/host");
    assert!(host_page.contains(&format!("box {name}")));

    sb.ok(&["rm", "--force", &name]);
    let (status, gone) = server.get(&format!("/box/{name}"));
    assert_eq!(status, 404);
    assert!(gone.contains(">removed<"), "a removed box says removed");
}

/// Reads server-sent events until one satisfies `want` or the time is up.
fn wait_for_event(
    stream: &mut BufReader<TcpStream>,
    want: impl Fn(&str) -> bool,
    patience: Duration,
) -> Option<String> {
    let deadline = Instant::now() + patience;
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        match stream.read_line(&mut line) {
            Ok(0) => return None,
            Ok(_) if want(&line) => return Some(line.clone()),
            _ => {}
        }
    }
    None
}

#[test]
fn a_cli_step_becomes_an_event() {
    let sb = Sandbox::new("web-live");
    let name = sb.name("w");
    sb.ok(&["create", &name]);
    let server = Server::start(&sb);
    let mut events = events(&server);
    std::thread::sleep(Duration::from_millis(600)); // let the watcher take its first look
    sb.ok(&["unshare", &name, "uts"]);
    // Not the first look's "all" event: one that names this box because it changed.
    let change = wait_for_event(
        &mut events,
        |l| l.starts_with("data:") && l.contains(&name) && l.contains("\"all\":false"),
        Duration::from_secs(5),
    );
    assert!(change.is_some(), "no change event for {name} after a step");
    sb.ok(&["rm", &name]);
    let removed =
        wait_for_event(&mut events, |l| l.contains("\"removed\":[\"") && l.contains(&name), Duration::from_secs(5));
    assert!(removed.is_some(), "no removed event for {name}");
}

/// Opens the page's event stream and waits for its hello.
fn events(server: &Server) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let p = server.port;
    write!(s, "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://127.0.0.1:{p}\r\n\r\n").unwrap();
    let mut events = BufReader::new(s);
    assert!(wait_for_event(&mut events, |l| l.starts_with("event: hello"), Duration::from_secs(5)).is_some());
    events
}

/// The verdicts /lesson shows, one per check, in order (`data-verdict`).
fn verdicts(server: &Server) -> Vec<String> {
    let (status, page) = server.get("/lesson");
    assert_eq!(status, 200);
    page.split("data-verdict=\"").skip(1).filter_map(|r| r.split('"').next()).map(String::from).collect()
}

#[test]
fn the_lesson_page_shows_each_checks_last_result_live() {
    let sb = Sandbox::new("web-lesson");
    sb.ok(&["lesson", "start", "02"]);
    let server = Server::start(&sb);
    let before = verdicts(&server);
    assert!(!before.is_empty() && before.iter().all(|v| v == "pending"), "nothing checked yet: {before:?}");
    assert!(server.get("/lesson").1.contains("not checked yet"));
    let mut live = events(&server);
    std::thread::sleep(Duration::from_millis(600)); // let the watcher take its first look
    sb.fails(1, &["lesson", "check"]);
    let told = wait_for_event(&mut live, |l| l.contains("\"lesson\":true"), Duration::from_secs(5));
    assert!(told.is_some(), "no event told the page that the lesson's checks ran");
    let failed = verdicts(&server);
    assert!(failed.iter().any(|v| v == "failed"), "before the solution a check fails: {failed:?}");
    assert!(server.get("/lesson").1.contains("FAILED"));
    // The solution (lessons/02-uts/solution.sh); the page, kept, still shows the last check.
    sb.ok(&["unshare", "l02", "uts", "--hostname", "sandbox"]);
    assert_eq!(verdicts(&server), failed, "the page shows the last check, not a guess");
    // Fetched at once after the check: a kept answer from before it is never sent.
    sb.ok(&["lesson", "check"]);
    let passed = verdicts(&server);
    assert!(passed.len() == before.len() && passed.iter().all(|v| v == "passed"), "after the solution: {passed:?}");
    assert!(server.get("/lesson").1.contains("✓ passed"));
}

#[test]
fn hostile_requests_are_refused_and_the_server_stays_up() {
    let sb = Sandbox::new("web-hostile");
    let server = Server::start(&sb);
    let p = server.port;
    for (head, want) in [
        (format!("GET / HTTP/1.1\r\nHost: evil.example:{p}\r\n"), 421),
        (format!("GET /static/app.js HTTP/1.1\r\nHost: evil.example:{p}\r\n"), 421),
        (format!("GET /events HTTP/1.1\r\nHost: evil.example:{p}\r\n"), 421),
        (format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nX-Forwarded-Host: 127.0.0.1:{p}\r\n"), 403),
        (format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nForwarded: host=127.0.0.1:{p}\r\n"), 403),
        ("GET / HTTP/1.1\r\n".to_string(), 421),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".to_string(), 421),
        (format!("GET / HTTP/1.1\r\nHost: 0.0.0.0:{p}\r\n"), 421),
        (format!("GET / HTTP/1.1\r\nHost: 127.0.0.2:{p}\r\n"), 421),
        (format!("GET http://evil.example:{p}/ HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\n"), 421),
        (format!("GET /events HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://evil.example\r\n"), 403),
        (format!("POST /api/boxes HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nContent-Length: 2\r\n\r\n{{}}"), 405),
    ] {
        let (status, headers, _) = http(p, &head);
        assert_eq!(status, want, "{head:?}");
        assert!(headers.contains("content-security-policy: default-src 'self'"), "{head:?}: {headers}");
        assert!(!headers.contains("access-control-"), "{head:?}: CORS header");
    }

    // A 100 MB body: refused without being read; the server goes on.
    let mut s = TcpStream::connect(("127.0.0.1", p)).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = write!(s, "POST / HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nContent-Length: 104857600\r\n\r\n");
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        if s.write_all(&chunk).is_err() {
            break;
        }
    }
    drop(s);

    // Thousands of connections at once: past the limit they are closed; the
    // server keeps answering once they go.
    let held: Vec<TcpStream> =
        (0..connections_we_may_open(1500)).filter_map(|_| TcpStream::connect(("127.0.0.1", p)).ok()).collect();
    assert!(held.len() > 300, "could open only {} connections (the server allows 256)", held.len());
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut status = 0;
    while status != 200 && Instant::now() < deadline {
        status = http(p, &format!("GET /api/boxes HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\n")).0;
    }
    assert_eq!(status, 200, "the server stays up");
}

/// Up to `want`, leaving descriptors for the other tests of this process
/// (the soft limit is raised to the hard one first; 1024 is common).
pub fn connections_we_may_open(want: u64) -> u64 {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
    }
    want.min(lim.rlim_cur.saturating_sub(400))
}

#[test]
fn listen_is_checked_before_anything_starts() {
    let sb = Sandbox::new("web-listen");
    let err = sb.fails(2, &["serve", "--listen", "0.0.0.0:0"]);
    assert!(err.contains("refusing to listen") && err.contains("--allow-remote"), "{err}");
    let err = sb.fails(2, &["serve", "--listen", "localhost"]);
    assert!(err.contains("--listen"), "{err}");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let err = sb.fails(2, &["serve", "--listen", &format!("127.0.0.1:{port}")]);
    assert!(err.contains("already in use") && err.contains("--listen"), "{err}");
    let out = Command::new(BIN).args(["serve", "--help"]).output().unwrap();
    assert!(text(&out.stdout).contains("/api/boxes"));
}

#[test]
fn the_korean_page_speaks_korean_inside_its_tables() {
    let sb = Sandbox::new("web-cells-ko");
    let name = sb.name("k");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts", "pid"]);
    let server = Server::start(&sb);
    let (status, page) = server.get("/?lang=ko");
    assert_eq!(status, 200);
    for said in ["실행 중", "이 루트 아래 박스 1개", "data-label=\"상태\"", "uts: 격리됨", "단계 2개"]
    {
        assert!(page.contains(said), "{said}: {page}");
    }
    assert!(page.contains("class=\"state running\""), "the CSS class stays English: {page}");
    let (_, page) = server.get(&format!("/box/{name}?lang=ko"));
    for said in [
        "<h1>박스 ",
        "호스트 이름 <b",
        "<th scope=\"col\">안쪽 pid</th>",
        "<th scope=\"col\">격리하는 것</th>",
        "data-word-of=\" / \"",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }
    let limit = format!("<code>glassbox limit {name} --memory 64M --pids 50</code>");
    assert!(
        page.contains(&format!("자기 cgroup이 없습니다: 박스가 머신 전체를 쓸 수 있습니다. {limit}를 실행해 보세요.")),
        "{page}"
    );
    let (_, box_english) = server.get(&format!("/box/{name}?lang=en"));
    assert!(box_english.contains(&format!("the box may use the whole machine. Try {limit}.")), "{box_english}");
    let (_, english) = server.get("/?lang=en");
    assert!(english.contains("1 box under this root") && english.contains(">running</span>"), "{english}");
}
