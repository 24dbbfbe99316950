//! The HQ client: HTTPS (rustls) with certificate pinning, JSON, gzip, and HQ's
//! `{code, message}` errors turned into [`CoreError`]s.

pub mod tls;

use crate::error::{CoreError, Result};
use crate::fingerprint::Fingerprint;
use onsite_protocol::api::{Health, LoginRequest, PullPage, PullQuery, RefreshRequest, Tokens};
use onsite_protocol::blob::{self, BlobStatus};
use onsite_protocol::push::{PushRequest, PushResponse};
use onsite_protocol::{API_PREFIX, ApiError, DeviceId, ErrorCode};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;
pub use tls::Presented;

/// How long to wait for HQ to accept a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one request may take in all.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How long an unused connection to HQ is kept for the next request: shorter than HQ's idle
/// timeout (30 s), so the device never sends on a connection HQ is closing.
pub const POOL_IDLE: Duration = Duration::from_secs(20);

/// Talks to one HQ.
#[derive(Clone, Debug)]
pub struct HqClient {
    base: String,
    pin: Option<Fingerprint>,
    presented: Presented,
    http: reqwest::Client,
}

/// Checks and normalises an HQ address: `https://host[:port]`, no trailing slash.
///
/// # Errors
/// [`CoreError::InvalidInput`] for anything else.
pub fn normalise_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| CoreError::InvalidInput(format!("HQ address {url:?} is not a URL: {e}")))?;
    if parsed.scheme() != "https" {
        return Err(CoreError::InvalidInput(format!(
            "HQ address must start with https:// (got {url:?})"
        )));
    }
    if parsed.host().is_none() || parsed.path() != "/" || parsed.query().is_some() {
        return Err(CoreError::InvalidInput(format!(
            "HQ address must be just https://host:port (got {url:?})"
        )));
    }
    Ok(url.to_string())
}

/// What a first contact with HQ showed: the certificate to confirm before logging in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HqProbe {
    /// HQ's address, normalised.
    pub url: String,
    /// Fingerprint of the certificate HQ presented (`sha256:…`).
    pub fingerprint: String,
    /// True when the operating system already trusts the certificate (a CA-issued one), so no
    /// fingerprint needs confirming.
    pub trusted: bool,
    /// HQ's version, as it reported it over the connection pinned to `fingerprint`.
    pub version: String,
    /// The fingerprint the technician confirmed for this address before, if any: when it is
    /// `fingerprint`, there is nothing to confirm again; when it differs, HQ's certificate
    /// changed since.
    pub confirmed: Option<String>,
}

/// Connects to HQ at `url` without trusting it yet, to show the technician which certificate
/// it presents. The certificate is then pinned for one `GET /health`, which proves the address
/// is an Onsite HQ.
///
/// # Errors
/// [`CoreError::InvalidInput`] for a bad address, [`CoreError::HqUnreachable`], or
/// [`CoreError::Protocol`] when the server answers but is not an Onsite HQ.
pub async fn probe(url: &str) -> Result<HqProbe> {
    let open = HqClient::new(url, None)?;
    let (trusted, health) = match open.health().await {
        Ok(h) => (true, Some(h)),
        Err(CoreError::UntrustedCertificate { reason }) => {
            // Expected for a self-signed HQ: the technician confirms the fingerprint instead.
            tracing::debug!(%reason, "HQ's certificate is not in the system trust store");
            (false, None)
        }
        Err(e) => return Err(e),
    };
    let fingerprint = open
        .presented_fingerprint()
        .ok_or_else(|| CoreError::Protocol("HQ presented no certificate".into()))?;
    let health = match health {
        Some(h) => h,
        None => HqClient::new(url, Some(fingerprint))?.health().await?,
    };
    Ok(HqProbe {
        url: open.url().to_string(),
        fingerprint: fingerprint.to_string(),
        trusted,
        version: health.version,
        confirmed: None,
    })
}

