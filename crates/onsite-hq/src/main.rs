//! `onsite-hq`: serve the HQ API, manage users and sessions, import jobs.

use anyhow::{Context, Result, bail};
use chrono::{Local, NaiveTime, Utc};
use clap::{Parser, Subcommand};
use onsite_hq::connections::ConnectionLimits;
use onsite_hq::password::hash_password;
use onsite_hq::reference::Kind;
use onsite_hq::rules::account;
use onsite_hq::server::{self, CertSource, ServeConfig};
use onsite_hq::storage::{Ending, NewUser, SessionSelector, StockIssue, Storage, StorageError};
use onsite_protocol::{DeviceId, Role};
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "onsite-hq",
    version,
    about = "Onsite HQ server: dispatch and sync over HTTPS"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where a command finds HQ's records: one of the embedded store's data folder and a
/// PostgreSQL database.
#[derive(clap::Args, Clone, Debug)]
#[group(required = true, multiple = false)]
struct Store {
    /// Data folder of the embedded store.
    #[arg(long)]
    data: Option<PathBuf>,
    /// A PostgreSQL database instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DB.
    #[arg(long)]
    database: Option<String>,
}

impl Store {
    async fn open(&self) -> Result<std::sync::Arc<dyn Storage>> {
        let database = match (&self.data, &self.database) {
            (_, Some(url)) => server::Database::Shared(url.clone()),
            (Some(dir), None) => server::Database::Embedded(dir.clone()),
            (None, None) => bail!("give --data DIR or --database URL"),
        };
        Ok(database.open().await?)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HQ API over HTTPS.
    Serve {
        /// Data folder (the embedded database, the self-signed certificate, attachments);
        /// created on first start.
        #[arg(long)]
        data: PathBuf,
        /// Keep the records in this PostgreSQL database instead of the data folder:
        /// postgres://USER[:PASSWORD]@HOST[:PORT]/DB. Several HQ processes may share it.
        #[arg(long)]
        database: Option<String>,
        /// Attachment folder instead of DATA/blobs: with several HQ processes on one
        /// database, a folder they all see.
        #[arg(long)]
        blobs: Option<PathBuf>,
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// PEM certificate chain to serve instead of the self-signed one.
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        /// PEM private key for --cert.
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
        /// Most connections open at once; keep it under the open-file limit (`ulimit -n`).
        #[arg(long, default_value_t = ConnectionLimits::default().total)]
        max_connections: usize,
        /// Most connections one address may hold open at once.
        #[arg(long, default_value_t = ConnectionLimits::default().per_address)]
        max_connections_per_address: usize,
        /// The SMTP relay thank-you letters go through: smtp://HOST:PORT,
        /// smtp://HOST:PORT?tls=required (STARTTLS) or smtps://HOST:PORT, with USER:PASSWORD@
        /// when it asks for a login. Without it, letters wait in the outbox (GET /api/v1/mail).
        #[arg(long, requires = "mail_from")]
        smtp: Option<String>,
        /// Who letters come from, e.g. "Northwind Service <service@northwind.example>".
        #[arg(long, requires = "smtp")]
        mail_from: Option<String>,
        /// Seconds before a letter the relay refused is tried again; each later try waits four
        /// times longer (at most six hours).
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
        smtp_retry: u64,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// See and end login sessions (a lost laptop, a copied token).
    Session {
        #[command(subcommand)]
        command: SessionCommand,
    },
    /// Copy an embedded HQ (stop it first) into an empty PostgreSQL database, then serve
    /// with --database: devices carry on syncing with no reset and download nothing again.
    MigrateToPostgres {
        /// Data folder of the embedded HQ.
        #[arg(long)]
        data: PathBuf,
        /// The empty PostgreSQL database: postgres://USER[:PASSWORD]@HOST[:PORT]/DB.
        #[arg(long)]
        database: String,
        /// Copy the attachments into this folder too (the one `serve --blobs` will name);
        /// without it they stay in DATA/blobs.
        #[arg(long)]
        blobs: Option<PathBuf>,
    },
    /// Fill a data folder with demo accounts and jobs around today (safe to run again).
    Demo {
        #[command(flatten)]
        store: Store,
    },
    /// The parts catalog (see docs/REFERENCE.md).
    Parts {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
    /// Checklist templates, versioned (see docs/REFERENCE.md).
    Checklists {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
    /// Warranty policies per product model, versioned (see docs/REFERENCE.md).
    Warranty {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
    /// Technical guides per product model (see docs/REFERENCE.md).
    Guides {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
    /// Van stock: the parts in each technician's van (see docs/REFERENCE.md).
    Stock {
        #[command(subcommand)]
        command: StockCommand,
    },
    /// The organisation's letterhead on service reports and letters (see docs/REFERENCE.md).
    Letterhead {
        #[command(subcommand)]
        command: LetterheadCommand,
    },
    /// The labour price list chargeable work is priced with (see docs/REFERENCE.md).
    Labour {
        #[command(subcommand)]
        command: LabourCommand,
    },
    /// HQ's settings: the follow-up call delay.
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
    /// Import jobs from a JSON Lines file (see docs/IMPORT.md). All or nothing.
    Import {
        #[command(flatten)]
        store: Store,
        /// The file; `-` reads standard input.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ReferenceCommand {
    /// Import a file, all or nothing: a parts CSV, a JSON array of checklist templates or
    /// warranty policies, or a guide's Markdown file (or a folder of them).
    Import {
        #[command(flatten)]
        store: Store,
        /// The file (or, for guides, a folder).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum LetterheadCommand {
    /// Set it: every laptop receives it with its next sync.
    Set {
        #[command(flatten)]
        store: Store,
        /// The organisation's name, as customers know it.
        #[arg(long)]
        name: String,
        /// A line under the name (address, phone, e-mail); repeat for each, at most 4.
        #[arg(long)]
        line: Vec<String>,
        /// The logo, a PNG or JPEG file of at most 256 KiB.
        #[arg(long)]
        logo: Option<PathBuf>,
    },
    /// Print it.
    Show {
        #[command(flatten)]
        store: Store,
    },
}

#[derive(Subcommand)]
enum LabourCommand {
    /// Set it: every laptop prices chargeable work with it from its next sync.
    Set {
        #[command(flatten)]
        store: Store,
        /// Charged once per chargeable visit, e.g. 45 or 45.50.
        #[arg(long, value_parser = amount)]
        call_out: i64,
        /// Charged per hour of work time, e.g. 60.
        #[arg(long, value_parser = amount)]
        per_hour: i64,
        /// Work time is charged by started block of this many minutes.
        #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=60))]
        increment: u32,
    },
    /// Print it.
    Show {
        #[command(flatten)]
        store: Store,
    },
}

fn amount(text: &str) -> Result<i64, String> {
    onsite_protocol::labour::parse_amount(text)
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// Change a setting; those not named keep their value.
    Set {
        #[command(flatten)]
        store: Store,
        /// Days from a visit to its follow-up call (1 to 90); calls already scheduled keep
        /// their day.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=90))]
        follow_up_days: Option<u32>,
    },
    /// Print every setting.
    Show {
        #[command(flatten)]
        store: Store,
    },
}

#[derive(Subcommand)]
enum StockCommand {
    /// Put parts into a technician's van: a quantity, or the serials of a serialized part.
    #[command(group(clap::ArgGroup::new("units").required(true).args(["qty", "serial"])))]
    Issue {
        #[command(flatten)]
        store: Store,
        /// The technician's username.
        #[arg(long)]
        technician: String,
        /// The part, from the catalog.
        #[arg(long)]
        sku: String,
        /// How many, for a part without serials.
        #[arg(long)]
        qty: Option<i64>,
        /// A unit's serial, for a serialized part; repeat for each unit.
        #[arg(long)]
        serial: Vec<String>,
    },
    /// Take parts back from a technician's van to HQ: no more than the van holds.
    #[command(group(clap::ArgGroup::new("units").required(true).args(["qty", "serial"])))]
    Return {
        #[command(flatten)]
        store: Store,
        /// The technician's username.
        #[arg(long)]
        technician: String,
        /// The part, from the catalog.
        #[arg(long)]
        sku: String,
        /// How many, for a part without serials.
        #[arg(long)]
        qty: Option<i64>,
        /// A unit's serial, for a serialized part; repeat for each unit.
        #[arg(long)]
        serial: Vec<String>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user.
    Add {
        #[command(flatten)]
        store: Store,
        /// Login name.
        #[arg(long)]
        username: String,
        /// admin, dispatcher or technician.
        #[arg(long)]
        role: Role,
        /// Name shown to people (defaults to the username).
        #[arg(long)]
        name: Option<String>,
        /// Comma-separated skills, e.g. boilers,heat-pumps.
        #[arg(long, value_delimiter = ',')]
        skills: Vec<String>,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Stop a user from logging in; their sessions end at once (their devices keep what they
    /// recorded until they can log in again).
    Disable {
        #[command(flatten)]
        store: Store,
        /// Login name.
        username: String,
    },
    /// Let a disabled user log in again (ended sessions stay ended).
    Enable {
        #[command(flatten)]
        store: Store,
        /// Login name.
        username: String,
    },
}

#[derive(Subcommand)]
enum SessionCommand {
    /// Sessions, newest first: active ones unless --all.
    List {
        #[command(flatten)]
        store: Store,
        /// Only this user's.
        #[arg(long)]
        user: Option<String>,
        /// Ended and expired ones too.
        #[arg(long)]
        all: bool,
        /// At most this many.
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        limit: u32,
    },
    /// End sessions at once: their tokens stop working, on every copy.
    #[command(group(clap::ArgGroup::new("which").required(true).args(["user", "device", "id"])))]
    Revoke {
        #[command(flatten)]
        store: Store,
        /// Every session of this user.
        #[arg(long)]
        user: Option<String>,
        /// Every session on this device (its id is in `onsite status` and `session list`).
        #[arg(long)]
        device: Option<DeviceId>,
        /// One session, by the ID `session list` shows.
        #[arg(long)]
        id: Option<i64>,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ONSITE_LOG")
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never into a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            data,
            database,
            blobs,
            listen,
            cert,
            key,
            max_connections,
            max_connections_per_address,
            smtp,
            mail_from,
            smtp_retry,
        } => {
            if max_connections == 0 || max_connections_per_address == 0 {
                bail!("--max-connections and --max-connections-per-address must be at least 1");
            }
            let limits = ConnectionLimits {
                total: max_connections,
                per_address: max_connections_per_address,
                ..ConnectionLimits::default()
            };
            let mail = match (smtp, mail_from) {
                (Some(smtp), Some(from)) => Some(onsite_hq::mail::MailConfig {
                    smtp,
                    from: from.parse().with_context(|| {
                        format!(
                            "--mail-from {from:?} is not an address like \"Name <a@b.example>\""
                        )
                    })?,
                    retry_base: smtp_retry,
                }),
                _ => None,
            };
            let stores = Stores {
                data,
                database,
                blobs,
            };
            serve(stores, listen, cert.zip(key), limits, mail).await
        }
        Command::User {
            command:
                UserCommand::Add {
                    store,
                    username,
                    role,
                    name,
                    skills,
                    password_stdin: _,
                },
        } => add_user(store, username, role, name, skills).await,
        Command::User {
            command: UserCommand::Disable { store, username },
        } => {
            let ended = store
                .open()
                .await?
                .set_user_disabled(&username, true, Utc::now())
                .await
                .map_err(|e| unknown_user(e, &username))?;
            println!("disabled {username}; {ended} session(s) ended");
            Ok(())
        }
        Command::User {
            command: UserCommand::Enable { store, username },
        } => {
            store
                .open()
                .await?
                .set_user_disabled(&username, false, Utc::now())
                .await
                .map_err(|e| unknown_user(e, &username))?;
            println!("enabled {username}; they may log in again");
            Ok(())
        }
        Command::Session {
            command:
                SessionCommand::List {
                    store,
                    user,
                    all,
                    limit,
                },
        } => {
            let now = Utc::now();
            let sessions = store
                .open()
                .await?
                .sessions(user.as_deref(), all, limit, now)
                .await
                .map_err(|e| unknown_user(e, user.as_deref().unwrap_or_default()))?;
            if sessions.is_empty() {
                println!("no {}sessions", if all { "" } else { "active " });
            } else {
                print!("{}", onsite_hq::sessions::table(&sessions, now, &Local));
            }
            Ok(())
        }
        Command::Session {
            command:
                SessionCommand::Revoke {
                    store,
                    user,
                    device,
                    id,
                },
        } => {
            let which = match (user, device, id) {
                (Some(user), _, _) => SessionSelector::User(user),
                (_, Some(device), _) => SessionSelector::Device(device),
                (_, _, Some(id)) => SessionSelector::Id(id),
                // clap's group requires one of them.
                (None, None, None) => bail!("say which sessions: --user, --device or --id"),
            };
            let ended = store
                .open()
                .await?
                .end_sessions(&which, Ending::Revoked, Utc::now())
                .await
                .map_err(|e| match &which {
                    SessionSelector::User(u) => unknown_user(e, u),
                    _ => e.into(),
                })?;
            println!("{ended} session(s) ended");
            Ok(())
        }
        Command::Import { store, file } => import(store, file).await,
        Command::Stock {
            command:
                StockCommand::Issue {
                    store,
                    technician,
                    sku,
                    qty,
                    serial,
                },
        } => issue_stock(store, &technician, &sku, qty, serial).await,
        Command::Stock {
            command:
                StockCommand::Return {
                    store,
                    technician,
                    sku,
                    qty,
                    serial,
                },
        } => return_stock(store, &technician, &sku, qty, serial).await,
        Command::Letterhead { command } => letterhead(command).await,
        Command::Labour { command } => labour(command).await,
        Command::Settings { command } => settings(command).await,
        Command::Parts { command } => import_reference(Kind::Parts, command).await,
        Command::Checklists { command } => import_reference(Kind::Checklists, command).await,
        Command::Warranty { command } => import_reference(Kind::Warranty, command).await,
        Command::Guides { command } => import_reference(Kind::Guides, command).await,
        Command::Demo { store } => demo(store).await,
        Command::MigrateToPostgres {
            data,
            database,
            blobs,
        } => migrate_to_postgres(&data, &database, blobs.as_deref()).await,
    }
}

/// Where `serve` keeps what it keeps.
struct Stores {
    data: PathBuf,
    database: Option<String>,
    blobs: Option<PathBuf>,
}

async fn serve(
    stores: Stores,
    listen: SocketAddr,
    cert: Option<(PathBuf, PathBuf)>,
    limits: ConnectionLimits,
    mail: Option<onsite_hq::mail::MailConfig>,
) -> Result<()> {
    let cert = cert.map_or(CertSource::SelfSigned, |(cert, key)| CertSource::Files {
        cert,
        key,
    });
    let hq = server::start(ServeConfig {
        data_dir: stores.data,
        database: stores.database,
        blobs_dir: stores.blobs,
        listen,
        cert,
        limits,
        mail,
    })
    .await?;
    // Scripts and tests read these two lines; keep their shape.
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening: {}", hq.url())?;
    writeln!(out, "fingerprint: {}", hq.fingerprint)?;
    out.flush()?;
    drop(out);
    shutdown_signal().await;
    tracing::info!("shutting down");
    hq.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

async fn add_user(
    store: Store,
    username: String,
    role: Role,
    name: Option<String>,
    skills: Vec<String>,
) -> Result<()> {
    let username = account::username(&username)?;
    let display_name = account::display_name(name.as_deref(), &username)?;
    let skills = account::skills(&skills)?;
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']);
    account::password(password)?;
    let storage = store.open().await?;
    let user = storage
        .add_user(
            NewUser {
                display_name,
                username,
                role,
                skills,
                password_hash: hash_password(password).map_err(anyhow::Error::msg)?,
            },
            Utc::now(),
        )
        .await?;
    println!("created {} {} ({})", user.role, user.username, user.id);
    Ok(())
}

async fn migrate_to_postgres(
    data: &std::path::Path,
    database: &str,
    blobs: Option<&std::path::Path>,
) -> Result<()> {
    let file = data.join(server::DATABASE_FILE);
    if !file.is_file() {
        bail!(
            "{} holds no HQ database ({})",
            data.display(),
            server::DATABASE_FILE
        );
    }
    let target = onsite_hq::storage::postgres::PostgresStorage::open(database).await?;
    let moved = onsite_hq::storage::postgres::moving_up::copy(&file, &target).await?;
    for (table, rows) in moved.tables.iter().filter(|(_, rows)| *rows > 0) {
        println!("  {table:<20} {rows:>8}");
    }
    let from = data.join(server::BLOBS_DIR);
    match blobs {
        Some(to) if from.is_dir() => {
            let copied = copy_blobs(&from, to)?;
            println!("copied {copied} attachment(s) into {}", to.display());
        }
        _ => println!("attachments stay in {}", from.display()),
    }
    println!(
        "moved up: serve with --database (and --data {} for the certificate); devices carry on",
        data.display()
    );
    Ok(())
}

/// Copies every stored attachment (not unfinished uploads) from `from` into `to`.
fn copy_blobs(from: &std::path::Path, to: &std::path::Path) -> Result<usize> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}

fn unknown_user(e: StorageError, username: &str) -> anyhow::Error {
    match e {
        StorageError::NotFound("user") => anyhow::anyhow!("there is no user {username:?}"),
        other => other.into(),
    }
}

async fn demo(store: Store) -> Result<()> {
    let now = Local::now();
    let today = now.date_naive();
    let day_start = today
        .and_time(NaiveTime::MIN)
        .and_local_timezone(Local)
        .earliest()
        .map_or(now.to_utc(), |t| t.to_utc());
    let storage = store.open().await?;
    let seeded = onsite_hq::demo::seed(storage.as_ref(), day_start, today, now.to_utc()).await?;
    println!(
        "demo data: {} accounts created, {} jobs created, {} updated",
        seeded.accounts_created, seeded.jobs.created, seeded.jobs.updated
    );
    let r = &seeded.reference;
    let held = |i: onsite_hq::storage::ImportReport| i.created + i.updated + i.unchanged;
    println!(
        "reference data: {} parts, {} checklist templates, {} warranty policies, {} guides",
        held(r.parts),
        held(r.checklists),
        held(r.warranty),
        held(r.guides)
    );
    for (username, name, role, _) in onsite_hq::demo::ACCOUNTS {
        println!("  {role:<11} {username:<6} {name}");
    }
    println!("  password for all: {}", onsite_hq::demo::PASSWORD);
    Ok(())
}

/// A count or the serials given on the command line, and who the ledger says moved them.
fn stock_units(qty: Option<i64>, serials: Vec<String>) -> (StockIssue, String) {
    let units = match qty {
        Some(qty) => StockIssue::Qty(qty),
        None => StockIssue::Serials(serials),
    };
    let by = std::env::var("USER").unwrap_or_else(|_| "admin".into());
    (units, format!("{by} (onsite-hq)"))
}

async fn issue_stock(
    store: Store,
    technician: &str,
    sku: &str,
    qty: Option<i64>,
    serials: Vec<String>,
) -> Result<()> {
    let storage = store.open().await?;
    let (issued, by) = stock_units(qty, serials);
    let issued = storage
        .issue_stock(technician, sku, &issued, &by, Utc::now())
        .await?;
    let added: i64 = issued.moves.iter().map(|m| m.qty).sum();
    println!(
        "put {added} x {sku} into {technician}'s van; it now holds {}",
        issued.balance
    );
    for fill in &issued.fills {
        let number = storage
            .job(fill.job_id)
            .await
            .map_or_else(|_| fill.job_id.to_string(), |j| j.job.number);
        println!("filled the request for {sku} on job {number}");
    }
    Ok(())
}

async fn return_stock(
    store: Store,
    technician: &str,
    sku: &str,
    qty: Option<i64>,
    serials: Vec<String>,
) -> Result<()> {
    let storage = store.open().await?;
    let (returned, by) = stock_units(qty, serials);
    let returned = storage
        .return_stock(technician, sku, &returned, &by, Utc::now())
        .await?;
    let back: i64 = returned.moves.iter().map(|m| -m.qty).sum();
    println!(
        "took {back} x {sku} back from {technician}'s van; it now holds {}",
        returned.balance
    );
    Ok(())
}

async fn letterhead(command: LetterheadCommand) -> Result<()> {
    match command {
        LetterheadCommand::Set {
            store,
            name,
            line,
            logo,
        } => {
            let mut letterhead = onsite_protocol::letterhead::Letterhead {
                name,
                lines: line,
                logo: None,
            };
            if let Some(file) = logo {
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                letterhead = letterhead.with_logo(&bytes);
            }
            letterhead.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
            let storage = store.open().await?;
            if storage.set_letterhead(&letterhead).await? {
                println!("letterhead set: laptops receive it with their next sync");
            } else {
                println!("letterhead unchanged");
            }
        }
        LetterheadCommand::Show { store } => {
            let storage = store.open().await?;
            match storage.letterhead().await? {
                Some(l) => {
                    println!("{}", l.name);
                    for line in &l.lines {
                        println!("{line}");
                    }
                    let logo = l.logo_bytes().ok().flatten().map(|b| b.len());
                    match logo {
                        Some(n) => println!("logo: {} KiB", n.div_ceil(1024)),
                        None => println!("no logo"),
                    }
                }
                None => println!("no letterhead set: `onsite-hq letterhead set` sets one"),
            }
        }
    }
    Ok(())
}

async fn labour(command: LabourCommand) -> Result<()> {
    let shown = |cents: i64| format!("{}.{:02}", cents / 100, cents % 100);
    match command {
        LabourCommand::Set {
            store,
            call_out,
            per_hour,
            increment,
        } => {
            let prices = onsite_protocol::labour::LabourPrices {
                call_out_cents: call_out,
                hourly_cents: per_hour,
                increment_minutes: increment,
            };
            prices.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
            if store.open().await?.set_labour(&prices).await? {
                println!("labour prices set: laptops receive them with their next sync");
            } else {
                println!("labour prices unchanged");
            }
        }
        LabourCommand::Show { store } => match store.open().await?.labour().await? {
            Some(p) => println!(
                "call-out {}, per hour {}, by started {} min",
                shown(p.call_out_cents),
                shown(p.hourly_cents),
                p.increment_minutes
            ),
            None => println!(
                "no labour prices set: reports charge parts only (`onsite-hq labour set` sets them)"
            ),
        },
    }
    Ok(())
}

async fn settings(command: SettingsCommand) -> Result<()> {
    match command {
        SettingsCommand::Set {
            store,
            follow_up_days,
        } => {
            let storage = store.open().await?;
            let mut settings = storage.settings().await?;
            if let Some(days) = follow_up_days {
                settings.follow_up_days = days;
            }
            storage.set_settings(&settings).await?;
            println!(
                "follow-up calls {} days after the visit",
                settings.follow_up_days
            );
        }
        SettingsCommand::Show { store } => {
            let settings = store.open().await?.settings().await?;
            println!(
                "follow-up calls {} days after the visit",
                settings.follow_up_days
            );
        }
    }
    Ok(())
}

async fn import_reference(kind: Kind, command: ReferenceCommand) -> Result<()> {
    let ReferenceCommand::Import { store, file } = command;
    let started = std::time::Instant::now();
    let storage = store.open().await?;
    let (count, report) = onsite_hq::reference::import(storage.as_ref(), kind, &file)
        .await
        .map_err(|e| anyhow::anyhow!("{e}; nothing was imported"))?;
    println!(
        "imported {}: {count} in the file ({} new, {} updated, {} unchanged; {:.2} s)",
        kind.noun(),
        report.created,
        report.updated,
        report.unchanged,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn import(store: Store, file: PathBuf) -> Result<()> {
    let started = std::time::Instant::now();
    let lines = if file.as_os_str() == "-" {
        onsite_hq::import::parse(std::io::stdin().lock())?
    } else {
        let f = std::fs::File::open(&file)
            .with_context(|| format!("cannot open {}", file.display()))?;
        onsite_hq::import::parse(std::io::BufReader::new(f))?
    };
    let storage = store.open().await?;
    let report = storage
        .import_jobs(&lines, Utc::now())
        .await
        .map_err(|e| match e {
            StorageError::ImportLine { .. } => anyhow::anyhow!("{e}; nothing was imported"),
            other => other.into(),
        })?;
    println!(
        "imported {} jobs: {} created, {} updated, {} unchanged ({:.2} s)",
        lines.len(),
        report.created,
        report.updated,
        report.unchanged,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
