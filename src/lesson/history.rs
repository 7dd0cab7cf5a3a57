//! Checks on the order of a box's recorded steps. Where a lesson says "the
//! order matters" (limits before the cgroup namespace, the volume mounted
//! before the write), the end state may not show it: the history does.
//! A removed box's history is read from the record `rm` kept.

use super::check::Outcome;
use crate::state::{BoxRecord, Root, Step};

/// What a step is matched on: the command as typed and the syscall face of
/// each of its operations (`unshare(CLONE_NEWCGROUP)` however it was asked).
fn matches(step: &Step, text: &str) -> bool {
    step.command.join(" ").contains(text) || step.plan.ops.iter().any(|op| op.faces().syscall.contains(text))
}

/// The step numbers matching `texts` in order, as far as they go.
fn matched_in_order(steps: &[Step], texts: &[String]) -> Vec<usize> {
    let mut found = vec![];
    let mut from = 0;
    for text in texts {
        match steps[from..].iter().position(|s| matches(s, text)) {
            Some(i) => {
                found.push(steps[from + i].n);
                from += i + 1;
            }
            None => break,
        }
    }
    found
}

/// Whether a recorded step of the box (or of the box removed) matches `text`.
pub fn any_step_matches(root: &Root, name: &str, text: &str) -> bool {
    let record = BoxRecord::load(root, name).ok().or_else(|| crate::model::removed::load(root, name));
    record.is_some_and(|r| r.steps.iter().any(|s| matches(s, text)))
}

pub fn in_order(root: &Root, name: &str, exists: bool, texts: &[String]) -> Outcome {
    let expected = format!(
        "box {name}'s steps, in this order: {}",
        texts.iter().map(|t| format!("{t:?}")).collect::<Vec<_>>().join(", then ")
    );
    let record = if exists { BoxRecord::load(root, name).ok() } else { crate::model::removed::load(root, name) };
    let Some(record) = record else {
        return Outcome::Failed { expected, actual: format!("there is no box {name}, and no record of one removed") };
    };
    let found = matched_in_order(&record.steps, texts);
    if found.len() == texts.len() {
        return Outcome::Passed;
    }
    let missing = &texts[found.len()];
    let actual = match found.last() {
        None => format!("no step of box {name} matches {missing:?}"),
        Some(n) => match record.steps.iter().find(|s| matches(s, missing)) {
            Some(s) => format!(
                "step {} ({}) matches {missing:?}, but it came before step {n}, which it must follow",
                s.n,
                s.command_line()
            ),
            None => format!("no step of box {name} matches {missing:?}"),
        },
    };
    Outcome::Failed { expected, actual }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Op, Plan, op};
    use crate::stage::NamespaceKind;

    fn step(n: usize, cmd: &str, ops: Vec<Op>) -> Step {
        Step { n, at: 0, command: cmd.split(' ').map(String::from).collect(), plan: Plan::new(ops), cause: None }
    }

    #[test]
    fn steps_match_by_command_or_syscall_in_order() {
        let limit = step(1, "glassbox limit b --pids 9", vec![]);
        let cgroupns = step(2, "glassbox unshare b all", vec![op::Unshare { kind: NamespaceKind::Cgroup }.into()]);
        let texts = ["limit b".to_string(), "CLONE_NEWCGROUP".to_string()];
        assert_eq!(matched_in_order(&[limit.clone(), cgroupns.clone()], &texts), [1, 2]);
        let (mut late, mut early) = (limit, cgroupns);
        late.n = 2;
        early.n = 1;
        assert_eq!(matched_in_order(&[early, late], &texts), [2], "the limit came after: nothing follows it");
    }

    #[test]
    fn a_later_repeat_in_the_right_order_counts() {
        let steps = [
            step(1, "glassbox run a -- sh -c echo > /data/note", vec![]),
            step(2, "glassbox volume add a v:/data", vec![]),
            step(3, "glassbox run a -- sh -c echo > /data/note", vec![]),
        ];
        assert_eq!(matched_in_order(&steps, &["volume add a".into(), "/data/note".into()]), [2, 3]);
    }
}
