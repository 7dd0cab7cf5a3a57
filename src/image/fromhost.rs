//! `image from-host BIN...`: the smallest image that runs the named host
//! programs: each binary plus every shared library the dynamic loader
//! would load for it (as `ldd` lists them), at the same paths.

use super::{ImageError, ImageRecord, Result, Store};
use std::path::{Path, PathBuf};

/// The program as found on PATH (perhaps a symlink such as /usr/bin/sh).
fn find(bin: &str) -> Result<PathBuf> {
    let candidates: Vec<PathBuf> = if bin.contains('/') {
        vec![PathBuf::from(bin)]
    } else {
        std::env::var("PATH")
            .unwrap_or_default()
            .split(':')
            .chain(["/usr/sbin", "/sbin"])
            .map(|d| Path::new(d).join(bin))
            .collect()
    };
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| ImageError::Invalid(format!("{bin}: no such program on this host (looked in PATH)")))
}

/// The libraries `ldd` reports, including the loader itself.
pub fn parse_ldd(text: &str) -> Vec<PathBuf> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let path = match l.split_once("=>") {
                Some((_, right)) => right.trim().split(' ').next()?,
                None => l.split(' ').next()?,
            };
            path.starts_with('/').then(|| PathBuf::from(path))
        })
        .collect()
}

fn copy_into(tree: &Path, file: &Path, dest: &Path) -> Result<()> {
    let target = tree.join(dest.strip_prefix("/").unwrap_or(dest));
    let err = |e| ImageError::Io { path: target.clone(), source: e };
    std::fs::create_dir_all(target.parent().expect("inside the tree")).map_err(err)?;
    std::fs::copy(file, &target).map_err(err)?;
    Ok(())
}

pub fn make_image(store: &Store, name: &str, bins: &[String]) -> Result<(ImageRecord, Vec<PathBuf>)> {
    if bins.is_empty() {
        return Err(ImageError::Invalid("name at least one program: glassbox image from-host sh ls".into()));
    }
    let tree = store.scratch_dir("from-host")?;
    let result = (|| {
        let mut files = vec![];
        let mut links = vec![];
        for bin in bins {
            let found = find(bin)?;
            let path = found.canonicalize().unwrap_or(found.clone());
            if found != path {
                // `sh` is /usr/bin/sh -> dash: keep the name the user asked for.
                links.push((found, path.clone()));
            }
            let ldd = std::process::Command::new("ldd").arg(&path).output();
            files.push(path.clone());
            if let Ok(out) = ldd {
                files.extend(parse_ldd(&String::from_utf8_lossy(&out.stdout)));
            }
        }
        files.sort();
        files.dedup();
        for f in &files {
            copy_into(&tree, f, f)?;
        }
        for (link, target) in &links {
            let at = tree.join(link.strip_prefix("/").unwrap_or(link));
            if !at.exists() {
                let _ = std::fs::create_dir_all(at.parent().expect("inside the tree"));
                std::os::unix::fs::symlink(target, &at).map_err(|e| ImageError::Io { path: at.clone(), source: e })?;
            }
        }
        for d in ["proc", "sys", "dev", "tmp", "etc", "root"] {
            let p = tree.join(d);
            std::fs::create_dir_all(&p).map_err(|e| ImageError::Io { path: p, source: e })?;
        }
        let passwd = tree.join("etc/passwd");
        std::fs::write(&passwd, "root:x:0:0:root:/root:/bin/sh\n")
            .map_err(|e| ImageError::Io { path: passwd, source: e })?;
        let image = store.image_of_tree(
            name,
            &tree,
            &format!("host programs: {}", bins.join(" ")),
            format!("from-host {}", bins.join(" ")),
        )?;
        Ok((image, files))
    })();
    let _ = std::fs::remove_dir_all(&tree);
    result
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_ldd_output() {
        let text = "\tlinux-vdso.so.1 (0x00007ffd)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n";
        let v = super::parse_ldd(text);
        assert_eq!(
            v,
            [std::path::PathBuf::from("/lib/x86_64-linux-gnu/libc.so.6"), "/lib64/ld-linux-x86-64.so.2".into()]
        );
        assert!(super::parse_ldd("\tstatically linked\n").is_empty());
    }
}
