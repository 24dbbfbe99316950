//! The one error body HQ returns: `{"code": "...", "message": "..."}`.

use serde::{Deserialize, Serialize};

crate::model::string_enum!(
    /// Stable machine-readable error codes. Clients branch on these, never on messages; a code
    /// is never renamed or reused once shipped.
    ErrorCode {
        /// The request is not valid for a reason given in the message.
        BadRequest => "bad_request",
        /// The body is not the JSON this endpoint expects.
        MalformedJson => "malformed_json",
        /// A field has a value outside its rules (message names the field).
        ValidationFailed => "validation_failed",
        /// The body is larger than the endpoint accepts.
        PayloadTooLarge => "payload_too_large",
        /// No such route or record (or not visible to the caller).
        NotFound => "not_found",
        /// The route exists but not for this HTTP method.
        MethodNotAllowed => "method_not_allowed",
        /// No valid access token was presented.
        Unauthorized => "unauthorized",
        /// The access token has expired; refresh it.
        TokenExpired => "token_expired",
        /// Username or password is wrong, or the refresh token is no longer valid.
        InvalidCredentials => "invalid_credentials",
        /// The caller's role may not do this.
        Forbidden => "forbidden",
        /// A browser request that changes something came without the session's CSRF token (or
        /// from another site); reload the console and try again.
        CsrfRejected => "csrf_rejected",
        /// The request clashes with the current state (e.g. a duplicate job number).
        Conflict => "conflict",
        /// The job status state machine refuses this change.
        InvalidTransition => "invalid_transition",
        /// Too many attempts; wait (`Retry-After` seconds) and try again.
        RateLimited => "rate_limited",
        /// HQ is at capacity for this work right now; try again after `Retry-After` seconds.
        Busy => "busy",
        /// The request took longer than HQ allows (a body sent too slowly, say).
        Timeout => "timeout",
        /// The body is compressed in a way HQ does not read (it reads gzip).
        UnsupportedEncoding => "unsupported_encoding",
        /// The request's address (path and query) is longer than HQ reads.
        UriTooLong => "uri_too_long",
        /// Something failed at HQ; details are in HQ's log, not in the response.
        Internal => "internal",
    }
);

/// The JSON error body of every non-2xx HQ response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} ({code})")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Stable code to branch on.
    pub code: ErrorCode,
    /// Human-readable explanation, safe to show to a user.
    pub message: String,
}

impl ApiError {
    /// Builds an error body.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}
