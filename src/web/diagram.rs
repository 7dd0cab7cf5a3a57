//! The namespace diagram: a box drawn as nested walls, one per namespace
//! it has, and its processes inside the walls they are in.
//!
//! The walls nest in the order the steps made them (a user namespace, which
//! owns the others, always outermost): a process started before a step is
//! outside the wall that step made, and is drawn there. A process is drawn
//! inside the walls from the outermost inward for as long as it is in each;
//! the walls it is not in are written on it. Positions are worked out here
//! in a 560-unit-wide drawing; the template only places them (SVG text, so
//! it scales on a projector and reads on a phone).
//!
//! A pod (boxes sharing namespaces, `unshare --join`): the shared walls are
//! drawn outermost, around this box's block (its own walls inside) and a
//! block for each box it shares them with, its name and processes.

use super::lang::{lang, t};
use super::words::tr;
use crate::model::{BoxModel, ProcessModel};
use crate::stage::NamespaceKind;

/// Drawing widths: one for a screen, one for a phone (the page shows the
/// one that fits; a wide drawing scaled down to a phone is unreadable).
pub const WIDE: u32 = 580;
pub const NARROW: u32 = 340;
const PAD: u32 = 10;
const HEADER: u32 = 24;
const CHIP_W: u32 = 190;
const CHIP_H: u32 = 38;
const GAP: u32 = 8;

pub struct Wall {
    pub kind: &'static str,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub label: String,
    pub text_y: u32,
}

pub struct Chip {
    pub host_pid: i32,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub line1: String,
    pub line2: String,
    /// The walls around it that it is not in ("" when none).
    pub outside: String,
    /// How many walls it is inside (the page's tests read it).
    pub depth: usize,
}

/// A box inside a pod's walls: this box (its walls and chips inside the
/// block) or another, its processes as lines of text.
pub struct Block {
    pub name: String,
    pub this: bool,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// (y, text) of each process line.
    pub lines: Vec<(u32, String)>,
}

/// Another box of the pod, as its block shows it.
pub struct PodBox {
    pub name: String,
    /// "pid 1 · sleep" and " (host 123)" per process (the phone's drawing
    /// leaves the second out: it would not fit).
    pub processes: Vec<(String, String)>,
}

impl PodBox {
    pub fn of(m: &BoxModel) -> PodBox {
        let mut procs: Vec<&ProcessModel> = m.processes.iter().collect();
        procs.sort_by_key(|p| (p.pid_inside == 0, p.pid_inside, p.host_pid));
        PodBox {
            name: m.name.clone(),
            processes: procs
                .iter()
                .map(|p| {
                    let host = tr("web-pod-host", &[("pid", p.host_pid.to_string())]);
                    (format!("pid {} · {}", p.pid_inside, first_word(&p.command)), format!(" {host}"))
                })
                .collect(),
        }
    }
}

/// The boxes in every namespace this box shares with another box: the
/// walls that go around the pod, and who is inside all of them.
pub fn pod_of(m: &BoxModel) -> (Vec<NamespaceKind>, Vec<String>) {
    let shared: Vec<&crate::model::NamespaceModel> =
        m.namespaces.iter().filter(|n| n.isolated && !n.shared_with.is_empty()).collect();
    let Some(first) = shared.first() else { return (vec![], vec![]) };
    let members: Vec<String> =
        first.shared_with.iter().filter(|b| shared.iter().all(|n| n.shared_with.contains(b))).cloned().collect();
    if members.is_empty() {
        return (vec![], vec![]);
    }
    let kinds = shared.iter().filter(|n| members.iter().all(|b| n.shared_with.contains(b))).map(|n| n.kind).collect();
    (kinds, members)
}

const LINE: u32 = 18;

pub struct Diagram {
    pub width: u32,
    pub height: u32,
    pub host_label: String,
    pub walls: Vec<Wall>,
    pub chips: Vec<Chip>,
    pub blocks: Vec<Block>,
    /// The walls from the outside in, for the text description.
    pub order: String,
    /// How many walls, from the outside, go around the whole pod (0: no pod).
    pub pod_walls: usize,
}

/// The box's namespaces in the order they were made: the user namespace
/// first, then by the step that made each, then in the kernel's order.
pub fn wall_order(m: &BoxModel) -> Vec<NamespaceKind> {
    let made_at = |k: NamespaceKind| m.steps.iter().position(|s| s.makes.contains(&k)).unwrap_or(usize::MAX);
    let mut kinds: Vec<NamespaceKind> = m.namespaces.iter().filter(|n| n.isolated).map(|n| n.kind).collect();
    kinds.sort_by_key(|k| (*k != NamespaceKind::User, made_at(*k), NamespaceKind::ALL.iter().position(|x| x == k)));
    kinds
}

