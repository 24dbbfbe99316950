//! `onsite`: the technician's headless client. Same store format as the desktop app; every
//! reading command works with HQ unreachable.

use anyhow::{Context, Result};
use chrono::{Local, Utc};
use clap::{Parser, Subcommand};
use onsite_core::{CoreError, Device, Fingerprint, HqLogout, JobQuery, SyncPhase};
use onsite_protocol::{Change, JobStatus};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

/// `println!` that reports a closed standard output (e.g. piped into `head`) as an error
/// instead of panicking; `main` treats that error as a normal end.
/// Prints a line to standard output, with anything that could act on a terminal spelled out
/// ([`safe::terminal`]): much of what is printed comes from HQ.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        writeln!(std::io::stdout().lock(), "{}", $crate::safe::terminal(&line))?
    }};
}

mod print;
mod safe;
use print::{describe, local, print_detail, print_outbox, truncate, window};

#[derive(Parser)]
#[command(
    name = "onsite",
    version,
    about = "Onsite technician client (headless)"
)]
struct Cli {
    /// Data folder of this device (database, session); defaults to the desktop app's folder
    /// (`~/.local/share/onsite-desktop` on Linux), so both share one store.
    #[arg(long, env = "ONSITE_DATA", global = true)]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Log in to HQ and remember the session on this device.
    Login {
        /// HQ address, https://host:port.
        #[arg(long)]
        hq: String,
        /// Your username.
        #[arg(long)]
        username: String,
        /// HQ's certificate fingerprint (sha256:...) as your dispatcher gave it; without it
        /// the system's trusted certificates are used.
        #[arg(long)]
        fingerprint: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Send this device's changes to HQ, then download what changed there.
    Sync,
    /// Changes waiting to reach HQ, and what became of the latest ones.
    Outbox {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// How many answered changes to show besides the waiting ones.
        #[arg(long, default_value_t = 20)]
        recent: u32,
    },
    /// List the jobs on this device.
    Jobs {
        /// Only jobs matching this (number, customer, address, town, serial).
        #[arg(long)]
        search: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One job.
    Job {
        #[command(subcommand)]
        command: JobCommand,
    },
    /// Session, HQ, last sync, number of jobs.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// End the session at HQ (when HQ can be reached) and remove HQ's data from this device.
    /// Refuses while changes wait to reach HQ, unless told to discard them.
    Logout {
        /// Throw away changes that have not reached HQ.
        #[arg(long)]
        discard_unsent: bool,
    },
    /// Before leaving: whether today's jobs can be worked offline, and which parts that fit
    /// today's products are not in the van. Exits non-zero when the day is not ready.
    Ready {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The parts in your van: HQ's balance less what waits to reach HQ.
    Stock {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Technical guides for the products of your jobs, readable offline.
    Guides {
        /// Only guides with these words (or words starting so) in their title or text.
        #[arg(long)]
        search: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One technical guide.
    Guide {
        #[command(subcommand)]
        command: GuideCommand,
    },
}

#[derive(Subcommand)]
enum GuideCommand {
    /// Print a guide in full.
    Show {
        /// The guide's id, as `onsite guides` lists it.
        id: String,
    },
}

#[derive(Subcommand)]
enum JobCommand {
    /// Show a job in full.
    Show {
        /// Job number, e.g. J-000123.
        number: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move a job to a status: en_route, on_site, waiting_parts, completed, assigned.
    Status {
        /// Job number.
        number: String,
        /// The new status.
        status: String,
    },
    /// Add a note.
    Note {
        /// Job number.
        number: String,
        /// The note.
        text: String,
    },
    /// Attach a photo or PDF (copied into the data folder; the original may go).
    Photo {
        /// Job number.
        number: String,
        /// The file.
        file: PathBuf,
        /// What the photo shows (one line, at most 200 characters).
        #[arg(long)]
        caption: Option<String>,
    },
    /// Correct the customer's contact phone.
    Phone {
        /// Job number.
        number: String,
        /// The phone number.
        phone: String,
    },
    /// Correct the product's serial number.
    Serial {
        /// Job number.
        number: String,
        /// The serial.
        serial: String,
    },
    /// Start or stop work on site (time entry).
    Work {
        /// Job number.
        number: String,
        /// `start` or `stop`.
        #[arg(value_parser = ["start", "stop"])]
        action: String,
    },
    /// Write the job's service report as it stands now, as PDF (offline; not signed).
    Report {
        /// Job number.
        number: String,
        /// Where to write it.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Write the report the customer last signed instead, byte for byte.
        #[arg(long)]
        signed: bool,
    },
    /// The customer signs the job's report: it is made now with their name and signature,
    /// kept, and sent to HQ on the next sync.
    #[command(group(clap::ArgGroup::new("how").required(true).args(["signature", "typed"])))]
    Sign {
        /// Job number.
        number: String,
        /// The signer's name, as printed on the report.
        #[arg(long)]
        signer: String,
        /// What the customer drew, as a PNG image.
        #[arg(long)]
        signature: Option<PathBuf>,
        /// The customer typed their name and ticked to confirm, instead of drawing.
        #[arg(long)]
        typed: bool,
    },
    /// Record the customer's rating of the visit; 1-2 or a complaint opens a complaint at HQ.
    Rate {
        /// Job number.
        number: String,
        /// 1 (very dissatisfied) to 5 (very satisfied).
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
        satisfaction: u8,
        /// Would they recommend us, 0 to 10.
        #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10))]
        recommend: Option<u8>,
        /// Their words.
        #[arg(long)]
        comment: Option<String>,
        /// What they complain of.
        #[arg(long)]
        complaint: Option<String>,
        /// They agree to a follow-up call.
        #[arg(long)]
        call_ok: bool,
        /// When they would rather be called: morning, afternoon or evening.
        #[arg(long, requires = "call_ok")]
        call_time: Option<String>,
    },
    /// The job's checklists: each item, its answer, and what completion waits for.
    Checklist {
        /// Job number.
        number: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Answer a checklist item: yes/no, a number, one of the options, text, or a photo's file.
    Answer {
        /// Job number.
        number: String,
        /// The item's key, or `template.item` when two checklists share the key.
        item: String,
        /// The answer.
        value: String,
    },
    /// Record a part from the van used on the job.
    Part {
        /// Job number.
        number: String,
        /// The part's SKU.
        sku: String,
        /// Units used (default 1).
        #[arg(long)]
        qty: Option<u32>,
        /// The unit's serial, for a serialized part.
        #[arg(long)]
        serial: Option<String>,
        /// The serial of the faulty part it replaced.
        #[arg(long)]
        removed_serial: Option<String>,
    },
    /// What the warranty allows for a fault: each remedy with the rule that allows it.
    Warranty {
        /// Job number.
        number: String,
        /// performance, physical_damage, misuse, unauthorised_repair or wear.
        #[arg(long)]
        fault: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record the warranty decision: return, replace, repair or chargeable.
    Decide {
        /// Job number.
        number: String,
        /// return, replace, repair or chargeable.
        remedy: String,
        /// performance, physical_damage, misuse, unauthorised_repair or wear.
        #[arg(long)]
        fault: String,
        /// Your words on the decision.
        #[arg(long)]
        note: Option<String>,
        /// For replace: the new unit's serial.
        #[arg(long)]
        replacement_serial: Option<String>,
    },
    /// Void a part use or decision recorded by mistake (both stay on record).
    Void {
        /// Job number.
        number: String,
        /// The change's id, as `onsite job show NUMBER --json` lists it.
        op_id: String,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Ask HQ for parts the job waits for.
    Request {
        /// Job number.
        number: String,
        /// The part's SKU.
        sku: String,
        /// Units needed (default 1).
        #[arg(long, default_value_t = 1)]
        qty: u32,
        /// What for.
        #[arg(long)]
        note: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`onsite jobs | head`): nothing more to say.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Device errors carry messages written for people; show them without a trace.
            match e.downcast_ref::<CoreError>() {
                Some(core) => eprintln!("error: {}", safe::terminal(&core.to_string())),
                None => eprintln!("error: {}", safe::terminal(&format!("{e:#}"))),
            }
            ExitCode::FAILURE
        }
    }
}

fn fault_error(typed: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "{typed:?} is not a fault; say performance, physical_damage, misuse, \
         unauthorised_repair or wear"
    )
}

async fn run(cli: Cli) -> Result<()> {
    let data = cli
        .data
        .or_else(onsite_core::default_data_dir)
        .context("no data folder: pass --data DIR or set ONSITE_DATA")?;
    let device = Device::open(&data)?;
    match cli.command {
        Command::Login {
            hq,
            username,
            fingerprint,
            password_stdin: _,
        } => {
            let pin = fingerprint
                .map(|f| f.parse::<Fingerprint>())
                .transpose()
                .context("--fingerprint")?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let user = device
                .login(
                    &hq,
                    &username,
                    password.trim_end_matches(['\n', '\r']),
                    pin,
                    Utc::now(),
                )
                .await?;
            out!(
                "logged in as {} ({}) at {}",
                user.display_name,
                user.username,
                hq.trim_end_matches('/')
            );
        }
        Command::Sync => {
            let live = std::io::stderr().is_terminal();
            let report = device
                .sync(Utc::now(), &|p| {
                    if !live {
                        return;
                    }
                    let of = p.total.map(|t| format!(" of {t}")).unwrap_or_default();
                    match p.phase {
                        SyncPhase::Uploading => eprint!("\r\x1b[Kuploading: {} bytes{of}", p.done),
                        SyncPhase::Pushing => eprint!("\r\x1b[Ksending: {} changes{of}", p.done),
                        SyncPhase::Pulling => eprint!("\r\x1b[Kreceiving: {} jobs", p.done),
                        _ => {}
                    }
                })
                .await;
            if live {
                eprint!("\r\x1b[K");
            }
            let report = report?;
            if report.applied + report.conflicts + report.rejected > 0 || report.uploaded > 0 {
                out!(
                    "sent: {} changes applied, {} conflicts, {} rejected; {} attachments ({} bytes)",
                    report.applied,
                    report.conflicts,
                    report.rejected,
                    report.uploaded,
                    report.uploaded_bytes
                );
            }
            let reference = match report.reference_received {
                0 => String::new(),
                n => format!(", {n} reference records (parts, checklists, policies, guides)"),
            };
            out!(
                "synced: {} pages, {} jobs received, {} removed{reference}{} in {:.2} s",
                report.pages,
                report.jobs_received,
                report.jobs_removed,
                if report.reset {
                    " (HQ was reset; local copy rebuilt)"
                } else {
                    ""
                },
                report.elapsed.as_secs_f64()
            );
        }
        Command::Jobs { search, json } => {
            let query = JobQuery {
                search,
                ..JobQuery::default()
            };
            let jobs = device.jobs(&query, Utc::now())?;
            if json {
                out!("{}", serde_json::to_string_pretty(&jobs)?);
            } else if jobs.is_empty() {
                out!("no jobs on this device");
            } else {
                out!(
                    "{:<12} {:<13} {:<14} {:<28} SCHEDULED",
                    "NUMBER",
                    "KIND",
                    "STATUS",
                    "CUSTOMER"
                );
                for j in jobs {
                    out!(
                        "{:<12} {:<13} {:<14} {:<28} {}",
                        j.number,
                        j.kind,
                        j.status,
                        truncate(&j.customer, 28),
                        window(j.scheduled_start, j.scheduled_end)
                    );
                }
            }
        }
        Command::Job {
            command: JobCommand::Show { number, json },
        } => {
            let now = Local::now();
            let detail = device.job(&number, now.to_utc(), now.date_naive())?;
            if json {
                out!("{}", serde_json::to_string_pretty(&detail)?);
            } else {
                print_detail(&detail)?;
            }
        }
        Command::Job {
            command:
                JobCommand::Report {
                    number,
                    out,
                    signed,
                },
        } => {
            let (pdf, what) = if signed {
                let (signoff, pdf) =
                    device.signed_report(&number, Utc::now())?.ok_or_else(|| {
                        anyhow::anyhow!("job {number} has no signed report on this laptop")
                    })?;
                let changed = if signoff.changed_since {
                    "; the job changed since, so it needs signing again"
                } else {
                    ""
                };
                (pdf, format!("report {} signed{changed}", signoff.signer))
            } else {
                let pdf = device.report(&number, chrono::Local::now().fixed_offset())?;
                (pdf, "service report as it stands, not signed".into())
            };
            std::fs::write(&out, &pdf)
                .with_context(|| format!("cannot write {}", out.display()))?;
            out!(
                "wrote {} ({} KB): job {number}'s {what}",
                out.display(),
                pdf.len().div_ceil(1024)
            );
        }
        Command::Job {
            command: JobCommand::Checklist { number, json },
        } => {
            let checklist = device.checklist(&number)?;
            if json {
                out!("{}", serde_json::to_string_pretty(&checklist)?);
            } else {
                print::print_checklist(&number, &checklist)?;
            }
        }
        Command::Job {
            command:
                JobCommand::Warranty {
                    number,
                    fault,
                    json,
                },
        } => {
            let fault = fault.trim().parse().map_err(|_| fault_error(&fault))?;
            let choice = device.warranty(&number, fault, Local::now().date_naive())?;
            if json {
                out!("{}", serde_json::to_string_pretty(&choice)?);
            } else {
                print::print_warranty(&number, &choice)?;
            }
        }
        Command::Job { command } => {
            let now = Utc::now();
            let entry = match command {
                JobCommand::Show { .. }
                | JobCommand::Checklist { .. }
                | JobCommand::Report { .. }
                | JobCommand::Warranty { .. } => unreachable!("handled above"),
                JobCommand::Sign {
                    number,
                    signer,
                    signature,
                    typed: _,
                } => {
                    let drawing = signature
                        .map(|path| {
                            std::fs::read(&path)
                                .with_context(|| format!("cannot read {}", path.display()))
                        })
                        .transpose()?;
                    device.sign(
                        &number,
                        &signer,
                        drawing.as_deref(),
                        Local::now().fixed_offset(),
                    )?
                }
                JobCommand::Rate {
                    number,
                    satisfaction,
                    recommend,
                    comment,
                    complaint,
                    call_ok,
                    call_time,
                } => {
                    let call_time = call_time
                        .map(|t| {
                            t.trim().parse().map_err(|_| {
                                anyhow::anyhow!(
                                    "{t:?} is not a call time; say morning, afternoon or evening"
                                )
                            })
                        })
                        .transpose()?;
                    device.record(
                        &number,
                        Change::Rated {
                            satisfaction,
                            recommend,
                            comment,
                            complaint,
                            call_ok,
                            call_time,
                        },
                        now,
                    )?
                }
                JobCommand::Answer {
                    number,
                    item,
                    value,
                } => device.answer(&number, &item, &value, now)?,
                JobCommand::Part {
                    number,
                    sku,
                    qty,
                    serial,
                    removed_serial,
                } => device.use_part(
                    &number,
                    &onsite_core::PartInput {
                        sku: &sku,
                        qty,
                        serial: serial.as_deref(),
                        removed_serial: removed_serial.as_deref(),
                    },
                    now,
                )?,
                JobCommand::Decide {
                    number,
                    remedy,
                    fault,
                    note,
                    replacement_serial,
                } => {
                    let remedy = remedy.trim().parse().map_err(|_| {
                        anyhow::anyhow!(
                            "{remedy:?} is not a remedy; say return, replace, repair or chargeable"
                        )
                    })?;
                    let fault = fault.trim().parse().map_err(|_| fault_error(&fault))?;
                    device.decide(
                        &number,
                        &onsite_core::DecisionInput {
                            remedy,
                            fault,
                            note: note.as_deref(),
                            replacement_serial: replacement_serial.as_deref(),
                        },
                        now,
                        Local::now().date_naive(),
                    )?
                }
                JobCommand::Void {
                    number,
                    op_id,
                    reason,
                } => {
                    let id = op_id
                        .trim()
                        .parse()
                        .map_err(|_| anyhow::anyhow!("{op_id:?} is not a change's id"))?;
                    device.void(&number, id, reason.as_deref(), now)?
                }
                JobCommand::Request {
                    number,
                    sku,
                    qty,
                    note,
                } => device.request_parts(&number, &sku, qty, note.as_deref(), now)?,
                JobCommand::Photo {
                    number,
                    file,
                    caption,
                } => device.attach_file(&number, &file, caption.as_deref(), now)?,
                JobCommand::Status { number, status } => {
                    let to: JobStatus = status.trim().parse()?;
                    device.record(&number, Change::Status { to }, now)?
                }
                JobCommand::Note { number, text } => {
                    device.record(&number, Change::Note { text }, now)?
                }
                JobCommand::Phone { number, phone } => {
                    device.record(&number, Change::ContactPhone { phone }, now)?
                }
                JobCommand::Serial { number, serial } => {
                    device.record(&number, Change::AssetSerial { serial }, now)?
                }
                JobCommand::Work { number, action } => {
                    let change = if action == "start" {
                        Change::WorkStarted { at: now }
                    } else {
                        Change::WorkStopped { at: now }
                    };
                    device.record(&number, change, now)?
                }
            };
            let waiting = device.status()?.waiting;
            out!(
                "recorded on {}: {} ({waiting} change(s) waiting to sync; run `onsite sync`)",
                entry.job_number,
                describe(&entry.change)
            );
        }
        Command::Ready { json } => {
            let now = Local::now();
            let (day, until) = onsite_core::ready::local_day(now);
            let readiness = device.ready(day, until, now.to_utc())?;
            if json {
                out!("{}", serde_json::to_string_pretty(&readiness)?);
            } else {
                print::print_ready(&readiness)?;
            }
            if !readiness.ready {
                return Err(anyhow::anyhow!("the day is not ready to be worked offline"));
            }
        }
        Command::Stock { json } => {
            let van = device.van_stock()?;
            if json {
                out!("{}", serde_json::to_string_pretty(&van)?);
            } else if van.is_empty() {
                out!("the van holds nothing HQ knows of (sync to refresh)");
            } else {
                out!("{:<14} {:<36} {:>5}  SERIALS", "SKU", "PART", "QTY");
                let unsent: i64 = van.iter().map(|b| b.unsent).sum();
                for b in van {
                    let flag = if b.negative {
                        "  (more used than issued: tell HQ)"
                    } else {
                        ""
                    };
                    let line = format!(
                        "{:<14} {:<36} {:>5}  {}{flag}",
                        b.sku,
                        truncate(&b.name, 36),
                        b.qty,
                        b.serials.join(", ")
                    );
                    out!("{}", line.trim_end());
                }
                if unsent != 0 {
                    out!(
                        "\n{unsent} unit(s) used on this laptop are taken off and wait to reach HQ"
                    );
                }
            }
        }
        Command::Guides { search, json } => {
            let guides = device.guides(search.as_deref())?;
            if json {
                out!("{}", serde_json::to_string_pretty(&guides)?);
            } else if guides.is_empty() {
                match search {
                    Some(words) => out!("no guide on this device mentions {words:?}"),
                    None => out!("no guides on this device (sync to get those for your jobs)"),
                }
            } else {
                out!("{:<28} {:<44} PRODUCTS", "ID", "TITLE");
                for g in guides {
                    let models = if g.models.is_empty() {
                        "all".to_string()
                    } else {
                        g.models.join(", ")
                    };
                    out!("{:<28} {:<44} {models}", g.id, truncate(&g.title, 44));
                }
            }
        }
        Command::Guide {
            command: GuideCommand::Show { id },
        } => {
            let guide = device.guide(&id)?;
            out!("{}", guide.title);
            if !guide.models.is_empty() {
                out!("for: {}", guide.models.join(", "));
            }
            out!("");
            for line in guide.body.lines() {
                out!("{line}");
            }
        }
        Command::Outbox { json, recent } => {
            let outbox = device.outbox(recent)?;
            if json {
                out!("{}", serde_json::to_string_pretty(&outbox)?);
            } else {
                print_outbox(&outbox)?;
            }
        }
        Command::Status { json } => {
            let s = device.status()?;
            if json {
                out!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
                out!("logged in:  {}", if s.logged_in { "yes" } else { "no" });
                out!("user:       {}", or_dash(s.username));
                out!("HQ:         {}", or_dash(s.hq_url));
                out!("pinned:     {}", or_dash(s.fingerprint));
                out!("last sync:  {}", or_dash(s.last_sync_at.map(local)));
                out!("jobs:       {}", s.jobs);
                out!("waiting:    {} change(s) to send", s.waiting);
                out!("device:     {}", s.device_id);
            }
        }
        Command::Logout { discard_unsent } => {
            let at_hq = device.logout(discard_unsent, Utc::now()).await?;
            out!("logged out; HQ data removed from this device");
            match at_hq {
                HqLogout::Ended => out!("HQ ended the session: its tokens no longer work"),
                HqLogout::AlreadyEnded => out!("HQ had already ended the session"),
                HqLogout::NoSession => {}
                HqLogout::NotReached(reason) => out!(
                    "HQ was not told ({reason}): until the session expires, an HQ admin can \
                     end it with `onsite-hq session revoke --device {}`",
                    device.device_id()
                ),
            }
        }
    }
    Ok(())
}
