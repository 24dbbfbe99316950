//! The OpenAPI 3.1 description of the whole API, served at `GET /api/v1/openapi.json`, so
//! tools nobody here wrote (Schemathesis, client generators) can use and attack it. Bodies
//! are described by the protocol types themselves (`onsite-protocol`'s `openapi` feature);
//! the operations are declared here, one per route, next to nothing else, and a test checks
//! that every route of the router is here and nothing else is.
// The functions below exist only to carry their operation's description.
#![allow(dead_code)]

use onsite_protocol::api::{
    AssignRequest, CancelRequest, ConsoleSession, ConsoleSignIn, Health, JobInput, JobList,
    JobListQuery, JobPatch, JobView, LoginRequest, PullPage, PullQuery, RefreshRequest, Tokens,
};
use onsite_protocol::blob::BlobStatus;
use onsite_protocol::board::{Board, BoardQuery, ScheduleRequest};
use onsite_protocol::conflict::{ConflictQuery, ConflictView, ResolveRequest};
use onsite_protocol::push::{JobOps, JobOpsQuery, PushRequest, PushResponse};
use onsite_protocol::received::{ReceivedOps, ReceivedOpsQuery};
use onsite_protocol::reference::{
    ChecklistList, GuideList, ImportSummary, PartList, ReferenceQuery, WarrantyPolicyList,
};
use onsite_protocol::stock::{StockIssueInput, StockIssued, StockQuery, StockReturned, VanStock};
use onsite_protocol::{ApiError, User};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Onsite HQ API",
        description = "The HTTP API devices and dispatchers use (docs/PROTOCOL.md). Every \
                       error is `{code, message}` with a stable code.",
    ),
    paths(
        health, login, refresh, logout, me, console_sign_in, console_session,
        console_sign_out, board, events, list_jobs, create_job, get_job, update_job,
        job_by_number, assign_job, schedule_job, suggestions, cancel_job, job_ops, pull, push, conflicts, resolve,
        received_ops, blob_head, blob_put, blob_get, parts, checklists, warranty_policies,
        guides, stock, import_parts, import_checklists, import_warranty, import_guides,
        issue_stock, return_stock, letterhead, set_letterhead, labour_prices, set_labour_prices, settings,
        set_settings, job_visit, signed_report, signed_reports,
        parts_requests, fill_parts_request, complaints, create_complaint, complaint,
        update_complaint, complaint_return_visit, inquiries, create_inquiry, inquiry,
        update_inquiry, inquiry_return_visit, follow_ups, call_outcome, feedback_summary, mail_list, mail_letter, mail_letter_pdf,
        mail_resend, letter_template, set_letter_template, users, create_user, update_user,
        reset_password, device_sessions, revoke_sessions, export_jobs, calendar_link,
        renew_calendar, calendar_feed, description
    ),
    modifiers(&Bearer),
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The description as JSON, built once.
pub fn json() -> &'static serde_json::Value {
    static DOC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        describe_rules(&mut doc);
        doc
    })
}

