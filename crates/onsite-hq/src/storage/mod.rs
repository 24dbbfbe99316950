//! HQ's storage boundary: one async trait, so the embedded SQLite store and a shared database
//! for larger organisations implement the same operations and pass the same tests
//! ([`conformance`]). Nothing here names an engine: an engine maps its own errors into
//! [`StorageError`], does its own blocking work off the async workers, and is handed what it
//! needs from outside the database (the sizes of uploaded content) as data.
//!
//! # The contract every engine keeps
//! - **Every method is one transaction.** A method that changes a job also stamps the change
//!   feed of the technicians concerned in that transaction, so a committed change is always
//!   visible to the next pull, and a failed one leaves nothing.
//! - **The feed is gap-free in commit order.** `pull` pages by feed sequence number, and the
//!   device's cursor is the last number it received. A page must therefore never hold a
//!   number while a smaller one may still commit: with writers in parallel, numbers commit out
//!   of order, and a reader that saw 12 before 11 committed would skip 11 for ever. SQLite has
//!   one writer at a time (`BEGIN IMMEDIATE`), which keeps this by construction; an engine
//!   with concurrent writers must read only below the oldest transaction still in flight, or
//!   allocate numbers under a lock held until commit.
//! - **A push is read-judge-write in one transaction.** The ops of a batch are judged against
//!   the state the same transaction reads and writes (in the device clock's order, as
//!   [`crate::rules::batch`] orders them), and an op id is recorded at most once: two pushes
//!   of the same op, even to two HQ processes at once, record it once and answer the other as a
//!   duplicate. An engine with concurrent writers needs serialisable transactions (or a lock
//!   per job) and the op id's uniqueness enforced by the database.
//! - **Times are kept to the microsecond** (PostgreSQL's precision): a time read back may have
//!   lost what a caller's clock had below that.
//! - **A pull reads one snapshot.**

#[cfg(test)]
pub mod conformance;
pub mod postgres;
pub mod sqlite;

use crate::reference::guides::GuideFile;
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::api::{JobInput, JobList, JobListQuery, JobPatch, JobView, PullPage};
use onsite_protocol::cases::{
    Case, CaseInput, CaseKind, CaseList, CasePatch, CaseQuery, ReturnVisitInput,
};
use onsite_protocol::checklist::ChecklistTemplate;
use onsite_protocol::conflict::ConflictView;
use onsite_protocol::feedback::{FeedbackSummary, FollowUp, FollowUpList, OutcomeInput};
use onsite_protocol::mail::{Letter, LetterList, LetterQuery, LetterTemplate};
use onsite_protocol::part::Part;
use onsite_protocol::push::{JobOps, PushResponse};
use onsite_protocol::received::ReceivedOps;
use onsite_protocol::reference::{
    ChecklistList, GuideList, PartList, ReferenceUpdate, WarrantyPolicyList,
};
use onsite_protocol::stock::{StockIssued, StockReturned, VanStock};
use onsite_protocol::warranty::WarrantyPolicy;
use onsite_protocol::{
    CaseId, DeviceId, FollowUpId, JobId, LetterId, OpId, Resolution, TransitionError, User,
};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The record does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change clashes with the current state (duplicate number, closed job, ...).
    #[error("{0}")]
    Conflict(String),
    /// An input value breaks a rule; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// The job status state machine refuses the change.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// One line of an import is bad; nothing was imported.
    #[error("line {line}: {reason}")]
    ImportLine {
        /// 1-based line number in the import file.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// One entry of a reference data import is bad; nothing was imported.
    #[error("{place}: {reason}")]
    ImportEntry {
        /// Where: `line 3`, `entry 2 ("heatpump-install" version 1)`, a guide's file name.
        place: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The storage could not be opened (including a schema from a newer build).
    #[error("{0}")]
    Open(String),
    /// The storage engine failed (the message is for the log, not for callers).
    #[error("storage error: {0}")]
    Backend(String),
}

/// Result of storage operations.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// A user to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Role.
    pub role: onsite_protocol::Role,
    /// Skills.
    pub skills: Vec<String>,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// What [`Storage::suggestion_facts`] found.
#[derive(Clone, Debug)]
pub struct SuggestionFacts {
    /// The job.
    pub job: JobView,
    /// Its site's latitude and longitude, when known.
    pub position: Option<(f64, f64)>,
    /// Who could go.
    pub candidates: Vec<crate::rules::suggest::Candidate>,
}

/// What an admin changes on an account, already checked by `rules::account`; `None` stays.
#[derive(Clone, Debug, Default)]
pub struct AccountChange {
    /// New shown name.
    pub display_name: Option<String>,
    /// New skills.
    pub skills: Option<Vec<String>>,
    /// Disable or enable.
    pub disabled: Option<bool>,
    /// New argon2id PHC string.
    pub password_hash: Option<String>,
}

/// A user with what is needed to check their password.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The account.
    pub user: User,
    /// argon2id PHC string.
    pub password_hash: String,
    /// An admin disabled the account: it may not log in.
    pub disabled: bool,
}

