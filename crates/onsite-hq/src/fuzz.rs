//! A fuzz harness on the stable toolchain: inputs mutated from seeds of valid ones (bit flips,
//! random and "interesting" bytes, cut, repeated and spliced ranges) and ops built from random
//! parts, into the HLC parser, the pull cursor decoder, the import line parser and the whole
//! push route (router, extractors, judging, SQLite). Each target checks that nothing panics,
//! that what parses round-trips, and that HQ never answers a 5xx.
//!
//! Runs as tests: `ONSITE_FUZZ_CASES` cases per target (a short run by default),
//! `ONSITE_FUZZ_SEED` to replay or vary a run. Soak: `ONSITE_FUZZ_CASES=1000000 cargo test
//! --release -p onsite-hq fuzz -- --nocapture`. A failure prints the seed and the input.

use crate::routes::cursor;
use onsite_protocol::Hlc;
use std::str::FromStr;

/// Cases per target unless `ONSITE_FUZZ_CASES` says otherwise.
const DEFAULT_CASES: u64 = 100_000;
/// Cases for the push route, whose every case is a write transaction on a real file.
const DEFAULT_PUSH_CASES: u64 = 3_000;

fn cases(default: u64) -> u64 {
    std::env::var("ONSITE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn seed() -> u64 {
    std::env::var("ONSITE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x05_17_e0)
}

/// splitmix64: small, fast, and the same sequence for the same seed everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Byte strings that break parsers more often than random bytes do.
const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "-",
    "-1",
    "0",
    "1e999",
    "null",
    "true",
    "\\u0000",
    "\\ud800",
    "99999999999999999999",
    "999999999999999",
    "4294967295",
    "4294967296",
    "\u{202e}",
    "\u{1b}[2J",
    "é",
    "𝕏",
    " ",
    "\n",
    "\t",
    "=",
    "v1:",
    "v2:",
    "%",
    "\u{0}",
];

/// One input mutated from one of `seeds`.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = rng.pick(seeds).clone();
    for _ in 0..=rng.below(8) {
        let len = data.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 => {
                let at = rng.below(len + 1);
                let token = rng.pick(TOKENS).as_bytes().to_vec();
                data.splice(at..at, token);
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(16) + 1).min(len);
                data.drain(start..end);
            }
            4 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(32) + 1).min(len);
                let copy = data[start..end].to_vec();
                let at = rng.below(data.len() + 1);
                data.splice(at..at, copy);
            }
            5 => {
                let other = rng.pick(seeds);
                let cut = rng.below(other.len() + 1);
                let at = rng.below(len + 1);
                data.truncate(at);
                data.extend_from_slice(&other[cut..]);
            }
            _ => {
                let at = rng.below(len + 1);
                let bytes: Vec<u8> = (0..rng.below(8)).map(|_| rng.next() as u8).collect();
                data.splice(at..at, bytes);
            }
        }
    }
    data
}

/// Runs `check` on `n` inputs mutated from `seeds`, reporting the seed and the input that
/// failed.
fn run(name: &str, n: u64, seeds: &[Vec<u8>], mut check: impl FnMut(&[u8])) {
    let seed = seed();
    let mut rng = Rng(seed);
    let started = std::time::Instant::now();
    for case in 0..n {
        let input = mutate(&mut rng, seeds);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&input)));
        if let Err(panic) = outcome {
            let text = String::from_utf8_lossy(&input);
            panic!(
                "{name}: case {case} of seed {seed} failed on {text:?} ({} bytes): {}",
                input.len(),
                panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("panic")
            );
        }
    }
    println!(
        "fuzz {name}: {n} cases in {:.1} s (seed {seed})",
        started.elapsed().as_secs_f64()
    );
}

fn seeds(items: &[&str]) -> Vec<Vec<u8>> {
    items.iter().map(|s| s.as_bytes().to_vec()).collect()
}

const NODE: &str = "0190a6e0-0000-7000-8000-000000000008";

