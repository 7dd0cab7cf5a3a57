//! Confining a process before it becomes a box's command: capabilities
//! (capabilities(7)), no_new_privs (prctl(2)) and seccomp filters
//! (seccomp(2)).
//!
//! None of these can be imposed on another process from outside: a process
//! changes its own credentials and installs its own filters. So the box init
//! applies them in each process it starts, in the child, as the last thing
//! before execve, in this order:
//!
//! 1. the bounding set (`PR_CAPBSET_DROP`): it needs CAP_SETPCAP, which
//!    step 3 may drop; for root, the bounding set is what execve grants;
//! 2. no_new_privs: from here on no execve (setuid, file capabilities)
//!    can give more than the process has;
//! 3. capset: effective and permitted cut to the kept set, inheritable and
//!    ambient emptied (for root, execve grants inheritable ∪ bounding);
//! 4. the seccomp filters, last: they may forbid the prctl and capset calls
//!    above, and loading one needs no_new_privs or CAP_SYS_ADMIN, which
//!    step 3 may have dropped.
//!
//! Everything is prepared before the child exists: `apply` makes system
//! calls only, so it is safe in the init's vfork child (see `spawn`).

use super::{SysError, SysResult};

/// What a process the box init starts is confined to.
#[derive(Debug, Clone, Default)]
pub struct Confinement {
    /// The capabilities it keeps (a bit per capability); None: all it has.
    pub keep: Option<u64>,
    pub no_new_privs: bool,
    /// Compiled seccomp programs, installed in this order.
    pub filters: Vec<Vec<libc::sock_filter>>,
    /// The highest capability number this kernel knows (see `last_cap`).
    pub last_cap: u32,
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

impl Confinement {
    pub fn is_empty(&self) -> bool {
        self.keep.is_none() && !self.no_new_privs && self.filters.is_empty()
    }

    /// Confines the calling process (see the module's order). Only system
    /// calls: safe in a vfork child. On failure, the call and its errno.
    pub fn apply(&self) -> Result<(), (&'static str, i32)> {
        use rustix::thread::CapabilitySet;
        let failed = |call: &'static str| move |e: rustix::io::Errno| (call, e.raw_os_error());
        if let Some(keep) = self.keep {
            for cap in (0..=self.last_cap.min(63)).filter(|c| keep & (1u64 << c) == 0) {
                rustix::thread::remove_capability_from_bounding_set(CapabilitySet::from_bits_retain(1 << cap))
                    .map_err(failed("prctl(PR_CAPBSET_DROP)"))?;
            }
            let _ = rustix::thread::clear_ambient_capability_set();
        }
        if self.no_new_privs {
            rustix::thread::set_no_new_privs(true).map_err(failed("prctl(PR_SET_NO_NEW_PRIVS)"))?;
        }
        if let Some(keep) = self.keep {
            set_caps(keep)?;
        }
        for filter in &self.filters {
            let prog = libc::sock_fprog { len: filter.len() as u16, filter: filter.as_ptr().cast_mut() };
            // SAFETY: prog points at the filter, alive for the call; the kernel
            // copies it. rustix has no seccomp(2), and seccompiler's
            // apply_filter also sets no_new_privs, which is a step of its own here.
            let ret = unsafe {
                libc::syscall(libc::SYS_seccomp, libc::SECCOMP_SET_MODE_FILTER, 0, &prog as *const libc::sock_fprog)
            };
            if ret != 0 {
                return Err(("seccomp(SECCOMP_SET_MODE_FILTER)", errno()));
            }
        }
        Ok(())
    }
}

/// capset: effective and permitted cut to `keep`, inheritable emptied.
fn set_caps(keep: u64) -> Result<(), (&'static str, i32)> {
    use rustix::thread::CapabilitySet;
    let mut sets = rustix::thread::capabilities(None).map_err(|e| ("capget", e.raw_os_error()))?;
    let keep = CapabilitySet::from_bits_retain(keep);
    sets.effective &= keep;
    sets.permitted &= keep;
    sets.inheritable = CapabilitySet::empty();
    rustix::thread::set_capabilities(None, sets).map_err(|e| ("capset", e.raw_os_error()))
}

/// The highest capability number this kernel knows.
pub fn last_cap() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/cap_last_cap").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(40)
}

/// What /proc/PID/status says about a process's confinement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcConfinement {
    pub effective: u64,
    pub bounding: u64,
    pub no_new_privs: bool,
    /// 0 none, 1 strict, 2 filter.
    pub seccomp_mode: u8,
    pub seccomp_filters: u32,
}

