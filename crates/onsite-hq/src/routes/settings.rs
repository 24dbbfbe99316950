//! HQ's settings over the API: dispatchers read them, admins set them.

use super::AppState;
use super::extract::Json;
use crate::auth::{Admin, Dispatcher};
use crate::error::AppError;
use axum::extract::State;
use onsite_protocol::settings::Settings;

/// `GET /settings`: every setting, at its default when never set.
pub async fn get(
    State(state): State<AppState>,
    _: Dispatcher,
) -> Result<axum::Json<Settings>, AppError> {
    Ok(axum::Json(state.storage.settings().await?))
}

/// `PUT /settings`: sets every setting (all fields required, so nothing is changed by
/// omission).
pub async fn set(
    State(state): State<AppState>,
    _: Admin,
    Json(settings): Json<Settings>,
) -> Result<axum::Json<Settings>, AppError> {
    state.storage.set_settings(&settings).await?;
    Ok(axum::Json(settings))
}
