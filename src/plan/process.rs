//! Processes: the box's PID 1 (its init), the /proc that shows the box's
//! PID namespace, and the command a step runs — by the helper becoming it
//! (`Exec`) or by the box init starting it (`AskInit`).

use super::apply::{HelperCx, HostCx};
use super::identity::{identity_calls, identity_shell};
use super::op::{HelperStep, HostStep, Text, Words, quote_argv};
use super::script::StepScript;
use crate::domain::NamespaceKind;
use crate::i18n::tr;
use crate::output::escape::shell_word;
use crate::sys::identity::ProcessSpec;
use crate::sys::process::exit_now;
use crate::sys::{SysError, SysResult, detached, fd, mounts, process};
use serde::{Deserialize, Serialize};
use std::os::fd::{OwnedFd, RawFd};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ProcessHost {
    /// Ask the box init to start the command as its child.
    AskInit {
        socket: PathBuf,
        joins: Vec<(NamespaceKind, PathBuf)>,
        argv: Vec<String>,
        #[serde(default, skip_serializing_if = "ProcessSpec::is_default")]
        process: ProcessSpec,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ProcessHelper {
    /// Start PID 1 of the new PID namespace; when the step also gives the
    /// box its mount namespace, PID 1 mounts the box's /proc here first.
    StartInit {
        box_name: String,
        root: PathBuf,
        /// An empty folder on the runtime tmpfs, the bottom layer of the
        /// overlay the init's image is seen through: a filesystem of its own,
        /// so never inside the binary's folder, which overlayfs refuses (ELOOP).
        #[serde(default)]
        empty_layer: PathBuf,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mount_proc: Option<PathBuf>,
    },
    /// Mount a proc filesystem of the box's PID namespace.
    MountProc { target: PathBuf },
    /// Replace the helper with the command.
    Exec {
        argv: Vec<String>,
        /// Environment, working folder and user (an image's config, `run -e -w -u`).
        #[serde(default, skip_serializing_if = "ProcessSpec::is_default")]
        process: ProcessSpec,
    },
}

fn proc_mount_call(target: &Path) -> String {
    format!("mount(\"proc\", \"{}\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC)", target.display())
}

fn main_process(argv: &[String]) -> String {
    format!("# the main process: nsenter \"${{ENTER[@]}}\" -- {}", quote_argv(argv))
}

impl HostStep for ProcessHost {
    fn text(&self, w: &Words) -> Text {
        let ProcessHost::AskInit { socket, joins, argv, process } = self;
        let enters: String = joins.iter().map(|(k, p)| format!(" {}={}", k.util_linux_option(), w.path(p))).collect();
        Text::new(
            format!(
                "connect(\"{}\"); sendmsg(SCM_RIGHTS: stdin, stdout, stderr{}); init: {}, {}execvp()",
                socket.display(),
                if joins.is_empty() { "" } else { ", namespace handles" },
                if joins.is_empty() { "clone(CLONE_VM|CLONE_VFORK) (fork() for -t)" } else { "fork(), setns…" },
                identity_calls(process).replace("; ", ", ")
            ),
            format!("nsenter --target $INIT --all{enters} -- {}{}", identity_shell(process), quote_argv(argv)),
            tr!("why-ask-init"),
        )
    }

    fn apply(&self, cx: &mut HostCx) -> SysResult<()> {
        let ProcessHost::AskInit { socket, joins, argv, process } = self;
        *cx.asking = Some(crate::init::client::ask(socket, joins, argv, process, cx.opts.stdio, cx.opts.tty)?);
        Ok(())
    }

    fn script(&self, s: &mut StepScript) {
        let ProcessHost::AskInit { argv, .. } = self;
        s.note(main_process(argv));
    }
}

impl HelperStep for ProcessHelper {
    fn text(&self, w: &Words) -> Text {
        match self {
            ProcessHelper::StartInit { box_name, mount_proc, .. } => Text::new(
                format!(
                    "fork() → PID 1: {}prctl(PR_SET_NAME); execveat(read-only image of glassbox, [\"glassbox-init\", \"{box_name}\"])",
                    mount_proc.as_ref().map_or(String::new(), |t| format!("{}; ", proc_mount_call(t)))
                ),
                // Not --mount-proc: that also makes a mount namespace, which
                // this step has already made (or the box had).
                mount_proc.as_ref().map_or("unshare --pid --fork".into(), |t| {
                    format!(
                        "unshare --pid --fork sh -c {}",
                        shell_word(&format!("mount -t proc proc {}; exec …", w.path(t)))
                    )
                }),
                match mount_proc {
                    Some(_) => tr!("why-start-init-proc"),
                    None => tr!("why-start-init"),
                },
            ),
            ProcessHelper::MountProc { target } => Text::new(
                format!("fork(); {}", proc_mount_call(target)),
                format!("mount -t proc proc {}", w.path(target)),
                tr!("why-mount-proc"),
            ),
            ProcessHelper::Exec { argv, process } => Text::new(
                format!("{}execvp(\"{}\", …)", identity_calls(process), argv.first().map(String::as_str).unwrap_or("")),
                format!("{}{}", identity_shell(process), quote_argv(argv)),
                tr!("why-exec"),
            ),
        }
    }

    /// The init's sealed image is made while the helper is still the host's
    /// root, before it joins the box's cgroup: where it is a memfd copy,
    /// megabytes charged to a box limited to a few would OOM-kill the helper.
    fn open_up_front(&self, keep: &mut Vec<OwnedFd>) -> Option<SysResult<OwnedFd>> {
        let ProcessHelper::StartInit { empty_layer, .. } = self else { return None };
        Some(crate::sys::memexec::sealed_image(empty_layer).map(|image| {
            keep.extend(image.mount);
            image.exe
        }))
    }

    fn apply(&self, cx: &mut HelperCx, opened: Option<&OwnedFd>) -> SysResult<()> {
        match self {
            ProcessHelper::StartInit { box_name, root, mount_proc, .. } => {
                let image = opened.expect("the sealed image is made up front");
                let image = std::os::fd::AsRawFd::as_raw_fd(image);
                let starting = start_init(box_name, root, cx, image, mount_proc.as_deref())?;
                cx.init = Some(starting.pid);
                cx.init_starting = Some((cx.index, starting));
                Ok(())
            }
            ProcessHelper::MountProc { target } => process::in_child(|| mounts::mount_proc(target)),
            ProcessHelper::Exec { argv, process } => exec(argv, process, cx),
        }
    }

    fn script(&self, s: &mut StepScript) {
        match self {
            ProcessHelper::StartInit { mount_proc, .. } => {
                if let Some(t) = mount_proc {
                    s.inside(format!("mount -t proc proc {}", s.words().path(t)));
                }
            }
            ProcessHelper::MountProc { .. } => s.inside(self.text(s.words()).shell),
            ProcessHelper::Exec { argv, .. } => s.note(main_process(argv)),
        }
    }
}

fn start_init(
    box_name: &str,
    root: &Path,
    cx: &HelperCx,
    image: RawFd,
    mount_proc: Option<&Path>,
) -> SysResult<detached::Starting> {
    let listener = cx.listener.expect("StartInit follows ListenControl");
    // PID 1 of the new namespace, holding only the control socket. The root
    // in argv lets `rm --force` and `reset` find this init even if glassbox
    // died before recording it.
    let argv = ["glassbox-init".to_string(), box_name.to_string(), String::new(), root.display().to_string()];
    let how = detached::Detached { image: detached::SelfImage::Sealed(image), mount_proc, starter: cx.starter };
    detached::start_self_detached(&argv, listener, 2, how)
        .map_err(|e| SysError::io(format!("start the box init: {}", e.call), e.source))
}

/// Never returns: the helper becomes the command, or reports why not.
fn exec(argv: &[String], spec: &ProcessSpec, cx: &HelperCx) -> ! {
    if let Some(stdio) = cx.opts.stdio {
        for (n, from) in stdio.iter().enumerate() {
            let _ = fd::dup2(*from, n as RawFd);
        }
    }
    if cx.opts.detach {
        let _ = process::setsid();
        process::die_with_parent(0);
    }
    if cx.opts.tty {
        if let Err(e) = crate::sys::pty::take_controlling_terminal() {
            fail_exec(cx, &e)
        }
    }
    let term = Some(std::env::var("TERM").unwrap_or_else(|_| "xterm".into()));
    let err = process::exec_in_box(argv, spec, term, cx.tx, cx.children_differ, None);
    fail_exec(cx, &err)
}

fn fail_exec(cx: &HelperCx, e: &SysError) -> ! {
    (cx.report_exec_failure)(cx.tx, cx.index, e);
    exit_now(127)
}
