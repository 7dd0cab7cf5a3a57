//! A profile compiled to the classic BPF program the kernel runs at every
//! system call, with `seccompiler` (rust-vmm's, Firecracker's filter
//! compiler: pure Rust, so glassbox stays one statically linked binary with
//! no libseccomp to install).
//!
//! seccompiler compiles a filter with one action for the calls it names and
//! one for the rest. A Docker profile has an action per rule, and the first
//! rule that names a call and matches its arguments decides. So each run of
//! consecutive rules with the same action becomes one part whose "rest"
//! falls through to the next run, and the last run falls through to the
//! profile's default action: the same first-match order, in one program.
//! In a part, the calls named without conditions are compact ranges of
//! numbers (see `allow_list`: the program's size is paid at every exec)
//! and those with argument checks are compiled by seccompiler.
//!
//! Names are resolved with the `syscalls` crate's tables. A name of another
//! architecture (`chown32` on x86_64) is skipped, as libseccomp does; a name
//! of no architecture at all is a typo and refused by `profile::parse`.
//! Only the machine's own architecture is allowed: 32-bit (i386) and x32
//! calls kill the process, where Docker would filter them by the same list.

use super::profile::{Action, ArgCheck, CmpOp, Profile, Rule};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule,
    TargetArch, sock_filter,
};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The kernel's limit on a filter's length (BPF_MAXINSNS).
pub const MAX_INSTRUCTIONS: usize = 4096;

/// What a run's "no rule matched" returns before it is turned into a jump
/// to the next run: an errno no profile can ask for (errnoRet ≤ 4095).
const FALL_THROUGH: u32 = libc::SECCOMP_RET_ERRNO | 0xffff;

/// The system call number on this machine, if it has that call.
pub fn native_number(name: &str) -> Option<i64> {
    syscalls::Sysno::from_str(name).ok().map(|s| s.id() as i64)
}

/// ARM's private calls (__ARM_NR_*), outside the numbered tables.
const ARM_PRIVATE: [&str; 5] = ["breakpoint", "cacheflush", "set_tls", "usr26", "usr32"];

/// Whether any Linux architecture has a call by this name.
pub fn is_a_syscall(name: &str) -> bool {
    if ARM_PRIVATE.contains(&name) {
        return true;
    }
    macro_rules! known_in {
        ($($arch:ident),*) => { false $(|| syscalls::$arch::Sysno::from_str(name).is_ok())* };
    }
    known_in!(
        x86_64,
        x86,
        aarch64,
        arm,
        riscv64,
        riscv32,
        mips,
        mips64,
        powerpc,
        powerpc64,
        s390x,
        sparc,
        sparc64,
        loongarch64
    )
}

pub fn target_arch() -> Result<TargetArch, String> {
    TargetArch::try_from(std::env::consts::ARCH).map_err(|_| {
        format!("seccomp filters are compiled for x86_64, aarch64 and riscv64, not {}", std::env::consts::ARCH)
    })
}

fn seccomp_action(a: Action) -> SeccompAction {
    match a {
        Action::Allow => SeccompAction::Allow,
        Action::Errno(e) => SeccompAction::Errno(e),
        Action::KillThread => SeccompAction::KillThread,
        Action::KillProcess => SeccompAction::KillProcess,
        Action::Trap => SeccompAction::Trap,
        Action::Trace(d) => SeccompAction::Trace(d),
        Action::Log => SeccompAction::Log,
    }
}

/// What the kernel returns for an action (seccomp(2), SECCOMP_RET_*).
pub fn action_value(a: Action) -> u32 {
    u32::from(seccomp_action(a))
}

fn condition(c: &ArgCheck) -> Result<SeccompCondition, String> {
    let (op, value) = match c.op {
        CmpOp::Ne => (SeccompCmpOp::Ne, c.value),
        CmpOp::Lt => (SeccompCmpOp::Lt, c.value),
        CmpOp::Le => (SeccompCmpOp::Le, c.value),
        CmpOp::Eq => (SeccompCmpOp::Eq, c.value),
        CmpOp::Ge => (SeccompCmpOp::Ge, c.value),
        CmpOp::Gt => (SeccompCmpOp::Gt, c.value),
        CmpOp::MaskedEq => (SeccompCmpOp::MaskedEq(c.value), c.value_two),
    };
    // 64-bit comparisons, as libseccomp makes them on 64-bit machines.
    SeccompCondition::new(c.index, SeccompCmpArgLen::Qword, op, value).map_err(|e| e.to_string())
}