/// Adds what HQ checks beyond the types, from the constants HQ checks against, so the
/// description says exactly what HQ accepts: text patterns and lengths
/// (`job_input::described`), the username's length, the hash in blob paths, and how page
/// sizes are capped.
fn describe_rules(doc: &mut serde_json::Value) {
    use serde_json::json;
    let schemas = &mut doc["components"]["schemas"];
    for field in crate::job_input::described::FIELDS {
        let property = &mut schemas[field.schema]["properties"][field.property];
        property["pattern"] = json!(field.pattern);
        property["maxLength"] = json!(field.max);
    }
    let username = &mut schemas["LoginRequest"]["properties"]["username"];
    username["minLength"] = json!(1);
    username["maxLength"] = json!(crate::auth::MAX_USERNAME_CHARS);
    for schema in ["NewAccount", "PasswordReset"] {
        let password = &mut schemas[schema]["properties"]["password"];
        password["minLength"] = json!(onsite_protocol::admin::MIN_PASSWORD_CHARS);
        password["maxLength"] = json!(onsite_protocol::admin::MAX_PASSWORD_CHARS);
    }
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let cap = if path == "/api/v1/sync/pull" {
            super::MAX_PULL_PAGE
        } else {
            super::MAX_LIST_PAGE
        };
        let Some(operations) = item.as_object_mut() else {
            continue;
        };
        for operation in operations.values_mut() {
            let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(serde_json::Value::as_array_mut)
            else {
                continue;
            };
            for parameter in parameters {
                match parameter["name"].as_str() {
                    // Any count a u32 holds is taken, and answered with at most `cap` items.
                    Some("limit") => {
                        parameter["description"] = json!(format!(
                            "Page size: HQ answers with at most {cap} items (and at least \
                             one), whatever is asked."
                        ));
                        let schema = &mut parameter["schema"];
                        if let Some(schema) = schema.as_object_mut() {
                            schema.remove("format");
                        }
                        schema["minimum"] = json!(0);
                        schema["maximum"] = json!(u32::MAX);
                    }
                    Some("sha256") => {
                        parameter["schema"]["pattern"] = json!("^[0-9a-f]{64}$");
                    }
                    Some("q") if path == "/api/v1/jobs" => {
                        parameter["schema"]["maxLength"] =
                            json!(onsite_protocol::api::MAX_SEARCH_CHARS);
                    }
                    // Versioned lists continue after `name@version` (a version is a u32).
                    Some("after")
                        if path == "/api/v1/checklists" || path == "/api/v1/warranty-policies" =>
                    {
                        parameter["schema"]["pattern"] = json!(r"^(|[\s\S]*@[0-9]{1,9})$");
                    }
                    _ => {}
                }
            }
        }
    }
}

/// `GET /openapi.json`.
pub async fn serve() -> axum::Json<&'static serde_json::Value> {
    axum::Json(json())
}

#[utoipa::path(get, path = "/api/v1/health", tag = "auth",
    responses((status = 200, body = Health), (status = 500, body = ApiError)))]
fn health() {}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = Tokens),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, description = "the account is disabled", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError), (status = 429, body = ApiError),
        (status = 503, body = ApiError)))]
fn login() {}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, body = Tokens),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn refresh() {}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "the session has ended"),
        (status = 401, body = ApiError)))]
fn logout() {}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = ApiError)))]
fn me() {}

#[utoipa::path(get, path = "/api/v1/exports/jobs.csv", tag = "exports",
    security(("bearer" = [])), params(onsite_protocol::admin::ExportQuery),
    responses((status = 200, description = "the jobs whose visit window meets the range, as \
            CSV with a header line", content_type = "text/csv", body = String),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 422, description = "a bad range, or more jobs than one export lists", body = ApiError)))]
fn export_jobs() {}

#[utoipa::path(get, path = "/api/v1/technicians/{name}/calendar", tag = "exports",
    security(("bearer" = [])),
    params(("name" = String, Path, description = "the technician's username")),
    responses((status = 200, body = onsite_protocol::admin::CalendarLink),
        (status = 401, body = ApiError),
        (status = 403, description = "a technician asking for another's", body = ApiError),
        (status = 404, body = ApiError)))]
fn calendar_link() {}

#[utoipa::path(post, path = "/api/v1/technicians/{name}/calendar/renew", tag = "exports",
    security(("bearer" = [])),
    params(("name" = String, Path, description = "the technician's username")),
    responses((status = 200, description = "the new address; the old one no longer works",
            body = onsite_protocol::admin::CalendarLink),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
fn renew_calendar() {}

#[utoipa::path(get, path = "/api/v1/technicians/{name}/calendar.ics", tag = "exports",
    params(("name" = String, Path, description = "the technician's username"),
        onsite_protocol::admin::CalendarQuery),
    responses((status = 200, description = "the technician's visits from 30 days ago to 180 \
            days ahead as iCalendar (RFC 5545)", content_type = "text/calendar", body = String),
        (status = 400, body = ApiError),
        (status = 404, description = "no such technician, or not this address's token", body = ApiError)))]
fn calendar_feed() {}

#[utoipa::path(get, path = "/api/v1/users", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = onsite_protocol::admin::AccountList),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
fn users() {}

