//! Operations performed inside the forked helper.

use super::ApplyOptions;
use crate::plan::Op;
use crate::stage::NamespaceKind;
use crate::sys::process::exit_now;
use crate::sys::{SysError, SysResult, detached, fd, ids, mount_tree, mounts, net, ns, process};
use std::os::fd::{OwnedFd, RawFd};
use std::path::Path;

pub struct HelperCtx<'a> {
    listener: Option<RawFd>,
    opts: &'a ApplyOptions,
    tx: RawFd,
    /// A pid or time namespace was entered or made: only children are in it,
    /// so running a command there takes one more fork.
    children_differ: bool,
    pub init: Option<i32>,
    /// The init started, on its way to its exec, and the index of its op.
    pub init_starting: Option<(usize, detached::Starting)>,
    pub index: usize,
    /// The glassbox command running the step, the helper's parent.
    starter: i32,
    /// A mount tree copied by `CopyTree`, until `AttachTree` attaches it.
    tree: Option<OwnedFd>,
    /// The kernel's id of the starter's mount namespace, which makes the
    /// holds: read before the helper leaves it.
    holder_mnt_ns: Option<u64>,
}

impl<'a> HelperCtx<'a> {
    pub fn new(listener: Option<RawFd>, opts: &'a ApplyOptions, tx: RawFd, starter: i32) -> Self {
        let holder_mnt_ns = ns::own_mount_ns_id();
        HelperCtx {
            listener,
            opts,
            tx,
            children_differ: false,
            init: None,
            init_starting: None,
            index: 0,
            starter,
            tree: None,
            holder_mnt_ns,
        }
    }

    /// Waits until the init started by this plan has exec'd; the index of
    /// its op and the reason where it could not.
    pub fn init_started(&mut self) -> Result<(), (usize, SysError)> {
        match self.init_starting.take() {
            Some((index, starting)) => starting
                .started()
                .map(|_| ())
                .map_err(|e| (index, SysError::io(format!("start the box init: {}", e.call), e.source))),
            None => Ok(()),
        }
    }
}

