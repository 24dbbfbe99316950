//! The feed stays gap-free with concurrent writers: shown against a plain sequence, which
//! loses a change, and against the counter row, which does not.

use super::super::PostgresStorage;
use super::super::testing::fresh;
use super::{position, stamp};
use onsite_protocol::JobId;
use std::collections::BTreeSet;
use std::time::Duration;

/// What a pull does: the technician's stamps above the cursor, in order.
async fn read_after(storage: &PostgresStorage, cursor: i64) -> Vec<(i64, uuid::Uuid)> {
    let client = storage.connection().await.unwrap();
    client
        .query(
            "SELECT seq, job_id FROM job_feed WHERE technician = 'tina' AND seq > $1 ORDER BY seq",
            &[&cursor],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test]
async fn with_a_plain_sequence_a_reader_passes_a_change_that_commits_late() {
    let (storage, _db) = fresh().await;
    let mut setup = storage.connection().await.unwrap();
    setup
        .batch_execute("CREATE SEQUENCE naive_seq")
        .await
        .unwrap();
    let naive = |job: uuid::Uuid| {
        format!(
            "INSERT INTO job_feed (technician, job_id, seq) VALUES ('tina', '{job}', nextval('naive_seq'))"
        )
    };
    let (early, late) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let mut a = storage.connection().await.unwrap();
    let slow = a.transaction().await.unwrap();
    slow.batch_execute(&naive(early)).await.unwrap(); // takes 1, not committed yet
    let fast = setup.transaction().await.unwrap();
    fast.batch_execute(&naive(late)).await.unwrap(); // takes 2
    fast.commit().await.unwrap();

    let seen = read_after(&storage, 0).await;
    assert_eq!(seen, [(2, late)], "the pull sees 2 while 1 is in flight");
    let cursor = seen[0].0;
    slow.commit().await.unwrap();
    assert!(
        read_after(&storage, cursor).await.is_empty(),
        "1 committed below the cursor: the device never hears of it"
    );
    assert_eq!(read_after(&storage, 0).await.len(), 2, "yet it is there");
}

#[tokio::test]
async fn with_the_counter_row_a_later_writer_waits_and_no_reader_passes_a_gap() {
    let (storage, _db) = fresh().await;
    let (early, late) = (JobId(uuid::Uuid::now_v7()), JobId(uuid::Uuid::now_v7()));
    let mut a = storage.connection().await.unwrap();
    let slow = a.transaction().await.unwrap();
    let first = stamp(&slow, "tina", early, false).await.unwrap();

    let other = storage.clone();
    let second = tokio::spawn(async move {
        let mut b = other.connection().await.unwrap();
        let fast = b.transaction().await.unwrap();
        let seq = stamp(&fast, "tina", late, false).await.unwrap();
        fast.commit().await.unwrap();
        seq
    });
    // However long it is given, the second writer cannot take a position while the first
    // holds the counter row.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !second.is_finished(),
        "the second writer waits for the first"
    );
    assert!(
        read_after(&storage, 0).await.is_empty(),
        "nothing to pass yet"
    );

    slow.commit().await.unwrap();
    let second = second.await.unwrap();
    assert!(second > first);
    assert_eq!(
        read_after(&storage, 0).await,
        [(first, early.0), (second, late.0)],
        "in commit order"
    );
    let mut reader = storage.connection().await.unwrap();
    let tx = reader.transaction().await.unwrap();
    assert_eq!(position(&tx).await.unwrap(), second);
}

#[tokio::test]
async fn many_writers_and_a_reader_pulling_in_a_loop_miss_nothing() {
    const WRITERS: usize = 8;
    const EACH: usize = 40;
    let (storage, _db) = fresh().await;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let storage = storage.clone();
            tokio::spawn(async move {
                let mut written = Vec::new();
                for i in 0..EACH {
                    let mut client = storage.connection().await.unwrap();
                    let tx = client.transaction().await.unwrap();
                    let job = JobId(uuid::Uuid::now_v7());
                    stamp(&tx, "tina", job, false).await.unwrap();
                    // Some commit at once, some after a pause, some roll back: every order
                    // of commits a busy HQ sees.
                    if (w + i).is_multiple_of(3) {
                        tokio::time::sleep(Duration::from_millis(2)).await;
                    }
                    if (w * EACH + i).is_multiple_of(7) {
                        tx.rollback().await.unwrap();
                    } else {
                        tx.commit().await.unwrap();
                        written.push(job.0);
                    }
                }
                written
            })
        })
        .collect();
    let mut cursor = 0;
    let mut received = BTreeSet::new();
    let mut pulls = 0;
    loop {
        let done = writers.iter().all(tokio::task::JoinHandle::is_finished);
        for (seq, job) in read_after(&storage, cursor).await {
            assert!(seq > cursor, "pages are in order");
            cursor = seq;
            received.insert(job);
        }
        pulls += 1;
        // One more pull after the writers finished picks up the last commits.
        if done {
            break;
        }
    }
    let mut written = BTreeSet::new();
    for w in writers {
        written.extend(w.await.unwrap());
    }
    assert!(pulls > 1, "the reader pulled while writers wrote");
    let missing: Vec<_> = written.difference(&received).collect();
    assert!(
        missing.is_empty(),
        "{} changes never reached the device",
        missing.len()
    );
    assert_eq!(received, written, "and nothing rolled back arrived");
}