#[utoipa::path(post, path = "/api/v1/users", tag = "admin", security(("bearer" = [])),
    request_body = onsite_protocol::admin::NewAccount,
    responses((status = 201, body = onsite_protocol::admin::Account),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 409, description = "the username is taken", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn create_user() {}

#[utoipa::path(patch, path = "/api/v1/users/{username}", tag = "admin",
    security(("bearer" = [])),
    params(("username" = String, Path, description = "the account's login name")),
    request_body = onsite_protocol::admin::AccountPatch,
    responses((status = 200, body = onsite_protocol::admin::Account),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, description = "an admin disabling their own account", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn update_user() {}

#[utoipa::path(post, path = "/api/v1/users/{username}/password", tag = "admin",
    security(("bearer" = [])),
    params(("username" = String, Path, description = "the account's login name")),
    request_body = onsite_protocol::admin::PasswordReset,
    responses((status = 200, description = "the password is replaced and every session of \
            the account has ended", body = onsite_protocol::admin::Ended),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn reset_password() {}

#[utoipa::path(get, path = "/api/v1/sessions", tag = "admin", security(("bearer" = [])),
    params(onsite_protocol::admin::SessionQuery),
    responses((status = 200, body = onsite_protocol::admin::SessionList),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
fn device_sessions() {}

#[utoipa::path(post, path = "/api/v1/sessions/revoke", tag = "admin", security(("bearer" = [])),
    request_body = onsite_protocol::admin::RevokeRequest,
    responses((status = 200, description = "the sessions have ended: their tokens are refused \
            from the next request on", body = onsite_protocol::admin::Ended),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn revoke_sessions() {}

#[utoipa::path(get, path = "/api/v1/board", tag = "dispatch", params(BoardQuery),
    security(("bearer" = [])),
    responses((status = 200, body = Board),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 422, body = ApiError)))]
fn board() {}

#[utoipa::path(get, path = "/api/v1/events", tag = "dispatch", security(("bearer" = [])),
    responses((status = 200, description = "a server-sent event stream (`text/event-stream`): \
            `ready` at once, then `change` whenever a job changes or an op arrives, each with \
            `{jobs, ops}` marks to compare; it ends after five minutes (reconnect)",
            content_type = "text/event-stream", body = String),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 503, body = ApiError)))]
fn events() {}

#[utoipa::path(post, path = "/api/v1/console/sign-in", tag = "console",
    request_body = ConsoleSignIn,
    responses(
        (status = 200, description = "signed in: the session is in the `__Host-onsite` cookie \
            (HttpOnly, Secure, SameSite=Strict); requests that change something send the CSRF \
            token in `X-CSRF-Token`", body = ConsoleSession),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, description = "a technician, a disabled account, or a sign-in from \
            another site", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError), (status = 429, body = ApiError),
        (status = 503, body = ApiError)))]
fn console_sign_in() {}

#[utoipa::path(get, path = "/api/v1/console/session", tag = "console",
    responses((status = 200, body = ConsoleSession),
        (status = 401, description = "no console session, or it ended", body = ApiError),
        (status = 403, description = "a device's token, not a console session", body = ApiError)))]
fn console_session() {}

#[utoipa::path(post, path = "/api/v1/console/sign-out", tag = "console",
    responses((status = 204, description = "signed out; the cookie is removed"),
        (status = 401, body = ApiError),
        (status = 403, description = "without the CSRF token, or with a device's token \
            instead of a console session", body = ApiError)))]
fn console_sign_out() {}

#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs", security(("bearer" = [])),
    params(JobListQuery),
    responses((status = 200, body = JobList), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 422, description = "`to` not after `from`", body = ApiError)))]
fn list_jobs() {}

#[utoipa::path(post, path = "/api/v1/jobs", tag = "jobs", security(("bearer" = [])),
    request_body = JobInput,
    responses((status = 201, body = JobView), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn create_job() {}

#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id")),
    responses((status = 200, body = JobView), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
fn get_job() {}

#[utoipa::path(patch, path = "/api/v1/jobs/{id}", tag = "jobs", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id")), request_body = JobPatch,
    responses((status = 200, body = JobView), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn update_job() {}

#[utoipa::path(get, path = "/api/v1/jobs/by-number/{number}", tag = "jobs",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "the job's number, e.g. J-000123")),
    responses((status = 200, body = JobView), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
fn job_by_number() {}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/assign", tag = "jobs", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id")), request_body = AssignRequest,
    responses((status = 200, body = JobView), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn assign_job() {}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/schedule", tag = "jobs", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id")), request_body = ScheduleRequest,
    responses((status = 200, body = JobView), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "the job is closed, changed since `version`, or the \
            window overlaps another of the technician's (named)", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn schedule_job() {}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/suggestions", tag = "dispatch",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id"),
        onsite_protocol::board::SuggestionQuery),
    responses((status = 200, body = onsite_protocol::board::Suggestions),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError)))]
