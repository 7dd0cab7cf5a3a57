//! What a command did, as a value: `Serialize` for `--json`, `Display` for
//! the person at the terminal. Commands return one and [`show`] prints it,
//! the one place that chooses between the two, so no command can forget
//! `--json` or print a line of text into a JSON answer.

use std::fmt::{self, Display};

/// Prints what a command did: one JSON object with `--json`, else its text,
/// each hidden character escaped line by line (a name or path from a box
/// cannot act on the terminal).
pub fn show(value: &(impl serde::Serialize + Display), json: bool) {
    if json {
        super::json(value);
    } else {
        let text = value.to_string();
        if !text.is_empty() {
            super::text(&format!("{}\n", text.trim_end_matches('\n')));
        }
    }
}

/// [`say_to!`](super::say_to)'s body: one line, escaped.
pub fn line(f: &mut (impl fmt::Write + ?Sized), args: fmt::Arguments) -> fmt::Result {
    f.write_str(&super::escape::visible(&args.to_string()))?;
    f.write_str("\n")
}

/// A value made only if it is shown as JSON: what a step's `--json` answer
/// holds but its text does not print. A step answers with the box's whole
/// model, and collecting that reads the namespaces of every process on the
/// host, which costs more than many steps themselves; the text skips it.
pub struct WhenJson<F>(pub F);

impl<T: serde::Serialize, F: Fn() -> T> serde::Serialize for WhenJson<F> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.0)().serialize(serializer)
    }
}

/// A value for scripts with the sentences a person reads beside it: what a
/// step changed (the box model, the volume, the image) and its summary.
#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
pub struct Said<T: serde::Serialize> {
    value: T,
    #[serde(skip)]
    lines: Vec<String>,
}

impl<T: serde::Serialize> Said<T> {
    pub fn new(value: T, line: String) -> Said<T> {
        Said::of(value).and(line)
    }

    /// The value with no text yet.
    pub fn of(value: T) -> Said<T> {
        Said { value, lines: vec![] }
    }

    /// More lines of text.
    pub fn and_all(mut self, lines: impl IntoIterator<Item = String>) -> Said<T> {
        self.lines.extend(lines);
        self
    }

    /// One more line of text (JSON has it in the value already).
    pub fn and(mut self, line: String) -> Said<T> {
        self.lines.push(line);
        self
    }
}

impl<T: serde::Serialize> Display for Said<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(line)?;
        }
        Ok(())
    }
}
