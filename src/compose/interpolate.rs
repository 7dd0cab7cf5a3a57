//! `${VAR}` in a compose file: values from the environment and `.env`.
//!
//! Compose substitutes variables in every string value after reading the
//! YAML (so a value can never add a key): `$VAR` and `${VAR}` are the
//! variable, empty when unset; `${VAR:-default}` the default when unset or
//! empty, `${VAR-default}` only when unset; `${VAR:?message}` and
//! `${VAR?message}` refuse to go on without it; `$$` is one `$`. The
//! variables come from glassbox's own environment first, then from the
//! `.env` file beside the compose file (`KEY=VALUE` lines, `#` comments).

use std::collections::BTreeMap;

pub type Vars = BTreeMap<String, String>;

/// `.env` text as variables: `KEY=VALUE`, optional `export `, quotes removed.
pub fn parse_dotenv(text: &str) -> Result<Vars, String> {
    let mut vars = Vars::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("line {}: {line:?} is not KEY=VALUE", n + 1));
        };
        let key = key.trim();
        if !is_name(key) {
            return Err(format!("line {}: {key:?} is not a variable name", n + 1));
        }
        let value = value.trim();
        let unquoted =
            ['"', '\''].iter().find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q))).unwrap_or(value);
        vars.insert(key.to_string(), unquoted.to_string());
    }
    Ok(vars)
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// One string with its variables substituted.
pub fn interpolate(text: &str, vars: &Vars) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
        } else if let Some(inner) = rest.strip_prefix('{') {
            let end = inner.find('}').ok_or_else(|| format!("{text:?}: `${{` has no closing `}}`"))?;
            out.push_str(&braced(&inner[..end], vars, text)?);
            rest = &inner[end + 1..];
        } else {
            let len = rest.find(|c: char| c != '_' && !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
            if len == 0 || !is_name(&rest[..len]) {
                return Err(format!("{text:?}: a `$` not followed by a variable name; write `$$` for a `$`"));
            }
            out.push_str(vars.get(&rest[..len]).map(String::as_str).unwrap_or(""));
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// `NAME`, `NAME:-default`, `NAME-default`, `NAME:?err`, `NAME?err`.
fn braced(inner: &str, vars: &Vars, text: &str) -> Result<String, String> {
    let len = inner.find(|c: char| c != '_' && !c.is_ascii_alphanumeric()).unwrap_or(inner.len());
    let (name, op) = inner.split_at(len);
    if !is_name(name) {
        return Err(format!("{text:?}: `${{{inner}}}` does not start with a variable name"));
    }
    let value = vars.get(name);
    let set_nonempty = value.filter(|v| !v.is_empty());
    let pick = |fallback: &str, when: Option<&String>| when.cloned().unwrap_or_else(|| fallback.to_string());
    Ok(match op {
        "" => pick("", value),
        _ if op.starts_with(":-") => pick(&op[2..], set_nonempty),
        _ if op.starts_with('-') => pick(&op[1..], value),
        _ if op.starts_with(":?") || op.starts_with('?') => {
            let nonempty = op.starts_with(':');
            let message = op.trim_start_matches(':').trim_start_matches('?');
            match if nonempty { set_nonempty } else { value } {
                Some(v) => v.clone(),
                None => return Err(format!("variable {name} is required: {message}")),
            }
        }
        _ => return Err(format!("{text:?}: glassbox reads ${{{name}}}, ${{{name}:-default}} and ${{{name}:?error}}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        [("TAG", "v2"), ("EMPTY", "")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn variables_defaults_and_dollars() {
        let v = vars();
        assert_eq!(interpolate("web:${TAG}", &v).unwrap(), "web:v2");
        assert_eq!(interpolate("web:$TAG!", &v).unwrap(), "web:v2!");
        assert_eq!(interpolate("${NOPE:-1.0}", &v).unwrap(), "1.0");
        assert_eq!(interpolate("${EMPTY:-x}", &v).unwrap(), "x");
        assert_eq!(interpolate("${EMPTY-x}", &v).unwrap(), "");
        assert_eq!(interpolate("${NOPE}", &v).unwrap(), "");
        assert_eq!(interpolate("echo $$HOME", &v).unwrap(), "echo $HOME");
        assert!(interpolate("${NOPE:?set NOPE}", &v).unwrap_err().contains("set NOPE"));
        assert!(interpolate("${TAG", &v).is_err());
        assert!(interpolate("cost $5", &v).is_err());
    }

    #[test]
    fn dotenv_lines() {
        let v = parse_dotenv("# c\nTAG=v3\nexport A='x y'\n\nB=\"q\"\n").unwrap();
        assert_eq!(v["TAG"], "v3");
        assert_eq!(v["A"], "x y");
        assert_eq!(v["B"], "q");
        assert!(parse_dotenv("junk").is_err());
    }
}