fn suggestions() {}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/cancel", tag = "jobs", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id")), request_body = CancelRequest,
    responses((status = 200, body = JobView), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn cancel_job() {}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/ops", tag = "jobs", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id"), JobOpsQuery),
    responses((status = 200, body = JobOps), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
fn job_ops() {}

#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", security(("bearer" = [])),
    params(PullQuery),
    responses((status = 200, body = PullPage), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
fn pull() {}

#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])),
    request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn push() {}

#[utoipa::path(get, path = "/api/v1/conflicts", tag = "conflicts", security(("bearer" = [])),
    params(ConflictQuery),
    responses((status = 200, body = Vec<ConflictView>), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
fn conflicts() {}

#[utoipa::path(post, path = "/api/v1/conflicts/{op_id}/resolve", tag = "conflicts",
    security(("bearer" = [])),
    params(("op_id" = uuid::Uuid, Path, description = "the conflicting op's id")),
    request_body = ResolveRequest,
    responses((status = 200, body = ConflictView), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn resolve() {}

#[utoipa::path(get, path = "/api/v1/ops", tag = "conflicts", security(("bearer" = [])),
    params(ReceivedOpsQuery),
    responses((status = 200, body = ReceivedOps), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
fn received_ops() {}

#[utoipa::path(head, path = "/api/v1/blobs/{sha256}", tag = "attachments",
    security(("bearer" = [])),
    params(("sha256" = String, Path, description = "the content's SHA-256, lower-case hex")),
    responses(
        (status = 200, description = "how much HQ holds", headers(
            ("onsite-blob-received" = u64, description = "bytes held, from the start"),
            ("onsite-blob-complete" = bool, description = "the whole content is held"))),
        (status = 400, body = ApiError), (status = 401, body = ApiError)))]
fn blob_head() {}

#[utoipa::path(put, path = "/api/v1/blobs/{sha256}", tag = "attachments",
    security(("bearer" = [])),
    params(("sha256" = String, Path, description = "the content's SHA-256, lower-case hex"),
        ("onsite-blob-offset" = u64, Header, description = "where the chunk starts"),
        ("onsite-blob-total" = u64, Header, description = "the content's whole size")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "at most 512 KiB of the content"),
    responses((status = 200, body = BlobStatus), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 422, body = ApiError)))]
fn blob_put() {}

#[utoipa::path(get, path = "/api/v1/blobs/{sha256}", tag = "attachments",
    security(("bearer" = [])),
    params(("sha256" = String, Path, description = "the content's SHA-256, lower-case hex")),
    responses(
        (status = 200, description = "the content", content_type = "application/octet-stream",
            body = Vec<u8>),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
fn blob_get() {}

#[utoipa::path(get, path = "/api/v1/parts", tag = "reference", security(("bearer" = [])),
    params(ReferenceQuery),
    responses((status = 200, body = PartList), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
fn parts() {}

#[utoipa::path(get, path = "/api/v1/checklists", tag = "reference", security(("bearer" = [])),
    params(ReferenceQuery),
    responses((status = 200, body = ChecklistList), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 422, body = ApiError)))]
fn checklists() {}

#[utoipa::path(get, path = "/api/v1/warranty-policies", tag = "reference",
    security(("bearer" = [])), params(ReferenceQuery),
    responses((status = 200, body = WarrantyPolicyList), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 422, body = ApiError)))]
fn warranty_policies() {}

#[utoipa::path(get, path = "/api/v1/guides", tag = "reference", security(("bearer" = [])),
    params(ReferenceQuery),
    responses((status = 200, body = GuideList), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
fn guides() {}

#[utoipa::path(get, path = "/api/v1/stock", tag = "reference", security(("bearer" = [])),
    params(StockQuery),
    responses((status = 200, body = VanStock), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
fn stock() {}

#[utoipa::path(post, path = "/api/v1/parts/import", tag = "reference", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv",
        description = "a parts catalog, `sku,name,unit_price,serialized,models` (docs/REFERENCE.md)"),
    responses((status = 200, body = ImportSummary), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 413, body = ApiError),
        (status = 422, body = ApiError)))]
