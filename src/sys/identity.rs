//! Who a command runs as, where, and with what environment: the part of a
//! process an image's config decides (`Env`, `WorkingDir`, `User`) and
//! `run -e/-w/-u` overrides.
//!
//! The last steps before execve(2), in the order runc takes them: the
//! working folder is made if the image names one that is missing (as root,
//! like `mkdir -p`), then the groups and ids are dropped (setgroups(2),
//! setresgid(2), setresuid(2) — gid first: once the uid is not 0 the gid can
//! no longer change), then chdir(2) as that user. They run in a vfork child
//! that shares the box init's memory (see `sys::spawn`), so they are raw
//! system calls on strings prepared before the clone, and the id changes
//! are the raw calls too: glibc's setresuid would signal every thread of the
//! process it believes it is, which in a vfork child is the init.

use super::{SysError, SysResult, cstring};
use rustix::fs::{Gid, Uid};
use serde::{Deserialize, Serialize};
use std::ffi::CString;

/// Numeric ids a command runs as, resolved from a user name before it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ids {
    pub uid: u32,
    pub gid: u32,
    /// Supplementary groups (the user's groups in the image's /etc/group).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<u32>,
}

/// What a command gets besides its argv. Empty: as before images had a
/// config (glassbox's PATH, HOME and TERM, root, the box's `/`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessSpec {
    /// `KEY=value`, over glassbox's PATH, HOME and TERM (a later one wins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// An absolute folder inside the box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Ids>,
}

impl ProcessSpec {
    pub fn is_default(&self) -> bool {
        *self == ProcessSpec::default()
    }

    /// `base` (glassbox's variables) with this spec's on top, each name once.
    pub fn environment(&self, base: Vec<(String, String)>) -> Vec<(String, String)> {
        let mut env = base;
        for pair in &self.env {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match env.iter_mut().find(|(name, _)| name == k) {
                Some(slot) => slot.1 = v.to_string(),
                None => env.push((k.to_string(), v.to_string())),
            }
        }
        env
    }
}

/// The spec's cwd and ids as C strings, ready for a vfork child.
#[derive(Default)]
pub struct Prepared {
    /// `/a`, `/a/b`, … of the working folder, made if missing.
    folders: Vec<CString>,
    ids: Option<(Uid, Gid, Vec<Gid>)>,
}

impl Prepared {
    pub fn new(spec: &ProcessSpec) -> SysResult<Prepared> {
        let mut folders = vec![];
        if let Some(cwd) = &spec.cwd {
            let mut at = String::new();
            for part in cwd.split('/').filter(|p| !p.is_empty() && *p != ".") {
                at.push('/');
                at.push_str(part);
                folders.push(cstring(&at)?);
            }
            if folders.is_empty() {
                folders.push(cstring("/")?);
            }
        }
        let gid = Gid::from_raw_unchecked;
        let ids = spec
            .user
            .as_ref()
            .map(|u| (Uid::from_raw_unchecked(u.uid), gid(u.gid), u.groups.iter().map(|&g| gid(g)).collect()));
        Ok(Prepared { folders, ids })
    }

    /// Makes the folder, drops the ids, changes into the folder; the errno
    /// and the call on failure. Only system calls: safe in a vfork child.
    pub fn apply(&self) -> Result<(), (i32, &'static str)> {
        use rustix::io::Errno;
        let failed = |call: &'static str| move |e: Errno| (e.raw_os_error(), call);
        for f in &self.folders {
            match rustix::fs::mkdir(f.as_c_str(), rustix::fs::Mode::from_raw_mode(0o755)) {
                Ok(()) | Err(Errno::EXIST) => {}
                Err(e) => return Err(failed("mkdir (the working folder)")(e)),
            }
        }
        // rustix's thread calls are the raw syscalls, on this task alone:
        // libc's wrappers would signal every thread of the process, which a
        // vfork child shares its memory with.
        if let Some((uid, gid, groups)) = &self.ids {
            // A user namespace whose setgroups is "deny" refuses any list;
            // the ids below still change.
            match rustix::thread::set_thread_groups(groups) {
                Ok(()) | Err(Errno::PERM) => {}
                Err(e) => return Err(failed("setgroups")(e)),
            }
            rustix::thread::set_thread_res_gid(*gid, *gid, *gid).map_err(failed("setresgid"))?;
            rustix::thread::set_thread_res_uid(*uid, *uid, *uid).map_err(failed("setresuid"))?;
        }
        if let Some(cwd) = self.folders.last() {
            rustix::process::chdir(cwd.as_c_str()).map_err(failed("chdir (the working folder)"))?;
        }
        Ok(())
    }

    pub fn failure(errno: i32, call: &str) -> SysError {
        SysError::io(call.to_string(), std::io::Error::from_raw_os_error(errno))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_s_variables_replace_glassbox_s_and_add_their_own() {
        let spec = ProcessSpec { env: vec!["PATH=/app/bin".into(), "GREETING=hi=there".into()], ..Default::default() };
        let base = vec![("PATH".into(), "/bin".into()), ("HOME".into(), "/root".into())];
        let env = spec.environment(base);
        assert_eq!(
            env,
            [("PATH", "/app/bin"), ("HOME", "/root"), ("GREETING", "hi=there")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        );
    }

    #[test]
    fn the_working_folder_is_made_one_component_at_a_time() {
        let spec = ProcessSpec { cwd: Some("/srv//app/./x".into()), ..Default::default() };
        let p = Prepared::new(&spec).unwrap();
        let names: Vec<_> = p.folders.iter().map(|c| c.to_str().unwrap().to_string()).collect();
        assert_eq!(names, ["/srv", "/srv/app", "/srv/app/x"]);
    }
}
