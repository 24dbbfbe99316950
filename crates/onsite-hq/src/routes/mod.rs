//! The HTTP API under `/api/v1` and the dispatcher console's page at `/`: `router(state)`
//! builds them without binding a socket, so tests drive them with `oneshot` and the server
//! binds them to TLS.

mod admin;
mod auth;
mod blobs;
mod care;
mod console;
pub(crate) mod cursor;
mod events;
mod exports;
mod extract;
mod jobs;
mod mail;
pub mod openapi;
pub mod page;
mod push;
mod reference;
mod settings;
mod sync;
#[cfg(test)]
mod tests;
mod visit;

use crate::blobs::BlobStore;
use crate::error::AppError;
use crate::password::Checker;
use crate::storage::Storage;
use crate::throttle::Throttle;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, head, patch, post};
use onsite_protocol::{API_PREFIX, ErrorCode};
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted by any endpoint (after decompression).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Largest page a pull returns.
pub const MAX_PULL_PAGE: u32 = 1000;
/// Largest page of the dispatcher lists.
pub const MAX_LIST_PAGE: u32 = 500;

/// A `Content-Disposition` naming a download `{prefix}-{number}.pdf`, the job number kept to
/// characters every file system and header allows.
pub fn pdf_download(prefix: &str, number: &str) -> String {
    format!(
        "attachment; filename=\"{prefix}-{}.pdf\"",
        crate::storage::file_safe(number)
    )
}

/// The page size a dispatcher list answers with when `asked` (any count is taken: at least
/// one, at most [`MAX_LIST_PAGE`]).
pub fn list_page(asked: Option<u32>) -> u32 {
    asked.unwrap_or(MAX_LIST_PAGE).clamp(1, MAX_LIST_PAGE)
}
/// Longest a request may take, body included: a body sent a byte at a time cannot hold a
/// connection (and its slot) for ever. A 512 KiB chunk at 8 KB/s still fits.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Longest request address (path and query) read; longer ones are answered `414`.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// How much of a body declared over [`MAX_BODY_BYTES`] HQ reads (and drops) before answering
/// `413`, so a client that sends before it listens still gets the answer rather than a reset.
const MAX_DRAIN_BYTES: u64 = 8 * 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// Where everything is stored.
    pub storage: Arc<dyn Storage>,
    /// Attachment content.
    pub blobs: Arc<BlobStore>,
    /// Failed-login counter.
    pub throttle: Arc<Throttle>,
    /// Checks login passwords, a bounded number at a time.
    pub passwords: Arc<Checker>,
    /// Room for live consoles' event streams (`GET /events`).
    pub event_streams: Arc<tokio::sync::Semaphore>,
    /// The change mark every event stream of this process listens to.
    pub marks: Arc<events::MarkWatch>,
}

impl AppState {
    /// State over `storage` and `blobs` with a fresh throttle, checking as many passwords at
    /// once as the machine has cores (up to [`crate::password::MAX_CONCURRENT_CHECKS`]).
    pub fn new(storage: Arc<dyn Storage>, blobs: Arc<BlobStore>) -> Self {
        Self {
            storage,
            blobs,
            throttle: Arc::default(),
            passwords: Arc::new(Checker::for_this_machine()),
            event_streams: Arc::new(tokio::sync::Semaphore::new(events::MAX_STREAMS)),
            marks: Arc::default(),
        }
    }
}

