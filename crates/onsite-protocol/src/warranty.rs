//! The three guarantees: which remedies a product's warranty policy allows for a fault found on
//! a visit. One pure function, [`decide`], used by the laptop to offer the options and by HQ to
//! judge the decision that arrives, so both sides always agree on the same facts.

use crate::model::string_enum;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

string_enum!(
    /// What went wrong with the product, as the technician found it.
    FaultCategory {
        /// It does not do what it should (the only fault the return window covers).
        Performance => "performance",
        /// Dropped, cracked, dented.
        PhysicalDamage => "physical_damage",
        /// Used against its instructions.
        Misuse => "misuse",
        /// Opened or repaired by someone not authorised.
        UnauthorisedRepair => "unauthorised_repair",
        /// Parts worn by normal use.
        Wear => "wear",
    }
);

string_enum!(
    /// What is done about a fault.
    Remedy {
        /// The customer gets their money back and the unit goes back.
        Return => "return",
        /// A new unit replaces the faulty one.
        Replace => "replace",
        /// Repaired free of charge under warranty.
        Repair => "repair",
        /// Repaired and charged for (parts and labour).
        Chargeable => "chargeable",
    }
);

string_enum!(
    /// Which date a policy's periods count from.
    WarrantyStart {
        /// The asset's purchase date.
        Purchase => "purchase",
        /// The asset's installation date.
        Installation => "installation",
    }
);

string_enum!(
    /// Why a remedy is offered: the clause of the policy that allows it.
    WarrantyRule {
        /// The policy excludes this fault: only a chargeable repair.
        ExcludedFault => "excluded_fault",
        /// A performance fault within the return period.
        ReturnPeriod => "return_period",
        /// Within the replacement period.
        ReplacePeriod => "replace_period",
        /// Within the repair period (or the asset's extended warranty).
        RepairPeriod => "repair_period",
        /// Within the repair period, and it already had its free repairs for performance faults.
        RepeatedFailure => "repeated_failure",
        /// Past every period.
        OutOfWarranty => "out_of_warranty",
        /// The start date is missing or after the visit: any remedy, for HQ to review.
        UnknownStart => "unknown_start",
    }
);

/// A product model's warranty policy, as HQ imports it (`onsite-hq warranty import`). Versioned:
/// a decision keeps the version it was made under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarrantyPolicy {
    /// The product model it covers, exactly as assets name it.
    pub model: String,
    /// Increases with every change; a decision records the version it used.
    pub version: u32,
    /// Which of the asset's dates the periods count from.
    pub from: WarrantyStart,
    /// Last day (counting the start as day 0) a performance fault may be returned.
    pub return_days: u32,
    /// Last day (counting the start as day 0) a fault may be replaced.
    pub replace_days: u32,
    /// Length of the free-repair period, in calendar months from the start.
    pub repair_months: u32,
    /// Free repairs for performance faults after which a new failure may be replaced or returned.
    pub max_repairs: u32,
    /// Faults the warranty never covers.
    #[serde(default)]
    pub excluded_faults: Vec<FaultCategory>,
}

/// What the decision needs to know about the asset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarrantyFacts {
    /// Date of purchase.
    pub purchased_on: Option<NaiveDate>,
    /// Date of installation.
    pub installed_on: Option<NaiveDate>,
    /// An extended warranty's last day: replaces the repair period's end when set.
    pub warranty_until: Option<NaiveDate>,
    /// Free repairs already made for performance faults.
    pub prior_repairs: u32,
}

/// One remedy the policy allows, with the clause that allows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarrantyOption {
    /// What may be done.
    pub remedy: Remedy,
    /// Why it is allowed.
    pub rule: WarrantyRule,
}

/// What [`decide`] found: the remedies allowed and the facts it counted from, so the laptop
/// can say them in words and the decision can keep them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarrantyOptions {
    /// The remedies allowed, most favourable to the customer first; never empty.
    pub options: Vec<WarrantyOption>,
    /// The date the periods count from, when known.
    pub start: Option<NaiveDate>,
    /// Days from `start` to the visit (the start is day 0).
    pub age_days: Option<i64>,
    /// The free-repair period's last day, when known.
    pub repair_until: Option<NaiveDate>,
    /// The facts were not enough to decide (a missing start date): any remedy may be recorded,
    /// and HQ reviews it.
    pub needs_review: bool,
}

impl WarrantyOptions {
    /// Whether `remedy` is among the options.
    #[must_use]
    pub fn allows(&self, remedy: Remedy) -> bool {
        self.options.iter().any(|o| o.remedy == remedy)
    }

