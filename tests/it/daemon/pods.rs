//! `docker run --network container:NAME`: the daemon's step is
//! `glassbox unshare BOX net --join OTHER`, and the kernel shows one
//! network namespace for both containers.

use super::fixture::{Daemon, assert_gone, ns, wait_until};
use crate::harness::{Sandbox, text};

#[test]
fn network_container_shares_the_other_container_s_localhost() {
    let sb = Sandbox::new("dk-pod");
    let d = Daemon::start(&sb);
    let serve = "mkdir -p /www && echo hello from app > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www";
    d.docker_ok(&["run", "-d", "--name", "app", "busybox", "sh", "-c", serve]);
    // By ID prefix, as Docker accepts it; the step names the box.
    let app_id = d.id("app");
    let network = format!("container:{}", &app_id[..12]);
    d.docker_ok(&["run", "-d", "--name", "side", "--network", &network, "busybox", "sleep", "60"]);
    assert_eq!(ns(d.main_pid("side"), "net"), ns(d.main_pid("app"), "net"), "one network namespace");
    assert_ne!(ns(d.main_pid("side"), "mnt"), ns(d.main_pid("app"), "mnt"), "each its own root filesystem");
    wait_until("the sidecar reaches the app on localhost", || {
        text(&d.docker(&["exec", "side", "wget", "-qO-", "http://127.0.0.1:8080/"]).stdout).contains("hello from app")
    });
    let history = sb.ok(&["history", "side"]);
    assert!(history.contains("glassbox unshare side net --join app"), "{history}");
    let net = sb.inspect("side")["namespaces"].as_array().unwrap().iter().find(|n| n["kind"] == "net").unwrap().clone();
    assert_eq!((net["made_by"].as_str(), net["joined"].as_str()), (Some("app"), Some("app")), "{net}");
    let refused = d.docker(&["run", "--rm", "--network", "container:app", "-p", "8081:80", "busybox", "true"]);
    assert!(text(&refused.stderr).contains("publish the port on app"), "{}", text(&refused.stderr));
    let missing = d.docker(&["run", "--rm", "--network", "container:nosuch", "busybox", "true"]);
    assert!(text(&missing.stderr).contains("No such container: nosuch"), "{}", text(&missing.stderr));
    d.docker_ok(&["rm", "-f", "app"]);
    assert_eq!(d.docker_ok(&["exec", "side", "readlink", "/proc/self/ns/net"]).trim(), ns(d.main_pid("side"), "net"));
    d.docker_ok(&["rm", "-f", "side"]);
    assert_gone(&sb, "app");
    assert_gone(&sb, "side");
}