/// How many walls, from the outside in, the process is in.
fn depth(p: &ProcessModel, walls: &[NamespaceKind]) -> usize {
    walls.iter().take_while(|k| !p.differs_in.contains(k)).count()
}

pub fn diagram(m: &BoxModel, pod: &[PodBox], width: u32) -> Diagram {
    let mut order = wall_order(m);
    let pod_kinds = if pod.is_empty() { vec![] } else { pod_of(m).0 };
    // The pod's walls outermost: they go around every box of it.
    order.sort_by_key(|k| !pod_kinds.contains(k));
    let mut procs: Vec<&ProcessModel> = m.processes.iter().collect();
    procs.sort_by_key(|p| (p.pid_inside == 0, p.pid_inside, p.host_pid));
    let mut d = Diagram {
        width,
        height: 0,
        host_label: t("web-diagram-host"),
        walls: vec![],
        chips: vec![],
        blocks: vec![],
        pod_walls: pod_kinds.len(),
        order: order.iter().map(|k| k.name()).collect::<Vec<_>>().join(" ⊃ "),
    };
    let shared: Vec<&str> = m.namespaces.iter().filter(|n| !n.isolated).map(|n| n.kind.name()).collect();
    if !shared.is_empty() {
        d.host_label = tr("web-diagram-host-shared", &[("kinds", shared.join(" "))]);
    }
    let c = Ctx { m, pod, order: &order, procs: &procs };
    d.height = place(&c, 0, PAD, 0, width - 2 * PAD, &mut d);
    d.height += PAD;
    d
}

/// What every level of the layout reads.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    m: &'a BoxModel,
    pod: &'a [PodBox],
    order: &'a [NamespaceKind],
    procs: &'a [&'a ProcessModel],
}

/// Lays out level `level` (0: the host, n: inside the n-th wall) at (x, y),
/// `w` wide; its height. Walls are pushed outer first, so they paint first.
fn place(c: &Ctx, level: usize, x: u32, y: u32, w: u32, d: &mut Diagram) -> u32 {
    let Ctx { m, pod, order, .. } = *c;
    let wall_index = d.walls.len();
    if level > 0 {
        let kind = order[level - 1];
        let ns = m.namespaces.iter().find(|n| n.kind == kind);
        let inode = ns.and_then(|n| n.inode).map_or("-".into(), |i| i.to_string());
        d.walls.push(Wall {
            kind: kind.name(),
            x,
            y,
            w,
            h: 0,
            // A pod's wall: the box that made it and who else is inside.
            label: match ns.filter(|n| n.joined.is_some() || !n.shared_with.is_empty()) {
                // A phone's drawing: no room for the inode (the table has it).
                Some(n) if d.width < WIDE => {
                    let maker = n.made_by.as_deref().filter(|b| *b != m.name);
                    let maker =
                        maker.map_or_else(|| t("show-maker-this-box"), |b| tr("show-maker-box", &[("name", b.into())]));
                    tr("web-wall-made-by", &[("kind", kind.name().into()), ("maker", maker)])
                }
                Some(n) => tr(
                    "web-wall-ns-made-by",
                    &[("kind", kind.name().into()), ("inode", inode), ("maker", n.made_by_in(&m.name, lang()))],
                ),
                None => tr("web-wall-ns", &[("kind", kind.name().into()), ("inode", inode)]),
            },
            text_y: y + 16,
        });
    }
    let mut cy = y + HEADER;
    if level == d.pod_walls && level > 0 && !pod.is_empty() {
        // This box's block around the rest of its drawing, then the others'.
        let bi = d.blocks.len();
        d.blocks.push(Block {
            name: m.name.clone(),
            this: true,
            x: x + PAD,
            y: cy,
            w: w - 2 * PAD,
            h: 0,
            lines: vec![],
        });
        let h = HEADER + contents(c, level, x + PAD, cy + HEADER, w - 2 * PAD, d);
        d.blocks[bi].h = h;
        cy += h + GAP;
        for other in pod {
            let lines: Vec<(u32, String)> = if other.processes.is_empty() {
                vec![(cy + HEADER + 14, t("web-diagram-no-process"))]
            } else {
                other
                    .processes
                    .iter()
                    .enumerate()
                    .map(|(i, (t, host))| {
                        let text = if d.width < WIDE { t.clone() } else { format!("{t}{host}") };
                        (cy + HEADER + 14 + i as u32 * LINE, text)
                    })
                    .collect()
            };
            let h = HEADER + lines.len() as u32 * LINE + PAD;
            d.blocks.push(Block { name: other.name.clone(), this: false, x: x + PAD, y: cy, w: w - 2 * PAD, h, lines });
            cy += h + GAP;
        }
        cy += PAD - GAP;
    } else {
        cy += contents(c, level, x, cy, w, d);
    }
    let h = cy - y;
    if level > 0 {
        d.walls[wall_index].h = h;
    }
    h
}

