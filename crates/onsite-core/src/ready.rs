//! Ready for the day: before driving off with connectivity, whether the day's work can be done
//! offline — every job of the day on the laptop with its checklists, warranty policy, guides
//! and customer details, nothing waiting to sync, a recent sync — and which parts that fit the
//! day's products are not in the van. A pure judgement of facts the store gathers.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How old the last sync may be for the jobs on the laptop to count as the day's jobs.
pub const FRESH_SYNC: Duration = Duration::hours(2);

/// What the store found about one job of the day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobFacts {
    /// The job.
    pub number: String,
    /// The customer's name.
    pub customer: String,
    /// A phone number to reach the customer.
    pub has_phone: bool,
    /// The product's model, when the job has one.
    pub model: Option<String>,
    /// Checklists that apply (or are kept) and are on the laptop.
    pub checklists: usize,
    /// Kept checklist versions the laptop does not hold.
    pub checklists_missing: usize,
    /// A warranty policy for the product is on the laptop.
    pub has_policy: bool,
    /// Guides for the product on the laptop.
    pub guides: usize,
    /// Given to someone else: read-only here.
    pub read_only: bool,
}

/// One job of the day, as the check found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobReadiness {
    /// The job.
    pub number: String,
    /// The customer's name.
    pub customer: String,
    /// The product's model.
    pub model: Option<String>,
    /// Checklists on the laptop for it.
    pub checklists: usize,
    /// Guides on the laptop for its product.
    pub guides: usize,
    /// What stops it being worked offline, in words; empty when it can be.
    pub problems: Vec<String>,
    /// Worth knowing, not blocking (no guide for the product, no phone number).
    pub notes: Vec<String>,
}

/// A part that fits a product of the day and is not in the van.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MissingPart {
    /// The part.
    pub sku: String,
    /// Its name.
    pub name: String,
    /// The day's products it fits.
    pub models: Vec<String>,
}

/// The answer of `onsite ready` and the job list's panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Readiness {
    /// The day checked.
    pub day: NaiveDate,
    /// The day can be worked offline: no problem anywhere.
    pub ready: bool,
    /// What stops it, for the laptop as a whole.
    pub problems: Vec<String>,
    /// The day's jobs (open jobs scheduled that day or overdue from before).
    pub jobs: Vec<JobReadiness>,
    /// Parts that fit the day's products and are not in the van.
    pub missing_parts: Vec<MissingPart>,
    /// Changes waiting to reach HQ.
    pub waiting: u64,
    /// When the laptop last synced.
    pub last_sync_at: Option<DateTime<Utc>>,
}

/// The technician's day at `now`: its date, and the instant the next day starts (what is
/// scheduled before it is the day's, or overdue).
#[must_use]
pub fn local_day(now: DateTime<chrono::Local>) -> (NaiveDate, DateTime<Utc>) {
    let day = now.date_naive();
    let until = (day + chrono::Days::new(1))
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
        .map_or(now.to_utc() + Duration::days(1), |t| t.to_utc());
    (day, until)
}

/// A catalog part that names the models it fits, with the van's quantity of it:
/// (sku, name, models, in the van).
pub type FittedPart = (String, String, Vec<String>, i64);

/// Judges the day from what the store found. `parts` are the catalog's parts that name models
/// with the van's quantity of each: (sku, name, models, in the van).
#[must_use]
pub fn assess(
    day: NaiveDate,
    now: DateTime<Utc>,
    jobs: Vec<JobFacts>,
    parts: &[FittedPart],
    waiting: u64,
    last_sync_at: Option<DateTime<Utc>>,
) -> Readiness {
    let mut problems = Vec::new();
    if waiting > 0 {
        problems.push(format!(
            "{waiting} change(s) wait to reach HQ: sync before leaving"
        ));
    }
    match last_sync_at {
        None => problems.push("never synced: sync to get the day's jobs".into()),
        Some(at) if now - at > FRESH_SYNC => problems.push(format!(
            "last synced {} h ago: sync so the day's jobs and their data are current",
            (now - at).num_hours()
        )),
        Some(_) => {}
    }
    let models: Vec<&str> = jobs.iter().filter_map(|j| j.model.as_deref()).collect();
    let jobs: Vec<JobReadiness> = jobs.iter().map(job).collect();
    let missing_parts = parts
        .iter()
        .filter(|(_, _, _, qty)| *qty <= 0)
        .filter_map(|(sku, name, fits, _)| {
            let mut day_models: Vec<String> = fits
                .iter()
                .filter(|m| models.contains(&m.as_str()))
                .cloned()
                .collect();
            day_models.dedup();
            (!day_models.is_empty()).then(|| MissingPart {
                sku: sku.clone(),
                name: name.clone(),
                models: day_models,
            })
        })
        .collect();
    Readiness {
        day,
        ready: problems.is_empty() && jobs.iter().all(|j| j.problems.is_empty()),
        problems,
        jobs,
        missing_parts,
        waiting,
        last_sync_at,
    }
}

