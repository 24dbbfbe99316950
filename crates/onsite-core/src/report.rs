//! A job's service report as the laptop holds the job: the words and figures the customer
//! reads, drawn from the job's detail. Pure: the time, the laptop's time zone, the company's
//! letterhead, the photos' content and the decision's rule in words are handed in, so the same
//! job gives the same report.

use crate::store::JobDetail;
use crate::warranty::Warranty;
use chrono::{DateTime, FixedOffset};
use onsite_protocol::checklist::{AnswerValue, ItemType};
use onsite_protocol::labour::{LabourLine, LabourPrices};
use onsite_protocol::warranty::{FaultCategory, Remedy};
use onsite_protocol::{Change, JobKind, JobStatus};
use onsite_report::{
    Charges, ChecklistLine, ChecklistSection, Company, Customer, DecisionFacts, JobFacts, Note,
    PartLine, Photo, Product, Report, Signature,
};

/// What the report needs beyond the job's detail.
#[derive(Clone, Debug, Default)]
pub struct ReportExtras {
    /// Who the report is from.
    pub company: Company,
    /// The photos attached to the job, oldest first, with their content.
    pub photos: Vec<Photo>,
    /// The standing decision's rule in words (the policy's clause on the decision's facts).
    pub rule: Option<String>,
    /// The customer's signature, for the report they sign.
    pub signature: Option<Signature>,
    /// The technician's name, when the job's own record does not say it (this laptop's user).
    pub technician: Option<String>,
    /// The product's warranty in words, when the asset's own end date does not say it (the
    /// policy's repair period from its start date).
    pub warranty: Option<String>,
    /// The labour price list chargeable work is priced with; without one, parts only.
    pub labour: Option<LabourPrices>,
}

/// The job's kind in words.
pub fn kind_words(kind: JobKind) -> &'static str {
    match kind {
        JobKind::Installation => "Installation",
        JobKind::Debugging => "Debugging",
        JobKind::Maintenance => "Maintenance",
        JobKind::Repair => "Repair",
    }
}

/// Where a job stands, in words.
pub fn status_words(status: JobStatus) -> &'static str {
    match status {
        JobStatus::New => "New",
        JobStatus::Assigned => "Assigned",
        JobStatus::EnRoute => "On the way",
        JobStatus::OnSite => "On site",
        JobStatus::WaitingParts => "Waiting for parts",
        JobStatus::Completed => "Completed",
        JobStatus::Cancelled => "Cancelled",
    }
}

/// A remedy as the customer is told it.
pub fn remedy_words(remedy: Remedy) -> &'static str {
    match remedy {
        Remedy::Return => "Return (refund)",
        Remedy::Replace => "Replacement of the unit",
        Remedy::Repair => "Repair free of charge",
        Remedy::Chargeable => "Chargeable repair",
    }
}

/// A fault category as the customer is told it.
pub fn fault_words(fault: FaultCategory) -> &'static str {
    match fault {
        FaultCategory::Performance => "The product did not work as it should",
        FaultCategory::PhysicalDamage => "Physical damage",
        FaultCategory::Misuse => "Misuse",
        FaultCategory::UnauthorisedRepair => "Unauthorised repair",
        FaultCategory::Wear => "Wear",
    }
}

/// An amount in the organisation's currency.
pub fn price(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}£{}.{:02}", cents / 100, cents % 100)
}

