//! What a compiled filter answers for one call, found by running it as the
//! kernel would: the `seccomp` step asks it whether `execve` stays allowed
//! (a box whose filter denies it could never start a command), and the
//! tests ask it what the compiler made of a profile.

use seccompiler::sock_filter;

/// The kernel's `struct seccomp_data` for one call on this machine.
pub struct Call {
    pub nr: u32,
    pub arch: u32,
    pub args: [u64; 6],
}

/// The AUDIT_ARCH_* value the kernel puts in `seccomp_data.arch` here.
pub fn native_audit_arch() -> u32 {
    const LE64: u32 = 0x8000_0000 | 0x4000_0000;
    match std::env::consts::ARCH {
        "aarch64" => 183 | LE64,
        "riscv64" => 243 | LE64,
        _ => 62 | LE64,
    }
}

fn load(call: &Call, offset: u32) -> u32 {
    match offset {
        0 => call.nr,
        4 => call.arch,
        o if (16..64).contains(&o) => {
            let arg = call.args[((o - 16) / 8) as usize];
            if o % 8 == 0 { arg as u32 } else { (arg >> 32) as u32 }
        }
        _ => 0,
    }
}

/// The SECCOMP_RET_* value the program returns; None for an instruction it
/// does not know (seccompiler emits only loads, AND, jumps and returns).
pub fn run(program: &[sock_filter], call: &Call) -> Option<u32> {
    let (mut acc, mut pc) = (0u32, 0usize);
    while let Some(i) = program.get(pc) {
        pc += 1;
        let jump = |taken: bool| if taken { i.jt as usize } else { i.jf as usize };
        match i.code {
            0x20 => acc = load(call, i.k),
            0x54 => acc &= i.k,
            0x05 => pc += i.k as usize,
            0x15 => pc += jump(acc == i.k),
            0x25 => pc += jump(acc > i.k),
            0x35 => pc += jump(acc >= i.k),
            0x45 => pc += jump(acc & i.k != 0),
            0x06 => return Some(i.k),
            _ => return None,
        }
    }
    None
}

