//! Test harness shared by the end-to-end tests and benchmarks: a real HQ process, a TCP proxy
//! that can cut, slow down and count traffic, and job fixtures.

pub mod bench;
pub mod changes;
pub mod console;
pub mod desktop;
pub mod fixtures;
pub mod hq;
pub mod pg;
pub mod proxy;
pub mod webdriver;

use std::path::PathBuf;

/// Path of a binary built from this workspace (`onsite-hq`, `onsite`), next to the test
/// executable's `deps` folder. `cargo test --workspace` builds them; say so clearly otherwise.
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target folder");
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: build it first with `cargo build --workspace --bins` (the README's test command does)",
        path.display()
    );
    path
}

/// Runs `onsite --data DATA ARGS…` to completion and returns its output, whatever it was.
pub fn onsite_run(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(bin("onsite"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("run onsite")
}

/// As [`onsite_ok`], returning what it printed.
pub fn onsite_stdout(data: &std::path::Path, args: &[&str]) -> String {
    String::from_utf8_lossy(&onsite_ok(data, args).stdout).into_owned()
}

/// Runs `onsite --data DATA ARGS…`, checks it was refused, and returns what it said (its
/// standard error).
pub fn onsite_refused(data: &std::path::Path, args: &[&str]) -> String {
    let out = onsite_run(data, args);
    assert!(
        !out.status.success(),
        "onsite {args:?} was accepted: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The text a PDF viewer lets one copy out of `pdf` (`pdftotext`, from poppler-utils).
pub fn pdf_text(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/lib/install.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `onsite --data DATA ARGS…` to completion and returns its output, after checking it
/// succeeded (the failure shows its standard error).
pub fn onsite_ok(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    let out = onsite_run(data, args);
    assert!(
        out.status.success(),
        "onsite {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The password every test user gets.
pub const PASSWORD: &str = "password-123";
