//! Reading a compose file: find it, parse it, substitute its variables.
//!
//! Two passes over one text. The first reads it into the typed
//! [`ComposeFile`] as written, so a YAML syntax error or a key glassbox
//! does not read is reported with its line and column. The second reads
//! it as a YAML tree, substitutes `${VAR}` in every string value (never in
//! a key: a variable cannot add one), and reads the result into the same
//! types: that is the file `compose config` prints and `up` plans from.

use super::ComposeError;
use super::interpolate::{self, Vars};
use super::spec::ComposeFile;
use serde_norway::Value;
use std::path::{Path, PathBuf};

/// The names Compose looks for, in its order.
const DEFAULT_NAMES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

/// `-f FILE`, or the first of Compose's default names in the current folder.
pub fn find(asked: Option<&Path>) -> Result<PathBuf, ComposeError> {
    if let Some(path) = asked {
        if !path.is_file() {
            return Err(ComposeError::Bad(format!("{}: no such file; give the compose file with -f", path.display())));
        }
        return Ok(path.to_path_buf());
    }
    let here = std::env::current_dir().map_err(|e| ComposeError::Bad(format!("the current folder: {e}")))?;
    DEFAULT_NAMES.iter().map(|n| here.join(n)).find(|p| p.is_file()).ok_or_else(|| {
        ComposeError::Bad(format!(
            "no compose.yaml (or compose.yml, docker-compose.yml) in {}: cd to the project, or give one with -f FILE",
            here.display()
        ))
    })
}

/// The variables: the `.env` beside the file, overridden by the environment.
pub fn variables(dir: &Path) -> Result<Vars, ComposeError> {
    let mut vars = Vars::new();
    let dotenv = dir.join(".env");
    if let Ok(text) = std::fs::read_to_string(&dotenv) {
        vars = interpolate::parse_dotenv(&text)
            .map_err(|e| ComposeError::Bad(format!("{}: {e}: write KEY=VALUE lines", dotenv.display())))?;
    }
    vars.extend(std::env::vars());
    Ok(vars)
}

/// The file as typed data, its variables substituted.
pub fn parse(file: &Path, text: &str, vars: &Vars) -> Result<ComposeFile, ComposeError> {
    let shown = file.display();
    serde_norway::from_str::<ComposeFile>(text).map_err(|e| located(&shown.to_string(), &e))?;
    let mut tree: Value = serde_norway::from_str(text).map_err(|e| located(&shown.to_string(), &e))?;
    substitute(&mut tree, vars).map_err(|e| ComposeError::Bad(format!("{shown}: {e}")))?;
    serde_norway::from_value(tree)
        .map_err(|e| ComposeError::Bad(format!("{shown}: after substituting variables: {}", plain(&e.to_string()))))
}

fn substitute(value: &mut Value, vars: &Vars) -> Result<(), String> {
    match value {
        Value::String(s) => *s = interpolate::interpolate(s, vars)?,
        Value::Sequence(items) => items.iter_mut().try_for_each(|v| substitute(v, vars))?,
        Value::Mapping(map) => map.iter_mut().try_for_each(|(_, v)| substitute(v, vars))?,
        Value::Tagged(t) => substitute(&mut t.value, vars)?,
        _ => {}
    }
    Ok(())
}

/// A parse error as `FILE line L column C: what`, in glassbox's words.
fn located(file: &str, e: &serde_norway::Error) -> ComposeError {
    let mut message = plain(&e.to_string());
    let at = e.location().map(|l| format!(" line {} column {}", l.line(), l.column())).unwrap_or_default();
    if !at.is_empty() {
        // libyaml says the place once more inside its own sentence.
        message = message.replace(&format!(" at{at},"), ",").replace(&format!(" at{at}"), "");
    }
    ComposeError::Bad(format!("{file}{at}: {}", teach(&message)))
}

/// The message without serde's trailing ` at line L column C`.
fn plain(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Serde's words for an unknown key, said as what to do about it.
fn teach(message: &str) -> String {
    let Some(i) = message.find("unknown field `") else {
        if message.contains("did not match any variant") {
            return format!(
                "{message}: a key glassbox does not read, or a value of the wrong shape (see `glassbox compose --help` for the keys it reads)"
            );
        }
        return message.to_string();
    };
    let path = message[..i].trim_end_matches(": ");
    let key = message[i + 15..].split('`').next().unwrap_or("");
    let place = if path.is_empty() { "at the top".to_string() } else { format!("in {path}") };
    format!(
        "unknown key `{key}` {place}: glassbox reads a subset of the Compose Specification and never ignores a key; remove it (the keys it reads: `glassbox compose --help`)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<ComposeFile, String> {
        parse(Path::new("compose.yaml"), text, &Vars::new()).map_err(|e| e.to_string())
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let e = parsed("services:\n  web:\n    image: busybox\n    privileged: true\n").unwrap_err();
        assert!(e.starts_with("compose.yaml line 4 column 5: unknown key `privileged` in services.web:"), "{e}");
        let e = parsed("services: {}\nx-foo: 1\n").unwrap_err();
        assert!(e.contains("line 2") && e.contains("`x-foo` at the top"), "{e}");
    }

    #[test]
    fn a_syntax_error_has_line_and_column() {
        let e = parsed("services:\n  web:\n    image: [busybox\n").unwrap_err();
        assert!(e.starts_with("compose.yaml line "), "{e}");
    }

    #[test]
    fn values_are_substituted_keys_are_not() {
        let vars: Vars = [("TAG".to_string(), "v2".to_string())].into();
        let f = parse(Path::new("c.yaml"), "services:\n  web:\n    image: app-${TAG:-v1}\n", &vars).unwrap();
        assert_eq!(f.services["web"].image.as_deref(), Some("app-v2"));
    }
}
