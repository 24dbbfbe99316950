//! The report's sections, top to bottom, as a customer reads them: who it is from and about,
//! what was reported and done, what was checked, the parts and the warranty decision, what is
//! charged, the photos, and the signature.

use crate::content::{Company, Report, Signature};
use crate::layout::{
    ACCENT, BAND, BODY_WIDTH, Colour, INK, MARGIN, MUTED, PAGE_WIDTH, Pen, RULE, WARN, image,
};
use crate::text::Weight;

const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;

/// Lays the whole report out.
pub fn lay_out(pen: &mut Pen<'_>, report: &Report) {
    header(pen, report);
    facts(pen, report);
    reported(pen, report);
    work_done(pen, report);
    checklists(pen, report);
    parts(pen, report);
    decision(pen, report);
    charges(pen, report);
    pictures(pen, report);
    signature(pen, report);
}

fn header(pen: &mut Pen<'_>, report: &Report) {
    letterhead(
        pen,
        &report.company,
        "Service report",
        &report.job.number,
        &report.made_at,
    );
}

/// The company's name, logo and lines on the left; a title, a reference and a date on the
/// right; a rule under them.
pub fn letterhead(pen: &mut Pen<'_>, company: &Company, title: &str, reference: &str, date: &str) {
    let top = pen.y;
    let mut x = MARGIN;
    if let Some(logo) = company.logo.as_deref().and_then(image)
        && let Some((w, _)) = pen.picture(logo, MARGIN, top, 120.0, 44.0)
    {
        x += w + 12.0;
    }
    pen.text_at(x, top + 16.0, &company.name, Weight::Bold, 15.0, ACCENT);
    let mut y = top + 30.0;
    for line in &company.lines {
        pen.text_at(x, y, line, Weight::Regular, SMALL, MUTED);
        y += 10.5;
    }
    pen.text_right(RIGHT, top + 16.0, title, Weight::Bold, 17.0, INK);
    pen.text_right(RIGHT, top + 32.0, reference, Weight::Bold, 11.0, INK);
    pen.text_right(RIGHT, top + 45.0, date, Weight::Regular, SMALL, MUTED);
    pen.y = y.max(top + 52.0) + 6.0;
    pen.rule(RULE, 0.8);
    pen.skip(4.0);
}

/// Label above value, in a column of `width` from `x`; returns the height used.
fn field(pen: &mut Pen<'_>, x: f32, width: f32, label: &str, lines: &[&str]) -> f32 {
    let top = pen.y;
    pen.text_at(x, top + SMALL, label, Weight::Bold, SMALL - 0.5, MUTED);
    let mut y = top + SMALL + 4.0;
    for line in lines.iter().filter(|l| !l.is_empty()) {
        for wrapped in pen.fonts.wrap(line, Weight::Regular, BODY, width) {
            y += BODY * 1.35;
            pen.text_at(x, y, &wrapped, Weight::Regular, BODY, INK);
        }
    }
    y - top + 4.0
}

fn facts(pen: &mut Pen<'_>, report: &Report) {
    let col = (BODY_WIDTH - 24.0) / 3.0;
    let xs = [MARGIN, MARGIN + col + 12.0, MARGIN + 2.0 * (col + 12.0)];
    pen.need(140.0);
    pen.skip(8.0);
    let customer = &report.customer;
    let site: Vec<&str> = report.site.iter().map(String::as_str).collect();
    let visit = [
        report.job.kind.as_str(),
        report.job.visited.as_str(),
        report.job.status.as_str(),
    ];
    let top = pen.y;
    let mut tallest: f32 = 0.0;
    for (x, label, lines) in [
        (
            xs[0],
            "CUSTOMER",
            vec![
                customer.name.as_str(),
                customer.phone.as_deref().unwrap_or(""),
                customer.email.as_deref().unwrap_or(""),
            ],
        ),
        (xs[1], "SITE", site),
        (xs[2], "VISIT", visit.to_vec()),
    ] {
        pen.y = top;
        tallest = tallest.max(field(pen, x, col, label, &lines));
    }
    pen.y = top + tallest + 6.0;
    let top = pen.y;
    tallest = 0.0;
    let mut second: Vec<(f32, &str, Vec<String>)> = Vec::new();
    if let Some(p) = &report.product {
        let mut lines = vec![p.model.clone()];
        if let Some(s) = &p.serial {
            lines.push(format!("Serial {s}"));
        }
        second.push((xs[0], "PRODUCT", lines));
        second.push((xs[1], "WARRANTY", vec![p.warranty.clone()]));
    }
    let mut technician = vec![report.job.technician.clone()];
    if let Some(t) = &report.job.time_on_site {
        technician.push(format!("Time on site: {t}"));
    }
    second.push((xs[2], "TECHNICIAN", technician));
    for (x, label, lines) in &second {
        pen.y = top;
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        tallest = tallest.max(field(pen, *x, col, label, &lines));
    }
    pen.y = top + tallest + 2.0;
}