/// Token hashes: HQ stores only SHA-256 of tokens, never the tokens.
pub type TokenHash = [u8; 32];

/// A new access/refresh token pair for a session.
#[derive(Clone, Debug)]
pub struct TokenPair {
    /// Hash of the access token.
    pub access_hash: TokenHash,
    /// When the access token expires.
    pub access_expires_at: DateTime<Utc>,
    /// Hash of the refresh token.
    pub refresh_hash: TokenHash,
    /// When the refresh token expires.
    pub refresh_expires_at: DateTime<Utc>,
}

/// How long a session lasts from its login, however often it is refreshed: a copied refresh
/// token kept fresh still dies, and a lost laptop's session ends on its own. Engines refuse
/// rotations after it and never issue tokens that outlive it.
pub const SESSION_LIFETIME: chrono::Duration = chrono::Duration::days(90);

/// How long after a rotation the refresh token it retired still gets the same new pair, when
/// the same device presents it (a retry after a lost answer; the app and the CLI refreshing at
/// once). Later, or from another device, it is a copy and ends the session.
pub const REFRESH_GRACE: chrono::Duration = chrono::Duration::seconds(30);

/// How large a page of recorded ops (`GET /ops`, `GET /jobs/{id}/ops`) may grow, counting the
/// ops as stored; a page always holds at least one op.
pub const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// Whether a page of recorded ops holding `taken` ops of `bytes` is full before one of `next`
/// bytes: at `limit` ops, or when it would pass [`MAX_PAGE_BYTES`] (a page always holds at
/// least one op, however large).
pub fn page_is_full(taken: usize, bytes: usize, next: usize, limit: u32) -> bool {
    taken >= limit as usize || (taken > 0 && bytes.saturating_add(next) > MAX_PAGE_BYTES)
}

/// `name` with every character but ASCII letters, digits and `-` replaced by `_`: a job number
/// as part of a file name.
pub fn file_safe(name: &str) -> String {
    name.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
}

/// A letter claimed for sending, with the signed report to attach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The letter.
    pub letter: Letter,
    /// The SHA-256 of the PDF the customer last signed (HQ's blob store holds it).
    pub report_sha256: String,
    /// The attachment's file name.
    pub report_name: String,
}

/// A session's number, as `onsite-hq session list` shows it.
pub type SessionId = i64;

/// What an access token resolves to.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    /// Which session.
    pub id: SessionId,
    /// Who.
    pub user: User,
    /// From which device.
    pub device_id: DeviceId,
    /// Until when the access token is good.
    pub access_expires_at: DateTime<Utc>,
}

/// A session after a rotation.
#[derive(Clone, Debug)]
pub struct Rotation {
    /// Whose session.
    pub user: User,
    /// When the access token it now holds expires.
    pub access_expires_at: DateTime<Utc>,
    /// When the refresh token it now holds expires (never after the session's lifetime).
    pub refresh_expires_at: DateTime<Utc>,
    /// The token presented was retired moments ago by this rotation: the pair was issued before.
    pub repeated: bool,
}

/// Outcome of presenting a refresh token.
#[derive(Clone, Debug)]
pub enum Refresh {
    /// The session holds the pair that was asked to be stored (or, `repeated`, already did).
    Rotated(Rotation),
    /// Unknown, expired, past its lifetime, ended, of a disabled account, or bound to another
    /// device.
    Invalid,
    /// A token that was already rotated was presented again: probably stolen. The session is
    /// revoked.
    Reused,
}

/// Why a session ended before its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Its device logged out, or its browser signed out of the console.
    Logout,
    /// An admin revoked it (`onsite-hq session revoke`).
    Revoked,
    /// Its account was disabled.
    Disabled,
    /// A refresh token it had retired was presented again.
    Reused,
}

impl Ending {
    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::Logout => "logout",
            Ending::Revoked => "revoked",
            Ending::Disabled => "disabled",
            Ending::Reused => "reused",
        }
    }

    /// The ending named `s`, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Ending::Logout,
            Ending::Revoked,
            Ending::Disabled,
            Ending::Reused,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
    }
}

