//! Hardening: caps, nnp, seccomp, devices, mask and harden, against the
//! doors root in a box has to the host. Each door is tried on a plain box
//! (it must be open, unless this machine itself closes it, which the test
//! names) and on a hardened one (it must be closed with EPERM, EACCES or
//! EROFS), and the host is checked unchanged.

use crate::harness::{Sandbox, text};
use std::process::Stdio;

/// A box with its own PID and mount namespaces on busybox (and `extra` kinds).
fn busybox_box(sb: &Sandbox, tag: &str, extra: &[&str]) -> String {
    let name = sb.name(tag);
    sb.ok(&["create", &name]);
    let mut kinds = vec!["unshare", name.as_str(), "pid", "mnt"];
    kinds.extend_from_slice(extra);
    sb.ok(&kinds);
    sb.ok(&["rootfs", &name, "busybox"]);
    name
}

/// Runs a shell line in the box: whether it exited 0, and its stderr.
fn attempt(sb: &Sandbox, name: &str, script: &str) -> (bool, String) {
    let out = sb.run(&["exec", name, "--", "sh", "-c", script]);
    (out.status.success(), text(&out.stderr))
}

/// What the kernel answers when a hardening layer closes a door.
fn closed_by_the_kernel(stderr: &str) -> bool {
    ["Operation not permitted", "Permission denied", "Read-only file system", "permission denied"]
        .iter()
        .any(|e| stderr.contains(e))
}

const CORE_PATTERN: &str = "/proc/sys/kernel/core_pattern";

/// The doors, as shell lines run inside a box. Each writes nothing a host
/// would notice: core_pattern gets the value it has (read in the same
/// line), the kernel log is read, not written.
const DOORS: [(&str, &str); 6] = [
    ("mknod c 1:11 and read the kernel log", "mknod /kmsg c 1 11 && dd if=/kmsg of=/dev/null bs=8192 count=1"),
    ("mount -t tmpfs", "mount -t tmpfs none /tmp"),
    ("unshare -m", "unshare -m true"),
    ("unshare -U", "unshare -U true"),
    (
        "write core_pattern",
        "v=$(cat /proc/sys/kernel/core_pattern) && printf '%s\\n' \"$v\" > /proc/sys/kernel/core_pattern",
    ),
    ("open /proc/sysrq-trigger for writing", "[ -e /proc/sysrq-trigger ] && ( : >> /proc/sysrq-trigger )"),
];

