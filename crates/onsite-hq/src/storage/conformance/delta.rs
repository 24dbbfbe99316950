//! Conformance case for pulls that carry only the ops that changed since the device's cursor.

use super::*;
use onsite_protocol::api::JobPatch;

fn note(device: DeviceId, job: JobId, n: u32) -> serde_json::Value {
    json!({"op_id": onsite_protocol::OpId::new(), "device_id": device, "job_id": job,
           "hlc": format!("{:015}-{:010}-{device}", 1, n), "kind": "note",
           "text": format!("note {n}")})
}

/// Pulls everything after `after`, with `known` as the device's mark: the merged view of
/// each job's op ids the device would then hold, the jobs that came as deltas, and the
/// position reached.
async fn pull_from(
    s: &dyn Storage,
    after: Option<i64>,
    known: Option<i64>,
) -> (PullPage, FeedPosition) {
    let (page, pos) = s.pull("tina", after, known, 1000).await.unwrap();
    assert!(!page.more);
    (page, pos)
}

/// Conformance case: a job the device holds, changed by one new note since its cursor, comes
/// with that note only (`ops_since`); a settled conflict comes back changed; a job new to the
/// device, one changed twice over, or a device that did not ask, gets every op.
pub async fn a_pull_resends_only_the_ops_that_changed_since_the_cursor(s: &dyn Storage) {
    let input: JobInput = serde_json::from_value(job("J-1", Some("tina"), "1")).unwrap();
    let view = s.create_job(&input, stored_now()).await.unwrap();
    let id = view.job.id;
    let device = DeviceId::new();
    let tina = Pusher {
        username: "tina".into(),
        device_id: device,
    };
    let many: Vec<_> = (0..50).map(|n| note(device, id, n)).collect();
    s.push(&tina, &many, &BlobSizes::new(), stored_now())
        .await
        .unwrap();

    let (first, pos) = pull_from(s, None, None).await;
    assert_eq!((first.ops.len(), first.ops_since.len()), (50, 0));
    let mark = pos.mark.expect("a mark");

    s.push(
        &tina,
        &[note(device, id, 50)],
        &BlobSizes::new(),
        stored_now(),
    )
    .await
    .unwrap();
    let (delta, pos2) = pull_from(s, Some(pos.seq), Some(mark)).await;
    assert_eq!(delta.ops_since, vec![id]);
    assert_eq!(delta.ops.len(), 1, "only the new note");
    assert!(
        matches!(&delta.ops[0].op.change, onsite_protocol::Change::Note { text } if text == "note 50")
    );
    // Without asking, the same pull carries them all.
    let (all, _) = pull_from(s, Some(pos.seq), None).await;
    assert_eq!((all.ops.len(), all.ops_since.len()), (51, 0));

    // A conflict, then its settlement: each comes as a change.
    s.cancel_job(id, None, stored_now()).await.unwrap();
    let status = json!({"op_id": onsite_protocol::OpId::new(), "device_id": device, "job_id": id,
                        "hlc": format!("{:015}-{:010}-{device}", 2, 0), "kind": "status",
                        "to": "en_route"});
    let answer = s
        .push(
            &tina,
            std::slice::from_ref(&status),
            &BlobSizes::new(),
            stored_now(),
        )
        .await
        .unwrap();
    assert_eq!(
        answer.results[0].outcome,
        onsite_protocol::Outcome::Conflict
    );
    // Two stamps since the device's last page (the cancel, the conflict): all ops again.
    let (twice, pos3) = pull_from(s, Some(pos2.seq), pos2.mark).await;
    assert_eq!((twice.ops.len(), twice.ops_since.len()), (52, 0));
    let conflict: OpId = serde_json::from_value(status["op_id"].clone()).unwrap();
    s.resolve_conflict(
        conflict,
        Resolution::KeepHq,
        Some("cancelled by the customer"),
        "dana",
        stored_now(),
    )
    .await
    .unwrap();
    let (settled, _) = pull_from(s, Some(pos3.seq), pos3.mark).await;
    assert_eq!(settled.ops_since, vec![id]);
    assert_eq!(settled.ops.len(), 1);
    assert_eq!(settled.ops[0].op.op_id, conflict);
    assert!(settled.ops[0].settled.is_some(), "with its settlement");

    // A job reassigned to tina from tom: new to her device, so every op comes.
    let other: JobInput = serde_json::from_value(job("J-2", Some("tom"), "2")).unwrap();
    let other = s.create_job(&other, stored_now()).await.unwrap().job.id;
    let toms = DeviceId::new();
    let tom = Pusher {
        username: "tom".into(),
        device_id: toms,
    };
    let notes: Vec<_> = (0..3).map(|n| note(toms, other, n)).collect();
    s.push(&tom, &notes, &BlobSizes::new(), stored_now())
        .await
        .unwrap();
    let (_, before) = pull_from(s, None, None).await;
    s.assign_job(other, Some("tina"), stored_now())
        .await
        .unwrap();
    let (moved, _) = pull_from(s, Some(before.seq), before.mark).await;
    assert!(moved.ops_since.is_empty());
    assert_eq!(moved.ops.iter().filter(|o| o.op.job_id == other).count(), 3);

    // A job that goes to tom and comes back: her device dropped it, so every op comes again.
    let (_, held) = pull_from(s, None, None).await;
    s.assign_job(other, Some("tom"), stored_now())
        .await
        .unwrap();
    let (gone, away) = pull_from(s, Some(held.seq), held.mark).await;
    assert_eq!(gone.removed, vec![other]);
    s.assign_job(other, Some("tina"), stored_now())
        .await
        .unwrap();
    let (back, _) = pull_from(s, Some(away.seq), away.mark).await;
    assert!(back.ops_since.is_empty(), "{:?}", back.ops_since);
    assert_eq!(back.ops.iter().filter(|o| o.op.job_id == other).count(), 3);

    // An edit that touches no op still sends an empty delta, not the whole list.
    let (_, now) = pull_from(s, None, None).await;
    let patch: JobPatch =
        serde_json::from_value(json!({"summary": "Leak under the sink"})).unwrap();
    s.update_job(other, &patch, stored_now()).await.unwrap();
    let (edited, _) = pull_from(s, Some(now.seq), now.mark).await;
    assert_eq!(
        (
            edited.jobs.len(),
            edited.ops.len(),
            edited.ops_since.clone()
        ),
        (1, 0, vec![other])
    );
}
