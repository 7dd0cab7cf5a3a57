//! Making text a box controls safe to show.
//!
//! A file name, a process's argv, a hostname: a process in a box chooses
//! them, and any of them may hold an ESC (a terminal command: clear the
//! screen, retitle the window, move the cursor) or a newline (a line of
//! output glassbox never wrote, such as `D fakeline` in `diff`). Every such
//! character is shown as an escape in the notation bash's `$'…'` reads
//! (`\e`, `\n`, `\x7f`, `\u202e`), as `ls` shows file names on a terminal.

use std::borrow::Cow;
use std::fmt::Write;

/// A character that must not reach a terminal as it is: the C0 and C1
/// controls and DEL (ESC starts terminal commands, CR and LF start lines),
/// Unicode's line and paragraph separators, and the bidirectional controls
/// that reorder how the rest of a line is shown.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Appends the escape of one hidden character.
fn push_escape(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\x1b' => out.push_str("\\e"),
        c if c.is_ascii() => write!(out, "\\x{:02x}", c as u32).expect("a String takes any write"),
        c => write!(out, "\\u{:04x}", c as u32).expect("a String takes any write"),
    }
}

/// The text with every hidden character escaped: one line that shows what
/// it holds and does nothing to the terminal. A backslash stays as it is,
/// so text that was escaped once (an error naming a path) reads the same
/// after a second pass.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hidden(c) {
            push_escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One shell word that means `s`: bare when it is plain, in single quotes
/// when it holds spaces or quotes, and as bash's `$'…'` when it holds a
/// hidden character, so a pasted or printed command line stays one line
/// and still means the same argument.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b)) {
        return s.to_string();
    }
    if !s.chars().any(is_hidden) {
        return format!("'{}'", s.replace('\'', r"'\''"));
    }
    let mut out = String::from("$'");
    for c in s.chars() {
        match c {
            '\\' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden(c) => push_escape(c, &mut out),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// One shell word holding several lines of script (for `sh -c`): single
/// quotes keep its line breaks line breaks a reader can follow. Each line
/// was made of `shell_word`s; anything hidden left in one is escaped.
pub fn shell_lines(lines: &[String]) -> String {
    let body: Vec<String> = lines.iter().map(|l| visible(l).replace('\'', r"'\''")).collect();
    format!("'{}'", body.join("\n"))
}

/// JSON text with the hidden characters serde_json leaves as they are (DEL,
/// the C1 controls, the Unicode separators and bidirectional controls) as
/// `\uXXXX` escapes. It already escapes everything below U+0020 inside a
/// string, so those that remain are the JSON's own layout and stay.
pub fn visible_json(json: String) -> String {
    let hides = |c: char| c as u32 >= 0x7f && is_hidden(c);
    if !json.chars().any(hides) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if hides(c) {
            write!(out, "\\u{:04x}", c as u32).expect("a String takes any write");
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_left_alone() {
        assert!(matches!(visible("A /etc/hostname  ünïcode 한국어 a\\b"), Cow::Borrowed(_)));
    }

    #[test]
    fn terminal_commands_and_line_breaks_are_shown_not_obeyed() {
        assert_eq!(visible("x\ny\x1b[2Jz"), "x\\ny\\e[2Jz");
        assert_eq!(visible("a\rb\tc\x07\x7f"), "a\\rb\\tc\\x07\\x7f");
        assert_eq!(visible("\u{9b}31m \u{202e}gpj.exe \u{2028}"), "\\u009b31m \\u202egpj.exe \\u2028");
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = visible("a\x1bb\\n").into_owned();
        assert_eq!(visible(&once), once);
    }

    #[test]
    fn shell_words_keep_their_meaning_and_stay_one_line() {
        assert_eq!(shell_word("ls"), "ls");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("it's here"), r"'it'\''s here'");
        assert_eq!(shell_word("a\nD fake\x1b'\\"), r"$'a\nD fake\e\'\\'");
    }

    #[test]
    fn a_script_block_keeps_its_own_lines_only() {
        let lines = ["mount -t proc proc '/a b'".to_string(), "echo x\ny".to_string()];
        assert_eq!(shell_lines(&lines), "'mount -t proc proc '\\''/a b'\\''\necho x\\ny'");
    }

    #[test]
    fn json_keeps_its_layout_and_escapes_what_serde_json_leaves() {
        let json = serde_json::to_string_pretty(&["a\x1b\n", "b\u{9b}\u{7f}"]).unwrap();
        let shown = visible_json(json);
        assert_eq!(shown, "[\n  \"a\\u001b\\n\",\n  \"b\\u009b\\u007f\"\n]");
        assert_eq!(serde_json::from_str::<Vec<String>>(&shown).unwrap(), ["a\x1b\n", "b\u{9b}\u{7f}"]);
    }
}
