//! Hostile or broken input: limits, corrupt archives, a failing reader, an
//! unusable staging folder. Each is refused with the right kind of error.

use super::*;
use std::io::{self, Read};

#[test]
fn extract_limits_stop_hostile_shapes() {
    let small = Limits { max_entries: 3, ..Limits::default() };
    let scene = Scene::new("limit-entries");
    let many = Tar::default().file("a", "").file("b", "").file("c", "").file("d", "").end();
    fails(scene.run_with(&many, &small), "entries");
    each_fails("limit-depth", "depth", &[("depth 300", &|_| Tar::default().file(&"a/".repeat(300), "").end())]);
    each_fails(
        "limit-path",
        "path bytes",
        &[
            ("depth 5000", &|_| Tar::default().file(&format!("{}f", "a/".repeat(5000)), "").end()),
            ("5000-byte name", &|_| Tar::default().file(&"n".repeat(5000), "").end()),
            ("1 GiB long-name header", &|_| {
                Tar::default().put(H { size: 1 << 30, ..h("././@LongLink", b'L') }, b"").end()
            }),
        ],
    );
    let ten_mib = Limits { max_size: 10 << 20, ..Limits::default() };
    let mib = gz(&vec![0u8; 1 << 20]);
    let header = Tar::default().put(H { size: 50 << 20, ..h("bomb", b'0') }, b"").0;
    let bomb = [gz(&header), mib.repeat(50)].concat();
    let scene = Scene::new("limit-bomb");
    fails(scene.run_with(&bomb, &ten_mib), "size");
    assert!(!scene.at("bomb").exists());
    scene.assert_victim_intact();
    let scene = Scene::new("limit-zeros");
    fails(scene.run(&mib.repeat(50)), "padding bytes");
    scene.assert_victim_intact();
    let fifo = Tar::default().put(H { size: 50 << 20, ..h("fifo", b'6') }, b"").0;
    let scene = Scene::new("limit-stream");
    fails(scene.run_with(&[gz(&fifo), mib.repeat(50)].concat(), &ten_mib), "size");
    scene.assert_victim_intact();
    // Earlier layers of the same import count toward the size limit.
    let spent = Limits { size_spent: (10 << 20) - 1024, ..ten_mib.clone() };
    let scene = Scene::new("limit-spent");
    fails(scene.run_with(&Tar::default().file("f", &"x".repeat(2048)).end(), &spent), "size");
}

#[test]
fn extract_stops_a_gzip_bomb_at_the_ratio_limit_and_passes_a_small_compressible_layer() {
    let mib = gz(&vec![0u8; 1 << 20]);
    let zeros = |mibs: usize| {
        let header = Tar::default().put(H { size: (mibs as u64) << 20, ..h("zeros", b'0') }, b"").0;
        [gz(&header), mib.repeat(mibs), gz(&[0u8; 1024])].concat()
    };
    let scene = Scene::new("ratio-bomb");
    let err = fails(scene.run(&zeros(80)), "compression ratio");
    assert!(err.contains("> 100"), "{err}");
    scene.assert_victim_intact();
    // Under the 64 MiB floor any ratio passes.
    let scene = Scene::new("ratio-small");
    let small = scene.run(&zeros(8)).unwrap();
    assert_eq!((small.bytes, small.size), (8 << 20, (8 << 20) + 1536));
}

#[test]
fn extract_corrupt_input_is_an_invalid_archive() {
    let good = Tar::default().file("f", "hello").end();
    let zipped = gz(&good);
    let mut bad_sum = good.clone();
    bad_sum[0] ^= 0x20;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated gzip", zipped[..zipped.len() / 2].to_vec()),
        ("gzip without its trailer", zipped[..zipped.len() - 4].to_vec()),
        ("gzip then garbage", [zipped.clone(), b"garbage".to_vec()].concat()),
        ("bad checksum", bad_sum),
        ("trailing garbage", [good.clone(), b"garbage after the end".to_vec()].concat()),
        ("not a tar", b"this is not an archive at all".repeat(40)),
        ("short", b"tiny".to_vec()),
        ("empty", vec![]),
        ("truncated content", good[..512 + 3].to_vec()),
        ("no end blocks", good[..1024].to_vec()),
        ("long name with no entry", Tar::default().put(h("././@LongLink", b'L'), b"x\0").end()),
        ("sparse", Tar::default().put(h("s", b'S'), b"").end()),
        ("zstd", b"\x28\xb5\x2f\xfd rest of a zstd frame".to_vec()),
    ];
    for (i, (what, bytes)) in cases.iter().enumerate() {
        let scene = Scene::new(&format!("corrupt{i}"));
        let err = fails(scene.run(bytes), "invalid");
        assert!(!err.is_empty(), "{what}");
        scene.assert_victim_intact();
    }
}

/// Yields its bytes, then fails like a disk that went away.
struct Failing<'a>(&'a [u8]);

impl Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0.is_empty() {
            return Err(io::Error::from_raw_os_error(libc::EIO));
        }
        self.0.read(buf)
    }
}

#[test]
fn extract_input_errors_are_not_blamed_on_the_archive() {
    let plain = Tar::default().file("f", "hello").end();
    for (i, bytes) in [gz(&plain), plain[..700].to_vec()].iter().enumerate() {
        let scene = Scene::new(&format!("input{i}"));
        let reader = Failing(&bytes[..bytes.len() - 10]);
        let err = fails(extract_layer(reader, &scene.dest, &Limits::default(), &mut |_| {}), "io");
        assert!(err.starts_with("reading the archive:"), "{err}");
        scene.assert_victim_intact();
    }
}

#[test]
fn extract_needs_an_empty_real_directory() {
    let scene = Scene::new("dest");
    let tar = Tar::default().file("f", "x").end();
    std::os::unix::fs::symlink(&scene.victim, scene.top.join("link")).unwrap();
    fails(extract_layer(&tar[..], &scene.top.join("link"), &Limits::default(), &mut |_| {}), "dest");
    std::fs::remove_file(scene.top.join("link")).unwrap();
    std::fs::write(scene.at("old"), b"").unwrap();
    fails(scene.run(&tar), "dest");
    std::fs::remove_file(scene.at("old")).unwrap();
    scene.assert_victim_intact();
}