pub fn apply(op: &Op, ctx: &mut HelperCtx, handle: Option<&OwnedFd>) -> SysResult<()> {
    match op {
        Op::Join { kind, .. } | Op::Share { kind, .. } => {
            let fd = handle.expect("every Join has its handle opened up front");
            ns::setns(fd, kind.clone_flag(), kind.flag_name())?;
            ctx.children_differ |= kind.applies_to_children();
        }
        Op::BecomeRoot => {
            ids::become_root()?;
            // A credential change clears the parent-death signal; set it again.
            process::die_with_parent(libc::SIGKILL);
        }
        // glassbox itself binds the box's mount namespace (`Hold`): it must be
        // one that glassbox's own mount namespace may hold (see there).
        Op::Unshare { kind: NamespaceKind::Mnt } => ns::unshare_mount_holdable_by(ctx.holder_mnt_ns)?,
        Op::Unshare { kind } => {
            ns::unshare(kind.clone_flag(), kind.flag_name())?;
            ctx.children_differ |= kind.applies_to_children();
        }
        Op::MakeRprivate => mounts::make_private(Path::new("/"), true)?,
        Op::DetachHandles => detach_handles()?,
        Op::SetHostname { name } => process::sethostname(name)?,
        Op::LoopbackUp => net::loopback_up()?,
        Op::SetTimeOffsets { monotonic, boottime } => ids::write_time_offsets(*monotonic, *boottime)?,
        Op::StartInit { box_name, root, mount_proc, .. } => {
            let image = handle.expect("the sealed image is made up front");
            let image = std::os::fd::AsRawFd::as_raw_fd(image);
            let starting = start_init(box_name, root, ctx, image, mount_proc.as_deref())?;
            ctx.init = Some(starting.pid);
            ctx.init_starting = Some((ctx.index, starting));
        }
        Op::MountProc { target } => process::in_child(|| mounts::mount_proc(target))?,
        Op::MountOverlay { lower, upper, work, target } => {
            // Relative to the state root, so the most layers fit (`state::stack`).
            let (base, data) = crate::state::stack::overlay_options(lower, upper, work);
            mounts::mount_overlay_from(&base, target, &data)?
        }
        Op::EnsureDir { path } => ensure_dir(path)?,
        Op::MountFs { fstype, target, options, read_only } => mounts::mount_fs(fstype, target, *read_only, options)?,
        Op::BindDevice { name, target } => {
            std::fs::File::create(target).map_err(|e| SysError::io(format!("touch {}", target.display()), e))?;
            mounts::bind(&Path::new("/dev").join(name), target)?
        }
        Op::Symlink { link, to } => std::os::unix::fs::symlink(to, link)
            .map_err(|e| SysError::io(format!("ln -s {to} {}", link.display()), e))?,
        Op::PivotRoot { new_root } => mounts::pivot_root(new_root).map_err(explain_pivot_root)?,
        Op::Exec { argv, process } => exec(argv, process, ctx),
        Op::MountVolume { root, target, .. } => {
            let dir = volume_folder(root, target)?;
            mount_tree::attach(handle.expect("every volume is cloned up front"), &dir)?
        }
        Op::ScratchMounts => {
            ns::unshare(libc::CLONE_NEWNS, "CLONE_NEWNS")?;
            mounts::make_private(Path::new("/"), true)?
        }
        Op::CopyTree { path, .. } => {
            let dir = mount_tree::open_in_root(&mount_tree::open_dir(Path::new("/"))?, path)?;
            ctx.tree = Some(mount_tree::copy_tree(&dir, handle)?);
        }
        Op::AttachTree { target } => {
            let dir = mount_tree::open_in_root(&mount_tree::open_dir(Path::new("/"))?, target)?;
            mount_tree::attach(ctx.tree.as_ref().expect("AttachTree follows CopyTree"), &dir)?
        }
        Op::UnmountVolume { target } => unmount_volume(target)?,
        Op::ConfigureInterface { name, address, prefix, gateway } => {
            crate::sys::netlink::add_address(name, *address, *prefix)?;
            crate::sys::netlink::set_up(name)?;
            crate::sys::netlink::add_default_route(*gateway)?
        }
        Op::JoinCgroup { procs } => {
            let me = crate::sys::proc::self_pid().to_string();
            for p in procs {
                std::fs::write(p, &me).map_err(|e| SysError::io(format!("write {me} to {}", p.display()), e))?;
            }
        }
        Op::Confine(c) => super::confine_ops::helper(c, handle)?,
        other => unreachable!("{other:?} is a host operation"),
    }
    Ok(())
}

/// A mount point inside the image must be a real folder: an image that
/// made it a symlink (`dev -> /etc`) would redirect the mount. Replacing it
/// touches only the container layer.
fn ensure_dir(path: &Path) -> SysResult<()> {
    let err = |e| SysError::io(format!("mkdir {}", path.display()), e);
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => std::fs::remove_file(path).map_err(err)?,
        Err(_) => {}
    }
    std::fs::create_dir(path).map_err(err)
}

/// The folder a volume goes on: `target` made (if missing) and resolved
/// with `root` as `/`. An image symlink that resolves it to the root itself
/// (`/data -> ..`) would put the volume in place of the box's whole tree.
fn volume_folder(root: &Path, target: &Path) -> SysResult<OwnedFd> {
    let root = mount_tree::open_dir(root)?;
    mount_tree::mkdir_in_root(&root, target)?;
    let dir = mount_tree::open_in_root(&root, target)?;
    if mount_tree::same_folder(&dir, &root)? {
        return Err(SysError::io(
            format!("{} leads to the box's / (through a symlink of the image)", target.display()),
            std::io::Error::from_raw_os_error(libc::EINVAL),
        ));
    }
    Ok(dir)
}

