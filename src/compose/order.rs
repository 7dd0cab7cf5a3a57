//! Which service starts when: `depends_on` (and `network_mode: service:X`,
//! which needs X's network namespace) as waves. Each wave's services
//! depend only on earlier waves, so `up` starts one wave's services in
//! parallel and the next wave after them. A cycle, or a dependency on a
//! service the file does not have, is refused before anything is made.

use super::ComposeError;
use super::resolve::{Network, Service};
use super::spec::{self, Condition, DependsOn};
use std::collections::BTreeMap;

pub fn dependencies(s: &spec::Service) -> Vec<(String, Condition)> {
    match &s.depends_on {
        None => vec![],
        Some(DependsOn::List(l)) => l.iter().map(|n| (n.clone(), Condition::Started)).collect(),
        Some(DependsOn::Map(m)) => m.iter().map(|(n, d)| (n.clone(), d.condition)).collect(),
    }
}

/// The services a service waits for, by name.
fn needs(s: &Service) -> Vec<String> {
    let mut out: Vec<String> = s.depends_on.iter().map(|(n, _)| n.clone()).collect();
    if let Network::Service(n) = &s.network {
        out.push(n.clone());
    }
    out
}

/// The services in waves, each in name order.
pub fn waves(services: &BTreeMap<String, Service>) -> Result<Vec<Vec<String>>, ComposeError> {
    for s in services.values() {
        for (dep, condition) in &s.depends_on {
            let Some(target) = services.get(dep) else {
                return Err(ComposeError::Bad(format!(
                    "services.{}.depends_on: no service named {dep:?} in this file",
                    s.name
                )));
            };
            if *condition == Condition::Healthy && target.health.is_none() {
                return Err(ComposeError::Bad(format!(
                    "services.{}.depends_on: {dep} has no healthcheck, so it can never be service_healthy: give {dep} a healthcheck",
                    s.name
                )));
            }
        }
        if let Network::Service(n) = &s.network
            && !services.contains_key(n)
        {
            return Err(ComposeError::Bad(format!("services.{}.network_mode: no service named {n:?}", s.name)));
        }
    }
    let mut placed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out: Vec<Vec<String>> = vec![];
    while placed.len() < services.len() {
        let ready: Vec<String> = services
            .values()
            .filter(|s| !placed.contains_key(s.name.as_str()))
            .filter(|s| needs(s).iter().all(|d| placed.contains_key(d.as_str())))
            .map(|s| s.name.clone())
            .collect();
        if ready.is_empty() {
            let left: Vec<&str> = services.keys().map(String::as_str).filter(|n| !placed.contains_key(n)).collect();
            return Err(ComposeError::Bad(format!(
                "depends_on makes a cycle among {}: each would wait for the other; remove one of the dependencies",
                left.join(", ")
            )));
        }
        for n in &ready {
            placed.insert(services.get_key_value(n).map(|(k, _)| k.as_str()).unwrap_or(""), out.len());
        }
        out.push(ready);
    }
    Ok(out)
}
