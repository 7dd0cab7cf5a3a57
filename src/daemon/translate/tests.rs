use super::*;

fn request(json: &str) -> CreateRequest {
    serde_json::from_str(json).unwrap()
}

fn translated(json: &str) -> Result<Steps, Refusal> {
    let mut next = 40000;
    let mut free = || {
        next += 1;
        Some(next)
    };
    translate(
        &request(json),
        Given {
            name: "web",
            hostname: "0123456789ab",
            image: "busybox",
            free_port: &mut free,
            profile_file: "/p.json",
        },
    )
}

fn lines(s: &Steps) -> Vec<String> {
    s.steps.iter().map(|a| a.join(" ")).collect()
}

#[test]
fn docker_run_with_a_limit_a_volume_and_a_port_is_the_steps_a_learner_would_type() {
    let s = translated(
        r#"{"Image":"busybox","Cmd":["httpd","-f"],"Env":["GREETING=hi there","UNSET"],
            "HostConfig":{"Memory":67108864,"PidsLimit":20,"NanoCpus":500000000,
            "Binds":["data:/data","/srv/site:/www:ro"],"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}}}"#,
    )
    .unwrap();
    assert_eq!(
        lines(&s),
        [
            "limit web --memory 64M --cpus 0.5 --pids 20",
            "unshare web uts ipc net pid mnt --hostname 0123456789ab",
            "rootfs web busybox",
            "volume add web data:/data",
            "volume add web /srv/site:/www:ro",
            "net web",
            "publish web 8080:80",
            "caps web --docker-default",
            "nnp web",
            "seccomp web default",
            "devices web --docker-default",
            "mask web --docker-default",
        ]
    );
    assert_eq!(s.volumes, ["data"]);
    assert_eq!(s.command, ["httpd", "-f"]);
    assert_eq!(s.run_flags, ["-e", "GREETING=hi there"]);
    assert!(s.warnings.iter().any(|w| w.contains("127.0.0.1 only")));
}

#[test]
fn every_container_gets_a_cgroup_and_none_gets_no_bridge() {
    let s = translated(r#"{"Cmd":["true"],"Hostname":"h1","HostConfig":{"NetworkMode":"none"}}"#).unwrap();
    assert_eq!(
        lines(&s)[..3],
        ["limit web --memory max", "unshare web uts ipc net pid mnt --hostname h1", "rootfs web busybox"]
    );
    assert!(!lines(&s).iter().any(|l| l.starts_with("net ")));
    assert_eq!(s.command, ["true"]);
}

#[test]
fn network_container_joins_the_other_box_net_namespace_first() {
    let s = translated(r#"{"Cmd":["true"],"HostConfig":{"NetworkMode":"container:app"}}"#).unwrap();
    assert_eq!(
        lines(&s)[..4],
        [
            "limit web --memory max",
            "unshare web net --join app",
            "unshare web uts ipc pid mnt --hostname 0123456789ab",
            "rootfs web busybox"
        ]
    );
    let ports = r#"{"Cmd":["sh"],"HostConfig":{"NetworkMode":"container:app","PortBindings":{"80/tcp":[{"HostPort":"8080"}]}}}"#;
    assert!(matches!(translated(ports), Err(Refusal::Bad(m)) if m.contains("publish the port on app")));
    let none = r#"{"Cmd":["sh"],"HostConfig":{"NetworkMode":"container:"}}"#;
    assert!(matches!(translated(none), Err(Refusal::Bad(m)) if m.contains("names no container")));
}

#[test]
fn hardening_is_docker_s_default_changed_by_the_request() {
    let s = translated(
        r#"{"Cmd":["sh"],"HostConfig":{"CapAdd":["SYS_ADMIN"],"CapDrop":["ALL"],"ReadonlyRootfs":true,
            "SecurityOpt":["seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}"]}}"#,
    )
    .unwrap();
    let l = lines(&s);
    assert_eq!(
        l[4..],
        [
            "caps web --drop ALL --add SYS_ADMIN",
            "seccomp web /p.json",
            "devices web --docker-default",
            "mask web --docker-default",
            "mask web --read-only /",
        ],
        "with CAP_SYS_ADMIN kept the filter needs no nnp"
    );
    assert_eq!(s.seccomp_profile.as_deref(), Some(r#"{"defaultAction":"SCMP_ACT_ALLOW"}"#));
    let s = translated(r#"{"Cmd":["sh"],"HostConfig":{"SecurityOpt":["seccomp=unconfined","no-new-privileges"]}}"#)
        .unwrap();
    let l = lines(&s);
    assert!(l.contains(&"nnp web".into()) && l.contains(&"seccomp web unconfined".into()), "{l:?}");
}

#[test]
fn anonymous_volumes_and_unbound_ports_get_names_and_numbers() {
    let s = translated(
        r#"{"Cmd":["sh"],"Volumes":{"/cache":{}},"ExposedPorts":{"443/tcp":{}},
            "HostConfig":{"PublishAllPorts":true,"PortBindings":{"80/tcp":null},"Mounts":[{"Type":"volume","Target":"/m"}]}}"#,
    )
    .unwrap();
    assert_eq!(s.anonymous, ["web-anon-1", "web-anon-2"]);
    assert!(s.volumes.is_empty(), "anonymous volumes are the container's own: {:?}", s.volumes);
    let l = lines(&s);
    assert!(l.contains(&"volume add web web-anon-1:/m".to_string()), "{l:?}");
    assert!(l.contains(&"volume add web web-anon-2:/cache".to_string()), "{l:?}");
    assert!(
        l.contains(&"publish web 40001:80".to_string()) && l.contains(&"publish web 40002:443".to_string()),
        "{l:?}"
    );
}

#[test]
fn what_glassbox_does_not_do_is_refused_with_what_to_do_instead() {
    for (body, says) in [
        (r#"{"Cmd":["sh"],"HostConfig":{"Privileged":true}}"#, "--privileged"),
        (r#"{"Cmd":["sh"],"HostConfig":{"Devices":[{"PathOnHost":"/dev/sda"}]}}"#, "--device"),
        (r#"{"Cmd":["sh"],"HostConfig":{"DeviceRequests":[{"Count":-1}]}}"#, "--gpus"),
        (r#"{"Cmd":["sh"],"HostConfig":{"NetworkMode":"host"}}"#, "--network host"),
        (r#"{"Cmd":["sh"],"HostConfig":{"PidMode":"host"}}"#, "--pid host"),
        (r#"{"Cmd":["sh"],"HostConfig":{"CapAdd":["FLY"]}}"#, "--cap-add"),
        (r#"{"Cmd":["sh"],"HostConfig":{"SecurityOpt":["apparmor=x"]}}"#, "apparmor"),
        (r#"{"Cmd":["sh"],"HostConfig":{"PortBindings":{"53/udp":[{"HostPort":"53"}]}}}"#, "TCP ports only"),
        (r#"{"Cmd":["sh"],"HostConfig":{"Memory":67108864,"MemorySwap":1024}}"#, "--memory-swap"),
        (r#"{"Cmd":["sh"],"HostConfig":{"Binds":["a:b:c:d"]}}"#, "SOURCE:/path"),
    ] {
        match translated(body) {
            Err(Refusal::Bad(m)) => assert!(m.contains(says), "{body}: {m}"),
            other => panic!("{body}: {other:?}"),
        }
    }
    assert_eq!(
        translated(r#"{"Cmd":["sh"],"HostConfig":{"NetworkMode":"mynet"}}"#),
        Err(Refusal::NotFound("network mynet not found: glassbox has two, bridge and none".into()))
    );
}

#[test]
fn sizes_read_as_a_learner_would_type_them() {
    assert_eq!(size(64 << 20), "64M");
    assert_eq!(size(2 << 30), "2G");
    assert_eq!(size(1536), "1536");
    assert_eq!(size(512 << 10), "512k");
}

#[test]
fn an_entrypoint_becomes_run_s_flag_and_the_rest_its_arguments() {
    let s = translated(r#"{"Entrypoint":["sh","-c"],"Cmd":["echo hi"]}"#).unwrap();
    assert_eq!(
        (s.run_flags, s.command),
        (vec!["--entrypoint".to_string(), "sh".into()], vec!["-c".to_string(), "echo hi".into()])
    );
    let s = translated(r#"{"Entrypoint":[""],"Cmd":null}"#).unwrap();
    assert_eq!((s.run_flags, s.command), (vec!["--entrypoint".to_string(), String::new()], vec![]));
    let s = translated(r#"{"Entrypoint":null,"Cmd":["ls"]}"#).unwrap();
    assert!(s.run_flags.is_empty() && s.command == ["ls"]);
}
