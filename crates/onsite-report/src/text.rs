//! The report's two faces (Noto Sans regular and bold, embedded: the report looks the same
//! on every machine), text shaped once to be both measured and drawn, and lines wrapped to a
//! width.

use crate::ReportError;
use krilla::text::{Font, GlyphId, KrillaGlyph};

const REGULAR: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");

/// Which face.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    /// Body text.
    Regular,
    /// Headings, labels, totals.
    Bold,
}

struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Self, ReportError> {
        let font = Font::new(data.into(), 0).ok_or(ReportError::Font)?;
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or(ReportError::Font)?;
        Ok(Self { font, shaper })
    }
}

/// Both faces, loaded.
pub struct Fonts {
    regular: Face,
    bold: Face,
}

/// Text shaped in one face at one size: its glyphs (advances per em) and its width in points.
#[derive(Clone, Debug)]
pub struct Shaped {
    /// The glyphs, each mapped back to its characters so the text can be extracted.
    pub glyphs: Vec<KrillaGlyph>,
    /// Width in points.
    pub width: f32,
}

impl Fonts {
    /// Loads both faces.
    ///
    /// # Errors
    /// [`ReportError::Font`] if an embedded font cannot be read (a broken build).
    pub fn load() -> Result<Self, ReportError> {
        Ok(Self {
            regular: Face::load(REGULAR)?,
            bold: Face::load(BOLD)?,
        })
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The face to draw with.
    pub fn font(&self, weight: Weight) -> Font {
        self.face(weight).font.clone()
    }

    /// Shapes `text` (left to right, one line) at `size` points.
    pub fn shape(&self, text: &str, weight: Weight, size: f32) -> Shaped {
        let face = self.face(weight);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let out = rustybuzz::shape(&face.shaper, &[], buffer);
        let per_em = face.shaper.units_per_em() as f32;
        let (infos, positions) = (out.glyph_infos(), out.glyph_positions());
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut width = 0.0;
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let end = infos[i + 1..]
                .iter()
                .map(|n| n.cluster as usize)
                .find(|&c| c != start)
                .unwrap_or(text.len());
            let advance = pos.x_advance as f32 / per_em;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                advance,
                pos.x_offset as f32 / per_em,
                pos.y_offset as f32 / per_em,
                pos.y_advance as f32 / per_em,
                start..end,
                None,
            ));
            width += advance * size;
        }
        Shaped { glyphs, width }
    }

    /// The width of `text` in points.
    pub fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        self.shape(text, weight, size).width
    }

    /// `text` broken into lines no wider than `max` points: at spaces, and inside a word only
    /// when the word alone is wider. Line breaks in `text` are kept; blank lines are dropped.
    pub fn wrap(&self, text: &str, weight: Weight, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, weight, size) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line is cut where it must be.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, weight, size) > max && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider_and_bold_wider_still() {
        let fonts = Fonts::load().unwrap();
        let short = fonts.width("Seal", Weight::Regular, 10.0);
        let long = fonts.width("Seal kit", Weight::Regular, 10.0);
        let bold = fonts.width("Seal kit", Weight::Bold, 10.0);
        assert!(
            0.0 < short && short < long && long < bold,
            "{short} {long} {bold}"
        );
        let double = fonts.width("Seal kit", Weight::Regular, 20.0);
        assert!((double - 2.0 * long).abs() < 0.01);
    }

    #[test]
    fn every_glyph_maps_back_to_its_characters() {
        let fonts = Fonts::load().unwrap();
        let text = "Pump seal – 2 × £3.20";
        let shaped = fonts.shape(text, Weight::Regular, 10.0);
        let covered: String = shaped
            .glyphs
            .iter()
            .map(|g| &text[g.text_range.clone()])
            .collect();
        assert_eq!(covered, text);
    }

    #[test]
    fn lines_wrap_at_spaces_and_long_words_are_cut() {
        let fonts = Fonts::load().unwrap();
        let max = fonts.width("Diverter valve", Weight::Regular, 10.0);
        let cases: &[(&str, &[&str])] = &[
            ("Diverter valve", &["Diverter valve"]),
            ("Diverter valve stuck", &["Diverter valve", "stuck"]),
            ("one\n\n  two  ", &["one", "two"]),
            ("", &[]),
        ];
        for (text, lines) in cases {
            assert_eq!(
                fonts.wrap(text, Weight::Regular, 10.0, max),
                *lines,
                "{text:?}"
            );
        }
        let cut = fonts.wrap(&"x".repeat(200), Weight::Regular, 10.0, max);
        assert!(cut.len() > 2);
        assert!(
            cut.iter()
                .all(|l| fonts.width(l, Weight::Regular, 10.0) <= max)
        );
        assert_eq!(cut.concat(), "x".repeat(200));
    }
}