fn reported(pen: &mut Pen<'_>, report: &Report) {
    pen.heading("Reported", 30.0);
    pen.paragraph(
        MARGIN,
        BODY_WIDTH,
        &report.job.summary,
        Weight::Bold,
        BODY,
        INK,
    );
    if let Some(more) = report
        .job
        .reported
        .as_deref()
        .filter(|m| !m.trim().is_empty())
    {
        pen.skip(2.0);
        pen.paragraph(MARGIN, BODY_WIDTH, more, Weight::Regular, BODY, INK);
    }
}

fn work_done(pen: &mut Pen<'_>, report: &Report) {
    if report.work_done.is_empty() {
        return;
    }
    pen.heading("Work done", 30.0);
    for note in &report.work_done {
        pen.need(BODY * 1.4);
        let top = pen.y;
        pen.text_at(MARGIN, top + BODY, &note.at, Weight::Regular, SMALL, MUTED);
        pen.paragraph(
            MARGIN + 44.0,
            BODY_WIDTH - 44.0,
            &note.text,
            Weight::Regular,
            BODY,
            INK,
        );
        pen.skip(3.0);
    }
}

/// A table column: its left edge and width; a right-aligned column's text ends at its right
/// edge (numbers, prices).
struct Column {
    x: f32,
    width: f32,
    right: bool,
}

/// A table row, each cell wrapped to its column, kept on one page, with a rule under it.
fn row(pen: &mut Pen<'_>, columns: &[Column], cells: &[(String, Weight, Colour)], size: f32) {
    let leading = size * 1.35;
    let wrapped: Vec<Vec<String>> = columns
        .iter()
        .zip(cells)
        .map(|(c, (text, weight, _))| pen.fonts.wrap(text, *weight, size, c.width - 6.0))
        .collect();
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let height = lines as f32 * leading + 6.0;
    pen.need(height);
    let top = pen.y;
    for ((column, (_, weight, colour)), lines) in columns.iter().zip(cells).zip(&wrapped) {
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + 3.0 + size + i as f32 * leading;
            if column.right {
                pen.text_right(
                    column.x + column.width,
                    baseline,
                    line,
                    *weight,
                    size,
                    *colour,
                );
            } else {
                pen.text_at(column.x, baseline, line, *weight, size, *colour);
            }
        }
    }
    pen.y = top + height;
    pen.line((MARGIN, pen.y), (RIGHT, pen.y), 0.4, RULE);
}

fn header_row(pen: &mut Pen<'_>, columns: &[Column], titles: &[&str]) {
    pen.need(40.0);
    let top = pen.y;
    pen.band(MARGIN, top, BODY_WIDTH, 16.0, BAND);
    for (column, title) in columns.iter().zip(titles) {
        let baseline = top + 11.0;
        if column.right {
            pen.text_right(
                column.x + column.width,
                baseline,
                title,
                Weight::Bold,
                SMALL,
                MUTED,
            );
        } else {
            pen.text_at(column.x, baseline, title, Weight::Bold, SMALL, MUTED);
        }
    }
    pen.y = top + 16.0;
}

