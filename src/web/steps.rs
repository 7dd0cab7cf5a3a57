//! The step timeline: when each step ran, what it ran, the operations it
//! made, and what the model showed before and after it (`timeline`).

use super::timeline::{DiffLine, Snapshots};
use super::views::count;
use super::words::{fact_value, fact_what, tr, word};
use crate::model::BoxModel;

pub struct OpView {
    /// `host` or `helper` (the class); `actor_text` in words.
    pub actor: String,
    pub actor_text: String,
    pub syscall: String,
    pub shell: String,
    pub why: String,
}

/// The API request that made a run of steps (issue 27: the request and
/// its steps side by side), shown above the first of them.
pub struct RequestView {
    pub via: String,
    pub method: String,
    pub path: String,
    /// `sha256:` and the first 12 hex digits of the body's digest; empty without a body.
    pub body: String,
    /// "step 4" or "steps 4–8".
    pub steps: String,
}

pub struct StepView {
    pub n: usize,
    /// The request of this step and of the steps before it in the same run.
    pub cause: Option<String>,
    /// Set on the first step of a run made by one request.
    pub request: Option<RequestView>,
    pub command: String,
    /// `HH:MM:SS` (UTC) and the full date and time for `<time datetime>`.
    pub clock: String,
    pub iso: String,
    /// Seconds after the box was made.
    pub after: String,
    pub ops_count: String,
    pub ops: Vec<OpView>,
    /// What the model showed differently after the step; None when `serve`
    /// did not see the box before it.
    pub changes: Option<Vec<DiffLine>>,
    pub newest: bool,
}

pub fn steps(m: &BoxModel, seen: &Snapshots) -> Vec<StepView> {
    let last = m.steps.len();
    m.steps
        .iter()
        .enumerate()
        .map(|(i, s)| StepView {
            n: s.n,
            cause: s.cause.as_ref().map(|c| c.line()),
            request: request(m, i),
            command: s.command.clone(),
            clock: clock(s.at),
            iso: iso(s.at),
            after: tr("web-after", &[("n", s.at.saturating_sub(m.created_at).to_string())]),
            ops_count: count(s.ops.len(), "operation", "operations"),
            ops: s
                .ops
                .iter()
                .map(|f| OpView {
                    actor: format!("{:?}", f.actor).to_lowercase(),
                    actor_text: word("web-actor", &format!("{:?}", f.actor).to_lowercase()),
                    syscall: f.syscall.clone(),
                    shell: f.shell.clone(),
                    // The model's why is in the command's language; the
                    // page shows it in the reader's.
                    why: crate::i18n::recorded_in(super::lang::lang(), &f.why),
                })
                .collect(),
            changes: seen.changes(&m.name, s.n).map(|lines| lines.into_iter().map(in_words).collect()),
            newest: s.n == last,
        })
        .collect()
}

/// The request of step `i`, when it is the first of the run of steps that request made.
fn request(m: &BoxModel, i: usize) -> Option<RequestView> {
    let cause = m.steps[i].cause.as_ref()?;
    if i > 0 && m.steps[i - 1].cause.as_ref() == Some(cause) {
        return None;
    }
    let run = m.steps[i..].iter().take_while(|s| s.cause.as_ref() == Some(cause)).count();
    let (first, last) = (m.steps[i].n, m.steps[i + run - 1].n);
    Some(RequestView {
        via: cause.via.clone(),
        method: cause.method.clone(),
        path: cause.path.clone(),
        body: cause.body.as_deref().map(crate::state::cause::short).unwrap_or_default(),
        steps: if run == 1 {
            tr("web-request-step", &[("first", first.to_string())])
        } else {
            tr("web-request-steps", &[("first", first.to_string()), ("last", last.to_string())])
        },
    })
}

/// A difference line in the reader's words (the facts are kept in English).
fn in_words(d: DiffLine) -> DiffLine {
    DiffLine { what: fact_what(&d.what), before: fact_value(&d.before), after: fact_value(&d.after) }
}

fn clock(at: u64) -> String {
    let s = at % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn iso(at: u64) -> String {
    let (y, m, d) = crate::output::time::civil_from_days((at / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}T{}Z", clock(at))
}

#[cfg(test)]
mod tests {
    use crate::model::StepModel;
    use crate::state::cause::Cause;

    #[test]
    fn a_request_shows_once_above_the_run_of_steps_it_made() {
        let mut m = super::super::tests::fixture_box("demo");
        let post = Cause::new("docker API", "POST", "/v1.47/containers/create?name=web", b"{}");
        let step = |n: usize, cause: Option<&Cause>| StepModel {
            n,
            at: 0,
            command: format!("step {n}"),
            cause: cause.cloned(),
            ops: vec![],
            makes: vec![],
        };
        m.steps = vec![step(1, None), step(2, Some(&post)), step(3, Some(&post)), step(4, None)];
        let seen = super::super::timeline::Snapshots::default();
        let views = super::steps(&m, &seen);
        let requests: Vec<_> = views.iter().map(|v| v.request.as_ref().map(|r| r.steps.clone())).collect();
        assert_eq!(requests, [None, Some("steps 2–3".to_string()), None, None]);
        let r = views[1].request.as_ref().unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v1.47/containers/create?name=web"));
        assert!(r.body.starts_with("sha256:") && r.body.len() == 19, "a short digest: {}", r.body);
        assert!(views[2].cause.as_deref().is_some_and(|c| c.starts_with("POST ")) && views[3].cause.is_none());
    }

    #[test]
    fn step_times_are_utc_dates() {
        assert_eq!(super::iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(super::iso(951_782_400), "2000-02-29T00:00:00Z");
    }
}
