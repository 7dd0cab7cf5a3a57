//! One step's part of the script, collected from its operations and put in
//! the order the tools need: the cgroup to join, the user namespace (made
//! first, as it owns the rest), namespaces shared with other boxes, the
//! other namespaces with their setup, then the host's and the box's lines
//! in the plan's order.

use crate::domain::NamespaceKind;
use crate::output::escape::{shell_lines, shell_word};
use crate::plan::op::Words;
use std::path::{Path, PathBuf};

enum Where {
    Host,
    /// In the box's namespaces but its user namespace, as the host's root.
    Inside,
}

pub struct StepScript {
    words: Words,
    /// The pivot into the root filesystem, done last (see `rootfs`).
    pivot: Option<String>,
    made: Vec<NamespaceKind>,
    held: Vec<NamespaceKind>,
    maps: Vec<String>,
    opts: Vec<String>,
    setup: Vec<String>,
    before: Vec<String>,
    shares: Vec<String>,
    lines: Vec<(Where, String)>,
    notes: Vec<String>,
}

impl StepScript {
    /// The box's own folders become the script's variables, each pair a
    /// folder and what the script says instead (`$HOLD`, `$HOLD/upper`…):
    /// the box's are in use by the box. The caller knows where a state root
    /// puts them (see `model::script`), so plans need no state root.
    pub fn new(folders: impl IntoIterator<Item = (PathBuf, &'static str)>) -> StepScript {
        let words = folders.into_iter().fold(Words::plain(), |w, (folder, var)| w.replacing(folder, var));
        StepScript {
            words,
            pivot: None,
            made: vec![],
            held: vec![],
            maps: vec![],
            opts: vec![],
            setup: vec![],
            before: vec![],
            shares: vec![],
            lines: vec![],
            notes: vec![],
        }
    }

    pub fn words(&self) -> &Words {
        &self.words
    }

    /// The box's root as the script reaches it before its last line
    /// pivots into it: `"$HOLD/rootfs"` once the step that builds it ran.
    pub fn box_root(&self) -> Option<&'static str> {
        self.pivot.as_ref().map(|_| "\"$HOLD/rootfs\"")
    }

    /// Paths in the box written below its root filesystem while it is built.
    pub fn in_box_words(&self) -> Words {
        match self.pivot {
            Some(_) => Words::plain().replacing(PathBuf::from("/"), "$HOLD/rootfs"),
            None => Words::plain(),
        }
    }

    pub fn made(&mut self, kind: NamespaceKind) {
        if !self.made.contains(&kind) {
            self.made.push(kind);
        }
    }

    pub fn hold(&mut self, kind: NamespaceKind) {
        self.held.push(kind);
    }

    pub fn map_ids(&mut self, line: String) {
        self.maps.push(line);
    }

    pub fn unshare_opt(&mut self, opt: String) {
        self.opts.push(opt);
    }

    /// A command run in the new namespaces before they are held.
    pub fn setup(&mut self, cmd: String) {
        self.setup.push(cmd);
    }

    /// A line before the step's helper starts.
    pub fn before_helper(&mut self, line: String) {
        self.before.push(line);
    }

    /// A namespace joined from another box: held here too (pid: entered by
    /// its init's file), and entered from now on.
    pub fn share(&mut self, kind: NamespaceKind, with: &str, handle: &Path) {
        let (opt, handle) = (kind.util_linux_option(), shell_word(&handle.to_string_lossy()));
        let mut line = format!("# share box {}'s {kind} namespace\n", shell_word(with));
        if kind == NamespaceKind::Pid {
            line.push_str(&format!("ENTER+=({opt}={handle}); MOUNTER+=({opt}={handle})"));
        } else {
            let k = kind.name();
            line.push_str(&format!(
                "touch \"$HOLD/{k}\"; mount --bind {handle} \"$HOLD/{k}\"; ENTER+=({opt}=\"$HOLD/{k}\"); MOUNTER+=({opt}=\"$HOLD/{k}\")"
            ));
        }
        self.shares.push(line);
    }

