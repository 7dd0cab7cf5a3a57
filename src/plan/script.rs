//! `history --script`: the recorded plans turned back into a shell script of
//! util-linux commands that rebuilds the same isolation.
//!
//! The script holds namespaces the way glassbox does: a helper process is
//! started in new namespaces (`unshare`), the script bind-mounts the helper's
//! `/proc/PID/ns/*` files, and later steps enter them (`nsenter`). The helper
//! of a `pid` step stays alive as the box's PID 1.

use super::Op;
use crate::output::escape::{shell_lines, shell_word};
use crate::stage::NamespaceKind;
use crate::state::{Root, Step};

const PRELUDE: &str = r#"set -euo pipefail
export HOLD=${HOLD:-/run/glassbox-script/$BOX}
mkdir -p "$HOLD"
# A private mount of its own, so the holds below never propagate.
mountpoint -q "$HOLD" || mount --bind "$HOLD" "$HOLD"
mount --make-private "$HOLD"
# A fresh fifo: a helper an earlier run gave up on may still answer into the old one.
rm -f "$HOLD/.ready"; mkfifo -m 666 "$HOLD/.ready"
# Held open for reading and writing: the last helper closing its end (it
# may still be exiting when the next one is awaited) is then never EOF.
exec {READY}<>"$HOLD/.ready"
ENTER=()   # nsenter options for the namespaces made so far
USERNS=()  # just the user namespace: what owns every namespace made next
MOUNTER=() # all but the user namespace: the root filesystem is mounted as the host's root

# helper UNSHARE-OPTIONS... -- SETUP: start a process in new namespaces that
# runs SETUP inside, says it is ready, and waits to be held (or to be PID 1).
helper() {
  local opts=() setup status
  while [ "$1" != -- ]; do opts+=("$1"); shift; done; setup=$2
  # Its output goes nowhere: it outlives this script's pipes.
  if [ ${#USERNS[@]} -gt 0 ]; then set -- nsenter "${USERNS[@]}" -- unshare "${opts[@]}"; else set -- unshare "${opts[@]}"; fi
  "$@" -- sh -c "if $setup; then echo ok; else echo failed; fi > $HOLD/.ready; exec sleep infinity" </dev/null >/dev/null 2>&1 {READY}<&- &
  HELPER=$!
  read -t 30 -r status <&"$READY" || status="no answer in 30 s (did unshare start?)"
  [ "$status" = ok ] || { echo "setup failed in the new namespaces ($status): $setup" >&2; kill -KILL "$HELPER" 2>/dev/null; exit 1; }
}
# hold KIND...: bind-mount the helper's handles, then enter them from now on
hold() {
  local k f
  for k in "$@"; do
    f=$k; [ "$k" = time ] && f=time_for_children
    touch "$HOLD/$k"; mount --bind "/proc/$HELPER/ns/$f" "$HOLD/$k"
    ENTER+=("$(opt "$k")=$HOLD/$k")
    [ "$k" = user ] || MOUNTER+=("$(opt "$k")=$HOLD/$k")
  done
}
opt() { case $1 in mnt) echo --mount ;; *) echo "--$1" ;; esac; }
"#;

/// The whole script for a box's recorded steps. The root filesystem gets
/// its own container layer and mount point under $HOLD (the box's are in
/// use by the box); its read-only layers are the glassbox store's.
pub fn script(root: &Root, name: &str, steps: &[Step]) -> String {
    let mut out = format!(
        "#!/bin/bash\n# Rebuilds the isolation of glassbox box {name:?} with util-linux tools only.\n\
         # Run as root. Undo: kill -KILL \"$(cat $HOLD/init.pid)\"; umount \"$HOLD\"/*; umount \"$HOLD\"\nBOX={}\n{PRELUDE}",
        shell_word(name)
    );
    let mut cause = None;
    for step in steps {
        if let Some(c) = step.cause.as_ref().filter(|c| Some(*c) != cause.as_ref()) {
            out.push_str(&format!("\n# {} request: {}", c.via, c.line()));
        }
        cause = step.cause.clone();
        out.push_str(&format!(
            "\n# step {}: {}\n",
            step.n,
            step.command.iter().map(|a| shell_word(a)).collect::<Vec<_>>().join(" ")
        ));
        let text = step_script(&step.plan.ops);
        let (upper, work) = root.container_layer(name);
        let text = text
            .replace(&upper.display().to_string(), "$HOLD/upper")
            .replace(&work.display().to_string(), "$HOLD/work")
            .replace(&root.rootfs_mount(name).display().to_string(), "$HOLD/rootfs");
        out.push_str(&text);
    }
    out.push_str("\necho \"namespaces held in $HOLD:\"; for f in \"$HOLD\"/*; do [ -f \"$f\" ] && [ \"${f##*/}\" != init.pid ] && echo \"  ${f##*/} $(stat -L -c %i \"$f\")\"; done; true\n");
    out
}

