//! A compose service's rolling update on the overview, under its project:
//! a caption with the phase (updating, done, rolled back and why) and a row
//! per replica with its image, old or new, and its state. Worked out from
//! `model::rollout`; the page refreshes it as it does the boxes (watch.rs
//! also sees the update's record and the replicas' health change).

use crate::i18n::message_in;
use crate::model::rollout::{Age, RolloutModel};
use crate::web::lang::{lang, t};

pub struct RolloutView {
    pub service: String,
    pub title: String,
    /// The phase as the record says it, dashed (the CSS class).
    pub phase: String,
    pub phase_text: String,
    pub reason: Option<String>,
    pub replicas: Vec<ReplicaRow>,
}

pub struct ReplicaRow {
    pub name: String,
    pub image: String,
    /// `old` or `new` (the CSS class), and in words.
    pub age: &'static str,
    pub age_text: String,
    pub state: &'static str,
    pub state_text: String,
}

/// A message of the phase, or the record's word when the phase is one
/// this glassbox does not know (a newer one wrote it).
fn phase_text(phase: &str) -> String {
    let id = format!("web-rollout-phase-{phase}");
    if crate::i18n::has_message(crate::i18n::Lang::En, &id) { t(&id) } else { phase.to_string() }
}

pub fn rollout_view(m: &RolloutModel) -> RolloutView {
    let phase = m.phase.replace(' ', "-");
    let title = message_in(
        lang(),
        "web-rollout",
        &[("service", m.service.clone().into()), ("from", m.from.join(", ").into()), ("to", m.to.clone().into())],
    );
    RolloutView {
        service: m.service.clone(),
        title,
        phase_text: phase_text(&phase),
        phase,
        reason: m.reason.as_ref().map(|r| message_in(lang(), "web-rollout-reason", &[("reason", r.clone().into())])),
        replicas: m
            .replicas
            .iter()
            .map(|r| {
                let age = match r.age {
                    Age::Old => "old",
                    Age::New => "new",
                };
                ReplicaRow {
                    name: r.name.clone(),
                    image: r.image.clone().unwrap_or_else(|| "-".into()),
                    age,
                    age_text: t(&format!("web-image-{age}")),
                    state: r.state.name(),
                    state_text: t(&format!("web-replica-{}", r.state.name())),
                }
            })
            .collect(),
    }
}