/// Minutes as hours and minutes: `1 h 25 min`, `2 h`, `40 min`.
fn duration_words(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// A line of labour as the customer reads it on the bill.
fn labour_words(line: LabourLine) -> String {
    match line {
        LabourLine::CallOut { .. } => "Call-out".into(),
        LabourLine::Time {
            minutes,
            hourly_cents,
            ..
        } => format!(
            "Labour, {} at {} an hour",
            duration_words(minutes),
            price(hourly_cents)
        ),
    }
}

fn long_date(at: DateTime<FixedOffset>) -> String {
    at.format("%A %-d %B %Y").to_string()
}

fn answer_words(kind: ItemType, value: &AnswerValue, unit: Option<&str>) -> String {
    match (kind, value) {
        (ItemType::YesNo, AnswerValue::Bool(true)) => "Yes".into(),
        (ItemType::YesNo, AnswerValue::Bool(false)) => "No".into(),
        (ItemType::Photo, _) => "Photo taken".into(),
        (_, AnswerValue::Number(n)) => match unit {
            Some(u) => format!("{n} {u}"),
            None => n.to_string(),
        },
        (_, other) => other.to_string(),
    }
}

/// The report of `detail` as it stands at `now` (in the laptop's time zone).
pub fn report_of(detail: &JobDetail, extras: ReportExtras, now: DateTime<FixedOffset>) -> Report {
    let zone = *now.offset();
    let local = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&zone);
    let job = &detail.job;
    let visited = job
        .scheduled_start
        .map(local)
        .or_else(|| {
            detail
                .activity
                .iter()
                .find(|a| {
                    matches!(
                        a.change,
                        Change::Status {
                            to: JobStatus::OnSite
                        }
                    )
                })
                .map(|a| local(a.at))
        })
        .unwrap_or(now);
    let seconds = detail.work.seconds;
    let time_on_site = (seconds > 0)
        .then(|| duration_words(i64::try_from(seconds.div_ceil(60)).unwrap_or(i64::MAX)));
    let work_done = detail
        .activity
        .iter()
        .filter_map(|a| match &a.change {
            Change::Note { text } => Some(Note {
                at: local(a.at).format("%H:%M").to_string(),
                text: text.clone(),
            }),
            _ => None,
        })
        .collect();
    let checklists = detail
        .visit
        .checklist
        .sections
        .iter()
        .map(|s| ChecklistSection {
            title: format!("{}, version {}", s.template.title, s.template.version),
            items: s
                .template
                .items
                .iter()
                .map(|item| {
                    let answer = s.answers.iter().find(|a| a.item == item.key);
                    ChecklistLine {
                        label: item.label.clone(),
                        answer: answer
                            .map(|a| answer_words(item.kind, &a.value, item.unit.as_deref())),
                        out_of_range: answer.is_some_and(|a| a.out_of_range),
                    }
                })
                .collect(),
        })
        .collect();
    let used: Vec<_> = detail
        .visit
        .parts
        .iter()
        .filter(|p| !p.used.voided)
        .collect();
    let parts = used
        .iter()
        .map(|p| PartLine {
            sku: p.used.sku.clone(),
            name: p.name.clone().unwrap_or_else(|| p.used.sku.clone()),
            qty: p.used.qty,
            serial: p.used.serial.clone(),
            removed_serial: p.used.removed_serial.clone(),
            unit_price: p.unit_price_cents.map(price),
        })
        .collect();
    let standing = detail.visit.decisions.iter().rev().find(|d| !d.voided);
    let decision = standing.map(|d| DecisionFacts {
        remedy: remedy_words(d.remedy).into(),
        fault: fault_words(d.fault).into(),
        rule: extras
            .rule
            .clone()
            .unwrap_or_else(|| d.rule.as_str().replace('_', " ")),
        policy_version: d.policy_version,
        note: d.note.clone(),
        replacement_serial: d.replacement_serial.clone(),
        return_ref: d.return_ref.clone(),
    });
    // What is charged, when the standing decision is a chargeable repair (or the product has
    // no warranty decision and is out of warranty): the parts at their catalog price, then the
    // labour from HQ's price list on the work time recorded.
    let chargeable = match standing {
        Some(d) => d.remedy == Remedy::Chargeable,
        None => matches!(detail.warranty, Some(Warranty::Expired { .. })),
    };
    let charges = chargeable.then(|| {
        let parts = used.iter().filter_map(|p| {
            let unit = p.unit_price_cents?;
            let name = p.name.clone().unwrap_or_else(|| p.used.sku.clone());
            Some((
                format!("{} × {name}", p.used.qty),
                unit * i64::from(p.used.qty),
            ))
        });
        let labour = extras
            .labour
            .iter()
            .flat_map(|l| l.lines(seconds))
            .map(|line| (labour_words(line), line.cents()));
        let lines: Vec<(String, i64)> = parts.chain(labour).collect();
        let total = lines.iter().map(|(_, c)| c).sum();
        (!lines.is_empty()).then(|| Charges {
            lines: lines.into_iter().map(|(w, c)| (w, price(c))).collect(),
            total: price(total),
        })
    });
    let charges = charges.flatten();
    let warranty = match (&detail.warranty, extras.warranty) {
        (Some(Warranty::InWarranty { until, .. }), _) => {
            format!("In warranty until {}", until.format("%-d %B %Y"))
        }
        (Some(Warranty::Expired { ended }), _) => {
            format!("Warranty ended on {}", ended.format("%-d %B %Y"))
        }
        (_, Some(words)) => words,
        _ => "Warranty end date unknown".into(),
    };
    let site = &detail.site;
    Report {
        company: extras.company,
        job: JobFacts {
            number: job.number.clone(),
            kind: kind_words(job.kind).into(),
            summary: job.summary.clone(),
            reported: job.description.clone(),
            technician: extras
                .technician
                .or_else(|| detail.activity.iter().find_map(|a| a.by.clone()))
                .or_else(|| job.technician.clone())
                .unwrap_or_default(),
            visited: long_date(visited),
            time_on_site,
            status: status_words(job.status).into(),
        },
        customer: Customer {
            name: detail.customer.name.clone(),
            phone: detail.customer.phone.clone(),
            email: detail.customer.email.clone(),
        },
        site: [Some(site.address.clone()), site.town.clone()]
            .into_iter()
            .flatten()
            .filter(|l| !l.trim().is_empty())
            .collect(),
        product: detail.asset.as_ref().map(|a| Product {
            model: a.model.clone(),
            serial: a.serial.clone(),
            warranty,
        }),
        work_done,
        checklists,
        parts,
        decision,
        charges,
        photos: extras.photos,
        signature: extras.signature,
        made_at: now.format("%-d %B %Y, %H:%M").to_string(),
    }
}
