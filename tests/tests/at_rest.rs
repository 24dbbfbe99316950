//! The device's data at rest, through the real binaries: private to its owner whatever the
//! umask, nothing of a customer left in the files after logout, and two processes writing to
//! one store at once without refusing changes.

use onsite_e2e::hq::HqProcess;
use onsite_e2e::{PASSWORD, bin};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const CUSTOMER: &str = "Quentin Marchbanks-Zoltan";
const NOTE: &str = "Spare key under the blue flowerpot";

/// `program ARGS…` under `umask 000`, so nothing but the program's own care keeps its files
/// private.
fn open_umask(program: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("umask 000; exec \"$@\"")
        .arg("sh")
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sh");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(line) = stdin {
        input
            .write_all(format!("{line}\n").as_bytes())
            .expect("write stdin");
    }
    drop(input);
    let out = child.wait_with_output().expect("output");
    assert!(
        out.status.success(),
        "{} {args:?}: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn onsite(data: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--data", data.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    open_umask(&bin("onsite"), &all, None)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Every folder under `root` is 0700 and every file 0600.
#[cfg(unix)]
fn assert_private(root: &Path) {
    assert_eq!(mode(root), 0o700, "{}", root.display());
    for entry in std::fs::read_dir(root).expect("read folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            assert_private(&path);
        } else {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
}

fn team_with_a_job() -> HqProcess {
    let hq = HqProcess::start();
    hq.add_user("tina", "technician");
    hq.add_user("dana", "dispatcher");
    let line = serde_json::json!({
        "number": "J-000001", "kind": "repair", "summary": "Boiler pressure drops",
        "technician": "tina",
        "customer": {"name": CUSTOMER, "phone": "+44 113 496 0001"},
        "site": {"address": "7 Larkspur Close", "town": "Leeds"},
    });
    let out = hq.import(&format!("{line}\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    hq
}

fn login(hq: &HqProcess, data: &Path) {
    open_umask(
        &bin("onsite"),
        &[
            "--data",
            data.to_str().expect("utf-8 path"),
            "login",
            "--hq",
            &hq.url,
            "--username",
            "tina",
            "--fingerprint",
            &hq.fingerprint,
            "--password-stdin",
        ],
        Some(PASSWORD),
    );
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Before, `onsite.db`, its photos and HQ's database were 0644: readable by every local user.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn data_folders_are_private_at_both_ends_whatever_the_umask() {
    let hq_data = tempfile::tempdir().expect("tempdir");
    let hq_folder = hq_data.path().join("hq");
    let hq_folder_arg = hq_folder.to_str().expect("utf-8 path");
    open_umask(
        &bin("onsite-hq"),
        &[
            "user",
            "add",
            "--data",
            hq_folder_arg,
            "--username",
            "tina",
            "--role",
            "technician",
            "--password-stdin",
        ],
        Some(PASSWORD),
    );
    assert_private(&hq_folder);

    let hq = team_with_a_job();
    assert_private(hq.data_dir());
    let device = tempfile::tempdir().expect("tempdir");
    let data = device.path().join("onsite");
    login(&hq, &data);
    onsite(&data, &["sync"]);
    let photo = device.path().join("boiler.jpg");
    std::fs::write(&photo, b"\xFF\xD8\xFF\xE0 a photo of the boiler").expect("write photo");
    onsite(
        &data,
        &[
            "job",
            "photo",
            "J-000001",
            photo.to_str().expect("utf-8 path"),
        ],
    );
    onsite(&data, &["sync"]);
    assert!(data.join("attachments").is_dir());
    assert_private(&data);
    assert_private(hq.data_dir());
}

/// Before, `--data hq` (a folder relative to where the command runs) failed with "cannot create
/// data folder hq: No such file or directory": making the new folder private also tried the
/// empty path above it.
#[cfg(unix)]
#[test]
fn a_relative_data_folder_is_created_private() {
    let cwd = tempfile::tempdir().expect("tempdir");
    let out = Command::new(bin("onsite-hq"))
        .args(["demo", "--data", "hq/data"])
        .current_dir(cwd.path())
        .output()
        .expect("run onsite-hq demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_private(&cwd.path().join("hq"));
    assert!(cwd.path().join("hq/data").is_dir());
}

/// Before, logout left photos behind and deleted rows readable in the database's free pages.
/// Now nothing of the customer or of what was recorded stays in any file of the data folder.
#[tokio::test(flavor = "multi_thread")]
async fn nothing_of_a_customer_is_left_after_logout() {
    let hq = team_with_a_job();
    let device = tempfile::tempdir().expect("tempdir");
    let data = device.path().join("onsite");
    login(&hq, &data);
    onsite(&data, &["sync"]);
    onsite(&data, &["job", "note", "J-000001", NOTE]);
    let photo = device.path().join("boiler.jpg");
    std::fs::write(&photo, b"\xFF\xD8\xFF\xE0 a photo of the boiler").expect("write photo");
    onsite(
        &data,
        &[
            "job",
            "photo",
            "J-000001",
            photo.to_str().expect("utf-8 path"),
        ],
    );
    onsite(&data, &["sync"]);
    onsite(
        &data,
        &["job", "note", "J-000001", &format!("{NOTE}, unsent")],
    );

    let everything = |dir: &Path| {
        let mut bytes = Vec::new();
        for entry in walk(dir) {
            bytes.extend(std::fs::read(&entry).expect("read file"));
        }
        bytes
    };
    let before = everything(&data);
    assert!(
        contains(&before, CUSTOMER) && contains(&before, NOTE),
        "the test looks in the right place"
    );

    onsite(&data, &["logout", "--discard-unsent"]);
    assert!(!data.join("attachments").exists(), "photos are gone");
    let after = everything(&data);
    for secret in [CUSTOMER, NOTE, "Larkspur", "a photo of the boiler"] {
        assert!(
            !contains(&after, secret),
            "{secret:?} is still in the data folder"
        );
    }
}

/// Every file under `dir`, at any depth.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Before, two `onsite` processes on one store refused 10–21% of changes with "database is
/// locked". Now write transactions take the lock first and wait their turn: none is refused.
#[tokio::test(flavor = "multi_thread")]
async fn two_processes_record_changes_on_one_store_at_once() {
    let hq = team_with_a_job();
    let device = tempfile::tempdir().expect("tempdir");
    let data = device.path().join("onsite");
    login(&hq, &data);
    onsite(&data, &["sync"]);
    const EACH: usize = 25;
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let data = data.clone();
            std::thread::spawn(move || {
                let mut refused = Vec::new();
                for n in 0..EACH {
                    let out = Command::new(bin("onsite"))
                        .arg("--data")
                        .arg(&data)
                        .args(["job", "note", "J-000001", &format!("writer {w} note {n}")])
                        .output()
                        .expect("run onsite");
                    if !out.status.success() {
                        refused.push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                }
                refused
            })
        })
        .collect();
    // A sync runs alongside, as the app's would.
    let sync = Command::new(bin("onsite"))
        .arg("--data")
        .arg(&data)
        .arg("sync")
        .output()
        .expect("run onsite sync");
    let refused: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().expect("writer thread"))
        .collect();
    assert!(
        refused.is_empty(),
        "{} refused: {:?}",
        refused.len(),
        refused.first()
    );
    assert!(
        sync.status.success(),
        "{}",
        String::from_utf8_lossy(&sync.stderr)
    );
    onsite(&data, &["sync"]);
    let dana = hq.dispatcher("dana").await;
    let notes = dana
        .job_ops("J-000001")
        .await
        .ops
        .iter()
        .filter(|o| matches!(o.op.change, onsite_protocol::Change::Note { .. }))
        .count();
    assert_eq!(notes, 3 * EACH, "every note reached HQ once");
}
