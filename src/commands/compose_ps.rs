//! `glassbox compose ps`: the project's boxes, with their health and
//! restarts, their place in the service's pool, whether each runs the image
//! the file names now (old or new during a rolling update), and each
//! service's last rollout.
//!
//! ps runs no healthcheck and changes nothing: health and restarts are what
//! the project's supervisor recorded, and the pool state what it (and a
//! rolling update) made of them: out of the pool while unhealthy.

use super::Ctx;
use crate::compose::plan::{Known, pool_name};
use crate::compose::project::Project;
use crate::compose::{hosts, update};
use crate::error::Result;
use crate::pool::MemberState;
use crate::state::health::{Health, Status};

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
    /// Restarts the supervisor made (`restart: on-failure`).
    restarts: Option<u32>,
    /// The service's last rolling update.
    rollout: Option<update::Record>,
}

pub fn ps(p: &Project, ctx: &Ctx) -> Result<u8> {
    let known = super::compose::here(ctx);
    let pools = crate::pool::all(&ctx.root);
    let rows: Vec<PsRow> = hosts::members(&ctx.root, &p.name)
        .into_iter()
        .map(|r| {
            let service = hosts::service_of(&p.name, &r.name).to_string();
            let state = r.state();
            let wanted = p.services.get(&service);
            let recorded = Health::load(&ctx.root, Some(&p.name), &r.name);
            let pool = pools.iter().find(|x| x.name == pool_name(&p.name, &service));
            let member = pool.and_then(|x| x.members.iter().find(|m| m.name == r.name)).map(|m| m.state);
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
                health: recorded.as_ref().and_then(|h| h.status),
                health_output: recorded.as_ref().map(|h| h.last_output.clone()).filter(|s| !s.is_empty()),
                restarts: recorded.filter(|h| h.restart_limit.is_some()).map(|h| h.restarts),
                rollout: update::Record::load(&ctx.root, &p.name, &service),
                service,
                name: r.name,
            }
        })
        .collect();
    ctx.show(Rows(rows))
}

/// `compose ps`: a row per box of the project (JSON: the list of rows).
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Rows(Vec<PsRow>);

impl std::fmt::Display for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&table(&self.0))
    }
}

fn table(rows: &[PsRow]) -> String {
    use crate::i18n::{pad, term, tr};
    let widths = [24, 10, 9, 10, 8, 9, 18, 12];
    let head = ["name", "service", "state", "health", "restarts", "pool", "image", "address"];
    let mut out: String =
        head.iter().zip(widths).map(|(h, w)| pad(&term(&format!("compose-col-{h}")), w) + " ").collect();
    out.push_str(&tr!("compose-col-ports"));
    out.push('\n');
    for r in rows {
        let dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
        let age = if r.up_to_date { String::new() } else { format!(" {}", tr!("compose-old")) };
        out.push_str(&format!(
            "{:<24} {:<10} {:<9} {} {:<8} {:<9} {:<18} {:<12} {}\n",
            r.name,
            r.service,
            r.state,
            pad(&dash(r.health.map(|h| term(&format!("health-{h}")))), 10),
            dash(r.restarts.map(|n| n.to_string())),
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
        let (service, from) = (u.service.clone(), u.from.join(", "));
        out.push_str(&tr!(
            "compose-rollout-line",
            service = service,
            from = from,
            to = u.to,
            state = u.state,
            why = why
        ));
        out.push('\n');
    }
    out
}
