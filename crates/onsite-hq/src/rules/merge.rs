//! How HQ judges one op against what it holds: a pure function of the op and the facts HQ
//! looked up, following `onsite_protocol::MERGE_RULES` (through `OpKind::merge`). Storage looks up the facts, calls
//! [`judge`], and carries out the [`Effect`].

use super::clock;
use chrono::{DateTime, Utc};
use onsite_protocol::checklist::{ChecklistTemplate, Missing};
use onsite_protocol::part::Part;
use onsite_protocol::warranty::{self, WarrantyFacts, WarrantyPolicy};
use onsite_protocol::{
    Actor, Change, DeviceId, Hlc, JobStatus, Merge, Op, OpRejection, Outcome, Reason,
};

/// The job as HQ holds it when the op arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobFacts {
    /// Current status.
    pub status: JobStatus,
    /// Current technician.
    pub technician: Option<String>,
    /// Whether the job has an asset (a serial can be corrected).
    pub has_asset: bool,
    /// When HQ created it: no work on it can have happened before.
    pub created_at: DateTime<Utc>,
}

/// What HQ knows that bears on one op.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    /// Username of the session that pushed it.
    pub caller: &'a str,
    /// Device of the session that pushed it.
    pub device: DeviceId,
    /// The job the op names, if it exists.
    pub job: Option<JobFacts>,
    /// Whether the caller ever held the job (it is or was assigned to them).
    pub held_by_caller: bool,
    /// For a correction: the clock stamp of the value HQ holds now, if it was ever stamped.
    pub register: Option<Hlc>,
    /// The content the op names (a photo, a signed report) that HQ holds in full from this
    /// pusher: size by hash.
    pub content: std::collections::HashMap<String, u64>,
    /// HQ's time as it judges the op.
    pub now: DateTime<Utc>,
    /// What HQ holds that bears on a change to the visit record.
    pub visit: VisitFacts,
}

/// What HQ looked up for a change to the visit record; `None` for other changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum VisitFacts {
    /// Nothing to look up.
    #[default]
    None,
    /// For an answer: the template at the version it names, if HQ has it.
    Template(Option<ChecklistTemplate>),
    /// For a part use or request: the part in HQ's catalog, if there.
    Part(Option<Part>),
    /// For a decision: the asset's facts by HQ (none without an asset) and the policy at the
    /// version decided under (if HQ has it).
    Warranty {
        /// HQ's facts of the asset.
        facts: Option<WarrantyFacts>,
        /// The policy version.
        policy: Option<WarrantyPolicy>,
    },
    /// For a correction: the fact it voids, if the job has it applied.
    Voids(Option<VoidTarget>),
    /// For a completion: the required checklist items HQ has no answer for.
    Completion(Vec<Missing>),
    /// For a pin: whether the job pinned its versions already.
    Pinned(bool),
}

/// A fact a correction voids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoidTarget {
    /// The fact as recorded.
    pub change: Change,
    /// Voided already.
    pub voided: bool,
}

/// What HQ must do to its state when recording the op.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing beyond recording the op (a fact, a conflict, a rejection, or a no-op).
    Record,
    /// Move the job to this status.
    SetStatus(JobStatus),
    /// The corrected value (phone or serial) takes this value; the one it replaces goes to
    /// history.
    Correct(String),
    /// The op's value lost to a later one: record it in history only.
    KeepAsLoser,
    /// Parts leave (negative) or come back into (positive) the pusher's van.
    Stock {
        /// The part.
        sku: String,
        /// Units: negative for a use, positive for a voided use.
        qty: i64,
        /// The unit's serial.
        serial: Option<String>,
    },
}

/// The verdict on one op.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    /// `Applied`, `Conflict` or `Rejected`.
    pub outcome: Outcome,
    /// Why, when there is a reason.
    pub reason: Option<Reason>,
    /// Words for people.
    pub message: Option<String>,
    /// What to change.
    pub effect: Effect,
}

impl Judgement {
    fn applied(effect: Effect) -> Self {
        Self {
            outcome: Outcome::Applied,
            reason: None,
            message: None,
            effect,
        }
    }

    fn rejected(r: OpRejection) -> Self {
        Self {
            outcome: Outcome::Rejected,
            reason: Some(r.reason),
            message: Some(r.message),
            effect: Effect::Record,
        }
    }

    fn conflict(reason: Reason, message: String) -> Self {
        Self {
            outcome: Outcome::Conflict,
            reason: Some(reason),
            message: Some(message),
            effect: Effect::Record,
        }
    }
}