fn checklists(pen: &mut Pen<'_>, report: &Report) {
    for section in &report.checklists {
        pen.heading(&format!("Checklist: {}", section.title), 40.0);
        let columns = [
            Column {
                x: MARGIN + 4.0,
                width: BODY_WIDTH * 0.62,
                right: false,
            },
            Column {
                x: MARGIN + BODY_WIDTH * 0.64,
                width: BODY_WIDTH * 0.36,
                right: false,
            },
        ];
        for item in &section.items {
            let (answer, weight, colour) = match (&item.answer, item.out_of_range) {
                (Some(a), true) => (format!("{a}  (out of range)"), Weight::Bold, WARN),
                (Some(a), false) => (a.clone(), Weight::Regular, INK),
                (None, _) => ("not answered".to_string(), Weight::Regular, MUTED),
            };
            row(
                pen,
                &columns,
                &[
                    (item.label.clone(), Weight::Regular, INK),
                    (answer, weight, colour),
                ],
                BODY,
            );
        }
    }
}

fn parts(pen: &mut Pen<'_>, report: &Report) {
    if report.parts.is_empty() {
        return;
    }
    pen.heading("Parts used", 50.0);
    let w = BODY_WIDTH;
    let columns = [
        Column {
            x: MARGIN + 4.0,
            width: w * 0.36,
            right: false,
        },
        Column {
            x: MARGIN + w * 0.38,
            width: w * 0.21,
            right: false,
        },
        Column {
            x: MARGIN + w * 0.60,
            width: w * 0.20,
            right: false,
        },
        Column {
            x: MARGIN + w * 0.80,
            width: w * 0.06,
            right: true,
        },
        Column {
            x: MARGIN + w * 0.86,
            width: w * 0.14 - 4.0,
            right: true,
        },
    ];
    header_row(
        pen,
        &columns,
        &[
            "PART",
            "SERIAL FITTED",
            "FAULTY PART REMOVED",
            "QTY",
            "UNIT PRICE",
        ],
    );
    for part in &report.parts {
        let cell = |s: &Option<String>| (s.clone().unwrap_or_default(), Weight::Regular, INK);
        row(
            pen,
            &columns,
            &[
                (
                    format!("{} ({})", part.name, part.sku),
                    Weight::Regular,
                    INK,
                ),
                cell(&part.serial),
                cell(&part.removed_serial),
                (part.qty.to_string(), Weight::Regular, INK),
                cell(&part.unit_price),
            ],
            BODY,
        );
    }
}

fn decision(pen: &mut Pen<'_>, report: &Report) {
    let Some(d) = &report.decision else {
        return;
    };
    pen.heading("Warranty decision", 40.0);
    pen.paragraph(
        MARGIN,
        BODY_WIDTH,
        &format!("{} — {}", d.remedy, d.fault),
        Weight::Bold,
        BODY + 0.5,
        INK,
    );
    pen.paragraph(MARGIN, BODY_WIDTH, &d.rule, Weight::Regular, BODY, INK);
    pen.paragraph(
        MARGIN,
        BODY_WIDTH,
        &format!(
            "Decided under warranty policy version {}.",
            d.policy_version
        ),
        Weight::Regular,
        SMALL,
        MUTED,
    );
    if let Some(note) = &d.note {
        pen.paragraph(MARGIN, BODY_WIDTH, note, Weight::Regular, BODY, INK);
    }
    if let Some(s) = &d.replacement_serial {
        pen.paragraph(
            MARGIN,
            BODY_WIDTH,
            &format!("New unit's serial: {s}"),
            Weight::Regular,
            BODY,
            INK,
        );
    }
    if let Some(r) = &d.return_ref {
        pen.paragraph(
            MARGIN,
            BODY_WIDTH,
            &format!("Return reference for the faulty unit: {r}"),
            Weight::Regular,
            BODY,
            INK,
        );
    }
}

fn charges(pen: &mut Pen<'_>, report: &Report) {
    let Some(c) = &report.charges else {
        return;
    };
    pen.heading("Charges", 40.0);
    let columns = [
        Column {
            x: MARGIN + 4.0,
            width: BODY_WIDTH * 0.75,
            right: false,
        },
        Column {
            x: MARGIN + BODY_WIDTH * 0.75,
            width: BODY_WIDTH * 0.25 - 4.0,
            right: true,
        },
    ];
    for (what, amount) in &c.lines {
        row(
            pen,
            &columns,
            &[
                (what.clone(), Weight::Regular, INK),
                (amount.clone(), Weight::Regular, INK),
            ],
            BODY,
        );
    }
    row(
        pen,
        &columns,
        &[
            ("Total".into(), Weight::Bold, INK),
            (c.total.clone(), Weight::Bold, INK),
        ],
        BODY + 1.0,
    );
}

