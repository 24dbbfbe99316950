//! Demo data for trying Onsite: a dispatcher, three technicians, about forty customers with
//! products in and out of warranty, and about sixty jobs of every kind around the demo day,
//! each fitting its product. The visits before the demo day happened: most were completed
//! (sent from the technicians' laptops as ops), a few are overdue and one was cancelled. The
//! data is generated from a fixed seed, so every demo looks the same relative to its day.

pub mod reference;

use crate::password::hash_password;
use crate::storage::{ImportReport, NewUser, Pusher, Storage, StorageError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use onsite_protocol::api::{AssetInput, CustomerInput, JobInput, SiteInput};
use onsite_protocol::board::Degrees;
use onsite_protocol::signoff::CallTime;
use onsite_protocol::{Change, DeviceId, Hlc, JobId, JobKind, JobStatus, Op, OpId, Priority, Role};
use uuid::Uuid;

/// Password of every demo account.
pub const PASSWORD: &str = "onsite-demo";

/// A demo account: username, display name, role, skills.
pub type Account = (&'static str, &'static str, Role, &'static [&'static str]);

/// The demo accounts; the first technician is the one the demo logs in as.
pub const ACCOUNTS: &[Account] = &[
    ("ada", "Ada Admin", Role::Admin, &[]),
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
        &[
            "washing-machines",
            "dishwashers",
            "fridges",
            "air-conditioning",
        ],
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

/// A piece of work on a product: its kind, the job's one-line summary, what the customer
/// reported, and what the technician found and did (the note of a finished visit).
type Work = (JobKind, &'static str, &'static str, &'static str);

/// A demo product: model, serial prefix, and the work that fits it (no "no hot water" on a
/// washing machine).
type Product = (&'static str, &'static str, &'static [Work]);

const PRODUCTS: &[Product] = &[
    (
        "HeatMax 300 combi boiler",
        "HM3",
        &[
            (
                JobKind::Repair,
                "No hot water since the weekend",
                "heating works but the taps run cold since Saturday",
                "Diverter valve stuck; replaced it and tested hot water at every tap.",
            ),
            (
                JobKind::Repair,
                "Pressure keeps dropping",
                "has to top up the boiler pressure every two days",
                "Weeping joint on the return pipe; remade it, system holds 1.5 bar.",
            ),
            (
                JobKind::Debugging,
                "Error F28 on the display",
                "boiler shows F28 and will not light",
                "Gas valve fine; ignition electrode worn. Replaced, lights first time.",
            ),
            (
                JobKind::Maintenance,
                "Annual boiler service",
                "annual service due under the warranty plan",
                "Serviced: burner cleaned, flue gas 48 ppm CO, seals checked.",
            ),
            (
                JobKind::Installation,
                "Install and commission the new combi boiler",
                "new boiler delivered; old one to be taken away",
                "Installed, flushed the system, commissioned and showed the customer the controls.",
            ),
        ],
    ),
    (
        "HeatMax 500 system boiler",
        "HM5",
        &[
            (
                JobKind::Repair,
                "Radiators cold upstairs",
                "downstairs radiators hot, upstairs ones cold",
                "Air in the system and a sticking zone valve; bled radiators, replaced the valve head.",
            ),
            (
                JobKind::Debugging,
                "Boiler locks out after a few minutes",
                "boiler runs, then locks out with a red light",
                "Condensate trap blocked; cleared it and the lockouts stopped.",
            ),
            (
                JobKind::Maintenance,
                "Annual boiler service",
                "yearly service",
                "Serviced and tested; expansion vessel recharged to 1 bar.",
            ),
        ],
    ),
    (
        "AirSource 8 kW heat pump",
        "AS8",
        &[
            (
                JobKind::Repair,
                "Outdoor unit iced up",
                "the outdoor unit is covered in ice and the house is cold",
                "Defrost sensor failed; replaced it and watched a full defrost cycle.",
            ),
            (
                JobKind::Debugging,
                "Low heat output in cold weather",
                "house does not get above 18 °C when it is below zero outside",
                "Flow temperature curve set too low; adjusted it with the customer.",
            ),
            (
                JobKind::Maintenance,
                "Heat pump service and refrigerant check",
                "annual service",
                "Coil cleaned, refrigerant pressures normal, filter cleaned.",
            ),
            (
                JobKind::Installation,
                "Install and commission the heat pump",
                "heat pump delivered, replacing an oil boiler",
                "Installed, filled and commissioned; handover of the app and controls.",
            ),
        ],
    ),
    (
        "AquaPure 7 kg washing machine",
        "AP7",
        &[
            (
                JobKind::Repair,
                "Drum does not spin",
                "the drum will not turn and the washing stays soaked",
                "Drive belt snapped; fitted a new belt and ran a spin test.",
            ),
            (
                JobKind::Repair,
                "Leaks water during the wash",
                "a puddle under the machine after every wash",
                "Door seal torn; replaced the seal, no leak on a full cycle.",
            ),
            (
                JobKind::Debugging,
                "Error E21 on the display",
                "the machine stops with E21 and will not drain",
                "Drain pump filter full of coins; cleaned it, drains normally.",
            ),
            (
                JobKind::Installation,
                "Install the new washing machine",
                "new machine to plumb in; old one to go",
                "Installed, levelled, transit bolts removed, test wash done.",
            ),
        ],
    ),
    (
        "AquaPure dishwasher DW45",
        "DW4",
        &[
            (
                JobKind::Repair,
                "Dishes come out dirty",
                "dishes still dirty and gritty after a full programme",
                "Spray arm blocked and filter clogged; cleaned both, results good.",
            ),
            (
                JobKind::Debugging,
                "Error E15 on the display",
                "shows E15 and the pump hums",
                "Water in the base from a loose hose clamp; dried, tightened, cleared E15.",
            ),
            (
                JobKind::Maintenance,
                "Descale and check",
                "cloudy glasses, asks for a check",
                "Descaled, salt setting raised to match the hard water.",
            ),
        ],
    ),
    (
        "FrostLine fridge-freezer FF70",
        "FF7",
        &[
            (
                JobKind::Repair,
                "Freezer not cold enough",
                "ice cream goes soft; the freezer reads -8 °C",
                "Evaporator fan failed; replaced, freezer down to -18 °C within two hours.",
            ),
            (
                JobKind::Repair,
                "Loud humming from the back",
                "a loud hum at night",
                "Compressor mount loose; refitted the rubber mounts, quiet now.",
            ),
            (
                JobKind::Debugging,
                "Ice building up behind the drawers",
                "ice keeps forming at the back of the freezer",
                "Defrost heater open circuit; replaced it.",
            ),
        ],
    ),
    (
        "CoolBreeze split air conditioner",
        "CB2",
        &[
            (
                JobKind::Repair,
                "Blows warm air in cooling mode",
                "the air conditioner runs but the air is warm",
                "Low on refrigerant from a flare leak; remade the flare, recharged.",
            ),
            (
                JobKind::Repair,
                "Water dripping from the indoor unit",
                "water drips onto the sofa below the indoor unit",
                "Condensate drain blocked; cleared and flushed it.",
            ),
            (
                JobKind::Maintenance,
                "Filter clean and gas check",
                "yearly service before the summer",
                "Filters and coil cleaned; pressures normal.",
            ),
            (
                JobKind::Installation,
                "Install the split air conditioner",
                "new unit for the bedroom",
                "Installed indoor and outdoor units, vacuumed and commissioned.",
            ),
        ],
    ),
    (
        "SunVolt 5 kW solar inverter",
        "SV5",
        &[
            (
                JobKind::Repair,
                "Inverter offline since the storm",
                "the inverter screen is blank since the storm",
                "Surge took out the DC isolator; replaced it, inverter back online.",
            ),
            (
                JobKind::Debugging,
                "Inverter shows a grid fault",
                "the inverter keeps reporting a grid fault at midday",
                "Grid voltage high at midday; set the inverter to the correct grid profile.",
            ),
            (
                JobKind::Maintenance,
                "Yield check and panel inspection",
                "output seems lower than last year",
                "Panels dirty; cleaned, connections checked, yield back to expected.",
            ),
        ],
    ),
    (
        "ThermoTank 150 L water heater",
        "TT1",
        &[
            (
                JobKind::Repair,
                "Water only lukewarm",
                "hot water never gets properly hot",
                "Thermostat failed; replaced it, water at 60 °C.",
            ),
            (
                JobKind::Repair,
                "Relief valve dripping",
                "the pressure relief valve drips constantly",
                "Valve seat scaled; replaced the relief valve.",
            ),
            (
                JobKind::Maintenance,
                "Anode check and descale",
                "yearly check",
                "Anode half worn, replaced; tank descaled.",
            ),
        ],
    ),
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
/// `today`. Jobs run from two days before to six days after; a few are unassigned. A customer
/// with two jobs has two different pieces of work on their product.
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
            let (model, line, work) = PRODUCTS[c % PRODUCTS.len()];
            // The second job of a customer (n ≥ 40) takes the next piece of work of the list.
            // Customers with one product differ in their work; a customer's second job (n ≥ 40)
            // is the next piece of work on the list, never the same again.
            let pick = (c / PRODUCTS.len() + n as usize / CUSTOMERS.len()) % work.len();
            let (kind, summary, reported, _) = work[pick];
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
            let short = model.split(' ').next().unwrap_or(model);
            JobInput {
                number: Some(format!("J-{:06}", 1001 + n)),
                kind,
                summary: format!("{summary} ({short})"),
                description: Some(format!("{name}: {reported}. Product: {model}.")),
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
                    // Spread over about 20 km, so suggestions can say who is nearest.
                    lat: Some(Degrees(51.40 + (c * 7 % 20) as f64 * 0.01)),
                    lon: Some(Degrees(-0.30 + (c * 11 % 30) as f64 * 0.01)),
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

/// How a visit scheduled before the demo day went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done: travelled, arrived, worked, wrote what was done, completed.
    Completed,
    /// Arrived and found a part is needed: the job waits for it (overdue, still open).
    WaitingParts,
    /// Never visited: still assigned, overdue.
    Missed,
    /// HQ cancelled it before the visit.
    Cancelled,
    /// HQ cancelled it while the technician was already on site, and the laptop then sent the
    /// completion: a conflict waiting for a dispatcher.
    CancelledOnSite,
}

/// What happened to each job scheduled before the demo day: most were completed, a few are
/// left open (overdue), one was cancelled, and one was cancelled while the technician was on
/// site (its completion is a conflict), so every view of the app has something in it.
pub fn outcomes(jobs: &[JobInput], day_start: DateTime<Utc>) -> Vec<(usize, Outcome)> {
    jobs.iter()
        .enumerate()
        .filter(|(_, j)| j.technician.is_some() && j.scheduled_start.is_some_and(|s| s < day_start))
        .enumerate()
        .map(|(k, (i, _))| {
            let outcome = match k % 7 {
                _ if k == 11 => Outcome::CancelledOnSite,
                2 => Outcome::WaitingParts,
                4 => Outcome::Missed,
                6 => Outcome::Cancelled,
                _ => Outcome::Completed,
            };
            (i, outcome)
        })
        .collect()
}

/// The demo laptop of `technician`: a fixed id, so seeding again sends the same ops.
fn demo_device(technician: &str) -> DeviceId {
    let n = ACCOUNTS.iter().position(|a| a.0 == technician).unwrap_or(0) as u128;
    DeviceId(Uuid::from_u128(
        0x0190_0000_0000_7000_8000_0de0_0000_0000 | n,
    ))
}

/// The ops a technician's laptop sent for a visit, in order, with fixed ids (job and step).
fn visit_ops(n: usize, job_id: JobId, job: &JobInput, outcome: Outcome) -> Vec<Op> {
    let technician = job.technician.as_deref().unwrap_or_default();
    let device = demo_device(technician);
    let start = job.scheduled_start.unwrap_or_default();
    let note = PRODUCTS
        .iter()
        .flat_map(|(_, _, work)| work.iter())
        .find(|(_, summary, _, _)| job.summary.starts_with(summary))
        .map_or("Work done and tested with the customer.", |w| w.3);
    let minutes = |m: i64| start + Duration::minutes(m);
    let mut steps: Vec<(DateTime<Utc>, Change)> = vec![
        (
            minutes(-25),
            Change::Status {
                to: JobStatus::EnRoute,
            },
        ),
        (
            minutes(5),
            Change::Status {
                to: JobStatus::OnSite,
            },
        ),
        (minutes(10), Change::WorkStarted { at: minutes(10) }),
    ];
    match outcome {
        Outcome::Completed => steps.extend([
            (
                minutes(70),
                Change::Note {
                    text: note.to_string(),
                },
            ),
            (minutes(85), Change::WorkStopped { at: minutes(85) }),
            (minutes(86), rating(n)),
            (
                minutes(87),
                Change::Status {
                    to: JobStatus::Completed,
                },
            ),
        ]),
        Outcome::CancelledOnSite => steps.extend([
            (
                minutes(60),
                Change::Note {
                    text: note.to_string(),
                },
            ),
            (minutes(65), Change::WorkStopped { at: minutes(65) }),
            (
                minutes(66),
                Change::Status {
                    to: JobStatus::Completed,
                },
            ),
        ]),
        Outcome::WaitingParts => steps.extend([
            (
                minutes(40),
                Change::Note {
                    text: "The part that failed is not in the van; ordered it. Customer \
                           informed, back once it arrives."
                        .into(),
                },
            ),
            (
                minutes(42),
                Change::PartsRequested {
                    sku: job
                        .asset
                        .as_ref()
                        .and_then(|a| reference::awaited_part(&a.model))
                        .unwrap_or("GEN-HOSE-15")
                        .to_string(),
                    qty: 1,
                    note: Some("Back to fit it as soon as it arrives".into()),
                },
            ),
            (minutes(45), Change::WorkStopped { at: minutes(45) }),
            (
                minutes(46),
                Change::Status {
                    to: JobStatus::WaitingParts,
                },
            ),
        ]),
        Outcome::Missed | Outcome::Cancelled => return Vec::new(),
    }
    steps
        .into_iter()
        .enumerate()
        .map(|(step, (at, change))| Op {
            op_id: OpId(Uuid::from_u128(
                0x0190_0000_0000_7000_8000_0000_0000_0000 | ((n as u128) << 16) | step as u128,
            )),
            device_id: device,
            job_id,
            hlc: Hlc {
                wall: at.timestamp_millis(),
                counter: 0,
                node: device,
            },
            recorded_at: Some(at),
            change,
        })
        .collect()
}

/// What the customer of the demo's `n`th job said before the technician left: mostly
/// pleased, now and then not, so complaints, follow-up calls and the quality charts have
/// something in them.
fn rating(n: usize) -> Change {
    const SAID: [(u8, u8, Option<&str>, Option<&str>); 7] = [
        (5, 10, Some("Quick, tidy and explained everything."), None),
        (4, 8, None, None),
        (5, 9, Some("Very friendly technician."), None),
        (3, 6, Some("Fine, but the technician arrived late."), None),
        (5, 10, None, None),
        (
            2,
            3,
            None,
            Some("It still makes a knocking noise at night."),
        ),
        (4, 8, Some("Good work."), None),
    ];
    let (satisfaction, recommend, comment, complaint) = SAID[n % SAID.len()];
    Change::Rated {
        satisfaction,
        recommend: Some(recommend),
        comment: comment.map(str::to_string),
        complaint: complaint.map(str::to_string),
        call_ok: n % 4 != 1,
        call_time: [Some(CallTime::Morning), None, Some(CallTime::Afternoon)][n % 3]
            .filter(|_| n % 4 != 1),
    }
}

/// Sends `ops` from `technician`'s demo laptop, received when the last was recorded.
async fn push_visit(
    storage: &dyn Storage,
    technician: &str,
    ops: &[Op],
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let Some(last) = ops.last().map(|o| o.hlc.wall) else {
        return Ok(());
    };
    let raw = ops
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StorageError::Invalid(e.to_string()))?;
    let pusher = Pusher {
        device_id: demo_device(technician),
        username: technician.to_string(),
    };
    let received = DateTime::from_timestamp_millis(last)
        .unwrap_or(now)
        .min(now);
    // Visits carry no photos: no uploaded content to tell storage about.
    storage
        .push(&pusher, &raw, &Default::default(), received)
        .await?;
    Ok(())
}

/// What [`seed`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seeded {
    /// Accounts created (existing ones are left alone).
    pub accounts_created: usize,
    /// The job import.
    pub jobs: ImportReport,
    /// The reference data.
    pub reference: reference::Imported,
}

/// Writes the demo accounts, jobs and the visits before the demo day into `storage`. Running
/// it again leaves existing accounts alone, updates the jobs in place and sends the same
/// visits again (HQ answers them as duplicates), so it is safe on a folder that already has
/// demo data.
///
/// # Errors
/// [`StorageError`] from the storage.
pub async fn seed(
    storage: &dyn Storage,
    day_start: DateTime<Utc>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Seeded, StorageError> {
    let mut accounts_created = 0;
    for (username, name, role, skills) in ACCOUNTS {
        if storage.credentials(username).await?.is_some() {
            continue;
        }
        storage
            .add_user(
                NewUser {
                    username: (*username).to_string(),
                    display_name: (*name).to_string(),
                    role: *role,
                    skills: skills.iter().map(|s| (*s).to_string()).collect(),
                    password_hash: hash_password(PASSWORD).map_err(StorageError::Invalid)?,
                },
                now,
            )
            .await?;
        accounts_created += 1;
    }
    let inputs = jobs(day_start, today);
    let lines: Vec<_> = inputs
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, j)| (i + 1, j))
        .collect();
    // The jobs were booked a few days before the demo day.
    let booked = (day_start - Duration::days(3)).min(now);
    let report = storage.import_jobs(&lines, booked).await?;
    // Northwind calls customers back the day after a visit, so the demo has calls due today.
    storage
        .set_settings(&onsite_protocol::settings::Settings { follow_up_days: 1 })
        .await?;
    // The parts requests reach HQ after the catalog they are checked against; the rest of the
    // visits before the checklists, which none of them answered.
    let mut requests = Vec::new();
    for (i, outcome) in outcomes(&inputs, day_start) {
        let job = &inputs[i];
        let view = storage
            .job_by_number(job.number.as_deref().unwrap_or_default())
            .await?;
        if outcome == Outcome::Cancelled {
            if !view.job.status.is_closed() {
                let reason = "Customer rang to cancel: it works again after a reset";
                storage
                    .cancel_job(view.job.id, Some(reason), booked + Duration::days(1))
                    .await?;
            }
            continue;
        }
        let (asked, ops): (Vec<_>, Vec<_>) = visit_ops(i, view.job.id, job, outcome)
            .into_iter()
            .partition(|o| matches!(o.change, Change::PartsRequested { .. }));
        let technician = job.technician.clone().unwrap_or_default();
        if outcome == Outcome::CancelledOnSite {
            // The laptop sent its arrival; the customer then rang HQ to cancel, and the
            // completion arrived after that.
            let (arrived, rest) = ops.split_at(3.min(ops.len()));
            push_visit(storage, &technician, arrived, now).await?;
            if !storage.job(view.job.id).await?.job.status.is_closed() {
                let cancelled_at = arrived.last().map_or(now, |o| {
                    DateTime::from_timestamp_millis(o.hlc.wall + 60_000).unwrap_or(now)
                });
                let reason = "Customer rang to cancel while the technician was on the way in";
                storage
                    .cancel_job(view.job.id, Some(reason), cancelled_at.min(now))
                    .await?;
            }
            push_visit(storage, &technician, rest, now).await?;
            continue;
        }
        push_visit(storage, &technician, &ops, now).await?;
        requests.push((technician, asked));
    }
    let reference = reference::seed(storage, booked).await?;
    storage
        .set_letterhead(&onsite_protocol::letterhead::Letterhead {
            name: "Northwind Home Services".into(),
            lines: vec![
                "14 Mill Lane, Leeds LS1 4AB".into(),
                "0113 496 0000 · service@northwind.example".into(),
            ],
            logo: None,
        })
        .await?;
    storage
        .set_labour(&onsite_protocol::labour::LabourPrices {
            call_out_cents: 4500,
            hourly_cents: 6000,
            increment_minutes: 15,
        })
        .await?;
    for (technician, asked) in requests {
        push_visit(storage, &technician, &asked, now).await?;
    }
    Ok(Seeded {
        accounts_created,
        jobs: report,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sqlite::SqliteStorage;
    use onsite_protocol::api::JobListQuery;
    use std::collections::BTreeSet;

    #[test]
    fn demo_work_fits_its_products_and_no_job_repeats_another() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let day_start: DateTime<Utc> = "2026-11-23T00:00:00Z".parse().unwrap();
        let jobs = jobs(day_start, today);
        let mut seen = BTreeSet::new();
        for j in &jobs {
            let model = &j.asset.as_ref().unwrap().model;
            let (_, _, work) = PRODUCTS.iter().find(|p| p.0 == model).unwrap();
            assert!(
                work.iter()
                    .any(|(kind, summary, _, _)| j.summary.starts_with(summary) && *kind == j.kind),
                "{} does not fit a {model}",
                j.summary
            );
            assert!(
                seen.insert((j.customer.name.clone(), j.summary.clone())),
                "{} has {} twice",
                j.customer.name,
                j.summary
            );
        }
        let washers: Vec<_> = jobs
            .iter()
            .filter(|j| j.asset.as_ref().unwrap().model.contains("washing machine"))
            .collect();
        assert!(!washers.is_empty());
        assert!(
            washers
                .iter()
                .all(|j| !j.summary.to_lowercase().contains("hot water"))
        );
    }

    #[tokio::test]
    async fn demo_is_varied_and_seeding_twice_changes_nothing() {
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
        let first = seed(&storage, day_start, today, now).await.unwrap();
        assert_eq!(first.accounts_created, ACCOUNTS.len());
        assert_eq!(first.jobs.created, 60);
        let statuses = async || -> Vec<(String, Option<String>, JobStatus)> {
            storage
                .list_jobs(&JobListQuery::default(), 500)
                .await
                .unwrap()
                .jobs
                .into_iter()
                .map(|v| (v.job.number, v.job.technician, v.job.status))
                .collect()
        };
        let before = statuses().await;
        let received = async || storage.received_ops(None, 1000).await.unwrap().ops;
        let sent = received().await;
        let conflicts: Vec<_> = sent
            .iter()
            .filter(|o| o.outcome != onsite_protocol::Outcome::Applied)
            .map(|o| (o.outcome, o.reason))
            .collect();
        assert_eq!(
            conflicts,
            [(
                onsite_protocol::Outcome::Conflict,
                Some(onsite_protocol::Reason::StatusConflict)
            )],
            "every visit is a valid record but the one completed after HQ cancelled it"
        );
        assert_eq!(storage.conflicts(false).await.unwrap().len(), 1);
        let due = storage.follow_ups_due(today, None, 100).await.unwrap();
        assert!(
            !due.follow_ups.is_empty(),
            "follow-up calls are due on the demo day: {due:?}"
        );
        let complaints = storage
            .cases(
                onsite_protocol::cases::CaseKind::Complaint,
                &Default::default(),
                50,
            )
            .await
            .unwrap();
        assert!(
            !complaints.cases.is_empty(),
            "an unhappy customer complained"
        );
        assert!(
            storage.letterhead().await.unwrap().is_some(),
            "reports have a letterhead"
        );
        assert!(
            storage.labour().await.unwrap().is_some(),
            "chargeable work is priced"
        );
        let asked = storage.parts_requests(None, 50).await.unwrap().requests;
        assert!(
            !asked.is_empty() && asked.iter().all(|r| r.name.is_some()),
            "the jobs waiting for parts name them: {asked:?}"
        );
        let again = seed(&storage, day_start, today, now).await.unwrap();
        assert_eq!(again.accounts_created, 0);
        assert_eq!((again.jobs.created, again.jobs.unchanged), (0, 60));
        assert!(first.reference.parts.created >= 40);
        for technician in ["tina", "tom", "sara"] {
            let van = storage.van_stock(technician, None, 500).await.unwrap();
            assert!(van.balances.len() >= 5, "{technician}'s van is stocked");
        }
        let tina_moves = storage
            .van_stock("tina", None, 500)
            .await
            .unwrap()
            .moves
            .len();
        let r = again.reference;
        assert_eq!(
            [r.parts, r.checklists, r.warranty, r.guides].map(|i| i.created + i.updated),
            [0; 4],
            "the reference data is unchanged: {r:?}"
        );
        assert_eq!(
            storage
                .van_stock("tina", None, 500)
                .await
                .unwrap()
                .moves
                .len(),
            tina_moves,
            "the vans are not stocked twice"
        );
        assert_eq!(
            statuses().await,
            before,
            "the visits are not recorded twice"
        );
        assert_eq!(
            received().await.len(),
            sent.len(),
            "the second seeding only sent duplicates"
        );

        // Before the demo day: mostly completed, and Tina has work left overdue.
        let past: Vec<_> = before
            .iter()
            .zip(&jobs)
            .filter(|(_, j)| j.technician.is_some() && j.scheduled_start.unwrap() < day_start)
            .map(|(s, _)| s.clone())
            .collect();
        let count = |status| past.iter().filter(|(_, _, s)| *s == status).count();
        assert!(count(JobStatus::Completed) > past.len() / 2, "{past:?}");
        assert!(count(JobStatus::Cancelled) >= 1);
        assert!(
            past.iter()
                .any(|(_, t, s)| t.as_deref() == Some("tina") && !s.is_closed()),
            "Tina has overdue open work: {past:?}"
        );
        // From the demo day on, nothing has happened yet.
        assert!(
            before
                .iter()
                .zip(&jobs)
                .filter(|(_, j)| j.scheduled_start.unwrap() >= day_start)
                .all(|((_, _, s), _)| matches!(s, JobStatus::Assigned | JobStatus::New))
        );
    }
}
