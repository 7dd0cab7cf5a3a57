//! Every command that has something to say answers `--json` with one JSON
//! document on stdout: `Ctx::show` is the one printer, and this table is
//! the list of commands it covers, so a command that prints its own text
//! into a JSON answer fails here. (Streams are the exceptions: `stats`
//! writes a JSON line a second, `build` a line per step, `logs -f` and
//! `lesson dev-check` a line per lesson as it goes.)

use crate::compose::project;
use crate::harness::{Sandbox, text};

#[test]
fn every_command_with_an_answer_answers_json_that_parses() {
    let sb = Sandbox::new("jsonall");
    let b = sb.name("js");
    let other = sb.name("jsx");
    let pool = sb.name("jspool");
    let port = (30000 + std::process::id() % 20000).to_string();
    let pool_port = (20000 + std::process::id() % 9000).to_string();
    let base = sb.root.parent().unwrap().to_path_buf();
    let at = |name: &str| base.join(name).display().to_string();
    let (archive, bundle) = (at("img.tar"), at("bundle"));
    let compose_file = project(&sb, "two-services.yaml").join("compose.yaml").display().to_string();
    for step in [
        vec!["image", "busybox"],
        vec!["create", &b],
        vec!["unshare", &b, "all"],
        vec!["limit", &b, "--pids", "64"],
        vec!["rootfs", &b, "busybox"],
        vec!["volume", "create", "jsvol"],
        vec!["volume", "add", &b, "jsvol:/data"],
        vec!["net", &b],
        vec!["run", "-d", &b, "--", "sleep", "1000"],
    ] {
        sb.ok(&step);
    }
    let (ports, pooled) = (format!("{port}:80"), format!("{pool_port}:80"));
    // Each command, and the exit codes it may answer with (doctor and
    // lesson check say 1 when something is missing or failing).
    let cases: Vec<(Vec<&str>, &[i32])> = vec![
        (vec!["ls"], &[0]),
        (vec!["ps", &b], &[0]),
        (vec!["inspect", &b], &[0]),
        (vec!["inspect", &b, "--path", "/bin/sh"], &[0]),
        (vec!["history", &b], &[0]),
        (vec!["history", &b, "--script"], &[0]),
        (vec!["diff", &b], &[0]),
        (vec!["stats", &b, "--count", "1"], &[0]),
        (vec!["image", "ls"], &[0]),
        (vec!["image", "inspect", "busybox"], &[0]),
        (vec!["image", "history", "busybox"], &[0]),
        (vec!["image", "export", "busybox", "-o", &archive], &[0]),
        (vec!["image", "import", &archive, "--name", "jsimported"], &[0]),
        (vec!["image", "busybox", "--name", "jsspare"], &[0]),
        (vec!["image", "rm", "jsspare"], &[0]),
        (vec!["volume", "ls"], &[0]),
        (vec!["volume", "inspect", "jsvol"], &[0]),
        (vec!["volume", "create", "jsother"], &[0]),
        (vec!["volume", "rm", "jsother"], &[0]),
        (vec!["export", &b, "--bundle", &bundle], &[0]),
        (vec!["commit", &b, "jscommitted"], &[0]),
        (vec!["publish", &b, &ports], &[0]),
        (vec!["pool", "add", &pool, &b, &pooled], &[0]),
        (vec!["pool", "ls"], &[0]),
        (vec!["pool", "drain", &pool, &b, "--timeout", "1"], &[0]),
        (vec!["pool", "rm", &pool], &[0]),
        (vec!["compose", "-f", &compose_file, "config"], &[0]),
        (vec!["compose", "-f", &compose_file, "-p", "jsproj", "ps"], &[0]),
        (vec!["create", &other], &[0]),
        (vec!["unshare", &other, "uts"], &[0]),
        (vec!["limit", &other, "--pids", "32"], &[0]),
        (vec!["stop", &other], &[0]),
        (vec!["rm", &other], &[0]),
        (vec!["doctor"], &[0, 1]),
        (vec!["lesson", "list"], &[0]),
        (vec!["lesson", "glossary"], &[0]),
        (vec!["lesson", "glossary", "uts"], &[0]),
        (vec!["lesson", "glossary", "--markdown"], &[0]),
        (vec!["lesson", "show", "02"], &[0]),
        (vec!["lesson", "status", "02"], &[0]),
        (vec!["lesson", "start", "02"], &[0]),
        (vec!["lesson", "hint"], &[0]),
        (vec!["lesson", "check"], &[0, 1]),
        (vec!["lesson", "progress"], &[0]),
        (vec!["lesson", "reset"], &[0]),
        (vec!["stop", &b], &[0]),
        (vec!["rm", "--force", &b], &[0]),
        (vec!["reset"], &[0]),
    ];
    for (args, codes) in cases {
        let out = sb.run(&[&["--json"], args.as_slice()].concat());
        let (said, err) = (text(&out.stdout), text(&out.stderr));
        let code = out.status.code().unwrap_or(-1);
        assert!(codes.contains(&code), "--json {args:?} exited {code}:\n{said}\n{err}");
        let parsed = serde_json::from_str::<serde_json::Value>(&said);
        assert!(parsed.is_ok(), "--json {args:?} printed what is not one JSON document ({parsed:?}):\n{said}");
    }
}
