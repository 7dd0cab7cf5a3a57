//! The one way glassbox prints.
//!
//! Two promises hold for everything it says. First, what a box controls
//! (file names, argv, hostnames) cannot act on the terminal or forge a line:
//! [`say!`] prints exactly one line and escapes every hidden character in
//! it (see [`escape`]); a block of several lines goes through [`text`],
//! whose producer escaped its values. Second, a reader that goes away
//! (`glassbox diff BOX | head -1`) ends the printing, not the command: a
//! step whose output pipe closed still finishes what it changes, and exits
//! as it would have. std ignores SIGPIPE, so a closed pipe is an EPIPE
//! error here; any other write error (a full disk) is reported once at the
//! end and makes the exit code 1.
//!
//! clippy's `disallowed-macros` keeps `println!` and friends out of the rest
//! of the crate.
#![allow(clippy::disallowed_macros)]

pub mod escape;
pub mod outcome;
pub mod time;

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Prints one line on stdout, every hidden character escaped.
macro_rules! say {
    () => {
        $crate::output::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}

/// Writes one line of a value's text (its `Display`) to a formatter, every
/// hidden character escaped as [`say!`] does: a newline in a name a box
/// chose stays in its line when [`outcome::show`] prints the text.
macro_rules! say_to {
    ($f:expr) => {
        std::fmt::Write::write_str($f, "\n")
    };
    ($f:expr, $($arg:tt)*) => {
        $crate::output::outcome::line($f, format_args!($($arg)*))
    };
}

/// Prints one line on stderr (a warning, an error), every hidden character
/// escaped, so a message naming what a box made stays one line.
macro_rules! say_err {
    ($($arg:tt)*) => {
        $crate::output::error_line(format_args!($($arg)*))
    };
}

/// Prints one line of progress (a step of `compose up` as it runs): on
/// stdout, or on stderr when stdout is for the command's one JSON answer.
macro_rules! progress {
    ($($arg:tt)*) => {
        $crate::output::progress_line(format_args!($($arg)*))
    };
}

pub(crate) use {progress, say, say_err, say_to};

/// Set when the command answers in JSON (`--json`): progress goes to stderr.
static ANSWERS_IN_JSON: AtomicBool = AtomicBool::new(false);

/// Called once, after parsing: stdout is for one JSON answer from now on.
pub fn answer_in_json(json: bool) {
    ANSWERS_IN_JSON.store(json, Ordering::Relaxed);
}

/// `progress!`'s body.
pub fn progress_line(args: std::fmt::Arguments) {
    if ANSWERS_IN_JSON.load(Ordering::Relaxed) { error_line(args) } else { line(args) }
}

/// Set once stdout's reader has gone: nothing more is written there.
static READER_GONE: AtomicBool = AtomicBool::new(false);
/// The first write error that was not a closed pipe.
static WRITE_FAILED: Mutex<Option<String>> = Mutex::new(None);

/// True once nobody reads stdout: a command that only prints (a live
/// `stats`) can stop.
pub fn reader_gone() -> bool {
    READER_GONE.load(Ordering::Relaxed)
}

fn write_out(bytes: &[u8]) {
    if reader_gone() || WRITE_FAILED.lock().is_ok_and(|f| f.is_some()) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            READER_GONE.store(true, Ordering::Relaxed);
        } else if let Ok(mut failed) = WRITE_FAILED.lock() {
            failed.get_or_insert(e.to_string());
        }
    }
}

/// `say!`'s body: one line, escaped.
pub fn line(args: std::fmt::Arguments) {
    let text = args.to_string();
    let mut shown = escape::visible(&text).into_owned();
    shown.push('\n');
    write_out(shown.as_bytes());
}

/// A block of lines whose layout glassbox made (a plan, a script, a lesson
/// page): its producer escaped the values in it (`Faces::render`,
/// `escape::shell_word`), and anything hidden left inside a line is escaped
/// here. Written at once: stdout is line-buffered, and a block is many lines.
pub fn text(block: &str) {
    write_out(visible_lines(block).as_bytes());
}

/// Each line of the block escaped; its line breaks kept.
fn visible_lines(block: &str) -> String {
    let mut shown = String::with_capacity(block.len());
    for l in block.split_inclusive('\n') {
        let (body, end) = l.strip_suffix('\n').map_or((l, ""), |b| (b, "\n"));
        shown.push_str(&escape::visible(body));
        shown.push_str(end);
    }
    shown
}

/// A value as pretty JSON (strings are JSON-escaped, and the hidden
/// characters serde_json leaves are escaped too).
pub fn json(value: &impl serde::Serialize) {
    let text = serde_json::to_string_pretty(value).expect("models serialise");
    write_out(format!("{}\n", escape::visible_json(text)).as_bytes());
}

/// A value as one line of JSON, for a stream of them.
pub fn json_line(value: &impl serde::Serialize) {
    let text = serde_json::to_string(value).expect("models serialise");
    write_out(format!("{}\n", escape::visible_json(text)).as_bytes());
}

/// `say_err!`'s body. A stderr that cannot be written leaves nowhere to say so.
pub fn error_line(args: std::fmt::Arguments) {
    let text = args.to_string();
    let _ = writeln!(std::io::stderr().lock(), "{}", escape::visible(&text));
}

/// A warning on stderr: `warning: ` (in the command's language) and what.
pub fn warning(what: &str) {
    error_line(format_args!("{}", crate::i18n::tr!("warning", what = what)));
}

/// A block of lines on stderr (`--explain`'s operations), as [`text`] does.
pub fn error_text(block: &str) {
    let _ = std::io::stderr().lock().write_all(visible_lines(block).as_bytes());
}

/// The exit code once the command is done: a write error other than a
/// closed pipe is said once and turns success into failure.
pub fn finish(code: u8) -> u8 {
    let failed = WRITE_FAILED.lock().ok().and_then(|mut f| f.take());
    match failed {
        Some(e) => {
            say_err!("glassbox: could not write the output: {e}");
            if code == 0 { 1 } else { code }
        }
        None => code,
    }
}

/// A panic says one line and the program goes on to exit 1 (main catches
/// the unwind): no thread dump, no abort, and never a half-drawn terminal.
pub fn on_panic_say_internal_error() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        say_err!("glassbox: internal error: {what}{at} (please report)");
    }));
}
