//! What `doctor` prints: one line per feature (ok, or what is missing and
//! the command that fixes it), then whether each lesson can run here.

use super::{Controller, Machine, Need, is_wsl, kernel_release, probe};
use crate::i18n::tr;
use crate::output::say_to;
use crate::stage::NamespaceKind;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Item {
    pub name: String,
    pub ok: bool,
    /// Only some lessons need it: its absence alone does not fail `doctor`.
    pub optional: bool,
    pub detail: String,
    pub fix: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LessonVerdict {
    pub id: String,
    pub can_run: bool,
    pub missing: Vec<super::Missing>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub kernel: String,
    pub wsl: bool,
    pub items: Vec<Item>,
    pub lessons: Vec<LessonVerdict>,
    /// Every feature is usable and every lesson can run here.
    pub ok: bool,
}

fn item(name: impl Into<String>, m: &Machine, need: Need, ok_detail: impl Into<String>) -> Item {
    match m.missing(&need) {
        None => Item { name: name.into(), ok: true, optional: false, detail: ok_detail.into(), fix: None },
        Some(x) => Item { name: name.into(), ok: false, optional: false, detail: x.what, fix: Some(x.fix) },
    }
}

/// An item straight from a probe: what works, or why not and the fix.
fn probed(
    name: impl Into<String>,
    result: &probe::Probe,
    ok_detail: &str,
    fail_detail: impl FnOnce(&str) -> String,
    fix: impl FnOnce() -> String,
) -> Item {
    match result {
        Ok(()) => Item { name: name.into(), ok: true, optional: false, detail: ok_detail.into(), fix: None },
        Err(e) => Item { name: name.into(), ok: false, optional: false, detail: fail_detail(e), fix: Some(fix()) },
    }
}

/// A lesson as doctor sees it: its id, and what it and its checks need, or
/// why its lesson.toml cannot be read. The caller reads the catalogue, so
/// doctor and the lessons do not import each other.
pub struct LessonNeeds {
    pub id: String,
    pub needs: Result<Vec<Need>, String>,
}

pub fn collect(m: &Machine, lessons: &[LessonNeeds]) -> Report {
    let mut items = vec![item("root", m, Need::Root, tr!("doctor-root-ok"))];
    for (kind, probe) in m.namespaces() {
        let fix = || match kind {
            NamespaceKind::Time => tr!("doctor-timens-fix-short"),
            NamespaceKind::User => m.missing(&Need::Userns).map(|x| x.fix).unwrap_or_default(),
            k => tr!("doctor-ns-fix", flag = k.name().to_uppercase()),
        };
        let name = format!("namespace {}", kind.name());
        items.push(probed(name, probe, &tr!("doctor-ns-ok"), |e| tr!("doctor-ns-failed", reason = e), fix));
    }
    let restrictions = m.userns_restrictions();
    if !restrictions.is_empty() {
        let (what, fix): (Vec<String>, Vec<String>) = restrictions.into_iter().unzip();
        let ok = m.namespaces().iter().any(|(k, p)| *k == NamespaceKind::User && p.is_ok());
        items.push(Item {
            name: "user namespace limits".into(),
            ok,
            optional: ok,
            detail: what.join("; "),
            fix: (!ok).then(|| fix.join(" && ")),
        });
    }
    let listed =
        if probe::filesystem_listed("overlay") { tr!("doctor-overlay-listed") } else { tr!("doctor-overlay-loaded") };
    items.push(item("overlayfs", m, Need::Overlay, tr!("doctor-overlay-ok", listed = listed)));
    items.push(item("pivot_root", m, Need::PivotRoot, tr!("doctor-pivot-root-ok")));
    items.push(item(
        "busybox-static",
        m,
        Need::Busybox,
        tr!("doctor-busybox-ok", path = crate::image::busybox::BUSYBOX),
    ));
    let cg = m.cgroups();
    items.push(item("cgroups", m, Need::Cgroup, cg.detail.clone()));
    let mut v2 = item("cgroup v2", m, Need::CgroupV2, tr!("doctor-cgroup-v2-ok"));
    v2.optional = true;
    items.push(v2);
    for c in Controller::ALL {
        let detail = cg.controller(c).map(|f| f.detail.clone()).unwrap_or_default();
        items.push(item(format!("controller {}", c.name()), m, Need::Controller(c), detail));
    }
    items.push(probed("bridge", m.bridge(), &tr!("doctor-bridge-ok"), str::to_string, || "modprobe bridge".into()));
    items.push(probed("veth", m.veth(), &tr!("doctor-veth-ok"), str::to_string, || "modprobe veth".into()));
    items.extend(super::hardening::items());
    let mut docker = item("docker client", m, Need::DockerCli, tr!("doctor-docker-ok"));
    docker.optional = true;
    items.push(docker);
    let lessons: Vec<LessonVerdict> = lessons
        .iter()
        .map(|l| match &l.needs {
            Ok(needs) => {
                let missing: Vec<_> = needs.iter().filter_map(|n| m.missing(n)).collect();
                LessonVerdict { id: l.id.clone(), can_run: missing.is_empty(), missing }
            }
            Err(e) => LessonVerdict {
                id: l.id.clone(),
                can_run: false,
                missing: vec![super::Missing { what: e.clone(), fix: tr!("doctor-lesson-fix") }],
            },
        })
        .collect();
    let ok = items.iter().all(|i| i.ok || i.optional) && lessons.iter().all(|l| l.can_run);
    Report { kernel: kernel_release(), wsl: is_wsl(), items, lessons, ok }
}

/// An item's name in the command's language: `--json` keeps the English
/// name, the table shows this one (kernel and tool names stay as they are).
fn label(name: &str) -> String {
    if let Some(kind) = name.strip_prefix("namespace ") {
        return tr!("doctor-name-namespace", kind = kind);
    }
    if let Some(controller) = name.strip_prefix("controller ") {
        return tr!("doctor-name-controller", controller = controller);
    }
    match name {
        "user namespace limits" => tr!("doctor-name-userns-limits"),
        "docker client" => tr!("doctor-name-docker"),
        "seccomp filters" => tr!("doctor-name-seccomp"),
        other => other.to_string(),
    }
}

/// The report as `glassbox doctor` prints it (`--json`: the report itself).
impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = self;
        say_to!(f, "{}", tr!("doctor-title"))?;
        say_to!(f)?;
        say_to!(
            f,
            "{} {}{}",
            crate::i18n::pad(&tr!("doctor-kernel"), 24),
            r.kernel,
            if r.wsl { " (WSL2)" } else { "" }
        )?;
        for i in &r.items {
            let state = match (i.ok, i.optional) {
                (true, _) => tr!("doctor-ok"),
                (false, true) => tr!("doctor-no-optional"),
                (false, false) => tr!("doctor-missing"),
            };
            say_to!(f, "{} {state}: {}", crate::i18n::pad(&label(&i.name), 24), i.detail)?;
            if let Some(fix) = &i.fix {
                say_to!(f, "{:<24} {}", "", tr!("doctor-fix", fix = fix))?;
            }
        }
        if r.wsl {
            say_to!(f)?;
            say_to!(f, "{}", tr!("doctor-wsl"))?;
        }
        say_to!(f)?;
        say_to!(f, "{}", tr!("doctor-lessons"))?;
        if r.lessons.is_empty() {
            say_to!(f, "  {}", tr!("doctor-no-lessons"))?;
        }
        for l in &r.lessons {
            if l.can_run {
                say_to!(f, "  {:<24} {}", l.id, tr!("doctor-can-run"))?;
            } else {
                for x in &l.missing {
                    say_to!(f, "  {:<24} {}", l.id, tr!("doctor-cannot-run", what = x.what))?;
                    say_to!(f, "  {:<24} {}", "", tr!("doctor-fix", fix = x.fix))?;
                }
            }
        }
        let blocking = r.items.iter().filter(|i| !i.ok && !i.optional).count();
        let lessons_out = r.lessons.iter().filter(|l| !l.can_run).count();
        say_to!(f)?;
        if r.ok {
            say_to!(f, "{}", tr!("doctor-all-good"))?;
        } else {
            say_to!(f, "{}", tr!("doctor-summary", features = blocking, lessons = lessons_out))?;
        }
        Ok(())
    }
}
