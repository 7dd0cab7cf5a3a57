//! The faces of every operation: the syscall it makes, the shell command
//! that does the same, and one line of why. `--explain`, `--dry-run`,
//! `history` and the web page all print these strings.

use super::identity_faces::{identity_calls, identity_shell};
use super::op::{Actor, Faces, HOLDS_SOURCE, HOLDS_TMPFS, Op, RUNTIME_TMPFS};
use crate::output::escape::shell_word;
use crate::stage::NamespaceKind;

/// Drops every namespace handle from a new mount table: each box's holds
/// with their tmpfs, then whatever nsfs mount is left.
pub(super) fn detach_handles_shell() -> String {
    format!(
        "findmnt -rn -t tmpfs -S {HOLDS_SOURCE} -o TARGET | xargs -rn1 umount -l; \
         findmnt -rn -t nsfs -o TARGET | xargs -rn1 umount -l"
    )
}

fn quote_argv(argv: &[String]) -> String {
    argv.iter().map(|a| shell_word(a)).collect::<Vec<_>>().join(" ")
}

/// A path as one word of a shell line: a volume's path in the box may hold
/// a space, and what `--explain` prints is meant to be pasted.
fn q(path: &std::path::Path) -> String {
    shell_word(&path.to_string_lossy())
}

fn proc_mount_call(target: &std::path::Path) -> String {
    format!("mount(\"proc\", \"{}\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC)", target.display())
}

impl Op {
    pub fn actor(&self) -> Actor {
        self.faces().actor
    }