fn job(f: &JobFacts) -> JobReadiness {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    if f.read_only {
        problems.push("given to another technician: read-only here".into());
    }
    if f.checklists_missing > 0 {
        problems.push(format!(
            "{} of its checklists are not on this laptop",
            f.checklists_missing
        ));
    }
    if let Some(model) = &f.model {
        if !f.has_policy {
            problems.push(format!("no warranty policy for {model} on this laptop"));
        }
        if f.guides == 0 {
            notes.push(format!("no guide for {model} on this laptop"));
        }
    }
    if !f.has_phone {
        notes.push("no phone number for the customer".into());
    }
    JobReadiness {
        number: f.number.clone(),
        customer: f.customer.clone(),
        model: f.model.clone(),
        checklists: f.checklists,
        guides: f.guides,
        problems,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn fine(number: &str) -> JobFacts {
        JobFacts {
            number: number.into(),
            customer: "Ada".into(),
            has_phone: true,
            model: Some("HeatMax".into()),
            checklists: 1,
            checklists_missing: 0,
            has_policy: true,
            guides: 2,
            read_only: false,
        }
    }

    #[test]
    fn the_day_is_ready_only_when_nothing_stops_it() {
        let day: NaiveDate = "2026-12-02".parse().unwrap();
        let now = at("2026-12-02T07:30:00Z");
        let synced = Some(at("2026-12-02T07:00:00Z"));
        // (jobs, waiting, last sync, ready, what is said)
        type Case = (
            Vec<JobFacts>,
            u64,
            Option<DateTime<Utc>>,
            bool,
            Vec<&'static str>,
        );
        let cases: Vec<Case> = vec![
            (vec![fine("J-1")], 0, synced, true, vec![]),
            (vec![], 0, synced, true, vec![]),
            (
                vec![fine("J-1")],
                2,
                synced,
                false,
                vec!["2 change(s) wait"],
            ),
            (vec![fine("J-1")], 0, None, false, vec!["never synced"]),
            (
                vec![fine("J-1")],
                0,
                Some(at("2026-12-01T17:00:00Z")),
                false,
                vec!["last synced 14 h ago"],
            ),
            (
                vec![JobFacts {
                    has_policy: false,
                    ..fine("J-1")
                }],
                0,
                synced,
                false,
                vec!["no warranty policy for HeatMax"],
            ),
            (
                vec![JobFacts {
                    checklists_missing: 1,
                    ..fine("J-1")
                }],
                0,
                synced,
                false,
                vec!["1 of its checklists"],
            ),
            (
                vec![JobFacts {
                    read_only: true,
                    ..fine("J-1")
                }],
                0,
                synced,
                false,
                vec!["read-only"],
            ),
            // Without a product there is no policy to need; no guide or phone only notes.
            (
                vec![JobFacts {
                    model: None,
                    has_policy: false,
                    has_phone: false,
                    guides: 0,
                    ..fine("J-1")
                }],
                0,
                synced,
                true,
                vec![],
            ),
        ];
        for (jobs, waiting, last, ready, said) in cases {
            let r = assess(day, now, jobs.clone(), &[], waiting, last);
            assert_eq!(r.ready, ready, "{jobs:?} {waiting} {last:?}");
            let all: Vec<String> = r
                .problems
                .iter()
                .chain(r.jobs.iter().flat_map(|j| j.problems.iter()))
                .cloned()
                .collect();
            assert_eq!(all.len(), said.len(), "{all:?}");
            for (got, want) in all.iter().zip(&said) {
                assert!(got.contains(want), "{got:?} lacks {want:?}");
            }
        }
    }

    #[test]
    fn parts_that_fit_the_days_products_and_are_not_in_the_van_are_named() {
        let parts = [
            (
                "PCB".to_string(),
                "Board".to_string(),
                vec!["HeatMax".to_string()],
                0,
            ),
            ("SEAL".into(), "Seal".into(), vec!["HeatMax".into()], 4),
            ("FAN".into(), "Fan".into(), vec!["AirSource".into()], 0),
            (
                "NEG".into(),
                "Used twice".into(),
                vec!["HeatMax".into(), "Other".into()],
                -1,
            ),
        ];
        let r = assess(
            "2026-12-02".parse().unwrap(),
            at("2026-12-02T07:30:00Z"),
            vec![fine("J-1")],
            &parts,
            0,
            Some(at("2026-12-02T07:00:00Z")),
        );
        let named: Vec<(&str, &[String])> = r
            .missing_parts
            .iter()
            .map(|p| (p.sku.as_str(), p.models.as_slice()))
            .collect();
        assert_eq!(
            named,
            [
                ("PCB", &["HeatMax".to_string()][..]),
                ("NEG", &["HeatMax".to_string()][..])
            ]
        );
        assert!(r.ready, "missing parts are worth knowing, not blocking");
    }
}
