//! The dispatcher console's page and its assets, outside `/api/v1`, embedded at build time
//! (see `build.rs`). Every answer carries a strict Content-Security-Policy: scripts, styles and
//! connections from HQ itself only, nothing inline, no framing.

use super::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

mod built {
    include!(concat!(env!("OUT_DIR"), "/console_files.rs"));
}

/// The console's policy. `img-src` admits `data:` and `blob:` for photos and signatures shown
/// from memory; `connect-src 'self'` covers the API and its event stream.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Served at `/` when HQ was built without the console (no Node at build time).
const NOT_BUILT: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
    <title>Onsite HQ</title></head><body><h1>Onsite HQ</h1>\
    <p>The dispatcher console was not built into this HQ. Build it with \
    <code>npm --prefix ui ci &amp;&amp; npm --prefix ui run build</code> and rebuild HQ \
    (<code>./scripts/demo</code> and <code>./scripts/test</code> do both). \
    The API is at <code>/api/v1</code>.</p></body></html>\n";

/// Whether this HQ carries the built console.
pub fn console_built() -> bool {
    built::FILES.iter().any(|(path, _, _)| *path == "/")
}

/// The page at `/` and its assets under `/assets/`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/assets/{*file}", get(asset))
}

async fn index() -> Response {
    match find("/") {
        Some((content_type, bytes)) => serve(content_type, bytes, "no-cache"),
        None => serve("text/html; charset=utf-8", NOT_BUILT.as_bytes(), "no-cache"),
    }
}

async fn asset(Path(file): Path<String>) -> Response {
    match find(&format!("/assets/{file}")) {
        // Asset names carry a hash of their content: a name never changes meaning.
        Some((content_type, bytes)) => {
            serve(content_type, bytes, "public, max-age=31536000, immutable")
        }
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

fn find(path: &str) -> Option<(&'static str, &'static [u8])> {
    built::FILES
        .iter()
        .find(|(served, _, _)| *served == path)
        .map(|(_, content_type, bytes)| (*content_type, *bytes))
}

fn serve(content_type: &'static str, bytes: &'static [u8], cache: &'static str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, cache),
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}
