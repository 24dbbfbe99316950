//! The console's browser session on the wire: the cookie that carries it, the CSRF token that
//! goes with it, and the same-origin rule for requests that change something.
//!
//! The cookie is `__Host-` prefixed, HttpOnly, Secure and SameSite=Strict: scripts cannot read
//! it, it never leaves HTTPS, and other sites' pages cannot make the browser send it. Defence
//! in depth for what SameSite leaves open (old browsers, same-site subdomains): every request
//! that changes something must also carry the CSRF token in `X-CSRF-Token` — an HMAC of the
//! cookie under HQ's token key, which only a page that read HQ's answer knows — and must not
//! come from another origin by its `Origin` or `Sec-Fetch-Site` headers.

use axum::http::{HeaderMap, Method, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;

/// The cookie's name. The `__Host-` prefix makes browsers refuse it unless it is Secure, has
/// `Path=/` and no `Domain`, so no other host can plant or shadow it.
pub const COOKIE: &str = "__Host-onsite";
/// The header a request that changes something carries the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The header that marks a request the page made by itself (a live board fetching again), which
/// does not keep the session from idling out.
pub const BACKGROUND_HEADER: &str = "x-onsite-background";

/// The `Set-Cookie` value that stores `secret` in the browser for `max_age_seconds`.
pub fn set_cookie(secret: &str, max_age_seconds: i64) -> String {
    format!(
        "{COOKIE}={secret}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}"
    )
}

/// The `Set-Cookie` value that removes the cookie.
pub fn clear_cookie() -> String {
    set_cookie("", 0)
}

/// The console cookie's value among the request's `Cookie` headers, if any.
pub fn secret(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// The CSRF token that goes with the cookie `secret`.
pub fn csrf_token(key: &[u8; 32], secret: &str) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let mut ctx = ring::hmac::Context::with_key(&key);
    ctx.update(b"onsite console csrf\0");
    ctx.update(secret.as_bytes());
    URL_SAFE_NO_PAD.encode(ctx.sign().as_ref())
}

/// Whether `method` can change something (and so needs the CSRF token).
pub fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Why a browser request was refused as a possible forgery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Forgery {
    /// `Sec-Fetch-Site` says another site made the request.
    #[error("the request came from another site")]
    CrossSite,
    /// `Origin` names another origin than HQ's.
    #[error("the request came from another origin")]
    OtherOrigin,
    /// No `X-CSRF-Token`, or not the session's.
    #[error("the request lacks this session's CSRF token; reload the console")]
    Token,
}

/// The host (and port) the request was sent to: its `Host` header, or the authority of its
/// address (HTTP/2 sends no `Host`).
pub fn host<'a>(headers: &'a HeaderMap, uri: &'a axum::http::Uri) -> Option<&'a str> {
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()))
}

/// Refuses a request whose `Origin` or `Sec-Fetch-Site` headers say it came from another
/// origin than HQ's own, `https://{host}`; requests without them (older browsers, tools) pass.
///
/// # Errors
/// [`Forgery::CrossSite`] or [`Forgery::OtherOrigin`].
pub fn same_origin(headers: &HeaderMap, host: Option<&str>) -> Result<(), Forgery> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site"))
        && site != "same-origin"
    {
        return Err(Forgery::CrossSite);
    }
    if let Some(origin) = text(header::ORIGIN) {
        let host = host.ok_or(Forgery::OtherOrigin)?;
        if !origin.eq_ignore_ascii_case(&format!("https://{host}")) {
            return Err(Forgery::OtherOrigin);
        }
    }
    Ok(())
}

