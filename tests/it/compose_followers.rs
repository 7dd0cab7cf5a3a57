//! What a rolling update takes along: a sidecar that shares the updated
//! service's net namespace (`network_mode: service:X`) is made again to join
//! the new replica, as Docker recreates it; and a service built from its
//! folder keeps its previous build to roll back to, since the new build
//! takes over the image's name.

use crate::compose::{compose, ok, project};
use crate::compose_replicas::{free_port, get};
use crate::harness::{Sandbox, patience, text};
use std::path::Path;
use std::time::{Duration, Instant};

/// Until `probe` gives `want` (at most 10 s, longer in a slow VM): the last answer.
fn until(want: &str, probe: impl Fn() -> String) -> String {
    let deadline = Instant::now() + patience(Duration::from_secs(10));
    loop {
        let got = probe();
        if got.trim() == want || Instant::now() > deadline {
            return got;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn names(sb: &Sandbox, dir: &Path, project: &str) -> Vec<String> {
    crate::compose::ps(sb, dir, project).iter().map(|r| r["name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_sidecar_of_the_updated_service_is_made_again_in_the_new_replicas_net_namespace() {
    let sb = Sandbox::new("compose-sidecar");
    sb.ok(&["image", "busybox"]);
    for v in ["web-v1", "web-v2"] {
        sb.ok(&["image", "busybox", "--name", v]);
    }
    let dir = project(&sb, "sidecar-rollout.yaml");
    let up = |vars: &[(&str, &str)], global: &[&str]| {
        let mut cmd = sb.cmd();
        cmd.envs(vars.iter().copied()).args(global).arg("compose").arg("-f").arg(dir.join("compose.yaml"));
        cmd.args(["-p", "sp", "up", "-d"]).output().unwrap()
    };
    let from_side = || {
        let out = compose(
            &sb,
            &dir,
            &[],
            &["-p", "sp", "exec", "side", "--", "busybox", "wget", "-qO-", "http://127.0.0.1/"],
        );
        text(&out.stdout)
    };
    ok(up(&[], &[]));
    assert_eq!(until("v1", from_side).trim(), "v1", "the sidecar reaches web on its localhost");

    let v2 = [("WEB_IMAGE", "web-v2"), ("VERSION", "v2")];
    let planned = ok(up(&v2, &["--dry-run"]));
    assert!(planned.contains("# then each box of side, which shares the net namespace"), "{planned}");
    let said = ok(up(&v2, &[]));
    assert!(
        said.contains(
            "sp-side-1: the net namespace it shares was sp-web-1's, which is gone: sp-side-2 takes its place"
        ),
        "{said}"
    );
    // Made (joining the new replica) before the old sidecar goes.
    let joined = said.find("sp-side-2: glassbox unshare sp-side-2 net --join sp-web-2").expect(&said);
    let removed = said.find("sp-side-1: glassbox rm --force sp-side-1").expect(&said);
    assert!(joined < removed, "{said}");
    assert_eq!(names(&sb, &dir, "sp"), ["sp-side-2", "sp-web-2"]);
    let net =
        sb.inspect("sp-side-2")["namespaces"].as_array().unwrap().iter().find(|n| n["kind"] == "net").unwrap().clone();
    assert_eq!(net["joined"], "sp-web-2", "{net}");
    assert_eq!(until("v2", from_side).trim(), "v2", "the new sidecar reaches the new replica on localhost");
    // Up to date, sidecar included: nothing more to do.
    assert!(ok(up(&v2, &[])).contains("every box is there already"));

    ok(compose(&sb, &dir, &[], &["-p", "sp", "down"]));
    assert_eq!(sb.ok(&["--json", "ls"]).trim(), "[]", "down left boxes");
}

const DOCKERFILE: &str = "FROM busybox\nCOPY www /www\nCOPY ready /ready\n";

#[test]
fn a_built_service_whose_new_build_fails_rolls_back_to_the_build_before() {
    let sb = Sandbox::new("compose-buildback");
    sb.ok(&["image", "busybox"]);
    let dir = project(&sb, "build-rollback.yaml");
    let port = free_port();
    std::fs::create_dir_all(dir.join("www")).unwrap();
    let write = |version: &str, dockerfile: &str| {
        std::fs::write(dir.join("www/index.html"), format!("{version}\n")).unwrap();
        std::fs::write(dir.join("ready"), "").unwrap();
        std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
    };
    let up = |args: &[&str]| {
        let mut cmd = sb.cmd();
        cmd.env("WEB_PORT", port.to_string()).arg("compose").arg("-f").arg(dir.join("compose.yaml"));
        cmd.args(["-p", "bk", "up", "-d"]).args(args).output().unwrap()
    };
    let serves = || get(port).unwrap_or_else(|e| e);
    write("v1", DOCKERFILE);
    ok(up(&[]));
    assert_eq!(until("v1", serves).trim(), "v1");

    // v2 leaves /ready out: its replica never passes the healthcheck.
    write("v2", "FROM busybox\nCOPY www /www\n");
    let out = up(&["--build"]);
    let (said, err) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{said}\n{err}");
    assert!(said.contains("web: its image as its replicas run it kept as bk-web-previous"), "{said}");
    assert!(said.contains("rolling update of 1 replicas from bk-web-previous to bk-web"), "{said}");
    assert!(
        err.contains("the rolling update of web to bk-web failed and was rolled back: bk-web-2 never became healthy")
            && err.contains("web runs bk-web-previous on 1 replicas as before"),
        "{err}"
    );
    assert_eq!(serves().trim(), "v1", "the build before serves");
    let rows = crate::compose::ps(&sb, &dir, "bk");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((&rows[0]["image"], &rows[0]["pool"]), (&"bk-web-previous".into(), &"serving".into()), "{rows:?}");
    assert!(sb.ok(&["history", rows[0]["name"].as_str().unwrap()]).contains("rootfs bk-web-3 bk-web-previous"));

    // v3 is whole again: the update goes through, and the kept build goes.
    write("v3", DOCKERFILE);
    let said = ok(up(&["--build"]));
    assert!(said.contains("web: glassbox image rm bk-web-previous"), "{said}");
    assert_eq!(until("v3", serves).trim(), "v3");
    let images = sb.ok(&["image", "ls"]);
    assert!(images.contains("bk-web") && !images.contains("bk-web-previous"), "{images}");

    ok(compose(&sb, &dir, &[], &["-p", "bk", "down"]));
    assert_eq!(sb.ok(&["--json", "pool", "ls"]).trim(), "[]", "a pool outlived compose down");
}
