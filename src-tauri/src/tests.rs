//! Every command through Tauri's mock runtime (no display), with the app's real context and
//! capabilities, against a real HQ over HTTPS on loopback where the command needs one.

use crate::{Options, app};
use chrono::{Duration, Utc};
use onsite_hq::server::{CertSource, RunningHq, ServeConfig};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};
use tempfile::TempDir;

struct Ipc {
    window: WebviewWindow<MockRuntime>,
    _app: tauri::App<MockRuntime>,
    _data: TempDir,
}

impl Ipc {
    fn start() -> Self {
        Self::start_in(tempfile::tempdir().unwrap())
    }

    fn start_in(data: TempDir) -> Self {
        let options = Options {
            data_dir: Some(data.path().to_path_buf()),
            schedule: None,
        };
        let mut app = app(mock_builder(), options)
            .build(tauri::generate_context!())
            .unwrap();
        // The first iteration runs the app's setup, which opens the device and creates the
        // configured window, as a real start does. Called once, so the busy-loop concern behind
        // its deprecation does not apply, and it is the only way to run setup under the mock.
        #[allow(deprecated)]
        app.run_iteration(|_, _| {});
        let window = app.get_webview_window("main").expect("the main window");
        Self {
            window,
            _app: app,
            _data: data,
        }
    }

    /// Invokes `cmd` as the UI would; `Err` holds the `{code, message}` the UI receives.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|b| b.deserialize::<Value>().unwrap())
    }

    /// Invokes `cmd` with a raw body and headers, as the UI sends a photo.
    fn call_raw(&self, cmd: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Result<Value, Value> {
        let mut map = tauri::http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                tauri::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Raw(body),
            headers: map,
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|b| b.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn code(&self, cmd: &str, args: Value) -> String {
        let err = self.call(cmd, args).expect_err(cmd);
        assert!(
            err["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{err}"
        );
        err["code"].as_str().unwrap().to_string()
    }
}

struct Hq {
    running: Option<RunningHq>,
    _dir: TempDir,
}

impl Hq {
    /// HQ on 127.0.0.1 with the demo data.
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = onsite_hq::server::open_storage(dir.path()).unwrap();
        let now = Utc::now();
        tauri::async_runtime::block_on(onsite_hq::demo::seed(
            &storage,
            now - Duration::hours(8),
            now.date_naive(),
            now,
        ))
        .unwrap();
        drop(storage);
        let running = tauri::async_runtime::block_on(onsite_hq::server::start(ServeConfig {
            data_dir: dir.path().to_path_buf(),
            database: None,
            blobs_dir: None,
            listen: "127.0.0.1:0".parse().unwrap(),
            cert: CertSource::SelfSigned,
            limits: onsite_hq::connections::ConnectionLimits::default(),
            mail: None,
        }))
        .unwrap();
        Self {
            running: Some(running),
            _dir: dir,
        }
    }

    fn running(&self) -> &RunningHq {
        self.running.as_ref().unwrap()
    }

    /// Every session `username` has had at this HQ.
    fn sessions(&self, username: &str) -> Vec<onsite_hq::storage::SessionRecord> {
        use onsite_hq::storage::Storage;
        let storage = onsite_hq::server::open_storage(self._dir.path()).unwrap();
        tauri::async_runtime::block_on(storage.sessions(Some(username), true, 100, Utc::now()))
            .unwrap()
    }

    fn stop(&mut self) {
        let running = self.running.take().unwrap();
        tauri::async_runtime::block_on(running.shutdown());
    }
}

fn all_jobs() -> Value {
    json!({"query": {"search": null, "range": {"kind": "all"}, "limit": null, "offset": 0}})
}

#[test]
fn a_fresh_device_is_logged_out_and_empty() {
    let shell = Ipc::start();
    let status = shell.ok("status", json!({}));
    assert_eq!(status["logged_in"], false);
    assert_eq!(status["jobs"], 0);
    assert_eq!(shell.ok("jobs", all_jobs()), json!([]));
    let state = shell.ok("sync_state", json!({}));
    assert_eq!(state["connection"], "unknown");
    assert!(shell.ok("ui_ready", json!({})).as_u64().is_some());
}

#[test]
fn an_unreadable_store_is_reported_by_every_command() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("onsite.db"), b"this is not a database").unwrap();
    let shell = Ipc::start_in(data);
    let err = shell.call("status", json!({})).unwrap_err();
    assert_eq!(err["code"], "store", "{err}");
    assert_eq!(shell.code("jobs", all_jobs()), "store");
    assert_eq!(shell.code("sync_state", json!({})), "store");
    assert!(shell.ok("ui_ready", json!({})).as_u64().is_some());
}

