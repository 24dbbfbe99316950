//! Uploading attachment content: chunks addressed by the content's SHA-256, and the headers
//! that say how much HQ holds.

use serde::{Deserialize, Serialize};

/// Answer of `PUT /blobs/{sha256}` (also in the headers of `HEAD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlobStatus {
    /// Bytes HQ holds, contiguous from the start.
    pub received: u64,
    /// HQ holds the whole content and it matches its hash.
    pub complete: bool,
}

// Headers of the attachment upload (`HEAD`/`PUT /blobs/{sha256}`).
/// Bytes HQ holds of the content, contiguous from the start (answer to `HEAD`/`PUT`).
pub const RECEIVED: &str = "onsite-blob-received";
/// `true` when HQ holds the whole content, checked against its hash.
pub const COMPLETE: &str = "onsite-blob-complete";
/// Total size of the content (`PUT`), so HQ can refuse an oversize file at once.
pub const TOTAL: &str = "onsite-blob-total";
/// Where in the content this `PUT`'s body starts.
pub const OFFSET: &str = "onsite-blob-offset";
/// Largest body of one `PUT`.
pub const MAX_CHUNK: usize = 512 * 1024;