/// One run of same-action rules, falling through when none matches: the
/// calls a rule names without conditions as a compact list (`allow_list`),
/// the others compiled by seccompiler.
fn run_program(rules: &[&Rule], arch: TargetArch) -> Result<Vec<sock_filter>, String> {
    // Per call: None once a rule names it without conditions (always matches).
    let mut calls: BTreeMap<i64, Option<Vec<SeccompRule>>> = BTreeMap::new();
    for rule in rules {
        for nr in rule.names.iter().filter_map(|n| native_number(n)) {
            let entry = calls.entry(nr).or_insert_with(|| Some(vec![]));
            if rule.args.is_empty() {
                *entry = None;
            } else if let Some(list) = entry {
                let conds = rule.args.iter().map(condition).collect::<Result<Vec<_>, _>>()?;
                list.push(SeccompRule::new(conds).map_err(|e| e.to_string())?);
            }
        }
    }
    let matched = seccomp_action(rules[0].action);
    let always: Vec<u32> = calls.iter().filter(|(_, r)| r.is_none()).map(|(nr, _)| *nr as u32).collect();
    let mut program = allow_list(&always, u32::from(matched.clone()));
    let checked: BTreeMap<i64, Vec<SeccompRule>> =
        calls.into_iter().filter_map(|(nr, r)| r.filter(|r| !r.is_empty()).map(|r| (nr, r))).collect();
    if !checked.is_empty() {
        let filter =
            SeccompFilter::new(checked, SeccompAction::Errno(0xffff), matched, arch).map_err(|e| e.to_string())?;
        let mut part: BpfProgram = filter.try_into().map_err(|e: seccompiler::BackendError| e.to_string())?;
        let len = part.len();
        for (at, insn) in part.iter_mut().enumerate() {
            if insn.code == 0x06 && insn.k == FALL_THROUGH {
                // BPF_JMP|BPF_JA: on to the first instruction after this part.
                *insn = ja((len - at - 1) as u32);
            }
        }
        program.extend(part);
    }
    Ok(program)
}

fn ret(k: u32) -> sock_filter {
    sock_filter { code: 0x06, jt: 0, jf: 0, k }
}

fn ja(k: u32) -> sock_filter {
    sock_filter { code: 0x05, jt: 0, jf: 0, k }
}

fn load(offset: u32) -> sock_filter {
    sock_filter { code: 0x20, jt: 0, jf: 0, k: offset }
}

/// Calls matched by number alone, as ranges of consecutive numbers (one
/// comparison for a lone call, two for a range), jumping to a shared
/// return, where seccompiler spends four instructions per call: the kernel
/// checks and JIT-compiles the whole program in every process the init
/// starts, so its length is paid on every exec (docs/performance.md).
/// Blocks of at most 100 ranges keep each jump within its 8-bit offset.
fn allow_list(numbers: &[u32], action: u32) -> Vec<sock_filter> {
    let mut ranges: Vec<(u32, u32)> = vec![];
    for &nr in numbers {
        match ranges.last_mut() {
            Some((_, hi)) if *hi + 1 == nr => *hi = nr,
            _ => ranges.push((nr, nr)),
        }
    }
    if ranges.is_empty() {
        return vec![];
    }
    let jump = |code: u16, k: u32, jt: usize, jf: usize| sock_filter { code, jt: jt as u8, jf: jf as u8, k };
    let mut out = vec![load(0)];
    for block in ranges.chunks(100) {
        // The shared return comes after the block's comparisons and one JA.
        let n: usize = block.iter().map(|(lo, hi)| if lo == hi { 1 } else { 2 }).sum();
        let mut at = 0;
        for &(lo, hi) in block {
            if lo == hi {
                out.push(jump(0x15, lo, n - at, 0)); // jeq: to the return
                at += 1;
            } else {
                out.push(jump(0x35, lo, 0, 1)); // jge lo, else past the jgt
                out.push(jump(0x25, hi, 0, n - at - 1)); // jgt hi: on; else to the return
                at += 2;
            }
        }
        out.push(ja(1));
        out.push(ret(action));
    }
    out
}

/// The whole program: the architecture checked once, each run in profile
/// order, then the default action.
pub fn compile(profile: &Profile) -> Result<Vec<sock_filter>, String> {
    let arch = target_arch()?;
    let mut program: Vec<sock_filter> = arch_guard(arch);
    let mut i = 0;
    while i < profile.rules.len() {
        let run: Vec<&Rule> = profile.rules[i..].iter().take_while(|r| r.action == profile.rules[i].action).collect();
        i += run.len();
        program.extend(run_program(&run, arch)?);
    }
    program.push(ret(action_value(profile.default_action)));
    if program.len() > MAX_INSTRUCTIONS {
        return Err(format!(
            "it compiles to {} instructions, and the kernel takes at most {MAX_INSTRUCTIONS}: name fewer calls or merge rules",
            program.len()
        ));
    }
    Ok(program)
}

/// A call of another architecture kills the process (its numbers mean other
/// calls). On x86_64, an x32 call is a native number with bit 30 set: no
/// rule names one, and on a profile allowing by default it would slip past
/// every rule, so it does too.
fn arch_guard(arch: TargetArch) -> Vec<sock_filter> {
    let kill = ret(libc::SECCOMP_RET_KILL_PROCESS);
    let mut out =
        vec![load(4), sock_filter { code: 0x15, jt: 1, jf: 0, k: super::verdict::native_audit_arch() }, kill.clone()];
    if arch == TargetArch::x86_64 {
        out.extend([load(0), sock_filter { code: 0x35, jt: 0, jf: 1, k: 0x4000_0000 }, kill]);
    }
    out
}

/// The program as the bytes the kernel reads (and glassbox stores).
pub fn to_bytes(program: &[sock_filter]) -> Vec<u8> {
    program
        .iter()
        .flat_map(|i| {
            let mut b = i.code.to_ne_bytes().to_vec();
            b.extend([i.jt, i.jf]);
            b.extend(i.k.to_ne_bytes());
            b
        })
        .collect()
}