#[test]
fn bad_input_gets_codes_not_crashes() {
    let shell = Ipc::start();
    let login = |fingerprint: Value| {
        json!({"url": "https://127.0.0.1:1", "username": "tina", "password": "x",
               "fingerprint": fingerprint})
    };
    assert_eq!(
        shell.code("login", login(json!("not-a-fingerprint"))),
        "invalid_input"
    );
    assert_eq!(
        shell.code("probe_hq", json!({"url": "http://hq"})),
        "invalid_input"
    );
    assert_eq!(shell.code("job", json!({"number": "J-404"})), "unknown_job");
    // A malformed query is refused by the IPC layer before reaching the device.
    assert!(
        shell
            .call("jobs", json!({"query": {"range": {"kind": "someday"}}}))
            .is_err()
    );
    let state = shell.ok("sync_now", json!({}));
    assert_eq!(state["last_error"]["code"], "not_logged_in");
}

#[test]
fn a_technician_session_through_every_command() {
    let mut hq = Hq::start();
    let shell = Ipc::start();
    let url = hq.running().url();

    let probe = shell.ok("probe_hq", json!({"url": url}));
    assert_eq!(probe["fingerprint"], hq.running().fingerprint.as_str());
    assert_eq!(
        probe["trusted"], false,
        "a self-signed HQ must be confirmed"
    );

    assert_eq!(probe["confirmed"], Value::Null, "never confirmed here");

    let creds_of = |username: &str, password: &str| {
        json!({"url": url, "username": username, "password": password,
               "fingerprint": hq.running().fingerprint})
    };
    let creds = |password: &str| creds_of("tina", password);
    assert_eq!(
        shell.code("login", creds("wrong-password")),
        "invalid_credentials"
    );
    // HQ answered over the pinned certificate: it is not to be confirmed again.
    let probe = shell.ok("probe_hq", json!({"url": url}));
    assert_eq!(probe["confirmed"], probe["fingerprint"]);

    // A dispatcher is told this app is the technicians', and nothing is stored.
    let err = shell
        .call("login", creds_of("dora", onsite_hq::demo::PASSWORD))
        .unwrap_err();
    assert_eq!(err["code"], "not_a_technician", "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("Dora Dispatch is a dispatcher account")
            && message.contains("for technicians")
            && message.contains(&url),
        "{message}"
    );
    assert_eq!(shell.ok("status", json!({}))["logged_in"], false);

    let user = shell.ok("login", creds(onsite_hq::demo::PASSWORD));
    assert_eq!(user["username"], "tina");

    let state = shell.ok("sync_now", json!({}));
    assert_eq!(state["connection"], "online", "{state}");
    assert_eq!(state["last_error"], Value::Null);
    assert!(state["last_sync_at"].is_string());

    let now = Utc::now();
    let expected: Vec<_> = onsite_hq::demo::jobs(now - Duration::hours(8), now.date_naive())
        .into_iter()
        .filter(|j| j.technician.as_deref() == Some("tina"))
        .map(|j| j.number.unwrap())
        .collect();
    let jobs = shell.ok("jobs", all_jobs());
    let mut numbers: Vec<_> = jobs
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["number"].as_str().unwrap().to_string())
        .collect();
    numbers.sort();
    assert_eq!(numbers, expected, "exactly Tina's jobs");
    assert_eq!(
        shell.ok("count_jobs", all_jobs()).as_u64(),
        Some(expected.len() as u64)
    );

    let detail = shell.ok("job", json!({"number": expected[0]}));
    assert_eq!(detail["job"]["number"], expected[0].as_str());
    assert!(detail["warranty"]["state"].is_string());
    assert_eq!(detail["history"][0]["status"], "assigned");

    let status = shell.ok("status", json!({}));
    assert_eq!(
        (status["logged_in"].clone(), status["jobs"].as_u64()),
        (json!(true), Some(expected.len() as u64))
    );

    // The visit's reference data came with the sync: the van, the catalog, the guides.
    let van = shell.ok("van_stock", json!({}));
    assert!(!van.as_array().unwrap().is_empty(), "{van}");
    assert!(shell.ok("parts", json!({})).as_array().unwrap().len() >= 40);
    let guides = shell.ok("guides", json!({"search": null}));
    assert!(!guides.as_array().unwrap().is_empty());
    let ready = shell.ok("ready", json!({}));
    assert!(
        ready["ready"].is_boolean() && ready["jobs"].is_array(),
        "{ready}"
    );
    // A warranty decision on a job with a product: the options, then one of them recorded.
    let with_product = expected
        .iter()
        .find(|n| !shell.ok("job", json!({"number": n}))["asset"].is_null())
        .expect("a demo job of Tina's has a product");
    let choice = shell.ok(
        "warranty",
        json!({"number": with_product, "fault": "performance"}),
    );
    let remedy = choice["options"][0]["remedy"].as_str().unwrap();
    assert!(choice["options"][0]["words"].is_string(), "{choice}");
    assert!(
        shell
            .call(
                "warranty",
                json!({"number": with_product, "fault": "meteorite"})
            )
            .is_err(),
        "an unknown fault does not reach the device"
    );
    let serial = (remedy == "replace").then_some("NEW-UNIT-1");
    shell.ok(
        "decide",
        json!({"number": with_product, "remedy": remedy, "fault": "performance",
               "note": null, "replacementSerial": serial}),
    );
    let decided = shell.ok("job", json!({"number": with_product}));
    assert_eq!(decided["visit"]["decisions"][0]["remedy"], remedy);
    let state = shell.ok("sync_now", json!({}));
    assert_eq!(state["waiting"], 0, "{state}");
    let outbox = shell.ok("outbox", json!({}));
    assert_eq!(outbox["ops"][0]["state"], "applied", "HQ agrees: {outbox}");

    hq.stop();
    let state = shell.ok("sync_now", json!({}));
    assert_eq!(state["connection"], "offline");
    assert_eq!(state["last_error"]["code"], "hq_unreachable");
    assert_eq!(
        shell.ok("jobs", all_jobs()).as_array().unwrap().len(),
        expected.len(),
        "offline, the local store still answers"
    );

    let out = shell.ok("logout", json!({}));
    assert_eq!(out["at_hq"], "not_reached", "{out}");
    assert!(
        out["reason"].as_str().unwrap().contains("unreachable"),
        "{out}"
    );
    let status = shell.ok("status", json!({}));
    assert_eq!(
        (status["logged_in"].clone(), status["jobs"].clone()),
        (json!(false), json!(0))
    );
    assert_eq!(shell.ok("sync_state", json!({}))["connection"], "unknown");
}

