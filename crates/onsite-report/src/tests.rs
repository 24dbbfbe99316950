use super::*;
use std::process::Command;

pub(crate) use crate::sample::boiler_repair as sample;

/// What `pdftotext` reads of `pdf`, as a customer's PDF viewer would let them copy it.
fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/lib/install.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgba);
        let mut writer = encoder.write_header().unwrap();
        let data: Vec<u8> = (0..w * h)
            .flat_map(|i| [(i % 251) as u8, 40, 120, if i % 7 == 0 { 0 } else { 255 }])
            .collect();
        writer.write_image_data(&data).unwrap();
    }
    out
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let mut report = sample();
    report.photos = vec![Photo {
        content: png(64, 48),
        caption: "Old board".into(),
    }];
    let a = render(&report).unwrap();
    let b = render(&report).unwrap();
    assert!(a.starts_with(b"%PDF-"));
    assert_eq!(a, b);
    report.signature = Some(Signature {
        signer: "Ada Lovelace".into(),
        signed_at: "2 December 2026, 10:07".into(),
        image: Some(png(300, 100)),
    });
    assert_ne!(
        render(&report).unwrap(),
        a,
        "a signature changes the document"
    );
}

#[test]
fn the_text_says_what_was_done_and_can_be_copied() {
    let mut report = sample();
    report.signature = Some(Signature {
        signer: "Ada Lovelace".into(),
        signed_at: "2 December 2026, 10:07".into(),
        image: None,
    });
    let text = text_of(&render(&report).unwrap());
    for expected in [
        "Northwind Heating Services",
        "Service report",
        "J-000200",
        "Ada Lovelace",
        "12 Analytical Row",
        "HeatMax 300 combi boiler",
        "Serial HM3-OLD",
        "In warranty until 6 January 2028",
        "Diverter valve stuck",
        "Time on site: 1 h 25 min",
        "Earth continuity tested",
        "0.6 bar (out of range)",
        "not answered",
        "Main control board (HM-PCB-3)",
        "PCB-1",
        "PCB-OLD",
        "£189.00",
        "Replacement — Performance fault",
        "day 3 since purchase",
        "RMA-J-000200-7F3A2C",
        "New unit's serial: HM3-NEW",
        "Signed by typing their name: Ada Lovelace",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

#[test]
fn a_long_visit_runs_over_pages_each_numbered() {
    let mut report = sample();
    report.work_done = (0..120)
        .map(|i| Note {
            at: format!("{:02}:{:02}", 8 + i / 60, i % 60),
            text: format!("Step {i}: checked, cleaned and tested the next part of the system."),
        })
        .collect();
    report.photos = (0..10)
        .map(|i| Photo {
            content: png(40, 30),
            caption: format!("Photo {i}"),
        })
        .collect();
    let text = text_of(&render(&report).unwrap());
    let pages = text.matches("Page ").count();
    assert!(pages >= 3, "{pages} pages:\n{text}");
    assert!(text.contains(&format!("Page {pages} of {pages}")));
    assert!(text.contains("Step 119") && text.contains("Photo 9"));
}

#[test]
fn a_photo_that_is_not_an_image_is_left_out_not_the_report() {
    let mut report = sample();
    report.photos = vec![
        Photo {
            content: b"not an image at all".to_vec(),
            caption: "Broken file".into(),
        },
        Photo {
            // A PNG signature and nothing readable after it.
            content: b"\x89PNG\r\n\x1a\nrubbish".to_vec(),
            caption: "Cut short".into(),
        },
    ];
    report.company.logo = Some(b"GIF89a".to_vec());
    let text = text_of(&render(&report).unwrap());
    assert!(text.contains("J-000200"), "{text}");
    // A logo or a signature that starts like a PNG and is not one costs nothing either.
    let mut broken = png(40, 30);
    broken.truncate(60);
    report.company.logo = Some(broken.clone());
    report.signature = Some(Signature {
        signer: "Ada Lovelace".into(),
        signed_at: "2 December 2026, 10:07".into(),
        image: Some(broken),
    });
    let text = text_of(&render(&report).unwrap());
    assert!(
        text.contains("SIGNED BY") && text.contains("Ada Lovelace"),
        "{text}"
    );
    // They drew it: the report must not say they typed it.
    assert!(text.contains("the drawing cannot be shown"), "{text}");
    assert!(!text.contains("by typing"), "{text}");
}

#[test]
fn a_letter_prints_on_the_letterhead_with_every_paragraph() {
    let letter = Letter {
        company: sample().company,
        reference: "J-000200".into(),
        date: "2 December 2026".into(),
        to: vec![
            "Ada Lovelace".into(),
            "12 Analytical Row".into(),
            "Leeds LS2 7QA".into(),
        ],
        subject: "Thank you from Northwind: your service report".into(),
        body: "Dear Ada Lovelace,\n\nThank you for having us.\n\nKind regards,\nNorthwind".into(),
    };
    let pdf = render_letter(&letter).unwrap();
    assert_eq!(
        pdf,
        render_letter(&letter).unwrap(),
        "the same letter, the same bytes"
    );
    let text = text_of(&pdf);
    for expected in [
        "Northwind Heating Services",
        "J-000200",
        "12 Analytical Row",
        "Thank you from Northwind",
        "Dear Ada Lovelace,",
        "Thank you for having us.",
        "Kind regards,",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}