/// A volume attached with the root filesystem of a box with a user
/// namespace is locked to it (see `mount_tree`): no one can unmount it there.
/// `volume rm` deletes its folder next, which leaves the box an empty
/// folder it cannot write in.
fn unmount_volume(target: &Path) -> SysResult<()> {
    match mounts::umount_detach(target) {
        Err(e) if e.errno() == Some(libc::EINVAL) => Ok(()),
        other => other,
    }
}

/// pivot_root's EINVAL covers several different mistakes; name them.
fn explain_pivot_root(e: SysError) -> SysError {
    if e.errno() != Some(libc::EINVAL) {
        return e;
    }
    SysError::io(
        "pivot_root refused the new root (EINVAL): it must be a mount point (the overlay), not on a shared mount \
         (the box's mounts are made private first), and the old root must be reachable below it; \
         on an initramfs root (rootfs) pivot_root is impossible — see pivot_root(2)",
        e.source,
    )
}

fn detach_handles() -> SysResult<()> {
    let all = mounts::mountinfo();
    let (tmpfs, loose) = mounts::handles_in(&all, crate::plan::HOLDS_SOURCE);
    // ENOENT, EINVAL: removed on the host meanwhile (its path no longer
    // resolves, or no longer to that mount).
    let vanished = |e: &SysError| matches!(e.errno(), Some(libc::ENOENT) | Some(libc::EINVAL));
    for m in tmpfs {
        match mounts::umount_detach(&m.mount_point) {
            Err(e) if !vanished(&e) => return Err(e),
            _ => {}
        }
    }
    for m in loose {
        match mounts::umount_detach(&m.mount_point) {
            Ok(()) => {}
            // A hold whose folder vanished: detach the mount it sits on
            // instead (an older glassbox's holds tmpfs, a runtime folder,
            // /run/netns) and never fail this box's step over it.
            Err(e) if vanished(&e) => {
                if let Some(parent) = all.iter().find(|p| p.id == m.parent && p.mount_point != Path::new("/")) {
                    let _ = mounts::umount_detach(&parent.mount_point);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn start_init(
    box_name: &str,
    root: &Path,
    ctx: &HelperCtx,
    image: RawFd,
    mount_proc: Option<&Path>,
) -> SysResult<detached::Starting> {
    let listener = ctx.listener.expect("StartInit follows ListenControl");
    // PID 1 of the new namespace, holding only the control socket. The root
    // in argv lets `rm --force` and `reset` find this init even if glassbox
    // died before recording it.
    let argv = ["glassbox-init".to_string(), box_name.to_string(), String::new(), root.display().to_string()];
    let how = detached::Detached { image: detached::SelfImage::Sealed(image), mount_proc, starter: ctx.starter };
    detached::start_self_detached(&argv, listener, 2, how)
        .map_err(|e| SysError::io(format!("start the box init: {}", e.call), e.source))
}

fn exec(argv: &[String], spec: &crate::sys::identity::ProcessSpec, ctx: &HelperCtx) {
    if let Some(stdio) = ctx.opts.stdio {
        for (n, from) in stdio.iter().enumerate() {
            let _ = fd::dup2(*from, n as RawFd);
        }
    }
    if ctx.opts.detach {
        let _ = process::setsid();
        process::die_with_parent(0);
    }
    if ctx.opts.tty {
        if let Err(e) = crate::sys::pty::take_controlling_terminal() {
            fail_exec(ctx, &e)
        }
    }
    let term = Some(std::env::var("TERM").unwrap_or_else(|_| "xterm".into()));
    let err = process::exec_in_box(argv, spec, term, ctx.tx, ctx.children_differ, None);
    fail_exec(ctx, &err)
}

fn fail_exec(ctx: &HelperCtx, e: &SysError) -> ! {
    super::report_exec_failure(ctx.tx, ctx.index, e);
    exit_now(127)
}
