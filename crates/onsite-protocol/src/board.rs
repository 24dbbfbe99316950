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

/// A latitude or longitude in degrees. Compared by value; HQ refuses any that is not a
/// finite number in range, so the `Eq` below never meets a NaN.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Degrees(pub f64);

impl Eq for Degrees {}

/// Query of `GET /jobs/{id}/suggestions`: the dispatcher's working day, in which free time
/// is counted and a slot is looked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct SuggestionQuery {
    /// Start of the working day (inclusive); no slot starts before it.
    pub from: DateTime<Utc>,
    /// End of the working day (exclusive); at most [`MAX_BOARD_HOURS`] after `from`.
    pub to: DateTime<Utc>,
}

/// What a reason is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Consideration {
    /// Their skills against the job's product and kind.
    Skills,
    /// Their free time in the day.
    Time,
    /// Parts for the product in their van.
    Parts,
    /// How far they are from the site.
    Distance,
}

/// One reason a technician ranks where they do, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionReason {
    /// What it weighs.
    pub about: Consideration,
    /// Whether it counts for them (or against).
    pub good: bool,
    /// The reason, for people: "knows boilers", "no free 60 minutes".
    pub text: String,
}

/// One technician in a suggestion, best first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// The sum the ranking is by; higher is better. Only its order means anything.
    pub score: i32,
    /// Why, one reason per consideration that could be judged.
    pub reasons: Vec<SuggestionReason>,
    /// Minutes of the working day not taken by their visits.
    pub free_minutes: i64,
    /// The earliest start, on a quarter hour, where the visit fits between theirs.
    pub slot: Option<DateTime<Utc>>,
    /// Metres from the nearest of their visits that day to the site, when both have
    /// coordinates.
    pub distance_m: Option<u32>,
}

/// Answer of `GET /jobs/{id}/suggestions`: every enabled technician, best first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestions {
    /// The job.
    pub job_id: crate::ids::JobId,
    /// How long the visit is taken to last: its window, or an hour.
    pub visit_minutes: i64,
    /// The technicians, best first.
    pub technicians: Vec<Suggestion>,
}
