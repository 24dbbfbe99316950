//! The embedded storage engine: one SQLite file in HQ's data folder.
//!
//! One writer connection behind a mutex, with every write in a `BEGIN IMMEDIATE`
//! transaction; a small pool of reader connections, each read in its own snapshot. Every call
//! runs on tokio's blocking pool. The engine only reads and writes; what an op means, who a
//! change is fed to and what enters the history are HQ's rules (`crate::rules`).

mod board;
mod cases;
mod clock;
mod console_sessions;
mod corrections;
mod feed;
mod feedback;
mod fills;
mod follow_ups;
mod jobs;
mod letters;
mod login_failures;
mod ops;
mod recorded;
mod reference;
mod reference_pull;
mod rows;
mod schema;
mod sessions;
mod settings;
mod stock;
mod suggest;
#[cfg(test)]
mod tests;
mod users;
mod visit;

pub use schema::MIGRATIONS;

use super::*;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Readers kept open between requests; more are opened on demand and dropped after use.
const POOLED_READERS: usize = 8;

/// [`Storage`] on one SQLite file. Cheap to clone: clones share the connections.
#[derive(Clone)]
pub struct SqliteStorage {
    engine: Arc<Engine>,
}

/// The connections, used from the blocking pool only.
struct Engine {
    path: PathBuf,
    instance: String,
    token_key: [u8; 32],
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        StorageError::Backend(e.to_string())
    }
}

impl From<onsite_sqlite::OpenError> for StorageError {
    fn from(e: onsite_sqlite::OpenError) -> Self {
        StorageError::Open(e.to_string())
    }
}

impl SqliteStorage {
    /// Opens (creating and migrating if needed) the database at `path`.
    ///
    /// # Errors
    /// [`StorageError::Open`] when the file cannot be opened or is from a newer build.
    pub fn open(path: &Path) -> Result<Self> {
        let writer = onsite_sqlite::open(path, MIGRATIONS)?;
        // An answer to a push lets the device delete its copy of the ops: a commit must
        // survive a power cut, not only a crash.
        writer.pragma_update(None, "synchronous", "FULL")?;
        let instance =
            writer.query_row("SELECT value FROM meta WHERE key = 'instance'", [], |r| {
                r.get(0)
            })?;
        let key: String =
            writer.query_row("SELECT value FROM meta WHERE key = 'token_key'", [], |r| {
                r.get(0)
            })?;
        let token_key = hex::decode(&key)
            .ok()
            .and_then(|k| <[u8; 32]>::try_from(k).ok())
            .ok_or_else(|| StorageError::Open("the stored token key is unreadable".into()))?;
        Ok(Self {
            engine: Arc::new(Engine {
                path: path.to_path_buf(),
                instance,
                token_key,
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Runs `f` in a write transaction on the blocking pool and commits it; rolls back on
    /// error.
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
    {
        let engine = self.engine.clone();
        off_the_workers(move || engine.write(f)).await
    }

    /// Runs `f` in a read transaction (one consistent snapshot) on the blocking pool.
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
    {
        let engine = self.engine.clone();
        off_the_workers(move || engine.read(f)).await
    }
}

/// SQLite blocks: its calls run on the blocking pool, never on the async workers.
async fn off_the_workers<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StorageError::Backend(format!("storage task failed: {e}")))?
}

impl Engine {
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        // A poisoned lock means a panic mid-transaction; the transaction was rolled back when
        // dropped, so the connection is still sound.
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let pooled = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut conn = match pooled {
            Some(c) => c,
            None => onsite_sqlite::open_migrated(&self.path, MIGRATIONS)?,
        };
        let out = {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx);
            // Read-only: finishing the transaction cannot lose anything.
            tx.finish()?;
            out
        };
        let mut pool = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < POOLED_READERS {
            pool.push(conn);
        }
        out
    }
}

#[async_trait::async_trait]
impl Storage for SqliteStorage {
    fn instance_id(&self) -> &str {
        &self.engine.instance
    }

