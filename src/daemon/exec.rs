//! `docker exec`: another process in a running container, which is
//! `glassbox exec BOX -- COMMAND`. Docker makes an exec in two calls
//! (create, then start on a taken-over connection) and asks for its exit
//! code after; the daemon keeps each exec in memory meanwhile. An exec is
//! not a step (it changes nothing the box is made of), as with the CLI.

use super::App;
use super::api::{ApiError, ApiResult, Call, JSON_LIMIT, Key, json, ok_json};
use super::containers::{Status, find};
use super::streams::{STDERR, STDOUT, frame, hijack, pump};
use super::types::{ExecRequest, ExecStart, Words};
use crate::output::say;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use std::collections::HashMap;
use std::process::Stdio;
use std::sync::Mutex;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

/// Execs kept at most; the oldest finished ones go first.
const KEPT: usize = 512;

#[derive(Default)]
pub struct Sessions(Mutex<HashMap<String, Session>>);

#[derive(Clone)]
struct Session {
    container: String,
    box_name: String,
    argv: Vec<String>,
    stdin: bool,
    stdout: bool,
    stderr: bool,
    running: bool,
    exit_code: Option<i32>,
    pid: u32,
    made: u64,
    tty: bool,
    size: Option<(u16, u16)>,
    /// The master side of its terminal, while it runs with -t.
    terminal: Option<std::sync::Arc<std::os::fd::OwnedFd>>,
}

impl Sessions {
    fn get(&self, id: &str) -> ApiResult<Session> {
        let all = self.0.lock().expect("not poisoned");
        all.get(id).cloned().ok_or_else(|| ApiError::not_found(format!("No such exec instance: {id}")))
    }

    fn update(&self, id: &str, f: impl FnOnce(&mut Session)) {
        if let Some(s) = self.0.lock().expect("not poisoned").get_mut(id) {
            f(s);
        }
    }

    fn insert(&self, id: String, s: Session) {
        let mut all = self.0.lock().expect("not poisoned");
        if all.len() >= KEPT {
            let oldest = all.iter().filter(|(_, s)| !s.running).min_by_key(|(_, s)| s.made).map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                all.remove(&k);
            }
        }
        all.insert(id, s);
    }
}

/// `POST /containers/ID/exec`: checks and keeps the exec, runs nothing yet.
pub async fn create(State(app): State<App>, Key(key): Key, req: Request) -> ApiResult {
    let call = Call::read(req, JSON_LIMIT).await?;
    let r: ExecRequest = call.json()?;
    let c = find(&app.root, &key)?;
    if c.status() != Status::Running {
        return Err(ApiError::conflict(format!("container {} is not running", c.id)));
    }
    if r.privileged == Some(true) {
        return Err(ApiError::bad(
            "glassbox does not do exec --privileged: the process gets the box's isolation, no more",
        ));
    }
    // Issue 26 gives exec -w and -u; until then they are refused.
    if r.working_dir.as_deref().is_some_and(|w| !w.is_empty())
        || r.user.as_deref().is_some_and(|u| !matches!(u, "" | "root" | "0"))
    {
        return Err(ApiError::bad("glassbox's exec has no -w or -u option yet; use: sh -c 'cd DIR && COMMAND'"));
    }
    let mut argv: Vec<String> = r.env.iter().flatten().filter(|e| e.contains('=')).cloned().collect();
    if !argv.is_empty() {
        argv.insert(0, "env".into());
    }
    argv.extend(r.cmd.as_ref().map(Words::to_vec).unwrap_or_default());
    if argv.is_empty() || argv.iter().any(|a| a.contains('\0')) {
        return Err(ApiError::bad("no command to exec (or one with a NUL byte)"));
    }
    let id = new_id();
    let session = Session {
        container: c.id.clone(),
        box_name: c.name().to_string(),
        argv,
        stdin: r.attach_stdin.unwrap_or(false),
        stdout: r.attach_stdout.unwrap_or(true),
        stderr: r.attach_stderr.unwrap_or(true),
        running: false,
        exit_code: None,
        pid: 0,
        made: super::clock::now(),
        tty: r.tty == Some(true),
        size: super::tty::console_size(r.console_size.as_ref()),
        terminal: None,
    };
    app.execs.insert(id.clone(), session);
    Ok(json(StatusCode::CREATED, &serde_json::json!({ "Id": id })))
}

fn new_id() -> String {
    use sha2::Digest;
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    hex::encode(sha2::Sha256::digest(format!("exec {} {t} {n}", std::process::id())))
}

