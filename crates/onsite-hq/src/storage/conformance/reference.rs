//! Conformance cases for reference data: parts updated by SKU, template and policy versions
//! that never change once imported, guides versioned on change, every import all or nothing.

use super::*;
use crate::reference::guides::GuideFile;
use onsite_protocol::checklist::ChecklistTemplate;
use onsite_protocol::part::Part;
use onsite_protocol::stock::StockMoveKind;
use onsite_protocol::warranty::WarrantyPolicy;

fn part(sku: &str, price: i64) -> Part {
    Part {
        sku: sku.into(),
        name: format!("Part {sku}"),
        unit_price_cents: price,
        serialized: false,
        models: vec!["AirSource 8 kW heat pump".into()],
    }
}

fn report(created: usize, updated: usize, unchanged: usize) -> ImportReport {
    ImportReport {
        created,
        updated,
        unchanged,
    }
}

fn template(version: u32, title: &str) -> ChecklistTemplate {
    serde_json::from_value(
        json!({"key": "heatpump-install", "version": version, "title": title,
        "kinds": ["installation"], "items": [{"key": "earth", "label": "Earth tested",
        "type": "yes_no", "required": true}]}),
    )
    .unwrap()
}

fn policy(version: u32, return_days: u32) -> WarrantyPolicy {
    serde_json::from_value(
        json!({"model": "AirSource 8 kW heat pump", "version": version,
        "from": "purchase", "return_days": return_days, "replace_days": 15,
        "repair_months": 24, "max_repairs": 2}),
    )
    .unwrap()
}

fn guide(id: &str, body: &str) -> GuideFile {
    GuideFile {
        id: id.into(),
        title: format!("Guide {id}"),
        models: vec![],
        body: body.into(),
    }
}

