//! The step timeline: when each step ran, what it ran, the operations it
//! made, and what the model showed before and after it (`timeline`).

use super::timeline::{DiffLine, Snapshots};
use super::views::count;
use crate::model::BoxModel;

pub struct OpView {
    pub actor: String,
    pub syscall: String,
    pub shell: String,
    pub why: String,
}

pub struct StepView {
    pub n: usize,
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
        .map(|s| StepView {
            n: s.n,
            command: s.command.clone(),
            clock: clock(s.at),
            iso: iso(s.at),
            after: format!("+{}s", s.at.saturating_sub(m.created_at)),
            ops_count: count(s.ops.len(), "operation", "operations"),
            ops: s
                .ops
                .iter()
                .map(|f| OpView {
                    actor: format!("{:?}", f.actor).to_lowercase(),
                    syscall: f.syscall.clone(),
                    shell: f.shell.clone(),
                    why: f.why.clone(),
                })
                .collect(),
            changes: seen.changes(&m.name, s.n),
            newest: s.n == last,
        })
        .collect()
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
    #[test]
    fn step_times_are_utc_dates() {
        assert_eq!(super::iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(super::iso(951_782_400), "2000-02-29T00:00:00Z");
    }
}
