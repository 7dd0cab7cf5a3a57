//! The Dockerfile as text: parser directives, comments, line continuations
//! and instructions, each kept with the line and column it starts at so an
//! error can point at it (`Dockerfile:3:1: unknown instruction FORM`).
//!
//! What the parser decides is only the form: which instruction, its raw
//! arguments, exec form (a JSON array) or shell form. Variables are
//! expanded when the step runs (`words`), because their values depend on
//! the ENVs and ARGs before it.

use super::words;
use crate::i18n::tr;

/// The most instructions one Dockerfile may hold. Each RUN, COPY and ADD is
/// a layer and a box can stack at most `state::stack::MAX_LAYERS`; a file
/// of thousands of lines is a mistake (or an attack on the builder).
pub const MAX_INSTRUCTIONS: usize = 1000;
/// The most bytes a Dockerfile may have.
pub const MAX_BYTES: usize = 1 << 20;

pub use crate::error::build::SyntaxError;

/// A command: `RUN ["a", "b"]` (exec form) or `RUN a b` (shell form).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Exec(Vec<String>),
    Shell(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    From,
    Run,
    Copy,
    Add,
    Env,
    Arg,
    Workdir,
    User,
    Cmd,
    Entrypoint,
    Expose,
    Label,
    Shell,
    Volume,
    StopSignal,
    Healthcheck,
    Maintainer,
}

impl Kind {
    fn parse(word: &str) -> Option<Kind> {
        Some(match word.to_ascii_uppercase().as_str() {
            "FROM" => Kind::From,
            "RUN" => Kind::Run,
            "COPY" => Kind::Copy,
            "ADD" => Kind::Add,
            "ENV" => Kind::Env,
            "ARG" => Kind::Arg,
            "WORKDIR" => Kind::Workdir,
            "USER" => Kind::User,
            "CMD" => Kind::Cmd,
            "ENTRYPOINT" => Kind::Entrypoint,
            "EXPOSE" => Kind::Expose,
            "LABEL" => Kind::Label,
            "SHELL" => Kind::Shell,
            "VOLUME" => Kind::Volume,
            "STOPSIGNAL" => Kind::StopSignal,
            "HEALTHCHECK" => Kind::Healthcheck,
            "MAINTAINER" => Kind::Maintainer,
            _ => return None,
        })
    }

    /// Whether the step makes a layer (and so counts against the stack).
    pub fn makes_layer(&self) -> bool {
        matches!(self, Kind::Run | Kind::Copy | Kind::Add)
    }
}

/// One instruction as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    pub line: usize,
    pub col: usize,
    pub kind: Kind,
    /// The keyword as written, upper-cased.
    pub keyword: String,
    /// `--name=value` flags before the arguments (COPY --chown=…).
    pub flags: Vec<(String, String)>,
    /// The arguments after the keyword and flags, continuations joined.
    pub args: String,
    /// The column (1-based) where `args` starts on its first line.
    pub args_col: usize,
}

impl Instruction {
    /// The line as `image history` and the progress show it.
    pub fn text(&self) -> String {
        let flags: String = self.flags.iter().map(|(k, v)| format!("--{k}={v} ")).collect();
        format!("{} {flags}{}", self.keyword, self.args)
    }

    /// Exec form when the arguments are a JSON array of strings, else shell form.
    pub fn command(&self) -> Command {
        match serde_json::from_str::<Vec<String>>(self.args.trim()) {
            Ok(v) if self.args.trim_start().starts_with('[') => Command::Exec(v),
            _ => Command::Shell(self.args.clone()),
        }
    }

    pub fn error(&self, reason: impl Into<String>) -> SyntaxError {
        SyntaxError { line: self.line, col: self.col, reason: reason.into() }
    }

    /// An error in the arguments, `at` characters into them.
    pub fn error_at(&self, at: usize, reason: impl Into<String>) -> SyntaxError {
        SyntaxError { line: self.line, col: self.args_col + at, reason: reason.into() }
    }
}

/// What the parser found: the instructions and notes for the user
/// (directives it ignored).
#[derive(Debug, Default)]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
    pub notes: Vec<String>,
}

