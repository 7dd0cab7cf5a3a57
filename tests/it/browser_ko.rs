//! The web page for a Korean reader in a real browser (headless Chromium
//! through tests/browser/korean.mjs): `Accept-Language: ko` gives
//! `lang="ko"` and Korean labels; the page's switch gives English and is
//! remembered over the browser's header.

use crate::browser::{browser_packages, skip_without_browser};
use crate::harness::Sandbox;
use crate::web::Server;
use std::process::Command;

#[test]
fn accept_language_ko_gets_the_korean_page_in_chromium() {
    if skip_without_browser("accept_language_ko_gets_the_korean_page_in_chromium") {
        return;
    }
    let Some(scripts) = browser_packages() else {
        assert!(std::env::var_os("GLASSBOX_REQUIRE_BROWSER").is_none(), "npm is missing: run scripts/setup-tests.sh");
        eprintln!("SKIPPED: npm is not installed");
        return;
    };
    let sb = Sandbox::new("web-ko");
    let name = sb.box_after("unshare", &["uts", "mnt"]);
    let server = Server::start(&sb);
    let out = Command::new("node")
        .arg(scripts.join("korean.mjs"))
        .arg(server.url(""))
        .arg(&name)
        .current_dir(&scripts)
        .output()
        .expect("node runs");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser checks failed:\n{report}");
}
