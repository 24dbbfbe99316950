//! Conformance case for what follows a visit: a low rating opens a complaint once, completed
//! installations and complaints get follow-up calls, calls are retried and their outcomes
//! kept, cases move along with their history and lead to return visits, and the feedback is
//! summed per model and month.

use super::visit::{Laptop, outcomes};
use super::*;
use onsite_protocol::cases::{
    CaseInput, CaseKind, CasePatch, CaseQuery, CaseSource, CaseStatus, ReturnVisitInput,
};
use onsite_protocol::feedback::{CallOutcome, FollowUpReason, FollowUpState, OutcomeInput};
use onsite_protocol::signoff::CallTime;
use onsite_protocol::{Outcome, Reason};

async fn job_of(s: &dyn Storage, number: &str, kind: &str, now: chrono::DateTime<Utc>) -> JobId {
    let mut input = super::job(number, Some("tina"), "0113 496 0000");
    input["kind"] = json!(kind);
    let (_, input) = super::line(1, input);
    s.create_job(&input, now).await.unwrap().job.id
}

fn call(outcome: CallOutcome) -> OutcomeInput {
    OutcomeInput {
        outcome,
        note: None,
    }
}

/// Conformance case.
pub async fn ratings_open_complaints_and_follow_up_calls_are_made_until_answered(s: &dyn Storage) {
    let now = stored_now();
    let today = now.date_naive();
    let in_three = today + chrono::Days::new(3);
    let fitted = job_of(s, "J-1", "installation", now).await;
    let serviced = job_of(s, "J-2", "maintenance", now).await;
    let mut laptop = Laptop::new();
    let tina = laptop.tina();
    let on_site = laptop.op(fitted, json!({"kind": "status", "to": "on_site"}));
    let completed = laptop.op(fitted, json!({"kind": "status", "to": "completed"}));
    let rated = laptop.op(
        fitted,
        json!({"kind": "rated", "satisfaction": 2, "recommend": 3,
            "complaint": "Left a mess in the hall", "comment": "Polite though",
            "call_ok": true, "call_time": "evening"}),
    );
    let batch = vec![
        on_site,
        completed,
        rated.clone(),
        laptop.op(serviced, json!({"kind": "status", "to": "on_site"})),
        laptop.op(serviced, json!({"kind": "status", "to": "completed"})),
        laptop.op(
            serviced,
            json!({"kind": "rated", "satisfaction": 5, "recommend": 10}),
        ),
        laptop.op(serviced, json!({"kind": "rated", "satisfaction": 9})),
    ];
    let got = outcomes(s, &tina, &batch, now).await;
    assert_eq!(got[..6], [(Outcome::Applied, None); 6]);
    assert_eq!(got[6], (Outcome::Rejected, Some(Reason::InvalidValue)));
    // The same rating again opens nothing more.
    let again = outcomes(s, &tina, &[rated], now).await;
    assert_eq!(again, [(Outcome::Duplicate, None)]);

    let complaints = s
        .cases(CaseKind::Complaint, &CaseQuery::default(), 50)
        .await
        .unwrap();
    assert_eq!(complaints.cases.len(), 1, "only the low rating opens one");
    let complaint = &complaints.cases[0];
    assert_eq!(
        (complaint.source, complaint.status, complaint.job_id),
        (CaseSource::Rating, CaseStatus::Open, Some(fitted))
    );
    assert_eq!(complaint.subject, "Left a mess in the hall");
    assert_eq!(complaint.model.as_deref(), Some("HeatMax 300"));
    assert_eq!(complaint.customer_name.as_deref(), Some("Ada Lovelace"));
    assert!(
        complaint
            .details
            .as_deref()
            .is_some_and(|d| d.contains("Polite though"))
    );

    // The installation and the complaint are called back three days on, in the evening.
    assert!(
        s.follow_ups_due(today, None, 50)
            .await
            .unwrap()
            .follow_ups
            .is_empty()
    );
    let due = s
        .follow_ups_due(in_three, None, 50)
        .await
        .unwrap()
        .follow_ups;
    let reasons: Vec<_> = due
        .iter()
        .map(|f| (f.reason, f.job_id, f.call_time))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                FollowUpReason::Installation,
                fitted,
                Some(CallTime::Evening)
            ),
            (FollowUpReason::Complaint, fitted, Some(CallTime::Evening)),
        ]
    );
    assert_eq!(due[1].case_id, Some(complaint.id));
    assert_eq!(due[0].phone.as_deref(), Some("0113 496 0000"));

    // Nobody answers: tried again the next day, given up after the third call.
    let install = due[0].id;
    let later = now + chrono::Duration::days(3);
    for n in 1..=3 {
        let f = s
            .record_call(install, &call(CallOutcome::NoAnswer), "dana", later)
            .await
            .unwrap();
        assert_eq!(f.calls.len(), n);
        let expected = if n < 3 {
            FollowUpState::Due
        } else {
            FollowUpState::Unanswered
        };
        assert_eq!(f.state, expected, "call {n}");
        if n < 3 {
            assert_eq!(f.due_on, later.date_naive() + chrono::Days::new(1));
        }
    }
    let refused = s
        .record_call(install, &call(CallOutcome::Satisfied), "dana", later)
        .await;
    assert!(
        matches!(refused, Err(StorageError::Conflict(_))),
        "{refused:?}"
    );
    // Not satisfied with how the complaint went: it is back in progress, with the words.
    let f = s
        .record_call(
            due[1].id,
            &OutcomeInput {
                outcome: CallOutcome::NotSatisfied,
                note: Some("Still a stain on the carpet".into()),
            },
            "dana",
            later,
        )
        .await
        .unwrap();
    assert_eq!(f.state, FollowUpState::Done);
    let case = s.case(CaseKind::Complaint, complaint.id).await.unwrap();
    assert_eq!(case.status, CaseStatus::InProgress);
    assert!(
        case.notes
            .iter()
            .any(|n| n.by == "dana" && n.text.as_deref().is_some_and(|t| t.contains("stain")))
    );

    // A return visit: a new job at the same customer and product, once.
    let (case, visit) = s
        .return_visit(
            CaseKind::Complaint,
            complaint.id,
            &ReturnVisitInput {
                technician: Some("tom".into()),
                ..ReturnVisitInput::default()
            },
            "dana",
            later,
        )
        .await
        .unwrap();
    assert_eq!(
        case.return_visit.as_ref().map(|r| r.job_id),
        Some(visit.job.id)
    );
    assert_eq!(visit.job.technician.as_deref(), Some("tom"));
    assert_eq!(visit.customer.name, "Ada Lovelace");
    assert_eq!(
        visit.asset.as_ref().map(|a| a.model.as_str()),
        Some("HeatMax 300")
    );
    assert!(visit.job.summary.starts_with("Return visit: Left a mess"));
    let (page, _) = pull_all(s, "tom", None).await;
    assert!(
        page.jobs.iter().any(|j| j.id == visit.job.id),
        "reaches tom"
    );
    let twice = s
        .return_visit(
            CaseKind::Complaint,
            complaint.id,
            &ReturnVisitInput::default(),
            "dana",
            later,
        )
        .await;
    assert!(matches!(twice, Err(StorageError::Conflict(_))), "{twice:?}");

    // An inquiry logged by a dispatcher, answered and resolved; it cannot go back to open.
    let inquiry = s
        .create_case(
            CaseKind::Inquiry,
            &CaseInput {
                subject: "How do I set the timer?".into(),
                details: None,
                job_id: Some(serviced),
                customer_id: None,
            },
            "dana",
            later,
        )
        .await
        .unwrap();
    assert_eq!(
        (inquiry.source, inquiry.status),
        (CaseSource::Dispatcher, CaseStatus::Open)
    );
    let answered = s
        .update_case(
            CaseKind::Inquiry,
            inquiry.id,
            &CasePatch {
                status: Some(CaseStatus::Resolved),
                answer: Some("Hold the clock button for 3 s.".into()),
                note: None,
            },
            "dana",
            later,
        )
        .await
        .unwrap();
    assert_eq!(answered.status, CaseStatus::Resolved);
    assert_eq!(
        answered.answer.as_deref(),
        Some("Hold the clock button for 3 s.")
    );
    assert_eq!(
        answered.notes.len(),
        2,
        "opened, then answered: {:?}",
        answered.notes
    );
    let back = s
        .update_case(
            CaseKind::Inquiry,
            inquiry.id,
            &CasePatch {
                status: Some(CaseStatus::Open),
                ..CasePatch::default()
            },
            "dana",
            later,
        )
        .await;
    assert!(matches!(back, Err(StorageError::Conflict(_))), "{back:?}");
    let empty = s
        .update_case(
            CaseKind::Inquiry,
            inquiry.id,
            &CasePatch::default(),
            "dana",
            later,
        )
        .await;
    assert!(matches!(empty, Err(StorageError::Invalid(_))), "{empty:?}");
    // Each kind keeps its own cases.
    let not_a_complaint = s.case(CaseKind::Complaint, inquiry.id).await;
    assert!(matches!(not_a_complaint, Err(StorageError::NotFound(_))));
    let filtered = s
        .cases(
            CaseKind::Inquiry,
            &CaseQuery {
                status: Some(CaseStatus::Open),
                ..CaseQuery::default()
            },
            50,
        )
        .await
        .unwrap();
    assert!(filtered.cases.is_empty(), "the only inquiry is resolved");

    // A customer who says no to calls is not called about their installation.
    let quiet = job_of(s, "J-3", "installation", now).await;
    let batch = vec![
        laptop.op(quiet, json!({"kind": "status", "to": "on_site"})),
        laptop.op(quiet, json!({"kind": "status", "to": "completed"})),
    ];
    outcomes(s, &tina, &batch, now).await;
    let calls = |list: Vec<onsite_protocol::feedback::FollowUp>| {
        list.iter().filter(|f| f.job_id == quiet).count()
    };
    assert_eq!(
        calls(
            s.follow_ups_due(in_three, None, 50)
                .await
                .unwrap()
                .follow_ups
        ),
        1
    );
    let no_calls = laptop.op(quiet, json!({"kind": "rated", "satisfaction": 4}));
    outcomes(s, &tina, &[no_calls], now).await;
    assert_eq!(
        calls(
            s.follow_ups_due(in_three, None, 50)
                .await
                .unwrap()
                .follow_ups
        ),
        0
    );

    // The month's feedback on the model: three ratings, the complaint, the NPS.
    let first = today.with_day(1).unwrap();
    let summary = s.feedback_summary(first, today, None).await.unwrap();
    let row = summary
        .rows
        .iter()
        .find(|r| r.model == "HeatMax 300")
        .expect("a row for the model");
    assert_eq!(row.month, today.format("%Y-%m").to_string());
    assert_eq!(
        (row.ratings, row.complaints, row.recommend_answers),
        (3, 1, 2)
    );
    assert_eq!(row.mean_satisfaction, Some(3.67));
    assert_eq!(row.nps, Some(0), "one promoter (10), one detractor (3)");
    // The same per technician: Tina's laptop sent the ratings; she held the job complained of.
    let hers: Vec<_> = summary
        .technicians
        .iter()
        .map(|r| {
            (
                r.technician.as_str(),
                r.ratings,
                r.complaints,
                r.nps,
                r.mean_satisfaction,
            )
        })
        .collect();
    assert_eq!(hers, [("tina", 3, 1, Some(0), Some(3.67))]);
    let other = s
        .feedback_summary(first, today, Some("Another model"))
        .await
        .unwrap();
    assert!(other.rows.is_empty());
    assert!(
        other.technicians.is_empty(),
        "the model filter applies to them too"
    );
}

