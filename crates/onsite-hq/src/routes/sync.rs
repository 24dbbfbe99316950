//! The technician's pull: pages of changes to their own jobs since a cursor.

use super::cursor;
use super::extract::Query;
use super::{AppState, MAX_PULL_PAGE};
use crate::auth::Technician;
use crate::error::AppError;
use axum::extract::State;
use onsite_protocol::api::{PullPage, PullQuery};

#[tracing::instrument(name = "pull", skip_all, fields(user = %caller.user.username, device = %caller.device_id))]
pub async fn pull(
    State(state): State<AppState>,
    Technician(caller): Technician,
    Query(q): Query<PullQuery>,
) -> Result<axum::Json<PullPage>, AppError> {
    let limit = q.limit.unwrap_or(MAX_PULL_PAGE).clamp(1, MAX_PULL_PAGE);
    let position = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(
            cursor::decode(c)
                .ok_or_else(|| AppError::bad_request("invalid cursor; sync from the start"))?,
        ),
    };
    // A cursor from another database (HQ restored or recreated) cannot be trusted: start over
    // and tell the device to drop what it holds.
    let reset = position
        .as_ref()
        .is_some_and(|p| p.instance != state.storage.instance_id());
    let position = position.filter(|_| !reset);
    let after = position.as_ref().map(|p| p.seq);
    let known = position
        .and_then(|p| p.mark)
        .filter(|_| q.ops_since == Some(true));
    let technician = caller.user.username;
    let (mut page, pos) = state.storage.pull(&technician, after, known, limit).await?;
    page.reset = reset;
    page.cursor = cursor::encode(&pos);
    tracing::info!(
        jobs = page.jobs.len(),
        removed = page.removed.len(),
        ops = page.ops.len(),
        more = page.more,
        reset,
        "pull page"
    );
    Ok(axum::Json(page))
}
