//! `volume add` specs: `<name | /host/path>:<path in the box>[:ro]`,
//! parsed and checked before anything is made.

pub use crate::domain::volume::{Source, VolumeMount};
use crate::state::names;
use std::path::{Component, Path, PathBuf};

/// Places in a box a volume may not cover: the box itself, and the kernel's
/// filesystems glassbox mounts there.
const FORBIDDEN_TARGETS: [&str; 4] = ["/", "/proc", "/sys", "/dev"];

/// The target as a clean absolute path: no `.`, no `..`, no doubled `/`.
pub fn parse_target(s: &str) -> Result<PathBuf, String> {
    if !s.starts_with('/') {
        return Err(format!("the path in the box {s:?} must be absolute, like /data"));
    }
    let mut out = PathBuf::from("/");
    for c in Path::new(s).components() {
        match c {
            Component::RootDir => {}
            Component::Normal(n) => out.push(n),
            Component::CurDir | Component::ParentDir | Component::Prefix(_) => {
                return Err(format!("the path in the box {s:?} may not contain . or .."));
            }
        }
    }
    if let Some(f) = FORBIDDEN_TARGETS.iter().find(|f| out == Path::new(f) || (**f != "/" && out.starts_with(f))) {
        return Err(format!(
            "a volume cannot cover {f} in the box: glassbox mounts the kernel's own filesystems there"
        ));
    }
    Ok(out)
}

/// Parses the spec; a host path is returned as given (checked later).
pub fn parse(spec: &str) -> Result<(Source, PathBuf, bool), String> {
    if spec.contains('\0') || spec.contains('\n') {
        return Err("the spec contains a NUL or newline".into());
    }
    let parts: Vec<&str> = spec.split(':').collect();
    let read_only = match parts.as_slice() {
        [_, _] => false,
        [_, _, "ro"] => true,
        [_, _, other] => return Err(format!("unknown option {other:?}: the only option is ro (read-only)")),
        _ => return Err(format!("{spec:?} is not NAME:/path or /host/path:/path, with an optional :ro")),
    };
    let source = if parts[0].starts_with('/') {
        Source::Host { given: PathBuf::from(parts[0]), resolved: PathBuf::new() }
    } else {
        names::validate("volume", parts[0]).map_err(|e| e.to_string())?;
        Source::Named { name: parts[0].to_string() }
    };
    Ok((source, parse_target(parts[1])?, read_only))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(
            parse("data:/data").unwrap(),
            (Source::Named { name: "data".into() }, PathBuf::from("/data"), false)
        );
        assert!(parse("data:/srv/x:ro").unwrap().2);
        let (src, target, _) = parse("/tmp/x://a//b/").unwrap();
        assert!(matches!(src, Source::Host { .. }));
        assert_eq!(target, PathBuf::from("/a/b"));
        for bad in [
            "data",
            "data:rel",
            "data:/../../etc",
            "data:/a/../b",
            "data:/",
            "data:/proc",
            "data:/sys/x",
            "data:/dev",
            "data:/d:rw:ro",
            "data:/d:x",
            "Bad:/d",
            "..:/d",
            "a\0:/d",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