/// Parses a whole Dockerfile.
pub fn parse(text: &str) -> Result<Dockerfile, SyntaxError> {
    if text.len() > MAX_BYTES {
        return Err(SyntaxError {
            line: 1,
            col: 1,
            reason: tr!("dockerfile-too-big", bytes = text.len(), max = MAX_BYTES),
        });
    }
    let mut out = Dockerfile::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut escape = '\\';
    let mut n = 0;
    // Parser directives: `# key=value` lines at the very top.
    while n < lines.len() {
        let Some((key, value)) = directive(lines[n]) else { break };
        match key.as_str() {
            "escape" if value == "`" || value == "\\" => escape = value.chars().next().unwrap_or('\\'),
            "escape" => {
                return Err(SyntaxError { line: n + 1, col: 1, reason: tr!("dockerfile-bad-escape", value = value) });
            }
            _ => out.notes.push(format!("line {}: parser directive {key}={value} ignored", n + 1)),
        }
        n += 1;
    }
    while n < lines.len() {
        let raw = lines[n];
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            n += 1;
            continue;
        }
        let start = n;
        let col = raw.len() - trimmed.len() + 1;
        let mut joined = String::new();
        let mut line = trimmed.trim_end();
        loop {
            match line.strip_suffix(escape) {
                Some(rest) => {
                    joined.push_str(rest);
                    n += 1;
                    // Comments and blank lines inside a continuation are skipped.
                    while n < lines.len() && (lines[n].trim().is_empty() || lines[n].trim_start().starts_with('#')) {
                        n += 1;
                    }
                    if n >= lines.len() {
                        return Err(SyntaxError {
                            line: start + 1,
                            col,
                            reason: tr!("dockerfile-ends-continued", escape = escape.to_string()),
                        });
                    }
                    line = lines[n].trim_end();
                }
                None => {
                    joined.push_str(line);
                    break;
                }
            }
        }
        n += 1;
        out.instructions.push(instruction(&joined, start + 1, col)?);
        if out.instructions.len() > MAX_INSTRUCTIONS {
            return Err(SyntaxError {
                line: start + 1,
                col,
                reason: tr!("dockerfile-too-many", max = MAX_INSTRUCTIONS),
            });
        }
    }
    if out.instructions.is_empty() {
        return Err(SyntaxError { line: 1, col: 1, reason: tr!("dockerfile-empty") });
    }
    Ok(out)
}

/// `# key=value` (a parser directive), lower-cased key.
fn directive(line: &str) -> Option<(String, String)> {
    let body = line.trim().strip_prefix('#')?.trim();
    let (k, v) = body.split_once('=')?;
    let k = k.trim();
    (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric())).then(|| (k.to_lowercase(), v.trim().to_string()))
}

fn instruction(joined: &str, line: usize, col: usize) -> Result<Instruction, SyntaxError> {
    let word_end = joined.find(char::is_whitespace).unwrap_or(joined.len());
    let word = &joined[..word_end];
    let kind = Kind::parse(word).ok_or_else(|| SyntaxError {
        line,
        col,
        reason: match word.to_ascii_uppercase().as_str() {
            "ONBUILD" => tr!("dockerfile-onbuild"),
            _ => tr!("dockerfile-unknown-instruction", word = word.escape_debug().to_string()),
        },
    })?;
    let mut rest = joined[word_end..].trim_start();
    let mut args_col = col + joined.len() - rest.len();
    let mut flags = vec![];
    while matches!(kind, Kind::Copy | Kind::Add | Kind::From) && rest.starts_with("--") {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let flag = &rest[2..end];
        let (k, v) = flag.split_once('=').unwrap_or((flag, ""));
        flags.push((k.to_string(), v.to_string()));
        rest = rest[end..].trim_start();
        args_col = col + joined.len() - rest.len();
    }
    let inst =
        Instruction { line, col, keyword: word.to_ascii_uppercase(), kind, flags, args: rest.to_string(), args_col };
    check(&inst)?;
    Ok(inst)
}

