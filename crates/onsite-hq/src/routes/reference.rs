//! Dispatcher endpoints reading HQ's reference data, a page at a time.

use super::extract::Query;
use super::{AppState, list_page};
use crate::auth::Dispatcher;
use crate::error::AppError;
use axum::extract::State;
use onsite_protocol::reference::{
    ChecklistList, GuideList, PartList, ReferenceQuery, WarrantyPolicyList,
};
use onsite_protocol::stock::{StockQuery, VanStock};

type Reply<T> = Result<axum::Json<T>, AppError>;

fn limit(q: &ReferenceQuery) -> u32 {
    list_page(q.limit)
}

/// Where the page starts: an empty `after` is the start, like none.
fn after(q: &ReferenceQuery) -> Option<&str> {
    q.after.as_deref().filter(|a| !a.is_empty())
}

pub async fn parts(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<ReferenceQuery>,
) -> Reply<PartList> {
    let page = state.storage.parts(after(&q), limit(&q)).await?;
    Ok(axum::Json(page))
}

pub async fn checklists(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<ReferenceQuery>,
) -> Reply<ChecklistList> {
    let page = state.storage.checklists(after(&q), limit(&q)).await?;
    Ok(axum::Json(page))
}

pub async fn warranty_policies(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<ReferenceQuery>,
) -> Reply<WarrantyPolicyList> {
    let page = state
        .storage
        .warranty_policies(after(&q), limit(&q))
        .await?;
    Ok(axum::Json(page))
}

pub async fn guides(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<ReferenceQuery>,
) -> Reply<GuideList> {
    let page = state.storage.guides(after(&q), limit(&q)).await?;
    Ok(axum::Json(page))
}

/// `GET /stock?technician=NAME`: a van's balances and its ledger, newest first.
pub async fn stock(
    State(state): State<AppState>,
    _: Dispatcher,
    Query(q): Query<StockQuery>,
) -> Reply<VanStock> {
    let limit = list_page(q.limit);
    let van = state
        .storage
        .van_stock(q.technician.trim(), q.before, limit)
        .await?;
    Ok(axum::Json(van))
}
