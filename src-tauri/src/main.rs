//! `onsite-desktop`: the technician's app.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            // The platform verifier logs an error for every certificate the system does not
            // trust, which is every first contact with a self-signed HQ: that is expected and
            // logged by the app at debug (ONSITE_LOG=debug shows it).
            tracing_subscriber::EnvFilter::try_from_env("ONSITE_LOG")
                .unwrap_or_else(|_| "info,rustls_platform_verifier=off".into()),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never into a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        eprintln!(
            "error: no display: onsite-desktop needs a graphical session (DISPLAY or \
             WAYLAND_DISPLAY). On a server, run it under Xvfb (xvfb-run onsite-desktop), or use \
             the `onsite` command-line client."
        );
        return ExitCode::FAILURE;
    }
    // The period comes from ONSITE_SYNC_SECONDS when set; retries while HQ is away never wait
    // longer than one period.
    let mut schedule = onsite_core::Schedule::default();
    if let Ok(s) = std::env::var("ONSITE_SYNC_SECONDS") {
        match s.parse::<u64>() {
            Ok(n) if n > 0 => {
                schedule.every = Duration::from_secs(n);
                schedule.max_retry = schedule.max_retry.min(schedule.every);
            }
            _ => {
                eprintln!("error: ONSITE_SYNC_SECONDS must be a positive number of seconds");
                return ExitCode::FAILURE;
            }
        }
    }
    let options = onsite_desktop::Options {
        data_dir: std::env::var_os("ONSITE_DATA").map(PathBuf::from),
        schedule: Some(schedule),
    };
    match onsite_desktop::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