impl HqClient {
    /// A client for HQ at `url`, trusting `pin` if given, else the system roots.
    ///
    /// # Errors
    /// [`CoreError::InvalidInput`] for a bad URL.
    pub fn new(url: &str, pin: Option<Fingerprint>) -> Result<Self> {
        let base = normalise_url(url)?;
        let presented = Presented::default();
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls::client_config(pin, presented.clone()))
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .pool_idle_timeout(POOL_IDLE)
            .user_agent(concat!("onsite/", env!("CARGO_PKG_VERSION")))
            .no_proxy()
            .build()
            .map_err(|e| CoreError::InvalidInput(format!("cannot set up HTTPS: {e}")))?;
        Ok(Self {
            base,
            pin,
            presented,
            http,
        })
    }

    /// HQ's address.
    pub fn url(&self) -> &str {
        &self.base
    }

    /// The pinned fingerprint, if any.
    pub fn pin(&self) -> Option<Fingerprint> {
        self.pin
    }

    /// The fingerprint of the certificate HQ presented on the last connection, if any.
    pub fn presented_fingerprint(&self) -> Option<Fingerprint> {
        self.presented.get()
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{API_PREFIX}{path}", self.base))
    }

    /// Sends a request and decodes the JSON answer or HQ's error.
    async fn send<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T> {
        let res = req.send().await.map_err(|e| self.transport_error(&e))?;
        let status = res.status();
        let bytes = res.bytes().await.map_err(|e| self.transport_error(&e))?;
        if status.is_success() {
            // No content (204) reads as JSON null: the unit answer.
            let body: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
            return serde_json::from_slice(body).map_err(|e| CoreError::Protocol(e.to_string()));
        }
        Err(match serde_json::from_slice::<ApiError>(&bytes) {
            Ok(err) => api_error(status, err),
            Err(_) => CoreError::Protocol(format!("HTTP {status} without an error body")),
        })
    }

    fn transport_error(&self, e: &reqwest::Error) -> CoreError {
        let chain = error_chain(e);
        if let (Some(expected), Some(presented)) = (self.pin, self.presented.get())
            && expected != presented
        {
            return CoreError::FingerprintMismatch {
                expected: expected.to_string(),
                presented: presented.to_string(),
            };
        }
        if self.pin.is_none() && chain.contains("certificate") {
            return CoreError::UntrustedCertificate { reason: chain };
        }
        let reason = if e.is_timeout() {
            "timed out".to_string()
        } else {
            root_cause(e)
        };
        CoreError::HqUnreachable {
            url: self.base.clone(),
            reason,
        }
    }

    /// `GET /health`.
    ///
    /// # Errors
    /// As any request: unreachable, certificate, protocol.
    pub async fn health(&self) -> Result<Health> {
        self.send(self.request(Method::GET, "/health")).await
    }

    /// `POST /auth/login`.
    ///
    /// # Errors
    /// [`CoreError::InvalidCredentials`], [`CoreError::RateLimited`], or a transport error.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        device_id: DeviceId,
    ) -> Result<Tokens> {
        let body = LoginRequest {
            username: username.to_string(),
            password: password.to_string(),
            device_id,
        };
        self.send(self.request(Method::POST, "/auth/login").json(&body))
            .await
    }

    /// `POST /auth/refresh`. An invalid refresh token becomes [`CoreError::SessionExpired`].
    ///
    /// # Errors
    /// [`CoreError::SessionExpired`] or a transport error.
    pub async fn refresh(&self, refresh_token: &str, device_id: DeviceId) -> Result<Tokens> {
        let body = RefreshRequest {
            refresh_token: refresh_token.to_string(),
            device_id,
        };
        self.send(self.request(Method::POST, "/auth/refresh").json(&body))
            .await
            .map_err(|e| match e {
                CoreError::InvalidCredentials => CoreError::SessionExpired,
                other => other,
            })
    }

    /// `POST /auth/logout`: ends the session the access token belongs to, at HQ.
    ///
    /// # Errors
    /// [`CoreError::SessionExpired`] when the token is no longer accepted, or a transport error.
    pub async fn logout(&self, access_token: &str) -> Result<()> {
        self.authed(Method::POST, "/auth/logout", access_token, |r| r)
            .await
    }

    /// `GET /sync/pull`.
    ///
    /// # Errors
    /// [`CoreError::SessionExpired`] when the access token is no longer accepted, or a
    /// transport error.
    pub async fn pull(&self, access_token: &str, query: &PullQuery) -> Result<PullPage> {
        self.authed(Method::GET, "/sync/pull", access_token, |r| r.query(query))
            .await
    }

    /// Sends ops to HQ; the answer has one result per op, in order.
    ///
    /// # Errors
    /// As [`HqClient::pull`], plus [`CoreError::Hq`] for a batch HQ refuses as a whole.
    pub async fn push(
        &self,
        access_token: &str,
        ops: Vec<serde_json::Value>,
    ) -> Result<PushResponse> {
        let body = PushRequest { ops };
        self.authed(Method::POST, "/sync/push", access_token, |r| r.json(&body))
            .await
    }

    /// How much of an attachment's content HQ holds.
    ///
    /// # Errors
    /// As [`HqClient::pull`].
    pub async fn blob_state(&self, access_token: &str, sha256: &str) -> Result<BlobStatus> {
        let req = self
            .request(Method::HEAD, &format!("/blobs/{sha256}"))
            .bearer_auth(access_token);
        let res = req.send().await.map_err(|e| self.transport_error(&e))?;
        let status = res.status();
        if status == StatusCode::UNAUTHORIZED {
            return Err(CoreError::SessionExpired);
        }
        if !status.is_success() {
            return Err(CoreError::Hq {
                code: format!("http_{}", status.as_u16()),
                message: format!("HQ answered {status} about attachment {sha256}"),
            });
        }
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .ok_or_else(|| CoreError::Protocol(format!("HQ sent no {name} header")))
        };
        Ok(BlobStatus {
            received: header(blob::RECEIVED)?
                .parse()
                .map_err(|_| CoreError::Protocol(format!("bad {} header", blob::RECEIVED)))?,
            complete: header(blob::COMPLETE)? == "true",
        })
    }

    /// Sends one chunk of an attachment's content, starting at `offset` of `total` bytes.
    ///
    /// # Errors
    /// As [`HqClient::pull`]; [`CoreError::Hq`] with `conflict` when HQ holds less than
    /// `offset` (ask again with [`HqClient::blob_state`]).
    pub async fn blob_put(
        &self,
        access_token: &str,
        sha256: &str,
        offset: u64,
        total: u64,
        chunk: Vec<u8>,
    ) -> Result<BlobStatus> {
        self.authed(
            Method::PUT,
            &format!("/blobs/{sha256}"),
            access_token,
            |r| {
                r.header(blob::OFFSET, offset)
                    .header(blob::TOTAL, total)
                    .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                    .body(chunk)
            },
        )
        .await
    }

    async fn authed<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: &str,
        build: impl FnOnce(RequestBuilder) -> RequestBuilder,
    ) -> Result<T> {
        self.send(build(self.request(method, path).bearer_auth(token)))
            .await
    }

    /// Downloads the content at `path` (a signed report, an attachment) with its response
    /// headers; for support tools and tests, sharing pinning and error handling.
    ///
    /// # Errors
    /// As [`HqClient::pull`].
    pub async fn download(
        &self,
        path: &str,
        token: &str,
    ) -> Result<(reqwest::header::HeaderMap, Vec<u8>)> {
        let req = self.request(Method::GET, path).bearer_auth(token);
        let res = req.send().await.map_err(|e| self.transport_error(&e))?;
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.map_err(|e| self.transport_error(&e))?;
        if status.is_success() {
            return Ok((headers, bytes.to_vec()));
        }
        Err(match serde_json::from_slice::<ApiError>(&bytes) {
            Ok(err) => api_error(status, err),
            Err(_) => CoreError::Protocol(format!("HTTP {status} without an error body")),
        })
    }

    /// Sends any authenticated JSON request; for callers beyond the technician flows (tests,
    /// support tools) so they share pinning and error handling.
    ///
    /// # Errors
    /// As [`HqClient::pull`].
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<&B>,
    ) -> Result<T> {
        self.authed(method, path, token, |r| match body {
            Some(b) => r.json(b),
            None => r,
        })
        .await
    }
}

