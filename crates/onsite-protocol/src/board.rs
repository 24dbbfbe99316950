//! The dispatcher's day board (`GET /board`): who works, what they hold in a window of time,
//! and the jobs nobody holds yet.

use crate::api::JobView;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest window one board covers: a day in any time zone, across a clock change, with room.
pub const MAX_BOARD_HOURS: i64 = 48;
/// The most jobs one board lists in its lanes; more are left out and the board says so.
pub const MAX_BOARD_JOBS: usize = 5000;
/// The most jobs the unassigned queue lists, most urgent first.
pub const MAX_QUEUE_JOBS: usize = 500;

/// Query of `GET /board`: the window the dispatcher looks at, from their local day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BoardQuery {
    /// Start of the window (inclusive).
    pub from: DateTime<Utc>,
    /// End of the window (exclusive); at most [`MAX_BOARD_HOURS`] after `from`.
    pub to: DateTime<Utc>,
}

/// A technician as the board shows a lane.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardTechnician {
    /// Login name: what jobs are assigned to.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Skills, matched against jobs when suggesting who should go.
    pub skills: Vec<String>,
}

/// Answer of `GET /board`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Board {
    /// Every technician whose account is enabled, by display name: one lane each.
    pub technicians: Vec<BoardTechnician>,
    /// Jobs held by a technician whose window meets the board's window (any status), and their
    /// open jobs with no window yet; by window start.
    pub jobs: Vec<JobView>,
    /// Open jobs nobody holds, soonest SLA deadline first, then by priority and number.
    pub queue: Vec<JobView>,
    /// More jobs met the window or waited in the queue than a board lists.
    pub truncated: bool,
}

/// The longest visit window a dispatcher schedules in one go.
pub const MAX_WINDOW_HOURS: i64 = 24;

/// `POST /jobs/{id}/schedule`: give the job to a technician for a window, in one step (what
/// dropping a card on a lane does).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleRequest {
    /// Username of the technician who goes.
    pub technician: String,
    /// Start of the visit window.
    pub scheduled_start: DateTime<Utc>,
    /// End of the visit window: after the start, at most [`MAX_WINDOW_HOURS`] later.
    pub scheduled_end: DateTime<Utc>,
    /// The job's version the dispatcher saw; when given and the job has changed since, HQ
    /// refuses (`409`) rather than move a job someone else just moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub version: Option<i64>,
    /// Schedule even though the window overlaps another of the technician's; without it an
    /// overlap is refused (`409`) and named.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub overlap: Option<bool>,
}
