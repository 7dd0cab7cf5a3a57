//! The box init: PID 1 of a box's PID namespace.
//!
//! The first process in a PID namespace has duties no other process has
//! (pid_namespaces(7)): orphans in the namespace are re-parented to it, so it
//! must reap them or they stay zombies; signals reach it only if it installed
//! a handler; and when it exits, the kernel kills every other process in the
//! namespace. glassbox's init does exactly those things, plus one: it starts
//! `run`/`exec` commands as its own children, so inside the box their parent
//! is PID 1, as in any container.
//!
//! It runs from a read-only image of glassbox (see `sys::memexec`), started
//! with argv `glassbox-init <box> <control-socket-fd> <state root>` so `ps`
//! names it and `rm --force` can find it even if it was never recorded.
use crate::output::say_err;

pub mod client;
pub mod policy;
mod protocol;
mod serve;

/// Entry point when argv[0] is `glassbox-init`.
pub fn main(args: &[String]) -> ! {
    let fd: Option<i32> = args.get(2).and_then(|s| s.parse().ok());
    match fd {
        Some(fd) => {
            crate::sys::detached::on_its_own();
            // execveat named us after the descriptor; name us again for ps.
            crate::sys::process::set_name("glassbox-init");
            serve::run(fd)
        }
        None => {
            say_err!("glassbox-init is started by `glassbox unshare BOX pid`, not by hand");
            crate::sys::process::exit_now(2)
        }
    }
}
