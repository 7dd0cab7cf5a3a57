//! The path language of lesson checks (lessons/FORMAT.md "Paths"): dot
//! separated keys into the `inspect --json` model, where a key may select
//! in an array with `[N]` (index), `[key=value]` (the first element whose
//! `key` equals `value`) or `[*]` (any element).
//!
//! A path can lead to several values (through `[*]`), or to none (a key
//! absent): [`Path::lookup`] returns every branch, `None` for a branch that
//! ends at nothing, and a check passes if it passes on any branch.

use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Select {
    Index(usize),
    Match { key: String, value: String },
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub key: String,
    pub select: Option<Select>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub text: String,
    pub segments: Vec<Segment>,
}

/// Splits on dots outside brackets: `volumes[target=/a.b].ro` is two segments.
fn split(text: &str) -> Result<Vec<&str>, String> {
    let mut out = vec![];
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '.' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        if !(0..=1).contains(&depth) {
            return Err(format!("path {text:?}: brackets do not pair up"));
        }
    }
    if depth != 0 {
        return Err(format!("path {text:?}: a `[` is not closed"));
    }
    out.push(&text[start..]);
    Ok(out)
}

fn parse_segment(seg: &str, text: &str) -> Result<Segment, String> {
    let bad = |why: &str| format!("path {text:?}: segment {seg:?} {why}");
    let (key, select) = match seg.find('[') {
        None => (seg, None),
        Some(open) => {
            let inner = seg[open + 1..].strip_suffix(']').ok_or_else(|| bad("must end at its `]`"))?;
            let select = if inner == "*" {
                Select::Any
            } else if let Some((k, v)) = inner.split_once('=') {
                if k.is_empty() {
                    return Err(bad("needs a key before `=`"));
                }
                Select::Match { key: k.to_string(), value: v.to_string() }
            } else {
                Select::Index(inner.parse().map_err(|_| bad("selects with [N], [key=value] or [*]"))?)
            };
            (&seg[..open], Some(select))
        }
    };
    if key.is_empty() {
        return Err(bad("has no key"));
    }
    Ok(Segment { key: key.to_string(), select })
}

/// A value as the text `[key=value]` compares with.
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        if text.trim().is_empty() {
            return Err("path is empty".into());
        }
        let segments = split(text)?.into_iter().map(|s| parse_segment(s, text)).collect::<Result<_, _>>()?;
        Ok(Path { text: text.to_string(), segments })
    }

    /// Every value the path leads to in `model`; `None` for a branch that
    /// ends at an absent key, a missing element or a null.
    pub fn lookup<'a>(&self, model: &'a Value) -> Vec<Option<&'a Value>> {
        let mut branches: Vec<Option<&Value>> = vec![Some(model)];
        for seg in &self.segments {
            let mut next = vec![];
            for b in branches {
                let Some(v) = b.and_then(|v| v.get(&seg.key)) else {
                    next.push(None);
                    continue;
                };
                match &seg.select {
                    None => next.push(Some(v)),
                    Some(Select::Index(i)) => next.push(v.get(*i)),
                    Some(Select::Match { key, value }) => next.push(
                        v.as_array()
                            .and_then(|a| a.iter().find(|e| e.get(key).and_then(as_text).as_deref() == Some(value))),
                    ),
                    Some(Select::Any) => match v.as_array() {
                        Some(a) if !a.is_empty() => next.extend(a.iter().map(Some)),
                        _ => next.push(None),
                    },
                }
            }
            branches = next;
        }
        branches.into_iter().map(|b| b.filter(|v| !v.is_null())).collect()
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> Value {
        json!({
            "state": "running",
            "hostname": null,
            "user_map": {"outside": 100000},
            "namespaces": [
                {"kind": "uts", "isolated": true, "inode": 4026532},
                {"kind": "pid", "isolated": false}
            ],
            "processes": [{"role": "init", "command": "init"}, {"role": "main", "command": "sleep 100"}],
            "volumes": [{"target": "/a.b", "ro": true}],
            "rootfs": {"layers": []}
        })
    }

    fn get(path: &str) -> Vec<Option<Value>> {
        let m = model();
        Path::parse(path).unwrap().lookup(&m).into_iter().map(|o| o.cloned()).collect()
    }

    #[test]
    fn keys_and_nested_keys() {
        assert_eq!(get("state"), vec![Some(json!("running"))]);
        assert_eq!(get("user_map.outside"), vec![Some(json!(100000))]);
        assert_eq!(get("nothing.here"), vec![None]);
        assert_eq!(get("hostname"), vec![None], "null reads as absent");
    }

    #[test]
    fn selectors() {
        assert_eq!(get("namespaces[kind=uts].isolated"), vec![Some(json!(true))]);
        assert_eq!(get("namespaces[kind=net].isolated"), vec![None]);
        assert_eq!(get("namespaces[1].kind"), vec![Some(json!("pid"))]);
        assert_eq!(get("namespaces[9].kind"), vec![None]);
        assert_eq!(get("processes[*].command"), vec![Some(json!("init")), Some(json!("sleep 100"))]);
        assert_eq!(get("rootfs.layers[*].kind"), vec![None], "an empty array leads nowhere");
        assert_eq!(get("volumes[target=/a.b].ro"), vec![Some(json!(true))], "dots inside brackets");
        assert_eq!(get("namespaces[inode=4026532].kind"), vec![Some(json!("uts"))], "numbers match as text");
    }

    #[test]
    fn bad_paths_say_why() {
        for bad in ["", "a[", "a]", "a[x", "[0]", "a.[0]", "a[-1]", "a[=x]", "a..b", "a[0]b"] {
            assert!(Path::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