#[test]
fn fuzz_hlc_parser() {
    let corpus = seeds(&[
        &format!("001763900000000-0000000002-{NODE}"),
        &format!("999999999999999-4294967295-{NODE}"),
        &format!("000000000000000-0000000000-{NODE}"),
        "1-2-3",
        "",
    ]);
    run("hlc", cases(DEFAULT_CASES), &corpus, |input| {
        let Ok(text) = std::str::from_utf8(input) else {
            return;
        };
        if let Ok(hlc) = Hlc::from_str(text) {
            let shown = hlc.to_string();
            assert_eq!(
                Hlc::from_str(&shown).ok(),
                Some(hlc),
                "round trip of {shown}"
            );
            assert_eq!(shown.len(), 15 + 1 + 10 + 1 + 36, "canonical width");
        }
    });
}

#[test]
fn fuzz_cursor_decoder() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let texts = [
        "v2:0123456789abcdef0123456789abcdef:42:50",
        "v1:0123456789abcdef:7",
        "v2:ab:0:0",
        "v3:ab:1:2",
        "v3:ab12:7:9:4:0a1b2c3d4e5f6071:2",
    ];
    // Both the texts inside (mutated, then encoded) and the encoded cursors (mutated as sent).
    let mut corpus = seeds(&texts);
    corpus.extend(texts.iter().map(|t| b64(t).into_bytes()));
    run("cursor", cases(DEFAULT_CASES), &corpus, |input| {
        let text = String::from_utf8_lossy(input);
        for cursor in [text.to_string(), b64(&text)] {
            if let Some(pos) = cursor::decode(&cursor) {
                assert!(pos.feed.seq >= 0 && pos.feed.mark.is_none_or(|m| m >= 0));
                assert!(
                    pos.reference
                        .as_ref()
                        .is_none_or(|r| r.seq >= 0 && r.stock >= 0)
                );
                assert_eq!(cursor::decode(&cursor::encode(&pos)), Some(pos));
            }
        }
    });
}

