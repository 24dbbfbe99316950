//! Conformance cases for reference data: parts updated by SKU, template and policy versions
//! that never change once imported, guides versioned on change, every import all or nothing.

use super::*;
use crate::reference::guides::GuideFile;
use onsite_protocol::checklist::ChecklistTemplate;
use onsite_protocol::part::Part;
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