/// Builds the whole API.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(auth::health))
        .route("/openapi.json", get(openapi::serve))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/users", get(admin::users).post(admin::create_user))
        .route("/users/{username}", patch(admin::update_user))
        .route("/users/{username}/password", post(admin::reset_password))
        .route("/sessions", get(admin::sessions))
        .route("/sessions/revoke", post(admin::revoke))
        .route("/console/sign-in", post(console::sign_in))
        .route("/console/session", get(console::session))
        .route("/console/sign-out", post(console::sign_out))
        .route("/jobs", get(jobs::list).post(jobs::create))
        .route("/board", get(jobs::board))
        .route("/events", get(events::events))
        .route("/jobs/{id}", get(jobs::get).patch(jobs::update))
        .route("/jobs/by-number/{number}", get(jobs::by_number))
        .route("/jobs/{id}/assign", post(jobs::assign))
        .route("/jobs/{id}/schedule", post(jobs::schedule))
        .route("/jobs/{id}/suggestions", get(jobs::suggestions))
        .route("/exports/jobs.csv", get(exports::jobs))
        .route("/technicians/{name}/calendar", get(exports::calendar_link))
        .route(
            "/technicians/{name}/calendar/renew",
            post(exports::renew_calendar),
        )
        .route(
            "/technicians/{name}/calendar.ics",
            get(exports::calendar_feed),
        )
        .route("/jobs/{id}/cancel", post(jobs::cancel))
        .route("/jobs/{id}/ops", get(push::job_ops))
        .route("/sync/pull", get(sync::pull))
        .route("/sync/push", post(push::push))
        .route("/conflicts", get(push::conflicts))
        .route("/conflicts/{op_id}/resolve", post(push::resolve))
        .route("/ops", get(push::received))
        .route("/parts", get(reference::parts))
        .route("/parts/import", post(reference::import_parts))
        .route("/checklists", get(reference::checklists))
        .route("/checklists/import", post(reference::import_checklists))
        .route("/warranty-policies", get(reference::warranty_policies))
        .route(
            "/warranty-policies/import",
            post(reference::import_warranty),
        )
        .route("/guides", get(reference::guides))
        .route("/guides/import", post(reference::import_guides))
        .route("/stock", get(reference::stock))
        .route("/stock/issue", post(reference::issue_stock))
        .route("/stock/return", post(reference::return_stock))
        .route(
            "/letterhead",
            get(reference::letterhead).put(reference::set_letterhead),
        )
        .route(
            "/labour-prices",
            get(reference::labour).put(reference::set_labour),
        )
        .route("/settings", get(settings::get).put(settings::set))
        .route("/jobs/{id}/visit", get(visit::job_visit))
        .route("/jobs/{id}/report", get(visit::signed_report))
        .route(
            "/complaints",
            get(care::complaints).post(care::create_complaint),
        )
        .route(
            "/complaints/{id}",
            get(care::complaint).patch(care::update_complaint),
        )
        .route(
            "/complaints/{id}/return-visit",
            post(care::complaint_return_visit),
        )
        .route(
            "/inquiries",
            get(care::inquiries).post(care::create_inquiry),
        )
        .route(
            "/inquiries/{id}",
            get(care::inquiry).patch(care::update_inquiry),
        )
        .route(
            "/inquiries/{id}/return-visit",
            post(care::inquiry_return_visit),
        )
        .route("/follow-ups", get(care::follow_ups))
        .route("/follow-ups/{id}/outcome", post(care::call_outcome))
        .route("/feedback/summary", get(care::feedback_summary))
        .route("/mail", get(mail::letters))
        .route("/mail/{id}", get(mail::letter))
        .route("/mail/{id}/letter.pdf", get(mail::letter_pdf))
        .route("/mail/{id}/resend", post(mail::resend))
        .route(
            "/letter-template",
            get(mail::template).put(mail::set_template),
        )
        .route("/jobs/{id}/reports", get(visit::signed_reports))
        .route("/parts-requests", get(visit::parts_requests))
        .route("/parts-requests/{op_id}/fill", post(visit::fill))
        .route(
            "/blobs/{sha256}",
            head(blobs::head).put(blobs::put).get(blobs::get),
        );
    Router::new()
        .nest(API_PREFIX, api)
        .merge(page::routes())
        .fallback(|| async { AppError::not_found("route") })
        .method_not_allowed_fallback(|| async {
            AppError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::MethodNotAllowed,
                "method not allowed on this route",
            )
        })
        .with_state(state)
        .layer(axum::middleware::from_fn(within_time))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new())
        .layer(axum::middleware::from_fn(readable))
        // Fastest gzip: JSON still shrinks several times, at a fraction of the CPU of the default.
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(AppError::internal("handler panicked"))
        }))
        // One span per request, at the level HQ logs by default, so an error logged while
        // answering (a 5xx's cause) says which request it was.
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                tracing::info_span!(
                    target: "onsite_hq::http",
                    "request",
                    method = %req.method(),
                    path = %req.uri().path()
                )
            }),
        )
}

/// Refuses, with the API's `{code, message}`, what HQ will not read: an address over
/// [`MAX_URI_BYTES`] (`414`), a body compressed other than with gzip (`415`), a body declared
/// over [`MAX_BODY_BYTES`] (`413`, after reading and dropping up to [`MAX_DRAIN_BYTES`] of it).
async fn readable(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let uri = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri > MAX_URI_BYTES {
        return AppError::new(
            StatusCode::URI_TOO_LONG,
            ErrorCode::UriTooLong,
            format!("the address is {uri} bytes; HQ reads at most {MAX_URI_BYTES}"),
        )
        .into_response();
    }
    let encoding = req
        .headers()
        .get(axum::http::header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap_or("?").trim().to_ascii_lowercase());
    if let Some(encoding) = encoding.filter(|e| !matches!(e.as_str(), "gzip" | "identity" | "")) {
        return AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedEncoding,
            format!("bodies compressed as {encoding:?} are not read; send gzip or uncompressed"),
        )
        .into_response();
    }
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(declared) = declared.filter(|n| *n > MAX_BODY_BYTES as u64) {
        let mut body = req.into_body();
        // Within the request's time limit, so a body sent a byte at a time holds nothing long.
        let _ = tokio::time::timeout(REQUEST_TIMEOUT, async {
            let mut drained = 0u64;
            while drained < declared.min(MAX_DRAIN_BYTES) {
                match http_body_util::BodyExt::frame(&mut body).await {
                    Some(Ok(frame)) => {
                        drained += frame.data_ref().map_or(0, |d| d.len() as u64);
                    }
                    _ => break,
                }
            }
        })
        .await;
        return AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!("the body has {declared} bytes; HQ accepts at most {MAX_BODY_BYTES}"),
        )
        .into_response();
    }
    next.run(req).await
}

/// Answers `408 timeout` when a request takes longer than [`REQUEST_TIMEOUT`]. Work already
/// handed to storage finishes and commits; an op pushed again answers `duplicate`.
async fn within_time(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(response) => response,
        Err(_) => axum::response::IntoResponse::into_response(AppError::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::Timeout,
            format!(
                "the request took longer than {} seconds",
                REQUEST_TIMEOUT.as_secs()
            ),
        )),
    }
}
