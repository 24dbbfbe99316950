//! The technician's pull: pages of changes to their own jobs since a cursor.

use super::cursor;
use super::extract::Query;
use super::{AppState, MAX_PULL_PAGE};
use crate::auth::Technician;
use crate::error::AppError;
use axum::extract::State;
use onsite_protocol::api::{PullPage, PullQuery};

#[tracing::instrument(name = "pull", skip_all, fields(user = %caller.user.username, device = %device_id))]
pub async fn pull(
    State(state): State<AppState>,
    Technician(caller, device_id): Technician,
    Query(q): Query<PullQuery>,
) -> Result<axum::Json<PullPage>, AppError> {
    let limit = q.limit.unwrap_or(MAX_PULL_PAGE).clamp(1, MAX_PULL_PAGE);
    let given = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(
            cursor::decode(c)
                .ok_or_else(|| AppError::bad_request("invalid cursor; sync from the start"))?,
        ),
    };
    // A cursor from another database (HQ restored or recreated) cannot be trusted: start over
    // and tell the device to drop what it holds.
    let reset = given
        .as_ref()
        .is_some_and(|c| c.feed.instance != state.storage.instance_id());
    let given = given.filter(|_| !reset);
    let after = given.as_ref().map(|c| c.feed.seq);
    let known = given
        .as_ref()
        .and_then(|c| c.feed.mark)
        .filter(|_| q.ops_since == Some(true));
    let technician = caller.user.username;
    let (mut page, feed) = state.storage.pull(&technician, after, known, limit).await?;
    let mut reference = given.and_then(|c| c.reference);
    // The reference data comes with the last page, chosen for the jobs the device then holds,
    // to devices that keep it (one that starts to gets everything the first time).
    if !page.more && q.reference == Some(true) {
        let (update, reached) = state
            .storage
            .reference_update(&technician, reference.as_ref())
            .await?;
        page.reference = update;
        reference = Some(reached);
    }
    page.reset = reset;
    page.cursor = cursor::encode(&cursor::Cursor { feed, reference });
    tracing::info!(
        jobs = page.jobs.len(),
        removed = page.removed.len(),
        ops = page.ops.len(),
        more = page.more,
        reference = page.reference.is_some(),
        reset,
        "pull page"
    );
    Ok(axum::Json(page))
}
