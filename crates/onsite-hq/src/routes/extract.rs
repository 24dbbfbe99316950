//! Extractors whose rejections are the API's `{code, message}` errors instead of axum's text.

use crate::error::AppError;
use axum::extract::{FromRequest, FromRequestParts};

/// A JSON object body. Every request body of the API is an object: an array (which serde
/// would otherwise read into a struct's fields in order) or a bare value is refused.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let json_type = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .is_some_and(|v| {
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !json_type {
            return Err(AppError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                onsite_protocol::ErrorCode::MalformedJson,
                "expected a body with content type application/json",
            ));
        }
        let Body(bytes) = Body::from_request(req, state).await?;
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(AppError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                onsite_protocol::ErrorCode::MalformedJson,
                "the body must be a JSON object",
            ));
        }
        Ok(Json(axum::Json::<T>::from_bytes(&bytes)?.0))
    }
}

/// A raw body, within the body limit.
pub struct Body(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        Ok(Body(axum::body::Bytes::from_request(req, state).await?))
    }
}

/// Query string.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// Path parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

/// The address a request came from, when HQ served it over a socket (requests built
/// in-process have none). HQ terminates TLS itself, so no forwarding header is believed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peer(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}
