//! Demo data for trying Onsite: a dispatcher, three technicians, about forty customers with
//! products in and out of warranty, and about sixty jobs of every kind around the demo day.
//! The data is generated from a fixed seed, so every demo looks the same relative to its day.

use crate::auth::hash_password;
use crate::storage::{ImportReport, NewUser, Storage, StorageError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use onsite_protocol::api::{AssetInput, CustomerInput, JobInput, SiteInput};
use onsite_protocol::{JobKind, Priority, Role};

/// Password of every demo account.
pub const PASSWORD: &str = "onsite-demo";

/// A demo account: username, display name, role, skills.
pub type Account = (&'static str, &'static str, Role, &'static [&'static str]);

/// The demo accounts; the first technician is the one the demo logs in as.
pub const ACCOUNTS: &[Account] = &[
    ("dora", "Dora Dispatch", Role::Dispatcher, &[]),
    (
        "tina",
        "Tina Fischer",
        Role::Technician,
        &["boilers", "heat-pumps"],
    ),
    (
        "tom",
        "Tom Okafor",
        Role::Technician,
        &["appliances", "air-conditioning"],
    ),
    (
        "sara",
        "Sara Lindqvist",
        Role::Technician,
        &["solar", "boilers"],
    ),
];

const CUSTOMERS: &[(&str, &str)] = &[
    ("Ada Lovelace", "Marylebone"),
    ("Grace Hopper", "Arlington"),
    ("Alan Turing", "Wilmslow"),
    ("Katherine Johnson", "Hampton"),
    ("Edsger Dijkstra", "Nuenen"),
    ("Barbara Liskov", "Cambridge"),
    ("Donald Knuth", "Stanford"),
    ("Margaret Hamilton", "Boston"),
    ("Linus Torvalds", "Portland"),
    ("Frances Allen", "Peru"),
    ("Dennis Ritchie", "Berkeley Heights"),
    ("Radia Perlman", "Redmond"),
    ("Ken Thompson", "Menlo Park"),
    ("Hedy Lamarr", "Vienna"),
    ("John Backus", "Ashland"),
    ("Shafi Goldwasser", "Haifa"),
    ("Tim Berners-Lee", "Oxford"),
    ("Sophie Wilson", "Leeds"),
    ("Niklaus Wirth", "Winterthur"),
    ("Adele Goldberg", "Palo Alto"),
    ("Bjarne Stroustrup", "Aarhus"),
    ("Lynn Conway", "Mount Vernon"),
    ("Guido van Rossum", "Haarlem"),
    ("Jean Sammet", "Manhattan"),
    ("Leslie Lamport", "Brooklyn"),
    ("Evelyn Berezin", "Bronx"),
    ("Whitfield Diffie", "Washington"),
    ("Mary Allen Wilkes", "Chicago"),
    ("Robin Milner", "Yealmpton"),
    ("Karen Spärck Jones", "Huddersfield"),
    ("Tony Hoare", "Colombo"),
    ("Ida Rhodes", "Tulchyn"),
    ("Butler Lampson", "Washington"),
    ("Annie Easley", "Birmingham"),
    ("Vint Cerf", "New Haven"),
    ("Kathleen Booth", "Stourbridge"),
    ("Peter Naur", "Frederiksberg"),
    ("Dorothy Vaughan", "Kansas City"),
    ("Ole-Johan Dahl", "Mandal"),
    ("Joan Clarke", "West Norwood"),
];

const STREETS: &[&str] = &[
    "Analytical Row",
    "Compiler Lane",
    "Lambda Street",
    "Relay Road",
    "Vacuum Tube Avenue",
    "Punch Card Close",
    "Transistor Way",
    "Kernel Court",
];

/// (model, product line, kind of typical repair)
const PRODUCTS: &[(&str, &str)] = &[
    ("HeatMax 300 combi boiler", "HM3"),
    ("HeatMax 500 system boiler", "HM5"),
    ("AirSource 8 kW heat pump", "AS8"),
    ("AquaPure 7 kg washing machine", "AP7"),
    ("AquaPure dishwasher DW45", "DW4"),
    ("FrostLine fridge-freezer FF70", "FF7"),
    ("CoolBreeze split air conditioner", "CB2"),
    ("SunVolt 5 kW solar inverter", "SV5"),
    ("ThermoTank 150 L water heater", "TT1"),
];

const WORK: &[(JobKind, &str)] = &[
    (JobKind::Installation, "Install and commission new unit"),
    (JobKind::Installation, "Replace old unit and dispose of it"),
    (JobKind::Debugging, "Intermittent error code on display"),
    (JobKind::Debugging, "Unit trips the breaker at start-up"),
    (JobKind::Maintenance, "Annual service and safety check"),
    (JobKind::Maintenance, "Filter change and performance check"),
    (JobKind::Repair, "No hot water since the weekend"),
    (JobKind::Repair, "Leaking under the unit"),
    (JobKind::Repair, "Loud noise when running"),
];

const ACCESS: &[Option<&str>] = &[
    None,
    Some("Key safe by the back door, code given by phone"),
    Some("Ring twice; customer works from home upstairs"),
    Some("Dog in the garden, friendly"),
    None,
    Some("Park in the side street; no access for vans before 9:00"),
];

/// Small deterministic generator (a linear congruential one): demo data must not change from
/// one run to the next, and needs no statistical quality.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next(items.len() as u64) as usize]
    }
}

