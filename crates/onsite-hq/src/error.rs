//! The HQ API's one error type: every failure becomes `{code, message}` with a fitting status.

use crate::storage::StorageError;
use axum::Json;
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use onsite_protocol::{ApiError, ErrorCode};

/// An error answered to an API client.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    body: ApiError,
    /// Seconds the client should wait before trying again (`Retry-After`).
    retry_after: Option<u64>,
}

impl AppError {
    /// An error with an explicit status, code and user-facing message.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ApiError::new(code, message),
            retry_after: None,
        }
    }

    /// 429: too many attempts; try again after `seconds`.
    pub fn rate_limited(message: impl Into<String>, seconds: u64) -> Self {
        Self {
            retry_after: Some(seconds),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                message,
            )
        }
    }

    /// 503: HQ is at capacity for this kind of work; try again after `seconds`.
    pub fn busy(message: impl Into<String>, seconds: u64) -> Self {
        Self {
            retry_after: Some(seconds),
            ..Self::new(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Busy, message)
        }
    }

    /// 404 for a route or record the caller cannot see.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("{what} not found"),
        )
    }

    /// 403 for a role that may not call this endpoint.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    /// 400 for an unusable request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// 500; the cause is logged here and never sent to the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "internal error; see the HQ log",
        )
    }

    /// The code, for tests.
    pub fn code(&self) -> ErrorCode {
        self.body.code
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound(what) => Self::not_found(what),
            StorageError::Conflict(m) => Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, m),
            StorageError::Invalid(m) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ValidationFailed,
                m,
            ),
            StorageError::ImportLine { .. } | StorageError::ImportEntry { .. } => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ValidationFailed,
                e.to_string(),
            ),
            StorageError::Transition(t) => Self::new(
                StatusCode::CONFLICT,
                ErrorCode::InvalidTransition,
                t.to_string(),
            ),
            StorageError::Open(_) | StorageError::Backend(_) => Self::internal(e),
        }
    }
}

impl From<crate::blobs::BlobError> for AppError {
    fn from(e: crate::blobs::BlobError) -> Self {
        use crate::blobs::BlobError as B;
        let message = e.to_string();
        match e {
            B::BadHash(_) | B::PastEnd { .. } => Self::bad_request(message),
            B::TooLarge(_) => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                message,
            ),
            B::Gap { .. } => Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, message),
            B::HashMismatch => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ValidationFailed,
                message,
            ),
            B::Io(io) => Self::internal(io),
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> Self {
        let status = r.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            ErrorCode::PayloadTooLarge
        } else {
            ErrorCode::MalformedJson
        };
        Self::new(status, code, r.body_text())
    }
}

impl From<BytesRejection> for AppError {
    fn from(r: BytesRejection) -> Self {
        let status = r.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Self::new(
                status,
                ErrorCode::PayloadTooLarge,
                format!(
                    "the body is over the {} KiB this endpoint accepts",
                    crate::routes::MAX_BODY_BYTES / 1024
                ),
            )
        } else {
            Self::new(status, ErrorCode::BadRequest, r.body_text())
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        Self::bad_request(r.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(r: PathRejection) -> Self {
        Self::bad_request(r.body_text())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::internal(e)
    }
}

/// A browser request refused as a possible forgery: 403 `csrf_rejected`.
impl From<crate::console_cookie::Forgery> for AppError {
    fn from(forgery: crate::console_cookie::Forgery) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::CsrfRejected,
            forgery.to_string(),
        )
    }
}
