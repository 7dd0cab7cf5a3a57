//! `image busybox`: a base image made offline from the host's busybox-static.
//!
//! busybox is one static binary that acts as `sh`, `ls`, `ps`, `mount` and
//! some 300 other commands depending on the name it is called by; a layer of
//! that binary, a symlink per command and a minimal /etc is a complete, tiny
//! root filesystem. Static matters: a dynamically linked busybox would need
//! the host's C library inside the image too.

use super::{ImageError, ImageRecord, Result, Store};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

pub const BUSYBOX: &str = "/bin/busybox";

const ETC: [(&str, &str); 4] = [
    ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"),
    ("etc/group", "root:x:0:\nnobody:x:65534:\n"),
    ("etc/hosts", "127.0.0.1 localhost\n::1 localhost\n"),
    ("etc/os-release", "NAME=\"glassbox busybox\"\nID=busybox\n"),
];

/// Whether an ELF file asks for a dynamic loader (has a PT_INTERP header).
pub fn is_dynamic(bytes: &[u8]) -> bool {
    let u16_at = |o: usize| bytes.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u64_at = |o: usize| bytes.get(o..o + 8).map(|b| u64::from_le_bytes(b.try_into().unwrap()) as usize);
    let (Some(phoff), Some(size), Some(num)) = (u64_at(0x20), u16_at(0x36), u16_at(0x38)) else { return false };
    (0..num).any(|i| bytes.get(phoff + i * size..phoff + i * size + 4) == Some(&[3, 0, 0, 0]))
}

/// Lays out the busybox tree in `dir`.
fn build_tree(dir: &Path) -> Result<usize> {
    let bin = std::fs::read(BUSYBOX).map_err(|_| {
        ImageError::Invalid(format!("{BUSYBOX} not found: install it with `apt-get install busybox-static`"))
    })?;
    if is_dynamic(&bin) {
        return Err(ImageError::Invalid(format!(
            "{BUSYBOX} is dynamically linked and would not run alone in an image: `apt-get install busybox-static`"
        )));
    }
    for (d, mode) in [
        ("bin", 0o755),
        ("sbin", 0o755),
        ("usr/bin", 0o755),
        ("usr/sbin", 0o755),
        ("etc", 0o755),
        ("proc", 0o555),
        ("sys", 0o555),
        ("dev", 0o755),
        ("tmp", 0o1777),
        ("root", 0o700),
        ("var", 0o755),
    ] {
        let p = dir.join(d);
        std::fs::create_dir_all(&p).map_err(ImageError::io(&p))?;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).map_err(ImageError::io(&p))?;
    }
    let target = dir.join("bin/busybox");
    std::fs::write(&target, &bin).map_err(ImageError::io(&target))?;
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).map_err(ImageError::io(&target))?;
    let list =
        std::process::Command::new(BUSYBOX).arg("--list-full").output().map_err(ImageError::io(Path::new(BUSYBOX)))?;
    let mut applets = 0;
    for path in String::from_utf8_lossy(&list.stdout).lines().filter(|l| !l.is_empty() && !l.contains("..")) {
        let link = dir.join(path);
        if !link.exists() && std::os::unix::fs::symlink("/bin/busybox", &link).is_ok() {
            applets += 1;
        }
    }
    for (path, text) in ETC {
        let p = dir.join(path);
        std::fs::write(&p, text).map_err(ImageError::io(&p))?;
    }
    Ok(applets)
}

pub fn make_image(store: &Store, name: &str) -> Result<(ImageRecord, usize)> {
    let staging = store.scratch_dir("busybox")?;
    let result = (|| {
        let applets = build_tree(&staging)?;
        let image = store.image_of_tree(
            name,
            &staging,
            "busybox-static (/bin/busybox)",
            format!("busybox-static with {applets} applets"),
        )?;
        Ok((image, applets))
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result
}

#[cfg(test)]
mod tests {
    #[test]
    fn tells_static_from_dynamic() {
        let sh = std::fs::read("/bin/sh").unwrap();
        assert!(super::is_dynamic(&sh), "/bin/sh on Debian is dynamic");
        assert!(!super::is_dynamic(b"not an elf"));
    }
}
