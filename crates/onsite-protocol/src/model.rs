//! Domain records as they travel between HQ and devices.

use crate::ids::{AssetId, CustomerId, JobId, SiteId, UserId};
use crate::status::JobStatus;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Declares a closed, snake_case string enum with `as_str`, `Display`, `FromStr` and `ALL`.
/// Parsing fails with the list of accepted values so errors tell the user what to type.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable wire and storage spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // `pad` so width and alignment flags work in tables.
                f.pad(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::model::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::model::UnknownValue {
                        what: stringify!($name),
                        value: s.to_string(),
                        accepted: &[$($text),+],
                    }),
                }
            }
        }
    };
}
pub(crate) use string_enum;

/// A string that is not one of an enum's accepted spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}; expected one of: {}", accepted.join(", "))]
pub struct UnknownValue {
    /// The type being parsed.
    pub what: &'static str,
    /// What was given.
    pub value: String,
    /// What would have been accepted.
    pub accepted: &'static [&'static str],
}

string_enum!(
    /// What a user may do. Every HQ endpoint checks it from the caller's token.
    Role {
        /// Manages accounts, devices, catalogs and rules.
        Admin => "admin",
        /// Creates, assigns and follows up jobs.
        Dispatcher => "dispatcher",
        /// Works jobs on site; sees only their own.
        Technician => "technician",
    }
);

string_enum!(
    /// The kind of work a job is.
    JobKind {
        /// Installing a new product.
        Installation => "installation",
        /// Commissioning or fault-finding on a product.
        Debugging => "debugging",
        /// Scheduled service.
        Maintenance => "maintenance",
        /// Fixing a fault.
        Repair => "repair",
    }
);

string_enum!(
    /// How urgent a job is.
    Priority {
        /// Whenever convenient.
        Low => "low",
        /// The default.
        Normal => "normal",
        /// Before normal jobs.
        High => "high",
        /// Customer without service; first.
        Urgent => "urgent",
    }
);

// The enum comes from `string_enum!`, which has no place for `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Priority {
    fn default() -> Self {
        Priority::Normal
    }
}

/// A customer of the organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    /// Stable id.
    pub id: CustomerId,
    /// Person or company name.
    pub name: String,
    /// Contact phone, as entered.
    pub phone: Option<String>,
    /// Contact email.
    pub email: Option<String>,
}

/// A place where work happens, belonging to one customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    /// Stable id.
    pub id: SiteId,
    /// The customer this site belongs to.
    pub customer_id: CustomerId,
    /// Street address, one line.
    pub address: String,
    /// Town or city, used for grouping and display.
    pub town: Option<String>,
    /// How to get in: gate codes, parking, "ring twice".
    pub access_notes: Option<String>,
}

/// An installed product, identified by model and serial number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Asset {
    /// Stable id.
    pub id: AssetId,
    /// The customer who owns it.
    pub customer_id: CustomerId,
    /// The site where it is installed, if known.
    pub site_id: Option<SiteId>,
    /// Product model name.
    pub model: String,
    /// Manufacturer serial number.
    pub serial: Option<String>,
    /// Date of purchase.
    pub purchased_on: Option<NaiveDate>,
    /// Date of installation.
    pub installed_on: Option<NaiveDate>,
    /// Last day covered by warranty (inclusive).
    pub warranty_until: Option<NaiveDate>,
}

/// A user account as other parties see it (never includes credentials).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Stable id.
    pub id: UserId,
    /// Login name; unique and immutable.
    pub username: String,
    /// Name shown to people.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// Skills used when dispatching (e.g. "boilers", "heat-pumps").
    pub skills: Vec<String>,
}

string_enum!(
    /// What moved a job's status or holder, as HQ recorded it.
    HistoryEvent {
        /// HQ created the job (by API or import); `detail` names the technician, if any.
        Created => "created",
        /// A re-import changed who holds the job.
        Imported => "imported",
        /// A dispatcher's edit changed who holds the job.
        Updated => "updated",
        /// A dispatcher assigned, reassigned (`detail`: the technician) or unassigned it.
        Assigned => "assigned",
        /// A dispatcher cancelled it; `detail` is the reason given.
        Cancelled => "cancelled",
        /// The technician moved it, by an op that is also in the job's ops; `detail` names them.
        Status => "status",
        /// A dispatcher settled a conflict by applying the technician's change.
        Settled => "settled",
    }
);

/// One step in a job's status history, as HQ recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    /// The job.
    pub job_id: JobId,
    /// When the job entered `status`.
    pub at: DateTime<Utc>,
    /// The status entered.
    pub status: JobStatus,
    /// Why, when someone said: the cancel reason, the display name of the technician the job
    /// was assigned to or who moved it, or the settlement.
    pub detail: Option<String>,
    /// What made the change.
    pub event: HistoryEvent,
}

/// A unit of work at a customer's site. HQ owns every field here; the device records its own
/// facts about the visit separately.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    /// Stable id.
    pub id: JobId,
    /// Human number, e.g. `J-000123`; unique.
    pub number: String,
    /// What kind of work.
    pub kind: JobKind,
    /// How urgent.
    pub priority: Priority,
    /// One line for lists.
    pub summary: String,
    /// Free text from the customer request.
    pub description: Option<String>,
    /// Who the work is for.
    pub customer_id: CustomerId,
    /// Where the work happens.
    pub site_id: SiteId,
    /// The product concerned, if any.
    pub asset_id: Option<AssetId>,
    /// Username of the assigned technician, if any.
    pub technician: Option<String>,
    /// Start of the agreed visit window.
    pub scheduled_start: Option<DateTime<Utc>>,
    /// End of the agreed visit window.
    pub scheduled_end: Option<DateTime<Utc>>,
    /// When the service-level agreement requires the job done.
    pub sla_due: Option<DateTime<Utc>>,
    /// Where the job is in its life cycle.
    pub status: JobStatus,
    /// Incremented by HQ on every change to the job.
    pub version: i64,
    /// When HQ last changed the job.
    pub updated_at: DateTime<Utc>,
}