#[test]
fn every_door_open_in_a_plain_box_is_closed_after_harden() {
    let sb = Sandbox::new("harden-doors");
    sb.ok(&["image", "busybox"]);
    let plain = busybox_box(&sb, "plain", &[]);
    let hard = busybox_box(&sb, "hard", &[]);
    let core_before = std::fs::read_to_string(CORE_PATTERN).unwrap();
    sb.ok(&["harden", &hard]);
    let mut forbidden_here = vec![];
    for (door, script) in DOORS {
        let (open, why) = attempt(&sb, &plain, script);
        if !open {
            // This machine closes it already (e.g. no /proc/sysrq-trigger).
            forbidden_here.push(format!("{door}: {}", why.trim()));
        }
        let (still_open, err) = attempt(&sb, &hard, script);
        assert!(!still_open, "after harden, {door} still works");
        if open {
            assert!(closed_by_the_kernel(&err), "{door} failed after harden, but not by EPERM/EACCES/EROFS: {err}");
        }
    }
    assert_eq!(std::fs::read_to_string(CORE_PATTERN).unwrap(), core_before, "the host's core_pattern is unchanged");
    assert!(forbidden_here.len() <= 1, "only sysrq may be missing here: {forbidden_here:?}");
    eprintln!("doors this machine closes by itself: {forbidden_here:?}");
    // Masked files read as nothing (Docker's masks give EOF, not an error).
    for file in ["/proc/timer_list", "/proc/kcore", "/proc/keys"] {
        if std::path::Path::new(file).exists() {
            let before = sb.ok(&["exec", &plain, "--", "sh", "-c", &format!("head -c 64 {file} | wc -c")]);
            let after = sb.ok(&["exec", &hard, "--", "sh", "-c", &format!("head -c 64 {file} | wc -c")]);
            assert!(before.trim() != "0" || file == "/proc/keys", "{file} reads in a plain box");
            assert_eq!(after.trim(), "0", "{file} is masked after harden");
        }
    }
    // Each of the five is its own recorded step, and the model shows them.
    let history = sb.ok(&["history", &hard]);
    for step in ["caps", "nnp", "seccomp", "devices", "mask"] {
        assert!(history.contains(&format!("glassbox {step} {hard}")), "history names {step}: {history}");
    }
    sb.ok(&["run", &hard, "-d", "--", "sleep", "100"]);
    let m = sb.inspect(&hard);
    let h = &m["hardening"];
    assert_eq!(h["caps"].as_array().unwrap().len(), 14);
    assert_eq!(h["no_new_privs"], true);
    assert_eq!(h["seccomp"][0]["profile"], "default");
    assert!(h["read_only"].as_array().unwrap().iter().any(|p| p == "/proc/sys"));
    let sleep =
        m["processes"].as_array().unwrap().iter().find(|p| p["command"].as_str().unwrap().contains("sleep")).unwrap();
    let c = &sleep["confinement"];
    assert_eq!(
        (c["seccomp"].as_str(), c["seccomp_filters"].as_u64(), c["no_new_privs"].as_bool()),
        (Some("filter"), Some(1), Some(true))
    );
    assert!(!c["cap_eff"].as_array().unwrap().iter().any(|n| n == "CAP_SYS_ADMIN"), "{c}");
    assert!(sb.ok(&["inspect", &hard]).contains("seccomp"), "plain inspect has a hardening section");
}

#[test]
fn explain_shows_each_layers_syscalls_in_order() {
    let sb = Sandbox::new("harden-explain");
    sb.ok(&["image", "busybox"]);
    let b = busybox_box(&sb, "explain", &[]);
    let plan = sb.ok(&["--dry-run", "harden", &b]);
    let at = |s: &str| plan.find(s).unwrap_or_else(|| panic!("the plan shows {s}: {plan}"));
    assert!(at("PR_CAPBSET_DROP") < at("capset("), "the bounding set before capset");
    assert!(at("PR_SET_NO_NEW_PRIVS") < at("SECCOMP_SET_MODE_FILTER"), "nnp before the filter");
    for s in ["setpriv --bounding-set -all,+chown", "setpriv --no-new-privs", "/dev/null", "ro"] {
        at(s);
    }
    assert!(plan.contains("devices.allow") || plan.contains("BPF_PROG_TYPE_CGROUP_DEVICE"), "{plan}");
    assert!(sb.inspect(&b)["hardening"]["caps"].is_null(), "a dry run changes nothing");
}

#[test]
fn drop_all_add_net_bind_service_lets_httpd_bind_80_while_ping_fails() {
    let sb = Sandbox::new("harden-caps");
    sb.ok(&["image", "busybox"]);
    let b = busybox_box(&sb, "bind", &["net"]);
    let none = busybox_box(&sb, "nobind", &["net"]);
    assert!(attempt(&sb, &b, "ping -c 1 -W 1 127.0.0.1").0, "ping works with every capability");
    sb.ok(&["caps", &b, "--drop", "ALL", "--add", "NET_BIND_SERVICE"]);
    sb.ok(&["caps", &none, "--drop", "ALL"]);
    let (bound, err) = attempt(&sb, &b, "httpd -p 80 -h /tmp");
    assert!(bound, "httpd binds port 80 with NET_BIND_SERVICE: {err}");
    let (pinged, err) = attempt(&sb, &b, "ping -c 1 -W 1 127.0.0.1");
    assert!(!pinged && closed_by_the_kernel(&err), "ping needs NET_RAW: {err}");
    let (bound, err) = attempt(&sb, &none, "httpd -p 80 -h /tmp");
    assert!(!bound && closed_by_the_kernel(&err), "without NET_BIND_SERVICE port 80 is refused: {err}");
    let eff = attempt(&sb, &b, "grep CapEff /proc/self/status").1;
    let m = sb.ok(&["exec", &b, "--", "grep", "CapEff", "/proc/self/status"]);
    assert!(m.contains("0000000000000400"), "only bit 10, NET_BIND_SERVICE: {m} {eff}");
}