/// `POST /exec/ID/start`: `glassbox exec BOX -- COMMAND`, its output framed
/// onto the taken-over connection, the connection's bytes to its stdin.
pub async fn start(State(app): State<App>, Key(id): Key, mut req: Request) -> ApiResult {
    let body = axum::body::to_bytes(std::mem::take(req.body_mut()), JSON_LIMIT)
        .await
        .map_err(|_| ApiError::bad("body too large"))?;
    let opts: ExecStart = if body.iter().all(u8::is_ascii_whitespace) {
        ExecStart::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::bad(format!("exec start: {e}")))?
    };
    let s = app.execs.get(&id)?;
    if s.running || s.exit_code.is_some() {
        return Err(ApiError::conflict(format!("exec {id} has already run")));
    }
    let mut args = vec!["exec".to_string(), s.box_name.clone(), "--".into()];
    if s.tty {
        args.insert(1, "-t".into());
    }
    args.extend(s.argv.iter().cloned());
    let short: String = id.chars().take(12).collect();
    let line = crate::i18n::tr!("daemon-exec", id = short, name = s.box_name);
    say!("{line} glassbox {}", super::steps::shown(&args));
    let mut cmd = app.steps.command(&args, None, None);
    let terminal = if s.tty {
        let p = super::tty::open(super::tty::console_size(opts.console_size.as_ref()).or(s.size))?;
        let [i, o, e] = super::tty::stdio(&p)?;
        cmd.stdin(i).stdout(o).stderr(e);
        Some(p)
    } else {
        cmd.stdin(if s.stdin { Stdio::piped() } else { Stdio::null() }).stdout(Stdio::piped()).stderr(Stdio::piped());
        None
    };
    let mut child = tokio::process::Command::from(cmd)
        .spawn()
        .map_err(|e| ApiError::internal(format!("cannot start glassbox exec: {e}")))?;
    // Our copy of the slave side goes with the Pty: the terminal ends with the exec.
    let master = terminal.map(|p| std::sync::Arc::new(p.master));
    let pid = child.id().unwrap_or(0);
    app.execs.update(&id, |s| {
        s.running = true;
        s.pid = pid;
        s.terminal = master.clone();
    });
    if opts.detach == Some(true) {
        tokio::spawn(finish(app.clone(), id, child));
        return Ok(ok_json(&serde_json::json!({})));
    }
    if let Some(master) = master {
        return Ok(hijack(&mut req, super::tty::RAW, move |conn| async move {
            let (reader, writer) = tokio::io::split(conn);
            if s.stdin {
                let keys = master.clone();
                tokio::spawn(async move { super::tty::feed(&keys, reader).await });
            }
            let (tx, rx) = mpsc::channel(16);
            let pump = tokio::spawn(pump(rx, writer));
            let _ = super::tty::forward(&master, tx);
            drop(master);
            finish(app, id, child).await;
            let _ = pump.await;
        }));
    }
    Ok(hijack(&mut req, super::streams::MULTIPLEXED, move |conn| async move {
        let (mut reader, writer) = tokio::io::split(conn);
        if let Some(mut stdin) = child.stdin.take() {
            tokio::spawn(async move {
                let _ = tokio::io::copy(&mut reader, &mut stdin).await;
                let _ = stdin.shutdown().await;
            });
        }
        let (tx, rx) = mpsc::channel(16);
        let pump = tokio::spawn(pump(rx, writer));
        let out = child.stdout.take().map(|o| tokio::spawn(relay(o, STDOUT, s.stdout, tx.clone())));
        let err = child.stderr.take().map(|e| tokio::spawn(relay(e, STDERR, s.stderr, tx.clone())));
        for relay in [out, err].into_iter().flatten() {
            let _ = relay.await;
        }
        // The exit code is known before the stream ends (`tx` dropped):
        // the client asks for it as soon as it reads the end.
        finish(app, id, child).await;
        drop(tx);
        let _ = pump.await;
    }))
}

/// One output stream of the exec, framed, into the channel (read and
/// dropped when the client did not ask for it).
async fn relay(mut from: impl AsyncRead + Unpin, stream: u8, wanted: bool, tx: mpsc::Sender<Bytes>) {
    let mut buf = vec![0; 1 << 15];
    while let Ok(n @ 1..) = from.read(&mut buf).await {
        if wanted && tx.send(Bytes::from(frame(stream, &buf[..n]))).await.is_err() {
            return;
        }
    }
}

async fn finish(app: App, id: String, mut child: tokio::process::Child) {
    let code = child.wait().await.ok().and_then(|s| {
        use std::os::unix::process::ExitStatusExt;
        s.code().or_else(|| s.signal().map(|sig| 128 + sig))
    });
    app.execs.update(&id, |s| {
        s.running = false;
        s.exit_code = Some(code.unwrap_or(super::containers::UNKNOWN_EXIT));
        s.terminal = None;
    });
}

/// `POST /exec/ID/resize?h=ROWS&w=COLUMNS`.
pub async fn resize(State(app): State<App>, Key(id): Key, req: Request) -> ApiResult {
    let q = super::api::query(req.uri().query());
    let size = |k: &str| q.get(k).and_then(|v| v.parse::<u16>().ok()).unwrap_or(0);
    if let Some(master) = app.execs.get(&id)?.terminal {
        super::tty::resize(&master, size("h"), size("w"));
    }
    Ok(ok_json(&serde_json::json!({})))
}

/// `GET /exec/ID/json`.
pub async fn inspect(State(app): State<App>, Key(id): Key) -> ApiResult {
    let s = app.execs.get(&id)?;
    Ok(ok_json(&serde_json::json!({
        "ID": id,
        "Running": s.running,
        "ExitCode": s.exit_code,
        "ProcessConfig": {
            "entrypoint": s.argv[0],
            "arguments": &s.argv[1..],
            "tty": s.tty,
            "privileged": false,
            "user": "",
        },
        "OpenStdin": s.stdin,
        "OpenStdout": s.stdout,
        "OpenStderr": s.stderr,
        "CanRemove": false,
        "ContainerID": s.container,
        "DetachKeys": "",
        "Pid": s.pid,
    })))
}
