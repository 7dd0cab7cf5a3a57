//! Device rules on cgroup v2: a `BPF_PROG_TYPE_CGROUP_DEVICE` program.
//!
//! cgroup v1 has a `devices` controller with `devices.allow`/`devices.deny`
//! files; cgroup v2 has none. Instead the kernel runs an eBPF program
//! attached to the cgroup at every open and mknod of a device node by a
//! process in it: the program reads the access (mknod, read, write), the
//! type (block, char), major and minor, and returns 1 to allow, 0 to deny
//! (EPERM). runc, crun and youki assemble such a program by hand from the
//! container's rules, and so does this module: a dozen instructions per
//! rule, no compiler, no library. No crate loads a cgroup device program
//! without pulling in a full eBPF toolchain (aya), hence the raw bpf(2).

use super::{SysError, SysResult};
use std::os::fd::AsRawFd;
use std::path::Path;

/// One allow rule, in the kernel's terms (`bpf_cgroup_dev_ctx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceRule {
    /// BPF_DEVCG_DEV_BLOCK (1) or BPF_DEVCG_DEV_CHAR (2); None: either.
    pub kind: Option<u32>,
    pub major: Option<u32>,
    pub minor: Option<u32>,
    /// BPF_DEVCG_ACC_MKNOD (1) | READ (2) | WRITE (4).
    pub access: u32,
}

pub const DEV_BLOCK: u32 = 1;
pub const DEV_CHAR: u32 = 2;
pub const ACC_MKNOD: u32 = 1;
pub const ACC_READ: u32 = 2;
pub const ACC_WRITE: u32 = 4;

/// One eBPF instruction (struct bpf_insn).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insn {
    code: u8,
    regs: u8,
    off: i16,
    imm: i32,
}