#[test]
fn a_profile_denying_mkdir_makes_mkdir_fail_with_eperm_and_nothing_else() {
    let sb = Sandbox::new("harden-mkdir");
    sb.ok(&["image", "busybox"]);
    let b = busybox_box(&sb, "mkdir", &[]);
    let profile = sb.victim.parent().unwrap().join("deny-mkdir.json");
    std::fs::write(
        &profile,
        r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}"#,
    )
    .unwrap();
    assert!(attempt(&sb, &b, "mkdir /before").0);
    sb.ok(&["seccomp", &b, profile.to_str().unwrap()]);
    let (made, err) = attempt(&sb, &b, "mkdir /after");
    assert!(!made && err.contains("Operation not permitted"), "{err}");
    let (rest, err) = attempt(
        &sb,
        &b,
        "touch /f && mv /f /g && rm /g && rmdir /before && ls / >/dev/null && mount -t tmpfs none /tmp",
    );
    assert!(rest, "everything else still works (full capabilities, one filter): {err}");
}

#[test]
fn the_device_rule_alone_stops_reading_the_kernel_log() {
    // Docker keeps CAP_MKNOD: making the node works, opening it must not.
    let sb = Sandbox::new("harden-devices");
    sb.ok(&["image", "busybox"]);
    let b = busybox_box(&sb, "dev", &[]);
    sb.ok(&["devices", &b, "--docker-default"]);
    assert!(attempt(&sb, &b, "mknod /kmsg c 1 11").0, "mknod of any char device is allowed");
    let (read, err) = attempt(&sb, &b, "dd if=/kmsg of=/dev/null bs=8192 count=1");
    assert!(!read && err.contains("Operation not permitted"), "{err}");
    assert!(attempt(&sb, &b, "echo x > /dev/null && head -c 1 /dev/zero >/dev/null").0, "null and zero still open");
    sb.ok(&["rm", "--force", &b]);
}

/// A static x86_64 program that exits with its effective uid (mod 256).
fn euid_program() -> Vec<u8> {
    let code: [u8; 16] = [0xb8, 107, 0, 0, 0, 0x0f, 0x05, 0x89, 0xc7, 0xb8, 60, 0, 0, 0, 0x0f, 0x05];
    let size = (64 + 56 + code.len()) as u64;
    let mut elf = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    elf.extend(2u16.to_le_bytes()); // ET_EXEC
    elf.extend(0x3eu16.to_le_bytes()); // x86-64
    elf.extend(1u32.to_le_bytes());
    elf.extend(0x400078u64.to_le_bytes()); // entry: the code after the headers
    elf.extend(64u64.to_le_bytes()); // program headers right after this one
    elf.extend(0u64.to_le_bytes());
    elf.extend(0u32.to_le_bytes());
    for half in [64u16, 56, 1, 0, 0, 0] {
        elf.extend(half.to_le_bytes());
    }
    elf.extend(1u32.to_le_bytes()); // PT_LOAD
    elf.extend(5u32.to_le_bytes()); // R+X
    for word in [0u64, 0x400000, 0x400000, size, size, 0x1000] {
        elf.extend(word.to_le_bytes());
    }
    elf.extend(code);
    elf
}