fn pictures(pen: &mut Pen<'_>, report: &Report) {
    if report.photos.is_empty() {
        return;
    }
    const PER_ROW: usize = 3;
    let gap = 12.0;
    let w = (BODY_WIDTH - gap * (PER_ROW as f32 - 1.0)) / PER_ROW as f32;
    let h = w * 0.75;
    pen.heading("Photos", h + 20.0);
    for chunk in report.photos.chunks(PER_ROW) {
        pen.need(h + 24.0);
        let top = pen.y;
        for (i, photo) in chunk.iter().enumerate() {
            let x = MARGIN + i as f32 * (w + gap);
            pen.band(x, top, w, h, BAND);
            let shown = crate::thumbnail::thumbnail(&photo.content)
                .as_deref()
                .and_then(image)
                .and_then(|p| pen.picture(p, x, top, w, h));
            if shown.is_none() {
                pen.text_at(
                    x + 8.0,
                    top + h / 2.0,
                    "(photo not shown)",
                    Weight::Regular,
                    SMALL,
                    MUTED,
                );
            }
            let caption = pen.fonts.wrap(&photo.caption, Weight::Regular, SMALL, w);
            if let Some(first) = caption.first() {
                pen.text_at(x, top + h + 11.0, first, Weight::Regular, SMALL, MUTED);
            }
        }
        pen.y = top + h + 20.0;
    }
}

fn signature(pen: &mut Pen<'_>, report: &Report) {
    pen.heading("Customer sign-off", 110.0);
    pen.paragraph(
        MARGIN,
        BODY_WIDTH,
        "By signing, the customer confirms the work described above was carried out and the \
         product was handed back working as described.",
        Weight::Regular,
        SMALL,
        MUTED,
    );
    pen.skip(6.0);
    let top = pen.y;
    let (w, h) = (BODY_WIDTH * 0.55, 70.0);
    pen.band(MARGIN, top, w, h, BAND);
    pen.line((MARGIN, top + h), (MARGIN + w, top + h), 0.8, INK);
    let info_x = MARGIN + w + 20.0;
    match &report.signature {
        Some(Signature {
            signer,
            signed_at,
            image: drawn,
        }) => {
            let words = match drawn.as_deref().map(|d| (d, image(d))) {
                Some((_, Some(picture))) => {
                    pen.picture(picture, MARGIN + 6.0, top + 4.0, w - 12.0, h - 8.0);
                    None
                }
                // Drawn, but the picture cannot be shown: say so, never that they typed.
                Some((_, None)) => {
                    Some("Signed on the laptop (the drawing cannot be shown)".into())
                }
                None => Some(format!("Signed by typing their name: {signer}")),
            };
            if let Some(words) = words {
                pen.text_at(
                    MARGIN + 8.0,
                    top + h - 14.0,
                    &words,
                    Weight::Regular,
                    BODY,
                    INK,
                );
            }
            pen.text_at(
                info_x,
                top + 12.0,
                "SIGNED BY",
                Weight::Bold,
                SMALL - 0.5,
                MUTED,
            );
            pen.text_at(info_x, top + 26.0, signer, Weight::Bold, BODY + 1.0, INK);
            pen.text_at(info_x, top + 44.0, "ON", Weight::Bold, SMALL - 0.5, MUTED);
            pen.text_at(info_x, top + 58.0, signed_at, Weight::Regular, BODY, INK);
        }
        None => {
            pen.text_at(
                MARGIN + 8.0,
                top + h - 8.0,
                "Customer's signature",
                Weight::Regular,
                SMALL,
                MUTED,
            );
            pen.text_at(info_x, top + 12.0, "NAME", Weight::Bold, SMALL - 0.5, MUTED);
            pen.line((info_x, top + 34.0), (RIGHT, top + 34.0), 0.6, RULE);
            pen.text_at(
                info_x,
                top + 50.0,
                "Not signed yet",
                Weight::Regular,
                BODY,
                MUTED,
            );
        }
    }
    pen.y = top + h + 8.0;
}
