//! Whether the kernel offers what the hardening steps use: seccomp filters
//! and the prctl calls for capabilities and no_new_privs, each asked.

use super::report::Item;
use crate::i18n::tr;
use crate::sys::confine;

fn item(name: String, result: crate::sys::SysResult<()>, ok_detail: &str, fix: &str) -> Item {
    match result {
        Ok(()) => Item { name, ok: true, optional: false, detail: ok_detail.into(), fix: None },
        Err(e) => Item { name, ok: false, optional: false, detail: e.to_string(), fix: Some(fix.into()) },
    }
}

pub fn items() -> Vec<Item> {
    let mut v = vec![item(
        "seccomp filters".into(),
        confine::seccomp_filters_available(),
        &tr!("doctor-seccomp-ok"),
        &tr!("doctor-seccomp-fix"),
    )];
    for (name, result) in confine::prctls_available() {
        v.push(item(format!("prctl {name}"), result, &tr!("doctor-prctl-ok"), &tr!("doctor-prctl-fix")));
    }
    v
}
