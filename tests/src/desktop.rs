//! The real desktop app (`onsite-desktop`) on a virtual X display, driven over WebDriver through
//! tauri-driver and WebKitWebDriver. Each [`Desktop`] has its own display, driver ports and data
//! folder, so tests run side by side.

use crate::bin;
use crate::webdriver::Session;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A virtual X display (Xvfb, 1280×800) of its own; stopped when dropped.
pub struct Display {
    xvfb: Child,
    /// `:N`, for `DISPLAY`.
    pub name: String,
}

impl Display {
    /// Starts Xvfb on the first free display number.
    pub fn start() -> Self {
        let mut xvfb = Command::new(tool("Xvfb"))
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let mut line = String::new();
        BufReader::new(xvfb.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("Xvfb display number");
        Self {
            xvfb,
            name: format!(":{}", line.trim()),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

/// A display, a driver and a data folder for one app.
pub struct Desktop {
    driver: Child,
    /// Held for its drop, which stops Xvfb after the driver.
    _display: Display,
    driver_url: String,
    data: tempfile::TempDir,
}

/// A port nothing listens on now, for a driver to take.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A program on `PATH` (or in `~/.cargo/bin`); panics saying how to install it.
pub fn tool(name: &str) -> PathBuf {
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo/bin")));
    for dir in candidates {
        let path = dir.join(name);
        if path.is_file() {
            return path;
        }
    }
    panic!(
        "{name} is not installed; the README's test command installs it \
         (xvfb, webkit2gtk-driver, chromium, chromium-driver, and `cargo install tauri-driver --locked`)"
    );
}

impl Desktop {
    /// Starts Xvfb (1280×800) and tauri-driver for a new, empty data folder.
    pub fn start() -> Self {
        Self::syncing_every(None)
    }

    /// As [`Desktop::start`], with the app syncing every `seconds` (`ONSITE_SYNC_SECONDS`;
    /// retries while HQ is away wait no longer than that).
    pub fn syncing_every(seconds: Option<u64>) -> Self {
        let data = tempfile::tempdir().expect("tempdir");
        let display = Display::start();
        let (port, native) = (free_port(), free_port());
        let driver = Command::new(tool("tauri-driver"))
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .arg("--native-driver")
            .arg(tool("WebKitWebDriver"))
            .env("DISPLAY", &display.name)
            .env_remove("WAYLAND_DISPLAY")
            .env("ONSITE_DATA", data.path())
            .env("ONSITE_LOG", "warn")
            .envs(seconds.map(|s| ("ONSITE_SYNC_SECONDS", s.to_string())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tauri-driver");
        let driver_url = format!("http://127.0.0.1:{port}");
        // tauri-driver listens at once but forwards a new session to WebKitWebDriver on the
        // native port, which a loaded machine may still be starting: wait for both, or the
        // first session request fails in transit.
        let deadline = Instant::now() + Duration::from_secs(30);
        for listening in [port, native] {
            while std::net::TcpStream::connect(("127.0.0.1", listening)).is_err() {
                assert!(Instant::now() < deadline, "tauri-driver did not start");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Self {
            driver,
            _display: display,
            driver_url,
            data,
        }
    }

    /// The app's data folder (what `ONSITE_DATA` points at).
    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// Launches the app; `name` names the screenshot kept if the test fails while it runs.
    pub fn launch(&self, name: &str) -> App {
        let session = Session::start(&self.driver_url, &bin("onsite-desktop"))
            .unwrap_or_else(|e| panic!("launching onsite-desktop: {e}"));
        App::new(session, name)
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // The driver, WebKitWebDriver and the app go first; the display they draw on is
        // dropped after this, with the struct's fields.
        kill_tree(&mut self.driver);
    }
}

/// `root` and every process descending from it, read from `/proc`, root first.
pub fn process_tree(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name may hold spaces; the parent pid is the 2nd field after its ')'.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            parents.push((pid, ppid));
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    tree
}

/// Kills `child` and everything it started (the tree is read first: once the parent dies its
/// children are re-parented and could no longer be found).
pub fn kill_tree(child: &mut Child) {
    let descendants: Vec<String> = process_tree(child.id())
        .into_iter()
        .skip(1)
        .map(|pid| pid.to_string())
        .collect();
    let _ = child.kill();
    if !descendants.is_empty() {
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--"])
            .args(&descendants)
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.wait();
}

/// A running app. Closing it (or dropping it) ends the WebDriver session; if the test is
/// failing at that moment, a screenshot is kept under `target/ui-failures/`.
pub struct App {
    session: Option<Session>,
    name: String,
}

impl std::ops::Deref for App {
    type Target = Session;
    fn deref(&self) -> &Session {
        self.session.as_ref().expect("open session")
    }
}

/// `target/` of this workspace.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target")
}

impl App {
    /// A window driven through `session`; `name` names the screenshot kept on failure.
    pub fn new(session: Session, name: &str) -> Self {
        Self {
            session: Some(session),
            name: name.to_string(),
        }
    }

    /// Saves a screenshot of the window as `target/<folder>/<file>.png`; returns its path.
    pub fn keep_screenshot(&self, folder: &str, file: &str) -> PathBuf {
        let dir = target_dir().join(folder);
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{file}.png"));
        let png = self.screenshot().expect("screenshot");
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Closes the app.
    pub fn close(mut self) {
        if let Some(s) = self.session.take() {
            s.quit();
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            if std::thread::panicking() {
                let dir = target_dir().join("ui-failures");
                if let (Ok(()), Ok(png)) = (std::fs::create_dir_all(&dir), session.screenshot()) {
                    let path = dir.join(format!("{}.png", self.name));
                    if std::fs::write(&path, png).is_ok() {
                        eprintln!("screenshot of the failure: {}", path.display());
                    }
                }
            }
            session.quit();
        }
    }
}