/// Conformance case.
pub async fn reference_data_is_imported_all_or_nothing_and_versions_never_change(s: &dyn Storage) {
    // Parts: added, then updated by SKU; a part missing from a later file stays.
    let first = [(2, part("HX-100", 12_000)), (3, part("FLT-2", 450))];
    assert_eq!(s.import_parts(&first).await.unwrap(), report(2, 0, 0));
    let again = [(2, part("HX-100", 12_500)), (3, part("V-1", 900))];
    assert_eq!(s.import_parts(&again).await.unwrap(), report(1, 1, 0));
    let parts = s.parts(None, 500).await.unwrap().parts;
    let skus: Vec<(&str, i64)> = parts
        .iter()
        .map(|p| (p.sku.as_str(), p.unit_price_cents))
        .collect();
    assert_eq!(skus, [("FLT-2", 450), ("HX-100", 12_500), ("V-1", 900)]);
    assert_eq!(s.import_parts(&again).await.unwrap(), report(0, 0, 2));
    // One bad part and nothing of the file is stored.
    let bad = [(2, part("NEW-1", 100)), (3, part("BAD SKU", 1))];
    let err = s.import_parts(&bad).await.unwrap_err();
    assert!(err.to_string().starts_with("line 3: sku"), "{err}");
    assert_eq!(s.parts(None, 500).await.unwrap().parts.len(), 3);
    // Pages continue where the last ended.
    let first = s.parts(None, 2).await.unwrap();
    assert_eq!(first.next.as_deref(), Some("HX-100"));
    let rest = s.parts(first.next.as_deref(), 2).await.unwrap();
    assert_eq!((rest.parts.len(), rest.parts[0].sku.as_str()), (1, "V-1"));
    assert_eq!(rest.next, None);

    // Templates: a version is immutable; a change is a new version, and both are kept.
    let v1 = [(1, template(1, "Installation"))];
    assert_eq!(s.import_checklists(&v1).await.unwrap(), report(1, 0, 0));
    assert_eq!(s.import_checklists(&v1).await.unwrap(), report(0, 0, 1));
    let changed = [
        (1, template(2, "Installation v2")),
        (2, template(1, "Changed")),
    ];
    let err = s.import_checklists(&changed).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("entry 2 (\"heatpump-install\" version 1): version 1 is already imported"),
        "{err}"
    );
    assert_eq!(
        s.checklists(None, 500).await.unwrap().templates.len(),
        1,
        "all or nothing"
    );
    let v2 = [(1, template(2, "Installation v2"))];
    assert_eq!(s.import_checklists(&v2).await.unwrap(), report(1, 0, 0));
    let held: Vec<(u32, String)> = s
        .checklists(None, 500)
        .await
        .unwrap()
        .templates
        .into_iter()
        .map(|t| (t.version, t.title))
        .collect();
    assert_eq!(
        held,
        [(1, "Installation".into()), (2, "Installation v2".into())]
    );
    let first = s.checklists(None, 1).await.unwrap();
    assert_eq!(first.next.as_deref(), Some("heatpump-install@1"));
    let second = s.checklists(first.next.as_deref(), 1).await.unwrap();
    assert_eq!((second.templates[0].version, second.next), (2, None));
    assert!(matches!(
        s.checklists(Some("no-version"), 1).await,
        Err(StorageError::Invalid(_))
    ));

    // Policies: the same rule as templates.
    assert_eq!(
        s.import_warranty(&[(1, policy(1, 7))]).await.unwrap(),
        report(1, 0, 0)
    );
    let err = s.import_warranty(&[(1, policy(1, 14))]).await.unwrap_err();
    assert!(err.to_string().contains("already imported"), "{err}");
    s.import_warranty(&[(1, policy(2, 14))]).await.unwrap();
    let days: Vec<u32> = s
        .warranty_policies(None, 500)
        .await
        .unwrap()
        .policies
        .iter()
        .map(|p| p.return_days)
        .collect();
    assert_eq!(days, [7, 14]);

    // Guides: updated by id, the version going up only when the content changed.
    let guides = [
        guide("codes", "E5: low pressure"),
        guide("brief", "Show the thermostat"),
    ];
    assert_eq!(s.import_guides(&guides).await.unwrap(), report(2, 0, 0));
    let changed = [
        guide("codes", "E5: low water pressure"),
        guide("brief", "Show the thermostat"),
    ];
    assert_eq!(s.import_guides(&changed).await.unwrap(), report(0, 1, 1));
    let held: Vec<(String, u32)> = s
        .guides(None, 500)
        .await
        .unwrap()
        .guides
        .into_iter()
        .map(|g| (g.id, g.version))
        .collect();
    assert_eq!(held, [("brief".into(), 1), ("codes".into(), 2)]);
    // A page of guides stops before its text passes the page's bytes, but is never empty.
    let big = "g".repeat(MAX_PAGE_BYTES - 10);
    let heavy = [guide("a-big", &big), guide("b-big", &big)];
    s.import_guides(&heavy).await.unwrap();
    let first = s.guides(None, 500).await.unwrap();
    assert_eq!(first.guides.len(), 1, "one heavy guide a page");
    assert_eq!(first.next.as_deref(), Some("a-big"));
    let second = s.guides(first.next.as_deref(), 500).await.unwrap();
    assert_eq!(second.guides[0].id, "b-big");
}

