//! Request and response bodies of the HQ API (`/api/v1`).

use crate::hlc::Hlc;
use crate::ids::{DeviceId, JobId};
use crate::model::{Asset, Customer, Job, JobKind, Priority, Site, StatusChange, User};
use crate::push::RecordedOp;
use crate::status::JobStatus;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `GET /health`: HQ is up and its storage answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `"ok"` when HQ answers 200.
    pub status: String,
    /// HQ's software version.
    pub version: String,
    /// HQ's clock, for diagnosing skew.
    pub server_time: DateTime<Utc>,
}

/// `POST /auth/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Account name.
    pub username: String,
    /// Plain password; only ever sent over TLS.
    pub password: String,
    /// The installation logging in; the session is bound to it.
    pub device_id: DeviceId,
}

/// `POST /auth/refresh`: trades a refresh token for a new pair. Refresh tokens rotate: each is
/// good once, and presenting a used one revokes the session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// The most recent refresh token issued to this device.
    pub refresh_token: String,
    /// Must be the device the session was created for.
    pub device_id: DeviceId,
}

/// Answer to login and refresh.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tokens {
    /// Bearer token for API calls; short-lived.
    pub access_token: String,
    /// When the access token stops working.
    pub access_expires_at: DateTime<Utc>,
    /// One-time token to get the next pair.
    pub refresh_token: String,
    /// When the refresh token stops working (the user must log in again).
    pub refresh_expires_at: DateTime<Utc>,
    /// Who is logged in.
    pub user: User,
}

/// `POST /console/sign-in`: a dispatcher or admin signing in to the console in a browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsoleSignIn {
    /// Account name.
    pub username: String,
    /// Plain password; only ever sent over TLS.
    pub password: String,
}

/// A console session as the page sees it: answer to sign-in and `GET /console/session`. The
/// session itself is an HttpOnly cookie the page cannot read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsoleSession {
    /// Who is signed in.
    pub user: User,
    /// Sent back in `X-CSRF-Token` with every request that changes something.
    pub csrf_token: String,
    /// The session ends after this many minutes without a request.
    pub idle_minutes: u32,
    /// The session ends at this moment however busy it is.
    pub expires_at: DateTime<Utc>,
}

/// Query of `GET /sync/pull`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PullQuery {
    /// Opaque cursor from the previous page; absent for a first sync.
    pub cursor: Option<String>,
    /// Page size; HQ caps it.
    pub limit: Option<u32>,
    /// The device merges ops by id: for jobs it already holds, send only the ops recorded or
    /// settled since its cursor (listed in [`PullPage::ops_since`]).
    #[serde(default)]
    pub ops_since: Option<bool>,
    /// The device keeps HQ's reference data: send what changed for it in the last page
    /// ([`PullPage::reference`]). A device that has never asked gets all that applies the first
    /// time it does.
    #[serde(default)]
    pub reference: Option<bool>,
}

/// One page of changes for the calling technician, in HQ commit order.
///
/// Apply the whole page atomically, then store `cursor`; `more` says whether to ask again
/// right away. `customers`, `sites` and `assets` hold what this page's jobs reference.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullPage {
    /// Jobs assigned to the caller, new or changed, as HQ has them now.
    pub jobs: Vec<Job>,
    /// Jobs the caller must no longer hold (reassigned away or deleted).
    pub removed: Vec<JobId>,
    /// Customers referenced by `jobs`.
    pub customers: Vec<Customer>,
    /// Sites referenced by `jobs`.
    pub sites: Vec<Site>,
    /// Assets referenced by `jobs`.
    pub assets: Vec<Asset>,
    /// The whole status history of every job in `jobs`, oldest first per job; it replaces
    /// what the device held for those jobs.
    #[serde(default)]
    pub history: Vec<StatusChange>,
    /// Every op HQ recorded against the jobs in `jobs` (applied ones and conflicts, from any
    /// device), in the order HQ received them; it replaces what the device held for those jobs,
    /// except for the jobs in `ops_since`.
    #[serde(default)]
    pub ops: Vec<RecordedOp>,
    /// Jobs whose `ops` here are only those recorded or settled since the device's cursor
    /// (when it asked with `ops_since`): merge them by op id into what it holds, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ops_since: Vec<JobId>,
    /// The service history of the assets in `assets`: their other jobs, newest first (at most
    /// `visit::MAX_SERVICE_HISTORY` each); it replaces what the device held for those assets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service: Vec<crate::visit::ServiceVisit>,
    /// How HQ filled the parts requests of the jobs in `jobs`; it replaces what the device
    /// held for those jobs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fills: Vec<crate::visit::PartsFill>,
    /// Where the thank-you letters of the jobs in `jobs` stand; it replaces what the device
    /// held for those jobs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub letters: Vec<crate::mail::LetterNotice>,
    /// The reference data that changed for the device, in the last page of a pull (`more`
    /// false) when anything did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<crate::reference::ReferenceUpdate>,
    /// HQ's clock when the page was read; the device observes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub hlc: Option<Hlc>,
    /// Where to continue from; opaque.
    pub cursor: String,
    /// True when the device's cursor came from another HQ database: drop every HQ-owned record
    /// before applying this page, which starts from the beginning.
    pub reset: bool,
    /// True when another page is already waiting.
    pub more: bool,
}

/// A customer as given to import or job creation; matched against existing customers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerInput {
    /// Person or company name. Required.
    pub name: String,
    /// Contact phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Contact email.
    #[serde(default)]
    pub email: Option<String>,
}

