//! Unit tests of layer extraction. Each archive is written by hand (see `H`
//! and `Tar`) and extracted into a fresh `Scene`, whose victim folder beside
//! the staging folder must come through every case unchanged.

mod bad_input;
mod contents;
mod escapes;
mod whiteouts;

use super::{ExtractError, Extracted, Limits, extract_layer};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// One raw ustar header, written by hand: tar::Builder refuses `..`,
/// absolute names and the other shapes these tests need.
struct H<'a> {
    name: &'a [u8],
    kind: u8,
    mode: u32,
    link: &'a str,
    size: u64,
    dev: (u32, u32),
    owner: (u32, u32),
    mtime: u64,
}

fn h(name: &(impl AsRef<[u8]> + ?Sized), kind: u8) -> H<'_> {
    let mode = if kind == b'5' { 0o755 } else { 0o644 };
    H { name: name.as_ref(), kind, mode, link: "", size: 0, dev: (0, 0), owner: (0, 0), mtime: 1_600_000_000 }
}

fn octal(field: &mut [u8], v: u64) {
    let w = field.len() - 1;
    field[..w].copy_from_slice(format!("{v:0w$o}").as_bytes());
}

impl H<'_> {
    fn block(&self) -> [u8; 512] {
        let mut b = [0u8; 512];
        b[..self.name.len().min(100)].copy_from_slice(&self.name[..self.name.len().min(100)]);
        octal(&mut b[100..108], self.mode as u64);
        octal(&mut b[108..116], self.owner.0 as u64);
        octal(&mut b[116..124], self.owner.1 as u64);
        octal(&mut b[124..136], self.size);
        octal(&mut b[136..148], self.mtime);
        b[156] = self.kind;
        b[157..157 + self.link.len()].copy_from_slice(self.link.as_bytes());
        b[257..265].copy_from_slice(b"ustar\x0000");
        octal(&mut b[329..337], self.dev.0 as u64);
        octal(&mut b[337..345], self.dev.1 as u64);
        seal(&mut b);
        b
    }
}