/// Which sessions to end.
#[derive(Clone, Debug)]
pub enum SessionSelector {
    /// One session by its number.
    Id(SessionId),
    /// Every session of a user. Errors: `NotFound` when there is no such user.
    User(String),
    /// Every session of a device, whoever logged in on it.
    Device(DeviceId),
}

/// A device's clock found far ahead of HQ's (see `rules::clock`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockFlag {
    /// The latest such stamp.
    pub stamp: String,
    /// How far ahead of HQ's time it was.
    pub ahead_ms: i64,
    /// When HQ saw it.
    pub seen_at: DateTime<Utc>,
    /// How many ops HQ had to stamp itself.
    pub count: i64,
}

/// A session as the people who look after the fleet see it.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    /// Its number.
    pub id: SessionId,
    /// Whose.
    pub username: String,
    /// On which device.
    pub device_id: DeviceId,
    /// When they logged in.
    pub created_at: DateTime<Utc>,
    /// When its tokens were last refreshed.
    pub rotated_at: Option<DateTime<Utc>>,
    /// When its refresh token expires unless used.
    pub refresh_expires_at: DateTime<Utc>,
    /// When it ended before its time, and why.
    pub ended: Option<(DateTime<Utc>, Ending)>,
    /// The device's clock, when HQ found it far ahead.
    pub clock: Option<ClockFlag>,
}

/// Where a session stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Its tokens work (or can be refreshed).
    Active,
    /// Its refresh token or its lifetime ran out.
    Expired,
    /// It was ended.
    Ended(Ending),
}

impl SessionRecord {
    /// When the session ends at the latest, however often it is refreshed.
    pub fn lifetime_end(&self) -> DateTime<Utc> {
        self.created_at + SESSION_LIFETIME
    }

    /// Where the session stands at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> SessionState {
        match self.ended {
            Some((_, why)) => SessionState::Ended(why),
            None if self.refresh_expires_at <= now || self.lifetime_end() <= now => {
                SessionState::Expired
            }
            None => SessionState::Active,
        }
    }
}

/// How long a console session lives without a request before it ends.
pub const CONSOLE_IDLE: chrono::Duration = chrono::Duration::minutes(30);
/// How long a console session lives at most, however busy: a dispatcher signs in once a shift.
pub const CONSOLE_LIFETIME: chrono::Duration = chrono::Duration::hours(12);
/// How old a console session's last request may be before the next one is written down: the
/// idle clock is kept to this precision so that not every request writes.
pub const CONSOLE_TOUCH: chrono::Duration = chrono::Duration::minutes(1);

/// A console session as its cookie resolves to it (ended sessions and disabled accounts never
/// resolve).
#[derive(Clone, Debug)]
pub struct ConsoleSessionInfo {
    /// Its number (its own series, apart from the devices' sessions).
    pub id: SessionId,
    /// Who.
    pub user: User,
    /// When they signed in.
    pub created_at: DateTime<Utc>,
    /// When it last answered a request (to [`CONSOLE_TOUCH`]).
    pub last_seen_at: DateTime<Utc>,
}

/// Where a console session stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsoleState {
    /// It works; `touch` when its last-seen time should be written down now.
    Live {
        /// The last request is older than [`CONSOLE_TOUCH`].
        touch: bool,
    },
    /// Nothing came for [`CONSOLE_IDLE`].
    Idle,
    /// It reached [`CONSOLE_LIFETIME`].
    Expired,
}

impl ConsoleSessionInfo {
    /// When it ends at the latest.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.created_at + CONSOLE_LIFETIME
    }

    /// Where it stands at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> ConsoleState {
        if self.expires_at() <= now {
            ConsoleState::Expired
        } else if self.last_seen_at + CONSOLE_IDLE <= now {
            ConsoleState::Idle
        } else {
            ConsoleState::Live {
                touch: self.last_seen_at + CONSOLE_TOUCH <= now,
            }
        }
    }
}

/// Where HQ's data stands, as a console watching it needs to know: it moves whenever a job
/// changes (any event in its history) or an op arrives. Compared, never interpreted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChangeMark {
    /// The latest job history event.
    pub jobs: i64,
    /// The latest op received.
    pub ops: i64,
}

/// What an admin puts into a van.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StockIssue {
    /// A count of a part without serials.
    Qty(i64),
    /// The serials of the units of a serialized part.
    Serials(Vec<String>),
}

