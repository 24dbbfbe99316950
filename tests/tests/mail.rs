//! Thank-you letters through a real SMTP server on loopback (aiosmtpd): after a signed visit
//! the customer gets one e-mail with the signed report attached, exactly once even when HQ is
//! killed while the server is still confirming it; a server that is down is tried again; a
//! customer without an address gets a letter to print.

use onsite_e2e::hq::HqProcess;
use onsite_e2e::onsite_stdout as onsite;
use onsite_protocol::mail::{LetterList, LetterState};
use reqwest::Method;
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A message as the server kept it: its text, and its attachments by name.
type Received = (String, Vec<(String, Vec<u8>)>);

/// The SMTP server, keeping what it receives in a folder.
struct Sink {
    child: Child,
    dir: PathBuf,
}

impl Sink {
    fn start(port: u16, dir: &Path, hold_first: Option<u64>) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp/sink.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script).arg(port.to_string()).arg(dir);
        if let Some(seconds) = hold_first {
            cmd.arg("--hold-first").arg(seconds.to_string());
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/lib/install.sh)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the sink's first line");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Self {
            child,
            dir: dir.to_path_buf(),
        }
    }

    /// The messages received so far, in the order they came.
    fn messages(&self) -> Vec<Received> {
        let mut found: Vec<(u32, Received)> = Vec::new();
        for entry in std::fs::read_dir(&self.dir).expect("the sink's folder") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            let Some(n) = name
                .strip_suffix(".eml")
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let text =
                std::fs::read_to_string(self.dir.join(format!("{n}.txt"))).unwrap_or_default();
            let attachments = std::fs::read_dir(&self.dir)
                .expect("the sink's folder")
                .filter_map(|e| {
                    let file = e.ok()?.file_name().to_string_lossy().into_owned();
                    let rest = file.strip_prefix(&format!("{n}-"))?.to_string();
                    Some((rest, std::fs::read(self.dir.join(&file)).ok()?))
                })
                .collect();
            found.push((n, (text, attachments)));
        }
        found.sort_by_key(|(n, _)| *n);
        found.into_iter().map(|(_, m)| m).collect()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "waited {limit:?} for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn job(number: &str, email: Option<&str>) -> String {
    let email = email
        .map(|e| format!(r#", "email": "{e}""#))
        .unwrap_or_default();
    format!(
        r#"{{"number": "{number}", "kind": "installation", "summary": "Fit a new boiler", "technician": "tina", "customer": {{"name": "Grace Hopper"{email}}}, "site": {{"address": "1 Compiler Way", "town": "York"}}, "asset": {{"model": "HeatMax 300 combi boiler"}}}}"#
    )
}

/// The outbox at `path`, read from inside a polling loop.
fn outbox(dora: &onsite_e2e::hq::Dispatcher, path: &str) -> Vec<onsite_protocol::mail::Letter> {
    let list: LetterList = tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current().block_on(dora.call(Method::GET, path, None::<&()>))
    });
    list.letters
}

/// Signs off `number` on laptop `a` (typed name) and syncs.
fn sign_and_sync(a: &Path, number: &str) {
    onsite(a, &["job", "status", number, "on_site"]);
    onsite(
        a,
        &["job", "note", number, "Boiler fitted and commissioned."],
    );
    onsite(
        a,
        &["job", "sign", number, "--signer", "Grace Hopper", "--typed"],
    );
    onsite(a, &["sync"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_visit_mails_the_customer_once_with_the_signed_report() {
    let mailboxes = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut sink = Sink::start(port, &mailboxes.path().join("first"), Some(6));
    let smtp = format!("smtp://127.0.0.1:{port}");
    let mut hq = HqProcess::start_with(&[
        "--smtp",
        &smtp,
        "--mail-from",
        "Northwind Service <service@northwind.example>",
        "--smtp-retry",
        "1",
    ]);
    hq.add_user("tina", "technician");
    hq.add_user("dora", "dispatcher");
    let jobs = [
        job("J-1", Some("grace@example.org")),
        job("J-2", Some("grace@example.org")),
        job("J-4", None),
    ]
    .join("\n");
    assert!(hq.import(&jobs).status.success());
    let laptop = tempfile::tempdir().expect("tempdir");
    let a = laptop.path();
    assert!(hq.login_cli(a, "tina").status.success());
    onsite(a, &["sync"]);

    // J-1: the server takes the letter but is slow to confirm; HQ is killed meanwhile.
    sign_and_sync(a, "J-1");
    wait_for(
        "the server to hold the first letter",
        Duration::from_secs(30),
        || sink.dir.join("holding").exists(),
    );
    hq.stop();
    hq.restart();
    let dora = hq.dispatcher("dora").await;
    let letters: LetterList = dora.call(Method::GET, "/mail", None::<&()>).await;
    let first = letters
        .letters
        .iter()
        .find(|l| l.job_number == "J-1")
        .expect("J-1's letter");
    assert_eq!(first.state, LetterState::Unconfirmed, "{first:?}");
    // HQ does not send it again on its own: after several retry periods, one message.
    std::thread::sleep(Duration::from_secs(4));
    let got = sink.messages();
    assert_eq!(got.len(), 1, "exactly once");
    let (text, attachments) = &got[0];
    assert!(
        text.contains("Dear Grace Hopper,") && text.contains("J-1"),
        "{text}"
    );
    let view = dora.job("J-1").await;
    let (_, signed) = dora
        .download(&format!("/jobs/{}/report", view.job.id))
        .await
        .expect("the signed report");
    let pdf = attachments
        .iter()
        .find(|(name, _)| name.ends_with(".pdf"))
        .map(|(_, bytes)| bytes)
        .expect("the report attached");
    assert_eq!(
        hex::encode(Sha256::digest(pdf)),
        hex::encode(Sha256::digest(&signed)),
        "the attachment is the PDF the customer signed"
    );

    // J-2: the server is down when the letter is due; it goes once the server is back.
    sink.stop();
    sign_and_sync(a, "J-2");
    wait_for("a failed try", Duration::from_secs(30), || {
        outbox(&dora, "/mail")
            .iter()
            .any(|l| l.job_number == "J-2" && l.tries >= 1 && l.last_error.is_some())
    });
    let sink = Sink::start(port, &mailboxes.path().join("second"), None);
    wait_for("J-2's letter to be sent", Duration::from_secs(30), || {
        outbox(&dora, "/mail?state=sent")
            .iter()
            .any(|l| l.job_number == "J-2")
    });
    assert_eq!(sink.messages().len(), 1);
    // The technician sees on the job that the report was received and the letter sent.
    onsite(a, &["sync"]);
    let shown = onsite(a, &["job", "show", "J-2"]);
    assert!(
        shown.contains("received at HQ") && shown.contains("Letter:     sent"),
        "{shown}"
    );

    // J-4: no e-mail address: the letter waits to be printed, and prints.
    sign_and_sync(a, "J-4");
    let list: LetterList = dora
        .call(Method::GET, "/mail?state=no_address", None::<&()>)
        .await;
    let unaddressed = list
        .letters
        .iter()
        .find(|l| l.job_number == "J-4")
        .expect("J-4's letter");
    let (headers, printable) = dora
        .download(&format!("/mail/{}/letter.pdf", unaddressed.id))
        .await
        .expect("the letter as PDF");
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(printable.starts_with(b"%PDF-"));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(sink.messages().len(), 1, "nothing sent without an address");
}