/// Conformance case: parts go into a van as a count or as serials, checked against the
/// catalog and the other vans; the van shows balances, the serials it holds and its ledger,
/// newest first, a page at a time.
pub async fn parts_are_issued_into_vans_and_the_ledger_is_kept(s: &dyn Storage) {
    let serialized = Part {
        serialized: true,
        ..part("HX-100", 12_000)
    };
    s.import_parts(&[(2, serialized), (3, part("FLT-2", 450))])
        .await
        .unwrap();
    let now = stored_now();
    let issue = |to: &'static str, sku: &'static str, what: StockIssue| async move {
        s.issue_stock(to, sku, &what, "admin", now).await
    };
    let serials = |list: &[&str]| StockIssue::Serials(list.iter().map(|s| s.to_string()).collect());
    let moves = issue("tina", "FLT-2", StockIssue::Qty(10))
        .await
        .unwrap()
        .moves;
    assert_eq!((moves.len(), moves[0].qty), (1, 10));
    let issued = issue("tina", "HX-100", serials(&["SN-1", "SN-2"]))
        .await
        .unwrap();
    assert_eq!(
        (issued.moves.len(), issued.balance),
        (2, 2),
        "a line a unit"
    );
    issue("tina", "FLT-2", StockIssue::Qty(5)).await.unwrap();

    let refused = [
        (
            issue("tina", "HX-100", StockIssue::Qty(1)).await,
            "is serialized",
        ),
        (
            issue("tina", "FLT-2", serials(&["A"])).await,
            "has no serials",
        ),
        (
            issue("tina", "NOPE", StockIssue::Qty(1)).await,
            "no part \"NOPE\"",
        ),
        (
            issue("nobody", "FLT-2", StockIssue::Qty(1)).await,
            "does not exist",
        ),
        (
            issue("dana", "FLT-2", StockIssue::Qty(1)).await,
            "not a technician",
        ),
        (
            issue("tina", "FLT-2", StockIssue::Qty(0)).await,
            "1 to 10000",
        ),
        (
            issue("tina", "HX-100", serials(&["SN-3", "SN-3"])).await,
            "given twice",
        ),
        (
            issue("tina", "HX-100", serials(&[" SN-4"])).await,
            "without blanks",
        ),
    ];
    for (result, words) in refused {
        match result {
            Err(StorageError::Invalid(m)) => assert!(m.contains(words), "{m}"),
            other => panic!("{words}: {other:?}"),
        }
    }
    match issue("tom", "HX-100", serials(&["SN-9", "SN-2"])).await {
        Err(StorageError::Conflict(m)) => assert!(m.contains("already in tina's van"), "{m}"),
        other => panic!("{other:?}"),
    }

    let van = s.van_stock("tina", None, 500).await.unwrap();
    let balances: Vec<(&str, i64, Vec<String>)> = van
        .balances
        .iter()
        .map(|b| (b.sku.as_str(), b.qty, b.serials.clone()))
        .collect();
    assert_eq!(
        balances,
        [
            ("FLT-2", 15, vec![]),
            ("HX-100", 2, vec!["SN-1".into(), "SN-2".into()])
        ]
    );
    assert_eq!(van.balances[0].name, "Part FLT-2");
    assert!(!van.balances[0].negative());
    assert_eq!(van.moves.len(), 4);
    assert_eq!(van.moves[0].qty, 5, "newest first");
    let page = s.van_stock("tina", None, 3).await.unwrap();
    let older = s.van_stock("tina", page.next, 3).await.unwrap();
    assert_eq!(
        (older.moves.len(), older.moves[0].qty, older.next),
        (1, 10, None)
    );
    assert!(
        s.van_stock("tom", None, 500)
            .await
            .unwrap()
            .balances
            .is_empty(),
        "the refused issue left nothing"
    );
    assert!(matches!(
        s.van_stock("nobody", None, 10).await,
        Err(StorageError::NotFound(_))
    ));
}

