//! The service report a customer signs: laid out on A4 and written as PDF on the laptop, with
//! no network. Its fonts are embedded and its text selectable; the same [`Report`] always
//! gives the same bytes (no clock, no random ids), so the SHA-256 of the PDF a customer signed
//! identifies it.

mod content;
mod layout;
mod letter;
pub mod sample;
mod sections;
mod text;
mod thumbnail;

pub use content::*;
pub use letter::Letter;
pub use thumbnail::png_readable;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use layout::{Colour, MARGIN, MUTED, Mark, PAGE_HEIGHT, PAGE_WIDTH, Pen, RULE};
use text::{Fonts, Weight};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// An embedded font could not be read (a broken build, not bad input).
    #[error("the report's font cannot be read")]
    Font,
    /// The PDF could not be written.
    #[error("the report cannot be written: {0}")]
    Pdf(String),
}

/// Writes `report` as PDF. A photo, logo or signature that is not a readable JPEG or PNG is
/// left out (a photo's place says so) rather than costing the report.
///
/// # Errors
/// [`ReportError`] when the PDF cannot be written at all.
pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let fonts = Fonts::load()?;
    let mut pen = Pen::new(&fonts);
    sections::lay_out(&mut pen, report);
    let title = format!("Service report {}", report.job.number);
    let footing = if report.company.name.is_empty() {
        title.clone()
    } else {
        format!("{} · {title}", report.company.name)
    };
    let id = format!("onsite-service-report-{}", report.job.number);
    write(&fonts, pen, &title, &id, &footing)
}

/// Writes `letter` as a one-page PDF (more when it is long), for printing and posting.
///
/// # Errors
/// [`ReportError`] when the PDF cannot be written at all.
pub fn render_letter(letter: &Letter) -> Result<Vec<u8>, ReportError> {
    let fonts = Fonts::load()?;
    let mut pen = Pen::new(&fonts);
    letter::lay_out(&mut pen, letter);
    let title = format!("Letter about job {}", letter.reference);
    let id = format!("onsite-letter-{}", letter.reference);
    let footing = if letter.company.name.is_empty() {
        title.clone()
    } else {
        format!("{} · {title}", letter.company.name)
    };
    write(&fonts, pen, &title, &id, &footing)
}

/// The pages `pen` laid out, as PDF, with `footing` and page numbers at each foot.
fn write(
    fonts: &Fonts,
    pen: Pen<'_>,
    title: &str,
    id: &str,
    footing: &str,
) -> Result<Vec<u8>, ReportError> {
    let Pen { pages, images, .. } = pen;
    let mut document = krilla::Document::new();
    // A fixed id: the document id is otherwise a hash of the content, which is deterministic
    // too, but a title and id make the file say what it is.
    document.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .document_id(id.to_string()),
    );
    let count = pages.len();
    let size =
        Size::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(ReportError::Pdf("page size".into()))?;
    for (n, marks) in pages.iter().enumerate() {
        let mut page = document.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        for mark in marks {
            draw(&mut surface, fonts, &images, mark);
        }
        let footer = footer(fonts, footing, n + 1, count);
        for mark in &footer {
            draw(&mut surface, fonts, &images, mark);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

fn footer(fonts: &Fonts, left: &str, n: usize, count: usize) -> Vec<Mark> {
    let y = PAGE_HEIGHT - 36.0;
    let left = left.to_string();
    let right = format!("Page {n} of {count}");
    let w = fonts.width(&right, Weight::Regular, 7.5);
    vec![
        Mark::Line {
            from: (MARGIN, y - 12.0),
            to: (PAGE_WIDTH - MARGIN, y - 12.0),
            width: 0.5,
            colour: RULE,
        },
        Mark::Text {
            x: MARGIN,
            y,
            text: left,
            weight: Weight::Regular,
            size: 7.5,
            colour: MUTED,
        },
        Mark::Text {
            x: PAGE_WIDTH - MARGIN - w,
            y,
            text: right,
            weight: Weight::Regular,
            size: 7.5,
            colour: MUTED,
        },
    ]
}

fn paint(c: Colour) -> krilla::paint::Paint {
    rgb::Color::new(c.0, c.1, c.2).into()
}

fn draw(
    surface: &mut krilla::surface::Surface<'_>,
    fonts: &Fonts,
    images: &[krilla::image::Image],
    mark: &Mark,
) {
    match mark {
        Mark::Text {
            x,
            y,
            text,
            weight,
            size,
            colour,
        } => {
            let shaped = fonts.shape(text, *weight, *size);
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: paint(*colour),
                ..Default::default()
            }));
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &shaped.glyphs,
                fonts.font(*weight),
                text,
                *size,
                false,
            );
        }
        Mark::Band { x, y, w, h, colour } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: paint(*colour),
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        Mark::Line {
            from,
            to,
            width,
            colour,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(from.0, from.1);
            path.line_to(to.0, to.1);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: paint(*colour),
                    width: *width,
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        Mark::Picture { image, x, y, w, h } => {
            let (Some(picture), Some(size)) = (images.get(*image), Size::from_wh(*w, *h)) else {
                return;
            };
            surface.push_transform(&Transform::from_translate(*x, *y));
            surface.draw_image(picture.clone(), size);
            surface.pop();
        }
    }
}

#[cfg(test)]
mod tests;
