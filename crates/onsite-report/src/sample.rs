//! A realistic report to try the layout with.

use crate::*;

/// A report as a boiler repair fills it (no photos, not signed): what the tests, the example
/// and anyone trying the layout start from.
pub fn boiler_repair() -> Report {
    Report {
        company: Company {
            name: "Northwind Heating Services".into(),
            lines: vec![
                "14 Mill Lane, Leeds LS1 4AB".into(),
                "0113 496 0000 · service@northwind.example".into(),
            ],
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
        work_done: vec![Note {
            at: "09:40".into(),
            text: "Diverter valve stuck; replaced it and tested hot water at every tap.".into(),
        }],
        checklists: vec![ChecklistSection {
            title: "Boiler repair, version 1".into(),
            items: vec![
                ChecklistLine {
                    label: "Earth continuity tested".into(),
                    answer: Some("Yes".into()),
                    out_of_range: false,
                },
                ChecklistLine {
                    label: "System pressure".into(),
                    answer: Some("0.6 bar".into()),
                    out_of_range: true,
                },
                ChecklistLine {
                    label: "Flue gas analysed".into(),
                    answer: None,
                    out_of_range: false,
                },
            ],
        }],
        parts: vec![PartLine {
            sku: "HM-PCB-3".into(),
            name: "Main control board".into(),
            qty: 1,
            serial: Some("PCB-1".into()),
            removed_serial: Some("PCB-OLD".into()),
            unit_price: Some("£189.00".into()),
        }],
        decision: Some(DecisionFacts {
            remedy: "Replacement".into(),
            fault: "Performance fault".into(),
            rule: "Within the 15-day replacement period: day 3 since purchase on 29 November 2026"
                .into(),
            policy_version: 1,
            note: None,
            replacement_serial: Some("HM3-NEW".into()),
            return_ref: Some("RMA-J-000200-7F3A2C".into()),
        }),
        charges: None,
        photos: vec![],
        signature: None,
        made_at: "2 December 2026, 10:05".into(),
    }
}

/// A signature as the pad draws it: a dark stroke on a transparent 360 × 120 PNG, for tests
/// and the demo.
///
/// # Panics
/// Never: encoding an image held in memory cannot fail.
pub fn signature_png() -> Vec<u8> {
    let (w, h) = (360u32, 120u32);
    let mut rgba = vec![0u8; (w * h * 4) as usize];
    // A looping flourish: a sine wave with a rising baseline, three pixels thick.
    for x in 20..340u32 {
        let t = f64::from(x) / 28.0;
        let y = 60.0 + 28.0 * t.sin() * (1.0 - f64::from(x) / 500.0) - f64::from(x) / 30.0;
        for dy in -1i32..=1 {
            for dx in 0..2u32 {
                let (px, py) = (x + dx, (y as i32 + dy).clamp(0, h as i32 - 1) as u32);
                let at = ((py * w + px) * 4) as usize;
                rgba[at..at + 4].copy_from_slice(&[20, 30, 90, 255]);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&rgba))
        .expect("an image in memory encodes");
    out
}