/// Conformance case.
pub async fn the_follow_up_delay_is_hqs_setting_for_calls_scheduled_after_it(s: &dyn Storage) {
    use onsite_protocol::settings::Settings;
    let now = stored_now();
    let today = now.date_naive();
    assert_eq!(s.settings().await.unwrap(), Settings::default());
    let first = job_of(s, "J-1", "installation", now).await;
    let mut laptop = Laptop::new();
    let tina = laptop.tina();
    let batch = [
        laptop.op(first, json!({"kind": "status", "to": "on_site"})),
        laptop.op(first, json!({"kind": "status", "to": "completed"})),
    ];
    outcomes(s, &tina, &batch, now).await;
    let week = Settings { follow_up_days: 7 };
    s.set_settings(&week).await.unwrap();
    assert_eq!(s.settings().await.unwrap(), week);
    let refused = s.set_settings(&Settings { follow_up_days: 0 }).await;
    assert!(
        matches!(refused, Err(StorageError::Invalid(_))),
        "{refused:?}"
    );
    assert_eq!(
        s.settings().await.unwrap(),
        week,
        "a refused value changes nothing"
    );
    let second = job_of(s, "J-2", "installation", now).await;
    let batch = [
        laptop.op(second, json!({"kind": "status", "to": "on_site"})),
        laptop.op(second, json!({"kind": "status", "to": "completed"})),
    ];
    outcomes(s, &tina, &batch, now).await;
    let due_on = |days: u64| {
        let s = &s;
        async move {
            s.follow_ups_due(today + chrono::Days::new(days), None, 50)
                .await
                .unwrap()
                .follow_ups
                .into_iter()
                .map(|f| (f.job_id, f.due_on))
                .collect::<Vec<_>>()
        }
    };
    let in_three = today + chrono::Days::new(3);
    assert_eq!(
        due_on(6).await,
        [(first, in_three)],
        "scheduled before: kept"
    );
    assert_eq!(
        due_on(7).await,
        [(first, in_three), (second, today + chrono::Days::new(7))]
    );
}