/// A site as given to import or job creation; matched by customer and address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteInput {
    /// Street address. Required.
    pub address: String,
    /// Town or city.
    #[serde(default)]
    pub town: Option<String>,
    /// How to get in.
    #[serde(default)]
    pub access_notes: Option<String>,
    /// Latitude in degrees (WGS 84), with `lon`: lets HQ say how far a technician is from
    /// the site when suggesting who should go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, minimum = -90, maximum = 90))]
    pub lat: Option<crate::board::Degrees>,
    /// Longitude in degrees (WGS 84), with `lat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, minimum = -180, maximum = 180))]
    pub lon: Option<crate::board::Degrees>,
}

/// An asset as given to import or job creation; matched by model and serial.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetInput {
    /// Product model. Required when an asset is given.
    pub model: String,
    /// Manufacturer serial number.
    #[serde(default)]
    pub serial: Option<String>,
    /// Date of purchase.
    #[serde(default)]
    pub purchased_on: Option<NaiveDate>,
    /// Date of installation.
    #[serde(default)]
    pub installed_on: Option<NaiveDate>,
    /// Last day of warranty (inclusive).
    #[serde(default)]
    pub warranty_until: Option<NaiveDate>,
}

/// A job as given to `onsite-hq import` (one per JSON line) and to `POST /jobs`.
/// The format is documented in `docs/IMPORT.md`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobInput {
    /// Human number; required by import, generated by HQ when creating without one.
    #[serde(default)]
    pub number: Option<String>,
    /// Kind of work.
    pub kind: JobKind,
    /// One line for lists.
    pub summary: String,
    /// Longer text.
    #[serde(default)]
    pub description: Option<String>,
    /// Defaults to normal.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// Username of the technician to assign.
    #[serde(default)]
    pub technician: Option<String>,
    /// Who the job is for.
    pub customer: CustomerInput,
    /// Where.
    pub site: SiteInput,
    /// The product concerned.
    #[serde(default)]
    pub asset: Option<AssetInput>,
    /// Start of the visit window.
    #[serde(default)]
    pub scheduled_start: Option<DateTime<Utc>>,
    /// End of the visit window.
    #[serde(default)]
    pub scheduled_end: Option<DateTime<Utc>>,
    /// SLA deadline.
    #[serde(default)]
    pub sla_due: Option<DateTime<Utc>>,
}

/// `PATCH /jobs/{id}`: fields a dispatcher changes. Absent fields are left alone; for the
/// optional ones, `null` clears the value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobPatch {
    /// New kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<JobKind>,
    /// New priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// New summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// New description, or `null` to clear.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[cfg_attr(feature = "ts", ts(optional, type = "string | null"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub description: Option<Option<String>>,
    /// New window start, or `null` to clear.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[cfg_attr(feature = "ts", ts(optional, type = "string | null"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<chrono::DateTime<chrono::Utc>>, nullable))]
    pub scheduled_start: Option<Option<DateTime<Utc>>>,
    /// New window end, or `null` to clear.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[cfg_attr(feature = "ts", ts(optional, type = "string | null"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<chrono::DateTime<chrono::Utc>>, nullable))]
    pub scheduled_end: Option<Option<DateTime<Utc>>>,
    /// New SLA deadline, or `null` to clear.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[cfg_attr(feature = "ts", ts(optional, type = "string | null"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<chrono::DateTime<chrono::Utc>>, nullable))]
    pub sla_due: Option<Option<DateTime<Utc>>>,
    /// The customer's contact phone, corrected at HQ (competes last-writer-wins with
    /// technicians' corrections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// The asset's serial, corrected at HQ (last-writer-wins, like the phone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_serial: Option<String>,
}

/// `POST /jobs/{id}/assign`: assign, reassign, or (with `null`) unassign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignRequest {
    /// Username of a technician, or `null` to take the job back to `new`.
    pub technician: Option<String>,
}

/// `POST /jobs/{id}/cancel`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelRequest {
    /// Why, for the record.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A job with the records it references, as dispatchers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobView {
    /// The job.
    pub job: Job,
    /// Its customer.
    pub customer: Customer,
    /// Its site.
    pub site: Site,
    /// Its asset, if any.
    pub asset: Option<Asset>,
}

/// Query of `GET /jobs`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct JobListQuery {
    /// Only jobs in this status.
    pub status: Option<JobStatus>,
    /// Only jobs assigned to this username.
    pub technician: Option<String>,
    /// Only the job with exactly this number (`J-000123`).
    pub number: Option<String>,
    /// Only jobs of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<JobKind>,
    /// Only jobs whose number, customer, address, town or product serial contains these
    /// words (any case); at most [`MAX_SEARCH_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only jobs whose visit window ends after this instant (with `to`: meets the range).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    /// Only jobs whose visit window starts before this instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<DateTime<Utc>>,
    /// Only open jobs whose SLA deadline is before this instant: now for the overdue ones,
    /// a few hours ahead for those due soon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_due_before: Option<DateTime<Utc>>,
    /// Continue after this job number (from `next`).
    pub after: Option<String>,
    /// Page size; HQ caps it.
    pub limit: Option<u32>,
}

/// Longest text search of `GET /jobs`.
pub const MAX_SEARCH_CHARS: usize = 100;

/// Answer of `GET /jobs`, ordered by job number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobList {
    /// This page.
    pub jobs: Vec<JobView>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next: Option<String>,
}

/// Serde for `Option<Option<T>>`: absent → `None`, `null` → `Some(None)`.
mod nullable {
    use super::*;

    pub fn serialize<T: Serialize, S: Serializer>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
