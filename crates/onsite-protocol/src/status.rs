//! The job status state machine, enforced on both sides: the device refuses a technician
//! transition it knows HQ would refuse, and HQ judges every transition it receives.

use crate::model::string_enum;

string_enum!(
    /// Where a job is in its life cycle.
    JobStatus {
        /// Created at HQ, nobody assigned yet.
        New => "new",
        /// Assigned to a technician, not started.
        Assigned => "assigned",
        /// The technician is travelling to the site.
        EnRoute => "en_route",
        /// The technician is at the site working.
        OnSite => "on_site",
        /// Work paused until spare parts arrive.
        WaitingParts => "waiting_parts",
        /// Work finished on site.
        Completed => "completed",
        /// Called off by HQ.
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// Who asks for a status change.
    Actor {
        /// The assigned technician, from their device.
        Technician => "technician",
        /// A dispatcher or admin at HQ.
        Hq => "hq",
    }
);

/// Every allowed transition and who may make it. Anything not listed is refused.
pub const TRANSITIONS: &[(JobStatus, JobStatus, Actor)] = {
    use Actor::{Hq, Technician as Tech};
    use JobStatus::*;
    &[
        (New, Assigned, Hq),
        (Assigned, New, Hq),
        (Assigned, EnRoute, Tech),
        (Assigned, OnSite, Tech),
        (EnRoute, OnSite, Tech),
        (EnRoute, Assigned, Tech),
        (OnSite, WaitingParts, Tech),
        (OnSite, Completed, Tech),
        (WaitingParts, EnRoute, Tech),
        (WaitingParts, OnSite, Tech),
        (WaitingParts, Assigned, Hq),
        (New, Cancelled, Hq),
        (Assigned, Cancelled, Hq),
        (EnRoute, Cancelled, Hq),
        (OnSite, Cancelled, Hq),
        (WaitingParts, Cancelled, Hq),
        (Completed, Assigned, Hq),
        (Cancelled, New, Hq),
    ]
};

/// Why a status change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The job is already in that status.
    #[error("job is already {0}")]
    Unchanged(JobStatus),
    /// The transition exists but belongs to the other actor (e.g. only HQ cancels).
    #[error("{from} → {to} can only be done by {allowed}")]
    WrongActor {
        /// Current status.
        from: JobStatus,
        /// Requested status.
        to: JobStatus,
        /// Who may make this transition.
        allowed: Actor,
    },
    /// No actor may make this transition.
    #[error("a job cannot go from {from} to {to}")]
    NotAllowed {
        /// Current status.
        from: JobStatus,
        /// Requested status.
        to: JobStatus,
    },
}

impl JobStatus {
    /// Checks whether `actor` may move a job from `self` to `to`.
    ///
    /// # Errors
    /// [`TransitionError`] says whether the status is unchanged, the transition belongs to the
    /// other actor, or does not exist at all.
    pub fn transition(self, to: JobStatus, actor: Actor) -> Result<(), TransitionError> {
        if self == to {
            return Err(TransitionError::Unchanged(to));
        }
        match TRANSITIONS.iter().find(|(f, t, _)| *f == self && *t == to) {
            Some((_, _, allowed)) if *allowed == actor => Ok(()),
            Some((_, _, allowed)) => Err(TransitionError::WrongActor {
                from: self,
                to,
                allowed: *allowed,
            }),
            None => Err(TransitionError::NotAllowed { from: self, to }),
        }
    }

    /// Statuses in which the job is finished and nothing more is expected on site.
    pub fn is_closed(self) -> bool {
        matches!(self, JobStatus::Completed | JobStatus::Cancelled)
    }

    /// The moves a technician may make from `self`, forward moves first (in [`TRANSITIONS`]
    /// order), then the steps back. A front end offers the forward moves as the visit's next
    /// actions and a step back only as an undo of a move made by mistake.
    pub fn technician_moves(self) -> Vec<(JobStatus, Step)> {
        let mut moves: Vec<_> = TRANSITIONS
            .iter()
            .filter(|(from, _, actor)| *from == self && *actor == Actor::Technician)
            .map(|&(from, to, _)| (to, Step::of(from, to)))
            .collect();
        moves.sort_by_key(|(_, step)| *step == Step::Undo);
        moves
    }
}

/// Which way a technician's status move goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Along the visit: setting off, arriving, pausing for parts, resuming, completing.
    Forward,
    /// Back to where the job was before the last move (the technician set off by mistake).
    Undo,
}

/// Technician moves that take a job back rather than along its visit. Leaving "waiting for
/// parts" to set off or to carry on is resuming the visit, not undoing anything.
const UNDOS: &[(JobStatus, JobStatus)] = &[(JobStatus::EnRoute, JobStatus::Assigned)];