/// Conformance case.
pub async fn a_signed_job_gets_one_letter_and_it_is_never_sent_twice(s: &dyn Storage) {
    use onsite_protocol::mail::{LetterQuery, LetterState, LetterTemplate};
    let now = stored_now();
    let mut with_email = super::job("J-1", Some("tina"), "1");
    with_email["customer"]["email"] = json!("ada@example.org");
    let (_, input) = super::line(1, with_email);
    let mailed = s.create_job(&input, now).await.unwrap().job.id;
    let posted = job_of(s, "J-2", "repair", now).await;
    s.set_letter_template(&LetterTemplate {
        subject: "Thank you, {customer}".into(),
        body: "{technician} visited on {date} for {job} ({product}).".into(),
    })
    .await
    .unwrap();
    let mut laptop = Laptop::new();
    let sign = |laptop: &mut Laptop, job, c: &str| {
        laptop.op(
            job,
            json!({"kind": "signed_off", "report": {"sha256": c.repeat(32), "bytes": 100},
                "signer": "Ada Lovelace", "signed_at": now}),
        )
    };
    let batch = vec![
        sign(&mut laptop, mailed, "ab"),
        sign(&mut laptop, mailed, "cd"),
        sign(&mut laptop, posted, "ab"),
    ];
    let sizes: BlobSizes = [("ab".repeat(32), 100), ("cd".repeat(32), 100)].into();
    let pushed = s.push(&laptop.tina(), &batch, &sizes, now).await.unwrap();
    assert!(
        pushed.results.iter().all(|r| r.outcome == Outcome::Applied),
        "{pushed:?}"
    );

    let all = s
        .letters(&LetterQuery::default(), 50)
        .await
        .unwrap()
        .letters;
    assert_eq!(
        all.len(),
        2,
        "one letter per job, however often it is signed"
    );
    let letter = all.iter().find(|l| l.job_id == mailed).unwrap();
    assert_eq!(letter.state, LetterState::Waiting);
    assert_eq!(letter.subject, "Thank you, Ada Lovelace");
    assert!(
        letter.body.starts_with("tina visited on "),
        "{}",
        letter.body
    );
    assert!(
        letter.body.ends_with("for J-1 (HeatMax 300)."),
        "{}",
        letter.body
    );
    let unaddressed = all.iter().find(|l| l.job_id == posted).unwrap();
    assert_eq!(unaddressed.state, LetterState::NoAddress);

    // The technician's next pull says where the letter stands.
    let (page, _) = pull_all(s, "tina", None).await;
    assert!(
        page.letters
            .iter()
            .any(|n| n.job_id == mailed && n.state == LetterState::Waiting)
    );

    // Claimed: it goes with the report signed last; nothing else is due meanwhile.
    let out = s.claim_letter(now).await.unwrap().expect("a letter due");
    assert_eq!(
        (out.letter.id, out.report_sha256.as_str()),
        (letter.id, "cd".repeat(32).as_str())
    );
    assert_eq!(out.letter.tries, 1);
    assert!(s.claim_letter(now).await.unwrap().is_none());
    // A failed try waits for its time; then it is sent.
    let later = now + chrono::Duration::seconds(60);
    s.letter_failed(letter.id, "connection refused", Some(later), now)
        .await
        .unwrap();
    assert!(
        s.claim_letter(now).await.unwrap().is_none(),
        "not before its time"
    );
    let again = s.claim_letter(later).await.unwrap().expect("due again");
    assert_eq!(again.letter.tries, 2);
    // HQ stops while handing it over: it is unconfirmed, and not claimed again.
    assert_eq!(
        s.unconfirm_letters(later).await.unwrap(),
        0,
        "claimed at that moment: maybe in another process's hands"
    );
    let after = later + chrono::Duration::seconds(1);
    assert_eq!(s.unconfirm_letters(after).await.unwrap(), 1);
    assert!(s.claim_letter(later).await.unwrap().is_none());
    assert_eq!(
        s.letter(letter.id).await.unwrap().state,
        LetterState::Unconfirmed
    );
    // A person resends it; then it is sent, once.
    let resent = s.resend_letter(letter.id, later).await.unwrap();
    assert_eq!((resent.state, resent.tries), (LetterState::Waiting, 0));
    let out = s
        .claim_letter(later)
        .await
        .unwrap()
        .expect("due after the resend");
    let sent = s.letter_sent(out.letter.id, later).await.unwrap();
    assert_eq!((sent.state, sent.sent_at), (LetterState::Sent, Some(later)));
    let twice = s.resend_letter(letter.id, later).await;
    assert!(matches!(twice, Err(StorageError::Conflict(_))), "{twice:?}");
    // Without an address it cannot be resent until the customer has one.
    let nowhere = s.resend_letter(unaddressed.id, later).await;
    assert!(
        matches!(nowhere, Err(StorageError::Invalid(_))),
        "{nowhere:?}"
    );
}
