//! The SQLite engine: the conformance suite on a real file, and what only a file has.

use super::*;

async fn fresh() -> (SqliteStorage, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStorage::open(&dir.path().join("hq.db")).unwrap();
    (s, dir)
}

crate::storage_conformance!(fresh());

#[test]
fn reopening_a_file_keeps_instance_and_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hq.db");
    let instance = {
        let (s, _) = (SqliteStorage::open(&path).unwrap(), ());
        s.instance_id().to_string()
    };
    let s = SqliteStorage::open(&path).unwrap();
    assert_eq!(s.instance_id(), instance);
    assert_eq!(instance.len(), 32);
}

/// A database an older version corrupted (a stamp of 16 digits in HQ's clock and in an op):
/// the log of received ops still answers, the unreadable stamp shown as absent, and HQ's clock
/// continues after its newest readable stamp instead of restarting from zero.
#[tokio::test]
async fn unreadable_stamps_cost_neither_the_page_nor_the_clock() {
    use crate::storage::{Pusher, Storage};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hq.db");
    let pusher = Pusher {
        device_id: onsite_protocol::DeviceId::new(),
        username: "tina".into(),
    };
    let now = chrono::Utc::now();
    let first = {
        let s = SqliteStorage::open(&path).unwrap();
        let junk = [serde_json::json!({"kind": "note"})];
        s.push(&pusher, &junk, &Default::default(), now)
            .await
            .unwrap();
        s.push(&pusher, &junk, &Default::default(), now)
            .await
            .unwrap()
            .hlc
    };
    let conn = rusqlite::Connection::open(&path).unwrap();
    let overflowed = format!("1000000000000000-0000000000-{}", first.node);
    conn.execute("UPDATE ops SET hq_hlc = ?1 WHERE seq = 1", [&overflowed])
        .unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'hlc'",
        [&overflowed],
    )
    .unwrap();
    drop(conn);
    let s = SqliteStorage::open(&path).unwrap();
    let page = s.received_ops(None, 10).await.unwrap();
    assert_eq!(page.ops.len(), 2);
    assert_eq!(page.ops[0].hq_hlc, None);
    assert_eq!(page.ops[1].hq_hlc, Some(first));
    let junk = [serde_json::json!({"kind": "note"})];
    let next = s
        .push(&pusher, &junk, &Default::default(), now)
        .await
        .unwrap()
        .hlc;
    assert!(next > first, "HQ's clock went back: {next} after {first}");
    assert_eq!(next.to_string().parse::<onsite_protocol::Hlc>(), Ok(next));
}
