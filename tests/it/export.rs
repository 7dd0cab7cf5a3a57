//! Out to real engines: `image export` loads and runs in podman and
//! validates under skopeo, an image podman saved imports and runs the same
//! in glassbox, and `export --bundle` runs under runc seeing what a
//! glassbox run sees. The tools come from Debian (podman, skopeo, runc); a
//! test whose tool is missing says so loudly and skips (CI installs them).

use crate::harness::{Sandbox, text};
use crate::rootfs::boxed;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `tool` is on the PATH; if not, says loudly that the test skips.
fn have(tool: &str, test: &str) -> bool {
    let found = std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()));
    if !found {
        eprintln!("\n*** SKIPPED {test}: `{tool}` is not installed (apt-get install -y podman skopeo runc) ***\n");
    }
    found
}

/// podman with its own storage (vfs: no mounts to leave) in the test's folder.
struct Podman {
    dir: PathBuf,
}

impl Podman {
    fn new(sb: &Sandbox) -> Podman {
        Podman { dir: sb.root.parent().unwrap().join("podman") }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("podman");
        c.arg("--root").arg(self.dir.join("root")).arg("--runroot").arg(self.dir.join("run"));
        c.args(["--storage-driver", "vfs", "--cgroup-manager=cgroupfs", "--runtime", "runc", "--events-backend=none"]);
        c.args(args);
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("podman runs");
        assert!(out.status.success(), "podman {args:?}: {}\n{}", text(&out.stdout), text(&out.stderr));
        text(&out.stdout)
    }