    pub fn faces(&self) -> Faces {
        use Actor::*;
        let (actor, syscall, shell, why): (Actor, String, String, String) = match self {
            Op::PrivateRuntime { dir } => (
                Host,
                format!(
                    "mount(\"tmpfs\", \"{d}\", \"tmpfs\", MS_NOSUID|MS_NODEV, \"{RUNTIME_TMPFS}\"); mount(NULL, \"{d}\", NULL, MS_PRIVATE)",
                    d = dir.display()
                ),
                format!("mount -t tmpfs -o {RUNTIME_TMPFS},nosuid,nodev tmpfs {d} && mount --make-private {d}", d = q(dir)),
                "a private tmpfs of its own: holds made below it never propagate to other mount namespaces, and it is gone at reboot like what they hold".into(),
            ),
            Op::PrepareHolds { dir } => (
                Host,
                format!("mkdir(\"{}\")", dir.display()),
                format!("mkdir -p {}", q(dir)),
                "namespace handles are bind-mounted here; the runtime folder is a private mount, so they never propagate".into(),
            ),
            Op::MountHolds { dir } => (
                Host,
                format!("mount(\"{HOLDS_SOURCE}\", \"{}\", \"tmpfs\", MS_NOSUID|MS_NODEV, \"{HOLDS_TMPFS}\")", dir.display()),
                format!("mount -t tmpfs -o {HOLDS_TMPFS},nosuid,nodev {HOLDS_SOURCE} {}", q(dir)),
                format!("a small tmpfs of the box's own, named {HOLDS_SOURCE} in findmnt: `rm` unmounts it once and every hold made on it goes too"),
            ),
            Op::ListenControl { socket } => (
                Host,
                format!("socket(AF_UNIX, SOCK_SEQPACKET); bind(\"{}\"); listen()", socket.display()),
                "# glassbox's own control socket (util-linux has no equivalent)".into(),
                "the box init takes run/exec requests here, with the caller's stdio passed as descriptors".into(),
            ),
            Op::Join { kind, handle } => (
                Helper,
                format!("setns(open(\"{}\"), {})", handle.display(), kind.flag_name()),
                format!("nsenter {}={}", kind.util_linux_option(), q(handle)),
                format!("enter the box's {kind} namespace{}", if kind.applies_to_children() { " (children of this process will be in it)" } else { "" }),
            ),
            Op::Share { kind, with, handle } => (
                Helper,
                format!("setns(open(\"{}\"), {})", handle.display(), kind.flag_name()),
                format!("nsenter {}={}", kind.util_linux_option(), q(handle)),
                format!(
                    "share box {with}'s {kind} namespace instead of making one, as the boxes of a pod do{}",
                    if *kind == NamespaceKind::Pid { " (children of this process will be in it; it ends with the init of the box that made it)" } else { "; this box holds it too, so it outlives either box" }
                ),
            ),
            Op::BecomeRoot => (
                Helper,
                "setgroups(0, []); setresgid(0, 0, 0); setresuid(0, 0, 0)".into(),
                "# nsenter --user does this by itself".into(),
                "a process entering a user namespace keeps its old ids, unmapped there; become root of the box".into(),
            ),
            Op::Unshare { kind } => (
                Helper,
                format!("unshare({})", kind.flag_name()),
                format!("unshare {}", kind.util_linux_option()),
                format!("new {kind} namespace: isolates {} — see {}", kind.isolates(), kind.man_page()),
            ),
            Op::MapIds { file, inside, outside, count } => (
                Host,
                format!("write(\"/proc/$HELPER/{file}\", \"{inside} {outside} {count}\")"),
                format!("echo '{inside} {outside} {count}' > /proc/$HELPER/{file}"),
                format!("{count} ids from {inside} inside map to {outside}.. on the host: root inside is uid {outside} outside"),
            ),
            Op::MakeRprivate => (
                Helper,
                "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)".into(),
                "mount --make-rprivate /".into(),
                "mounts made in the box must never propagate back to the host (unshare --mount does the same)".into(),
            ),
            Op::DetachHandles => (
                Helper,
                format!("umount2(each {HOLDS_SOURCE} tmpfs, MNT_DETACH); umount2(each other nsfs mount, MNT_DETACH)"),
                detach_handles_shell(),
                "the new mount table is a copy of the host's, including other boxes' namespace handles; dropping them keeps this box from pinning their namespaces".into(),
            ),
            Op::SetHostname { name } => (
                Helper,
                format!("sethostname(\"{name}\")"),
                format!("hostname {}", shell_word(name)),
                "the new uts namespace started as a copy of the host's names; give the box its own".into(),
            ),
            Op::LoopbackUp => (
                Helper,
                "ioctl(SIOCSIFFLAGS, \"lo\", IFF_UP)".into(),
                "ip link set lo up".into(),
                "a new network namespace has only a loopback device, and it starts down".into(),
            ),
            Op::SetTimeOffsets { monotonic, boottime } => (
                Helper,
                format!("write(\"/proc/self/timens_offsets\", \"monotonic {monotonic} 0\\nboottime {boottime} 0\")"),
                format!("unshare --time --monotonic {monotonic} --boottime {boottime}"),
                "offsets can only be set before the first process enters the time namespace".into(),
            ),
            Op::StartInit { box_name, mount_proc, .. } => (
                Helper,
                format!(
                    "fork() → PID 1: {}prctl(PR_SET_NAME); execveat(read-only image of glassbox, [\"glassbox-init\", \"{box_name}\"])",
                    mount_proc.as_ref().map_or(String::new(), |t| format!("{}; ", proc_mount_call(t)))
                ),
                // Not --mount-proc: that also makes a mount namespace, which
                // this step has already made (or the box had).
                mount_proc.as_ref().map_or("unshare --pid --fork".into(), |t| {
                    format!("unshare --pid --fork sh -c {}", shell_word(&format!("mount -t proc proc {}; exec …", q(t))))
                }),
                format!(
                    "the first process in a PID namespace is its PID 1: it reaps orphans and forwards signals; the namespace lives as long as it does{}",
                    if mount_proc.is_some() { ". /proc shows the PID namespace of whoever mounted it, so PID 1 mounts the box's own" } else { "" }
                ),
            ),
            Op::MountProc { target } => (
                Helper,
                format!("fork(); {}", proc_mount_call(target)),
                format!("mount -t proc proc {}", q(target)),
                "/proc shows the PID namespace of whoever mounted it; mount it from inside so ps sees only the box".into(),
            ),
            Op::PrepareContainerLayer { upper, work, owner } => (
                Host,
                format!("mkdir(\"{}\"); mkdir(\"{}\"){}", upper.display(), work.display(), owner.map_or(String::new(), |o| format!("; chown({o}, {o})"))),
                format!("mkdir -p {} {}{}", q(upper), q(work), owner.map_or(String::new(), |o| format!(" && chown {o}:{o} {}", q(upper)))),
                "the container layer: every write the box makes lands here, and it is deleted with the box".into(),
            ),
            Op::MakeDir { path } => (Host, format!("mkdir(\"{}\")", path.display()), format!("mkdir -p {}", q(path)), "the overlay is mounted here first, inside the box's mount namespace only".into()),
            Op::MountOverlay { lower, upper, work, target } => {
                let lowers = lower.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(":");
                let opts = format!("lowerdir={lowers},upperdir={},workdir={}", upper.display(), work.display());
                (
                    Helper,
                    format!("mount(\"overlay\", \"{}\", \"overlay\", 0, \"{opts}\")", target.display()),
                    format!("mount -t overlay overlay -o {} {}", shell_word(&opts), q(target)),
                    format!("{} read-only layers (leftmost on top) plus the writable container layer, seen as one tree", lower.len()),
                )
            }
            Op::EnsureDir { path } => (
                Helper,
                format!("lstat(\"{p}\"); unlink if not a folder; mkdir(\"{p}\")", p = path.display()),
                format!("[ -d {p} ] && [ ! -L {p} ] || {{ rm -f {p}; mkdir {p}; }}", p = q(path)),
                "an image may make this a symlink (say to /etc); mounting through it would land outside the box".into(),
            ),
            Op::MountFs { fstype, target, options, read_only } => (
                Helper,
                format!("mount(\"{fstype}\", \"{}\", \"{fstype}\", MS_NOSUID|MS_NODEV{}, \"{options}\")", target.display(), if *read_only { "|MS_RDONLY" } else { "" }),
                {
                    let opts: Vec<&str> = [if *read_only { "ro" } else { "" }, options.as_str()].into_iter().filter(|o| !o.is_empty()).collect();
                    let opts = if opts.is_empty() { String::new() } else { format!("-o {} ", opts.join(",")) };
                    format!("mount -t {fstype} {opts}{fstype} {}", q(target))
                },
                match fstype.as_str() {
                    "devpts" => "a private set of pseudo-terminals: the box cannot see the host's terminals".to_string(),
                    "sysfs" => "/sys, read-only: its network part shows the box's own network namespace".to_string(),
                    _ => format!("a fresh in-memory filesystem for {}", target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()),
                },
            ),
            Op::BindDevice { name, target } => (
                Helper,
                format!("open(O_CREAT); mount(\"/dev/{name}\", \"{}\", MS_BIND)", target.display()),
                format!("touch {t} && mount --bind /dev/{name} {t}", t = q(target)),
                "only the harmless device nodes a program expects; no disks, no host terminals".into(),
            ),
            Op::Symlink { link, to } => (
                Helper,
                format!("symlink(\"{to}\", \"{}\")", link.display()),
                format!("ln -s {} {}", shell_word(to), q(link)),
                "programs open /dev/ptmx to get a new terminal from the box's own devpts".into(),
            ),
            Op::CreateBridge { name, address, prefix } => (
                Host,
                format!("rtnetlink RTM_NEWLINK {name} kind bridge; RTM_NEWADDR {address}/{prefix}; IFF_UP"),
                format!("ip link add {name} type bridge && ip addr add {address}/{prefix} dev {name} && ip link set {name} up"),
                "a virtual switch on the host that every box of this root plugs into; its address is the boxes' gateway".into(),
            ),
            Op::CreateVeth { host, peer, netns } => (
                Host,
                format!("rtnetlink RTM_NEWLINK {host} kind veth peer {peer} (IFLA_NET_NS_FD of {})", netns.display()),
                format!("ip link add {host} type veth peer name {peer} netns {}", q(netns)),
                "a virtual cable: one end on the host, the other made directly inside the box's network namespace".into(),
            ),
            Op::AttachToBridge { link, bridge } => (
                Host,
                format!("rtnetlink RTM_NEWLINK {link} IFLA_MASTER={bridge}, IFF_UP"),
                format!("ip link set {link} master {bridge} && ip link set {link} up"),
                "plug the host end into the switch".into(),
            ),
            Op::ConfigureInterface { name, address, prefix, gateway } => (
                Helper,
                format!("rtnetlink RTM_NEWADDR {address}/{prefix} dev {name}; IFF_UP; RTM_NEWROUTE default via {gateway}"),
                format!("ip addr add {address}/{prefix} dev {name} && ip link set {name} up && ip route add default via {gateway}"),
                "inside the box: its address on the bridge's subnet, and everything else goes to the bridge".into(),
            ),
            Op::MountVolume { source, root, target, read_only } => (
                Helper,
                format!(
                    "open_tree(\"{}\", OPEN_TREE_CLONE|AT_RECURSIVE) before entering; mount_setattr(MS_PRIVATE{}); mkdir -p and openat2(\"{}\", \"{t}\", RESOLVE_IN_ROOT); move_mount(tree, that folder)",
                    source.display(),
                    if *read_only { ", MOUNT_ATTR_RDONLY" } else { "" },
                    root.display(),
                    t = target.display()
                ),
                {
                    let inside = format!("<rootfs>{}", q(target));
                    format!(
                        "# no util-linux 2.38 command: after pivot_root {} is not visible inside; before it: mount --bind {} {inside}{}",
                        source.display(),
                        q(source),
                        if *read_only { format!(" && mount -o remount,bind,ro {inside}") } else { String::new() }
                    )
                },
                "a copy of the host folder's mount is taken while the host's paths are in view, made private (nothing mounted in it travels back) and attached at the path as the box resolves it (an image's symlink cannot lead it out): it works on a running box, which docker cannot do".into(),
            ),
            Op::ScratchMounts => (
                Helper,
                "unshare(CLONE_NEWNS); mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)".into(),
                "unshare --mount --propagation private".into(),
                "a scratch copy of the mount table, owned by the host, to build in: the box's own table gets the tree only once it is whole, so a failure half way leaves the box as it was".into(),
            ),
            Op::CopyTree { path, lock_with } => match lock_with {
                Some(user) => (
                    Helper,
                    format!("fork(); chdir(\"{}\"); setns(open(\"{}\"), CLONE_NEWUSER); unshare(CLONE_NEWNS); open_tree(\".\", OPEN_TREE_CLONE|AT_RECURSIVE)", path.display(), user.display()),
                    "# no util-linux 2.38 command: open_tree(2) has no front end".into(),
                    "copied from a mount namespace the box's user namespace owns, which locks every mount: root in the box cannot make a read-only one writable, nor unmount one to reach what it covers".into(),
                ),
                None => (
                    Helper,
                    format!("open_tree(\"{}\", OPEN_TREE_CLONE|AT_RECURSIVE)", path.display()),
                    "# no util-linux 2.38 command: open_tree(2) has no front end".into(),
                    "a detached copy of the finished tree, to attach in the box's own mount table".into(),
                ),
            },
            Op::AttachTree { target } => (
                Helper,
                format!("move_mount(tree, \"{}\")", target.display()),
                "# no util-linux 2.38 command: move_mount(2) has no front end".into(),
                "the finished tree joins the box's mount table in one step".into(),
            ),
            Op::UnmountVolume { target } => (
                Helper,
                format!("umount2(\"{}\", MNT_DETACH)", target.display()),
                format!("umount -l {}", q(target)),
                "detach the volume from the box; its data stays where it is".into(),
            ),
            Op::Release { kind, path } => (
                Host,
                format!("umount2(\"{}\", MNT_DETACH)", path.display()),
                format!("umount -l {p} && rm {p}", p = q(path)),
                format!("let go of the box's {kind} namespace: nothing runs in it, so it ends here"),
            ),
            Op::MakeCgroup { path } => (
                Host,
                format!("mkdir(\"{}\")", path.display()),
                format!("mkdir {}", q(path)),
                "a folder in cgroupfs is a cgroup: the kernel fills it with control files".into(),
            ),
            Op::WriteCgroup { file, value, why } | Op::WriteCgroupIfPresent { file, value, why } => (
                Host,
                format!("write(\"{}\", \"{value}\")", file.display()),
                format!("echo '{value}' > {}", q(file)),
                why.clone(),
            ),
            Op::JoinCgroup { procs } => (
                Helper,
                procs.iter().map(|p| format!("write(\"{}\", getpid())", p.display())).collect::<Vec<_>>().join("; "),
                procs.iter().map(|p| format!("echo $$ > {}", q(p))).collect::<Vec<_>>().join("; "),
                "join the box's cgroup first: its limits apply from here on, and a cgroup namespace made next is rooted there".into(),
            ),
            Op::PivotRoot { new_root } => (
                Helper,
                format!("chdir(\"{}\"); pivot_root(\".\", \".\"); umount2(\".\", MNT_DETACH)", new_root.display()),
                format!("cd {} && pivot_root . . && umount -l .", q(new_root)),
                "the overlay becomes / for the box and the host's root is detached: unlike chroot, nothing above it stays reachable".into(),
            ),
            Op::Hold { kind, path } => {
                let file = if *kind == NamespaceKind::Time { "time_for_children" } else { kind.proc_file() };
                (
                    Host,
                    format!("mount(\"/proc/$HELPER/ns/{file}\", \"{}\", MS_BIND)", path.display()),
                    format!("touch {p} && mount --bind /proc/$HELPER/ns/{file} {p}", p = q(path)),
                    format!("a bind mount of the handle keeps the {kind} namespace alive after the helper exits"),
                )
            }
            Op::Exec { argv, process } => (
                Helper,
                format!("{}execvp(\"{}\", …)", identity_calls(process), argv.first().map(String::as_str).unwrap_or("")),
                format!("{}{}", identity_shell(process), quote_argv(argv)),
                "the helper becomes the command, inside every namespace it entered".into(),
            ),
            Op::Confine(c) => return c.faces(),
            Op::Teardown(t) => return t.faces(),
            Op::AskInit { socket, joins, argv, process } => {
                let enters: String = joins.iter().map(|(k, p)| format!(" {}={}", k.util_linux_option(), q(p))).collect();
                (
                    Host,
                    format!(
                        "connect(\"{}\"); sendmsg(SCM_RIGHTS: stdin, stdout, stderr{}); init: {}, {}execvp()",
                        socket.display(),
                        if joins.is_empty() { "" } else { ", namespace handles" },
                        if joins.is_empty() { "clone(CLONE_VM|CLONE_VFORK) (fork() for -t)" } else { "fork(), setns…" },
                        identity_calls(process).replace("; ", ", ")
                    ),
                    format!("nsenter --target $INIT --all{enters} -- {}{}", identity_shell(process), quote_argv(argv)),
                    "the box init starts the command, so inside the box its parent is PID 1".into(),
                )
            }
        };
        Faces { actor, syscall, shell, why }
    }
}