/// How many records (jobs, parts, template versions, ...) an import created and updated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Records that did not exist before.
    pub created: usize,
    /// Existing records (same number, SKU or id) whose fields were replaced.
    pub updated: usize,
    /// Existing records that were already identical.
    pub unchanged: usize,
}

/// Position in a technician's change feed. `instance` identifies the database, so a cursor
/// from another (or a recreated) HQ database is recognised and answered with a full reset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedPosition {
    /// Id of the database that issued the position.
    pub instance: String,
    /// Last change sequence number delivered.
    pub seq: i64,
    /// The feed's position when the page was read (absent in cursors of older HQs).
    pub mark: Option<i64>,
}

/// How far a device has the reference data: the reference feed position it has read, the
/// digest of the kinds of job and product models its reference was chosen for, and the last
/// ledger line of its van.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferencePosition {
    /// Last reference feed position delivered.
    pub seq: i64,
    /// Digest of the (kind, model) pairs of the jobs held when it was delivered; lower-case hex.
    pub scope: String,
    /// Last van ledger line delivered.
    pub stock: i64,
}

/// Who is pushing ops: from the session, never from the ops.
#[derive(Clone, Debug)]
pub struct Pusher {
    /// The technician's username.
    pub username: String,
    /// The session's device.
    pub device_id: DeviceId,
}

/// The size of the attachment content HQ holds in full, by SHA-256, for the attachments a
/// pushed batch names (content HQ lacks is absent).
pub type BlobSizes = std::collections::HashMap<String, u64>;

