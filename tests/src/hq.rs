//! A real `onsite-hq serve` process on 127.0.0.1 with an ephemeral port and a temporary data
//! folder, plus the admin commands and a dispatcher client over HTTPS.

use crate::{PASSWORD, bin};
use onsite_core::Fingerprint;
use onsite_core::hq_client::HqClient;
use onsite_protocol::DeviceId;
use onsite_protocol::api::{AssignRequest, JobView, Tokens};
use onsite_protocol::conflict::ConflictView;
use onsite_protocol::push::JobOps;
use onsite_protocol::received::{ReceivedOp, ReceivedOps};
use reqwest::Method;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// A running HQ. Killed when dropped; its data folder is removed with the last process using
/// it.
pub struct HqProcess {
    child: Option<Child>,
    /// `https://127.0.0.1:PORT`.
    pub url: String,
    /// `sha256:<hex>` as printed at start.
    pub fingerprint: String,
    data: std::sync::Arc<tempfile::TempDir>,
    /// The PostgreSQL database the records are in, when not the data folder's embedded one.
    database: Option<String>,
    args: Vec<String>,
}

impl HqProcess {
    /// Starts HQ on a fresh data folder.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts HQ on a fresh data folder with more `serve` arguments.
    pub fn start_with(args: &[&str]) -> Self {
        let data = std::sync::Arc::new(tempfile::tempdir().expect("tempdir"));
        Self::spawned(data, None, args)
    }

    /// Starts HQ with its records in the PostgreSQL database at `database` (a fresh data
    /// folder holds its certificate and attachments).
    pub fn start_on(database: &str) -> Self {
        let data = std::sync::Arc::new(tempfile::tempdir().expect("tempdir"));
        Self::spawned(data, Some(database.to_string()), &[])
    }

    /// Another HQ process beside this one, as behind a load balancer: the same database and
    /// the same data folder (so the same certificate and attachments), its own port.
    pub fn another(&self) -> Self {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let other = Self::spawned(self.data.clone(), self.database.clone(), &args);
        assert_eq!(other.fingerprint, self.fingerprint, "one certificate");
        other
    }

    fn spawned(
        data: std::sync::Arc<tempfile::TempDir>,
        database: Option<String>,
        args: &[&str],
    ) -> Self {
        let mut all: Vec<String> = args.iter().map(|a| (*a).to_string()).collect();
        if let Some(url) = &database {
            all.extend(["--database".to_string(), url.clone()]);
        }
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let (child, url, fingerprint) = spawn(data.path(), "127.0.0.1:0", &refs);
        Self {
            child: Some(child),
            url,
            fingerprint,
            data,
            database,
            args: args.iter().map(|a| (*a).to_string()).collect(),
        }
    }

