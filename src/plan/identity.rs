//! The faces of a command's identity (its ids and its folder, from the
//! image's User and WorkingDir or `-u`/`-w`): the calls before execve, and
//! the words util-linux and coreutils put before the command.

use crate::output::escape::shell_word;
use crate::sys::identity::ProcessSpec;

/// The calls that set a command's folder and ids before execve, each with "; ".
pub(super) fn identity_calls(p: &ProcessSpec) -> String {
    let mut out = String::new();
    if let Some(ids) = &p.user {
        out.push_str(&format!(
            "setgroups({:?}); setresgid({g}, {g}, {g}); setresuid({u}, {u}, {u}); ",
            ids.groups,
            g = ids.gid,
            u = ids.uid
        ));
    }
    if let Some(cwd) = &p.cwd {
        out.push_str(&format!("mkdir -p + chdir(\"{cwd}\"); "));
    }
    out
}

/// The same as util-linux and coreutils words before the command:
/// `setpriv`, `env -C` (chdir) and the variables.
pub(super) fn identity_shell(p: &ProcessSpec) -> String {
    let mut out = String::new();
    if let Some(ids) = &p.user {
        let groups = ids.groups.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let groups = if groups.is_empty() { "--clear-groups".to_string() } else { format!("--groups {groups}") };
        out.push_str(&format!("setpriv --reuid {} --regid {} {groups} ", ids.uid, ids.gid));
    }
    if p.cwd.is_some() || !p.env.is_empty() {
        out.push_str("env ");
        if let Some(cwd) = &p.cwd {
            out.push_str(&format!("-C {} ", shell_word(cwd)));
        }
        for pair in &p.env {
            out.push_str(&shell_word(pair));
            out.push(' ');
        }
    }
    out
}