#[test]
fn changes_recorded_in_the_app_wait_then_reach_hq() {
    let hq = Hq::start();
    let shell = Ipc::start();
    let url = hq.running().url();
    shell.ok(
        "login",
        json!({"url": url, "username": "tina", "password": onsite_hq::demo::PASSWORD,
               "fingerprint": hq.running().fingerprint}),
    );
    shell.ok("sync_now", json!({}));
    let jobs = shell.ok("jobs", all_jobs());
    let number = jobs
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["number"].as_str().unwrap().to_string())
        .find(|n| {
            let d = shell.ok("job", json!({"number": n}));
            d["job"]["status"] == "assigned" && d["asset"].is_object()
        })
        .expect("an assigned job with a product");
    let n = json!(number);

    let record = |change: Value| json!({"number": n, "change": change});
    let entry = shell.ok(
        "record",
        record(json!({"kind": "status", "to": "en_route"})),
    );
    assert_eq!(entry["state"], "pending");
    shell.ok(
        "record",
        record(json!({"kind": "note", "text": "Parking is round the back"})),
    );
    shell.ok(
        "record",
        record(json!({"kind": "work_started", "at": Utc::now()})),
    );
    shell.ok(
        "record",
        record(json!({"kind": "contact_phone", "phone": "+44 113 496 0001"})),
    );
    shell.ok(
        "record",
        record(json!({"kind": "asset_serial", "serial": "HM3-CHECKED"})),
    );
    let photo = shell
        .call_raw(
            "attach_photo",
            b"not really a jpeg".to_vec(),
            &[
                ("onsite-job", &number),
                ("onsite-file-name", "boiler%20front.jpg"),
            ],
        )
        .unwrap();
    assert_eq!(photo["change"]["file_name"], "boiler front.jpg");
    // The app reads the photo back to show it; only by hash.
    let sha = photo["change"]["sha256"].as_str().unwrap();
    let shown = shell.call("attachment", json!({"sha256": sha})).unwrap();
    assert_eq!(
        shown.as_array().map(|b| b.len()),
        Some(b"not really a jpeg".len()),
        "{shown}"
    );
    assert_eq!(
        shell.code("attachment", json!({"sha256": "../onsite.db"})),
        "invalid_input"
    );

    // A second photo, with a caption, taken back before it is sent: gone from the job and
    // from the laptop.
    let second = shell
        .call_raw(
            "attach_photo",
            b"another picture".to_vec(),
            &[
                ("onsite-job", &number),
                ("onsite-file-name", "label.jpg"),
                ("onsite-caption", "Rating%20label"),
            ],
        )
        .unwrap();
    assert_eq!(second["change"]["caption"], "Rating label");
    let second_sha = second["change"]["sha256"].as_str().unwrap().to_string();
    shell.ok("withdraw", json!({"opId": second["op_id"]}));
    assert_eq!(
        shell.code("attachment", json!({"sha256": second_sha})),
        "unknown_attachment"
    );
    assert_eq!(
        shell.code("withdraw", json!({"opId": second["op_id"]})),
        "invalid_input",
        "already taken back"
    );

    // Bad input: codes, and nothing recorded.
    let code = |cmd: &str, args: Value| shell.code(cmd, args);
    assert_eq!(
        code(
            "record",
            record(json!({"kind": "status", "to": "cancelled"}))
        ),
        "invalid_input"
    );
    assert_eq!(
        code(
            "record",
            record(json!({"kind": "status", "to": "completed"}))
        ),
        "invalid_transition"
    );
    assert_eq!(
        code(
            "record",
            json!({"number": "J-404", "change": {"kind": "note", "text": "x"}})
        ),
        "unknown_job"
    );
    // A change of a kind the app does not know is refused by the IPC layer.
    assert!(
        shell
            .call("record", record(json!({"kind": "discount", "percent": 50})))
            .is_err()
    );
    assert_eq!(code("attach_photo", json!({"number": n})), "invalid_input");
    let err = shell
        .call_raw(
            "attach_photo",
            b"x".to_vec(),
            &[("onsite-job", &number), ("onsite-file-name", "virus.exe")],
        )
        .unwrap_err();
    assert_eq!(err["code"], "unsupported_file");

    // The job shows every change at once; the runner knows how many wait.
    let detail = shell.ok("job", json!({"number": n}));
    assert_eq!(detail["job"]["status"], "en_route");
    assert_eq!(detail["customer"]["phone"], "+44 113 496 0001");
    assert_eq!(detail["working"], true);
    // Six changes, and the checklist versions the job keeps, pinned as work started.
    assert_eq!(detail["activity"].as_array().unwrap().len(), 7);
    assert!(
        detail["activity"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["change"]["kind"] == "checklist_pinned")
    );
    assert_eq!(shell.ok("sync_state", json!({}))["waiting"], 7);
    let outbox = shell.ok("outbox", json!({}));
    assert_eq!(outbox["waiting"], 7);

    let state = shell.ok("sync_now", json!({}));
    assert_eq!(state["waiting"], 0, "{state}");
    let outbox = shell.ok("outbox", json!({}));
    assert!(
        outbox["ops"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["state"] == "applied"),
        "{outbox}"
    );
    let detail = shell.ok("job", json!({"number": n}));
    assert!(
        detail["activity"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["state"] == "applied" && a["by"] == "Tina Fischer")
    );
    assert_eq!(
        shell.code("withdraw", json!({"opId": photo["op_id"]})),
        "already_sent",
        "a photo HQ has stays"
    );

    // Logging out with a change not yet sent asks first.
    shell.ok(
        "record",
        record(json!({"kind": "note", "text": "one more"})),
    );
    assert_eq!(code("logout", json!({})), "unsynced_changes");
    assert_eq!(shell.ok("status", json!({}))["logged_in"], true);
    assert_eq!(
        shell.ok("logout", json!({"discard": true}))["at_hq"],
        "ended"
    );
    assert_eq!(shell.ok("status", json!({}))["waiting"], 0);
    // HQ ended the session: the laptop's tokens are dead wherever copies of them are.
    let sessions = hq.sessions("tina");
    assert!(!sessions.is_empty());
    assert!(
        sessions
            .iter()
            .all(|s| s.ended.map(|(_, why)| why) == Some(onsite_hq::storage::Ending::Logout)),
        "{sessions:?}"
    );
    // Pictures of the customer's home do not stay on the laptop.
    assert_eq!(
        shell.code("attachment", json!({"sha256": sha})),
        "unknown_attachment"
    );
}