pub fn proc_confinement(pid: i32) -> Option<ProcConfinement> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let mut c = ProcConfinement::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        let hex = || u64::from_str_radix(value, 16).unwrap_or(0);
        match key {
            "CapEff" => c.effective = hex(),
            "CapBnd" => c.bounding = hex(),
            "NoNewPrivs" => c.no_new_privs = value == "1",
            "Seccomp" => c.seccomp_mode = value.parse().unwrap_or(0),
            "Seccomp_filters" => c.seccomp_filters = value.parse().unwrap_or(0),
            _ => {}
        }
    }
    Some(c)
}

/// Whether this kernel takes seccomp filters: PR_GET_SECCOMP answers, and
/// the filter mode is compiled in (an invalid filter gets EFAULT or
/// EINVAL, not the EINVAL of a kernel without CONFIG_SECCOMP_FILTER).
pub fn seccomp_filters_available() -> SysResult<()> {
    // SAFETY: prctl with integer arguments; only reads this process's mode.
    if unsafe { libc::prctl(libc::PR_GET_SECCOMP, 0, 0, 0, 0) } < 0 {
        return Err(SysError::last("prctl(PR_GET_SECCOMP)"));
    }
    // SAFETY: a NULL filter is never installed: the kernel answers EFAULT
    // where filters exist, EINVAL where they do not.
    let ret = unsafe {
        libc::syscall(libc::SYS_seccomp, libc::SECCOMP_SET_MODE_FILTER, 0, std::ptr::null::<libc::sock_fprog>())
    };
    match (ret, errno()) {
        (_, libc::EFAULT) => Ok(()),
        (0, _) => Ok(()),
        (_, e) => Err(SysError::io("seccomp(SECCOMP_SET_MODE_FILTER)", std::io::Error::from_raw_os_error(e))),
    }
}

/// Each prctl the hardening steps use, asked a harmless question: ok, or
/// the errno of a kernel that lacks it.
pub fn prctls_available() -> Vec<(&'static str, SysResult<()>)> {
    let ask = |option: libc::c_int, arg: libc::c_ulong| {
        // SAFETY: read-only prctl queries with integer arguments.
        unsafe { libc::prctl(option, arg, 0, 0, 0) }
    };
    let answer = |ret: libc::c_int, call: &str| if ret < 0 { Err(SysError::last(call)) } else { Ok(()) };
    vec![
        ("PR_CAPBSET_DROP", answer(ask(libc::PR_CAPBSET_READ, 0), "prctl(PR_CAPBSET_READ)")),
        (
            "PR_CAP_AMBIENT",
            answer(ask(libc::PR_CAP_AMBIENT, libc::PR_CAP_AMBIENT_IS_SET as libc::c_ulong), "prctl(PR_CAP_AMBIENT)"),
        ),
        ("PR_SET_NO_NEW_PRIVS", answer(ask(libc::PR_GET_NO_NEW_PRIVS, 0), "prctl(PR_GET_NO_NEW_PRIVS)")),
    ]
}

/// A filter file (an array of 8-byte BPF instructions) as the kernel takes it.
pub fn filter_from_bytes(bytes: &[u8]) -> Option<Vec<libc::sock_filter>> {
    if bytes.is_empty() || bytes.len() % 8 != 0 || bytes.len() / 8 > u16::MAX as usize {
        return None;
    }
    Some(
        bytes
            .chunks_exact(8)
            .map(|c| libc::sock_filter {
                code: u16::from_ne_bytes([c[0], c[1]]),
                jt: c[2],
                jf: c[3],
                k: u32::from_ne_bytes([c[4], c[5], c[6], c[7]]),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_file_round_trips_and_junk_is_refused() {
        let bytes: Vec<u8> = [0x06u16.to_ne_bytes().as_slice(), &[0, 0], &0x7fff_0000u32.to_ne_bytes()].concat();
        let f = filter_from_bytes(&bytes).unwrap();
        assert_eq!((f.len(), f[0].code, f[0].k), (1, 0x06, 0x7fff_0000));
        assert!(filter_from_bytes(&bytes[..7]).is_none());
        assert!(filter_from_bytes(&[]).is_none());
    }

    #[test]
    fn this_process_status_is_read() {
        let c = proc_confinement(std::process::id() as i32).unwrap();
        assert!(c.bounding != 0, "a test process has a bounding set");
    }
}
