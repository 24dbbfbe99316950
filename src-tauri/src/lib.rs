//! The Onsite desktop shell: Tauri wiring and one-line commands over [`onsite_core`]. Behaviour
//! lives in onsite-core; this crate only connects it to the window.
//!
//! [`app`] is generic over the Tauri runtime so the commands run under
//! `tauri::test::mock_builder()` in tests, without a display.

pub mod commands;

use onsite_core::{Device, ErrorReport, Schedule, SyncRunner};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use tauri::{Emitter, Manager, Runtime};

/// Name of the event that carries every [`onsite_core::SyncState`] change to the UI.
pub const SYNC_EVENT: &str = "sync-state";

/// How the shell starts.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Data folder; [`onsite_core::default_data_dir`] (the OS app-data folder of
    /// `onsite-desktop`) when `None`.
    pub data_dir: Option<PathBuf>,
    /// Sync in the background on this schedule (at start, after changes, periodically, with
    /// backoff while HQ is away); never when `None`.
    pub schedule: Option<Schedule>,
}

/// What the commands share: the sync runner (which holds the device) and start-up timing.
/// When the device could not be opened, the window still starts and every command answers
/// why, so the technician sees the reason instead of an app that never appears.
pub struct Shell {
    runner: Result<Arc<SyncRunner>, ErrorReport>,
    launched: Instant,
    painted: AtomicBool,
}

impl Shell {
    /// The device, or why it could not be opened.
    ///
    /// # Errors
    /// The error from opening the data folder at start.
    pub fn device(&self) -> Result<&Device, ErrorReport> {
        Ok(self.runner()?.device())
    }

    /// The sync runner, or why the device could not be opened.
    ///
    /// # Errors
    /// The error from opening the data folder at start.
    pub fn runner(&self) -> Result<&Arc<SyncRunner>, ErrorReport> {
        self.runner.as_ref().map_err(Clone::clone)
    }
}

/// Adds Onsite's commands and start-up to `builder`: opens the device in the data folder, and
/// starts background sync when asked.
pub fn app<R: Runtime>(builder: tauri::Builder<R>, options: Options) -> tauri::Builder<R> {
    let launched = Instant::now();
    builder
        .invoke_handler(tauri::generate_handler![
            commands::status,
            commands::probe_hq,
            commands::login,
            commands::logout,
            commands::jobs,
            commands::count_jobs,
            commands::job,
            commands::sync_now,
            commands::sync_state,
            commands::ui_ready,
            commands::record,
            commands::attach_photo,
            commands::sign_off,
            commands::withdraw,
            commands::outbox,
            commands::attachment,
            commands::van_stock,
            commands::parts,
            commands::warranty,
            commands::decide,
            commands::guides,
            commands::ready,
        ])
        .setup(move |app| {
            #[cfg(target_os = "linux")]
            if let Some(window) = app.get_webview_window("main") {
                plain_rendering(&window);
            }
            let handle = app.handle().clone();
            let runner = open_device(options.data_dir.clone()).map(|device| {
                SyncRunner::new(device, move |state| {
                    // A closed window cannot hear it; nothing else to do.
                    let _ = handle.emit(SYNC_EVENT, state);
                })
            });
            match (&runner, options.schedule) {
                (Ok(runner), Some(schedule)) => {
                    tauri::async_runtime::spawn(runner.clone().run(schedule, chrono::Utc::now));
                }
                (Err(e), _) => tracing::error!(code = %e.code, "{}", e.message),
                _ => {}
            }
            app.manage(Shell {
                runner,
                launched,
                painted: AtomicBool::new(false),
            });
            Ok(())
        })
}

/// Opens the device in `data_dir`, or, when `None`, in the folder the `onsite` CLI also uses
/// by default ([`onsite_core::default_data_dir`]), so the two share one store.
fn open_device(data_dir: Option<PathBuf>) -> Result<Arc<Device>, ErrorReport> {
    let dir = data_dir
        .or_else(onsite_core::default_data_dir)
        .ok_or_else(|| ErrorReport {
            code: onsite_core::DeviceErrorCode::Io,
            message: "this system has no app-data folder; set ONSITE_DATA to choose one".into(),
        })?;
    tracing::info!(data = %dir.display(), "opening the local store");
    Ok(Arc::new(Device::open(&dir)?))
}

/// WebKitGTK composites pages with OpenGL by default. On laptops without a usable GPU that
/// loads a software GL stack costing about 80 MB, for a UI of lists and forms that paints just
/// as well without it (measured by the desktop benchmark). The app is one page that never
/// navigates, so WebKit's page and resource caches are dropped too.
#[cfg(target_os = "linux")]
fn plain_rendering<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    let applied = window.with_webview(|webview| {
        use webkit2gtk::{SettingsExt, WebContextExt, WebViewExt};
        let view = webview.inner();
        if let Some(settings) = view.settings() {
            settings
                .set_hardware_acceleration_policy(webkit2gtk::HardwareAccelerationPolicy::Never);
        }
        if let Some(context) = view.context() {
            context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
        }
    });
    if let Err(e) = applied {
        tracing::warn!(error = %e, "could not turn off GPU compositing");
    }
}

/// Runs the desktop app until its window closes.
///
/// # Errors
/// [`tauri::Error`] when the window system or the local store cannot start.
pub fn run(options: Options) -> tauri::Result<()> {
    app(tauri::Builder::default(), options).run(tauri::generate_context!())
}

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod tests;
