//! Laying a report out on A4 pages: a pen that moves down the page, breaks to a new page when
//! what comes next does not fit, and leaves each page as a list of marks to draw. Nothing here
//! writes PDF, so what lands where can be tested directly.

use crate::text::{Fonts, Weight};
use krilla::image::Image;

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 in points.
pub const PAGE_HEIGHT: f32 = 841.89;
/// Left and right margin.
pub const MARGIN: f32 = 48.0;
/// Where the body of a page starts.
const TOP: f32 = 48.0;
/// Where the body of a page must end: the footer is below.
const BOTTOM: f32 = PAGE_HEIGHT - 64.0;
/// The width text may take.
pub const BODY_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

/// A colour, RGB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

/// Body text.
pub const INK: Colour = Colour(30, 41, 59);
/// Labels and secondary text.
pub const MUTED: Colour = Colour(82, 96, 113);
/// Headings and the company's name.
pub const ACCENT: Colour = Colour(15, 94, 89);
/// What needs attention (a reading out of range).
pub const WARN: Colour = Colour(185, 28, 28);
/// Thin rules and table lines.
pub const RULE: Colour = Colour(203, 213, 225);
/// Shaded bands (table headers, boxes).
pub const BAND: Colour = Colour(241, 245, 249);

/// One thing drawn on a page. `y` grows downwards from the page's top edge.
#[derive(Clone, Debug)]
pub enum Mark {
    /// A line of text; `y` is its baseline.
    Text {
        /// Left edge.
        x: f32,
        /// Baseline.
        y: f32,
        /// What.
        text: String,
        /// Face.
        weight: Weight,
        /// Size in points.
        size: f32,
        /// Colour.
        colour: Colour,
    },
    /// A filled rectangle.
    Band {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill.
        colour: Colour,
    },
    /// A horizontal or vertical line.
    Line {
        /// Start.
        from: (f32, f32),
        /// End.
        to: (f32, f32),
        /// Width in points.
        width: f32,
        /// Colour.
        colour: Colour,
    },
    /// An image scaled into a box.
    Picture {
        /// Which of the document's images.
        image: usize,
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
    },
}

/// The pen: the pages laid out so far and where the next thing goes.
pub struct Pen<'f> {
    /// The faces, to measure with.
    pub fonts: &'f Fonts,
    /// The pages, each its marks in drawing order.
    pub pages: Vec<Vec<Mark>>,
    /// The images the marks name.
    pub images: Vec<Image>,
    /// Where the next thing goes, from the page's top edge.
    pub y: f32,
}

impl<'f> Pen<'f> {
    /// A pen at the top of a first, empty page.
    pub fn new(fonts: &'f Fonts) -> Self {
        Self {
            fonts,
            pages: vec![Vec::new()],
            images: Vec::new(),
            y: TOP,
        }
    }

    fn page(&mut self) -> &mut Vec<Mark> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Room left on this page.
    pub fn room(&self) -> f32 {
        BOTTOM - self.y
    }

    /// Starts a new page unless `height` more fits on this one (a block taller than a whole
    /// page starts at the top of one).
    pub fn need(&mut self, height: f32) {
        if height > self.room() && self.y > TOP {
            self.pages.push(Vec::new());
            self.y = TOP;
        }
    }

    /// Moves down.
    pub fn skip(&mut self, by: f32) {
        self.y += by;
    }

    /// Text with its baseline at `y`.
    pub fn text_at(
        &mut self,
        x: f32,
        y: f32,
        text: &str,
        weight: Weight,
        size: f32,
        colour: Colour,
    ) {
        if text.is_empty() {
            return;
        }
        self.page().push(Mark::Text {
            x,
            y,
            text: text.to_string(),
            weight,
            size,
            colour,
        });
    }

    /// Text ending at `right`, baseline at `y`.
    pub fn text_right(
        &mut self,
        right: f32,
        y: f32,
        text: &str,
        weight: Weight,
        size: f32,
        colour: Colour,
    ) {
        let w = self.fonts.width(text, weight, size);
        self.text_at(right - w, y, text, weight, size, colour);
    }

    /// A paragraph wrapped to `width` from `x`, breaking pages between its lines; the pen
    /// ends below it.
    pub fn paragraph(
        &mut self,
        x: f32,
        width: f32,
        text: &str,
        weight: Weight,
        size: f32,
        colour: Colour,
    ) {
        let leading = size * 1.4;
        for line in self.fonts.wrap(text, weight, size, width) {
            self.need(leading);
            let baseline = self.y + size;
            self.text_at(x, baseline, &line, weight, size, colour);
            self.y += leading;
        }
    }

    /// A section heading with a rule under it, kept with at least `keep` of what follows.
    pub fn heading(&mut self, text: &str, keep: f32) {
        self.need(28.0 + keep);
        self.skip(10.0);
        let baseline = self.y + 11.0;
        self.text_at(
            MARGIN,
            baseline,
            &text.to_uppercase(),
            Weight::Bold,
            9.5,
            ACCENT,
        );
        self.y += 16.0;
        self.rule(ACCENT, 0.8);
        self.skip(6.0);
    }

    /// A full-width rule at the pen.
    pub fn rule(&mut self, colour: Colour, width: f32) {
        let y = self.y;
        self.page().push(Mark::Line {
            from: (MARGIN, y),
            to: (PAGE_WIDTH - MARGIN, y),
            width,
            colour,
        });
    }

    /// A shaded band.
    pub fn band(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Colour) {
        self.page().push(Mark::Band { x, y, w, h, colour });
    }

    /// A line.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, colour: Colour) {
        self.page().push(Mark::Line {
            from,
            to,
            width,
            colour,
        });
    }

    /// Keeps `image` for the document and places it, scaled to fit inside the box at `x, y`
    /// of `w × h` (centred in it, never enlarged past its own size in points); `None` when the
    /// image has no size.
    pub fn picture(&mut self, image: Image, x: f32, y: f32, w: f32, h: f32) -> Option<(f32, f32)> {
        let (iw, ih) = image.size();
        if iw == 0 || ih == 0 {
            return None;
        }
        let (iw, ih) = (iw as f32, ih as f32);
        let scale = (w / iw).min(h / ih).min(1.0);
        let (dw, dh) = (iw * scale, ih * scale);
        self.images.push(image);
        let index = self.images.len() - 1;
        self.page().push(Mark::Picture {
            image: index,
            x: x + (w - dw) / 2.0,
            y: y + (h - dh) / 2.0,
            w: dw,
            h: dh,
        });
        Some((dw, dh))
    }
}

/// Reads a photo, logo or signature: JPEG or PNG by its first bytes, `None` for anything else.
/// A PNG is decoded whole first: the PDF writer decodes it only when the document is
/// finished, where a broken one would cost the whole report. (A JPEG is copied as it is.)
pub fn image(content: &[u8]) -> Option<Image> {
    if content.starts_with(&[0xff, 0xd8, 0xff]) {
        Image::from_jpeg(content.to_vec().into(), true).ok()
    } else if crate::thumbnail::png_readable(content) {
        Image::from_png(content.to_vec().into(), true).ok()
    } else {
        None
    }
}
