//! `glassbox compose ps`: the project's boxes, with their health, their
//! place in the service's pool, whether each runs the image the file names
//! now (old or new during a rolling update), and each service's last rollout.
//!
//! The healthcheck runs once per running replica as ps is asked; a replica
//! that fails it is taken out of its pool (no new connection goes to it)
//! and one that passes again is put back.

use super::Ctx;
use crate::compose::health::{self, Status};
use crate::compose::plan::{Known, pool_name};
use crate::compose::project::Project;
use crate::compose::runner::Steps;
use crate::compose::{hosts, update};
use crate::error::Result;
use crate::pool::MemberState;
use crate::state::BoxState;

#[derive(serde::Serialize)]
struct PsRow {
    name: String,
    service: String,
    state: String,
    image: Option<String>,
    /// The image the file names now; `up_to_date` false: an old replica.
    wanted_image: Option<String>,
    up_to_date: bool,
    address: Option<String>,
    ports: Vec<String>,
    /// serving, draining or out in the service's pool.
    pool: Option<MemberState>,
    health: Option<Status>,
    health_output: Option<String>,
    /// The service's last rolling update.
    rollout: Option<update::Record>,
}

pub fn ps(p: &Project, ctx: &Ctx) -> Result<u8> {
    let steps = Steps::new(&ctx.root, false, "ps", &p.name)?;
    let known = super::compose::here(ctx);
    let pools = crate::pool::all(&ctx.root);
    let rows: Vec<PsRow> = hosts::members(&ctx.root, &p.name)
        .into_iter()
        .map(|r| {
            let service = hosts::service_of(&p.name, &r.name).to_string();
            let state = r.state();
            let wanted = p.services.get(&service);
            let checked = wanted
                .and_then(|s| s.health.as_ref())
                .filter(|_| state == BoxState::Running)
                .map(|h| health::check(&steps, &r.name, h));
            let pool = pools.iter().find(|x| x.name == pool_name(&p.name, &service));
            let mut member = pool.and_then(|x| x.members.iter().find(|m| m.name == r.name)).map(|m| m.state);
            let verdict = match (member, checked.as_ref().map(|c| c.0)) {
                (Some(MemberState::Serving), Some(Status::Unhealthy)) => Some(MemberState::Out),
                (Some(MemberState::Out), Some(Status::Healthy)) => Some(MemberState::Serving),
                _ => None,
            };
            if let Some(v) = verdict
                && crate::pool::mark(&ctx.root, &pool_name(&p.name, &service), &r.name, v).unwrap_or(false)
            {
                member = Some(v);
            }
            let mut ports: Vec<String> = r
                .net
                .iter()
                .flat_map(|n| &n.published)
                .map(|x| format!("127.0.0.1:{}->{}", x.host_port, x.box_port))
                .collect();
            if member.is_some() {
                let shared = pool.iter().flat_map(|x| &x.ports);
                ports.extend(shared.map(|x| format!("127.0.0.1:{}->{} (pool)", x.host_port, x.box_port)));
            }
            let layers = wanted.and_then(|s| known.image_layers(&s.image));
            PsRow {
                state: state.to_string(),
                image: r.image.clone(),
                wanted_image: wanted.map(|s| s.image.clone()),
                up_to_date: wanted.is_some_and(|s| update::current(&r, &s.image, layers.as_deref())),
                address: r.net.as_ref().map(|n| n.address.to_string()),
                ports,
                pool: member,
                health: checked.as_ref().map(|c| c.0),
                health_output: checked.map(|c| c.1).filter(|s| !s.is_empty()),
                rollout: update::Record::load(&ctx.root, &p.name, &service),
                service,
                name: r.name,
            }
        })
        .collect();
    if ctx.json {
        ctx.print_json(&rows);
        return Ok(0);
    }
    crate::output::text(&table(&rows));
    Ok(0)
}

fn table(rows: &[PsRow]) -> String {
    let mut out = format!(
        "{:<24} {:<10} {:<9} {:<10} {:<9} {:<18} {:<12} PORTS\n",
        "NAME", "SERVICE", "STATE", "HEALTH", "POOL", "IMAGE", "ADDRESS"
    );
    for r in rows {
        let dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
        let age = if r.up_to_date { "" } else { " (old)" };
        out.push_str(&format!(
            "{:<24} {:<10} {:<9} {:<10} {:<9} {:<18} {:<12} {}\n",
            r.name,
            r.service,
            r.state,
            dash(r.health.map(|h| format!("{h:?}").to_lowercase())),
            dash(r.pool.map(|m| m.to_string())),
            format!("{}{age}", r.image.as_deref().unwrap_or("-")),
            r.address.as_deref().unwrap_or("-"),
            r.ports.join(", ")
        ));
    }
    let mut said: Vec<&str> = vec![];
    for u in rows.iter().filter_map(|r| r.rollout.as_ref()) {
        if said.contains(&u.service.as_str()) {
            continue;
        }
        said.push(&u.service);
        let why = u.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
        out.push_str(&format!("rollout of {} from {} to {}: {}{why}\n", u.service, u.from.join(", "), u.to, u.state));
    }
    out
}