/// The chips at `level` and the walls inside it, from (x, y), `w` wide; their height.
fn contents(c: &Ctx, level: usize, x: u32, y: u32, w: u32, d: &mut Diagram) -> u32 {
    let Ctx { order, procs, .. } = *c;
    let mut cy = y;
    let here: Vec<&&ProcessModel> = procs.iter().filter(|p| depth(p, order) == level).collect();
    let per_row = ((w - 2 * PAD + GAP) / (CHIP_W + GAP)).max(1) as usize;
    let chip_w = CHIP_W.min(w - 2 * PAD);
    for (i, p) in here.iter().enumerate() {
        let outside: Vec<&str> = order.iter().filter(|k| p.differs_in.contains(k)).map(|k| k.name()).collect();
        let inside = if p.pid_inside == 0 { t("web-chip-outside-pid") } else { format!("pid {}", p.pid_inside) };
        d.chips.push(Chip {
            host_pid: p.host_pid,
            x: x + PAD + (i % per_row) as u32 * (CHIP_W + GAP),
            y: cy + (i / per_row) as u32 * (CHIP_H + GAP),
            w: chip_w,
            line1: format!("{inside} · {}", first_word(&p.command)),
            line2: format!(
                "{}{}",
                tr("web-chip-host-pid", &[("pid", p.host_pid.to_string())]),
                if p.role.is_empty() { String::new() } else { format!(" · {}", p.role) }
            ),
            outside: if outside.is_empty() {
                String::new()
            } else {
                tr("web-chip-outside", &[("kinds", outside.join(", "))])
            },
            depth: level,
        });
    }
    let rows = here.len().div_ceil(per_row) as u32;
    cy += rows * (CHIP_H + GAP);
    if level < order.len() {
        cy += place(c, level + 1, x + PAD, cy, w - 2 * PAD, d) + PAD;
    } else if here.is_empty() {
        cy += 8;
    }
    cy - y
}

/// The program's name, for a label that must stay short.
fn first_word(command: &str) -> String {
    let first = command.split_whitespace().next().unwrap_or("");
    let name = first.rsplit('/').next().unwrap_or(first);
    name.chars().take(14).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NamespaceModel;

    fn model(walls: &[NamespaceKind], procs: &[(i32, &[NamespaceKind])]) -> BoxModel {
        let mut m = crate::web::tests::fixture_box("d");
        m.namespaces = NamespaceKind::ALL
            .iter()
            .map(|k| NamespaceModel {
                kind: *k,
                inode: Some(1),
                host_inode: Some(1),
                isolated: walls.contains(k),
                held_by: None,
                isolates: k.isolates(),
                made_by: None,
                joined: None,
                shared_with: vec![],
                maker_gone: false,
            })
            .collect();
        m.steps.clear();
        m.processes = procs
            .iter()
            .enumerate()
            .map(|(i, (pid, differs))| crate::model::ProcessModel {
                host_pid: *pid,
                pid_inside: i as i32 + 1,
                ppid_inside: 0,
                host_ppid: 1,
                command: "sleep 1".into(),
                uid_on_host: None,
                uid_inside: None,
                role: String::new(),
                differs_in: differs.to_vec(),
                confinement: None,
            })
            .collect();
        m
    }

    fn inside(c: &Chip, w: &Wall) -> bool {
        c.x >= w.x && c.y >= w.y && c.x + c.w <= w.x + w.w && c.y + 38 <= w.y + w.h
    }

    #[test]
    fn each_process_is_drawn_inside_exactly_the_walls_it_is_in() {
        use NamespaceKind::*;
        let m = model(&[User, Mnt, Pid, Uts], &[(10, &[]), (11, &[Uts]), (12, &[Pid, Uts]), (13, &[])]);
        for width in [WIDE, NARROW] {
            let d = diagram(&m, &[], width);
            let kinds: Vec<&str> = d.walls.iter().map(|w| w.kind).collect();
            assert_eq!(kinds, ["user", "mnt", "uts", "pid"], "user outermost, then the kernel's order");
            for (pid, depth) in [(10, 4), (11, 2), (12, 2), (13, 4)] {
                let c = d.chips.iter().find(|c| c.host_pid == pid).unwrap();
                assert_eq!(c.depth, depth, "pid {pid} at {width}");
                for (i, w) in d.walls.iter().enumerate() {
                    assert_eq!(inside(c, w), i < depth, "pid {pid} vs the {} wall at {width}", w.kind);
                }
            }
            for pair in d.walls.windows(2) {
                let (outer, inner) = (&pair[0], &pair[1]);
                assert!(
                    inner.x > outer.x
                        && inner.x + inner.w < outer.x + outer.w
                        && inner.y + inner.h <= outer.y + outer.h
                );
            }
            assert!(d.walls.iter().all(|w| w.x + w.w <= width) && d.height > 0);
        }
    }
}
