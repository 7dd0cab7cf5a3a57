//! Checks that look from outside the model: a probe runs a command in the
//! box (`glassbox exec`), a fetch asks the box's published port from the
//! host, as a browser would. Both see the effect a lesson is about (what a
//! process in the box sees, a reply over the network) rather than a record
//! that something else could have left.

use super::check::{Env, Outcome, model_of, run_with_timeout};
use super::effects::{self, Ledger};
use super::spec::{Check, ExitExpect, Printed};
use super::vars;
use crate::i18n::tr;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// How long a probe may run before it is killed and counted as failed.
const PROBE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a fetch may wait for the connection, and then for the answer.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// What must be printed, each part led by a space (` prints "sandbox"`).
fn expected_print(p: &Printed) -> String {
    let mut out = String::new();
    if let Some(s) = &p.equals {
        out += &format!(" {}", tr!("check-prints", text = format!("{s:?}")));
    }
    if let Some(s) = &p.contains {
        out += &format!(" {}", tr!("check-prints-containing", text = format!("{s:?}")));
    }
    out
}

fn printed_ok(p: &Printed, out: &str) -> bool {
    p.equals.as_ref().is_none_or(|s| out.trim() == s.trim())
        && p.contains.as_ref().is_none_or(|s| out.contains(s.as_str()))
}

/// `{address:BOX}` filled in with that box's address on the bridge.
fn fill_addresses(env: &Env, argv: &[String]) -> Result<Vec<String>, String> {
    let mut argv = argv.to_vec();
    for name in argv.iter().flat_map(|a| vars::address_refs(a)).collect::<Vec<_>>() {
        let model = model_of(env.root, &name)?;
        let address = model
            .as_ref()
            .and_then(|m| m.pointer("/network/address"))
            .and_then(Value::as_str)
            .and_then(|a| a.split('/').next())
            .ok_or_else(|| format!("box {name} has no address on the bridge (is it connected? glassbox net {name})"))?
            .to_string();
        for a in &mut argv {
            *a = a.replace(&format!("{{address:{name}}}"), &address);
        }
    }
    Ok(argv)
}

/// Runs `argv` in the box, which must be running: a probe of a stopped box
/// proves nothing, not even that something in it fails.
pub fn run(
    env: &Env,
    ledger: &mut Ledger,
    check: &Check,
    model: &Value,
    argv: &[String],
    want: (&Printed, ExitExpect),
) -> Outcome {
    let (printed, exit) = want;
    let name = &check.box_name;
    let mut expected =
        format!("{}{}", tr!("check-in-box", command = argv.join(" "), name = name), expected_print(printed));
    expected += &match exit {
        ExitExpect::Code(c) => format!(", {}", tr!("check-exit-code", code = c)),
        ExitExpect::NonZero => format!(", {}", tr!("check-exit-nonzero")),
    };
    let state = model.get("state").and_then(Value::as_str).unwrap_or("unknown");
    if state != "running" {
        return Outcome::Failed { expected, actual: tr!("check-not-running", name = name, state = state) };
    }
    let argv = match fill_addresses(env, argv) {
        Ok(a) => a,
        Err(actual) => return Outcome::Failed { expected, actual },
    };
    let mut cmd = env.glassbox.cmd();
    cmd.arg("exec").arg(name).arg("--").args(&argv);
    let before = effects::read(env.root, name);
    let ran = run_with_timeout(cmd, PROBE_TIMEOUT);
    if let Some(before) = &before {
        effects::settle(env.root, name, before);
        if let Some(after) = effects::read(env.root, name) {
            ledger.record(name, before, &after);
        }
    }
    let (code, out, err) = match ran {
        Ok(r) => r,
        Err(e) => return Outcome::Failed { expected, actual: format!("glassbox exec could not start: {e}") },
    };
    let exit_ok = match (exit, code) {
        (ExitExpect::Code(c), Some(got)) => c == got,
        (ExitExpect::NonZero, Some(got)) => got != 0,
        (_, None) => false,
    };
    if exit_ok && printed_ok(printed, &out) {
        return Outcome::Passed;
    }
    let code =
        code.map_or(tr!("check-killed-after", secs = PROBE_TIMEOUT.as_secs()), |c| tr!("check-exit-code", code = c));
    let text = format!("{:?}", out.trim().chars().take(300).collect::<String>());
    let mut actual = tr!("check-printed", text = text, code = code);
    if let Some(line) = err.lines().find(|l| !l.trim().is_empty()) {
        actual += &tr!("check-stderr", line = line);
    }
    Outcome::Failed { expected, actual }
}

/// `http://127.0.0.1:PORT/PATH` as (address, path).
fn parse_url(url: &str) -> Option<(SocketAddr, String)> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    Some((host.parse().ok()?, path))
}

/// What a GET answered: the body of the reply.
fn get(addr: SocketAddr, path: &str) -> Result<String, String> {
    let mut s =
        TcpStream::connect_timeout(&addr, FETCH_TIMEOUT).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let _ = s.set_read_timeout(Some(FETCH_TIMEOUT));
    let _ = s.set_write_timeout(Some(FETCH_TIMEOUT));
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes())
        .map_err(|e| format!("the connection to {addr} broke: {e}"))?;
    let mut reply = Vec::new();
    if let Err(e) = s.take(1 << 20).read_to_end(&mut reply) {
        if reply.is_empty() {
            return Err(format!("{addr} accepted the connection, then: {e}"));
        }
    }
    let text = String::from_utf8_lossy(&reply).into_owned();
    match text.split_once("\r\n\r\n") {
        Some((_, body)) => Ok(body.to_string()),
        None if text.is_empty() => Err(format!("{addr} accepted the connection and closed it with no answer")),
        None => Ok(text),
    }
}

/// An HTTP GET from the host: the reply travels the whole way back.
pub fn fetch(url: &str, printed: &Printed) -> Outcome {
    let expected = match (&printed.equals, &printed.contains) {
        (Some(s), _) => tr!("check-fetch", url = url, text = format!("{s:?}")),
        (None, Some(s)) => tr!("check-fetch-containing", url = url, text = format!("{s:?}")),
        (None, None) => tr!("check-fetch", url = url, text = "\"\""),
    };
    let Some((addr, path)) = parse_url(url) else {
        return Outcome::Failed { expected, actual: format!("{url:?} is not an http://127.0.0.1:PORT/ address") };
    };
    match get(addr, &path) {
        Ok(body) if printed_ok(printed, &body) => Outcome::Passed,
        Ok(body) => Outcome::Failed {
            expected,
            actual: tr!("check-answered", text = format!("{:?}", body.trim().chars().take(300).collect::<String>())),
        },
        Err(actual) => Outcome::Failed { expected, actual },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(parse_url("http://127.0.0.1:20001/"), Some(("127.0.0.1:20001".parse().unwrap(), "/".into())));
        assert_eq!(parse_url("http://127.0.0.1:20001"), Some(("127.0.0.1:20001".parse().unwrap(), "/".into())));
        assert_eq!(parse_url("http://127.0.0.1:80/a/b").unwrap().1, "/a/b");
        assert!(parse_url("http://127.0.0.1:{port}/").is_none());
    }
}