fn import_parts() {}

#[utoipa::path(post, path = "/api/v1/checklists/import", tag = "reference",
    security(("bearer" = [])),
    request_body(content = String, content_type = "application/json",
        description = "a JSON array of checklist template versions (docs/REFERENCE.md)"),
    responses((status = 200, body = ImportSummary), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 413, body = ApiError),
        (status = 422, body = ApiError)))]
fn import_checklists() {}

#[utoipa::path(post, path = "/api/v1/warranty-policies/import", tag = "reference",
    security(("bearer" = [])),
    request_body(content = String, content_type = "application/json",
        description = "a JSON array of warranty policy versions (docs/REFERENCE.md)"),
    responses((status = 200, body = ImportSummary), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 413, body = ApiError),
        (status = 422, body = ApiError)))]
fn import_warranty() {}

#[utoipa::path(post, path = "/api/v1/guides/import", tag = "reference", security(("bearer" = [])),
    request_body(content = String, content_type = "application/json",
        description = "a JSON array of guide files, `{\"file\": \"NAME.md\", \"text\": \"...\"}`"),
    responses((status = 200, body = ImportSummary), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 413, body = ApiError),
        (status = 422, body = ApiError)))]
fn import_guides() {}

#[utoipa::path(post, path = "/api/v1/stock/issue", tag = "reference", security(("bearer" = [])),
    request_body = StockIssueInput,
    responses((status = 200, body = StockIssued), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn issue_stock() {}

#[utoipa::path(post, path = "/api/v1/stock/return", tag = "reference", security(("bearer" = [])),
    request_body = StockIssueInput,
    responses((status = 200, body = StockReturned), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn return_stock() {}

#[utoipa::path(get, path = "/api/v1/letterhead", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = onsite_protocol::letterhead::Letterhead),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
fn letterhead() {}

#[utoipa::path(put, path = "/api/v1/letterhead", tag = "reference", security(("bearer" = [])),
    request_body = onsite_protocol::letterhead::Letterhead,
    responses((status = 200, body = onsite_protocol::letterhead::Letterhead),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn set_letterhead() {}

#[utoipa::path(get, path = "/api/v1/labour-prices", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = onsite_protocol::labour::LabourPrices),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
fn labour_prices() {}

#[utoipa::path(put, path = "/api/v1/labour-prices", tag = "reference", security(("bearer" = [])),
    request_body = onsite_protocol::labour::LabourPrices,
    responses((status = 200, body = onsite_protocol::labour::LabourPrices),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn set_labour_prices() {}

#[utoipa::path(get, path = "/api/v1/settings", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = onsite_protocol::settings::Settings),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
fn settings() {}

#[utoipa::path(put, path = "/api/v1/settings", tag = "settings", security(("bearer" = [])),
    request_body = onsite_protocol::settings::Settings,
    responses((status = 200, body = onsite_protocol::settings::Settings),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn set_settings() {}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/visit", tag = "jobs", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id")),
    responses((status = 200, body = onsite_protocol::visit::JobVisit),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
fn job_visit() {}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/report", tag = "jobs", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id")),
    responses(
        (status = 200, description = "the PDF the customer signed last, byte for byte: its \
            SHA-256 is the sign-off's", content_type = "application/pdf", body = Vec<u8>,
            headers(("x-onsite-changed-since-signed" = bool,
                description = "the job changed after it was signed"))),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 404, description = "no such job, or nothing signed yet", body = ApiError)))]
fn signed_report() {}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/reports", tag = "jobs", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the job's id")),
    responses((status = 200, body = onsite_protocol::signoff::SignedReports),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
fn signed_reports() {}

#[utoipa::path(get, path = "/api/v1/complaints", tag = "care", security(("bearer" = [])),
    params(onsite_protocol::cases::CaseQuery),
    responses((status = 200, body = onsite_protocol::cases::CaseList),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError)))]
fn complaints() {}

