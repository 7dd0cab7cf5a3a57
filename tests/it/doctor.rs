//! `glassbox doctor` on this machine: text and --json agree, and nothing is
//! left behind (mounts, network devices, temp folders).

use crate::harness::{Sandbox, text};

/// Host network devices doctor's probes would name (other tests run at the
/// same time and make their own, so only doctor's names are compared).
fn doctor_links() -> Vec<String> {
    let out = std::process::Command::new("ip").args(["-o", "link"]).output().expect("ip runs");
    text(&out.stdout).lines().filter(|l| l.contains("gbdoctor")).map(String::from).collect()
}

/// Host mounts under doctor's temp folders.
fn doctor_mounts() -> Vec<String> {
    crate::harness::mounts_containing("glassbox-doctor-")
}

fn doctor_temp_dirs() -> Vec<String> {
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // glassbox-doctor-WHAT-PID: a folder whose glassbox has exited is a leftover.
        .filter(|n| n.starts_with("glassbox-doctor-"))
        .filter(|n| n.rsplit('-').next().is_some_and(|pid| !std::path::Path::new("/proc").join(pid).exists()))
        .collect()
}

#[test]
fn doctor_reports_sanely_and_leaves_nothing_behind() {
    let sb = Sandbox::new("doctor");
    let out = sb.run(&["doctor"]);
    let o = text(&out.stdout);
    let code = out.status.code().unwrap();
    assert!(code == 0 || code == 1, "exit 0 or 1: {o}\n{}", text(&out.stderr));
    for kind in ["user", "mnt", "uts", "ipc", "net", "cgroup", "time", "pid"] {
        assert!(o.contains(&format!("namespace {kind} ")), "{o}");
    }
    for item in
        ["kernel", "overlayfs", "pivot_root", "busybox-static", "cgroups", "controller memory", "veth", "bridge"]
    {
        assert!(o.contains(item), "{item}: {o}");
    }
    assert!(o.lines().filter(|l| l.contains("MISSING")).count() <= o.lines().filter(|l| l.contains("fix:")).count());

    let out = sb.run(&["--json", "doctor"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("doctor --json is JSON");
    assert_eq!(out.status.code().unwrap(), code, "text and json agree on the verdict");
    assert_eq!(v["ok"], code == 0);
    let items = v["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["ok"] == true || i["fix"].is_string()), "every missing piece has a fix: {v}");
    // This machine runs the whole suite: the namespaces, overlay and cgroups work here.
    for name in ["root", "namespace uts", "namespace mnt", "namespace pid", "overlayfs", "cgroups"] {
        let i = items.iter().find(|i| i["name"] == name).unwrap_or_else(|| panic!("{name} in {v}"));
        assert_eq!(i["ok"], true, "{name}: {i}");
    }
    let v2 = std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists();
    let item = items.iter().find(|i| i["name"] == "cgroup v2").unwrap();
    assert_eq!(item["ok"], v2, "cgroup v2 as the machine has it: {item}");
    assert!(v["kernel"].as_str().unwrap().contains('.'));

    assert_eq!(doctor_links(), Vec::<String>::new(), "no network device left");
    assert_eq!(doctor_mounts(), Vec::<String>::new(), "no mount left");
    assert_eq!(doctor_temp_dirs(), Vec::<String>::new(), "no temp folder left");
}

#[test]
fn doctor_lists_each_lesson_and_what_it_lacks() {
    let sb = Sandbox::new("doctor-lessons");
    let fixtures = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lessons");
    let out = sb
        .cmd()
        .env("GLASSBOX_LESSONS_DIR", &fixtures)
        .env("GLASSBOX_ASSUME_MISSING", "veth")
        .args(["--json", "doctor"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a lesson that cannot run fails doctor");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lessons = v["lessons"].as_array().unwrap();
    assert_eq!(lessons.len(), 2);
    assert_eq!(lessons[0]["can_run"], true, "{v}");
    assert_eq!(lessons[1]["can_run"], false, "{v}");
    assert!(lessons[1]["missing"][0]["what"].as_str().unwrap().contains("veth"));
    let out = sb
        .cmd()
        .env("GLASSBOX_LESSONS_DIR", &fixtures)
        .env("GLASSBOX_ASSUME_MISSING", "veth")
        .arg("doctor")
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("02-fixture-needs") && text(&out.stdout).contains("cannot run here"));
}

#[test]
fn doctor_speaks_korean_down_to_the_findings_and_fixes() {
    let sb = Sandbox::new("doctor-ko");
    let run = |lang: &str, json: bool| {
        let mut c = sb.cmd();
        c.env("GLASSBOX_ASSUME_MISSING", "timens,docker-cli").args(["--lang", lang]);
        if json {
            c.arg("--json");
        }
        c.arg("doctor").output().unwrap()
    };
    let ko = text(&run("ko", false).stdout);
    for said in [
        "네임스페이스 pid",
        "컨트롤러 memory",
        "docker 클라이언트",
        "seccomp 필터",
        "설정에 따라 이 머신에 없는 것으로 취급",
    ] {
        assert!(ko.contains(said), "{said}: {ko}");
    }
    assert!(!ko.contains("says this machine lacks it") && !ko.contains("namespace pid"), "{ko}");
    let en = text(&run("en", false).stdout);
    assert!(
        en.contains("namespace pid") && en.contains("docker-cli (GLASSBOX_ASSUME_MISSING says this machine lacks it)")
    );
    let v: serde_json::Value = serde_json::from_slice(&run("ko", true).stdout).unwrap();
    let names: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"docker client") && names.contains(&"namespace pid"),
        "--json keeps the English names: {names:?}"
    );
}