#[test]
fn fuzz_import_line_parser() {
    let line = r#"{"number":"J-000123","kind":"repair","summary":"No hot water","priority":"high","technician":"tina","customer":{"name":"Ada Lovelace","phone":"+44 20 7946 0018","email":"ada@example.com"},"site":{"address":"12 Analytical Row","town":"London","access_notes":"Gate code 1843"},"asset":{"model":"HeatMax 300","serial":"HM3-0042","warranty_until":"2027-03-09"},"scheduled_start":"2026-11-24T08:00:00Z","scheduled_end":"2026-11-24T10:00:00Z"}"#;
    let two = format!("{line}\n\n{line}\n");
    let corpus = seeds(&[line, &two, r#"{"kind":"repair"}"#, "[]"]);
    run(
        "import",
        cases(DEFAULT_CASES),
        &corpus,
        |input| match crate::import::parse(std::io::BufReader::new(input)) {
            Ok(lines) => {
                for (n, job) in &lines {
                    assert!(*n >= 1);
                    let _ = crate::job_input::validate(job);
                }
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        },
    );
}

/// Parts a random op is built from: real kinds and field names with values of every type.
fn structured_op(rng: &mut Rng, device: &str, job: &str) -> serde_json::Value {
    use serde_json::{Value, json};
    let kinds = [
        "status",
        "note",
        "attachment",
        "work_started",
        "work_stopped",
        "contact_phone",
        "asset_serial",
        "discount",
        "",
    ];
    let values = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1e300),
        json!(u64::MAX),
        json!("on_site"),
        json!("completed"),
        json!(""),
        json!("x".repeat(rng.below(20_000))),
        json!("2026-12-02T10:00:00Z"),
        json!("9999-12-31T23:59:59Z"),
        json!([]),
        json!({}),
        json!("a".repeat(64)),
        json!("\u{1b}]8;;x\u{7}"),
    ];
    let mut op = json!({
        "op_id": uuid::Uuid::from_u64_pair(rng.next(), rng.next()).to_string(),
        "device_id": device,
        "job_id": job,
        "hlc": format!("{:015}-{:010}-{device}", rng.next() % 1_000_000_000_000_000, rng.next() % 4_294_967_296),
        "kind": rng.pick(&kinds),
    });
    let fields = [
        "to",
        "text",
        "at",
        "phone",
        "serial",
        "sha256",
        "file_name",
        "media_type",
        "bytes",
        "caption",
        "recorded_at",
        "op_id",
        "hlc",
        "job_id",
        "device_id",
        "kind",
        "extra",
    ];
    let Value::Object(map) = &mut op else {
        unreachable!("built as an object")
    };
    for _ in 0..rng.below(6) {
        map.insert((*rng.pick(&fields)).to_string(), rng.pick(&values).clone());
    }
    op
}

/// The push route end to end, in process: a real SQLite file, a technician's token, bodies
/// mutated from valid pushes and pushes of ops built from random parts. HQ answers every one
/// with a 2xx or a 4xx `{code, message}`, one result per op, and stays consistent.
#[tokio::test(flavor = "multi_thread")]
async fn fuzz_push_body() {
    use crate::routes::{AppState, router};
    use crate::storage::Storage;
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let dir = tempfile::tempdir().expect("tempdir");
    let storage = crate::storage::sqlite::SqliteStorage::open(&dir.path().join("hq.db"))
        .expect("open storage");
    let now = chrono::Utc::now();
    storage
        .add_user(
            crate::storage::NewUser {
                username: "tina".into(),
                display_name: "Tina".into(),
                role: onsite_protocol::Role::Technician,
                skills: vec![],
                password_hash: "x".into(),
            },
            now,
        )
        .await
        .expect("a user");
    let input: onsite_protocol::api::JobInput = serde_json::from_value(serde_json::json!({
        "number": "J-1", "kind": "repair", "summary": "Leak", "technician": "tina",
        "customer": {"name": "Ann"}, "site": {"address": "1 High St"}}))
    .expect("a job");
    let job = storage.create_job(&input, now).await.expect("a job").job.id;
    let device = onsite_protocol::DeviceId::new();
    let issued = crate::auth::issue(now);
    storage
        .create_session("tina", device, &issued.pair, now)
        .await
        .expect("a session");
    let state = AppState::new(
        std::sync::Arc::new(storage),
        std::sync::Arc::new(
            crate::blobs::BlobStore::open(&dir.path().join("blobs")).expect("blobs"),
        ),
    );
    let app = router(state);
    let (device, job) = (device.to_string(), job.to_string());

    let mut rng = Rng(seed());
    let valid: Vec<Vec<u8>> = (0..8)
        .map(|_| {
            let ops: Vec<_> = (0..1 + rng.below(4))
                .map(|_| structured_op(&mut rng, &device, &job))
                .collect();
            serde_json::to_vec(&serde_json::json!({ "ops": ops })).expect("json")
        })
        .collect();
    let n = cases(DEFAULT_PUSH_CASES);
    let started = std::time::Instant::now();
    for case in 0..n {
        let body = if case % 2 == 0 {
            mutate(&mut rng, &valid)
        } else {
            let ops: Vec<_> = (0..rng.below(12))
                .map(|_| structured_op(&mut rng, &device, &job))
                .collect();
            serde_json::to_vec(&serde_json::json!({ "ops": ops })).expect("json")
        };
        let sent_ops = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("ops").and_then(|o| o.as_array()).map(Vec::len));
        let req = Request::post("/api/v1/sync/push")
            .header(header::AUTHORIZATION, format!("Bearer {}", issued.access))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .expect("a request");
        let res = app.clone().oneshot(req).await.expect("an answer");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("a body").to_bytes();
        let answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            panic!(
                "case {case}: a {status} answer that is not JSON: {}",
                String::from_utf8_lossy(&bytes)
            )
        });
        let input = String::from_utf8_lossy(&body);
        assert!(
            !status.is_server_error(),
            "case {case}: {status} {answer} for {input:?}"
        );
        if status.is_success() {
            let results = answer["results"].as_array().map(Vec::len);
            assert_eq!(
                results, sent_ops,
                "case {case}: one result per op for {input:?}"
            );
        } else {
            assert!(
                answer["code"].is_string() && answer["message"].is_string(),
                "{answer}"
            );
        }
    }
    println!(
        "fuzz push: {n} cases in {:.1} s (seed {})",
        started.elapsed().as_secs_f64(),
        seed()
    );
}