    /// `podman run --rm` as this host needs it (MACHINE.md).
    fn run(&self, image: &str) -> String {
        let limits = ["--network=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"];
        let mut args = vec!["run", "--rm"];
        args.extend(limits);
        args.push(image);
        self.ok(&args)
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        let _ = self.cmd(&["rm", "-af"]).output();
        let _ = self.cmd(&["system", "reset", "-f"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn context(sb: &Sandbox, dockerfile: &str) -> PathBuf {
    let dir = sb.root.parent().unwrap().join(format!("ctx-{}", sb.name("x")));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
    dir
}

const HELLO: &str = "FROM busybox\nRUN echo made-by-glassbox > /msg && rm /etc/os-release\nENV WHO=engine\nCMD [\"sh\", \"-c\", \"cat /msg; echo hello $WHO; ls /etc/os-release 2>&1 | head -1\"]\n";
const HELLO_SAYS: &str = "made-by-glassbox\nhello engine\nls: /etc/os-release: No such file or directory\n";

fn built_hello(sb: &Sandbox) {
    sb.ok(&["image", "busybox"]);
    let dir = context(sb, HELLO);
    sb.ok(&["build", "-t", "hello", dir.to_str().unwrap()]);
}

fn out_file(sb: &Sandbox, name: &str) -> PathBuf {
    sb.root.parent().unwrap().join(name)
}

#[test]
fn an_exported_image_loads_in_podman_and_prints_what_its_cmd_prints() {
    if !have("podman", "an_exported_image_loads_in_podman") || !have("runc", "an_exported_image_loads_in_podman") {
        return;
    }
    let sb = Sandbox::new("topodman");
    built_hello(&sb);
    let name = boxed(&sb, "hello");
    assert_eq!(sb.ok(&["run", &name]), HELLO_SAYS, "glassbox itself runs it so");
    let file = out_file(&sb, "hello.tar");
    sb.ok(&["image", "export", "hello", "-o", file.to_str().unwrap()]);
    let podman = Podman::new(&sb);
    podman.ok(&["load", "-i", file.to_str().unwrap()]);
    assert_eq!(podman.run("hello"), HELLO_SAYS);
}

#[test]
fn an_oci_export_is_a_layout_skopeo_validates() {
    if !have("skopeo", "an_oci_export_is_a_layout_skopeo_validates") {
        return;
    }
    let sb = Sandbox::new("toskopeo");
    built_hello(&sb);
    let file = out_file(&sb, "hello-oci.tar");
    sb.ok(&["image", "export", "hello", "-o", file.to_str().unwrap(), "--format", "oci"]);
    let out = Command::new("skopeo").arg("inspect").arg(format!("oci-archive:{}", file.display())).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Layers"].as_array().unwrap().len(), 2, "{v}");
    assert!(v["Env"].as_array().unwrap().iter().any(|e| e == "WHO=engine"), "{v}");
    // And glassbox reads its own OCI form back.
    sb.ok(&["image", "import", file.to_str().unwrap(), "--name", "again"]);
    let name = boxed(&sb, "again");
    assert_eq!(sb.ok(&["run", &name]), HELLO_SAYS);
}

#[test]
fn an_image_podman_built_and_saved_imports_and_runs_the_same_in_glassbox() {
    if !have("podman", "an_image_podman_built_and_saved") || !have("runc", "an_image_podman_built_and_saved") {
        return;
    }
    let sb = Sandbox::new("frompodman");
    sb.ok(&["image", "busybox"]);
    let base = out_file(&sb, "busybox.tar");
    sb.ok(&["image", "export", "busybox", "-o", base.to_str().unwrap()]);
    let podman = Podman::new(&sb);
    podman.ok(&["load", "-i", base.to_str().unwrap()]);
    let dir = context(&sb, &HELLO.replace("made-by-glassbox", "made-by-podman"));
    let limits = ["--network=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"];
    let mut build = vec!["build", "-t", "pbuilt"];
    build.extend(limits);
    build.push(dir.to_str().unwrap());
    podman.ok(&build);
    let says = podman.run("pbuilt");
    let saved = out_file(&sb, "pbuilt.tar");
    podman.ok(&["save", "-o", saved.to_str().unwrap(), "pbuilt"]);
    let imported = sb.ok(&["image", "import", saved.to_str().unwrap()]);
    assert!(imported.contains("image pbuilt"), "named from its tag: {imported}");
    let name = boxed(&sb, "pbuilt");
    assert_eq!(sb.ok(&["run", &name]), says);
    assert_eq!(says, HELLO_SAYS.replace("made-by-glassbox", "made-by-podman"));
}

#[test]
fn an_export_over_an_existing_file_needs_force_and_a_failed_one_leaves_nothing() {
    let sb = Sandbox::new("exportforce");
    sb.ok(&["image", "busybox"]);
    let file = out_file(&sb, "exists.tar");
    std::fs::write(&file, "keep me").unwrap();
    let err = sb.fails(2, &["image", "export", "busybox", "-o", file.to_str().unwrap()]);
    assert!(err.contains("exists") && err.contains("--force") && err.lines().count() == 1, "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    sb.ok(&["image", "export", "busybox", "-o", file.to_str().unwrap(), "--force"]);
    assert!(std::fs::metadata(&file).unwrap().len() > 1 << 20);
    let err = sb.fails(2, &["image", "export", "nosuch", "-o", out_file(&sb, "x.tar").to_str().unwrap()]);
    assert!(err.contains("no image named") && err.lines().count() == 1, "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(sb.root.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// What a process sees of itself: the namespace kinds that differ from the
/// host's, its hostname, its uid map.
const SEEN: &str = "for k in pid mnt uts ipc net user; do [ \"$(readlink /proc/self/ns/$k)\" = \"$(cat /host-ns/$k)\" ] || echo isolated $k; done; hostname; cat /proc/self/uid_map | tr -s ' '";

const KINDS: [&str; 6] = ["pid", "mnt", "uts", "ipc", "net", "user"];

/// The host's namespace links, written into the image so the box can compare.
fn host_ns_files(sb: &Sandbox) -> PathBuf {
    let dir = sb.root.parent().unwrap().join("hostns");
    std::fs::create_dir_all(&dir).unwrap();
    for k in KINDS {
        let link = std::fs::read_link(format!("/proc/self/ns/{k}")).unwrap();
        std::fs::write(dir.join(k), format!("{}\n", link.display())).unwrap();
    }
    dir
}

#[test]
fn a_bundle_runs_under_runc_and_its_process_sees_what_glassbox_s_run_sees() {
    if !have("runc", "a_bundle_runs_under_runc") {
        return;
    }
    let sb = Sandbox::new("bundle");
    sb.ok(&["image", "busybox"]);
    let hostns = host_ns_files(&sb);
    let dir = context(
        &sb,
        &format!("FROM busybox\nCOPY . /host-ns/\nCMD [\"sh\", \"-c\", \"{}\"]\n", SEEN.replace('"', "\\\"")),
    );
    for k in KINDS {
        std::fs::copy(hostns.join(k), dir.join(k)).unwrap();
    }
    sb.ok(&["build", "-t", "seer", dir.to_str().unwrap()]);
    let name = sb.name("seen");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "user", "--map-root-to", "100000"]);
    sb.ok(&["unshare", &name, "pid", "mnt", "uts", "ipc", "--hostname", "boxhost"]);
    sb.ok(&["rootfs", &name, "seer"]);
    let glassbox_saw = sb.ok(&["run", &name]);
    for want in ["isolated pid\n", "isolated uts\n", "isolated user\n", "boxhost\n", " 0 100000 65536"] {
        assert!(glassbox_saw.contains(want), "{want:?} in {glassbox_saw}");
    }
    let bundle = out_file(&sb, "bundle");
    sb.ok(&["export", &name, "--bundle", bundle.to_str().unwrap()]);
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["hostname"], "boxhost");
    let runc_state = sb.root.parent().unwrap().join("runc");
    let out = Command::new("runc")
        .arg("--root")
        .arg(&runc_state)
        .args(["run", "--bundle", bundle.to_str().unwrap(), &format!("gb-{name}")])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "runc: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), glassbox_saw);
    // Asked again, the folder is refused; --force replaces only a bundle.
    let err = sb.fails(2, &["export", &name, "--bundle", bundle.to_str().unwrap()]);
    assert!(err.contains("--force") && err.lines().count() == 1, "{err}");
    sb.ok(&["export", &name, "--bundle", bundle.to_str().unwrap(), "--force"]);
    let err = sb.fails(2, &["export", &name, "--bundle", sb.victim.to_str().unwrap(), "--force"]);
    assert!(err.contains("not a bundle"), "{err}");
    let _ = Path::new(&runc_state);
}