    /// The HQ process's id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("HQ is running").id()
    }

    /// The HQ process's resident memory, in bytes (`VmRSS`).
    pub fn resident_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("read the process status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .expect("VmRSS")
            * 1024
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// The pinned fingerprint, parsed.
    pub fn pin(&self) -> Fingerprint {
        self.fingerprint
            .parse()
            .expect("HQ printed a valid fingerprint")
    }

    /// The `host:port` HQ listens on.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.url
            .trim_start_matches("https://")
            .parse()
            .expect("listening address")
    }

    /// Stops HQ (SIGKILL: the harshest stop) and waits for it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts HQ again on the same data folder and port.
    pub fn restart(&mut self) {
        self.stop();
        let mut args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        if let Some(url) = &self.database {
            args.extend(["--database", url.as_str()]);
        }
        let (child, url, fingerprint) = spawn(self.data.path(), &self.addr().to_string(), &args);
        assert_eq!(
            (url.as_str(), fingerprint.as_str()),
            (self.url.as_str(), self.fingerprint.as_str())
        );
        self.child = Some(child);
    }

    /// Stops this embedded HQ, moves its records into the empty PostgreSQL database at
    /// `database` (`onsite-hq migrate-to-postgres`) and starts it again on it, on the same
    /// port with the same certificate; returns what the command printed.
    pub fn move_up(&mut self, database: &str) -> String {
        self.stop();
        let out = Command::new(bin("onsite-hq"))
            .args(["migrate-to-postgres", "--data"])
            .arg(self.data.path())
            .args(["--database", database])
            .output()
            .expect("run onsite-hq migrate-to-postgres");
        assert!(
            out.status.success(),
            "migrate-to-postgres: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.database = Some(database.to_string());
        self.restart();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `onsite-hq user add` with the test password.
    pub fn add_user(&self, username: &str, role: &str) {
        let out = admin(
            &self.store(),
            &[
                "user",
                "add",
                "--username",
                username,
                "--role",
                role,
                "--name",
                &display(username),
                "--password-stdin",
            ],
            Some(PASSWORD),
        );
        assert!(
            out.status.success(),
            "user add {username}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs an `onsite-hq` admin command (`session list`, `user disable tina`, …) on this
    /// HQ's data folder; returns the raw output.
    pub fn admin(&self, args: &[&str]) -> Output {
        admin(&self.store(), args, None)
    }

    /// The store option admin commands take: `--database URL` or `--data DIR`.
    fn store(&self) -> [String; 2] {
        match &self.database {
            Some(url) => ["--database".into(), url.clone()],
            None => ["--data".into(), self.data.path().display().to_string()],
        }
    }

    /// `onsite login` of `username` with the test password into the device folder `data`.
    pub fn login_cli(&self, data: &Path, username: &str) -> Output {
        let mut child = Command::new(bin("onsite"))
            .arg("--data")
            .arg(data)
            .args(["login", "--hq", &self.url, "--username", username])
            .args(["--fingerprint", &self.fingerprint, "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn onsite");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("onsite output")
    }

    /// `onsite-hq import` of `jsonl`; returns the raw output so tests can check failures.
    pub fn import(&self, jsonl: &str) -> Output {
        let file = self
            .data
            .path()
            .join(format!("import-{}.jsonl", uuid_like()));
        std::fs::write(&file, jsonl).expect("write import file");
        let out = admin(
            &self.store(),
            &["import", file.to_str().expect("utf-8 path")],
            None,
        );
        let _ = std::fs::remove_file(&file);
        out
    }

    /// `onsite-hq demo`: the demo accounts (password [`onsite_hq::demo::PASSWORD`]) and jobs.
    pub fn seed_demo(&self) {
        let out = admin(&self.store(), &["demo"], None);
        assert!(
            out.status.success(),
            "demo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A logged-in dispatcher client (the user must exist).
    pub async fn dispatcher(&self, username: &str) -> Dispatcher {
        self.dispatcher_with(username, PASSWORD).await
    }

    /// A logged-in dispatcher client for a user with another password (e.g. the demo's).
    pub async fn dispatcher_with(&self, username: &str, password: &str) -> Dispatcher {
        Dispatcher::login(&self.url, self.pin(), username, password).await
    }
}

impl Drop for HqProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

fn display(username: &str) -> String {
    let mut c = username.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn uuid_like() -> String {
    onsite_protocol::JobId::new().to_string()
}

fn admin(store: &[String; 2], args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(bin("onsite-hq"));
    // `--data` (or `--database`) belongs to the subcommand: insert it after the command words.
    let split = if matches!(
        args.first(),
        Some(
            &"user"
                | &"session"
                | &"parts"
                | &"checklists"
                | &"warranty"
                | &"guides"
                | &"stock"
                | &"letterhead"
                | &"labour"
                | &"settings"
        )
    ) {
        2
    } else {
        1
    };
    cmd.args(&args[..split]).args(store).args(&args[split..]);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn onsite-hq");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{input}\n").as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("onsite-hq output")
}

fn spawn(data: &Path, listen: &str, args: &[&str]) -> (Child, String, String) {
    let mut child = Command::new(bin("onsite-hq"))
        .args(["serve", "--listen", listen, "--data"])
        .arg(data)
        .args(args)
        .env("ONSITE_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn onsite-hq serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let mut url = None;
        let mut fp = None;
        while let Some(Ok(line)) = lines.next() {
            if let Some(u) = line.strip_prefix("listening: ") {
                url = Some(u.to_string());
            } else if let Some(f) = line.strip_prefix("fingerprint: ") {
                fp = Some(f.to_string());
            }
            if let (Some(u), Some(f)) = (&url, &fp) {
                let _ = tx.send((u.clone(), f.clone()));
                break;
            }
        }
        // Keep draining so HQ never blocks on a full pipe.
        for _ in lines {}
    });
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok((url, fp)) => (child, url, fp),
        Err(_) => {
            let _ = child.kill();
            panic!("onsite-hq serve did not print its address within 30 s");
        }
    }
}

/// A dispatcher's HQ session.
pub struct Dispatcher {
    client: HqClient,
    token: String,
}

impl Dispatcher {
    /// Logs `username` in at HQ `url` (any HQ, in a process or not) pinning `pin`.
    pub async fn login(url: &str, pin: Fingerprint, username: &str, password: &str) -> Self {
        let client = HqClient::new(url, Some(pin)).expect("client");
        let tokens: Tokens = client
            .login(username, password, DeviceId::new())
            .await
            .expect("dispatcher login");
        Self {
            client,
            token: tokens.access_token,
        }
    }

    /// Any dispatcher call; panics with HQ's answer when it fails.
    pub async fn call<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> T {
        self.client
            .call(method.clone(), path, &self.token, body)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// Downloads content (a signed report) with its response headers.
    pub async fn download(
        &self,
        path: &str,
    ) -> Result<(reqwest::header::HeaderMap, Vec<u8>), onsite_core::CoreError> {
        self.client.download(path, &self.token).await
    }

    /// Uploads `content` under `sha256` in one chunk, as a laptop sends a photo (the session
    /// must be a technician's).
    pub async fn upload(
        &self,
        sha256: &str,
        content: Vec<u8>,
    ) -> Result<onsite_protocol::blob::BlobStatus, onsite_core::CoreError> {
        let total = content.len() as u64;
        self.client
            .blob_put(&self.token, sha256, 0, total, content)
            .await
    }

    /// Like [`Dispatcher::call`], returning HQ's refusal instead of panicking.
    pub async fn try_call<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, onsite_core::CoreError> {
        self.client.call(method, path, &self.token, body).await
    }

    /// HQ's whole log of received ops, in receive order.
    pub async fn received_ops(&self) -> Vec<ReceivedOp> {
        let mut all = Vec::new();
        let mut after = 0;
        loop {
            let page: ReceivedOps = self
                .call::<(), _>(Method::GET, &format!("/ops?after={after}&limit=500"), None)
                .await;
            all.extend(page.ops);
            match page.next {
                Some(n) => after = n,
                None => return all,
            }
        }
    }

    /// Everything devices sent about job `number`.
    /// Every op recorded against job `number`, all pages of them.
    pub async fn job_ops(&self, number: &str) -> JobOps {
        let id = self.job(number).await.job.id;
        let mut all: JobOps = self
            .call::<(), _>(Method::GET, &format!("/jobs/{id}/ops"), None)
            .await;
        while let Some(after) = all.next.take() {
            let page: JobOps = self
                .call::<(), _>(Method::GET, &format!("/jobs/{id}/ops?after={after}"), None)
                .await;
            all.ops.extend(page.ops);
            all.next = page.next;
        }
        all
    }

    /// Open conflicts.
    pub async fn conflicts(&self) -> Vec<ConflictView> {
        self.call::<(), _>(Method::GET, "/conflicts", None).await
    }

    /// A job by its number (`GET /jobs/by-number/{number}`).
    pub async fn job(&self, number: &str) -> JobView {
        self.call::<(), _>(Method::GET, &format!("/jobs/by-number/{number}"), None)
            .await
    }

    /// Numbers of the jobs assigned to `technician`, as HQ has them.
    pub async fn numbers_of(&self, technician: &str) -> Vec<String> {
        let list: onsite_protocol::api::JobList = self
            .client
            .call::<(), _>(
                Method::GET,
                &format!("/jobs?technician={technician}&limit=500"),
                &self.token,
                None,
            )
            .await
            .expect("list jobs");
        assert!(list.next.is_none(), "more than one page");
        let mut numbers: Vec<_> = list.jobs.into_iter().map(|j| j.job.number).collect();
        numbers.sort();
        numbers
    }

    /// Assigns `number` to `technician` (or unassigns).
    pub async fn assign(&self, number: &str, technician: Option<&str>) -> JobView {
        let id = self.job(number).await.job.id;
        self.client
            .call(
                Method::POST,
                &format!("/jobs/{id}/assign"),
                &self.token,
                Some(&AssignRequest {
                    technician: technician.map(str::to_string),
                }),
            )
            .await
            .expect("assign")
    }
}
