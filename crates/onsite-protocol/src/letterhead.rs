//! Who service reports and thank-you letters are from: the organisation's name, a few lines
//! under it (address, phone, e-mail) and its logo. An HQ setting every laptop holds, so a
//! report made offline carries it.

use base64::Engine;
use serde::{Deserialize, Serialize};

/// Most lines under the name.
pub const MAX_LINES: usize = 4;
/// Largest logo, once decoded: a letterhead logo, not a photo.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

/// The organisation's letterhead.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Letterhead {
    /// The organisation's name, as customers know it.
    pub name: String,
    /// Lines printed under the name (address, phone, e-mail), at most [`MAX_LINES`].
    #[serde(default)]
    pub lines: Vec<String>,
    /// The logo, a PNG or JPEG file in standard base64, at most [`MAX_LOGO_BYTES`] decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub logo: Option<String>,
}

impl Letterhead {
    /// Checks every field.
    ///
    /// # Errors
    /// What is wrong, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        crate::text::line("name", &self.name)?;
        if self.lines.len() > MAX_LINES {
            return Err(format!("at most {MAX_LINES} lines under the name"));
        }
        for (i, line) in self.lines.iter().enumerate() {
            crate::text::line(&format!("line {}", i + 1), line)?;
        }
        if self.logo.is_some() {
            self.logo_bytes()?;
        }
        Ok(())
    }

    /// The logo's content, checked: base64 of a PNG or JPEG within [`MAX_LOGO_BYTES`].
    ///
    /// # Errors
    /// What is wrong with it (none is no error: `Ok(None)`).
    pub fn logo_bytes(&self) -> Result<Option<Vec<u8>>, String> {
        let Some(text) = &self.logo else {
            return Ok(None);
        };
        if text.len() > MAX_LOGO_BYTES / 3 * 4 + 4 {
            return Err(format!("the logo is over {} KiB", MAX_LOGO_BYTES / 1024));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| "the logo is not base64".to_string())?;
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(format!("the logo is over {} KiB", MAX_LOGO_BYTES / 1024));
        }
        let png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
        let jpeg = bytes.starts_with(&[0xff, 0xd8, 0xff]);
        if !png && !jpeg {
            return Err("the logo must be a PNG or JPEG file".into());
        }
        Ok(Some(bytes))
    }

    /// The letterhead with `logo` (a PNG or JPEG file's content) as its logo.
    #[must_use]
    pub fn with_logo(mut self, logo: &[u8]) -> Self {
        self.logo = Some(base64::engine::general_purpose::STANDARD.encode(logo));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letterhead_is_checked_field_by_field() {
        let good = Letterhead {
            name: "Northwind Home Services".into(),
            lines: vec!["14 Mill Lane, Leeds".into()],
            logo: None,
        };
        let png = b"\x89PNG\r\n\x1a\nrest".as_slice();
        let cases: Vec<(Letterhead, Option<&str>)> = vec![
            (good.clone(), None),
            (good.clone().with_logo(png), None),
            (good.clone().with_logo(&[0xff, 0xd8, 0xff, 0xe0]), None),
            (
                Letterhead {
                    name: " ".into(),
                    ..good.clone()
                },
                Some("name is empty"),
            ),
            (
                Letterhead {
                    lines: vec!["a".into(); 5],
                    ..good.clone()
                },
                Some("at most 4 lines"),
            ),
            (
                Letterhead {
                    lines: vec!["ok".into(), "bad\u{7}".into()],
                    ..good.clone()
                },
                Some("line 2 contains control characters"),
            ),
            (good.clone().with_logo(b"GIF89a"), Some("PNG or JPEG")),
            (
                Letterhead {
                    logo: Some("not base64!".into()),
                    ..good.clone()
                },
                Some("not base64"),
            ),
            (
                good.clone().with_logo(&vec![0xff; MAX_LOGO_BYTES + 1]),
                Some("over 256 KiB"),
            ),
        ];
        for (letterhead, expected) in cases {
            match (letterhead.validate(), expected) {
                (Ok(()), None) => {}
                (Err(e), Some(want)) => assert!(e.contains(want), "{e} lacks {want}"),
                (got, want) => panic!("{letterhead:?}: got {got:?}, want {want:?}"),
            }
        }
        assert_eq!(
            good.clone().with_logo(png).logo_bytes().unwrap().as_deref(),
            Some(png)
        );
    }
}
