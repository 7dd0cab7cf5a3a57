use super::Ctx;
use crate::cli::UnshareArgs;
use crate::error::{Error, Result, UsageError};
use crate::executor::{Applied, ApplyOptions, apply_unconfirmed};
use crate::i18n::tr;
use crate::output::outcome::Said;
use crate::plan::Op;
use crate::plan::op;
use crate::stage::{self, NamespaceKind, UnshareRequest};
use crate::state::shared::SharedFrom;
use crate::state::{BoxRecord, HeldNamespace, Holder, record::IdMap};
use crate::sys::{ns, proc};
use crate::teardown::Unrecorded;
use std::collections::BTreeSet;

fn parse_kinds(words: &[String]) -> Result<BTreeSet<NamespaceKind>> {
    let mut kinds = BTreeSet::new();
    for w in words {
        if w == "all" {
            kinds.extend(NamespaceKind::ALL);
            continue;
        }
        let kind = NamespaceKind::parse(w)
            .ok_or_else(|| UsageError::NsKindUnknown { kind: format!("{w:?}"), kinds: NamespaceKind::valid_names() })?;
        kinds.insert(kind);
    }
    Ok(kinds)
}

fn parse_request(args: &UnshareArgs) -> Result<UnshareRequest> {
    let map_root_to = match &args.map_root_to {
        None => None,
        Some(s) => Some(s.parse::<u32>().map_err(|_| UsageError::MapRootToInvalid { value: format!("{s:?}") })?),
    };
    let offset = |o: &Option<String>, flag: &str| -> Result<Option<i64>> {
        o.as_deref()
            .map(|s| {
                stage::time::parse_offset(s)
                    .map_err(|e| Error::from(UsageError::ClockOffsetInvalid { flag: flag.into(), reason: e }))
            })
            .transpose()
    };
    Ok(UnshareRequest {
        kinds: parse_kinds(&args.kinds)?,
        hostname: args.hostname.clone(),
        map_root_to,
        monotonic_offset: offset(&args.monotonic_offset, "--monotonic-offset")?,
        boottime_offset: offset(&args.boottime_offset, "--boottime-offset")?,
    })
}

pub fn run(args: &UnshareArgs, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    let req = parse_request(args)?;
    match step(&args.name, &req, args.join.as_deref(), ctx, typed)? {
        Some(record) => ctx.show(Said::new(crate::model::when_json(&ctx.root, &record), report(&record, &req))),
        None => Ok(0),
    }
}

/// The step itself (for `build` too): the box's record after it, None for
/// a dry run.
pub fn unshare(name: &str, req: &UnshareRequest, ctx: &Ctx, typed: Vec<String>) -> Result<Option<BoxRecord>> {
    step(name, req, None, ctx, typed)
}

/// New namespaces, or (`join`) another box's shared.
fn step(
    name: &str,
    req: &UnshareRequest,
    join: Option<&str>,
    ctx: &Ctx,
    typed: Vec<String>,
) -> Result<Option<BoxRecord>> {
    let (_lock, record) = ctx.open(name)?;
    // The other box stays as it is while its namespaces are entered (its own
    // lock: an `rm` of it waits). Joining itself is refused by the plan.
    let other = match join {
        Some(o) if o == name => Some((None, record.clone())),
        Some(o) => Some(ctx.open_any(o).map(|(lock, r)| (Some(lock), r))?),
        None => None,
    };
    let plan = match &other {
        Some((_, o)) => stage::share::plan_join(&ctx.root, &record, o, req, &host_facts())?,
        None => stage::plan_unshare(&ctx.root, &record, req, &host_facts())?,
    };
    if ctx.dry_run_shows(&plan) {
        return Ok(None);
    }
    let args_name = name;
    let starts_init = plan.ops.iter().any(Op::is_start_init);
    let unrecorded = starts_init.then(|| Unrecorded::mark(&ctx.root, args_name)).transpose()?;
    let failed = |e: Error| -> Result<Option<BoxRecord>> {
        crate::teardown::remove_unrecorded(&ctx.root, &record);
        Err(e)
    };
    let mut applied = match apply_unconfirmed(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() }) {
        Ok(a) => a,
        Err(e) => return failed(e.into()),
    };
    // The record is written and fsync'd while the init execs, and put in
    // place once it has.
    let mut next = record.clone();
    let other = other.map(|(_, o)| o);
    let drafted = remember(&mut next, &plan.ops, &applied, req, other.as_ref()).and_then(|()| {
        next.record_step(typed, plan.clone());
        Ok(next.draft(&ctx.root)?)
    });
    // An init that failed before its exec may be why the record could not
    // be made (it was reaped): its own failure is the one to report.
    if let Err(e) = applied.init_confirmed(&plan) {
        return failed(e.into());
    }
    let draft = match drafted {
        Ok(draft) => draft,
        Err(e) => return failed(e),
    };
    draft.publish()?;
    let record = next;
    if let Some(u) = unrecorded {
        u.recorded();
    }
    Ok(Some(record))
}