/// Writes a header's checksum: the byte sum with the field itself as spaces.
fn seal(b: &mut [u8]) {
    b[148..156].copy_from_slice(b"        ");
    let sum: u32 = b[..512].iter().map(|x| *x as u32).sum();
    b[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
}

#[derive(Default)]
struct Tar(Vec<u8>);

impl Tar {
    /// Appends a header (preceded by a GNU long-name entry if the name
    /// needs one) and its data.
    fn put(mut self, mut hdr: H, data: &[u8]) -> Self {
        if hdr.name.len() > 100 {
            let long = [hdr.name, b"\0"].concat();
            self = self.put(H { size: long.len() as u64, ..h("././@LongLink", b'L') }, &long);
        }
        hdr.size = hdr.size.max(data.len() as u64);
        self.0.extend_from_slice(&hdr.block());
        self.0.extend_from_slice(data);
        self.0.resize(self.0.len().div_ceil(512) * 512, 0);
        self
    }
    fn file(self, name: &str, data: &str) -> Self {
        self.put(h(name, b'0'), data.as_bytes())
    }
    fn dir(self, name: &str, mode: u32) -> Self {
        self.put(H { mode, ..h(name, b'5') }, b"")
    }
    fn sym(self, name: &str, target: &str) -> Self {
        self.put(H { link: target, ..h(name, b'2') }, b"")
    }
    fn link(self, name: &str, target: &str) -> Self {
        self.put(H { link: target, ..h(name, b'1') }, b"")
    }
    fn dev(self, name: &str, kind: u8, major: u32, minor: u32) -> Self {
        self.put(H { dev: (major, minor), ..h(name, kind) }, b"")
    }
    fn pax(self, records: &[(&str, &str)]) -> Self {
        let mut body = Vec::new();
        for (k, v) in records {
            let rest = format!(" {k}={v}\n");
            let mut len = rest.len() + 1;
            len += format!("{len}").len() - 1;
            body.extend_from_slice(format!("{len}{rest}").as_bytes());
        }
        self.put(h("PaxHeader", b'x'), &body)
    }
    fn end(mut self) -> Vec<u8> {
        self.0.extend_from_slice(&[0u8; 1024]);
        self.0
    }
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A staging folder and, beside it, a victim folder whose file must come
/// through every scenario unchanged (content, mode, link count).
struct Scene {
    top: PathBuf,
    dest: PathBuf,
    victim: PathBuf,
    secret: String,
}

impl Scene {
    fn new(test: &str) -> Scene {
        let top = std::env::temp_dir().join(format!("glassbox-extract-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&top);
        let (dest, victim) = (top.join("dest"), top.join("victim"));
        std::fs::create_dir_all(&dest).unwrap();
        std::fs::create_dir_all(&victim).unwrap();
        let seed = format!("{test}{:?}", std::time::SystemTime::now());
        let secret = hex::encode(Sha256::digest(seed.as_bytes()));
        std::fs::write(victim.join("file"), &secret).unwrap();
        std::fs::set_permissions(victim.join("file"), std::fs::Permissions::from_mode(0o640)).unwrap();
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o750)).unwrap();
        Scene { top, dest, victim, secret }
    }
    fn run(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        self.run_with(bytes, &Limits::default())
    }
    fn run_with(&self, bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
        extract_layer(bytes, &self.dest, limits, &mut |_| {})
    }
    fn at(&self, rel: &str) -> PathBuf {
        self.dest.join(rel)
    }
    fn victim_str(&self) -> String {
        self.victim.display().to_string()
    }
    fn assert_victim_intact(&self) {
        let names = |dir: &Path| {
            let mut v: Vec<String> =
                std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
            v.sort();
            v
        };
        assert_eq!(names(&self.top), ["dest", "victim"], "something appeared beside the staging folder");
        assert_eq!(names(&self.victim), ["file"]);
        let dir = std::fs::symlink_metadata(&self.victim).unwrap();
        assert!(dir.is_dir() && dir.mode() & 0o7777 == 0o750, "victim dir changed: {:o}", dir.mode());
        let file = std::fs::symlink_metadata(self.victim.join("file")).unwrap();
        assert_eq!((file.mode() & 0o7777, file.nlink(), file.uid()), (0o640, 1, 0));
        assert_eq!(std::fs::read_to_string(self.victim.join("file")).unwrap(), self.secret);
    }
}

impl Drop for Scene {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.top);
    }
}

/// The error's kind: "invalid", "unsafe", "dest", "io", or the limit name.
fn kind(err: &ExtractError) -> &'static str {
    match err {
        ExtractError::InvalidArchive { .. } => "invalid",
        ExtractError::LimitExceeded { limit, .. } => limit,
        ExtractError::UnsafeEntry { .. } => "unsafe",
        ExtractError::Dest { .. } => "dest",
        ExtractError::Io { .. } | ExtractError::Read { .. } => "io",
    }
}

fn fails(result: Result<Extracted, ExtractError>, want: &str) -> String {
    let err = result.expect_err(want);
    assert_eq!(kind(&err), want, "{err}");
    assert_eq!(err.is_invalid_archive(), !matches!(want, "dest" | "io"));
    err.to_string()
}

type Build<'a> = &'a dyn Fn(&Scene) -> Vec<u8>;

/// Runs each archive in a fresh scene, expecting `want` and an intact victim.
fn each_fails(test: &str, want: &str, cases: &[(&str, Build)]) {
    for (i, (what, build)) in cases.iter().enumerate() {
        let scene = Scene::new(&format!("{test}{i}"));
        let Err(err) = scene.run(&build(&scene)) else { panic!("{what}: extracted without error") };
        assert_eq!(kind(&err), want, "{what}: {err}");
        scene.assert_victim_intact();
    }
}
