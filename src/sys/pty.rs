//! Pseudo-terminals for `run -t` / `exec -t`.
//!
//! A pty is a pair: the command gets the *slave* side as its stdin, stdout,
//! stderr and controlling terminal (so shells, editors and job control work
//! inside the box), and glassbox copies bytes between the *master* side and
//! the user's own terminal, which it puts in raw mode meanwhile.

use super::{SysError, SysResult, check};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

pub struct Pty {
    pub master: OwnedFd,
    pub slave: OwnedFd,
}

pub fn open() -> SysResult<Pty> {
    let (mut m, mut s) = (0, 0);
    // SAFETY: openpty writes two descriptors we then own.
    check(unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) }, || {
        "openpty".into()
    })?;
    let pty = unsafe { Pty { master: OwnedFd::from_raw_fd(m), slave: OwnedFd::from_raw_fd(s) } };
    super::fd::set_cloexec(&pty.master, true)?;
    super::fd::set_cloexec(&pty.slave, true)?;
    copy_window_size(0, pty.master.as_raw_fd());
    Ok(pty)
}

/// Sets a terminal's size (rows, columns), as a resized window does.
pub fn set_window_size(fd: RawFd, rows: u16, cols: u16) {
    let ws = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: TIOCSWINSZ reads the struct we own; a failure (not a tty) is ignored.
    unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &ws) };
}

/// Makes the terminal on fd 0 the controlling terminal of this (new) session.
pub fn take_controlling_terminal() -> SysResult<()> {
    super::process::setsid()?;
    // SAFETY: ioctl on fd 0, which is the pty slave.
    check(unsafe { libc::ioctl(0, libc::TIOCSCTTY, 0) }, || "ioctl(TIOCSCTTY)".into())?;
    Ok(())
}

pub fn copy_window_size(from: RawFd, to: RawFd) {
    // SAFETY: winsize is plain data; failures (not a tty) are ignored.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        if libc::ioctl(from, libc::TIOCGWINSZ, &mut ws) == 0 {
            libc::ioctl(to, libc::TIOCSWINSZ, &ws);
        }
    }
}

/// The user's terminal in raw mode until dropped (a no-op if stdin is not a terminal).
pub struct RawMode(Option<libc::termios>);

impl RawMode {
    pub fn enter() -> RawMode {
        // SAFETY: termios calls on fd 0 with structs we own.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::isatty(0) == 0 || libc::tcgetattr(0, &mut t) != 0 {
                return RawMode(None);
            }
            let saved = t;
            libc::cfmakeraw(&mut t);
            libc::tcsetattr(0, libc::TCSANOW, &t);
            RawMode(Some(saved))
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if let Some(t) = &self.0 {
            // SAFETY: restores the saved settings.
            unsafe { libc::tcsetattr(0, libc::TCSANOW, t) };
        }
    }
}

fn copy(from: RawFd, to: RawFd) -> bool {
    let mut buf = [0u8; 4096];
    // SAFETY: reads into a local buffer.
    let n = unsafe { libc::read(from, buf.as_mut_ptr().cast(), buf.len()) };
    n > 0 && super::fd::write_all(to, &buf[..n as usize]).is_ok()
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
