//! The web page for a Korean reader in a real browser (headless Chromium
//! through tests/browser/korean.mjs): `Accept-Language: ko` gives
//! `lang="ko"` and Korean labels, tooltips, gauges and a grouped number
//! and a Korean date inside the page; the page's switch gives English and is
//! remembered over the browser's header.

use crate::browser::browser_scripts;
use crate::harness::Sandbox;
use crate::web::Server;
use std::process::Command;

#[test]
fn accept_language_ko_gets_the_korean_page_in_chromium() {
    let Some(scripts) = browser_scripts("accept_language_ko_gets_the_korean_page_in_chromium") else {
        return;
    };
    let sb = Sandbox::new("web-ko");
    let name = sb.box_after("unshare", &["uts", "mnt"]);
    // A limit with a number a Korean reader groups: 2,000.
    sb.ok(&["limit", &name, "--pids", "2000"]);
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
