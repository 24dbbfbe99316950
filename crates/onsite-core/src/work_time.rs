//! Time on site, from a job's work entries: the technician starts and stops a timer, from one
//! laptop or several, and the job shows the time worked and whether the timer runs.

use chrono::{DateTime, Utc};
use onsite_protocol::Change;
use serde::{Deserialize, Serialize};

/// The time worked on a job.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WorkTime {
    /// Seconds in finished stretches of work (each from a start to the stop after it).
    pub seconds: u64,
    /// When the running stretch started, if the timer runs; the time shown is then
    /// `seconds` plus the time since.
    pub running_since: Option<DateTime<Utc>>,
}

/// Adds up work entries given in clock order. A start while the timer already runs (a second
/// laptop) keeps the earlier start; a stop without a start counts nothing; a stop stamped
/// before its start (a laptop clock set back) counts zero rather than negative time.
pub fn total<'a>(changes: impl IntoIterator<Item = &'a Change>) -> WorkTime {
    let mut time = WorkTime::default();
    for change in changes {
        match change {
            Change::WorkStarted { at } => {
                time.running_since.get_or_insert(*at);
            }
            Change::WorkStopped { at } => {
                if let Some(start) = time.running_since.take() {
                    let worked = (*at - start).num_seconds().max(0);
                    time.seconds += u64::try_from(worked).unwrap_or(0);
                }
            }
            _ => {}
        }
    }
    time
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hm: &str) -> DateTime<Utc> {
        format!("2026-11-23T{hm}:00Z").parse().unwrap()
    }

    #[test]
    fn table() {
        let start = |hm| Change::WorkStarted { at: at(hm) };
        let stop = |hm| Change::WorkStopped { at: at(hm) };
        let note = Change::Note { text: "x".into() };
        let cases: Vec<(Vec<Change>, WorkTime)> = vec![
            (vec![], WorkTime::default()),
            (
                vec![start("09:00"), note.clone(), stop("10:30")],
                WorkTime {
                    seconds: 5400,
                    running_since: None,
                },
            ),
            (
                vec![start("09:00"), stop("09:30"), start("11:00")],
                WorkTime {
                    seconds: 1800,
                    running_since: Some(at("11:00")),
                },
            ),
            // Two laptops both started: the earlier start counts, once.
            (
                vec![start("09:00"), start("09:10"), stop("10:00")],
                WorkTime {
                    seconds: 3600,
                    running_since: None,
                },
            ),
            (vec![stop("10:00")], WorkTime::default()),
            (vec![start("10:00"), stop("09:00")], WorkTime::default()),
        ];
        for (changes, want) in cases {
            assert_eq!(total(&changes), want, "{changes:?}");
        }
    }
}