/// Writes down what the step made, read back from the kernel.
fn remember(
    record: &mut BoxRecord,
    ops: &[Op],
    applied: &Applied,
    req: &UnshareRequest,
    other: Option<&BoxRecord>,
) -> Result<()> {
    let shared = |kind: NamespaceKind| {
        other.map(|o| SharedFrom { joined: o.name.clone(), made_by: o.maker(kind).unwrap_or(&o.name).to_string() })
    };
    for op in ops {
        if let Some(op::Hold { kind, path }) = op.as_ns_host() {
            let inode = ns::inode(path)?;
            let holder = Holder::BindMount { path: path.clone() };
            record.namespaces.insert(*kind, HeldNamespace { inode, holder, shared: shared(*kind) });
        }
    }
    if let Some(o) = other {
        // Only its init holds a PID namespace: the other box's, which it noted.
        if let Some(held) = o.namespaces.get(&NamespaceKind::Pid).filter(|_| req.kinds.contains(&NamespaceKind::Pid)) {
            let shared = shared(NamespaceKind::Pid);
            record.namespaces.insert(NamespaceKind::Pid, HeldNamespace { shared, ..held.clone() });
        }
        return Ok(());
    }
    if req.kinds.contains(&NamespaceKind::Pid) {
        let pid = applied.init.expect("a pid step starts an init");
        let init = proc::ProcRef::of(pid).ok_or(UsageError::InitExited {})?;
        let inode = proc::ns_inode(pid, "pid").unwrap_or(0);
        record.namespaces.insert(
            NamespaceKind::Pid,
            HeldNamespace { inode, holder: Holder::Process { pid, start_time: init.start_time }, shared: None },
        );
        record.init = Some(init);
    }
    if req.kinds.contains(&NamespaceKind::Uts) {
        record.hostname = Some(req.hostname.clone().unwrap_or_else(|| record.name.clone()));
    }
    if req.kinds.contains(&NamespaceKind::User) {
        record.id_map = Some(IdMap {
            outside: req.map_root_to.unwrap_or(stage::user::DEFAULT_ROOT_UID),
            count: stage::user::RANGE,
        });
    }
    if req.kinds.contains(&NamespaceKind::Time) {
        record.time_offsets = Some((req.monotonic_offset.unwrap_or(0), req.boottime_offset.unwrap_or(0)));
    }
    Ok(())
}

/// What the step says: each new namespace, what holds it, what it isolates.
fn report(record: &BoxRecord, req: &UnshareRequest) -> String {
    let host = crate::model::reference::host_namespaces();
    let mut out = String::new();
    for kind in &req.kinds {
        let held = &record.namespaces[kind];
        let host_inode = host.inode(*kind).map_or("-".into(), |i| i.to_string());
        let by = match (&held.holder, &held.shared) {
            (Holder::BindMount { path }, _) => tr!("step-ns-held-by-mount", path = path),
            (Holder::Process { pid, .. }, None) => tr!("step-ns-held-by-init", pid = pid),
            (Holder::Process { pid, .. }, Some(s)) => format!("held by box {}'s init, host pid {pid}", s.made_by),
        };
        let kind_name = format!("{:<6}", kind.name());
        let line = tr!("step-ns-line", kind = kind_name, inode = held.inode, host = host_inode, by = by);
        out.push_str(&format!("{line}\n"));
        if let Some(s) = &held.shared {
            out.push_str(&format!("       shared with box {} (made by box {})\n", s.joined, s.made_by));
        }
        let isolates = crate::i18n::term(&format!("isolates-{}", kind.name()));
        out.push_str(&format!("       {}\n", tr!("step-ns-isolates", what = isolates)));
    }
    out
}

/// What the unshare planner needs of the host (see `stage::UnshareFacts`).
pub fn host_facts() -> stage::UnshareFacts {
    stage::UnshareFacts::gather(std::path::Path::new(crate::sys::proc::PROC_ROOT))
}