fn step_script(ops: &[Op]) -> String {
    let made: Vec<NamespaceKind> = {
        let mut v: Vec<NamespaceKind> =
            ops.iter().filter_map(|o| if let Op::Unshare { kind } = o { Some(*kind) } else { None }).collect();
        v.dedup();
        v
    };
    let mut out = String::new();
    if made.contains(&NamespaceKind::User) {
        out.push_str("helper --user -- true\n");
        for op in ops {
            if let Op::MapIds { file, inside, outside, count } = op {
                out.push_str(&format!("echo '{inside} {outside} {count}' > /proc/$HELPER/{file}\n"));
            }
        }
        out.push_str("hold user; USERNS=(--user=\"$HOLD/user\"); kill -KILL $HELPER\n");
    }
    out.push_str(&share_script(ops));
    let rest: Vec<NamespaceKind> = made.iter().copied().filter(|k| *k != NamespaceKind::User).collect();
    if !rest.is_empty() {
        out.push_str(&rest_script(ops, &rest));
    }
    if ops.iter().any(|o| matches!(o, Op::MountOverlay { .. })) {
        out.push_str(&rootfs_script(ops));
    } else if let Some(Op::MountVolume { .. }) = ops.iter().find(|o| matches!(o, Op::MountVolume { .. })) {
        // A volume added to a box that has its root filesystem: util-linux
        // has no front end for open_tree + move_mount.
        for op in ops.iter().filter(|o| matches!(o, Op::MountVolume { .. })) {
            out.push_str(&format!("# volume left out: {}\n", op.faces().shell.trim_start_matches("# ")));
        }
    } else if ops.iter().any(|o| matches!(o, Op::MountProc { .. } | Op::StartInit { mount_proc: Some(_), .. })) {
        out.push_str("nsenter \"${ENTER[@]}\" -- mount -t proc proc /proc\n");
    }
    for op in ops {
        if let Op::Confine(c) = op {
            out.push_str(&c.script_line());
        }
    }
    for op in ops {
        if let Op::Exec { argv, .. } | Op::AskInit { argv, .. } = op {
            let cmd: Vec<String> = argv.iter().map(|a| shell_word(a)).collect();
            out.push_str(&format!("# the main process: nsenter \"${{ENTER[@]}}\" -- {}\n", cmd.join(" ")));
        }
    }
    out
}

/// A namespace joined from another box: held here too (pid: entered by
/// its init's file), and entered from now on.
fn share_script(ops: &[Op]) -> String {
    let mut out = String::new();
    for op in ops {
        let Op::Share { kind, with, handle } = op else { continue };
        let (opt, handle) = (kind.util_linux_option(), shell_word(&handle.to_string_lossy()));
        out.push_str(&format!("# share box {}'s {kind} namespace\n", shell_word(with)));
        if *kind == NamespaceKind::Pid {
            out.push_str(&format!("ENTER+=({opt}={handle}); MOUNTER+=({opt}={handle})\n"));
        } else {
            let k = kind.name();
            out.push_str(&format!(
                "touch \"$HOLD/{k}\"; mount --bind {handle} \"$HOLD/{k}\"; ENTER+=({opt}=\"$HOLD/{k}\"); MOUNTER+=({opt}=\"$HOLD/{k}\")\n"
            ));
        }
    }
    out
}

/// The host part (folders) as is; the mounts in one shell inside the box's
/// mount namespace, each line the operation's shell face.
fn rootfs_script(ops: &[Op]) -> String {
    let mut out = String::from("# the root filesystem, mounted in the box's mount namespace\n");
    let mut inside = vec![];
    let mut volumes = vec![];
    for op in ops {
        let faces = op.faces();
        match (op, faces.actor) {
            // util-linux has no front end for detached trees: the script
            // mounts directly in the box's mount namespace, unlocked.
            (Op::Join { .. } | Op::ScratchMounts | Op::CopyTree { .. } | Op::AttachTree { .. }, _) => {}
            (Op::MountVolume { .. }, _) => volumes.push(faces.shell),
            (_, super::Actor::Host) => out.push_str(&format!("{}\n", faces.shell)),
            (_, super::Actor::Helper) => inside.push(faces.shell),
        }
    }
    out.push_str(&format!("nsenter \"${{MOUNTER[@]}}\" -- sh -e -c {}\n", shell_lines(&inside)));
    for v in volumes {
        out.push_str(&format!("# volume left out: {}\n", v.trim_start_matches("# ")));
    }
    out
}

fn rest_script(ops: &[Op], rest: &[NamespaceKind]) -> String {
    let mut opts: Vec<String> = rest.iter().map(|k| k.util_linux_option().to_string()).collect();
    if rest.iter().any(|k| k.applies_to_children()) {
        opts.push("--fork".into());
        opts.push("--kill-child".into());
    }
    let mut setup: Vec<String> = vec![];
    for op in ops {
        match op {
            Op::SetHostname { name } => setup.push(format!("hostname {}", shell_word(name))),
            Op::LoopbackUp => setup.push("ip link set lo up".into()),
            Op::DetachHandles => {
                setup.push(format!("{{ {}; }} 2>/dev/null || true", super::faces::detach_handles_shell()))
            }
            Op::SetTimeOffsets { monotonic, boottime } => {
                opts.push(format!("--monotonic {monotonic}"));
                opts.push(format!("--boottime {boottime}"));
            }
            _ => {}
        }
    }
    if setup.is_empty() {
        setup.push("true".into());
    }
    let mut out = format!("helper {} -- {}\n", opts.join(" "), shell_word(&setup.join("; ")));
    let held: Vec<&str> = rest.iter().filter(|k| **k != NamespaceKind::Pid).map(|k| k.name()).collect();
    if !held.is_empty() {
        out.push_str(&format!("hold {}\n", held.join(" ")));
    }
    if rest.contains(&NamespaceKind::Pid) {
        out.push_str("# this helper's child is PID 1 of the new PID namespace: keep it\n");
        out.push_str("echo $HELPER > \"$HOLD/init.pid\"; ENTER+=(--pid=/proc/$HELPER/ns/pid_for_children); MOUNTER+=(--pid=/proc/$HELPER/ns/pid_for_children)\n");
    } else {
        out.push_str("kill -KILL $HELPER\n");
    }
    out
}
