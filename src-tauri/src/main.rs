//! `onsite-desktop`: the technician's app.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Background sync period unless `ONSITE_SYNC_SECONDS` says otherwise.
const SYNC_EVERY: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ONSITE_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
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
    let sync_every = match std::env::var("ONSITE_SYNC_SECONDS") {
        Ok(s) => match s.parse::<u64>() {
            Ok(n) if n > 0 => Duration::from_secs(n),
            _ => {
                eprintln!("error: ONSITE_SYNC_SECONDS must be a positive number of seconds");
                return ExitCode::FAILURE;
            }
        },
        Err(_) => SYNC_EVERY,
    };
    let options = onsite_desktop::Options {
        data_dir: std::env::var_os("ONSITE_DATA").map(PathBuf::from),
        sync_every: Some(sync_every),
    };
    match onsite_desktop::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