impl Step {
    /// Whether moving `from` → `to` goes forward or undoes.
    pub fn of(from: JobStatus, to: JobStatus) -> Step {
        if UNDOS.contains(&(from, to)) {
            Step::Undo
        } else {
            Step::Forward
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::{Hq, Technician as Tech};
    use JobStatus::*;

    /// The whole machine as a table: every (from, to) pair and who may do it. A new status or a
    /// changed rule must be written here, deliberately.
    #[test]
    fn every_pair_of_statuses_follows_the_table() {
        let expected: &[(JobStatus, JobStatus, Option<Actor>)] = &[
            (New, Assigned, Some(Hq)),
            (New, EnRoute, None),
            (New, OnSite, None),
            (New, Completed, None),
            (New, Cancelled, Some(Hq)),
            (Assigned, New, Some(Hq)),
            (Assigned, EnRoute, Some(Tech)),
            (Assigned, OnSite, Some(Tech)),
            (Assigned, WaitingParts, None),
            (Assigned, Completed, None),
            (Assigned, Cancelled, Some(Hq)),
            (EnRoute, OnSite, Some(Tech)),
            (EnRoute, Assigned, Some(Tech)),
            (EnRoute, Completed, None),
            (EnRoute, Cancelled, Some(Hq)),
            (OnSite, WaitingParts, Some(Tech)),
            (OnSite, Completed, Some(Tech)),
            (OnSite, Assigned, None),
            (OnSite, Cancelled, Some(Hq)),
            (WaitingParts, OnSite, Some(Tech)),
            (WaitingParts, EnRoute, Some(Tech)),
            (WaitingParts, Assigned, Some(Hq)),
            (WaitingParts, Completed, None),
            (WaitingParts, Cancelled, Some(Hq)),
            (Completed, Assigned, Some(Hq)),
            (Completed, OnSite, None),
            (Completed, Cancelled, None),
            (Cancelled, New, Some(Hq)),
            (Cancelled, Assigned, None),
            (Cancelled, Completed, None),
        ];
        for &(from, to, who) in expected {
            for actor in [Tech, Hq] {
                let got = from.transition(to, actor);
                match who {
                    Some(a) if a == actor => assert_eq!(got, Ok(()), "{from} → {to} by {actor}"),
                    Some(a) => assert_eq!(
                        got,
                        Err(TransitionError::WrongActor {
                            from,
                            to,
                            allowed: a
                        }),
                        "{from} → {to} by {actor}"
                    ),
                    None => assert_eq!(
                        got,
                        Err(TransitionError::NotAllowed { from, to }),
                        "{from} → {to} by {actor}"
                    ),
                }
            }
        }
        // The table above covers every allowed transition exactly once.
        let allowed_in_table = expected.iter().filter(|(_, _, w)| w.is_some()).count();
        assert_eq!(allowed_in_table, TRANSITIONS.len());
    }

    /// What a technician is offered from each status: forward moves, then undos.
    #[test]
    fn technician_moves_put_forward_moves_first() {
        use Step::{Forward, Undo};
        let expected: &[(JobStatus, &[(JobStatus, Step)])] = &[
            (New, &[]),
            (Assigned, &[(EnRoute, Forward), (OnSite, Forward)]),
            (EnRoute, &[(OnSite, Forward), (Assigned, Undo)]),
            (OnSite, &[(WaitingParts, Forward), (Completed, Forward)]),
            (WaitingParts, &[(EnRoute, Forward), (OnSite, Forward)]),
            (Completed, &[]),
            (Cancelled, &[]),
        ];
        for &(from, moves) in expected {
            assert_eq!(from.technician_moves(), moves, "from {from}");
        }
        assert_eq!(expected.len(), JobStatus::ALL.len());
        // Every undo is a move a technician may make at all.
        for &(from, to) in UNDOS {
            assert_eq!(from.transition(to, Tech), Ok(()));
        }
    }

    #[test]
    fn same_status_is_unchanged_not_a_transition() {
        for &s in JobStatus::ALL {
            assert_eq!(s.transition(s, Hq), Err(TransitionError::Unchanged(s)));
        }
    }

    #[test]
    fn only_hq_cancels() {
        for &s in JobStatus::ALL {
            assert!(
                s.transition(Cancelled, Tech).is_err(),
                "technician cancelled from {s}"
            );
        }
    }

    #[test]
    fn no_duplicate_rules() {
        for (i, a) in TRANSITIONS.iter().enumerate() {
            for b in &TRANSITIONS[i + 1..] {
                assert!(!(a.0 == b.0 && a.1 == b.1), "duplicate rule {a:?}");
            }
        }
    }

    #[test]
    fn parse_errors_list_accepted_values() {
        let err = "done".parse::<JobStatus>().unwrap_err();
        assert!(err.to_string().contains("completed"), "{err}");
        assert_eq!("on_site".parse::<JobStatus>(), Ok(OnSite));
    }
}
