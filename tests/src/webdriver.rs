//! A small W3C WebDriver client: just the commands the UI tests use, over HTTP to
//! tauri-driver (the desktop app) or chromedriver (the console) on loopback. Waiting is always
//! for a condition, with a deadline.

use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// How long a condition may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);
/// The W3C key under which an element reference travels.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// An open WebDriver session: one running app.
pub struct Session {
    base: String,
    http: reqwest::blocking::Client,
}

/// W3C WebDriver codes of the keys the tests press.
pub mod key {
    /// Enter.
    pub const ENTER: &str = "\u{E007}";
    /// Escape.
    pub const ESCAPE: &str = "\u{E00C}";
    /// Tab.
    pub const TAB: &str = "\u{E004}";
    /// Arrow down.
    pub const DOWN: &str = "\u{E015}";
}

/// An element of the page.
#[derive(Clone, Debug)]
pub struct Element(String);

/// `error` and its sources, outermost first: reqwest's own message ("error sending request")
/// hides whether the connection was refused, reset or timed out.
fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl Session {
    /// Starts `application` through the driver at `driver` (`http://127.0.0.1:PORT`).
    pub fn start(driver: &str, application: &std::path::Path) -> Result<Self, String> {
        Self::open(
            driver,
            json!({
                "browserName": "wry",
                "tauri:options": {"application": application},
            }),
        )
    }

    /// Starts a session with `capabilities` (W3C `alwaysMatch`) through the driver at
    /// `driver`: a Tauri app through tauri-driver, Chromium through chromedriver.
    pub fn open(driver: &str, capabilities: Value) -> Result<Self, String> {
        // reqwest is built without a default TLS provider; plain HTTP still needs one installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(120))
            .no_proxy()
            .build()
            .map_err(|e| e.to_string())?;
        let caps = json!({"capabilities": {"alwaysMatch": capabilities}});
        let res: Value = http
            .post(format!("{driver}/session"))
            .json(&caps)
            .send()
            .and_then(|r| r.json())
            .map_err(|e| format!("new session: {}", causes(&e)))?;
        let id = res["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| format!("new session refused: {res}"))?;
        Ok(Self {
            base: format!("{driver}/session/{id}"),
            http,
        })
    }

    /// Opens `url` in the browser and waits for it to load.
    pub fn navigate(&self, url: &str) {
        self.post("/url", json!({"url": url}))
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res: Value = req
            .send()
            .and_then(|r| r.json())
            .map_err(|e| format!("{path}: {}", causes(&e)))?;
        match res["value"].get("error") {
            Some(err) => Err(format!("{path}: {err} {}", res["value"]["message"])),
            None => Ok(res["value"].clone()),
        }
    }

    fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        self.send(reqwest::Method::POST, path, Some(body))
    }

    fn get(&self, path: &str) -> Result<Value, String> {
        self.send(reqwest::Method::GET, path, None)
    }

    /// Every element matching a CSS selector, now.
    pub fn all(&self, css: &str) -> Vec<Element> {
        self.post("/elements", json!({"using": "css selector", "value": css}))
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e[ELEMENT].as_str().map(|id| Element(id.to_string())))
            .collect()
    }

    /// Waits until `probe` answers `Some`, or panics after [`PATIENCE`] saying what it waited for.
    pub fn wait<T>(&self, what: &str, mut probe: impl FnMut(&Self) -> Option<T>) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(v) = probe(self) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(POLL);
        }
    }

    /// Waits for the first element matching `css`.
    pub fn find(&self, css: &str) -> Element {
        self.wait(css, |s| s.all(css).into_iter().next())
    }

    /// Waits for an element with `data-testid`.
    pub fn by_id(&self, test_id: &str) -> Element {
        self.find(&format!("[data-testid='{test_id}']"))
    }

    /// Replaces the text of the input with `data-testid` `test_id`; see [`Session::fill_css`].
    pub fn fill(&self, test_id: &str, text: &str) {
        self.fill_css(&format!("[data-testid='{test_id}']"), text);
    }

    /// Replaces the text of the first input matching `css`. WebDriver's "clear" fires no
    /// input event, so the page is told, as a person's deleting would. The element is looked up
    /// afresh on each try: while the page settles, one found a moment ago may be replaced.
    pub fn fill_css(&self, css: &str, text: &str) {
        self.wait(&format!("typing into {css}"), |s| {
            let e = s.all(css).into_iter().next()?;
            s.post(&format!("/element/{}/clear", e.0), json!({})).ok()?;
            let element = json!({ELEMENT: e.0});
            let script = "arguments[0].dispatchEvent(new Event('input', {bubbles: true}))";
            s.post(
                "/execute/sync",
                json!({"script": script, "args": [element]}),
            )
            .ok()?;
            if !text.is_empty() {
                s.post(&format!("/element/{}/value", e.0), json!({"text": text}))
                    .ok()?;
            }
            Some(())
        });
    }

    /// Runs `script` in the page (it may `return` a value); `None` when it failed.
    pub fn script(&self, script: &str) -> Option<Value> {
        self.post("/execute/sync", json!({"script": script, "args": []}))
            .ok()
    }

    /// Picks the file at `path` in the file input with `data-testid` `test_id`, as a person
    /// choosing it in the file dialog would.
    pub fn upload(&self, test_id: &str, path: &std::path::Path) {
        self.upload_css(&format!("[data-testid='{test_id}']"), path);
    }

    /// Picks the file at `path` in the first file input matching `css`.
    pub fn upload_css(&self, css: &str, path: &std::path::Path) {
        let path = path.to_str().expect("utf-8 path").to_string();
        self.wait(&format!("picking a file in {css}"), |s| {
            let e = s.all(css).into_iter().next()?;
            s.post(&format!("/element/{}/value", e.0), json!({"text": path}))
                .ok()
        });
    }

    /// Clicks the element with `data-testid` `test_id`, looking it up afresh on each try.
    pub fn click_id(&self, test_id: &str) {
        self.click_css(&format!("[data-testid='{test_id}']"));
    }

    /// Clicks the first element matching `css`, looking it up afresh on each try.
    pub fn click_css(&self, css: &str) {
        self.wait(&format!("clicking {css}"), |s| {
            let e = s.all(css).into_iter().next()?;
            s.post(&format!("/element/{}/click", e.0), json!({})).ok()
        });
    }

    /// Draws with the mouse over the element with `data-testid` `test_id`: presses at the
    /// first point, moves through the rest and lets go (points are offsets from its centre).
    pub fn draw(&self, test_id: &str, points: &[(i64, i64)]) {
        let pad = self.by_id(test_id);
        let at = |(x, y): (i64, i64)| {
            json!({"type": "pointerMove", "duration": 20, "x": x, "y": y,
                   "origin": {ELEMENT: pad.0}})
        };
        let mut steps = vec![at(points[0]), json!({"type": "pointerDown", "button": 0})];
        steps.extend(points[1..].iter().copied().map(at));
        steps.push(json!({"type": "pointerUp", "button": 0}));
        self.actions(steps);
    }

    /// Drags the first element matching `css` with the mouse and drops it at (`x`, `y`) in the
    /// viewport, moving there in steps as a hand would.
    pub fn drag_to(&self, css: &str, x: i64, y: i64) {
        let source = self.find(css);
        self.actions(vec![
            json!({"type": "pointerMove", "duration": 0, "x": 0, "y": 0,
                   "origin": {ELEMENT: source.0}}),
            json!({"type": "pointerDown", "button": 0}),
            json!({"type": "pointerMove", "duration": 100, "x": 10, "y": 10,
                   "origin": "pointer"}),
            json!({"type": "pointerMove", "duration": 200, "x": x, "y": y,
                   "origin": "viewport"}),
            json!({"type": "pointerMove", "duration": 50, "x": x, "y": y,
                   "origin": "viewport"}),
            json!({"type": "pointerUp", "button": 0}),
        ]);
    }

    /// Presses the mouse on the element with `data-testid` `test_id`, holds it for `hold`,
    /// and lets go.
    pub fn hold(&self, test_id: &str, hold: Duration) {
        let target = self.by_id(test_id);
        self.actions(vec![
            json!({"type": "pointerMove", "duration": 0, "x": 0, "y": 0,
                   "origin": {ELEMENT: target.0}}),
            json!({"type": "pointerDown", "button": 0}),
            json!({"type": "pause", "duration": hold.as_millis() as u64}),
            json!({"type": "pointerUp", "button": 0}),
        ]);
    }

    fn actions(&self, steps: Vec<Value>) {
        self.post(
            "/actions",
            json!({"actions": [{"type": "pointer", "id": "mouse",
                "parameters": {"pointerType": "mouse"}, "actions": steps}]}),
        )
        .expect("pointer actions");
        let _ = self.send(reqwest::Method::DELETE, "/actions", None);
    }

    /// Types `keys` (text or [`key`] codes) into whatever has the focus, as a person at the
    /// keyboard would.
    pub fn press(&self, keys: &str) {
        self.wait(&format!("pressing {keys:?}"), |s| {
            let active = s.get("/element/active").ok()?;
            let id = active[ELEMENT].as_str()?.to_string();
            s.post(&format!("/element/{id}/value"), json!({"text": keys}))
                .ok()
        });
    }

    /// An attribute of the element that has the focus (`None` when it has none, or no element
    /// has the focus); `"tag"` gives its tag name.
    pub fn focused(&self, attribute: &str) -> Option<String> {
        let script = format!(
            "const e = document.activeElement; if (!e || e === document.body) return null; \
             return {:?} === 'tag' ? e.tagName.toLowerCase() : e.getAttribute({:?});",
            attribute, attribute
        );
        self.script(&script)
            .and_then(|v| v.as_str().map(str::to_string))
    }

    /// Visible text; empty when the element went away.
    pub fn text(&self, e: &Element) -> String {
        self.get(&format!("/element/{}/text", e.0))
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// An attribute, if present.
    pub fn attr(&self, e: &Element, name: &str) -> Option<String> {
        self.get(&format!("/element/{}/attribute/{name}", e.0))
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
    }

    /// Whether the element is shown (in the layout, not hidden).
    pub fn displayed(&self, e: &Element) -> bool {
        self.get(&format!("/element/{}/displayed", e.0))
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// Sets the window's size.
    pub fn resize(&self, width: u32, height: u32) {
        self.post("/window/rect", json!({"width": width, "height": height}))
            .expect("resize");
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        use base64::Engine;
        let b64 = self.get("/screenshot")?;
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .map_err(|e| e.to_string())
    }

    /// Ends the session, which closes the app.
    pub fn quit(self) {
        let _ = self.send(reqwest::Method::DELETE, "", None);
    }
}
