//! Technical guides: Markdown HQ imports per product model (installation steps, error codes,
//! maintenance, how to brief the customer), read offline on the laptop.

use serde::{Deserialize, Serialize};

/// Longest guide text, in bytes: a long manual chapter, not a scanned book.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A guide as devices receive it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guide {
    /// Stable: the imported file's name without `.md`; a re-import updates by it.
    pub id: String,
    /// Increases whenever HQ's copy changes.
    pub version: u32,
    /// Its heading in lists.
    pub title: String,
    /// The product models it is about; empty means every model.
    pub models: Vec<String>,
    /// The text, in Markdown.
    pub body: String,
}

impl Guide {
    /// Whether the guide is about a product of `model`.
    #[must_use]
    pub fn covers(&self, model: Option<&str>) -> bool {
        self.models.is_empty() || model.is_some_and(|m| self.models.iter().any(|x| x == m))
    }
}

/// Checks a guide id, as file names and the CLI use it ([`crate::text::key`]).
///
/// # Errors
/// What an id may hold.
pub fn validate_id(id: &str) -> Result<(), String> {
    crate::text::key("the guide id", id)
        .map_err(|e| format!("{e} (it is the file name without .md)"))
}
