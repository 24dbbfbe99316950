//! The real dispatcher console in Debian's Chromium (headless), driven through chromedriver
//! on loopback, against a real HQ.

use crate::desktop::{App, free_port, kill_tree, tool};
use crate::webdriver::Session;
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A Chromium window. Dropping it ends the session (keeping a screenshot under
/// `target/ui-failures/` if the test is failing), then stops chromedriver.
pub struct Browser {
    window: Option<App>,
    driver: Child,
    /// Chromium's profile, removed with the browser.
    _profile: tempfile::TempDir,
}

impl std::ops::Deref for Browser {
    type Target = App;
    fn deref(&self) -> &App {
        self.window.as_ref().expect("open window")
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium of `width`×`height` that accepts HQ's own
    /// certificate; `name` names the screenshot kept on failure.
    pub fn start(name: &str, width: u32, height: u32) -> Self {
        let port = free_port();
        let driver = Command::new(tool("chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().expect("profile folder");
        let session = Session::open(
            &format!("http://127.0.0.1:{port}"),
            json!({
                "browserName": "chrome",
                "acceptInsecureCerts": true,
                "goog:chromeOptions": {
                    "binary": chromium(),
                    "args": [
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--disable-gpu",
                        format!("--window-size={width},{height}"),
                        format!("--user-data-dir={}", profile.path().display()),
                    ],
                },
            }),
        )
        .unwrap_or_else(|e| panic!("starting Chromium: {e}"));
        Self {
            window: Some(App::new(session, name)),
            driver,
            _profile: profile,
        }
    }
}

/// Debian's Chromium binary.
fn chromium() -> String {
    tool("chromium").display().to_string()
}

impl Drop for Browser {
    fn drop(&mut self) {
        drop(self.window.take());
        kill_tree(&mut self.driver);
    }
}
