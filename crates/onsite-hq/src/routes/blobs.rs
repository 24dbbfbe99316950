//! Attachment content: `HEAD` says how much HQ holds, `PUT` appends a chunk, `GET` downloads.

use super::AppState;
use super::extract::{Body as RawBody, Path};
use crate::auth::{Caller, Dispatcher, Technician};
use crate::blobs::{BlobState, Uploader};
use crate::error::AppError;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use onsite_protocol::blob::{self, BlobStatus};
use onsite_protocol::{ErrorCode, Role};

fn with_state(state: BlobState, mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(blob::RECEIVED, HeaderValue::from(state.received));
    headers.insert(
        blob::COMPLETE,
        HeaderValue::from_static(if state.complete { "true" } else { "false" }),
    );
    response
}

/// A technician learns what HQ holds of their own upload only; a dispatcher, whether HQ holds
/// the content at all.
pub async fn head(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> Result<Response, AppError> {
    let blobs = state.blobs.clone();
    let by = Uploader(caller.user.id.0);
    let technician = caller.user.role == Role::Technician;
    let held = tokio::task::spawn_blocking(move || {
        if technician {
            blobs.state_for(&sha256, by)
        } else {
            blobs.state(&sha256)
        }
    })
    .await??;
    Ok(with_state(held, StatusCode::OK.into_response()))
}

fn number(headers: &HeaderMap, name: &str) -> Result<u64, AppError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::bad_request(format!("header {name} must be a byte count")))
}

pub async fn put(
    State(state): State<AppState>,
    Technician(caller, _): Technician,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, AppError> {
    if body.len() > blob::MAX_CHUNK {
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!(
                "a chunk of {} bytes; at most {} KiB are accepted at once",
                body.len(),
                blob::MAX_CHUNK / 1024
            ),
        ));
    }
    let offset = number(&headers, blob::OFFSET)?;
    let total = number(&headers, blob::TOTAL)?;
    let blobs = state.blobs.clone();
    let by = Uploader(caller.user.id.0);
    let held = tokio::task::spawn_blocking(move || blobs.write(&sha256, by, offset, total, &body))
        .await??;
    let status = BlobStatus {
        received: held.received,
        complete: held.complete,
    };
    Ok(with_state(held, axum::Json(status).into_response()))
}

pub async fn get(
    State(state): State<AppState>,
    _: Dispatcher,
    Path(sha256): Path<String>,
) -> Result<Response, AppError> {
    let blobs = state.blobs.clone();
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        // Only complete content sits under its hash; uploads in progress are elsewhere.
        match std::fs::read(blobs.path(&sha256)?) {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(AppError::not_found("attachment"))
            }
            Err(e) => Err(AppError::internal(e)),
        }
    })
    .await??;
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream")],
        Body::from(bytes),
    )
        .into_response())
}