/// Conformance case: parts go back from a van to HQ as a count up to its balance or as serials
/// it holds; anything more is refused and changes nothing; the laptop hears of the new
/// balance with its next reference update.
pub async fn parts_go_back_from_a_van_only_as_far_as_it_holds(s: &dyn Storage) {
    let serialized = Part {
        serialized: true,
        ..part("HX-100", 12_000)
    };
    s.import_parts(&[(2, serialized), (3, part("FLT-2", 450))])
        .await
        .unwrap();
    let now = stored_now();
    let serials = |list: &[&str]| StockIssue::Serials(list.iter().map(|s| s.to_string()).collect());
    s.issue_stock("tina", "FLT-2", &StockIssue::Qty(5), "admin", now)
        .await
        .unwrap();
    s.issue_stock("tina", "HX-100", &serials(&["SN-1", "SN-2"]), "admin", now)
        .await
        .unwrap();
    s.issue_stock("tom", "HX-100", &serials(&["SN-7"]), "admin", now)
        .await
        .unwrap();
    let (_, before) = s.reference_update("tina", None).await.unwrap();

    let back = s
        .return_stock("tina", "FLT-2", &StockIssue::Qty(3), "Dora", now)
        .await
        .unwrap();
    assert_eq!(back.balance, 2);
    assert_eq!(
        back.moves
            .iter()
            .map(|m| (m.qty, m.kind, m.by.as_str()))
            .collect::<Vec<_>>(),
        [(-3, StockMoveKind::Returned, "Dora")]
    );
    let back = s
        .return_stock("tina", "HX-100", &serials(&["SN-2"]), "Dora", now)
        .await
        .unwrap();
    assert_eq!((back.moves.len(), back.balance), (1, 1));

    let refused = [
        (
            s.return_stock("tina", "FLT-2", &StockIssue::Qty(3), "Dora", now)
                .await,
            "holds 2 of FLT-2",
        ),
        (
            s.return_stock("tina", "HX-100", &serials(&["SN-2"]), "Dora", now)
                .await,
            "is in no van",
        ),
        (
            s.return_stock("tina", "HX-100", &serials(&["SN-1", "SN-7"]), "Dora", now)
                .await,
            "is in tom's van, not tina's",
        ),
    ];
    for (result, words) in refused {
        match result {
            Err(StorageError::Conflict(m)) => assert!(m.contains(words), "{m}"),
            other => panic!("{words}: {other:?}"),
        }
    }
    for (result, words) in [
        (
            s.return_stock("tina", "FLT-2", &StockIssue::Qty(0), "Dora", now)
                .await,
            "1 to 10000",
        ),
        (
            s.return_stock("tina", "HX-100", &StockIssue::Qty(1), "Dora", now)
                .await,
            "is serialized",
        ),
        (
            s.return_stock("dana", "FLT-2", &StockIssue::Qty(1), "Dora", now)
                .await,
            "not a technician",
        ),
    ] {
        match result {
            Err(StorageError::Invalid(m)) => assert!(m.contains(words), "{m}"),
            other => panic!("{words}: {other:?}"),
        }
    }

    let van = s.van_stock("tina", None, 500).await.unwrap();
    let balances: Vec<(&str, i64, Vec<String>)> = van
        .balances
        .iter()
        .map(|b| (b.sku.as_str(), b.qty, b.serials.clone()))
        .collect();
    assert_eq!(
        balances,
        [("FLT-2", 2, vec![]), ("HX-100", 1, vec!["SN-1".into()])],
        "the refused returns left nothing"
    );
    assert_eq!(
        s.van_stock("tom", None, 500).await.unwrap().balances[0].serials,
        ["SN-7"]
    );
    let (update, _) = s.reference_update("tina", Some(&before)).await.unwrap();
    let stock = update.and_then(|u| u.stock).expect("the van changed");
    assert_eq!(stock.iter().map(|b| b.qty).collect::<Vec<_>>(), [2, 1]);
}

fn job_on(number: &str, kind: &str, model: &str, technician: &str) -> JobInput {
    serde_json::from_value(json!({"number": number, "kind": kind, "summary": "Visit",
        "technician": technician, "customer": {"name": format!("Customer {number}")},
        "site": {"address": format!("{number} High St")},
        "asset": {"model": model, "serial": format!("S-{number}")}}))
    .unwrap()
}

fn names<T>(items: &[T], name: impl Fn(&T) -> String) -> Vec<String> {
    items.iter().map(name).collect()
}

