//! Reading the reference data files an admin imports (`docs/REFERENCE.md`): the parts
//! catalog, checklist templates, warranty policies and technical guides. Each file is read
//! and checked whole before anything is stored, and a refusal names the line, entry or file.

pub mod checklists;
pub mod guides;
pub mod parts;
pub mod warranty;

/// Why a reference file was refused. Nothing of it is imported.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    /// One line, entry or file is wrong.
    #[error("{place}: {reason}")]
    Entry {
        /// Where: `line 3`, `entry 2 ("heatpump-install" version 1)`, `e5-codes.md`.
        place: String,
        /// What is wrong.
        reason: String,
    },
    /// The file as a whole is wrong (not JSON, empty, too large).
    #[error("{0}")]
    File(String),
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Most entries one file may hold: an import is a catalog, not a dump.
pub const MAX_ENTRIES: usize = 100_000;

impl ReferenceError {
    pub(crate) fn at(place: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Entry {
            place: place.into(),
            reason: reason.into(),
        }
    }
}

/// serde's message without its "at line 1 column N" tail, which names a position in the
/// whole file rather than the entry.
pub(crate) fn serde_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The entries of a file that must be a non-empty JSON array of `what`.
pub(crate) fn json_array(text: &str, what: &str) -> Result<Vec<serde_json::Value>, ReferenceError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ReferenceError::File(format!(
            "not JSON: {} (line {}, column {})",
            serde_reason(&e),
            e.line(),
            e.column()
        ))
    })?;
    let serde_json::Value::Array(entries) = value else {
        return Err(ReferenceError::File(format!(
            "the file must be a JSON array of {what}"
        )));
    };
    if entries.is_empty() {
        return Err(ReferenceError::File(format!("the file holds no {what}")));
    }
    if entries.len() > MAX_ENTRIES {
        return Err(ReferenceError::File(format!(
            "more than {MAX_ENTRIES} {what} in one file"
        )));
    }
    Ok(entries)
}

/// The kinds of reference data, each imported by its own command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `onsite-hq parts import FILE.csv`.
    Parts,
    /// `onsite-hq checklists import FILE.json`.
    Checklists,
    /// `onsite-hq warranty import FILE.json`.
    Warranty,
    /// `onsite-hq guides import PATH` (a `.md` file or a folder of them).
    Guides,
}

impl Kind {
    /// What a file of this kind holds, in words.
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Parts => "parts",
            Kind::Checklists => "checklist template versions",
            Kind::Warranty => "warranty policy versions",
            Kind::Guides => "guides",
        }
    }
}

/// Why an import did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// The file is wrong.
    #[error(transparent)]
    File(#[from] ReferenceError),
    /// Storing it was refused or failed.
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
}

/// A reference file read and checked whole, ready to store.
#[derive(Clone, Debug)]
pub enum Checked {
    /// A parts catalog, with each part's line.
    Parts(Vec<(usize, onsite_protocol::part::Part)>),
    /// Checklist template versions, with each one's entry number.
    Checklists(Vec<(usize, onsite_protocol::checklist::ChecklistTemplate)>),
    /// Warranty policy versions, with each one's entry number.
    Warranty(Vec<(usize, onsite_protocol::warranty::WarrantyPolicy)>),
    /// Guides.
    Guides(Vec<guides::GuideFile>),
}

impl Checked {
    /// Reads `text` as a file of `kind`: the CSV or JSON of `docs/REFERENCE.md`; for guides, a
    /// JSON array of `{"file": "NAME.md", "text": "..."}` (what the API receives for a folder).
    ///
    /// # Errors
    /// The first wrong line, entry or file.
    pub fn from_text(kind: Kind, text: &str) -> Result<Self, ReferenceError> {
        Ok(match kind {
            Kind::Parts => Self::Parts(parts::parse(text)?),
            Kind::Checklists => Self::Checklists(checklists::parse(text)?),
            Kind::Warranty => Self::Warranty(warranty::parse(text)?),
            Kind::Guides => Self::Guides(guides::from_json(text)?),
        })
    }

    /// How many entries the file held.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Self::Parts(v) => v.len(),
            Self::Checklists(v) => v.len(),
            Self::Warranty(v) => v.len(),
            Self::Guides(v) => v.len(),
        }
    }

    /// Whether it held none (a checked file never does).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stores it all or nothing.
    ///
    /// # Errors
    /// A storage refusal or failure; nothing is stored then.
    pub async fn store(
        &self,
        storage: &dyn crate::storage::Storage,
    ) -> Result<crate::storage::ImportReport, crate::storage::StorageError> {
        match self {
            Self::Parts(v) => storage.import_parts(v).await,
            Self::Checklists(v) => storage.import_checklists(v).await,
            Self::Warranty(v) => storage.import_warranty(v).await,
            Self::Guides(v) => storage.import_guides(v).await,
        }
    }
}

/// Reads, checks and stores a whole reference file (for guides, a `.md` file or a folder of
/// them), all or nothing: how many entries it held and what became of them.
///
/// # Errors
/// The first wrong entry, or a storage failure; nothing is stored then.
pub async fn import(
    storage: &dyn crate::storage::Storage,
    kind: Kind,
    path: &std::path::Path,
) -> Result<(usize, crate::storage::ImportReport), ImportFailure> {
    let checked = if kind == Kind::Guides {
        Checked::Guides(guides::read(path)?)
    } else {
        let text = std::fs::read_to_string(path).map_err(|source| ReferenceError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Checked::from_text(kind, &text)?
    };
    Ok((checked.len(), checked.store(storage).await?))
}