    /// The rule that allows `remedy`, if it is allowed.
    #[must_use]
    pub fn rule_for(&self, remedy: Remedy) -> Option<WarrantyRule> {
        self.options
            .iter()
            .find(|o| o.remedy == remedy)
            .map(|o| o.rule)
    }
}

/// The free-repair period's last day: the asset's extended warranty when it has one, else the
/// day before the same date `repair_months` later (24 months from 15 Jan 2024 end on 14 Jan
/// 2026; from 31 Jan, a month ends on the last day of February).
#[must_use]
pub fn repair_until(
    policy: &WarrantyPolicy,
    start: Option<NaiveDate>,
    facts: &WarrantyFacts,
) -> Option<NaiveDate> {
    facts.warranty_until.or_else(|| {
        let start = start?;
        let same_date = start.checked_add_months(Months::new(policy.repair_months))?;
        // A start day the last month lacks (31 Jan → February) lands on that month's last
        // day, which is then still covered.
        if same_date.day() < start.day() {
            Some(same_date)
        } else {
            same_date.pred_opt()
        }
    })
}

/// The remedies `policy` allows for `fault` found on `visit`, in the order of the rules:
///
/// - an excluded fault: `chargeable` only;
/// - a performance fault with `age ≤ return_days`: `return`, `replace` or `repair`;
/// - `age ≤ replace_days`: `replace` or `repair`;
/// - within the repair period ([`repair_until`], inclusive): `repair`, plus `replace` and
///   `return` when the asset already had `max_repairs` free repairs for performance faults
///   and fails again with one;
/// - after it: `chargeable`.
///
/// `age` is `visit − start` in calendar days, the start being day 0. With no start date (or
/// one after the visit) every remedy is offered and flagged for review, unless the fault is
/// excluded.
#[must_use]
pub fn decide(
    policy: &WarrantyPolicy,
    facts: &WarrantyFacts,
    fault: FaultCategory,
    visit: NaiveDate,
) -> WarrantyOptions {
    use Remedy::{Chargeable, Repair, Replace, Return};
    use WarrantyRule as R;
    let start = match policy.from {
        WarrantyStart::Purchase => facts.purchased_on,
        WarrantyStart::Installation => facts.installed_on,
    };
    let age_days = start.map(|s| (visit - s).num_days());
    let until = repair_until(policy, start, facts);
    let found = |options: &[(Remedy, WarrantyRule)], needs_review: bool| WarrantyOptions {
        options: options
            .iter()
            .map(|&(remedy, rule)| WarrantyOption { remedy, rule })
            .collect(),
        start,
        age_days,
        repair_until: until,
        needs_review,
    };
    if policy.excluded_faults.contains(&fault) {
        return found(&[(Chargeable, R::ExcludedFault)], false);
    }
    let Some(age) = age_days.filter(|a| *a >= 0) else {
        let any = [Return, Replace, Repair, Chargeable].map(|r| (r, R::UnknownStart));
        return found(&any, true);
    };
    let performance = fault == FaultCategory::Performance;
    if performance && age <= i64::from(policy.return_days) {
        let rule = R::ReturnPeriod;
        return found(&[(Return, rule), (Replace, rule), (Repair, rule)], false);
    }
    if age <= i64::from(policy.replace_days) {
        let rule = R::ReplacePeriod;
        return found(&[(Replace, rule), (Repair, rule)], false);
    }
    if until.is_some_and(|u| visit <= u) {
        if performance && facts.prior_repairs >= policy.max_repairs {
            let rule = R::RepeatedFailure;
            return found(&[(Return, rule), (Replace, rule), (Repair, rule)], false);
        }
        return found(&[(Repair, R::RepairPeriod)], false);
    }
    found(&[(Chargeable, R::OutOfWarranty)], false)
}

/// The rule behind an option in words a technician can read out to the customer.
#[must_use]
pub fn explain(
    rule: WarrantyRule,
    policy: &WarrantyPolicy,
    found: &WarrantyOptions,
    fault: FaultCategory,
) -> String {
    let day = found.age_days.unwrap_or_default();
    let from = match policy.from {
        WarrantyStart::Purchase => "purchase",
        WarrantyStart::Installation => "installation",
    };
    let since = match found.start {
        Some(start) => format!("day {day} since {from} on {}", long_date(start)),
        None => format!("no {from} date"),
    };
    let until = found
        .repair_until
        .map(long_date)
        .unwrap_or_else(|| "an unknown date".into());
    match rule {
        WarrantyRule::ExcludedFault => format!(
            "The warranty does not cover {} faults: the repair is charged.",
            fault.as_str().replace('_', " ")
        ),
        WarrantyRule::ReturnPeriod => format!(
            "A performance fault within the {}-day return period ({since}).",
            policy.return_days
        ),
        WarrantyRule::ReplacePeriod => format!(
            "Within the {}-day replacement period ({since}).",
            policy.replace_days
        ),
        WarrantyRule::RepairPeriod => {
            format!("Within the free-repair period, which runs until {until} ({since}).")
        }
        WarrantyRule::RepeatedFailure => format!(
            "It failed again after {} free repairs within the warranty (until {until}): it may \
             be replaced or returned.",
            policy.max_repairs
        ),
        WarrantyRule::OutOfWarranty => {
            format!("The warranty ended on {until} ({since}): the repair is charged.")
        }
        WarrantyRule::UnknownStart => format!(
            "The asset's {from} date is {}: any remedy may be recorded, and HQ will review it.",
            if found.start.is_some() {
                "after the visit"
            } else {
                "not known"
            }
        ),
    }
}

