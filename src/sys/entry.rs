//! The program's entry: `main` as the C library calls it.
//!
//! Rust's own start (`fn main`) first installs a guard for stack overflows,
//! which reads and parses /proc/self/maps (callgrind: 42k instructions, a
//! twelfth of a `glassbox create`, plus its four syscalls), before glassbox
//! does anything. glassbox starts four times in a box's life (create,
//! unshare, run, rm) and once more as the box init, so it skips that: a
//! stack overflow is then a plain SIGSEGV rather than a message first. What
//! else Rust's start and exit do that glassbox relies on is done here: a
//! write to a closed pipe is an EPIPE error, not death by SIGPIPE, and
//! stdout is flushed at the end. (Arguments reach `std::env::args` without
//! it: glibc hands them to an initialiser of std's.)

#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: sets this process's SIGPIPE disposition; no other thread runs yet.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    let code = crate::run();
    let _ = std::io::Write::flush(&mut std::io::stdout());
    code.into()
}