/// HQ's storage operations. See the module docs for the guarantees every implementation keeps.
#[async_trait::async_trait]
pub trait Storage: Send + Sync + 'static {
    /// Id of this database, stable for its life.
    fn instance_id(&self) -> &str;
    /// Cheap round trip, for health checks.
    async fn ping(&self) -> Result<()>;

    /// Creates a user. Errors: `Conflict` when the username is taken.
    async fn add_user(&self, user: NewUser, now: DateTime<Utc>) -> Result<User>;
    /// Every account by username, at most `limit` (and whether there were more).
    async fn accounts(&self, limit: usize) -> Result<onsite_protocol::admin::AccountList>;
    /// Changes `username`'s account as `change` says, in one transaction; the account after,
    /// and how many sessions (laptop and console) ended: all of them when it is disabled
    /// (`Ending::Disabled`) or its password is replaced (`Ending::Revoked`). Errors:
    /// `NotFound`.
    async fn change_account(
        &self,
        username: &str,
        change: &AccountChange,
        now: DateTime<Utc>,
    ) -> Result<(onsite_protocol::admin::Account, usize)>;
    /// The generation of `username`'s calendar address, when they are an enabled technician.
    async fn calendar_generation(&self, username: &str) -> Result<Option<u32>>;
    /// Moves `username`'s calendar address to the next generation: earlier addresses stop
    /// working. Errors: `NotFound` unless they are an enabled technician.
    async fn renew_calendar(&self, username: &str) -> Result<u32>;
    /// Looks up a user and password hash by username.
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>>;

    /// Whether `device_id` has ever had a session as `username` (the login throttle lets a
    /// user's own devices in when the name is under attack).
    async fn known_device(&self, username: &str, device_id: DeviceId) -> Result<bool>;

    /// Records a new session for `user_id` on `device_id`.
    async fn create_session(
        &self,
        username: &str,
        device_id: DeviceId,
        tokens: &TokenPair,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Resolves an access token hash to its session, if not revoked (expiry is the caller's to judge).
    async fn session(&self, access_hash: &TokenHash) -> Result<Option<SessionInfo>>;
    /// The secret that derives a rotation's tokens from the refresh token presented (so the
    /// same token presented twice yields the same pair; see [`REFRESH_GRACE`]). Shared by every
    /// HQ process on the database; it yields nothing without a refresh token.
    fn token_key(&self) -> &[u8; 32];
    /// Replaces the session's tokens with `tokens` if `refresh_hash` is its current refresh
    /// token, unexpired, within [`SESSION_LIFETIME`], of an enabled account, and the device
    /// matches; the expiries stored are clamped to the lifetime. Every retired refresh token
    /// is remembered for the session's life: presenting one again ends the session
    /// ([`Refresh::Reused`]), except the one retired last, by the same device, within
    /// [`REFRESH_GRACE`], while the session still holds `tokens` (then `repeated`).
    async fn rotate_session(
        &self,
        refresh_hash: &TokenHash,
        device_id: DeviceId,
        tokens: &TokenPair,
        now: DateTime<Utc>,
    ) -> Result<Refresh>;

    /// Ends the sessions `which` selects that have not ended yet, giving `why`; how many.
    async fn end_sessions(
        &self,
        which: &SessionSelector,
        why: Ending,
        now: DateTime<Utc>,
    ) -> Result<usize>;
    /// Disables (its sessions end, it may not log in) or enables `username`; how many sessions
    /// ended. Errors: `NotFound`.
    async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<usize>;
    /// Sessions newest first, at most `limit`: of `username` only when given, and only those
    /// active at `now` unless `ended` is set. Errors: `NotFound` for an unknown username.
    async fn sessions(
        &self,
        username: Option<&str>,
        ended: bool,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionRecord>>;

    /// Records a console session for `username` whose cookie hashes to `token_hash`, seen
    /// at `now`; its number. Sessions past [`CONSOLE_LIFETIME`] are forgotten, so the table
    /// holds about a lifetime's sign-ins. Errors: `NotFound` for an unknown username.
    async fn create_console_session(
        &self,
        username: &str,
        token_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<SessionId>;
    /// The console session whose cookie hashes to `token_hash`, unless it ended or its account
    /// is disabled (idleness and lifetime are the caller's to judge).
    async fn console_session(&self, token_hash: &TokenHash) -> Result<Option<ConsoleSessionInfo>>;
    /// Writes down that console session `id` answered a request at `now`.
    async fn touch_console_session(&self, id: SessionId, now: DateTime<Utc>) -> Result<()>;
    /// Ends console session `id`, giving `why`, unless it has ended; how many (0 or 1). A
    /// user's console sessions also end with [`SessionSelector::User`] and when the account is
    /// disabled.
    async fn end_console_session(
        &self,
        id: SessionId,
        why: Ending,
        now: DateTime<Utc>,
    ) -> Result<usize>;

    /// Where HQ's data stands now (see [`ChangeMark`]); cheap, read often.
    async fn change_mark(&self) -> Result<ChangeMark>;
    /// The day board for `query`'s window (see [`onsite_protocol::board::Board`]), each part
    /// within its limit.
    async fn board(
        &self,
        query: &onsite_protocol::board::BoardQuery,
    ) -> Result<onsite_protocol::board::Board>;

    /// What suggesting who should go to job `id` in the working day [`from`, `to`) is judged
    /// on: the job, its site's position, and every enabled technician with their visits in
    /// the day (other than this job) and the van parts made for its product. Errors:
    /// `NotFound`.
    async fn suggestion_facts(
        &self,
        id: JobId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<SuggestionFacts>;

    /// Imports jobs atomically: all lines or none. Lines carry their 1-based line numbers for
    /// error messages. Customers, sites and assets are matched, not duplicated.
    async fn import_jobs(
        &self,
        lines: &[(usize, JobInput)],
        now: DateTime<Utc>,
    ) -> Result<ImportReport>;
    /// Imports parts atomically, updating existing ones by SKU. Errors: `ImportEntry`.
    async fn import_parts(&self, parts: &[(usize, Part)]) -> Result<ImportReport>;
    /// Imports checklist template versions atomically; a version held already with other
    /// content is refused (`ImportEntry`).
    async fn import_checklists(
        &self,
        templates: &[(usize, ChecklistTemplate)],
    ) -> Result<ImportReport>;
    /// Imports warranty policy versions atomically, as [`Storage::import_checklists`].
    async fn import_warranty(&self, policies: &[(usize, WarrantyPolicy)]) -> Result<ImportReport>;
    /// Imports guides atomically, updating changed ones by id (their version goes up).
    async fn import_guides(&self, guides: &[GuideFile]) -> Result<ImportReport>;
    /// Sets the organisation's letterhead; whether it changed. Errors: `Invalid` for a field
    /// [`Letterhead::validate`](onsite_protocol::letterhead::Letterhead::validate) refuses.
    async fn set_letterhead(
        &self,
        letterhead: &onsite_protocol::letterhead::Letterhead,
    ) -> Result<bool>;
    /// The organisation's letterhead, if set.
    async fn letterhead(&self) -> Result<Option<onsite_protocol::letterhead::Letterhead>>;
    /// Sets the labour price list every laptop prices chargeable work with; whether it
    /// changed. Errors: `Invalid` for a field
    /// [`LabourPrices::validate`](onsite_protocol::labour::LabourPrices::validate) refuses.
    async fn set_labour(&self, prices: &onsite_protocol::labour::LabourPrices) -> Result<bool>;
    /// The labour price list, if set.
    async fn labour(&self) -> Result<Option<onsite_protocol::labour::LabourPrices>>;
    /// A page of the parts catalog, by SKU, after `after`.
    async fn parts(&self, after: Option<&str>, limit: u32) -> Result<PartList>;
    /// A page of checklist template versions, by key and version, after `after`
    /// (`key@version`; `Invalid` when it is not one).
    async fn checklists(&self, after: Option<&str>, limit: u32) -> Result<ChecklistList>;
    /// A page of warranty policy versions, by model and version, after `after`
    /// (`model@version`).
    async fn warranty_policies(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<WarrantyPolicyList>;
    /// A page of guides, by id, after `after`, within [`MAX_PAGE_BYTES`] of text.
    async fn guides(&self, after: Option<&str>, limit: u32) -> Result<GuideList>;
    /// Puts parts into technician `to`'s van, recorded as done by `by`, and fills their open
    /// requests for the part that the parts cover, oldest first. Errors: `Invalid` for an
    /// unknown technician or SKU, a count for a serialized part (or serials for one without),
    /// a count outside 1 to 10,000; `Conflict` for a serial already in a van.
    async fn issue_stock(
        &self,
        to: &str,
        sku: &str,
        issued: &StockIssue,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<StockIssued>;
    /// Takes parts back from technician `from`'s van to HQ, recorded as done by `by`.
    /// Errors: `Invalid` as for [`Storage::issue_stock`]; `Conflict` for more units than the
    /// van holds or a serial not in that van.
    async fn return_stock(
        &self,
        from: &str,
        sku: &str,
        returned: &StockIssue,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<StockReturned>;
    /// Marks parts request `request` filled by `by`, who says `how` the parts reach the job.
    /// Errors: `NotFound` for no applied request with that id; `Conflict` when it is filled
    /// already or its job is closed.
    async fn fill_parts_request(
        &self,
        request: OpId,
        by: &str,
        how: &str,
        now: DateTime<Utc>,
    ) -> Result<onsite_protocol::visit::PartsFill>;
    /// A van's balances and a page of its ledger, newest first, before `before`. Errors:
    /// `NotFound` for an unknown user.
    async fn van_stock(
        &self,
        technician: &str,
        before: Option<i64>,
        limit: u32,
    ) -> Result<VanStock>;
    /// Creates one job; a number is generated when absent. Errors: `Conflict` on a taken number.
    async fn create_job(&self, input: &JobInput, now: DateTime<Utc>) -> Result<JobView>;
    /// Changes HQ-owned fields of a job.
    async fn update_job(&self, id: JobId, patch: &JobPatch, now: DateTime<Utc>) -> Result<JobView>;
    /// Assigns, reassigns (`Some`) or unassigns (`None`) a job.
    async fn assign_job(
        &self,
        id: JobId,
        technician: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<JobView>;
    /// Gives a job to a technician for a window in one step (a card dropped on a lane).
    /// Errors: `Invalid` for an unknown technician or a window that is empty or longer than a
    /// day; `Conflict` for a closed job, a job whose version is no longer `req.version`, or a
    /// window overlapping another of the technician's jobs unless `req.overlap`.
    async fn schedule_job(
        &self,
        id: JobId,
        req: &onsite_protocol::board::ScheduleRequest,
        now: DateTime<Utc>,
    ) -> Result<JobView>;
    /// Cancels a job. Errors: `Invalid` for a reason over `job_input::MAX_REASON` characters or
    /// with control characters.
    async fn cancel_job(
        &self,
        id: JobId,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<JobView>;
    /// One job with its references.
    async fn job(&self, id: JobId) -> Result<JobView>;
    /// One job with its references, by its human number (`J-000123`).
    async fn job_by_number(&self, number: &str) -> Result<JobView>;
    /// Jobs ordered by number, filtered and paged.
    async fn list_jobs(&self, query: &JobListQuery, max_limit: u32) -> Result<JobList>;

    /// The next page of `technician`'s change feed after `after` (or from the start). The
    /// returned page's `cursor` field is left empty; the caller encodes `FeedPosition`.
    /// `known` is the `mark` of the device's cursor when the device merges ops by id: then a
    /// job it already holds, unchanged in between but for one stamp, carries only the ops
    /// recorded or settled since (listed in `ops_since`); see the SQLite engine's `feed::page`
    /// for why that loses nothing.
    async fn pull(
        &self,
        technician: &str,
        after: Option<i64>,
        known: Option<i64>,
        limit: u32,
    ) -> Result<(PullPage, FeedPosition)>;

    /// The reference data `technician`'s device needs since `since` (everything that applies
    /// when absent, or when the kinds and models of the jobs they hold changed), and the
    /// position it reaches; `None` when nothing changed.
    async fn reference_update(
        &self,
        technician: &str,
        since: Option<&ReferencePosition>,
    ) -> Result<(Option<ReferenceUpdate>, ReferencePosition)>;

    /// Judges and records a batch of pushed ops in one transaction: every op gets a result,
    /// in the batch's order, and is stored whatever its outcome. An op id seen before answers
    /// `duplicate` with its first outcome and changes nothing.
    async fn push(
        &self,
        pusher: &Pusher,
        ops: &[serde_json::Value],
        blobs: &BlobSizes,
        now: DateTime<Utc>,
    ) -> Result<PushResponse>;
    /// A page of the ops recorded against a job after `after` (at most `limit`, and fewer
    /// when they would pass [`MAX_PAGE_BYTES`]; at least one), and, on the first page, the
    /// corrected values that lost. Errors: `NotFound`.
    async fn job_ops(&self, id: JobId, after: Option<i64>, limit: u32) -> Result<JobOps>;
    /// Conflicts, oldest first: open ones, or all with `all`.
    async fn conflicts(&self, all: bool) -> Result<Vec<ConflictView>>;
    /// Settles a conflict, with an optional note for the technician. Errors: `NotFound`,
    /// `Conflict` when it is already settled, `Invalid` for a note that is too long.
    async fn resolve_conflict(
        &self,
        op_id: OpId,
        resolution: Resolution,
        note: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<ConflictView>;
    /// HQ's log of received ops after `after`, in receive order.
    async fn received_ops(&self, after: Option<i64>, limit: u32) -> Result<ReceivedOps>;
    /// A job's visit record as its applied ops say, with its checklist gaps and flags.
    /// Errors: `NotFound`.
    async fn job_visit(&self, id: JobId) -> Result<onsite_protocol::visit::JobVisit>;
    /// Parts requests on jobs not completed or cancelled, oldest first, after `after`.
    async fn parts_requests(
        &self,
        after: Option<i64>,
        limit: u32,
    ) -> Result<onsite_protocol::visit::PartsRequestList>;
    /// Cases of `kind`, newest first, filtered by `query`, at most `limit`.
    async fn cases(&self, kind: CaseKind, query: &CaseQuery, limit: u32) -> Result<CaseList>;
    /// One case. Errors: `NotFound`.
    async fn case(&self, kind: CaseKind, id: CaseId) -> Result<Case>;
    /// A dispatcher logs a case. Errors: `Invalid`, `NotFound` (job or customer).
    async fn create_case(
        &self,
        kind: CaseKind,
        input: &CaseInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Case>;
    /// A dispatcher moves a case along or notes something. Errors: `NotFound`, `Invalid`,
    /// `Conflict` (a status it cannot move to).
    async fn update_case(
        &self,
        kind: CaseKind,
        id: CaseId,
        patch: &CasePatch,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Case>;
    /// A return visit for the case: a new job at its job's customer, site and product.
    /// Errors: `NotFound`, `Conflict` (one exists, or no job), `Invalid`.
    async fn return_visit(
        &self,
        kind: CaseKind,
        id: CaseId,
        input: &ReturnVisitInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(Case, JobView)>;
    /// Follow-up calls still to make, due on or before `due`.
    async fn follow_ups_due(
        &self,
        due: NaiveDate,
        after: Option<i64>,
        limit: u32,
    ) -> Result<FollowUpList>;
    /// What a follow-up call found. Errors: `NotFound`, `Conflict` (not due), `Invalid`.
    async fn record_call(
        &self,
        id: FollowUpId,
        input: &OutcomeInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<FollowUp>;
    /// What customers said per model and month, from the first day of `from` to the last of
    /// `to`'s month.
    async fn feedback_summary(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        model: Option<&str>,
    ) -> Result<FeedbackSummary>;
    /// Claims the letter due soonest (it is `sending` from now on), with what to attach.
    async fn claim_letter(&self, now: DateTime<Utc>) -> Result<Option<Outgoing>>;
    /// The mail server accepted letter `id`. Errors: `NotFound`.
    async fn letter_sent(&self, id: LetterId, now: DateTime<Utc>) -> Result<Letter>;
    /// A try at letter `id` failed: it is tried again at `retry_at`, or, without one, has
    /// failed for good. Errors: `NotFound`.
    async fn letter_failed(
        &self,
        id: LetterId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Letter>;
    /// Counts one failed-login attempt under each key of `count`, within `window` of `now`,
    /// unless a key of `check` already holds its limit of attempts in its window: then nothing
    /// is counted, and the answer is that key's index in `check` and when its window ends.
    /// Every HQ process on the storage sees the same counts (the login throttle of several
    /// processes behind one address). A window starts at a key's first attempt after the
    /// previous one ended; ended windows are forgotten.
    async fn reserve_login(
        &self,
        check: &[(String, u32)],
        count: &[String],
        window: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<(usize, DateTime<Utc>)>>;
    /// Takes one attempt back from each of `keys` (never below none) and forgets `forget`.
    async fn release_login(&self, keys: &[String], forget: &[String]) -> Result<()>;
    /// Letters that were being sent when HQ stopped become `unconfirmed`; returns how many.
    /// Only those claimed before `claimed_before` count: on a database other HQ processes
    /// share, a letter claimed since may be in another process's hands right now.
    async fn unconfirm_letters(&self, claimed_before: DateTime<Utc>) -> Result<usize>;
    /// The mail outbox, newest first.
    async fn letters(&self, query: &LetterQuery, limit: u32) -> Result<LetterList>;
    /// One letter. Errors: `NotFound`.
    async fn letter(&self, id: LetterId) -> Result<Letter>;
    /// Sends an unconfirmed, failed or unaddressed letter again. Errors: `NotFound`,
    /// `Conflict`, `Invalid` (still no address).
    async fn resend_letter(&self, id: LetterId, now: DateTime<Utc>) -> Result<Letter>;
    /// The letter template (the standard one until an admin sets one).
    async fn letter_template(&self) -> Result<LetterTemplate>;
    /// Sets the letter template. Errors: `Invalid`.
    async fn set_letter_template(&self, template: &LetterTemplate) -> Result<()>;
    /// HQ's settings, each at its default when never set.
    async fn settings(&self) -> Result<onsite_protocol::settings::Settings>;
    /// Sets HQ's settings. Errors: `Invalid` for a value
    /// [`Settings::validate`](onsite_protocol::settings::Settings::validate) refuses.
    async fn set_settings(&self, settings: &onsite_protocol::settings::Settings) -> Result<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_console_session_ends_when_idle_or_at_its_lifetime() {
        let t0 = DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z")
            .unwrap()
            .to_utc();
        let m = chrono::Duration::minutes;
        let cases = [
            // (last seen after sign-in, now after sign-in, state)
            (m(0), m(0), ConsoleState::Live { touch: false }),
            (m(0), m(1), ConsoleState::Live { touch: true }),
            (m(0), m(29), ConsoleState::Live { touch: true }),
            (m(0), m(30), ConsoleState::Idle),
            (m(600), m(629), ConsoleState::Live { touch: true }),
            (m(700), m(719), ConsoleState::Live { touch: true }),
            (m(719), m(720), ConsoleState::Expired),
        ];
        for (seen, now, state) in cases {
            let session = ConsoleSessionInfo {
                id: 1,
                user: User {
                    id: onsite_protocol::UserId::new(),
                    username: "dana".into(),
                    display_name: "Dana".into(),
                    role: onsite_protocol::Role::Dispatcher,
                    skills: vec![],
                },
                created_at: t0,
                last_seen_at: t0 + seen,
            };
            assert_eq!(session.state(t0 + now), state, "seen {seen}, now {now}");
        }
    }

    #[test]
    fn a_page_fills_at_its_limit_or_its_size_but_never_empty() {
        let big = MAX_PAGE_BYTES + 1;
        let cases = [
            // (taken, bytes, next, limit, full)
            (0, 0, big, 500, false),
            (1, 10, big, 500, true),
            (1, 10, 10, 500, false),
            (500, 10, 10, 500, true),
            (499, MAX_PAGE_BYTES - 10, 10, 500, false),
            (499, MAX_PAGE_BYTES - 10, 11, 500, true),
            (3, usize::MAX, 1, 500, true),
        ];
        for (taken, bytes, next, limit, full) in cases {
            assert_eq!(
                page_is_full(taken, bytes, next, limit),
                full,
                "{taken} {bytes} {next} {limit}"
            );
        }
    }
}
