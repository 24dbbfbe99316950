//! Service report benchmark: writing the PDF of a visit with no photos and with ten (laptop
//! camera photos, 1600 × 1200 JPEG), on the laptop. Prints time and size against the target;
//! asserts nothing about time (machines are noisy).
//!
//! Run: `cargo bench -p onsite-e2e --bench report`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use onsite_e2e::bench::{median_ms, report};
use onsite_report::{
    ChecklistLine, ChecklistSection, Company, Customer, DecisionFacts, JobFacts, Note, PartLine,
    Photo, Product, Report, Signature,
};

/// A photo as a laptop camera takes one: 1600 × 1200, JPEG at quality 85, with enough detail
/// that it does not compress to nothing (about 300 KB).
fn photo(n: usize) -> Vec<u8> {
    let (w, h) = (1600u16, 1200u16);
    let mut rgb = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..usize::from(h) {
        for x in 0..usize::from(w) {
            let noise = ((x * 7919 + y * 104_729 + n * 31) % 97) as u8;
            rgb.extend([
                (x / 7) as u8 ^ noise,
                (y / 5) as u8,
                (x + y + n) as u8 / 2 + noise / 3,
            ]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

fn visit(photos: &[Vec<u8>]) -> Report {
    Report {
        company: Company {
            name: "Northwind Heating Services".into(),
            lines: vec!["14 Mill Lane, Leeds LS1 4AB".into()],
            logo: None,
        },
        job: JobFacts {
            number: "J-000200".into(),
            kind: "Repair".into(),
            summary: "No hot water since the weekend".into(),
            reported: Some("Heating works but the taps run cold since Saturday.".into()),
            technician: "Tina Fischer".into(),
            visited: "Wednesday 2 December 2026".into(),
            time_on_site: Some("1 h 25 min".into()),
            status: "Completed".into(),
        },
        customer: Customer {
            name: "Ada Lovelace".into(),
            phone: Some("0113 496 0001".into()),
            email: Some("ada@example.org".into()),
        },
        site: vec!["12 Analytical Row".into(), "Leeds LS2 7QA".into()],
        product: Some(Product {
            model: "HeatMax 300 combi boiler".into(),
            serial: Some("HM3-OLD".into()),
            warranty: "In warranty until 6 January 2028".into(),
        }),
        work_done: (0..6)
            .map(|i| Note {
                at: format!("09:{:02}", 10 + i * 7),
                text: "Checked the diverter valve, the pump and the pressure; replaced the \
                       valve cartridge and tested hot water at every tap."
                    .into(),
            })
            .collect(),
        checklists: vec![ChecklistSection {
            title: "Boiler repair, version 1".into(),
            items: (0..12)
                .map(|i| ChecklistLine {
                    label: format!("Check {i}: item tested and within limits"),
                    answer: Some("Yes".into()),
                    out_of_range: i == 3,
                })
                .collect(),
        }],
        parts: (0..4)
            .map(|i| PartLine {
                sku: format!("HM-PART-{i}"),
                name: "Diverter valve cartridge".into(),
                qty: 1,
                serial: Some(format!("SN-{i:04}")),
                removed_serial: None,
                unit_price: Some("£38.50".into()),
            })
            .collect(),
        decision: Some(DecisionFacts {
            remedy: "Free repair".into(),
            fault: "Performance fault".into(),
            rule: "Within the 24-month repair period".into(),
            policy_version: 1,
            note: None,
            replacement_serial: None,
            return_ref: None,
        }),
        charges: None,
        photos: photos
            .iter()
            .enumerate()
            .map(|(i, content)| Photo {
                content: content.clone(),
                caption: format!("Photo {i}"),
            })
            .collect(),
        signature: Some(Signature {
            signer: "Ada Lovelace".into(),
            signed_at: "2 December 2026, 10:07".into(),
            image: None,
        }),
        made_at: "2 December 2026, 10:05".into(),
    }
}

fn main() {
    let photos: Vec<Vec<u8>> = (0..10).map(photo).collect();
    let photo_kb = photos.iter().map(Vec::len).sum::<usize>() / 1024 / photos.len();
    for (count, target) in [(0, "—"), (10, "≤ 500 ms")] {
        let visit = visit(&photos[..count]);
        let mut size = 0;
        let ms = median_ms(9, |_| {
            size = onsite_report::render(&visit).unwrap().len();
        });
        let what = if count == 0 {
            "service report, no photos (median of 9)".to_string()
        } else {
            format!("service report, {count} photos of ~{photo_kb} KB (median of 9)")
        };
        report(&what, format!("{ms:.0} ms, {} KB", size / 1024), target);
    }
}