#[utoipa::path(post, path = "/api/v1/complaints", tag = "care", security(("bearer" = [])),
    request_body = onsite_protocol::cases::CaseInput,
    responses((status = 201, body = onsite_protocol::cases::Case),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn create_complaint() {}

#[utoipa::path(get, path = "/api/v1/complaints/{id}", tag = "care", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the complaint's id")),
    responses((status = 200, body = onsite_protocol::cases::Case),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
fn complaint() {}

#[utoipa::path(patch, path = "/api/v1/complaints/{id}", tag = "care", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the complaint's id")),
    request_body = onsite_protocol::cases::CasePatch,
    responses((status = 200, body = onsite_protocol::cases::Case),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn update_complaint() {}

#[utoipa::path(post, path = "/api/v1/complaints/{id}/return-visit", tag = "care",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the complaint's id")),
    request_body = onsite_protocol::cases::ReturnVisitInput,
    responses((status = 201, body = onsite_protocol::cases::ReturnVisit),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn complaint_return_visit() {}

#[utoipa::path(get, path = "/api/v1/inquiries", tag = "care", security(("bearer" = [])),
    params(onsite_protocol::cases::CaseQuery),
    responses((status = 200, body = onsite_protocol::cases::CaseList),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError)))]
fn inquiries() {}

#[utoipa::path(post, path = "/api/v1/inquiries", tag = "care", security(("bearer" = [])),
    request_body = onsite_protocol::cases::CaseInput,
    responses((status = 201, body = onsite_protocol::cases::Case),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
fn create_inquiry() {}

#[utoipa::path(get, path = "/api/v1/inquiries/{id}", tag = "care", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the inquiry's id")),
    responses((status = 200, body = onsite_protocol::cases::Case),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
fn inquiry() {}

#[utoipa::path(patch, path = "/api/v1/inquiries/{id}", tag = "care", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the inquiry's id")),
    request_body = onsite_protocol::cases::CasePatch,
    responses((status = 200, body = onsite_protocol::cases::Case),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn update_inquiry() {}

#[utoipa::path(post, path = "/api/v1/inquiries/{id}/return-visit", tag = "care",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the inquiry's id")),
    request_body = onsite_protocol::cases::ReturnVisitInput,
    responses((status = 201, body = onsite_protocol::cases::ReturnVisit),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn inquiry_return_visit() {}

#[utoipa::path(get, path = "/api/v1/follow-ups", tag = "care", security(("bearer" = [])),
    params(onsite_protocol::feedback::FollowUpQuery),
    responses((status = 200, body = onsite_protocol::feedback::FollowUpList),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError)))]
fn follow_ups() {}

#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/outcome", tag = "care",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the follow-up call's id")),
    request_body = onsite_protocol::feedback::OutcomeInput,
    responses((status = 200, body = onsite_protocol::feedback::FollowUp),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn call_outcome() {}

#[utoipa::path(get, path = "/api/v1/feedback/summary", tag = "care", security(("bearer" = [])),
    params(onsite_protocol::feedback::FeedbackQuery),
    responses((status = 200, body = onsite_protocol::feedback::FeedbackSummary),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError)))]
fn feedback_summary() {}

#[utoipa::path(get, path = "/api/v1/mail", tag = "care", security(("bearer" = [])),
    params(onsite_protocol::mail::LetterQuery),
    responses((status = 200, body = onsite_protocol::mail::LetterList),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError)))]
fn mail_list() {}

