//! Lesson variables: what differs between two learners on one machine.
//! A lesson's text, checks and scripts say `{port}` (the host port the
//! lesson publishes on) and `{web}` (the web page's address) instead of a
//! fixed number; `lesson start`, `lesson status`, the checks and dev-check
//! fill them in from the lesson root. Two roots never ask for the same
//! port by design (see `loopback_port`), and the test suite, on roots of
//! its own, never takes a learner's.
//!
//! `{address:BOX}` in a probe is the box's address on the bridge, known
//! only once the box is connected: the check fills it in when it runs.

use crate::stage::bridge;
use crate::state::Root;

#[derive(Debug, Clone, PartialEq)]
pub struct Vars {
    /// The host port this lesson publishes a box's port on.
    pub port: u16,
    /// `http://127.0.0.1:PORT`: where `glassbox serve` listens by default.
    pub web: String,
}

impl Vars {
    pub fn new(root: &Root, lesson_id: &str) -> Vars {
        Vars {
            port: bridge::loopback_port(root, &format!("lesson {lesson_id}")),
            web: format!("http://127.0.0.1:{}", bridge::serve_port(root)),
        }
    }

    /// The text with `{port}` and `{web}` filled in.
    pub fn fill(&self, text: &str) -> String {
        text.replace("{port}", &self.port.to_string()).replace("{web}", &self.web)
    }

    /// The same, for the scripts: `$PORT` and `$WEB`.
    pub fn env(&self) -> [(&'static str, String); 2] {
        [("PORT", self.port.to_string()), ("WEB", self.web.clone())]
    }
}

/// The `{address:BOX}` references in a text, in order (each box once).
pub fn address_refs(text: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for piece in text.split("{address:").skip(1) {
        if let Some((name, _)) = piece.split_once('}') {
            if !out.iter().any(|n| n == name) {
                out.push(name.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_roots_get_two_ports_and_one_root_always_the_same() {
        let a = Root::new(Some(std::path::Path::new("/tmp/student-a")));
        let b = Root::new(Some(std::path::Path::new("/tmp/student-b")));
        assert_eq!(Vars::new(&a, "14-whole-container"), Vars::new(&a, "14-whole-container"));
        assert_ne!(Vars::new(&a, "14-whole-container").port, Vars::new(&b, "14-whole-container").port);
        assert_ne!(Vars::new(&a, "14-whole-container").port, Vars::new(&a, "06-connecting").port);
        let p = Vars::new(&a, "06-connecting").port;
        assert!((20000..32000).contains(&p), "{p}");
        let v = Vars::new(&a, "06-connecting");
        assert_eq!(
            v.fill("publish l06a {port}:80; open {web}/box/l06a"),
            format!("publish l06a {p}:80; open {}/box/l06a", v.web)
        );
    }

    #[test]
    fn address_references() {
        assert_eq!(address_refs("nc {address:l06a} 80; ping {address:l06a}; {address:x}"), ["l06a", "x"]);
        assert!(address_refs("{port} {address:").is_empty());
    }
}