/// The demo jobs for a demo day that starts (local midnight) at `day_start`, whose date is
/// `today`. Jobs run from two days before to six days after; a few are unassigned.
pub fn jobs(day_start: DateTime<Utc>, today: NaiveDate) -> Vec<JobInput> {
    let mut rng = Lcg(0x0051_7e00);
    let technicians: Vec<&str> = ACCOUNTS
        .iter()
        .filter(|a| a.2 == Role::Technician)
        .map(|a| a.0)
        .collect();
    (0..60u32)
        .map(|n| {
            let c = n as usize % CUSTOMERS.len();
            let (name, town) = CUSTOMERS[c];
            let (model, line) = PRODUCTS[c % PRODUCTS.len()];
            let (kind, summary) = *rng.pick(WORK);
            let day = i64::from(n % 9) - 2;
            let hour = 8 + 2 * i64::from((n / 9) % 5);
            let start = day_start + Duration::days(day) + Duration::hours(hour);
            // Warranty: about half the customers are covered, some only just (or just not).
            let warranty_days = [-700, -30, -1, 0, 20, 180, 400, 900][c % 8];
            let priority = *rng.pick(&[
                Priority::Normal,
                Priority::Normal,
                Priority::High,
                Priority::Low,
                Priority::Urgent,
            ]);
            let sla_hours = match priority {
                Priority::Urgent => 6,
                Priority::High => 24,
                _ => 72,
            };
            JobInput {
                number: Some(format!("J-{:06}", 1001 + n)),
                kind,
                summary: format!("{summary} ({})", model.split(' ').next().unwrap_or(model)),
                description: Some(format!(
                    "{name} reports: {}. Product: {model}.",
                    summary.to_lowercase()
                )),
                priority: Some(priority),
                // Every technician gets work on every day; every tenth job waits for dispatch.
                technician: (n % 10 != 9)
                    .then(|| technicians[(n + n / 9) as usize % technicians.len()].to_string()),
                customer: CustomerInput {
                    name: name.to_string(),
                    phone: Some(format!("+44 20 7946 {:04}", 100 + c * 37)),
                    email: Some(format!(
                        "{}@example.org",
                        name.to_lowercase().replace([' ', '-'], ".")
                    )),
                },
                site: SiteInput {
                    address: format!("{} {}", 1 + c * 3, STREETS[c % STREETS.len()]),
                    town: Some(town.to_string()),
                    access_notes: rng.pick(ACCESS).map(str::to_string),
                },
                asset: Some(AssetInput {
                    model: model.to_string(),
                    serial: Some(format!("{line}-{:05}", 10_007 * (c + 1) % 100_000)),
                    purchased_on: Some(today - Duration::days(400 - warranty_days / 2)),
                    installed_on: Some(today - Duration::days(390 - warranty_days / 2)),
                    warranty_until: Some(today + Duration::days(warranty_days)),
                }),
                scheduled_start: Some(start),
                scheduled_end: Some(start + Duration::hours(2)),
                sla_due: Some(start + Duration::hours(sla_hours)),
            }
        })
        .collect()
}

/// What [`seed`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seeded {
    /// Accounts created (existing ones are left alone).
    pub accounts_created: usize,
    /// The job import.
    pub jobs: ImportReport,
}

/// Writes the demo accounts and jobs into `storage`. Running it again leaves existing accounts
/// alone and updates the jobs in place, so it is safe on a folder that already has demo data.
///
/// # Errors
/// [`StorageError`] from the storage.
pub fn seed(
    storage: &dyn Storage,
    day_start: DateTime<Utc>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Seeded, StorageError> {
    let mut accounts_created = 0;
    for (username, name, role, skills) in ACCOUNTS {
        if storage.credentials(username)?.is_some() {
            continue;
        }
        storage.add_user(
            NewUser {
                username: (*username).to_string(),
                display_name: (*name).to_string(),
                role: *role,
                skills: skills.iter().map(|s| (*s).to_string()).collect(),
                password_hash: hash_password(PASSWORD).map_err(StorageError::Invalid)?,
            },
            now,
        )?;
        accounts_created += 1;
    }
    let lines: Vec<_> = jobs(day_start, today)
        .into_iter()
        .enumerate()
        .map(|(i, j)| (i + 1, j))
        .collect();
    let jobs = storage.import_jobs(&lines, now)?;
    Ok(Seeded {
        accounts_created,
        jobs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sqlite::SqliteStorage;
    use std::collections::BTreeSet;

    #[test]
    fn demo_is_varied_and_seeding_twice_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("hq.db")).unwrap();
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let day_start: DateTime<Utc> = "2026-11-23T00:00:00Z".parse().unwrap();
        let jobs = jobs(day_start, today);
        let kinds: BTreeSet<_> = jobs.iter().map(|j| j.kind).collect();
        assert_eq!(kinds.len(), JobKind::ALL.len(), "every kind of job");
        let customers: BTreeSet<_> = jobs.iter().map(|j| &j.customer.name).collect();
        assert_eq!(customers.len(), CUSTOMERS.len());
        let warranties: BTreeSet<_> = jobs
            .iter()
            .map(|j| j.asset.as_ref().unwrap().warranty_until.unwrap() >= today)
            .collect();
        assert_eq!(warranties.len(), 2, "assets both in and out of warranty");
        assert!(
            jobs.iter().any(|j| j.technician.is_none()),
            "some unassigned"
        );
        assert!(jobs.iter().any(|j| j.scheduled_start.unwrap() < day_start));
        assert!(jobs.iter().any(|j| j.scheduled_start.unwrap() > day_start));

        let now = day_start + Duration::hours(7);
        let first = seed(&storage, day_start, today, now).unwrap();
        assert_eq!(first.accounts_created, ACCOUNTS.len());
        assert_eq!(first.jobs.created, 60);
        let again = seed(&storage, day_start, today, now).unwrap();
        assert_eq!(again.accounts_created, 0);
        assert_eq!((again.jobs.created, again.jobs.unchanged), (0, 60));
    }
}