#[utoipa::path(get, path = "/api/v1/mail/{id}", tag = "care", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the letter's id")),
    responses((status = 200, body = onsite_protocol::mail::Letter),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
fn mail_letter() {}

#[utoipa::path(get, path = "/api/v1/mail/{id}/letter.pdf", tag = "care",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the letter's id")),
    responses(
        (status = 200, description = "the letter on the letterhead, for printing",
            content_type = "application/pdf", body = Vec<u8>),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
fn mail_letter_pdf() {}

#[utoipa::path(post, path = "/api/v1/mail/{id}/resend", tag = "care", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "the letter's id")),
    responses((status = 200, body = onsite_protocol::mail::Letter),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
fn mail_resend() {}

#[utoipa::path(get, path = "/api/v1/letter-template", tag = "care", security(("bearer" = [])),
    responses((status = 200, body = onsite_protocol::mail::LetterTemplate),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
fn letter_template() {}

#[utoipa::path(put, path = "/api/v1/letter-template", tag = "care", security(("bearer" = [])),
    request_body = onsite_protocol::mail::LetterTemplate,
    responses((status = 200, body = onsite_protocol::mail::LetterTemplate),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn set_letter_template() {}

#[utoipa::path(get, path = "/api/v1/parts-requests", tag = "jobs", security(("bearer" = [])),
    params(onsite_protocol::visit::PartsRequestQuery),
    responses((status = 200, body = onsite_protocol::visit::PartsRequestList),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError)))]
fn parts_requests() {}

#[utoipa::path(post, path = "/api/v1/parts-requests/{op_id}/fill", tag = "jobs",
    security(("bearer" = [])),
    params(("op_id" = uuid::Uuid, Path, description = "the request's op id")),
    request_body = onsite_protocol::visit::FillInput,
    responses((status = 200, body = onsite_protocol::visit::PartsFill),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
fn fill_parts_request() {}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "auth",
    responses((status = 200, description = "this description")))]
fn description() {}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every (method, path) the router serves, read from the source of `routes::router`, so a
    /// route added there without its description here fails the test.
    fn routed() -> BTreeSet<(String, String)> {
        let source = include_str!("mod.rs");
        let mut found = BTreeSet::new();
        let mut rest = source;
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map(|(i, _)| i)
                .expect("a closed .route( call");
            let call = &rest[..end];
            let path = call.split('"').nth(1).expect("a path literal");
            let handlers = call[call.find(',').expect("handlers") + 1..].trim_start();
            for method in ["get", "post", "put", "patch", "delete", "head"] {
                let call = format!("{method}(");
                if handlers.starts_with(&call) || handlers.contains(&format!(".{call}")) {
                    found.insert((method.to_uppercase(), format!("/api/v1{path}")));
                }
            }
        }
        found
    }

    fn described() -> BTreeSet<(String, String)> {
        let doc = super::json();
        let mut found = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("a path item").keys() {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
        found
    }

    #[test]
    fn every_route_is_described_and_nothing_else() {
        let (routed, described) = (routed(), described());
        assert!(
            routed.len() > 20,
            "the router's source was read: {routed:?}"
        );
        let undescribed: Vec<_> = routed.difference(&described).collect();
        let unrouted: Vec<_> = described.difference(&routed).collect();
        assert!(
            undescribed.is_empty(),
            "routes missing from the description: {undescribed:?}"
        );
        assert!(
            unrouted.is_empty(),
            "described but not routed: {unrouted:?}"
        );
    }

    #[test]
    fn the_description_is_openapi_3_1_with_every_body_schema() {
        let doc = super::json();
        assert!(
            doc["openapi"]
                .as_str()
                .unwrap_or_default()
                .starts_with("3.1"),
            "{}",
            doc["openapi"]
        );
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for name in [
            "Tokens",
            "JobView",
            "PullPage",
            "PushResponse",
            "ApiError",
            "Change",
            "ErrorCode",
        ] {
            assert!(schemas.contains_key(name), "{name} is described");
        }
        // Every reference points at a described schema.
        let text = doc.to_string();
        for reference in text.split("\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap_or_default();
            assert!(
                schemas.contains_key(name),
                "{name} is referenced but not described"
            );
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    }

    #[test]
    fn the_description_carries_hq_rules() {
        let doc = super::json();
        let schemas = &doc["components"]["schemas"];
        for field in crate::job_input::described::FIELDS {
            let property = &schemas[field.schema]["properties"][field.property];
            assert!(
                property.get("type").is_some(),
                "{}.{} is a described property: {property}",
                field.schema,
                field.property
            );
            assert_eq!(property["pattern"], field.pattern);
            assert_eq!(property["maxLength"], field.max);
        }
        assert_eq!(
            schemas["LoginRequest"]["properties"]["username"]["maxLength"],
            crate::auth::MAX_USERNAME_CHARS
        );
        let mut limits = 0;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("a path item") {
                assert!(
                    operation.get("parameters").is_none_or(|p| p.is_array()),
                    "{method} {path}: parameters, when given, are a list"
                );
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    let schema = &parameter["schema"];
                    match parameter["name"].as_str() {
                        Some("limit") => {
                            limits += 1;
                            assert_eq!(schema["maximum"], u32::MAX, "{method} {path}");
                            assert!(schema.get("format").is_none(), "{method} {path}");
                        }
                        Some("sha256") => {
                            assert_eq!(schema["pattern"], "^[0-9a-f]{64}$", "{method} {path}")
                        }
                        _ => {}
                    }
                }
            }
        }
        assert_eq!(limits, 14, "every paged list says how its size is capped");
    }
}