fn api_error(status: StatusCode, err: ApiError) -> CoreError {
    match err.code {
        ErrorCode::InvalidCredentials => CoreError::InvalidCredentials,
        ErrorCode::Unauthorized | ErrorCode::TokenExpired => CoreError::SessionExpired,
        ErrorCode::RateLimited | ErrorCode::Busy => CoreError::RateLimited(err.message),
        code => {
            tracing::debug!(%status, %code, "HQ refused a request");
            CoreError::Hq {
                code: code.as_str().to_string(),
                message: err.message,
            }
        }
    }
}

/// The innermost cause, e.g. "Connection refused (os error 111)".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// The error and its causes in one line; reqwest's top-level text alone is rarely useful.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_plain_https() {
        assert_eq!(
            normalise_url(" https://hq.example.org:8443/ ").unwrap(),
            "https://hq.example.org:8443"
        );
        for bad in [
            "http://hq:8443",
            "hq:8443",
            "https://hq/api",
            "https://hq?x=1",
            "",
        ] {
            assert!(
                matches!(normalise_url(bad), Err(CoreError::InvalidInput(_))),
                "{bad}"
            );
        }
    }

    #[tokio::test]
    async fn nothing_listening_is_unreachable() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let client = HqClient::new(&format!("https://127.0.0.1:{port}"), None).unwrap();
        let err = client.health().await.unwrap_err();
        assert!(err.is_offline(), "{err:?}");
        assert_eq!(err.code(), "hq_unreachable");
    }
}