#[test]
fn under_nnp_a_setuid_binary_gains_nothing() {
    if std::env::consts::ARCH != "x86_64" {
        eprintln!("skipped: the setuid probe is an x86_64 program");
        return;
    }
    let sb = Sandbox::new("harden-nnp");
    sb.ok(&["image", "busybox"]);
    let b = busybox_box(&sb, "nnp", &[]);
    let file = sb.victim.parent().unwrap().join("euid");
    std::fs::write(&file, euid_program()).unwrap();
    let put = sb
        .cmd()
        .args(["exec", &b, "--", "sh", "-c", "cat > /euid && chmod 4755 /euid"])
        .stdin(Stdio::from(std::fs::File::open(&file).unwrap()))
        .output()
        .unwrap();
    assert!(put.status.success(), "{}", text(&put.stderr));
    let as_nobody = "su -s /euid nobody; echo $?";
    assert_eq!(sb.ok(&["exec", &b, "--", "sh", "-c", as_nobody]).trim(), "0", "setuid root makes nobody root");
    sb.ok(&["nnp", &b]);
    assert_eq!(sb.ok(&["exec", &b, "--", "sh", "-c", as_nobody]).trim(), "254", "under nnp it stays 65534");
}

/// Runs a step that must be refused: exit 2, one line, nothing recorded.
fn refused(sb: &Sandbox, name: &str, args: &[&str], says: &str) {
    let before = sb.inspect(name);
    let err = sb.fails(2, args);
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line: {err}");
    assert!(err.contains(says), "{args:?} says {says:?}: {err}");
    let after = sb.inspect(name);
    assert_eq!(
        (&after["steps"], &after["hardening"]),
        (&before["steps"], &before["hardening"]),
        "{args:?} changed the box"
    );
}

#[test]
fn bad_hardening_input_is_refused_in_one_line_and_changes_nothing() {
    let sb = Sandbox::new("harden-bad");
    sb.ok(&["image", "busybox"]);
    let b = busybox_box(&sb, "bad", &[]);
    let dir = sb.victim.parent().unwrap().to_path_buf();
    let profile = |file: &str, body: &str| {
        let p = dir.join(file);
        std::fs::write(&p, body).unwrap();
        p.to_str().unwrap().to_string()
    };
    refused(&sb, &b, &["caps", &b, "--drop", "FLY"], "NET_BIND_SERVICE");
    sb.ok(&["caps", &b, "--drop", "SYS_MODULE"]);
    refused(&sb, &b, &["caps", &b, "--drop", "ALL", "--add", "SYS_MODULE"], "bounding set");
    let unknown = profile(
        "unknown.json",
        r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdri"],"action":"SCMP_ACT_ERRNO"}]}"#,
    );
    refused(&sb, &b, &["seccomp", &b, &unknown], "\"mkdri\"");
    let arch = profile("arch.json", r#"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_S390X"]}"#);
    refused(&sb, &b, &["seccomp", &b, &arch], "this machine is");
    let nodefault = profile("nodefault.json", r#"{"syscalls":[]}"#);
    refused(&sb, &b, &["seccomp", &b, &nodefault], "defaultAction is missing");
    let big = profile("big.json", &" ".repeat(10 << 20));
    refused(&sb, &b, &["seccomp", &b, &big], "at most");
    let noexec = profile(
        "noexec.json",
        r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["execve"],"action":"SCMP_ACT_ERRNO"}]}"#,
    );
    refused(&sb, &b, &["seccomp", &b, &noexec], "could never start a command");
    refused(&sb, &b, &["devices", &b, "--allow", "c 1:3 rwx"], "TYPE MAJOR:MINOR ACCESS");
    refused(&sb, &b, &["mask", &b, "../etc"], "absolute path");
    // A filter without no_new_privs or CAP_SYS_ADMIN: the kernel would refuse it.
    sb.ok(&["caps", &b, "--drop", "SYS_ADMIN"]);
    refused(&sb, &b, &["seccomp", &b, "default"], "glassbox nnp");
    let plain = sb.name("noinit");
    sb.ok(&["create", &plain]);
    refused(&sb, &plain, &["harden", &plain], &format!("glassbox unshare {plain} pid"));
    assert!(crate::harness::cgroups_of(&sb.root).is_empty(), "no device cgroup was made");
}