const fn insn(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> Insn {
    Insn { code, regs: dst | (src << 4), off, imm }
}
const LDX_W: u8 = 0x61; // dst = *(u32 *)(src + off)
const MOV_K: u8 = 0xb7; // dst = imm
const MOV_X: u8 = 0xbf; // dst = src
const AND_K: u8 = 0x57; // dst &= imm
const RSH_K: u8 = 0x77; // dst >>= imm
const JNE_K: u8 = 0x55; // if dst != imm: pc += off
const EXIT: u8 = 0x95;

/// The program: allow when one rule matches, deny otherwise. Registers:
/// r2 type, r3 access, r4 major, r5 minor (r1 is the context).
pub fn assemble(rules: &[DeviceRule]) -> Vec<Insn> {
    let mut prog = vec![
        insn(LDX_W, 2, 1, 0, 0), // access_type: access << 16 | type
        insn(MOV_X, 3, 2, 0, 0),
        insn(RSH_K, 3, 0, 0, 16),
        insn(AND_K, 2, 0, 0, 0xffff),
        insn(LDX_W, 4, 1, 4, 0), // major
        insn(LDX_W, 5, 1, 8, 0), // minor
    ];
    for rule in rules {
        // Each test jumps past the rest of the block when it fails.
        let mut tests: Vec<Vec<Insn>> = vec![];
        if let Some(kind) = rule.kind {
            tests.push(vec![insn(JNE_K, 2, 0, 0, kind as i32)]);
        }
        if let Some(major) = rule.major {
            tests.push(vec![insn(JNE_K, 4, 0, 0, major as i32)]);
        }
        if let Some(minor) = rule.minor {
            tests.push(vec![insn(JNE_K, 5, 0, 0, minor as i32)]);
        }
        if rule.access & 7 != 7 {
            // Asked for nothing beyond what the rule grants.
            tests.push(vec![
                insn(MOV_X, 6, 3, 0, 0),
                insn(AND_K, 6, 0, 0, !(rule.access as i32) & 7),
                insn(JNE_K, 6, 0, 0, 0),
            ]);
        }
        let allow = [insn(MOV_K, 0, 0, 0, 1), insn(EXIT, 0, 0, 0, 0)];
        let mut left: usize = tests.iter().map(Vec::len).sum::<usize>() + allow.len();
        for test in tests {
            left -= test.len();
            let n = test.len();
            for (i, mut t) in test.into_iter().enumerate() {
                if i == n - 1 {
                    t.off = left as i16;
                }
                prog.push(t);
            }
        }
        prog.extend(allow);
    }
    prog.extend([insn(MOV_K, 0, 0, 0, 0), insn(EXIT, 0, 0, 0, 0)]);
    prog
}

const BPF_PROG_LOAD: libc::c_int = 5;
const BPF_PROG_ATTACH: libc::c_int = 8;
const BPF_PROG_TYPE_CGROUP_DEVICE: u32 = 15;
const BPF_CGROUP_DEVICE: u32 = 6;
/// Several programs may be attached; a device is reachable only if all allow it.
const BPF_F_ALLOW_MULTI: u32 = 2;

#[repr(C)]
#[derive(Default)]
struct ProgLoad {
    prog_type: u32,
    insn_cnt: u32,
    insns: u64,
    license: u64,
    log_level: u32,
    log_size: u32,
    log_buf: u64,
    kern_version: u32,
    prog_flags: u32,
    prog_name: [u8; 16],
}

#[repr(C)]
#[derive(Default)]
struct ProgAttach {
    target_fd: u32,
    attach_bpf_fd: u32,
    attach_type: u32,
    attach_flags: u32,
}

fn bpf<T>(cmd: libc::c_int, attr: &T) -> libc::c_long {
    // SAFETY: attr is a bpf_attr prefix of the right layout for cmd, and its
    // pointers (instructions, license) are alive for the call.
    unsafe { libc::syscall(libc::SYS_bpf, cmd, attr as *const T, size_of::<T>() as u32) }
}

/// Loads the program and attaches it to the cgroup folder. The cgroup then
/// holds the program: it stays attached after this returns, until the
/// cgroup is removed.
pub fn attach(cgroup: &Path, prog: &[Insn]) -> SysResult<()> {
    let license = c"Apache-2.0";
    let mut name = [0u8; 16];
    name[..8].copy_from_slice(b"glassbox");
    let load = ProgLoad {
        prog_type: BPF_PROG_TYPE_CGROUP_DEVICE,
        insn_cnt: prog.len() as u32,
        insns: prog.as_ptr() as u64,
        license: license.as_ptr() as u64,
        prog_name: name,
        ..Default::default()
    };
    let fd = bpf(BPF_PROG_LOAD, &load);
    if fd < 0 {
        return Err(SysError::last(format!(
            "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE, {} instructions)",
            prog.len()
        )));
    }
    // A new descriptor the kernel just returned, owned here.
    let prog_fd = super::fd::adopt(fd as i32);
    let flags = rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC;
    let cg = rustix::fs::open(cgroup, flags, rustix::fs::Mode::empty())
        .map_err(super::fd::sys_with(|| format!("open {}", cgroup.display())))?;
    let at = ProgAttach {
        target_fd: cg.as_raw_fd() as u32,
        attach_bpf_fd: prog_fd.as_raw_fd() as u32,
        attach_type: BPF_CGROUP_DEVICE,
        attach_flags: BPF_F_ALLOW_MULTI,
    };
    if bpf(BPF_PROG_ATTACH, &at) != 0 {
        return Err(SysError::last(format!("bpf(BPF_PROG_ATTACH, {}, BPF_CGROUP_DEVICE)", cgroup.display())));
    }
    Ok(())
}

/// One rule in the cgroup v1 syntax: `TYPE MAJOR:MINOR ACCESS`, TYPE c, b
/// or a (all), a number or `*`, ACCESS some of r, w, m.
pub fn parse_rule(text: &str) -> Result<DeviceRule, String> {
    let help =
        "a rule is TYPE MAJOR:MINOR ACCESS, e.g. 'c 1:3 rwm' or 'c 136:* rw' (type c, b or a; access of r, w, m)";
    let words: Vec<&str> = text.split_whitespace().collect();
    let (kind, numbers, access) = match words.as_slice() {
        ["a"] => return Ok(DeviceRule { kind: None, major: None, minor: None, access: 7 }),
        [k, n, a] => (*k, *n, *a),
        _ => return Err(help.into()),
    };
    let kind = match kind {
        "c" => Some(DEV_CHAR),
        "b" => Some(DEV_BLOCK),
        "a" => None,
        _ => return Err(help.into()),
    };
    let number = |s: &str| -> Result<Option<u32>, String> {
        if s == "*" { Ok(None) } else { s.parse::<u32>().map(Some).map_err(|_| help.to_string()) }
    };
    let (major, minor) = numbers.split_once(':').ok_or(help)?;
    let mut bits = 0;
    for ch in access.chars() {
        bits |= match ch {
            'r' => ACC_READ,
            'w' => ACC_WRITE,
            'm' => ACC_MKNOD,
            _ => return Err(help.into()),
        };
    }
    if bits == 0 {
        return Err(help.into());
    }
    Ok(DeviceRule { kind, major: number(major)?, minor: number(minor)?, access: bits })
}

pub fn kernel_rules(rules: &[String]) -> Result<Vec<DeviceRule>, String> {
    rules.iter().map(|r| parse_rule(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::super::process::{self, Exit, Forked};
    use super::*;

    fn rule(kind: u32, major: Option<u32>, minor: Option<u32>, access: u32) -> DeviceRule {
        DeviceRule { kind: Some(kind), major, minor, access }
    }

    /// Runs the program on one access, as the kernel would (only the
    /// instructions `assemble` emits).
    fn run(prog: &[Insn], access_type: u32, major: u32, minor: u32) -> i64 {
        let mut r = [0i64; 11];
        let ctx = [access_type, major, minor];
        let mut pc = 0usize;
        loop {
            let i = prog[pc];
            let (d, s) = ((i.regs & 15) as usize, (i.regs >> 4) as usize);
            pc += 1;
            match i.code {
                LDX_W => r[d] = ctx[(i.off / 4) as usize] as i64,
                MOV_K => r[d] = i.imm as i64,
                MOV_X => r[d] = r[s],
                AND_K => r[d] &= i.imm as i64,
                RSH_K => r[d] = ((r[d] as u64) >> i.imm) as i64,
                JNE_K if r[d] != i.imm as i64 => pc += i.off as usize,
                JNE_K => {}
                EXIT => return r[0],
                c => panic!("unexpected opcode {c:#x}"),
            }
        }
    }

    #[test]
    fn the_program_allows_what_a_rule_grants_and_nothing_else() {
        let prog = assemble(&[
            rule(DEV_CHAR, None, None, ACC_MKNOD),
            rule(DEV_CHAR, Some(1), Some(3), 7),
            rule(DEV_CHAR, Some(136), None, ACC_READ | ACC_WRITE),
        ]);
        let ask = |acc: u32, kind: u32, ma, mi| run(&prog, acc << 16 | kind, ma, mi);
        assert_eq!(ask(ACC_MKNOD, DEV_CHAR, 1, 11), 1, "mknod of any char device");
        assert_eq!(ask(ACC_READ, DEV_CHAR, 1, 11), 0, "but not reading the kernel log");
        assert_eq!(ask(ACC_READ | ACC_WRITE, DEV_CHAR, 1, 3), 1, "/dev/null");
        assert_eq!(ask(ACC_READ, DEV_CHAR, 136, 4), 1, "a pty, any minor");
        assert_eq!(ask(ACC_MKNOD, DEV_CHAR, 136, 4), 1);
        assert_eq!(ask(ACC_MKNOD, DEV_BLOCK, 8, 0), 0, "no rule for block devices");
        assert_eq!(ask(ACC_READ, DEV_BLOCK, 1, 3), 0, "the type matters");
        assert_eq!(run(&assemble(&[]), ACC_READ << 16 | DEV_CHAR, 1, 3), 0, "no rules: nothing");
    }

    /// The program loaded and attached for real, where the kernel has a
    /// cgroup2 mount (on a hybrid machine, its unified tree): a process
    /// moved into the cgroup opens /dev/null and is refused the kernel log.
    #[test]
    #[allow(clippy::disallowed_macros)] // a skip says so on the test's own stderr
    fn an_attached_program_refuses_what_no_rule_allows() {
        let table = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        let cg2 = table.lines().find_map(|l| {
            let (left, right) = l.split_once(" - ")?;
            (right.split(' ').next() == Some("cgroup2")).then(|| left.split(' ').nth(4).map(String::from))?
        });
        let (Some(cg2), 0) = (cg2, process::euid()) else {
            eprintln!("skipped: needs root and a cgroup2 mount");
            return;
        };
        let dir = Path::new(&cg2).join(format!("gb-unit-devcg-{}", std::process::id()));
        std::fs::create_dir(&dir).unwrap();
        struct Remove<'a>(&'a Path);
        impl Drop for Remove<'_> {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir(self.0);
            }
        }
        let _remove = Remove(&dir);
        attach(&dir, &assemble(&[rule(DEV_CHAR, Some(1), Some(3), 7)])).expect("the kernel loads the program");
        let procs = std::ffi::CString::new(dir.join("cgroup.procs").into_os_string().into_encoded_bytes()).unwrap();
        let (null, kmsg) = (c"/dev/null", c"/dev/kmsg");
        // The child makes system calls only: the test harness has threads.
        // SAFETY (the block below): raw open/write on NUL-terminated paths
        // made before the fork, then _exit; no allocation, no lock.
        let child = match process::fork().unwrap() {
            Forked::Child => unsafe {
                let fd = libc::open(procs.as_ptr(), libc::O_WRONLY);
                let moved = fd >= 0 && libc::write(fd, b"0".as_ptr().cast(), 1) == 1;
                let null_ok = libc::open(null.as_ptr(), libc::O_RDONLY) >= 0;
                let kmsg_refused =
                    libc::open(kmsg.as_ptr(), libc::O_RDONLY) < 0 && *libc::__errno_location() == libc::EPERM;
                libc::_exit(if moved && null_ok && kmsg_refused {
                    0
                } else {
                    1 + moved as i32 * 2 + null_ok as i32 * 4
                });
            },
            Forked::Parent(pid) => pid,
        };
        assert_eq!(process::wait(child).unwrap(), Exit::Code(0));
    }
}