/// Conformance case: a device gets the whole catalog and, of templates, policies and guides,
/// what applies to the kinds and models of its jobs, with its van; then only what changed;
/// and everything that applies again when its jobs concern another kind or model.
pub async fn a_device_gets_the_reference_data_that_applies_to_its_jobs(s: &dyn Storage) {
    const HEAT_PUMP: &str = "AirSource 8 kW heat pump";
    const WASHER: &str = "AquaPure 7 kg washing machine";
    let now = stored_now();
    s.create_job(&job_on("J-1", "installation", HEAT_PUMP, "tina"), now)
        .await
        .unwrap();
    let washer = s
        .create_job(&job_on("J-2", "repair", WASHER, "tom"), now)
        .await
        .unwrap();
    s.import_parts(&[(2, part("HX-100", 100)), (3, part("FLT-2", 200))])
        .await
        .unwrap();
    let template = |key: &str, kind: &str, models: &[&str]| -> (usize, ChecklistTemplate) {
        (
            1,
            serde_json::from_value(json!({"key": key, "version": 1, "title": key,
                "kinds": [kind], "models": models, "items": [{"key": "done", "label": "Done",
                "type": "yes_no"}]}))
            .unwrap(),
        )
    };
    s.import_checklists(&[
        template("heatpump-install", "installation", &[HEAT_PUMP]),
        template("washer-install", "installation", &[WASHER]),
        template("repair", "repair", &[]),
    ])
    .await
    .unwrap();
    let policy_for = |model: &str| -> (usize, WarrantyPolicy) {
        (
            1,
            WarrantyPolicy {
                model: model.into(),
                ..policy(1, 7)
            },
        )
    };
    s.import_warranty(&[policy_for(HEAT_PUMP), policy_for(WASHER)])
        .await
        .unwrap();
    let guide_for = |id: &str, models: &[&str]| GuideFile {
        models: models.iter().map(|m| m.to_string()).collect(),
        ..guide(id, "text")
    };
    s.import_guides(&[
        guide_for("heatpump-codes", &[HEAT_PUMP]),
        guide_for("washer-codes", &[WASHER]),
        guide_for("briefing", &[]),
    ])
    .await
    .unwrap();

    let (first, at) = s.reference_update("tina", None).await.unwrap();
    let first = first.expect("a first update");
    assert!(first.full);
    assert_eq!(first.parts.len(), 2, "the whole catalog");
    assert_eq!(
        names(&first.checklists, |t| t.key.clone()),
        ["heatpump-install"]
    );
    assert_eq!(names(&first.policies, |p| p.model.clone()), [HEAT_PUMP]);
    assert_eq!(
        names(&first.guides, |g| g.id.clone()),
        ["briefing", "heatpump-codes"]
    );
    assert_eq!(first.stock, Some(vec![]), "an empty van is said too");

    let (none, same) = s.reference_update("tina", Some(&at)).await.unwrap();
    assert_eq!(none, None, "nothing changed");
    assert_eq!(same, at);

    // What does not apply to Tina's jobs does not reach her; what does comes alone.
    s.import_guides(&[guide_for("washer-drain", &[WASHER])])
        .await
        .unwrap();
    let (none, at) = s.reference_update("tina", Some(&same)).await.unwrap();
    assert_eq!(none, None);
    s.import_guides(&[guide_for("heatpump-defrost", &[HEAT_PUMP])])
        .await
        .unwrap();
    s.import_parts(&[(2, part("HX-100", 150))]).await.unwrap();
    let (delta, at) = s.reference_update("tina", Some(&at)).await.unwrap();
    let delta = delta.expect("a change");
    assert!(!delta.full);
    assert_eq!(names(&delta.guides, |g| g.id.clone()), ["heatpump-defrost"]);
    assert_eq!(
        delta
            .parts
            .iter()
            .map(|p| (p.sku.as_str(), p.unit_price_cents))
            .collect::<Vec<_>>(),
        [("HX-100", 150)]
    );
    assert!(delta.checklists.is_empty() && delta.policies.is_empty() && delta.stock.is_none());

    // Parts issued to her van: the balances come, nothing else.
    s.issue_stock("tina", "FLT-2", &StockIssue::Qty(4), "admin", now)
        .await
        .unwrap();
    let (delta, at) = s.reference_update("tina", Some(&at)).await.unwrap();
    let delta = delta.expect("the van changed");
    assert!(!delta.full && delta.parts.is_empty() && delta.guides.is_empty());
    let stock = delta.stock.expect("balances");
    assert_eq!((stock[0].sku.as_str(), stock[0].qty), ("FLT-2", 4));

    // The washer repair becomes hers: another kind and model, so everything that applies.
    s.assign_job(washer.job.id, Some("tina"), now)
        .await
        .unwrap();
    let (whole, _) = s.reference_update("tina", Some(&at)).await.unwrap();
    let whole = whole.expect("a new scope");
    assert!(whole.full);
    assert_eq!(
        names(&whole.checklists, |t| t.key.clone()),
        ["heatpump-install", "repair"],
        "the washer installation template is for installations"
    );
    assert_eq!(
        names(&whole.policies, |p| p.model.clone()),
        [HEAT_PUMP, WASHER]
    );
    assert_eq!(
        names(&whole.guides, |g| g.id.clone()),
        [
            "briefing",
            "heatpump-codes",
            "heatpump-defrost",
            "washer-codes",
            "washer-drain"
        ]
    );
    assert_eq!(whole.parts.len(), 2);
    assert!(whole.stock.is_some());
}