/// Refuses a request that changes something unless it is same-origin and carries `expected`
/// in `X-CSRF-Token` (compared in constant time).
///
/// # Errors
/// Any [`Forgery`].
pub fn check(
    method: &Method,
    headers: &HeaderMap,
    host: Option<&str>,
    expected: &str,
) -> Result<(), Forgery> {
    if !changes_state(method) {
        return Ok(());
    }
    same_origin(headers, host)?;
    let presented = headers
        .get(CSRF_HEADER)
        .map(|v| v.as_bytes())
        .ok_or(Forgery::Token)?;
    if bool::from(presented.ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(Forgery::Token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    type Pairs<'a> = &'a [(&'static str, &'static str)];

    fn headers(pairs: Pairs<'_>) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let cases: &[(Pairs<'_>, Option<&str>)] = &[
            (&[], None),
            (
                &[("cookie", "a=1; __Host-onsite=s3cret; b=2")],
                Some("s3cret"),
            ),
            (
                &[("cookie", "a=1"), ("cookie", "__Host-onsite=x")],
                Some("x"),
            ),
            (&[("cookie", "onsite=forged")], None),
            (&[("cookie", "__Host-onsite=")], None),
            (&[("cookie", "__host-onsite=lower")], None),
        ];
        for (pairs, expected) in cases {
            assert_eq!(secret(&headers(pairs)), *expected, "{pairs:?}");
        }
    }

    #[test]
    fn only_same_origin_requests_with_the_token_change_anything() {
        let token = "tok";
        let post = Method::POST;
        let cases: &[(&Method, Pairs<'_>, Result<(), Forgery>)] = &[
            (&Method::GET, &[], Ok(())),
            (&Method::GET, &[("sec-fetch-site", "cross-site")], Ok(())),
            (&post, &[("x-csrf-token", "tok")], Ok(())),
            (&post, &[], Err(Forgery::Token)),
            (&post, &[("x-csrf-token", "tok2")], Err(Forgery::Token)),
            (&post, &[("x-csrf-token", "to")], Err(Forgery::Token)),
            (
                &post,
                &[("x-csrf-token", "tok"), ("sec-fetch-site", "same-origin")],
                Ok(()),
            ),
            (
                &post,
                &[("x-csrf-token", "tok"), ("sec-fetch-site", "same-site")],
                Err(Forgery::CrossSite),
            ),
            (
                &post,
                &[
                    ("x-csrf-token", "tok"),
                    ("host", "hq:8443"),
                    ("origin", "https://hq:8443"),
                ],
                Ok(()),
            ),
            (
                &post,
                &[
                    ("x-csrf-token", "tok"),
                    ("host", "hq:8443"),
                    ("origin", "https://evil:8443"),
                ],
                Err(Forgery::OtherOrigin),
            ),
            (
                &post,
                &[
                    ("x-csrf-token", "tok"),
                    ("host", "hq:8443"),
                    ("origin", "http://hq:8443"),
                ],
                Err(Forgery::OtherOrigin),
            ),
            (
                &post,
                &[("x-csrf-token", "tok"), ("origin", "https://hq")],
                Err(Forgery::OtherOrigin),
            ),
            (&Method::DELETE, &[], Err(Forgery::Token)),
            (&Method::PATCH, &[("x-csrf-token", "tok")], Ok(())),
        ];
        for (method, pairs, expected) in cases {
            let headers = headers(pairs);
            let host = headers.get("host").and_then(|v| v.to_str().ok());
            assert_eq!(
                check(method, &headers, host, token),
                *expected,
                "{method} {pairs:?}"
            );
        }
    }

    #[test]
    fn the_csrf_token_depends_on_the_cookie_and_the_key() {
        let a = csrf_token(&[1; 32], "one");
        assert_eq!(a, csrf_token(&[1; 32], "one"));
        assert_ne!(a, csrf_token(&[1; 32], "two"));
        assert_ne!(a, csrf_token(&[2; 32], "one"));
        assert!(!a.contains("one"));
    }

    #[test]
    fn the_cookie_is_host_only_and_hidden_from_scripts() {
        let set = set_cookie("abc", 60);
        for part in [
            "__Host-onsite=abc",
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=60",
        ] {
            assert!(set.contains(part), "{set}");
        }
        assert!(!set.contains("Domain"));
        assert!(clear_cookie().contains("Max-Age=0"));
    }
}
