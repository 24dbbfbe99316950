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