/// Whether the action lets the call go ahead (ALLOW or LOG).
pub fn lets_through(ret: u32) -> bool {
    let action = ret & libc::SECCOMP_RET_ACTION_FULL;
    action == libc::SECCOMP_RET_ALLOW || action == libc::SECCOMP_RET_LOG
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage::seccomp::{compile, profile};

    fn verdict(text: &str, caps: &[&str], name: &str, args: [u64; 6]) -> u32 {
        verdict_of(text, caps, compile::native_number(name).unwrap() as u32, args)
    }

    fn verdict_nr(text: &str, caps: &[&str], nr: u32) -> u32 {
        verdict_of(text, caps, nr, [0; 6])
    }

    /// The profile compiled for x86_64 with these capabilities, run on one call.
    fn verdict_of(text: &str, caps: &[&str], nr: u32, args: [u64; 6]) -> u32 {
        let facts = profile::Facts {
            go_arch: "amd64",
            scmp_arch: "SCMP_ARCH_X86_64",
            caps: caps.iter().map(|c| c.to_string()).collect(),
            kernel: (6, 1),
        };
        let program = compile::compile(&profile::parse(text, &facts).unwrap()).unwrap();
        run(&program, &Call { nr, arch: native_audit_arch(), args }).expect("a known program")
    }

    const EPERM: u32 = libc::SECCOMP_RET_ERRNO | 1;

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn dockers_default_gates_admin_calls_on_cap_sys_admin() {
        let d = crate::stage::seccomp::DEFAULT_PROFILE;
        let docker14 = &crate::stage::caps::DOCKER_DEFAULT.map(|c| c.to_string());
        let docker14: Vec<&str> = docker14.iter().map(String::as_str).collect();
        assert_eq!(verdict(d, &docker14, "mkdir", [0; 6]), libc::SECCOMP_RET_ALLOW);
        assert_eq!(verdict(d, &docker14, "execve", [0; 6]), libc::SECCOMP_RET_ALLOW);
        for denied in ["mount", "unshare", "setns", "keyctl", "add_key", "umount2", "init_module", "kexec_load"] {
            assert_eq!(verdict(d, &docker14, denied, [0; 6]), EPERM, "{denied}");
        }
        assert_eq!(verdict(d, &["CAP_SYS_ADMIN"], "mount", [0; 6]), libc::SECCOMP_RET_ALLOW);
        let newuser = libc::CLONE_NEWUSER as u64;
        assert_eq!(verdict(d, &docker14, "clone", [libc::SIGCHLD as u64, 0, 0, 0, 0, 0]), libc::SECCOMP_RET_ALLOW);
        assert_eq!(verdict(d, &docker14, "clone", [newuser, 0, 0, 0, 0, 0]), EPERM, "clone into a new namespace");
        assert_eq!(verdict(d, &docker14, "clone3", [0; 6]), libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32);
        assert_eq!(verdict(d, &docker14, "personality", [8, 0, 0, 0, 0, 0]), libc::SECCOMP_RET_ALLOW);
        assert_eq!(verdict(d, &docker14, "personality", [9, 0, 0, 0, 0, 0]), EPERM);
        // Every call of the allow-list, and no call no rule names, across the ranges.
        let json: serde_json::Value = serde_json::from_str(d).unwrap();
        let names = |i: usize| -> Vec<String> {
            json["syscalls"][i]["names"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().into()).collect()
        };
        let rules = json["syscalls"].as_array().unwrap().len();
        let (listed, elsewhere): (Vec<String>, Vec<String>) = (names(0), (1..rules).flat_map(names).collect());
        for sysno in syscalls::Sysno::iter() {
            let (nr, name) = (sysno.id() as u32, sysno.name());
            let got = verdict_nr(d, &docker14, nr);
            if listed.iter().any(|a| a == name) {
                assert_eq!(got, libc::SECCOMP_RET_ALLOW, "{name} is on the allow-list");
            } else if !elsewhere.iter().any(|a| a == name) {
                assert_eq!(got, EPERM, "{name} ({nr}) is named by no rule");
            }
        }
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn a_profile_denying_mkdir_denies_mkdir_and_nothing_else() {
        let p = r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}"#;
        assert_eq!(verdict(p, &[], "mkdir", [0; 6]), EPERM);
        assert_eq!(verdict(p, &[], "mkdirat", [0; 6]), EPERM);
        for other in ["open", "rmdir", "execve", "write", "mount"] {
            assert_eq!(verdict(p, &[], other, [0; 6]), libc::SECCOMP_RET_ALLOW, "{other}");
        }
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn the_first_rule_that_matches_decides() {
        let p = r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
            {"names":["write"],"action":"SCMP_ACT_ERRNO","errnoRet":22,"args":[{"index":0,"value":2,"op":"SCMP_CMP_EQ"}]},
            {"names":["write","read"],"action":"SCMP_ACT_ALLOW"},
            {"names":["read"],"action":"SCMP_ACT_KILL_PROCESS"}]}"#;
        assert_eq!(verdict(p, &[], "write", [2, 0, 0, 0, 0, 0]), libc::SECCOMP_RET_ERRNO | 22);
        assert_eq!(verdict(p, &[], "write", [1, 0, 0, 0, 0, 0]), libc::SECCOMP_RET_ALLOW);
        assert_eq!(verdict(p, &[], "read", [0; 6]), libc::SECCOMP_RET_ALLOW);
        assert_eq!(verdict(p, &[], "open", [0; 6]), EPERM);
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn calls_of_another_abi_are_killed_even_where_the_profile_allows_all() {
        let p = r#"{"defaultAction":"SCMP_ACT_ALLOW"}"#;
        let facts = profile::Facts { go_arch: "amd64", scmp_arch: "SCMP_ARCH_X86_64", caps: vec![], kernel: (6, 1) };
        let program = compile::compile(&profile::parse(p, &facts).unwrap()).unwrap();
        let mkdir = compile::native_number("mkdir").unwrap() as u32;
        let kill = Some(libc::SECCOMP_RET_KILL_PROCESS);
        assert_eq!(
            run(&program, &Call { nr: mkdir | 0x4000_0000, arch: native_audit_arch(), args: [0; 6] }),
            kill,
            "x32"
        );
        assert_eq!(run(&program, &Call { nr: mkdir, arch: 3 | 0x4000_0000, args: [0; 6] }), kill, "i386");
        assert_eq!(
            run(&program, &Call { nr: mkdir, arch: native_audit_arch(), args: [0; 6] }),
            Some(libc::SECCOMP_RET_ALLOW)
        );
    }
}
