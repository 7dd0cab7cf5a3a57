//! The test sandbox and the host oracles.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub const BIN: &str = env!("CARGO_BIN_EXE_glassbox");

/// How long to wait for something that must happen eventually (a page to
/// load, an event to arrive), scaled by GLASSBOX_TEST_SLOWDOWN: the
/// emulated cgroup v2 VM runs everything, Chromium included, 3-15x slower
/// (scripts/test-v2.sh sets it). Never a performance assertion: those live
/// in bench/.
pub fn patience(base: std::time::Duration) -> std::time::Duration {
    let factor = std::env::var("GLASSBOX_TEST_SLOWDOWN").ok().and_then(|f| f.parse::<u32>().ok()).unwrap_or(1);
    base * factor.max(1)
}

pub struct Sandbox {
    pub root: PathBuf,
    given: std::cell::RefCell<Vec<String>>,
    pub victim: PathBuf,
    victim_before: BTreeMap<PathBuf, (Vec<u8>, u32)>,
}

/// What the victim folder holds: every file's bytes and mode.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mode = std::fs::symlink_metadata(&d).map(|m| m.permissions().mode()).unwrap_or(0);
        out.insert(d.clone(), (vec![], mode));
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), (std::fs::read(&p).unwrap_or_default(), meta.permissions().mode()));
            }
        }
    }
    out
}

pub fn mounts_containing(needle: &str) -> Vec<String> {
    std::fs::read_to_string("/proc/self/mountinfo")
        .unwrap()
        .lines()
        .filter(|l| l.split(' ').nth(4).is_some_and(|mp| mp.contains(needle)))
        .map(String::from)
        .collect()
}

/// Processes whose argv mentions this sandbox's root (inits, helpers, commands).
pub fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut out = vec![];
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else { continue };
        let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        let cmd = String::from_utf8_lossy(&raw).replace('\0', " ");
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let zombie = stat.rsplit(')').next().is_some_and(|r| r.trim_start().starts_with('Z'));
        if cmd.contains(needle) && !zombie && pid != std::process::id() as i32 {
            out.push(format!("{pid} {cmd}"));
        }
    }
    out
}

impl Sandbox {
    pub fn new(test: &str) -> Sandbox {
        assert_eq!(unsafe { libc_geteuid() }, 0, "the integration tests run as root (sudo ./scripts/test.sh)");
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let tag = format!("gb-test-{test}-{}-{n}", std::process::id());
        let base = PathBuf::from("/tmp").join(&tag);
        let root = base.join("root");
        let victim = base.join("victim");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(victim.join("sub")).unwrap();
        let noise: String = (0..64).map(|i| char::from(b'a' + ((i * 7 + n as usize) % 26) as u8)).collect();
        std::fs::write(victim.join("file"), &noise).unwrap();
        std::fs::write(victim.join("sub/other"), format!("{tag}\n")).unwrap();
        let victim_before = snapshot(&victim);
        Sandbox { root, given: Default::default(), victim, victim_before }
    }

    /// A box name unique to this test run.
    pub fn name(&self, suffix: &str) -> String {
        let name = format!("{suffix}-{}", COUNTER.fetch_add(1, Ordering::SeqCst));
        self.given.borrow_mut().push(name.clone());
        name
    }

    /// A new box, after one step: `glassbox VERB <box> ARGS...`.
    pub fn box_after(&self, verb: &str, args: &[&str]) -> String {
        let name = self.name(verb);
        self.ok(&["create", &name]);
        let mut all = vec![verb, name.as_str()];
        all.extend_from_slice(args);
        self.ok(&all);
        name
    }

    /// Every box name this sandbox handed out.
    pub fn names_given(&self) -> Vec<String> {
        self.given.borrow().clone()
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--root").arg(&self.root).stdin(Stdio::null());
        // Messages in English whatever the tester's locale (tests/it/language.rs
        // asks for Korean itself).
        c.env("GLASSBOX_LANG", "en");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("glassbox runs")
    }

    /// Starts every command at once, then waits for them all.
    pub fn at_once(&self, commands: &[&[&str]]) -> Vec<Output> {
        let started: Vec<_> = commands
            .iter()
            .map(|args| self.cmd().args(*args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap())
            .collect();
        started.into_iter().map(|c| c.wait_with_output().unwrap()).collect()
    }

    /// Runs and asserts exit 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "glassbox {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status,
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// Runs and asserts the exit code; returns stderr.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "glassbox {args:?}:\nstdout: {}\nstderr: {}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stderr)
    }

    /// True when the command succeeded, false when it failed cleanly (exit 2).
    pub fn fails_or_ok(&self, args: &[&str]) -> bool {
        let out = self.run(args);
        assert!(matches!(out.status.code(), Some(0) | Some(2)), "glassbox {args:?}: {}", text(&out.stderr));
        out.status.success()
    }

    pub fn inspect(&self, name: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["--json", "inspect", name])).expect("inspect --json is JSON")
    }

    /// The host pid of the box's init, as `inspect` reports it.
    pub fn init_pid(&self, name: &str) -> i32 {
        let m = self.inspect(name);
        let init = m["processes"].as_array().unwrap().iter().find(|p| p["role"] == "init").expect("an init");
        init["host_pid"].as_i64().unwrap() as i32
    }

    /// The box's namespace inode of one kind, and the host's.
    pub fn inodes(&self, name: &str, kind: &str) -> (u64, u64) {
        let m = self.inspect(name);
        let ns = m["namespaces"].as_array().unwrap().iter().find(|n| n["kind"] == kind).unwrap().clone();
        (ns["inode"].as_u64().unwrap(), ns["host_inode"].as_u64().unwrap())
    }

    /// Nothing of this sandbox remains in the kernel: the oracles.
    pub fn assert_clean(&self) {
        let root = self.root.display().to_string();
        assert_eq!(mounts_containing(&root), Vec::<String>::new(), "mounts left under {root}");
        // A process may be exiting right now (a killed init, a helper's last
        // umount): what counts is that it goes.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !processes_mentioning(&root).is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(processes_mentioning(&root), Vec::<String>::new(), "processes left for {root}");
        assert_eq!(snapshot(&self.victim), self.victim_before, "the victim folder changed");
        assert_eq!(cgroups_of(&self.root), Vec::<PathBuf>::new(), "cgroups left for {root}");
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.cmd().arg("reset").output();
        let panicking = std::thread::panicking();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.assert_clean()));
        let _ = std::fs::remove_dir_all(self.root.parent().unwrap());
        if let Err(e) = result {
            if !panicking {
                std::panic::resume_unwind(e);
            }
        }
    }
}

/// The parent cgroup glassbox names after a state root.
pub fn cgroup_parent(root: &Path) -> String {
    use sha2::Digest;
    let hash = hex::encode(sha2::Sha256::digest(root.display().to_string().as_bytes()));
    format!("glassbox-{}", &hash[..10])
}

/// This root's cgroup folders, in the v2 tree or any v1 hierarchy.
pub fn cgroups_of(root: &Path) -> Vec<PathBuf> {
    let parent = cgroup_parent(root);
    let fs = Path::new("/sys/fs/cgroup");
    let mut dirs = vec![fs.to_path_buf()];
    dirs.extend(std::fs::read_dir(fs).into_iter().flatten().flatten().map(|e| e.path()));
    dirs.into_iter().map(|d| d.join(&parent)).filter(|p| p.exists()).collect()
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

pub fn host_ns_inode(kind: &str) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(format!("/proc/self/ns/{kind}")).unwrap().ino()
}