    pub fn host(&mut self, line: String) {
        self.lines.push((Where::Host, line));
    }

    pub fn inside(&mut self, line: String) {
        self.lines.push((Where::Inside, line));
    }

    /// The step builds a root filesystem.
    pub fn rootfs(&mut self) {
        self.host("# the root filesystem, mounted in the box's mount namespace; / last of all".into());
    }

    pub fn pivot(&mut self, line: String) {
        self.pivot = Some(line);
    }

    /// A hold let go; a mount namespace let go takes its pending root with it.
    pub fn release(&mut self, kind: NamespaceKind, line: String) {
        if kind == NamespaceKind::Mnt {
            self.pivot = None;
        }
        self.host(line);
    }

    /// A comment after the step's lines.
    pub fn note(&mut self, line: String) {
        self.notes.push(line);
    }

    /// The step's lines, in order; the collected parts are emptied.
    pub fn finish_step(&mut self) -> String {
        let mut out: String = self.before.drain(..).map(|l| l + "\n").collect();
        let made = std::mem::take(&mut self.made);
        let held = std::mem::take(&mut self.held);
        if made.contains(&NamespaceKind::User) {
            out.push_str("helper --user -- true\n");
            out.extend(self.maps.drain(..).map(|l| l + "\n"));
            out.push_str("hold user; USERNS=(--user=\"$HOLD/user\"); kill -KILL $HELPER\n");
        }
        out.extend(self.shares.drain(..).map(|l| l + "\n"));
        let rest: Vec<NamespaceKind> = made.into_iter().filter(|k| *k != NamespaceKind::User).collect();
        if !rest.is_empty() {
            out.push_str(&self.helper(&rest, &held));
        }
        self.opts.clear();
        self.setup.clear();
        self.maps.clear();
        let mut inside: Vec<String> = vec![];
        for (place, line) in self.lines.drain(..) {
            match place {
                Where::Inside => inside.push(line),
                Where::Host => {
                    out.push_str(&enter(&mut inside));
                    out.push_str(&format!("{line}\n"));
                }
            }
        }
        out.push_str(&enter(&mut inside));
        out.extend(self.notes.drain(..).map(|l| l + "\n"));
        out
    }

    /// The script's last lines: the box's root, once everything is below it.
    pub fn finish(&mut self) -> String {
        match self.pivot.take() {
            Some(line) => format!(
                "\n# last: the root filesystem becomes the box's /, the host's is detached\n{}",
                enter(&mut vec![line])
            ),
            None => String::new(),
        }
    }

    fn helper(&mut self, rest: &[NamespaceKind], held: &[NamespaceKind]) -> String {
        let mut opts: Vec<String> = rest.iter().map(|k| k.util_linux_option().to_string()).collect();
        if rest.iter().any(|k| k.applies_to_children()) {
            opts.push("--fork".into());
            opts.push("--kill-child".into());
        }
        opts.append(&mut self.opts);
        if self.setup.is_empty() {
            self.setup.push("true".into());
        }
        let mut out = format!("helper {} -- {}\n", opts.join(" "), shell_word(&self.setup.join("; ")));
        let held: Vec<&str> = held.iter().filter(|k| **k != NamespaceKind::User).map(|k| k.name()).collect();
        if !held.is_empty() {
            out.push_str(&format!("hold {}\n", held.join(" ")));
        }
        if rest.contains(&NamespaceKind::Pid) {
            out.push_str("# this helper's child is PID 1 of the new PID namespace: keep it\n");
            out.push_str("echo $HELPER > \"$HOLD/init.pid\"; ENTER+=(--pid=/proc/$HELPER/ns/pid_for_children); MOUNTER+=(--pid=/proc/$HELPER/ns/pid_for_children)\n");
        } else {
            out.push_str("kill -KILL $HELPER\n");
        }
        out
    }
}

/// Lines run in one shell inside the box's namespaces (none: nothing).
fn enter(lines: &mut Vec<String>) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let text = format!("nsenter \"${{MOUNTER[@]}}\" -- sh -e -c {}\n", shell_lines(lines));
    lines.clear();
    text
}
