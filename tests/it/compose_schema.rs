//! Every compose file in the tests and lessons is a file Docker Compose
//! reads too: it validates against the Compose Specification's JSON schema
//! (tests/fixtures/compose-spec, from docker-compose 1.29.2).

use std::path::{Path, PathBuf};

const VENV_PYTHON: &str = "/opt/glassbox-test-venv/bin/python";

const CHECK: &str = r#"
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft201909Validator(schema)
bad = 0
for path in sys.argv[2:]:
    errors = list(validator.iter_errors(yaml.safe_load(open(path))))
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    bad += len(errors)
print(f"{len(sys.argv) - 2} files checked")
sys.exit(1 if bad else 0)
"#;

fn compose_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            compose_files(&path, out);
        } else if (name.contains("compose") || dir.ends_with("fixtures/compose"))
            && (name.ends_with(".yaml") || name.ends_with(".yml"))
        {
            out.push(path);
        }
    }
}

#[test]
fn every_compose_file_of_the_tests_and_lessons_validates_against_the_compose_schema() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    compose_files(&top.join("tests/fixtures/compose"), &mut files);
    compose_files(&top.join("lessons"), &mut files);
    compose_files(&top.join("book/src"), &mut files);
    files.sort();
    assert!(files.len() >= 3, "the compose fixtures are missing: {files:?}");
    let out = std::process::Command::new(VENV_PYTHON)
        .arg("-c")
        .arg(CHECK)
        .arg(top.join("tests/fixtures/compose-spec/compose_spec.json"))
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("{VENV_PYTHON}: {e}: run scripts/setup-tests.sh"));
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        !said.contains("No module named"),
        "{said}: run scripts/setup-tests.sh (it installs jsonschema and pyyaml)"
    );
    assert!(out.status.success(), "compose files the Compose Specification refuses:\n{said}");
}
