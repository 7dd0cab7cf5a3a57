//! `.dockerignore` and the path patterns COPY sources use: Go's
//! `filepath.Match` per path component (`*`, `?`, `[a-z]`, `\` escaping),
//! plus `**` for any number of components; a later `!pattern` takes a path
//! back. A pattern that names a folder excludes everything in it.

/// The patterns of a `.dockerignore`, in order.
#[derive(Debug, Default, Clone)]
pub struct Ignore {
    rules: Vec<(bool, Vec<String>)>,
}

/// A path or pattern as components, `.` and empty ones dropped, leading
/// `/` meaning the context's root; `..` kept (the caller refuses it).
pub fn components(path: &str) -> Vec<String> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".").map(String::from).collect()
}

impl Ignore {
    pub fn parse(text: &str) -> Ignore {
        let mut rules = vec![];
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (keep, pattern) = match line.strip_prefix('!') {
                Some(p) => (true, p.trim()),
                None => (false, line),
            };
            let parts = components(pattern);
            if !parts.is_empty() {
                rules.push((keep, parts));
            }
        }
        Ignore { rules }
    }

    /// Whether a path of the context (components from its root) is left
    /// out: the last rule matching it, or one of its folders, decides.
    pub fn excludes(&self, path: &[String]) -> bool {
        let mut excluded = false;
        for (keep, pattern) in &self.rules {
            if (1..=path.len()).any(|n| matches(pattern, &path[..n])) {
                excluded = !keep;
            }
        }
        excluded
    }
}

/// Whether `pattern` (components) matches `path` (components) whole.
pub fn matches(pattern: &[String], path: &[String]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((p, rest)) if p == "**" => (0..=path.len()).any(|skip| matches(rest, &path[skip..])),
        Some((p, rest)) => path.split_first().is_some_and(|(c, tail)| component(p, c) && matches(rest, tail)),
    }
}

/// One component against one pattern component.
pub fn component(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    glob(&p, &n)
}

fn glob(p: &[char], n: &[char]) -> bool {
    match p.split_first() {
        None => n.is_empty(),
        Some(('*', rest)) => (0..=n.len()).any(|k| glob(rest, &n[k..])),
        Some(('?', rest)) => !n.is_empty() && glob(rest, &n[1..]),
        Some(('[', _)) => match class(p, n.first().copied()) {
            Some((true, after)) => glob(&p[after..], &n[1..]),
            _ => false,
        },
        Some(('\\', rest)) if !rest.is_empty() => n.first() == Some(&rest[0]) && glob(&rest[1..], &n[1..]),
        Some((c, rest)) => n.first() == Some(c) && glob(rest, &n[1..]),
    }
}

/// `[…]` at the start of `p` against `c`: whether it matched, and where the
/// pattern goes on; None for no character or an unclosed class.
fn class(p: &[char], c: Option<char>) -> Option<(bool, usize)> {
    let c = c?;
    let mut i = 1;
    let negate = matches!(p.get(i), Some('^' | '!'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let start = i;
    while i < p.len() && (p[i] != ']' || i == start) {
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            hit |= p[i] <= c && c <= p[i + 2];
            i += 3;
        } else {
            hit |= p[i] == c;
            i += 1;
        }
    }
    (i < p.len()).then_some((hit != negate, i + 1))
}

/// Whether a COPY source has glob characters.
pub fn has_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<String> {
        components(p)
    }

    #[test]
    fn dockerignore_rules_apply_in_order_with_exceptions() {
        let ig = Ignore::parse("# comment\n*.log\nbuild/\n!keep.log\n**/secret*\n/tmp?\n");
        assert!(ig.excludes(&path("a.log")));
        assert!(!ig.excludes(&path("keep.log")));
        assert!(!ig.excludes(&path("sub/a.log")), "*.log is for the top folder only");
        assert!(ig.excludes(&path("build/x/y")), "a folder's contents go with it");
        assert!(ig.excludes(&path("deep/down/secret.txt")));
        assert!(ig.excludes(&path("secret")));
        assert!(ig.excludes(&path("tmp1")));
        assert!(!ig.excludes(&path("src/main.rs")));
    }

    #[test]
    fn globs_match_one_component_each() {
        assert!(component("*.txt", "a.txt") && !component("*.txt", "a.txt.bak"));
        assert!(component("[a-c]?", "b1") && !component("[!a-c]?", "b1"));
        assert!(component(r"\*", "*") && !component(r"\*", "a"));
        assert!(matches(&path("**/*.rs"), &path("src/bin/main.rs")));
        assert!(matches(&path("**"), &path("anything/at/all")));
        assert!(!matches(&path("src/*"), &path("src/a/b")));
    }
}