#[cfg(test)]
mod tests {
    use super::Op;
    use std::path::PathBuf;

    #[test]
    fn a_path_with_a_space_is_one_word_of_the_shell_line() {
        // A volume's path in the box may hold a space; the line --explain
        // prints is meant to be pasted, so the path must stay one word.
        let target = PathBuf::from("/r/rootfs/my data");
        let ensure = Op::EnsureDir { path: target.clone() }.faces().shell;
        assert_eq!(
            ensure,
            "[ -d '/r/rootfs/my data' ] && [ ! -L '/r/rootfs/my data' ] || { rm -f '/r/rootfs/my data'; mkdir '/r/rootfs/my data'; }"
        );
        assert_eq!(Op::UnmountVolume { target }.faces().shell, "umount -l '/r/rootfs/my data'");
    }

    #[test]
    fn plain_paths_stay_as_they_were() {
        // history --script finds the box's own folders in these lines by
        // their text, so a plain path must not gain quotes.
        let op = Op::MountOverlay {
            lower: vec![PathBuf::from("/s/layers/a/fs"), PathBuf::from("/s/layers/b/fs")],
            upper: PathBuf::from("/s/boxes/x/container/upper"),
            work: PathBuf::from("/s/boxes/x/container/work"),
            target: PathBuf::from("/s/run/boxes/x/rootfs"),
        };
        assert_eq!(
            op.faces().shell,
            "mount -t overlay overlay -o lowerdir=/s/layers/a/fs:/s/layers/b/fs,upperdir=/s/boxes/x/container/upper,\
             workdir=/s/boxes/x/container/work /s/run/boxes/x/rootfs"
        );
    }
}