/// What can be known before the build runs: arguments present, quotes closed.
fn check(inst: &Instruction) -> Result<(), SyntaxError> {
    if inst.args.trim().is_empty() {
        return Err(inst.error(tr!("dockerfile-needs-arguments", keyword = inst.keyword)));
    }
    let none = |_: &str| None;
    let expands = !matches!(inst.kind, Kind::Run | Kind::Cmd | Kind::Entrypoint | Kind::Shell | Kind::Healthcheck);
    if expands {
        words::split(&inst.args, &none).map_err(|e| inst.error_at(e.at, e.reason))?;
    }
    if matches!(inst.kind, Kind::Shell) && !matches!(inst.command(), Command::Exec(_)) {
        return Err(inst.error(tr!("dockerfile-shell-json")));
    }
    if inst.args.trim_start().starts_with('[')
        && matches!(inst.kind, Kind::Run | Kind::Cmd | Kind::Entrypoint)
        && matches!(inst.command(), Command::Shell(_))
    {
        // Docker would run the text as a shell command: almost always a typo.
        return Err(inst.error_at(0, tr!("dockerfile-not-exec-form")));
    }
    if inst.kind == Kind::From && inst.flags.iter().any(|(k, _)| k != "platform") {
        return Err(inst.error(tr!("dockerfile-from-flag")));
    }
    for (flag, _) in &inst.flags {
        let known = match inst.kind {
            Kind::Copy => ["chown", "chmod", "from", "link"].contains(&flag.as_str()),
            Kind::Add => ["chown", "chmod", "link"].contains(&flag.as_str()),
            _ => true,
        };
        if !known {
            return Err(inst.error(tr!("dockerfile-no-such-flag", keyword = inst.keyword, flag = flag)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_comments_and_directives_make_instructions_with_their_lines() {
        let text = "# syntax=docker/dockerfile:1\n\nFROM busybox\n# a comment\nRUN echo a \\\n  # inside\n  && echo b\n  copy --chown=1:2 a.txt /app/\nCMD [\"sh\", \"-c\", \"echo hi\"]\n";
        let d = parse(text).unwrap();
        assert_eq!(d.notes.len(), 1, "{:?}", d.notes);
        let lines: Vec<_> = d.instructions.iter().map(|i| (i.line, i.col, i.keyword.as_str())).collect();
        assert_eq!(lines, [(3, 1, "FROM"), (5, 1, "RUN"), (8, 3, "COPY"), (9, 1, "CMD")]);
        assert_eq!(d.instructions[1].args, "echo a   && echo b");
        assert_eq!(d.instructions[2].flags, [("chown".to_string(), "1:2".to_string())]);
        assert_eq!(d.instructions[3].command(), Command::Exec(vec!["sh".into(), "-c".into(), "echo hi".into()]));
        assert_eq!(d.instructions[1].command(), Command::Shell("echo a   && echo b".into()));
    }

    #[test]
    fn errors_point_at_the_line_and_column() {
        let err = parse("FROM busybox\n  FORM x\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 3));
        assert!(err.reason.contains("unknown instruction FORM"), "{err}");
        let err = parse("FROM busybox\nENV A=\"open\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 7), "{err}");
        let err = parse("FROM busybox\nRUN\n").unwrap_err();
        assert_eq!((err.line, err.reason.as_str()), (2, "RUN needs arguments"));
        let err = parse("FROM busybox\nRUN echo \\\n").unwrap_err();
        assert!(err.reason.contains("ends inside a line continued"), "{err}");
        assert!(parse("FROM busybox\nONBUILD RUN x\n").unwrap_err().reason.contains("ONBUILD is not supported"));
        assert!(parse("FROM busybox\nCMD ['sh']\n").unwrap_err().reason.contains("JSON array"));
        assert!(parse("").is_err());
    }

    #[test]
    fn the_escape_directive_changes_the_continuation() {
        let d = parse("# escape=`\nFROM busybox\nRUN echo a `\n b\n").unwrap();
        assert_eq!(d.instructions[1].args, "echo a  b");
    }

    #[test]
    fn a_huge_dockerfile_is_refused_quickly() {
        let text = "FROM busybox\n".to_string() + &"ENV A=1\n".repeat(10_000);
        let t = std::time::Instant::now();
        let err = parse(&text).unwrap_err();
        assert!(err.reason.contains("more than 1000 instructions"), "{err}");
        assert!(t.elapsed() < std::time::Duration::from_secs(1));
    }
}
