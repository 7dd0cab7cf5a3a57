//! Pseudo-terminals for `run -t` / `exec -t`.
//!
//! A pty is a pair: the command gets the *slave* side as its stdin, stdout,
//! stderr and controlling terminal (so shells, editors and job control work
//! inside the box), and glassbox copies bytes between the *master* side and
//! the user's own terminal, which it puts in raw mode meanwhile.

use super::fd::{borrow_raw, sys};
use super::{SysError, SysResult};
use rustix::termios::{OptionalActions, Termios, Winsize};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

pub struct Pty {
    pub master: OwnedFd,
    pub slave: OwnedFd,
}

pub fn open() -> SysResult<Pty> {
    let pty = nix::pty::openpty(None, None).map_err(|e| SysError::io("openpty", e.into()))?;
    let pty = Pty { master: pty.master, slave: pty.slave };
    super::fd::set_cloexec(&pty.master, true)?;
    super::fd::set_cloexec(&pty.slave, true)?;
    copy_window_size(0, pty.master.as_raw_fd());
    Ok(pty)
}

/// Sets a terminal's size (rows, columns), as a resized window does; a
/// failure (not a tty) is ignored.
pub fn set_window_size(fd: RawFd, rows: u16, cols: u16) {
    let ws = Winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    let _ = rustix::termios::tcsetwinsize(borrow_raw(fd), ws);
}

/// Makes the terminal on fd 0 the controlling terminal of this (new) session.
pub fn take_controlling_terminal() -> SysResult<()> {
    super::process::setsid()?;
    rustix::process::ioctl_tiocsctty(rustix::stdio::stdin()).map_err(sys("ioctl(TIOCSCTTY)"))
}

/// Copies one terminal's size to another; failures (not a tty) are ignored.
pub fn copy_window_size(from: RawFd, to: RawFd) {
    if let Ok(ws) = rustix::termios::tcgetwinsize(borrow_raw(from)) {
        let _ = rustix::termios::tcsetwinsize(borrow_raw(to), ws);
    }
}

/// The user's terminal in raw mode until dropped (a no-op if stdin is not a terminal).
pub struct RawMode(Option<Termios>);

impl RawMode {
    pub fn enter() -> RawMode {
        let stdin = rustix::stdio::stdin();
        if !rustix::termios::isatty(stdin) {
            return RawMode(None);
        }
        let Ok(saved) = rustix::termios::tcgetattr(stdin) else { return RawMode(None) };
        let mut raw = saved.clone();
        raw.make_raw();
        let _ = rustix::termios::tcsetattr(stdin, OptionalActions::Now, &raw);
        RawMode(Some(saved))
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if let Some(t) = &self.0 {
            let _ = rustix::termios::tcsetattr(rustix::stdio::stdin(), OptionalActions::Now, t);
        }
    }
}

fn copy(from: RawFd, to: RawFd) -> bool {
    let mut buf = [0u8; 4096];
    match rustix::io::read(borrow_raw(from), &mut buf) {
        Ok(n) if n > 0 => super::fd::write_all(to, &buf[..n]).is_ok(),
        _ => false,
    }
}

/// Copies the user's terminal to the pty and back, on two threads (glassbox
/// does no namespace work after this point, so threads are safe). Returns
/// the output thread, which ends when the last slave descriptor closes.
pub fn relay(master: &OwnedFd) -> SysResult<std::thread::JoinHandle<()>> {
    let input = master.try_clone().map_err(|e| SysError::io("dup pty", e))?;
    let output = master.try_clone().map_err(|e| SysError::io("dup pty", e))?;
    std::thread::spawn(move || while copy(0, input.as_raw_fd()) {});
    Ok(std::thread::spawn(move || while copy(output.as_raw_fd(), 1) {}))
}
