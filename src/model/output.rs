//! The end of a box's output log (what `run -d` writes to
//! `boxes/NAME/output.log`), for the web page to show beside the box.
//!
//! The box writes the log's bytes, so they are the box's words: anything
//! but text, tabs and newlines (a terminal escape, a NUL) is shown as `�`,
//! and the file is opened by descriptor, never through a symlink and never
//! if it is not a plain file (`sys::tree::open_file`).

use crate::state::Root;
use crate::sys::{beneath, tree};
use std::io::{Read, Seek, SeekFrom};

/// The last `max` bytes of the box's log, cut to whole lines; None when
/// there is no log (nothing ran detached yet).
pub fn tail(root: &Root, name: &str, max: u64) -> Option<String> {
    let dir = beneath::open_root(&root.box_dir(name)).ok()?;
    let (mut file, st) = tree::open_file(std::os::fd::AsFd::as_fd(&dir), c"output.log").ok()??;
    let start = st.size.saturating_sub(max);
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut bytes = Vec::with_capacity(max.min(st.size) as usize);
    file.take(max).read_to_end(&mut bytes).ok()?;
    // From the middle of the file: begin at the first whole line.
    let from = if start > 0 { bytes.iter().position(|b| *b == b'\n').map_or(0, |i| i + 1) } else { 0 };
    Some(clean(&String::from_utf8_lossy(&bytes[from..])))
}

/// Text, tabs and newlines kept; every other control character replaced.
pub fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{fffd}' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn terminal_escapes_in_a_log_are_shown_not_obeyed() {
        assert_eq!(super::clean("ok\n\x1b[2Jgone\x07\tx"), "ok\n\u{fffd}[2Jgone\u{fffd}\tx");
    }
}
