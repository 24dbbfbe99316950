//! HQ's reference data over the API: dispatchers read it a page at a time; admins import it
//! (the same files, checked the same way, as `onsite-hq parts import` and the like); a
//! dispatcher puts parts into a van.

use super::extract::{Body, Json, Query};
use super::{AppState, list_page};
use crate::auth::{Admin, Dispatcher};
use crate::error::AppError;
use crate::reference::{Checked, Kind};
use crate::storage::StockIssue;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use onsite_protocol::ErrorCode;
use onsite_protocol::reference::{
    ChecklistList, GuideList, ImportSummary, PartList, ReferenceQuery, WarrantyPolicyList,
};
use onsite_protocol::stock::{StockIssueInput, StockIssued, StockQuery, StockReturned, VanStock};

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

/// Checks and stores a reference file sent as the body, all or nothing.
async fn import(state: &AppState, kind: Kind, body: &[u8]) -> Reply<ImportSummary> {
    let text = std::str::from_utf8(body).map_err(|_| {
        AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            "the file is not UTF-8 text; nothing was imported",
        )
    })?;
    let checked = Checked::from_text(kind, text).map_err(|e| {
        AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            format!("{e}; nothing was imported"),
        )
    })?;
    let report = checked.store(state.storage.as_ref()).await?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(axum::Json(ImportSummary {
        entries: count(checked.len()),
        created: count(report.created),
        updated: count(report.updated),
        unchanged: count(report.unchanged),
    }))
}

/// `POST /parts/import`: a parts catalog as CSV (re-import updates by SKU).
pub async fn import_parts(
    State(state): State<AppState>,
    _: Admin,
    Body(body): Body,
) -> Reply<ImportSummary> {
    import(&state, Kind::Parts, &body).await
}

/// `POST /checklists/import`: a JSON array of checklist template versions.
pub async fn import_checklists(
    State(state): State<AppState>,
    _: Admin,
    Body(body): Body,
) -> Reply<ImportSummary> {
    import(&state, Kind::Checklists, &body).await
}

/// `POST /warranty-policies/import`: a JSON array of warranty policy versions.
pub async fn import_warranty(
    State(state): State<AppState>,
    _: Admin,
    Body(body): Body,
) -> Reply<ImportSummary> {
    import(&state, Kind::Warranty, &body).await
}

/// `POST /guides/import`: a JSON array of guide files, `{"file": "NAME.md", "text": "..."}`.
pub async fn import_guides(
    State(state): State<AppState>,
    _: Admin,
    Body(body): Body,
) -> Reply<ImportSummary> {
    import(&state, Kind::Guides, &body).await
}

/// The units a stock body names: exactly one of a count and a list of serials.
fn units(input: &StockIssueInput) -> Result<StockIssue, AppError> {
    match (input.qty, &input.serials) {
        (Some(qty), None) => Ok(StockIssue::Qty(qty)),
        (None, Some(serials)) => Ok(StockIssue::Serials(serials.clone())),
        _ => Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            "give either qty (a part without serials) or serials (a serialized part)",
        )),
    }
}

/// `POST /stock/issue`: parts into a technician's van, filling the requests they cover.
pub async fn issue_stock(
    State(state): State<AppState>,
    Dispatcher(caller): Dispatcher,
    Json(input): Json<StockIssueInput>,
) -> Reply<StockIssued> {
    let issued = state
        .storage
        .issue_stock(
            input.technician.trim(),
            input.sku.trim(),
            &units(&input)?,
            &caller.user.display_name,
            Utc::now(),
        )
        .await?;
    Ok(axum::Json(issued))
}

/// `POST /stock/return`: parts back from a technician's van to HQ (no more than it holds).
pub async fn return_stock(
    State(state): State<AppState>,
    Dispatcher(caller): Dispatcher,
    Json(input): Json<StockIssueInput>,
) -> Reply<StockReturned> {
    let returned = state
        .storage
        .return_stock(
            input.technician.trim(),
            input.sku.trim(),
            &units(&input)?,
            &caller.user.display_name,
            Utc::now(),
        )
        .await?;
    Ok(axum::Json(returned))
}

/// `GET /letterhead`: the organisation's letterhead; `404` until one is set.
pub async fn letterhead(
    State(state): State<AppState>,
    _: Dispatcher,
) -> Reply<onsite_protocol::letterhead::Letterhead> {
    match state.storage.letterhead().await? {
        Some(l) => Ok(axum::Json(l)),
        None => Err(AppError::not_found("letterhead")),
    }
}

/// `PUT /letterhead`: sets it; every laptop receives it with its next sync.
pub async fn set_letterhead(
    State(state): State<AppState>,
    _: Admin,
    Json(letterhead): Json<onsite_protocol::letterhead::Letterhead>,
) -> Reply<onsite_protocol::letterhead::Letterhead> {
    state.storage.set_letterhead(&letterhead).await?;
    Ok(axum::Json(letterhead))
}

/// `GET /labour-prices`: the labour price list; `404` until one is set.
pub async fn labour(
    State(state): State<AppState>,
    _: Dispatcher,
) -> Reply<onsite_protocol::labour::LabourPrices> {
    match state.storage.labour().await? {
        Some(p) => Ok(axum::Json(p)),
        None => Err(AppError::not_found("labour price list")),
    }
}

/// `PUT /labour-prices`: sets it; every laptop prices chargeable work with it from its next
/// sync.
pub async fn set_labour(
    State(state): State<AppState>,
    _: Admin,
    Json(prices): Json<onsite_protocol::labour::LabourPrices>,
) -> Reply<onsite_protocol::labour::LabourPrices> {
    state.storage.set_labour(&prices).await?;
    Ok(axum::Json(prices))
}
