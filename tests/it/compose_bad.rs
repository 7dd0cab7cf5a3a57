//! Bad compose files: each a one-line error naming what is wrong, exit 2,
//! and nothing made (no box, no volume, no mount, no cgroup).

use crate::harness::{Sandbox, text};

const CASES: &[(&str, &str, &str)] = &[
    (
        "a YAML syntax error",
        "services:\n  web:\n    image: \"busybox\n",
        "compose.yaml line 4 column 1: found unexpected end of stream, while scanning a quoted scalar",
    ),
    (
        "an unknown key",
        "services:\n  web:\n    image: busybox\n    privileged: true\n",
        "line 4 column 5: unknown key `privileged` in services.web",
    ),
    (
        "a dependency cycle",
        "services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n",
        "depends_on makes a cycle among a, b",
    ),
    (
        "depends_on a missing service",
        "services:\n  a:\n    image: busybox\n    depends_on: [db]\n",
        "services.a.depends_on: no service named \"db\"",
    ),
    (
        "two services on one host port",
        "services:\n  a:\n    image: busybox\n    ports: [\"18181:80\"]\n  b:\n    image: busybox\n    ports: [\"18181:81\"]\n",
        "services a and b both publish host port 18181",
    ),
    (
        "replicas with a host port per replica",
        "services:\n  a:\n    image: busybox\n    ports: [\"18182-18183:80\"]\n    deploy:\n      replicas: 2\n",
        "a host port per replica is not how glassbox spreads replicas",
    ),
    (
        "replicas with a fixed host port per replica",
        "services:\n  a:\n    image: busybox\n    ports: [\"18184:80\", \"18185:80\"]\n    deploy:\n      replicas: 2\n",
        "18184:80 and 18185:80 look like a host port per replica",
    ),
    (
        "an update order compose does not know",
        "services:\n  a:\n    image: busybox\n    deploy:\n      update_config:\n        order: sideways\n",
        "services.a.deploy.update_config.order: \"sideways\": give stop-first or start-first",
    ),
    (
        "a failure_action that would keep a failed replica",
        "services:\n  a:\n    image: busybox\n    deploy:\n      update_config:\n        failure_action: continue\n",
        "glassbox rolls back or pauses",
    ),
    (
        "a bind mount the volume rules refuse",
        "services:\n  a:\n    image: busybox\n    volumes: [\"/etc:/host-etc\"]\nvolumes:\n  data:\n",
        "refusing to mount /etc into a box",
    ),
    (
        "an image that is not there",
        "services:\n  a:\n    image: nginx\nvolumes:\n  data:\n",
        "services.a.image: no image named \"nginx\"",
    ),
    (
        "service_healthy on a service without a healthcheck",
        "services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n    depends_on:\n      a:\n        condition: service_healthy\n",
        "a has no healthcheck",
    ),
    (
        "an undeclared named volume",
        "services:\n  a:\n    image: busybox\n    volumes: [\"data:/data\"]\n",
        "volume \"data\" is not declared",
    ),
    (
        "a required variable unset",
        "services:\n  a:\n    image: \"${NOPE_GB:?set NOPE_GB}\"\n",
        "variable NOPE_GB is required",
    ),
];

#[test]
fn each_bad_file_is_refused_with_its_reason_and_nothing_is_made() {
    let sb = Sandbox::new("compose-bad");
    sb.ok(&["image", "busybox"]);
    let dir = sb.root.parent().unwrap().join("bad");
    std::fs::create_dir_all(&dir).unwrap();
    for (what, yaml, expected) in CASES {
        refused(&sb, &dir, what, yaml, expected);
    }
}

/// `compose up -d` of `yaml` in `dir`: exit 2, the one-line error expected, nothing made.
pub fn refused(sb: &Sandbox, dir: &std::path::Path, what: &str, yaml: &str, expected: &str) {
    std::fs::write(dir.join("compose.yaml"), yaml).unwrap();
    let out = sb.cmd().current_dir(dir).args(["compose", "up", "-d"]).output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(err.contains(expected), "{what}: expected {expected:?} in {err:?}");
    assert_eq!(err.trim().lines().count(), 1, "{what}: one line, got {err:?}");
    assert!(sb.ok(&["ls"]).lines().count() <= 1, "{what}: a box was made");
    assert!(!sb.ok(&["volume", "ls"]).contains("bad_data"), "{what}: a volume was made");
}
