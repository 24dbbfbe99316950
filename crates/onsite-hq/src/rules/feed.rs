//! Who must hear of a change: the technicians whose change feed a write stamps, so the change
//! reaches their devices on the next pull.

use onsite_protocol::Outcome;

/// Who a change to a job concerns: its technician now, and the one who held it before when it
/// changed hands (their device must drop it).
pub fn on_job_change<'a>(previous: Option<&'a str>, current: Option<&'a str>) -> Vec<&'a str> {
    let mut to: Vec<&str> = current.into_iter().collect();
    to.extend(previous.filter(|p| current != Some(*p)));
    to
}

/// Who must see an op recorded against a job: the job's technician, and the sender when they
/// held the job before it was given away. A refused op changes nothing and is told to nobody
/// (the sender has HQ's answer).
pub fn on_recorded_op<'a>(
    outcome: Outcome,
    holder: Option<&'a str>,
    sender: &'a str,
    sender_held: bool,
) -> Vec<&'a str> {
    if outcome == Outcome::Rejected {
        return Vec::new();
    }
    let mut to: Vec<&str> = holder.into_iter().collect();
    if sender_held && holder != Some(sender) {
        to.push(sender);
    }
    to
}

/// Who may see a settled conflict: the job's technician and the technician who sent the op,
/// once each; storage keeps only those who hold or held the job.
pub fn on_settlement<'a>(holder: Option<&'a str>, sender: &'a str) -> Vec<&'a str> {
    let mut to: Vec<&str> = holder.into_iter().collect();
    if holder != Some(sender) {
        to.push(sender);
    }
    to
}

#[cfg(test)]
mod tests {
    use super::*;
    use Outcome::*;

    #[test]
    fn job_changes() {
        let cases: [(Option<&str>, Option<&str>, &[&str]); 5] = [
            (Some("tina"), Some("tina"), &["tina"]),
            (Some("tina"), Some("tom"), &["tom", "tina"]),
            (None, Some("tom"), &["tom"]),
            (Some("tina"), None, &["tina"]),
            (None, None, &[]),
        ];
        for (previous, current, want) in cases {
            assert_eq!(
                on_job_change(previous, current),
                want,
                "{previous:?} → {current:?}"
            );
        }
    }

    #[test]
    fn recorded_ops() {
        /// (outcome, holder, sender, the sender held the job, who is told)
        type Case = (
            Outcome,
            Option<&'static str>,
            &'static str,
            bool,
            &'static [&'static str],
        );
        let cases: [Case; 5] = [
            (Applied, Some("tina"), "tina", true, &["tina"]),
            (Conflict, Some("tom"), "tina", true, &["tom", "tina"]),
            (Applied, Some("tom"), "tina", false, &["tom"]),
            (Applied, None, "tina", true, &["tina"]),
            (Rejected, Some("tina"), "tina", true, &[]),
        ];
        for (outcome, holder, sender, held, want) in cases {
            assert_eq!(on_recorded_op(outcome, holder, sender, held), want);
        }
    }

    #[test]
    fn settlements() {
        assert_eq!(on_settlement(Some("tina"), "tina"), ["tina"]);
        assert_eq!(on_settlement(Some("tom"), "tina"), ["tom", "tina"]);
        assert_eq!(on_settlement(None, "tina"), ["tina"]);
    }
}