    async fn ping(&self) -> Result<()> {
        self.read(|tx| Ok(tx.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    async fn add_user(&self, user: NewUser, now: DateTime<Utc>) -> Result<User> {
        self.write(move |tx| users::add(tx, user, now)).await
    }

    async fn accounts(&self, limit: usize) -> Result<onsite_protocol::admin::AccountList> {
        self.read(move |tx| users::accounts(tx, limit)).await
    }

    async fn change_account(
        &self,
        username: &str,
        change: &AccountChange,
        now: DateTime<Utc>,
    ) -> Result<(onsite_protocol::admin::Account, usize)> {
        let (username, change) = (username.to_string(), change.clone());
        self.write(move |tx| users::change(tx, &username, &change, now))
            .await
    }

    async fn calendar_generation(&self, username: &str) -> Result<Option<u32>> {
        let username = username.to_string();
        self.read(move |tx| users::calendar_generation(tx, &username))
            .await
    }

    async fn renew_calendar(&self, username: &str) -> Result<u32> {
        let username = username.to_string();
        self.write(move |tx| users::renew_calendar(tx, &username))
            .await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        let username = username.to_string();
        self.read(move |tx| users::credentials(tx, &username)).await
    }

    async fn known_device(&self, username: &str, device_id: DeviceId) -> Result<bool> {
        let username = username.to_string();
        self.read(move |tx| sessions::known_device(tx, &username, device_id))
            .await
    }

    async fn create_session(
        &self,
        username: &str,
        device_id: DeviceId,
        tokens: &TokenPair,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (username, tokens) = (username.to_string(), tokens.clone());
        self.write(move |tx| sessions::create(tx, &username, device_id, &tokens, now))
            .await
    }

    async fn session(&self, access_hash: &TokenHash) -> Result<Option<SessionInfo>> {
        let hash = *access_hash;
        self.read(move |tx| sessions::by_access(tx, &hash)).await
    }

    fn token_key(&self) -> &[u8; 32] {
        &self.engine.token_key
    }

    async fn rotate_session(
        &self,
        refresh_hash: &TokenHash,
        device_id: DeviceId,
        tokens: &TokenPair,
        now: DateTime<Utc>,
    ) -> Result<Refresh> {
        let (hash, tokens) = (*refresh_hash, tokens.clone());
        self.write(move |tx| sessions::rotate(tx, &hash, device_id, &tokens, now))
            .await
    }

    async fn end_sessions(
        &self,
        which: &SessionSelector,
        why: Ending,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let which = which.clone();
        self.write(move |tx| sessions::end_sessions(tx, &which, why, now))
            .await
    }

    async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let username = username.to_string();
        self.write(move |tx| sessions::set_user_disabled(tx, &username, disabled, now))
            .await
    }

    async fn sessions(
        &self,
        username: Option<&str>,
        ended: bool,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionRecord>> {
        let username = username.map(str::to_string);
        self.read(move |tx| sessions::list(tx, username.as_deref(), ended, limit, now))
            .await
    }

    async fn create_console_session(
        &self,
        username: &str,
        token_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<SessionId> {
        let (username, hash) = (username.to_string(), *token_hash);
        self.write(move |tx| console_sessions::create(tx, &username, &hash, now))
            .await
    }

    async fn console_session(&self, token_hash: &TokenHash) -> Result<Option<ConsoleSessionInfo>> {
        let hash = *token_hash;
        self.read(move |tx| console_sessions::by_token(tx, &hash))
            .await
    }

    async fn touch_console_session(&self, id: SessionId, now: DateTime<Utc>) -> Result<()> {
        self.write(move |tx| console_sessions::touch(tx, id, now))
            .await
    }

    async fn end_console_session(
        &self,
        id: SessionId,
        why: Ending,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        self.write(move |tx| console_sessions::end(tx, id, why, now))
            .await
    }

    async fn change_mark(&self) -> Result<ChangeMark> {
        self.read(board::change_mark).await
    }

    async fn board(
        &self,
        query: &onsite_protocol::board::BoardQuery,
    ) -> Result<onsite_protocol::board::Board> {
        let query = query.clone();
        self.read(move |tx| board::board(tx, &query)).await
    }

    async fn suggestion_facts(
        &self,
        id: JobId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<SuggestionFacts> {
        self.read(move |tx| suggest::facts(tx, id, from, to)).await
    }

    async fn import_jobs(
        &self,
        lines: &[(usize, JobInput)],
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let lines = lines.to_vec();
        self.write(move |tx| jobs::import(tx, &lines, now)).await
    }

    async fn import_parts(&self, parts: &[(usize, Part)]) -> Result<ImportReport> {
        let parts = parts.to_vec();
        self.write(move |tx| reference::import_parts(tx, &parts))
            .await
    }

    async fn import_checklists(
        &self,
        templates: &[(usize, ChecklistTemplate)],
    ) -> Result<ImportReport> {
        let templates = templates.to_vec();
        self.write(move |tx| reference::import_checklists(tx, &templates))
            .await
    }

    async fn import_warranty(&self, policies: &[(usize, WarrantyPolicy)]) -> Result<ImportReport> {
        let policies = policies.to_vec();
        self.write(move |tx| reference::import_warranty(tx, &policies))
            .await
    }

    async fn import_guides(&self, guides: &[GuideFile]) -> Result<ImportReport> {
        let guides = guides.to_vec();
        self.write(move |tx| reference::import_guides(tx, &guides))
            .await
    }

    async fn set_letterhead(
        &self,
        letterhead: &onsite_protocol::letterhead::Letterhead,
    ) -> Result<bool> {
        let letterhead = letterhead.clone();
        self.write(move |tx| reference::set_letterhead(tx, &letterhead))
            .await
    }

    async fn letterhead(&self) -> Result<Option<onsite_protocol::letterhead::Letterhead>> {
        self.read(|tx| reference::letterhead_changed(tx, 0)).await
    }

    async fn set_labour(&self, prices: &onsite_protocol::labour::LabourPrices) -> Result<bool> {
        let prices = prices.clone();
        self.write(move |tx| reference::set_labour(tx, &prices))
            .await
    }

    async fn labour(&self) -> Result<Option<onsite_protocol::labour::LabourPrices>> {
        self.read(|tx| reference::labour_changed(tx, 0)).await
    }

    async fn parts(&self, after: Option<&str>, limit: u32) -> Result<PartList> {
        let after = after.map(str::to_string);
        self.read(move |tx| reference::parts(tx, after.as_deref(), limit))
            .await
    }

    async fn checklists(&self, after: Option<&str>, limit: u32) -> Result<ChecklistList> {
        let after = after.map(str::to_string);
        self.read(move |tx| reference::checklists(tx, after.as_deref(), limit))
            .await
    }

    async fn warranty_policies(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<WarrantyPolicyList> {
        let after = after.map(str::to_string);
        self.read(move |tx| reference::warranty_policies(tx, after.as_deref(), limit))
            .await
    }

    async fn guides(&self, after: Option<&str>, limit: u32) -> Result<GuideList> {
        let after = after.map(str::to_string);
        self.read(move |tx| reference::guides(tx, after.as_deref(), limit))
            .await
    }

    async fn reference_update(
        &self,
        technician: &str,
        since: Option<&ReferencePosition>,
    ) -> Result<(Option<ReferenceUpdate>, ReferencePosition)> {
        let (technician, since) = (technician.to_string(), since.cloned());
        self.read(move |tx| reference_pull::update(tx, &technician, since.as_ref()))
            .await
    }

    async fn issue_stock(
        &self,
        to: &str,
        sku: &str,
        issued: &StockIssue,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<StockIssued> {
        let (to, sku, issued, by) = (
            to.to_string(),
            sku.to_string(),
            issued.clone(),
            by.to_string(),
        );
        self.write(move |tx| stock::issue(tx, &to, &sku, &issued, &by, now))
            .await
    }

    async fn return_stock(
        &self,
        from: &str,
        sku: &str,
        returned: &StockIssue,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<StockReturned> {
        let (from, sku, returned, by) = (
            from.to_string(),
            sku.to_string(),
            returned.clone(),
            by.to_string(),
        );
        self.write(move |tx| stock::give_back(tx, &from, &sku, &returned, &by, now))
            .await
    }

    async fn fill_parts_request(
        &self,
        request: OpId,
        by: &str,
        how: &str,
        now: DateTime<Utc>,
    ) -> Result<onsite_protocol::visit::PartsFill> {
        let (by, how) = (by.to_string(), how.to_string());
        self.write(move |tx| fills::fill(tx, request, &by, &how, now))
            .await
    }

    async fn van_stock(
        &self,
        technician: &str,
        before: Option<i64>,
        limit: u32,
    ) -> Result<VanStock> {
        let technician = technician.to_string();
        self.read(move |tx| stock::van(tx, &technician, before, limit))
            .await
    }

    async fn create_job(&self, input: &JobInput, now: DateTime<Utc>) -> Result<JobView> {
        let input = input.clone();
        self.write(move |tx| jobs::create(tx, &input, now)).await
    }

    async fn update_job(&self, id: JobId, patch: &JobPatch, now: DateTime<Utc>) -> Result<JobView> {
        let patch = patch.clone();
        self.write(move |tx| jobs::update(tx, id, &patch, now))
            .await
    }

    async fn assign_job(
        &self,
        id: JobId,
        technician: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        let technician = technician.map(str::to_string);
        self.write(move |tx| jobs::assign(tx, id, technician.as_deref(), now))
            .await
    }

    async fn schedule_job(
        &self,
        id: JobId,
        req: &onsite_protocol::board::ScheduleRequest,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        let req = req.clone();
        self.write(move |tx| jobs::schedule(tx, id, &req, now))
            .await
    }

    async fn cancel_job(
        &self,
        id: JobId,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        let reason = reason.map(str::to_string);
        self.write(move |tx| jobs::cancel(tx, id, reason.as_deref(), now))
            .await
    }

    async fn job(&self, id: JobId) -> Result<JobView> {
        self.read(move |tx| {
            rows::view(
                tx,
                rows::job_by_id(tx, id)?.ok_or(StorageError::NotFound("job"))?,
            )
        })
        .await
    }

    async fn job_by_number(&self, number: &str) -> Result<JobView> {
        let number = number.trim().to_string();
        self.read(move |tx| {
            rows::view(
                tx,
                rows::job_by_number(tx, &number)?.ok_or(StorageError::NotFound("job"))?,
            )
        })
        .await
    }

    async fn list_jobs(&self, query: &JobListQuery, max_limit: u32) -> Result<JobList> {
        let query = query.clone();
        self.read(move |tx| rows::list(tx, &query, max_limit)).await
    }

    async fn pull(
        &self,
        technician: &str,
        after: Option<i64>,
        known: Option<i64>,
        limit: u32,
    ) -> Result<(PullPage, FeedPosition)> {
        let technician = technician.to_string();
        let (page, seq, mark) = self
            .read(move |tx| feed::page(tx, &technician, after, known, limit))
            .await?;
        Ok((
            page,
            FeedPosition {
                instance: self.engine.instance.clone(),
                seq,
                mark: Some(mark),
            },
        ))
    }

    async fn push(
        &self,
        pusher: &Pusher,
        ops: &[serde_json::Value],
        blobs: &BlobSizes,
        now: DateTime<Utc>,
    ) -> Result<PushResponse> {
        let (pusher, ops, blobs) = (pusher.clone(), ops.to_vec(), blobs.clone());
        self.write(move |tx| ops::push(tx, &pusher, &ops, &blobs, now))
            .await
    }

    async fn job_ops(&self, id: JobId, after: Option<i64>, limit: u32) -> Result<JobOps> {
        self.read(move |tx| ops::job_ops(tx, id, after, limit))
            .await
    }

    async fn job_visit(&self, id: JobId) -> Result<onsite_protocol::visit::JobVisit> {
        self.read(move |tx| visit::view(tx, id)).await
    }

    async fn parts_requests(
        &self,
        after: Option<i64>,
        limit: u32,
    ) -> Result<onsite_protocol::visit::PartsRequestList> {
        self.read(move |tx| visit::parts_requests(tx, after, limit))
            .await
    }

    async fn cases(&self, kind: CaseKind, query: &CaseQuery, limit: u32) -> Result<CaseList> {
        let query = query.clone();
        self.read(move |tx| cases::list(tx, kind, &query, limit))
            .await
    }

    async fn case(&self, kind: CaseKind, id: CaseId) -> Result<Case> {
        self.read(move |tx| cases::get(tx, kind, id)).await
    }

    async fn create_case(
        &self,
        kind: CaseKind,
        input: &CaseInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        let (input, by) = (input.clone(), by.to_string());
        self.write(move |tx| cases::create(tx, kind, &input, &by, now))
            .await
    }

    async fn update_case(
        &self,
        kind: CaseKind,
        id: CaseId,
        patch: &CasePatch,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        let (patch, by) = (patch.clone(), by.to_string());
        self.write(move |tx| cases::update(tx, kind, id, &patch, &by, now))
            .await
    }

    async fn return_visit(
        &self,
        kind: CaseKind,
        id: CaseId,
        input: &ReturnVisitInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(Case, JobView)> {
        let (input, by) = (input.clone(), by.to_string());
        // The new job reaches its technician's feed as any created job does.
        self.write(move |tx| cases::return_visit(tx, kind, id, &input, &by, now))
            .await
    }

    async fn follow_ups_due(
        &self,
        due: NaiveDate,
        after: Option<i64>,
        limit: u32,
    ) -> Result<FollowUpList> {
        self.read(move |tx| follow_ups::due(tx, due, after, limit))
            .await
    }

    async fn record_call(
        &self,
        id: FollowUpId,
        input: &OutcomeInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<FollowUp> {
        let (input, by) = (input.clone(), by.to_string());
        self.write(move |tx| follow_ups::outcome(tx, id, &input, &by, now))
            .await
    }

    async fn feedback_summary(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        model: Option<&str>,
    ) -> Result<FeedbackSummary> {
        let model = model.map(str::to_string);
        self.read(move |tx| feedback::summary(tx, from, to, model.as_deref()))
            .await
    }

    async fn claim_letter(&self, now: DateTime<Utc>) -> Result<Option<Outgoing>> {
        self.write(move |tx| letters::claim(tx, now)).await
    }

    async fn letter_sent(&self, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
        self.write(move |tx| letters::sent(tx, id, now)).await
    }

    async fn letter_failed(
        &self,
        id: LetterId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Letter> {
        let error = error.to_string();
        self.write(move |tx| letters::fail(tx, id, &error, retry_at, now))
            .await
    }

    async fn reserve_login(
        &self,
        check: &[(String, u32)],
        count: &[String],
        window: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<(usize, DateTime<Utc>)>> {
        let (check, count) = (check.to_vec(), count.to_vec());
        self.write(move |tx| login_failures::reserve(tx, &check, &count, window, now))
            .await
    }

    async fn release_login(&self, keys: &[String], forget: &[String]) -> Result<()> {
        let (keys, forget) = (keys.to_vec(), forget.to_vec());
        self.write(move |tx| login_failures::release(tx, &keys, &forget))
            .await
    }

    async fn unconfirm_letters(&self, claimed_before: DateTime<Utc>) -> Result<usize> {
        self.write(move |tx| letters::unconfirm(tx, claimed_before))
            .await
    }

    async fn letters(&self, query: &LetterQuery, limit: u32) -> Result<LetterList> {
        let query = query.clone();
        self.read(move |tx| letters::list(tx, &query, limit)).await
    }

    async fn letter(&self, id: LetterId) -> Result<Letter> {
        self.read(move |tx| letters::get(tx, id)).await
    }

    async fn resend_letter(&self, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
        self.write(move |tx| letters::resend(tx, id, now)).await
    }

    async fn letter_template(&self) -> Result<LetterTemplate> {
        self.read(letters::template).await
    }

    async fn set_letter_template(&self, template: &LetterTemplate) -> Result<()> {
        let template = template.clone();
        self.write(move |tx| letters::set_template(tx, &template))
            .await
    }

    async fn settings(&self) -> Result<onsite_protocol::settings::Settings> {
        self.read(settings::settings).await
    }

    async fn set_settings(&self, values: &onsite_protocol::settings::Settings) -> Result<()> {
        let values = values.clone();
        self.write(move |tx| settings::set_settings(tx, &values))
            .await
    }

    async fn conflicts(&self, all: bool) -> Result<Vec<ConflictView>> {
        self.read(move |tx| ops::conflicts(tx, all)).await
    }

    async fn resolve_conflict(
        &self,
        op_id: OpId,
        resolution: Resolution,
        note: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<ConflictView> {
        let (note, by) = (note.map(str::to_string), by.to_string());
        self.write(move |tx| ops::resolve(tx, op_id, resolution, note.as_deref(), &by, now))
            .await
    }

    async fn received_ops(&self, after: Option<i64>, limit: u32) -> Result<ReceivedOps> {
        self.read(move |tx| ops::received(tx, after, limit)).await
    }
}