/// Judges `op` given `facts`. Never fails: every op gets an outcome that is recorded.
pub fn judge(op: &Op, facts: &Facts<'_>) -> Judgement {
    if op.device_id != facts.device {
        return Judgement::rejected(OpRejection::new(
            Reason::WrongDevice,
            format!(
                "the op names device {}, but this session belongs to device {}",
                op.device_id, facts.device
            ),
        ));
    }
    if let Err(r) = op.change.validate() {
        return Judgement::rejected(r);
    }
    let Some(job) = &facts.job else {
        return Judgement::rejected(OpRejection::new(Reason::UnknownJob, "no such job at HQ"));
    };
    let holds = job.technician.as_deref() == Some(facts.caller);
    if !holds && !facts.held_by_caller {
        return Judgement::rejected(OpRejection::new(
            Reason::NotYourJob,
            "this job is not assigned to you",
        ));
    }
    // Content named by hash is held in full, so the bytes HQ keeps are exactly those the op
    // names: a signed report's hash is the signature's binding to what was signed.
    for named in op.change.content() {
        match facts.content.get(&named.sha256) {
            None => {
                return Judgement::rejected(OpRejection::new(
                    Reason::AttachmentMissing,
                    "HQ has not received this file in full; upload it before sending the op",
                ));
            }
            Some(held) if *held != named.bytes => {
                return Judgement::rejected(OpRejection::new(
                    Reason::InvalidValue,
                    format!(
                        "the op says {} bytes, but the uploaded file has {held}",
                        named.bytes
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    match (op.change.kind().merge(), &op.change) {
        // A closed job takes no more time on site. Stopping a timer that was running when
        // HQ closed the job is still accepted: it ends the time, it adds none.
        (Merge::AppendOnly, Change::WorkStarted { .. }) if job.status.is_closed() => {
            Judgement::rejected(OpRejection::new(
                Reason::JobClosed,
                format!(
                    "the job is {} at HQ, so no more work time can be started on it; \
                     notes and photos are still accepted",
                    job.status
                ),
            ))
        }
        (Merge::AppendOnly, Change::WorkStarted { at } | Change::WorkStopped { at }) => {
            match clock::plausible_time(*at, job.created_at, facts.now) {
                Ok(()) => Judgement::applied(Effect::Record),
                Err(why) => Judgement::rejected(OpRejection::new(Reason::ImplausibleTime, why)),
            }
        }
        (Merge::AppendOnly, Change::PartUsed { .. } | Change::PartsRequested { .. }) => {
            judge_part(&op.change, &facts.visit)
        }
        (Merge::AppendOnly, Change::Voided { .. }) => match &facts.visit {
            VisitFacts::Voids(Some(target)) if target.voided => Judgement::rejected(
                OpRejection::new(Reason::InvalidValue, "that fact is voided already"),
            ),
            VisitFacts::Voids(Some(target)) => Judgement::applied(match &target.change {
                Change::PartUsed {
                    sku, qty, serial, ..
                } => Effect::Stock {
                    sku: sku.clone(),
                    qty: i64::from(*qty),
                    serial: serial.clone(),
                },
                _ => Effect::Record,
            }),
            _ => Judgement::rejected(OpRejection::new(
                Reason::InvalidValue,
                "HQ has no part use or decision on this job to void under that id",
            )),
        },
        (Merge::AppendOnly, _) => Judgement::applied(Effect::Record),
        (Merge::FirstWins, Change::ChecklistPinned { .. }) => {
            if facts.visit == VisitFacts::Pinned(true) {
                Judgement {
                    outcome: Outcome::Applied,
                    reason: Some(Reason::Superseded),
                    message: Some(
                        "the job keeps the checklist versions pinned when work first started"
                            .into(),
                    ),
                    effect: Effect::Record,
                }
            } else {
                Judgement::applied(Effect::Record)
            }
        }
        (
            Merge::LatestPerItem,
            Change::ChecklistAnswer {
                template,
                item,
                value,
            },
        ) => {
            let VisitFacts::Template(Some(t)) = &facts.visit else {
                return Judgement::rejected(OpRejection::new(
                    Reason::UnknownChecklist,
                    format!("HQ has no checklist {}@{}", template.key, template.version),
                ));
            };
            let Some(it) = t.item(item) else {
                return Judgement::rejected(OpRejection::new(
                    Reason::InvalidValue,
                    format!("checklist {:?} has no item {item:?}", t.title),
                ));
            };
            match it.check(value) {
                Ok(_) => Judgement::applied(Effect::Record),
                Err(why) => Judgement::rejected(OpRejection::new(Reason::InvalidValue, why)),
            }
        }
        (Merge::Judged, Change::WarrantyDecided { .. }) => judge_decision(op, job, facts),
        (Merge::StateMachine, Change::Status { to }) => {
            if !holds {
                return Judgement::conflict(
                    Reason::JobReassigned,
                    format!(
                        "the job was given to {} before this change reached HQ",
                        job.technician.as_deref().unwrap_or("nobody")
                    ),
                );
            }
            if job.status == *to {
                return Judgement::applied(Effect::Record);
            }
            if let VisitFacts::Completion(missing) = &facts.visit
                && *to == JobStatus::Completed
                && !missing.is_empty()
            {
                let named: Vec<String> = missing
                    .iter()
                    .map(|m| format!("{}.{} ({})", m.template.key, m.item, m.label))
                    .collect();
                return Judgement::conflict(
                    Reason::ChecklistIncomplete,
                    format!(
                        "You completed the job, but HQ has no answer to {}. A dispatcher \
                         decides; nothing you recorded is lost.",
                        named.join(", ")
                    ),
                );
            }
            match job.status.transition(*to, Actor::Technician) {
                Ok(()) => Judgement::applied(Effect::SetStatus(*to)),
                Err(_) => {
                    Judgement::conflict(Reason::StatusConflict, status_conflict(job.status, *to))
                }
            }
        }
        (Merge::LastWriterWins, change) => {
            // A former holder's correction would reach the new technician as if it were
            // current: like a status change, it waits for a dispatcher.
            if !holds {
                return Judgement::conflict(
                    Reason::JobReassigned,
                    format!(
                        "the job was given to {} before this correction reached HQ; a \
                         dispatcher decides whether it stands",
                        job.technician.as_deref().unwrap_or("nobody")
                    ),
                );
            }
            if matches!(change, Change::AssetSerial { .. }) && !job.has_asset {
                return Judgement::rejected(OpRejection::new(
                    Reason::NoAsset,
                    "this job has no asset whose serial could be corrected",
                ));
            }
            if facts.register.is_some_and(|r| r > op.hlc) {
                return Judgement {
                    outcome: Outcome::Applied,
                    reason: Some(Reason::Superseded),
                    message: Some(
                        "a later correction of this value wins; yours is kept in the history"
                            .into(),
                    ),
                    effect: Effect::KeepAsLoser,
                };
            }
            Judgement::applied(match change {
                Change::ContactPhone { phone: value } | Change::AssetSerial { serial: value } => {
                    Effect::Correct(value.trim().to_string())
                }
                _ => Effect::Record,
            })
        }
        // A kind whose rule does not fit its change cannot come from MERGE_RULES (tested);
        // refuse rather than guess.
        (rule, _) => Judgement::rejected(OpRejection::new(
            Reason::UnknownKind,
            format!("no merge for {} under {rule:?}", op.change.kind()),
        )),
    }
}

fn judge_part(change: &Change, visit: &VisitFacts) -> Judgement {
    let (sku, serial, used) = match change {
        Change::PartUsed {
            sku, serial, qty, ..
        } => (sku, serial.as_ref(), Some(*qty)),
        Change::PartsRequested { sku, .. } => (sku, None, None),
        _ => return Judgement::applied(Effect::Record),
    };
    let VisitFacts::Part(Some(part)) = visit else {
        return Judgement::rejected(OpRejection::new(
            Reason::UnknownPart,
            format!("HQ's parts catalog has no {sku:?}"),
        ));
    };
    let Some(qty) = used else {
        return Judgement::applied(Effect::Record);
    };
    if part.serialized != serial.is_some() {
        return Judgement::rejected(OpRejection::new(
            Reason::InvalidValue,
            if part.serialized {
                format!("{sku} is serialized: the use must give the unit's serial")
            } else {
                format!("{sku} has no serials: the use must give a quantity only")
            },
        ));
    }
    // Never refused for want of stock: the part was really used. A balance below zero is
    // flagged on the van instead.
    Judgement::applied(Effect::Stock {
        sku: sku.clone(),
        qty: -i64::from(qty),
        serial: serial.cloned(),
    })
}

/// A decision is judged again by HQ on its own facts with the same function the laptop used:
/// a remedy or rule HQ does not reach is a conflict, a decision on an asset without a start
/// date is applied for review.
fn judge_decision(op: &Op, job: &JobFacts, facts: &Facts<'_>) -> Judgement {
    let Change::WarrantyDecided {
        fault,
        remedy,
        rule,
        policy_version,
        facts: device_facts,
        visit_on,
        replacement_serial,
        ..
    } = &op.change
    else {
        return Judgement::applied(Effect::Record);
    };
    let VisitFacts::Warranty {
        facts: hq_facts,
        policy,
    } = &facts.visit
    else {
        return Judgement::applied(Effect::Record);
    };
    let Some(hq_facts) = hq_facts else {
        return Judgement::rejected(OpRejection::new(
            Reason::NoAsset,
            "this job has no product, so no warranty decision applies",
        ));
    };
    let Some(policy) = policy else {
        return Judgement::rejected(OpRejection::new(
            Reason::InvalidValue,
            format!("HQ has no warranty policy version {policy_version} for this product"),
        ));
    };
    let day = |at: DateTime<Utc>| at.date_naive();
    if *visit_on > day(facts.now) + chrono::Days::new(1)
        || *visit_on < day(job.created_at) - chrono::Days::new(1)
    {
        return Judgement::rejected(OpRejection::new(
            Reason::ImplausibleTime,
            format!(
                "the visit date {visit_on} is before the job existed or after today; check the \
                 laptop's date"
            ),
        ));
    }
    let found = warranty::decide(policy, hq_facts, *fault, *visit_on);
    if found.rule_for(*remedy) != Some(*rule) {
        let offered: Vec<&str> = found.options.iter().map(|o| o.remedy.as_str()).collect();
        let differs = if hq_facts == device_facts {
            String::new()
        } else {
            format!(
                " HQ's facts differ from the laptop's: {}.",
                fact_difference(device_facts, hq_facts)
            )
        };
        return Judgement::conflict(
            Reason::WarrantyMismatch,
            format!(
                "You decided {remedy} ({rule}), but on HQ's facts the policy allows {}.{differs} \
                 A dispatcher decides; nothing you recorded is lost.",
                offered.join(", ")
            ),
        );
    }
    let effect = match replacement_serial {
        Some(serial) if job.has_asset => Effect::Correct(serial.clone()),
        _ => Effect::Record,
    };
    if found.needs_review {
        return Judgement {
            outcome: Outcome::Applied,
            reason: Some(Reason::NeedsReview),
            message: Some(
                "decided without the product's start date; a dispatcher reviews it".into(),
            ),
            effect,
        };
    }
    Judgement::applied(effect)
}

/// Which facts a laptop and HQ disagree on, in words.
fn fact_difference(device: &WarrantyFacts, hq: &WarrantyFacts) -> String {
    let date = |d: Option<chrono::NaiveDate>| d.map_or("none".to_string(), |d| d.to_string());
    let mut said = Vec::new();
    for (what, a, b) in [
        ("purchase date", device.purchased_on, hq.purchased_on),
        ("installation date", device.installed_on, hq.installed_on),
        ("warranty end", device.warranty_until, hq.warranty_until),
    ] {
        if a != b {
            said.push(format!(
                "{what} {} at HQ, {} on the laptop",
                date(b),
                date(a)
            ));
        }
    }
    if device.prior_repairs != hq.prior_repairs {
        said.push(format!(
            "{} earlier free repairs at HQ, {} on the laptop",
            hq.prior_repairs, device.prior_repairs
        ));
    }
    said.join("; ")
}

/// A status conflict in the words a technician and a dispatcher use: what the technician did,
/// and where HQ has the job.
pub fn status_conflict(hq: JobStatus, to: JobStatus) -> String {
    let did = match to {
        JobStatus::EnRoute => "set off to this job",
        JobStatus::OnSite => "arrived on site",
        JobStatus::WaitingParts => "paused the job for parts",
        JobStatus::Completed => "completed the job",
        JobStatus::Assigned => "took the job back to assigned",
        JobStatus::New | JobStatus::Cancelled => "changed the job's status",
    };
    let hq_has = match hq {
        JobStatus::Cancelled => "HQ had already cancelled it".to_string(),
        JobStatus::Completed => "it was already completed".to_string(),
        JobStatus::New => "HQ had taken it off the schedule".to_string(),
        other => format!("HQ has it as {}", other.as_str().replace('_', " ")),
    };
    format!("You {did}, but {hq_has}. A dispatcher decides; nothing you recorded is lost.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use onsite_protocol::warranty::{FaultCategory, Remedy, WarrantyRule};
    use onsite_protocol::{JobId, OpId};

    const DEVICE: DeviceId = DeviceId(uuid::Uuid::from_u128(8));

    fn op(change: Change, wall: i64) -> Op {
        Op {
            op_id: OpId::new(),
            device_id: DEVICE,
            job_id: JobId::new(),
            hlc: Hlc {
                wall,
                counter: 0,
                node: DEVICE,
            },
            recorded_at: None,
            change,
        }
    }

    fn facts(status: JobStatus, technician: &str) -> Facts<'static> {
        Facts {
            caller: "tina",
            device: DEVICE,
            job: Some(JobFacts {
                status,
                technician: Some(technician.to_string()),
                has_asset: true,
                created_at: "2026-11-20T08:00:00Z".parse().unwrap(),
            }),
            held_by_caller: technician == "tina",
            register: None,
            content: std::collections::HashMap::new(),
            now: NOW.parse().unwrap(),
            visit: VisitFacts::None,
        }
    }

    /// HQ's time in [`facts`].
    const NOW: &str = "2026-12-01T12:00:00Z";

    fn verdict(j: &Judgement) -> (Outcome, Option<Reason>) {
        (j.outcome, j.reason)
    }

    use JobStatus::*;
    use Outcome::*;

    /// The merge rules as a table of cases: (op, HQ's state) → outcome.
    #[test]
    fn status_follows_the_state_machine() {
        let cases = [
            (Assigned, OnSite, (Applied, None), Effect::SetStatus(OnSite)),
            (
                OnSite,
                Completed,
                (Applied, None),
                Effect::SetStatus(Completed),
            ),
            // Two devices of one technician both arrive: the second changes nothing.
            (OnSite, OnSite, (Applied, None), Effect::Record),
            // Completed on site while HQ cancelled: kept for a dispatcher.
            (
                Cancelled,
                Completed,
                (Conflict, Some(Reason::StatusConflict)),
                Effect::Record,
            ),
            (
                Assigned,
                Completed,
                (Conflict, Some(Reason::StatusConflict)),
                Effect::Record,
            ),
        ];
        for (hq, to, expected, effect) in cases {
            let j = judge(&op(Change::Status { to }, 1), &facts(hq, "tina"));
            assert_eq!((verdict(&j), &j.effect), (expected, &effect), "{hq} → {to}");
        }
    }

    #[test]
    fn conflicts_are_said_in_plain_words() {
        let cases = [
            (
                Cancelled,
                Completed,
                "You completed the job, but HQ had already cancelled it.",
            ),
            (
                Completed,
                OnSite,
                "You arrived on site, but it was already completed.",
            ),
            (
                New,
                EnRoute,
                "You set off to this job, but HQ had taken it off",
            ),
            (
                Assigned,
                WaitingParts,
                "You paused the job for parts, but HQ has it as assigned.",
            ),
        ];
        for (hq, to, words) in cases {
            let said = status_conflict(hq, to);
            assert!(said.starts_with(words), "{hq} → {to}: {said}");
            assert!(!said.contains("->") && !said.contains("→"), "{said}");
        }
        let j = judge(
            &op(Change::Status { to: Completed }, 1),
            &facts(Cancelled, "tina"),
        );
        assert_eq!(
            j.message.as_deref(),
            Some(status_conflict(Cancelled, Completed).as_str())
        );
    }

    /// Work time on a closed job: a start is refused with `job_closed`, a stop is taken (it
    /// ends a timer that ran when HQ closed the job), and facts stay welcome.
    #[test]
    fn closed_jobs_take_no_more_work_time() {
        let at: DateTime<Utc> = NOW.parse().unwrap();
        let cases = [
            (OnSite, Change::WorkStarted { at }, (Applied, None)),
            (
                Cancelled,
                Change::WorkStarted { at },
                (Rejected, Some(Reason::JobClosed)),
            ),
            (
                Completed,
                Change::WorkStarted { at },
                (Rejected, Some(Reason::JobClosed)),
            ),
            (Cancelled, Change::WorkStopped { at }, (Applied, None)),
            (Completed, Change::WorkStopped { at }, (Applied, None)),
            (
                Cancelled,
                Change::Note {
                    text: "Left a card".into(),
                },
                (Applied, None),
            ),
        ];
        for (hq, change, expected) in cases {
            let j = judge(&op(change.clone(), 1), &facts(hq, "tina"));
            assert_eq!(verdict(&j), expected, "{change:?} on a job {hq} at HQ");
            assert_eq!(j.effect, Effect::Record);
        }
    }

    #[test]
    fn a_status_only_hq_sets_is_rejected_not_conflicted() {
        let j = judge(
            &op(Change::Status { to: Cancelled }, 1),
            &facts(Assigned, "tina"),
        );
        assert_eq!(verdict(&j), (Rejected, Some(Reason::InvalidValue)));
    }

    #[test]
    fn facts_never_conflict_even_on_a_closed_or_reassigned_job() {
        let note = || Change::Note {
            text: "Boiler serviced".into(),
        };
        for f in [facts(Cancelled, "tina"), {
            let mut f = facts(Assigned, "tom");
            f.held_by_caller = true;
            f
        }] {
            let j = judge(&op(note(), 1), &f);
            assert_eq!(verdict(&j), (Applied, None));
        }
    }

    #[test]
    fn ops_on_a_job_reassigned_away() {
        let mut f = facts(Assigned, "tom");
        f.held_by_caller = true;
        let j = judge(&op(Change::Status { to: OnSite }, 1), &f);
        assert_eq!(verdict(&j), (Conflict, Some(Reason::JobReassigned)));
        let j = judge(
            &op(
                Change::ContactPhone {
                    phone: "555 0100".into(),
                },
                1,
            ),
            &f,
        );
        assert_eq!(
            (verdict(&j), &j.effect),
            ((Conflict, Some(Reason::JobReassigned)), &Effect::Record),
            "a former holder's correction must not reach the new technician as current"
        );
        assert!(j.message.unwrap().contains("given to tom"));
    }

    /// Work times a wrong laptop clock produced are refused, with words saying which way.
    #[test]
    fn work_time_must_be_plausible() {
        let cases = [
            ("2026-12-01T11:00:00Z", (Applied, None)),
            (
                "9999-12-31T00:00:00Z",
                (Rejected, Some(Reason::ImplausibleTime)),
            ),
            (
                "1970-01-01T00:00:00Z",
                (Rejected, Some(Reason::ImplausibleTime)),
            ),
        ];
        for (time, expected) in cases {
            let at: DateTime<Utc> = time.parse().unwrap();
            for change in [Change::WorkStarted { at }, Change::WorkStopped { at }] {
                let j = judge(&op(change.clone(), 1), &facts(OnSite, "tina"));
                assert_eq!(verdict(&j), expected, "{change:?}");
            }
        }
    }

    #[test]
    fn someone_elses_job_or_no_job_is_rejected() {
        let j = judge(
            &op(Change::Note { text: "x".into() }, 1),
            &facts(Assigned, "tom"),
        );
        assert_eq!(verdict(&j), (Rejected, Some(Reason::NotYourJob)));
        let mut f = facts(Assigned, "tina");
        f.job = None;
        let j = judge(&op(Change::Note { text: "x".into() }, 1), &f);
        assert_eq!(verdict(&j), (Rejected, Some(Reason::UnknownJob)));
        let mut f = facts(Assigned, "tina");
        f.device = DeviceId(uuid::Uuid::from_u128(9));
        let j = judge(&op(Change::Note { text: "x".into() }, 1), &f);
        assert_eq!(verdict(&j), (Rejected, Some(Reason::WrongDevice)));
    }

    #[test]
    fn corrections_merge_last_writer_wins_by_hlc() {
        let phone = || Change::ContactPhone {
            phone: " 555 0100 ".into(),
        };
        let mut f = facts(OnSite, "tina");
        f.register = Some(Hlc {
            wall: 100,
            counter: 0,
            node: DeviceId(uuid::Uuid::from_u128(1)),
        });
        let later = judge(&op(phone(), 200), &f);
        assert_eq!(later.effect, Effect::Correct("555 0100".into()));
        let earlier = judge(&op(phone(), 50), &f);
        assert_eq!(verdict(&earlier), (Applied, Some(Reason::Superseded)));
        assert_eq!(earlier.effect, Effect::KeepAsLoser);
        let mut f = facts(OnSite, "tina");
        f.job.as_mut().unwrap().has_asset = false;
        let j = judge(
            &op(
                Change::AssetSerial {
                    serial: "S1".into(),
                },
                1,
            ),
            &f,
        );
        assert_eq!(verdict(&j), (Rejected, Some(Reason::NoAsset)));
    }

    #[test]
    fn attachments_need_their_content_first() {
        let photo = || Change::Attachment {
            sha256: "ab".repeat(32),
            file_name: "a.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: 10,
            caption: None,
        };
        let mut f = facts(OnSite, "tina");
        let j = judge(&op(photo(), 1), &f);
        assert_eq!(verdict(&j), (Rejected, Some(Reason::AttachmentMissing)));
        f.content.insert("ab".repeat(32), 9);
        assert_eq!(
            verdict(&judge(&op(photo(), 1), &f)),
            (Rejected, Some(Reason::InvalidValue))
        );
        f.content.insert("ab".repeat(32), 10);
        assert_eq!(verdict(&judge(&op(photo(), 1), &f)), (Applied, None));
    }

    #[test]
    fn a_sign_off_needs_the_signed_report_and_the_signature_first() {
        let blob = |c: &str, bytes| onsite_protocol::signoff::BlobRef {
            sha256: c.repeat(32),
            bytes,
        };
        let signed = || Change::SignedOff {
            report: blob("ab", 5000),
            signer: "Ann Lee".into(),
            signature: Some(blob("cd", 300)),
            signed_at: NOW.parse().unwrap(),
        };
        // The job may be completed already: signing follows the work.
        let mut f = facts(Completed, "tina");
        let cases = [
            (vec![], (Rejected, Some(Reason::AttachmentMissing))),
            (
                vec![("ab", 5000)],
                (Rejected, Some(Reason::AttachmentMissing)),
            ),
            (
                vec![("cd", 300)],
                (Rejected, Some(Reason::AttachmentMissing)),
            ),
            (
                vec![("ab", 4999), ("cd", 300)],
                (Rejected, Some(Reason::InvalidValue)),
            ),
            (vec![("ab", 5000), ("cd", 300)], (Applied, None)),
        ];
        for (held, expected) in cases {
            f.content = held.iter().map(|(c, n)| (c.repeat(32), *n)).collect();
            assert_eq!(verdict(&judge(&op(signed(), 1), &f)), expected, "{held:?}");
        }
    }

    fn with(visit: VisitFacts) -> Facts<'static> {
        Facts {
            visit,
            ..facts(JobStatus::OnSite, "tina")
        }
    }

    fn checklist() -> ChecklistTemplate {
        serde_json::from_value(serde_json::json!({"key": "boiler", "version": 2,
            "title": "Boiler", "kinds": ["repair"], "items": [
            {"key": "earth", "label": "Earth tested", "type": "yes_no", "required": true}]}))
        .unwrap()
    }

    fn policy() -> WarrantyPolicy {
        serde_json::from_value(serde_json::json!({"model": "HeatMax", "version": 1,
            "from": "purchase", "return_days": 7, "replace_days": 15, "repair_months": 24,
            "max_repairs": 2, "excluded_faults": ["misuse"]}))
        .unwrap()
    }

    fn part(serialized: bool) -> Part {
        Part {
            sku: "PUMP".into(),
            name: "Pump".into(),
            unit_price_cents: 100,
            serialized,
            models: vec![],
        }
    }

    fn decided(remedy: Remedy, rule: WarrantyRule, purchased: &str) -> Change {
        Change::WarrantyDecided {
            fault: FaultCategory::Performance,
            remedy,
            rule,
            policy_version: 1,
            facts: WarrantyFacts {
                purchased_on: Some(purchased.parse().unwrap()),
                ..WarrantyFacts::default()
            },
            visit_on: "2026-12-01".parse().unwrap(),
            needs_review: false,
            note: None,
            replacement_serial: (remedy == Remedy::Replace).then(|| "NEW-1".into()),
            return_ref: matches!(remedy, Remedy::Replace | Remedy::Return)
                .then(|| "RMA-J-1-AAAAAA".into()),
        }
    }

    fn hq_bought(on: Option<&str>) -> VisitFacts {
        VisitFacts::Warranty {
            facts: Some(WarrantyFacts {
                purchased_on: on.map(|d| d.parse().unwrap()),
                ..WarrantyFacts::default()
            }),
            policy: Some(policy()),
        }
    }

    /// Each visit change against what HQ holds: the outcome, the reason and the effect.
    #[test]
    fn visit_changes_are_judged_on_hqs_facts() {
        use onsite_protocol::checklist::{AnswerValue, TemplateRef};
        use onsite_protocol::warranty::{Remedy as R, WarrantyRule as W};
        let answer = |value: AnswerValue| Change::ChecklistAnswer {
            template: TemplateRef {
                key: "boiler".into(),
                version: 2,
            },
            item: "earth".into(),
            value,
        };
        let used = |serial: Option<&str>| Change::PartUsed {
            sku: "PUMP".into(),
            qty: 1,
            serial: serial.map(str::to_string),
            removed_serial: None,
        };
        let missing = Missing {
            template: TemplateRef {
                key: "boiler".into(),
                version: 2,
            },
            item: "earth".into(),
            label: "Earth tested".into(),
        };
        let stock = |qty: i64, serial: Option<&str>| Effect::Stock {
            sku: "PUMP".into(),
            qty,
            serial: serial.map(str::to_string),
        };
        let cases: Vec<(Change, VisitFacts, Outcome, Option<Reason>, Effect)> = vec![
            (
                answer(AnswerValue::Bool(true)),
                VisitFacts::Template(Some(checklist())),
                Applied,
                None,
                Effect::Record,
            ),
            (
                answer(AnswerValue::Number(3.0)),
                VisitFacts::Template(Some(checklist())),
                Rejected,
                Some(Reason::InvalidValue),
                Effect::Record,
            ),
            (
                answer(AnswerValue::Bool(true)),
                VisitFacts::Template(None),
                Rejected,
                Some(Reason::UnknownChecklist),
                Effect::Record,
            ),
            (
                used(Some("P-1")),
                VisitFacts::Part(Some(part(true))),
                Applied,
                None,
                stock(-1, Some("P-1")),
            ),
            (
                used(None),
                VisitFacts::Part(Some(part(true))),
                Rejected,
                Some(Reason::InvalidValue),
                Effect::Record,
            ),
            (
                used(None),
                VisitFacts::Part(None),
                Rejected,
                Some(Reason::UnknownPart),
                Effect::Record,
            ),
            (
                Change::Voided {
                    voids: OpId::new(),
                    reason: None,
                },
                VisitFacts::Voids(Some(VoidTarget {
                    change: used(Some("P-1")),
                    voided: false,
                })),
                Applied,
                None,
                stock(1, Some("P-1")),
            ),
            (
                Change::Voided {
                    voids: OpId::new(),
                    reason: None,
                },
                VisitFacts::Voids(Some(VoidTarget {
                    change: used(None),
                    voided: true,
                })),
                Rejected,
                Some(Reason::InvalidValue),
                Effect::Record,
            ),
            (
                Change::Voided {
                    voids: OpId::new(),
                    reason: None,
                },
                VisitFacts::Voids(None),
                Rejected,
                Some(Reason::InvalidValue),
                Effect::Record,
            ),
            (
                Change::ChecklistPinned { templates: vec![] },
                VisitFacts::Pinned(true),
                Applied,
                Some(Reason::Superseded),
                Effect::Record,
            ),
            (
                Change::Status {
                    to: JobStatus::Completed,
                },
                VisitFacts::Completion(vec![missing]),
                Conflict,
                Some(Reason::ChecklistIncomplete),
                Effect::Record,
            ),
            (
                Change::Status {
                    to: JobStatus::Completed,
                },
                VisitFacts::Completion(vec![]),
                Applied,
                None,
                Effect::SetStatus(JobStatus::Completed),
            ),
            // Bought on 20 Nov: day 11 on 1 Dec, in the replacement period at both ends.
            (
                decided(R::Replace, W::ReplacePeriod, "2026-11-20"),
                hq_bought(Some("2026-11-20")),
                Applied,
                None,
                Effect::Correct("NEW-1".into()),
            ),
            // HQ corrected the purchase date to a year earlier meanwhile: only a repair.
            (
                decided(R::Replace, W::ReplacePeriod, "2026-11-20"),
                hq_bought(Some("2025-11-20")),
                Conflict,
                Some(Reason::WarrantyMismatch),
                Effect::Record,
            ),
            (
                decided(R::Repair, W::UnknownStart, "2026-11-20"),
                hq_bought(None),
                Applied,
                Some(Reason::NeedsReview),
                Effect::Record,
            ),
            (
                decided(R::Repair, W::RepairPeriod, "2026-11-20"),
                VisitFacts::Warranty {
                    facts: None,
                    policy: None,
                },
                Rejected,
                Some(Reason::NoAsset),
                Effect::Record,
            ),
        ];
        for (change, visit, outcome, reason, effect) in cases {
            let j = judge(&op(change.clone(), 1), &with(visit));
            assert_eq!(
                (j.outcome, j.reason, j.effect),
                (outcome, reason, effect),
                "{change:?}: {:?}",
                j.message
            );
        }
        let stale = judge(
            &op(decided(R::Replace, W::ReplacePeriod, "2026-11-20"), 1),
            &with(hq_bought(Some("2025-11-20"))),
        );
        let said = stale.message.unwrap();
        assert!(
            said.contains("purchase date 2025-11-20 at HQ, 2026-11-20 on the laptop")
                && said.contains("allows repair"),
            "{said}"
        );
    }
}