/// Conformance case.
pub async fn the_letterhead_reaches_every_laptop_once_per_change(s: &dyn Storage) {
    use onsite_protocol::letterhead::Letterhead;
    assert_eq!(s.letterhead().await.unwrap(), None);
    let (first, at) = s.reference_update("tina", None).await.unwrap();
    assert!(first.is_none_or(|u| u.letterhead.is_none()), "none set yet");
    let letterhead = Letterhead {
        name: "Northwind Home Services".into(),
        lines: vec!["14 Mill Lane, Leeds".into()],
        logo: None,
    }
    .with_logo(b"\x89PNG\r\n\x1a\nlogo");
    assert!(s.set_letterhead(&letterhead).await.unwrap());
    assert!(
        !s.set_letterhead(&letterhead).await.unwrap(),
        "the same again"
    );
    assert_eq!(s.letterhead().await.unwrap().as_ref(), Some(&letterhead));
    let (update, at) = s.reference_update("tina", Some(&at)).await.unwrap();
    assert_eq!(
        update.and_then(|u| u.letterhead).as_ref(),
        Some(&letterhead)
    );
    let (update, at) = s.reference_update("tina", Some(&at)).await.unwrap();
    assert!(update.is_none(), "nothing changed since");
    // Tom's first sync brings it with everything else.
    let (update, _) = s.reference_update("tom", None).await.unwrap();
    assert!(update.is_some_and(|u| u.full && u.letterhead.is_some()));
    // A change comes again; a bad one is refused and changes nothing.
    let moved = Letterhead {
        lines: vec!["2 New Street, Leeds".into()],
        ..letterhead.clone()
    };
    assert!(s.set_letterhead(&moved).await.unwrap());
    let (update, at) = s.reference_update("tina", Some(&at)).await.unwrap();
    assert_eq!(update.and_then(|u| u.letterhead), Some(moved.clone()));
    let bad = Letterhead {
        name: String::new(),
        ..moved.clone()
    };
    let refused = s.set_letterhead(&bad).await;
    assert!(
        matches!(refused, Err(StorageError::Invalid(_))),
        "{refused:?}"
    );
    assert_eq!(s.letterhead().await.unwrap(), Some(moved));
    let (update, _) = s.reference_update("tina", Some(&at)).await.unwrap();
    assert!(update.is_none());
}

/// Conformance case.
pub async fn the_labour_prices_reach_every_laptop_once_per_change(s: &dyn Storage) {
    use onsite_protocol::labour::LabourPrices;
    assert_eq!(s.labour().await.unwrap(), None);
    let (first, at) = s.reference_update("tina", None).await.unwrap();
    assert!(first.is_none_or(|u| u.labour.is_none()), "none set yet");
    let prices = LabourPrices {
        call_out_cents: 4500,
        hourly_cents: 6000,
        increment_minutes: 15,
    };
    assert!(s.set_labour(&prices).await.unwrap());
    assert!(!s.set_labour(&prices).await.unwrap(), "the same again");
    assert_eq!(s.labour().await.unwrap().as_ref(), Some(&prices));
    let (update, at) = s.reference_update("tina", Some(&at)).await.unwrap();
    let update = update.expect("the prices changed");
    assert_eq!(update.labour.as_ref(), Some(&prices));
    assert!(update.letterhead.is_none(), "only what changed");
    let (update, at) = s.reference_update("tina", Some(&at)).await.unwrap();
    assert!(update.is_none(), "nothing changed since");
    let (update, _) = s.reference_update("tom", None).await.unwrap();
    assert!(update.is_some_and(|u| u.full && u.labour.as_ref() == Some(&prices)));
    // A bad price list is refused and changes nothing.
    let bad = LabourPrices {
        increment_minutes: 0,
        ..prices.clone()
    };
    let refused = s.set_labour(&bad).await;
    assert!(
        matches!(refused, Err(StorageError::Invalid(_))),
        "{refused:?}"
    );
    assert_eq!(s.labour().await.unwrap(), Some(prices.clone()));
    let (update, at) = s.reference_update("tina", Some(&at)).await.unwrap();
    assert!(update.is_none());
    let dearer = LabourPrices {
        hourly_cents: 6500,
        ..prices
    };
    assert!(s.set_labour(&dearer).await.unwrap());
    let (update, _) = s.reference_update("tina", Some(&at)).await.unwrap();
    assert_eq!(update.and_then(|u| u.labour), Some(dearer));
}
