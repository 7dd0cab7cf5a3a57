//! `history --script` for one box: the plans of its record's steps, each
//! turned back into shell by its operations (`plan::script`).

use crate::output::escape::shell_word;
use crate::plan::script::{PRELUDE, StepScript};
use crate::state::{BoxRecord, Root};
use std::path::PathBuf;

/// The whole script for a box. The root filesystem gets its own container
/// layer and mount point under $HOLD; its read-only layers are the glassbox
/// store's. It makes the box's own names (its veth, its cgroup), so it is
/// meant to run once the box is removed, or for another root.
pub fn script(root: &Root, record: &BoxRecord) -> String {
    let name = &record.name;
    let mut out = format!(
        "#!/bin/bash\n# Rebuilds glassbox box {name:?} with standard tools only (util-linux, iproute2).\n\
         # Run as root, after `glassbox rm {name}`: it makes the same veth and cgroup.\n\
         # Undo: kill -KILL \"$(cat $HOLD/init.pid)\"; umount -l \"$HOLD\"/* \"$HOLD\"; then rmdir the cgroup folders it made\nBOX={}\n{PRELUDE}",
        shell_word(name)
    );
    let mut s = StepScript::new(folders(root, name));
    let mut cause = None;
    for step in &record.steps {
        if let Some(c) = step.cause.as_ref().filter(|c| Some(*c) != cause.as_ref()) {
            out.push_str(&format!("\n# {} request: {}", c.via, c.line()));
        }
        cause = step.cause.clone();
        out.push_str(&format!("\n# step {}: {}\n", step.n, step.command_line()));
        if step.plan.ops.is_empty() {
            out.push_str("# nothing for the kernel in this step: glassbox recorded it (see below for a port)\n");
        }
        for op in &step.plan.ops {
            op.script(&mut s);
        }
        out.push_str(&s.finish_step());
    }
    out.push_str(&s.finish());
    for p in record.net.iter().flat_map(|n| n.published.iter().map(move |p| (n.address, p))) {
        let (address, p) = p;
        out.push_str(&format!(
            "# published port {h}: glassbox's own proxy (glassbox-proxy) forwards 127.0.0.1:{h} to {address}:{b}; \
             no util-linux or iproute2 tool does; socat does the same:\n\
             # socat TCP-LISTEN:{h},bind=127.0.0.1,fork,reuseaddr TCP:{address}:{b} &\n",
            h = p.host_port,
            b = p.box_port
        ));
    }
    out.push_str("\necho \"namespaces held in $HOLD:\"; for f in \"$HOLD\"/*; do [ -f \"$f\" ] && [ \"${f##*/}\" != init.pid ] && echo \"  ${f##*/} $(stat -L -c %i \"$f\")\"; done; true\n");
    out
}

/// The box's folders and the script's variables for them: the holds, the
/// container layer and the root filesystem's mount point.
pub fn folders(root: &Root, name: &str) -> [(PathBuf, &'static str); 4] {
    let (upper, work) = root.container_layer(name);
    [
        (root.holds_dir(name), "$HOLD"),
        (upper, "$HOLD/upper"),
        (work, "$HOLD/work"),
        (root.rootfs_mount(name), "$HOLD/rootfs"),
    ]
}
