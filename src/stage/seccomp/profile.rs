//! Docker's seccomp profile format, read and narrowed to one box.
//!
//! A profile says what happens to each system call: `defaultAction` for
//! any call no rule names, then `syscalls[]`, each rule naming calls, an
//! action (`SCMP_ACT_ALLOW`, `SCMP_ACT_ERRNO` with `errnoRet`, …),
//! optional argument checks (`args`), and conditions on the container
//! (`includes`/`excludes`: its capabilities, the architecture, the kernel
//! version). Docker evaluates those conditions when it starts a container,
//! and so does glassbox, against the box's capabilities when the `seccomp`
//! step runs (see `Facts`): a rule for CAP_SYS_ADMIN holders is left out of
//! a box that dropped it. What remains is compiled by `compile`.

use serde::Deserialize;

/// A profile larger than this is refused before it is parsed (Docker's
/// default is 14 KB).
pub const MAX_BYTES: u64 = 1 << 20;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProfile {
    default_action: Option<String>,
    default_errno_ret: Option<u32>,
    #[serde(default)]
    architectures: Option<Vec<String>>,
    #[serde(default)]
    arch_map: Option<Vec<RawArchMap>>,
    #[serde(default)]
    syscalls: Option<Vec<RawRule>>,
}

#[derive(Deserialize)]
struct RawArchMap {
    architecture: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRule {
    #[serde(default)]
    names: Option<Vec<String>>,
    /// The older format: one call per rule.
    name: Option<String>,
    action: String,
    errno_ret: Option<u32>,
    #[serde(default)]
    args: Option<Vec<RawArg>>,
    #[serde(default)]
    includes: Option<Condition>,
    #[serde(default)]
    excludes: Option<Condition>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Condition {
    #[serde(default)]
    caps: Option<Vec<String>>,
    #[serde(default)]
    arches: Option<Vec<String>>,
    min_kernel: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawArg {
    index: u8,
    value: u64,
    #[serde(default)]
    value_two: u64,
    op: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Allow,
    Errno(u32),
    KillThread,
    KillProcess,
    Trap,
    Trace(u32),
    Log,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Ne,
    Lt,
    Le,
    Eq,
    Ge,
    Gt,
    /// (arg & value) == value_two
    MaskedEq,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgCheck {
    pub index: u8,
    pub op: CmpOp,
    pub value: u64,
    pub value_two: u64,
}

/// One rule that applies to this box: the first rule naming a call and
/// matching its arguments decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub names: Vec<String>,
    pub action: Action,
    pub args: Vec<ArgCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub default_action: Action,
    pub rules: Vec<Rule>,
}

/// What the conditions of a profile are evaluated against.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Go's name of the architecture (`amd64`, `arm64`), as profiles say it.
    pub go_arch: &'static str,
    /// libseccomp's name of it (`SCMP_ARCH_X86_64`).
    pub scmp_arch: &'static str,
    /// The capabilities the box's processes keep, as `CAP_…` names.
    pub caps: Vec<String>,
    /// The running kernel's version, (major, minor).
    pub kernel: (u32, u32),
}

/// Every architecture libseccomp knows: a profile naming another is a typo.
const SCMP_ARCHES: [&str; 23] = [
    "SCMP_ARCH_X86",
    "SCMP_ARCH_X86_64",
    "SCMP_ARCH_X32",
    "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64",
    "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64",
    "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",
    "SCMP_ARCH_MIPSEL64",
    "SCMP_ARCH_MIPSEL64N32",
    "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",
    "SCMP_ARCH_PPC64LE",
    "SCMP_ARCH_S390",
    "SCMP_ARCH_S390X",
    "SCMP_ARCH_PARISC",
    "SCMP_ARCH_PARISC64",
    "SCMP_ARCH_RISCV64",
    "SCMP_ARCH_LOONGARCH64",
    "SCMP_ARCH_M68K",
    "SCMP_ARCH_SH",
    "SCMP_ARCH_SHEB",
];

/// The largest errno a process can be given (MAX_ERRNO).
const MAX_ERRNO: u32 = 4095;

fn action(name: &str, errno: Option<u32>, at: &str) -> Result<Action, String> {
    let errno_or = |default: u32| -> Result<u32, String> {
        match errno.unwrap_or(default) {
            e if e <= MAX_ERRNO => Ok(e),
            e => Err(format!("{at}: errnoRet {e} is not an errno (1 to {MAX_ERRNO})")),
        }
    };
    Ok(match name {
        "SCMP_ACT_ALLOW" => Action::Allow,
        "SCMP_ACT_ERRNO" => Action::Errno(errno_or(libc::EPERM as u32)?),
        "SCMP_ACT_KILL" | "SCMP_ACT_KILL_THREAD" => Action::KillThread,
        "SCMP_ACT_KILL_PROCESS" => Action::KillProcess,
        "SCMP_ACT_TRAP" => Action::Trap,
        "SCMP_ACT_TRACE" => Action::Trace(errno_or(0)?),
        "SCMP_ACT_LOG" => Action::Log,
        "SCMP_ACT_NOTIFY" => {
            return Err(format!("{at}: SCMP_ACT_NOTIFY needs a supervisor process listening, which glassbox has not"));
        }
        other => {
            return Err(format!(
                "{at}: unknown action {other:?}; use SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE or SCMP_ACT_LOG"
            ));
        }
    })
}

fn cmp_op(name: &str, at: &str) -> Result<CmpOp, String> {
    Ok(match name {
        "SCMP_CMP_NE" => CmpOp::Ne,
        "SCMP_CMP_LT" => CmpOp::Lt,
        "SCMP_CMP_LE" => CmpOp::Le,
        "SCMP_CMP_EQ" => CmpOp::Eq,
        "SCMP_CMP_GE" => CmpOp::Ge,
        "SCMP_CMP_GT" => CmpOp::Gt,
        "SCMP_CMP_MASKED_EQ" => CmpOp::MaskedEq,
        other => return Err(format!("{at}: unknown op {other:?}; use SCMP_CMP_EQ, NE, LT, LE, GT, GE or MASKED_EQ")),
    })
}

fn kernel_at_least(kernel: (u32, u32), min: &str) -> bool {
    let mut parts = min.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let want = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    kernel >= want
}

/// Docker's reading of `includes` and `excludes` (moby's profiles/seccomp):
/// a rule applies when the box has every capability it includes, none it
/// excludes, runs on an included architecture, and on a kernel as new as
/// `minKernel` (as old as an excluded one's).
fn applies(rule: &RawRule, facts: &Facts) -> bool {
    let has = |c: &String| facts.caps.iter().any(|k| k.eq_ignore_ascii_case(c));
    let none = Condition::default();
    let (inc, exc) = (rule.includes.as_ref().unwrap_or(&none), rule.excludes.as_ref().unwrap_or(&none));
    let arch_in = |c: &Condition| c.arches.as_ref().is_some_and(|a| a.iter().any(|x| x == facts.go_arch));
    if arch_in(exc) || exc.caps.as_ref().is_some_and(|c| c.iter().any(has)) {
        return false;
    }
    if exc.min_kernel.as_ref().is_some_and(|k| kernel_at_least(facts.kernel, k)) {
        return false;
    }
    if inc.arches.as_ref().is_some_and(|a| !a.is_empty()) && !arch_in(inc) {
        return false;
    }
    if inc.caps.as_ref().is_some_and(|c| !c.iter().all(has)) {
        return false;
    }
    inc.min_kernel.as_ref().is_none_or(|k| kernel_at_least(facts.kernel, k))
}

fn check_arches(raw: &RawProfile, facts: &Facts) -> Result<(), String> {
    let mut named: Vec<&str> = raw.architectures.iter().flatten().map(String::as_str).collect();
    named.extend(raw.arch_map.iter().flatten().map(|m| m.architecture.as_str()));
    if let Some(bad) = named.iter().find(|a| !SCMP_ARCHES.contains(a)) {
        return Err(format!("unknown architecture {bad:?}; names look like SCMP_ARCH_X86_64 or SCMP_ARCH_AARCH64"));
    }
    if !named.is_empty() && !named.contains(&facts.scmp_arch) {
        return Err(format!(
            "it is for {}, and this machine is {}: add {:?} to \"architectures\"",
            named.join(", "),
            facts.scmp_arch,
            facts.scmp_arch
        ));
    }
    Ok(())
}

/// Parses a profile and keeps the rules that apply to a box with these facts.
pub fn parse(text: &str, facts: &Facts) -> Result<Profile, String> {
    let raw: RawProfile = serde_json::from_str(text).map_err(|e| format!("not a seccomp profile: {e}"))?;
    let default = raw.default_action.as_deref().ok_or(
        "defaultAction is missing: say what a call no rule names gets, e.g. \"defaultAction\": \"SCMP_ACT_ERRNO\"",
    )?;
    let default_action = action(default, raw.default_errno_ret, "defaultAction")?;
    check_arches(&raw, facts)?;
    let mut rules = vec![];
    for (i, r) in raw.syscalls.iter().flatten().enumerate() {
        let at = format!("syscalls[{i}]");
        let names: Vec<String> = r.names.iter().flatten().chain(r.name.iter()).cloned().collect();
        if names.is_empty() {
            return Err(format!("{at} names no system call: give \"names\": [\"…\"]"));
        }
        if let Some(bad) = names.iter().find(|n| !super::compile::is_a_syscall(n)) {
            return Err(format!(
                "{at}.names: {bad:?} is not a Linux system call on any architecture (see syscalls(2))"
            ));
        }
        let action = action(&r.action, r.errno_ret, &at)?;
        let mut args = vec![];
        for (j, a) in r.args.iter().flatten().enumerate() {
            if a.index > 5 {
                return Err(format!("{at}.args[{j}]: index {} is past the sixth argument (0 to 5)", a.index));
            }
            let op = cmp_op(&a.op, &format!("{at}.args[{j}]"))?;
            args.push(ArgCheck { index: a.index, op, value: a.value, value_two: a.value_two });
        }
        if applies(r, facts) {
            rules.push(Rule { names, action, args });
        }
    }
    Ok(Profile { default_action, rules })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn facts(caps: &[&str]) -> Facts {
        Facts {
            go_arch: "amd64",
            scmp_arch: "SCMP_ARCH_X86_64",
            caps: caps.iter().map(|c| c.to_string()).collect(),
            kernel: (6, 1),
        }
    }

    #[test]
    fn dockers_default_keeps_the_admin_calls_for_cap_sys_admin_holders() {
        let text = crate::stage::seccomp::DEFAULT_PROFILE;
        let plain = parse(text, &facts(&["CAP_CHOWN"])).unwrap();
        let admin = parse(text, &facts(&["CAP_SYS_ADMIN"])).unwrap();
        let names = |p: &Profile| p.rules.iter().flat_map(|r| r.names.clone()).collect::<Vec<_>>();
        assert!(!names(&plain).contains(&"mount".to_string()));
        assert!(names(&admin).contains(&"mount".to_string()));
        assert_eq!(plain.default_action, Action::Errno(1));
        assert!(!names(&plain).contains(&"s390_runtime_instr".into()), "other architectures' rules are left out");
    }

    #[test]
    fn bad_profiles_say_what_is_wrong() {
        let f = facts(&[]);
        let err = |t: &str| parse(t, &f).unwrap_err();
        assert!(err(r#"{"syscalls": []}"#).contains("defaultAction is missing"));
        assert!(
            err(r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdri"],"action":"SCMP_ACT_ERRNO"}]}"#)
                .contains("syscalls[0].names: \"mkdri\"")
        );
        assert!(
            err(r#"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_ARM"]}"#)
                .contains("this machine is SCMP_ARCH_X86_64")
        );
        assert!(err(r#"{"defaultAction":"SCMP_ACT_NOPE"}"#).contains("unknown action"));
        assert!(err("[1,2]").contains("not a seccomp profile"));
        let other_arch =
            r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chown32"],"action":"SCMP_ACT_ERRNO"}]}"#;
        assert!(parse(other_arch, &f).is_ok(), "a call of another architecture is known, and skipped later");
    }
}