/// `14 Jan 2026`.
fn long_date(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use FaultCategory::{Misuse, Performance, PhysicalDamage, UnauthorisedRepair, Wear};
    use Remedy::{Chargeable, Repair, Replace, Return};
    use WarrantyRule as R;

    fn policy() -> WarrantyPolicy {
        WarrantyPolicy {
            model: "AirSource 8 kW heat pump".into(),
            version: 1,
            from: WarrantyStart::Purchase,
            return_days: 7,
            replace_days: 15,
            repair_months: 24,
            max_repairs: 2,
            excluded_faults: vec![PhysicalDamage, Misuse, UnauthorisedRepair, Wear],
        }
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn bought(on: &str) -> WarrantyFacts {
        WarrantyFacts {
            purchased_on: Some(date(on)),
            ..WarrantyFacts::default()
        }
    }

    fn remedies(found: &WarrantyOptions) -> Vec<(Remedy, WarrantyRule)> {
        found.options.iter().map(|o| (o.remedy, o.rule)).collect()
    }

    const ALL: [Remedy; 4] = [Return, Replace, Repair, Chargeable];

    #[test]
    fn the_decision_table() {
        let ret = |r| vec![(Return, r), (Replace, r), (Repair, r)];
        let replace = vec![(Replace, R::ReplacePeriod), (Repair, R::ReplacePeriod)];
        let repair = vec![(Repair, R::RepairPeriod)];
        let charged = vec![(Chargeable, R::OutOfWarranty)];
        let excluded = vec![(Chargeable, R::ExcludedFault)];
        let installed = |on: &str| WarrantyFacts {
            purchased_on: Some(date("2024-01-01")),
            installed_on: Some(date(on)),
            ..WarrantyFacts::default()
        };
        let from_installation = WarrantyPolicy {
            from: WarrantyStart::Installation,
            ..policy()
        };
        let extended = WarrantyFacts {
            warranty_until: Some(date("2027-06-30")),
            ..bought("2024-01-15")
        };
        let repaired = |n| WarrantyFacts {
            prior_repairs: n,
            ..bought("2024-01-15")
        };
        let wear_covered = WarrantyPolicy {
            excluded_faults: vec![Misuse],
            ..policy()
        };
        /// Name, policy, facts, fault, visit date, expected options.
        type Case = (
            &'static str,
            WarrantyPolicy,
            WarrantyFacts,
            FaultCategory,
            &'static str,
            Vec<(Remedy, WarrantyRule)>,
        );
        #[rustfmt::skip]
        let cases: Vec<Case> = vec![
            ("day 0", policy(), bought("2024-01-15"), Performance, "2024-01-15", ret(R::ReturnPeriod)),
            ("day 7: last day to return", policy(), bought("2024-01-15"), Performance, "2024-01-22", ret(R::ReturnPeriod)),
            ("day 8: replace or repair", policy(), bought("2024-01-15"), Performance, "2024-01-23", replace.clone()),
            ("day 15: last day to replace", policy(), bought("2024-01-15"), Performance, "2024-01-30", replace.clone()),
            ("day 16: repair", policy(), bought("2024-01-15"), Performance, "2024-01-31", repair.clone()),
            ("last day of 24 months", policy(), bought("2024-01-15"), Performance, "2026-01-14", repair.clone()),
            ("the day after", policy(), bought("2024-01-15"), Performance, "2026-01-15", charged.clone()),
            ("a month from 31 Jan ends in February", WarrantyPolicy { repair_months: 1, ..policy() }, bought("2024-01-31"), Performance, "2024-02-29", repair.clone()),
            ("…and not after it", WarrantyPolicy { repair_months: 1, replace_days: 0, return_days: 0, ..policy() }, bought("2024-01-31"), Performance, "2024-03-01", charged.clone()),
            ("from installation: day 7", from_installation.clone(), installed("2024-03-01"), Performance, "2024-03-08", ret(R::ReturnPeriod)),
            ("from installation: purchase date ignored", from_installation.clone(), installed("2024-03-01"), Performance, "2026-02-28", repair.clone()),
            ("extended warranty: last day", policy(), extended, Performance, "2027-06-30", repair.clone()),
            ("extended warranty: the day after", policy(), extended, Performance, "2027-07-01", charged.clone()),
            ("physical damage on day 0", policy(), bought("2024-01-15"), PhysicalDamage, "2024-01-15", excluded.clone()),
            ("misuse", policy(), bought("2024-01-15"), Misuse, "2024-06-01", excluded.clone()),
            ("unauthorised repair", policy(), bought("2024-01-15"), UnauthorisedRepair, "2024-06-01", excluded.clone()),
            ("wear", policy(), bought("2024-01-15"), Wear, "2024-06-01", excluded.clone()),
            ("an excluded fault with no dates", policy(), WarrantyFacts::default(), Wear, "2024-06-01", excluded.clone()),
            ("a covered non-performance fault skips the return period", wear_covered.clone(), bought("2024-01-15"), Wear, "2024-01-16", replace.clone()),
            ("a covered non-performance fault after repairs is repaired", WarrantyPolicy { ..wear_covered }, repaired(2), Wear, "2025-01-01", repair.clone()),
            ("one free repair so far", policy(), repaired(1), Performance, "2025-01-01", repair.clone()),
            ("after max_repairs free repairs it fails again", policy(), repaired(2), Performance, "2025-01-01", ret(R::RepeatedFailure)),
            ("repeated failure after the window is charged", policy(), repaired(5), Performance, "2026-01-15", charged.clone()),
        ];
        for (name, policy, facts, fault, visit, expected) in cases {
            let found = decide(&policy, &facts, fault, date(visit));
            assert_eq!(remedies(&found), expected, "{name}");
            assert!(!found.needs_review, "{name}");
        }
    }

    #[test]
    fn a_missing_or_later_start_offers_everything_for_review() {
        for facts in [WarrantyFacts::default(), bought("2024-02-01")] {
            let found = decide(&policy(), &facts, Performance, date("2024-01-20"));
            assert!(found.needs_review, "{facts:?}");
            assert_eq!(
                found.options.iter().map(|o| o.remedy).collect::<Vec<_>>(),
                ALL
            );
            assert!(found.options.iter().all(|o| o.rule == R::UnknownStart));
        }
        // From installation, a purchase date alone is not a start.
        let from_installation = WarrantyPolicy {
            from: WarrantyStart::Installation,
            ..policy()
        };
        let found = decide(
            &from_installation,
            &bought("2024-01-15"),
            Performance,
            date("2024-01-16"),
        );
        assert!(found.needs_review);
        assert_eq!(found.start, None);
    }

    #[test]
    fn the_facts_counted_from_are_kept() {
        let found = decide(
            &policy(),
            &bought("2024-01-15"),
            Performance,
            date("2024-01-20"),
        );
        assert_eq!(found.start, Some(date("2024-01-15")));
        assert_eq!(found.age_days, Some(5));
        assert_eq!(found.repair_until, Some(date("2026-01-14")));
        assert!(found.allows(Replace));
        assert!(!found.allows(Chargeable));
        assert_eq!(found.rule_for(Return), Some(R::ReturnPeriod));
        assert_eq!(found.rule_for(Chargeable), None);
    }

    #[test]
    fn every_rule_is_explained_in_words() {
        let policy = policy();
        let visit = date("2024-01-20");
        let found = decide(&policy, &bought("2024-01-15"), Performance, visit);
        let cases = [
            (
                R::ExcludedFault,
                PhysicalDamage,
                "does not cover physical damage faults",
            ),
            (
                R::ReturnPeriod,
                Performance,
                "7-day return period (day 5 since purchase on 15 Jan 2024)",
            ),
            (R::ReplacePeriod, Performance, "15-day replacement period"),
            (R::RepairPeriod, Performance, "runs until 14 Jan 2026"),
            (R::RepeatedFailure, Performance, "after 2 free repairs"),
            (R::OutOfWarranty, Performance, "ended on 14 Jan 2026"),
        ];
        for (rule, fault, expected) in cases {
            let words = explain(rule, &policy, &found, fault);
            assert!(words.contains(expected), "{rule}: {words}");
        }
        for (facts, expected) in [
            (WarrantyFacts::default(), "purchase date is not known"),
            (bought("2024-02-01"), "purchase date is after the visit"),
        ] {
            let unknown = decide(&policy, &facts, Performance, visit);
            let words = explain(R::UnknownStart, &policy, &unknown, Performance);
            assert!(words.contains(expected), "{words}");
        }
    }
}
