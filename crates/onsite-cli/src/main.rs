//! `onsite`: the technician's headless client. Same store format as the desktop app; every
//! reading command works with HQ unreachable.

use anyhow::{Context, Result};
use chrono::{DateTime, Local, Utc};
use clap::{Parser, Subcommand};
use onsite_core::{CoreError, Device, Fingerprint, JobQuery, SyncPhase};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Download what changed at HQ.
    Sync,
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
    /// Forget the session and remove HQ's data from this device.
    Logout,
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
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Device errors carry messages written for people; show them without a trace.
            match e.downcast_ref::<CoreError>() {
                Some(core) => eprintln!("error: {core}"),
                None => eprintln!("error: {e:#}"),
            }
            ExitCode::FAILURE
        }
    }
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
                .login(&hq, &username, password.trim_end_matches(['\n', '\r']), pin)
                .await?;
            println!(
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
                    if live && p.phase == SyncPhase::Pulling {
                        eprint!("\rpulling: {} jobs", p.done);
                    }
                })
                .await;
            if live {
                eprint!("\r\x1b[K");
            }
            let report = report?;
            println!(
                "synced: {} pages, {} jobs received, {} removed{} in {:.2} s",
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
                println!("{}", serde_json::to_string_pretty(&jobs)?);
            } else if jobs.is_empty() {
                println!("no jobs on this device");
            } else {
                println!(
                    "{:<12} {:<13} {:<14} {:<28} SCHEDULED",
                    "NUMBER", "KIND", "STATUS", "CUSTOMER"
                );
                for j in jobs {
                    println!(
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
                println!("{}", serde_json::to_string_pretty(&detail)?);
            } else {
                print_detail(&detail);
            }
        }
        Command::Status { json } => {
            let s = device.status()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
                println!("logged in:  {}", if s.logged_in { "yes" } else { "no" });
                println!("user:       {}", or_dash(s.username));
                println!("HQ:         {}", or_dash(s.hq_url));
                println!("pinned:     {}", or_dash(s.fingerprint));
                println!("last sync:  {}", or_dash(s.last_sync_at.map(local)));
                println!("jobs:       {}", s.jobs);
                println!("device:     {}", s.device_id);
            }
        }
        Command::Logout => {
            device.logout()?;
            println!("logged out; HQ data removed from this device");
        }
    }
    Ok(())
}

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

fn window(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{}–{}", local(s), e.with_timezone(&Local).format("%H:%M")),
        (Some(s), None) => local(s),
        _ => "unscheduled".into(),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

fn print_detail(d: &onsite_core::JobDetail) {
    let j = &d.job;
    println!(
        "{}  {}  [{}]  priority {}",
        j.number, j.kind, j.status, j.priority
    );
    println!("{}", j.summary);
    if let Some(desc) = &j.description {
        println!("\n{desc}");
    }
    println!("\nCustomer:   {}", d.customer.name);
    if let Some(p) = &d.customer.phone {
        println!("Phone:      {p}");
    }
    if let Some(e) = &d.customer.email {
        println!("Email:      {e}");
    }
    let town = d
        .site
        .town
        .as_deref()
        .map(|t| format!(", {t}"))
        .unwrap_or_default();
    println!("Site:       {}{town}", d.site.address);
    if let Some(n) = &d.site.access_notes {
        println!("Access:     {n}");
    }
    println!("Scheduled:  {}", window(j.scheduled_start, j.scheduled_end));
    if let Some(due) = j.sla_due {
        let state = match d.sla {
            onsite_core::Sla::Overdue => " (overdue)",
            onsite_core::Sla::DueSoon => " (due soon)",
            _ => "",
        };
        println!("SLA due:    {}{state}", local(due));
    }
    if let Some(a) = &d.asset {
        println!(
            "\nAsset:      {} (serial {})",
            a.model,
            a.serial.as_deref().unwrap_or("unknown")
        );
        let warranty = match d.warranty {
            Some(onsite_core::Warranty::InWarranty { until, .. }) => {
                format!("in warranty until {until}")
            }
            Some(onsite_core::Warranty::Expired { ended }) => format!("expired on {ended}"),
            _ => "unknown".into(),
        };
        println!("Warranty:   {warranty}");
    }
    if !d.history.is_empty() {
        println!("\nHistory:");
        for h in &d.history {
            let detail = h
                .detail
                .as_deref()
                .map(|d| format!("  ({d})"))
                .unwrap_or_default();
            println!("  {}  {}{detail}", local(h.at), h.status);
        }
    }
}
