//! Accounts and sessions as an admin looks after them (`/users`, `/sessions`): who may log in,
//! with which password, and ending the sessions of a lost laptop at once.

use crate::ids::DeviceId;
use crate::model::{Role, User};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Fewest characters of a password HQ accepts.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Most characters of a password HQ accepts (argon2 hashes whatever it is given: bounded).
pub const MAX_PASSWORD_CHARS: usize = 256;
/// Most characters of a username.
pub const MAX_USERNAME_CHARS: usize = 64;
/// Most characters of a display name.
pub const MAX_DISPLAY_NAME_CHARS: usize = 100;
/// Most skills one user has, and most characters of one.
pub const MAX_SKILLS: usize = 50;
/// Most characters of one skill.
pub const MAX_SKILL_CHARS: usize = 50;
/// Most accounts `GET /users` lists.
pub const MAX_USERS: usize = 5000;

/// One account in `GET /users`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    /// The user.
    #[serde(flatten)]
    pub user: User,
    /// May not log in; their sessions ended when it was disabled.
    pub disabled: bool,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// Answer of `GET /users`: every account by username, at most [`MAX_USERS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountList {
    /// The accounts.
    pub users: Vec<Account>,
    /// More accounts exist than were listed.
    pub truncated: bool,
}

/// `POST /users`: a new account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    /// Login name: 1 to [`MAX_USERNAME_CHARS`] characters, no spaces; it never changes.
    pub username: String,
    /// Name shown to people (the username when absent or blank).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// What they may do.
    pub role: Role,
    /// Skills matched against jobs when suggesting who should go.
    #[serde(default)]
    pub skills: Vec<String>,
    /// First password, [`MIN_PASSWORD_CHARS`] to [`MAX_PASSWORD_CHARS`] characters.
    pub password: String,
}

/// `PATCH /users/{username}`: what changes; absent fields stay.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountPatch {
    /// New shown name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// New skills (the whole list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<String>>,
    /// Disable (their sessions end at once) or enable again (ended sessions stay ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// `POST /users/{username}/password`: a new password set by an admin. Every session of the
/// account ends, so a laptop or browser that knew the old one must log in again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    /// The new password, [`MIN_PASSWORD_CHARS`] to [`MAX_PASSWORD_CHARS`] characters.
    pub password: String,
}

/// What an admin action ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ended {
    /// How many sessions (laptop and browser) ended.
    pub sessions: u32,
}

/// Where a laptop's session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SessionStanding {
    /// Its tokens work.
    Active,
    /// It ran out (refresh token or lifetime).
    Expired,
    /// The device logged out.
    LoggedOut,
    /// An admin revoked it, or reset the account's password.
    Revoked,
    /// Its account was disabled.
    Disabled,
    /// A used refresh token came back: probably stolen, so it was ended.
    Reused,
}

/// One laptop session in `GET /sessions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceSession {
    /// Its number (what `POST /sessions/revoke` takes as `id`).
    pub id: i64,
    /// Whose.
    pub username: String,
    /// The installation it is bound to.
    pub device_id: DeviceId,
    /// When they logged in.
    pub created_at: DateTime<Utc>,
    /// When its tokens were last refreshed: about when the laptop last synced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refreshed_at: Option<DateTime<Utc>>,
    /// Where it stands now.
    pub standing: SessionStanding,
    /// When it ended, if it was ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    /// How far ahead of HQ the device's clock was found, in milliseconds, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_ahead_ms: Option<i64>,
}

/// Most sessions `GET /sessions` lists.
pub const MAX_SESSIONS: u32 = 1000;

/// Query of `GET /sessions`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct SessionQuery {
    /// Only this user's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Ended and expired ones too (default: active ones only).
    #[serde(default)]
    pub all: bool,
}

/// Answer of `GET /sessions`: newest first, at most [`MAX_SESSIONS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    /// The sessions.
    pub sessions: Vec<DeviceSession>,
}

/// `POST /sessions/revoke`: exactly one of the three says which sessions end.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeRequest {
    /// One session, by its number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Every session on this device (a lost laptop), whoever logged in on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceId>,
    /// Every session of this user, laptop and browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// `GET /technicians/{name}/calendar`: where a calendar app subscribes to a technician's
/// visits. Anyone holding the address reads the feed: renew it when it leaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarLink {
    /// The feed's path on HQ, token included: `/api/v1/technicians/tina/calendar.ics?token=…`.
    pub path: String,
}

/// Query of `GET /technicians/{name}/calendar.ics`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CalendarQuery {
    /// The secret from the feed's address.
    #[serde(default)]
    pub token: String,
}

/// Query of `GET /exports/jobs.csv`: jobs whose visit window meets `[from, to)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ExportQuery {
    /// Start of the range (inclusive).
    pub from: DateTime<Utc>,
    /// End of the range (exclusive); at most [`MAX_EXPORT_DAYS`] after `from`.
    pub to: DateTime<Utc>,
}

/// The longest range one export covers.
pub const MAX_EXPORT_DAYS: i64 = 366;
/// The most jobs one export lists; a range with more is refused, to be narrowed.
pub const MAX_EXPORT_JOBS: usize = 50_000;
