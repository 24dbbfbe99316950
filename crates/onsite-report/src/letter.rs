//! A thank-you letter laid out on the organisation's letterhead, for printing and posting
//! when the customer has no e-mail address (or the mail server is not set up).

use crate::content::Company;
use crate::layout::{BODY_WIDTH, INK, MARGIN, MUTED, Pen};
use crate::text::Weight;
use serde::{Deserialize, Serialize};

/// A letter to one customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    /// Who it is from.
    pub company: Company,
    /// The job it is about, as its reference.
    pub reference: String,
    /// The day it is dated, as printed.
    pub date: String,
    /// The customer's name and address, a line each.
    pub to: Vec<String>,
    /// Its subject.
    pub subject: String,
    /// Its text: paragraphs separated by blank lines.
    pub body: String,
}

/// Lays `letter` out from the top of the first page.
pub fn lay_out(pen: &mut Pen<'_>, letter: &Letter) {
    crate::sections::letterhead(pen, &letter.company, "", &letter.reference, &letter.date);
    pen.skip(24.0);
    for line in &letter.to {
        pen.paragraph(MARGIN, BODY_WIDTH, line, Weight::Regular, 10.5, INK);
    }
    pen.skip(22.0);
    pen.paragraph(MARGIN, BODY_WIDTH, &letter.subject, Weight::Bold, 11.0, INK);
    pen.skip(10.0);
    for paragraph in letter.body.split("\n\n") {
        for line in paragraph.lines() {
            pen.paragraph(MARGIN, BODY_WIDTH, line, Weight::Regular, 10.5, INK);
        }
        pen.skip(8.0);
    }
    pen.skip(12.0);
    pen.paragraph(
        MARGIN,
        BODY_WIDTH,
        "Your signed service report is enclosed.",
        Weight::Regular,
        8.5,
        MUTED,
    );
}
