//! Embeds the lessons in the binary: every file under `lessons/*/` becomes
//! one entry of a table (`lessons.rs` in OUT_DIR) holding its path relative to
//! `lessons/` and its text, so `glassbox lesson` works from the installed
//! binary alone. `GLASSBOX_LESSONS_DIR` overrides the table at run time.
// A build script talks to cargo by printing.
#![allow(clippy::disallowed_macros)]

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files_under(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// Which book chapter includes which lesson's README (`lesson show` names
/// it): every `lessons/NN-slug/README.md` a page under book/src mentions.
fn chapters(manifest: &Path, code: &mut String) {
    println!("cargo:rerun-if-changed=book/src");
    let src = manifest.join("book/src");
    let mut pages = vec![];
    files_under(&src, &mut pages);
    let mut found: Vec<(String, String)> = vec![];
    for page in pages.iter().filter(|p| p.extension().is_some_and(|e| e == "md")) {
        let Ok(text) = std::fs::read_to_string(page) else { continue };
        let rel = page.strip_prefix(manifest).expect("under the manifest").to_string_lossy().into_owned();
        for piece in text.split("lessons/").skip(1) {
            let Some((dir, _)) = piece.split_once("/README.md") else { continue };
            let b = dir.as_bytes();
            let lesson_like = b.len() > 3 && b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2] == b'-';
            if lesson_like && !dir.contains('/') && !found.iter().any(|(d, _)| d == dir) {
                found.push((dir.to_string(), rel.clone()));
            }
        }
    }
    found.sort();
    code.push_str("/// (lesson folder, the book page that includes its README).\n");
    code.push_str("pub static CHAPTERS: &[(&str, &str)] = &[\n");
    for (dir, page) in found {
        writeln!(code, "    ({dir:?}, {page:?}),").unwrap();
    }
    code.push_str("];\n");
}

fn main() {
    // A folder given here is scanned whole: any file added, changed or
    // removed under lessons/ rebuilds the table.
    println!("cargo:rerun-if-changed=lessons");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let lessons = manifest.join("lessons");
    let mut folders: Vec<PathBuf> =
        std::fs::read_dir(&lessons).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    folders.sort();
    let mut files = vec![];
    for f in &folders {
        files_under(f, &mut files);
    }
    let mut code = String::from("/// Every file under lessons/*/: (path relative to lessons/, text).\n");
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f.strip_prefix(&lessons).expect("under lessons/").to_string_lossy().into_owned();
        // Only text files can be lessons' files; anything else is left out.
        if std::fs::read_to_string(f).is_err() {
            println!("cargo:warning=lessons/{rel} is not UTF-8 text: not embedded");
            continue;
        }
        writeln!(code, "    ({rel:?}, include_str!({:?})),", f.display().to_string()).unwrap();
    }
    code.push_str("];\n");
    chapters(&manifest, &mut code);
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lessons.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
