//! [`Storage`] on PostgreSQL: each method is one transaction on a pooled connection.
//! Each method calls the module of the same name as the embedded engine's, so the two read
//! side by side.

use super::{
    PostgresStorage, board, cases, console_sessions, feed, feedback, fills, follow_ups, job_rows,
    jobs, letters, login_failures, ops, reference, reference_pull, sessions, settings, stock,
    suggest, users, visit,
};
use crate::storage::*;
use chrono::{DateTime, NaiveDate, Utc};
use onsite_protocol::api::{JobInput, JobList, JobListQuery, JobPatch, JobView, PullPage};
use onsite_protocol::cases::{
    Case, CaseInput, CaseKind, CaseList, CasePatch, CaseQuery, ReturnVisitInput,
};
use onsite_protocol::conflict::ConflictView;
use onsite_protocol::feedback::{FeedbackSummary, FollowUp, FollowUpList, OutcomeInput};
use onsite_protocol::mail::{Letter, LetterList, LetterQuery, LetterTemplate};
use onsite_protocol::push::{JobOps, PushResponse};
use onsite_protocol::received::ReceivedOps;
use onsite_protocol::reference::{
    ChecklistList, GuideList, PartList, ReferenceUpdate, WarrantyPolicyList,
};
use onsite_protocol::stock::{StockIssued, StockReturned, VanStock};
use onsite_protocol::{CaseId, DeviceId, FollowUpId, JobId, LetterId, OpId, Resolution, User};

#[async_trait::async_trait]
impl Storage for PostgresStorage {
    fn instance_id(&self) -> &str {
        &self.instance
    }

    async fn ping(&self) -> Result<()> {
        read!(self, |tx| async {
            tx.query_one("SELECT 1", &[]).await?;
            Ok::<_, StorageError>(())
        })
    }

    async fn add_user(&self, user: NewUser, now: DateTime<Utc>) -> Result<User> {
        write!(self, |tx| users::add(&tx, &user, now))
    }

    async fn accounts(&self, limit: usize) -> Result<onsite_protocol::admin::AccountList> {
        read!(self, |tx| users::accounts(&tx, limit))
    }

    async fn change_account(
        &self,
        username: &str,
        change: &AccountChange,
        now: DateTime<Utc>,
    ) -> Result<(onsite_protocol::admin::Account, usize)> {
        let (username, change) = (username.to_string(), change.clone());
        write!(self, |tx| users::change(&tx, &username, &change, now))
    }

    async fn calendar_generation(&self, username: &str) -> Result<Option<u32>> {
        let username = username.to_string();
        read!(self, |tx| users::calendar_generation(&tx, &username))
    }

    async fn renew_calendar(&self, username: &str) -> Result<u32> {
        let username = username.to_string();
        write!(self, |tx| users::renew_calendar(&tx, &username))
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        let username = username.to_string();
        read!(self, |tx| users::credentials(&tx, &username))
    }

    async fn known_device(&self, username: &str, device_id: DeviceId) -> Result<bool> {
        let username = username.to_string();
        read!(self, |tx| sessions::known_device(&tx, &username, device_id))
    }

    async fn create_session(
        &self,
        username: &str,
        device_id: DeviceId,
        tokens: &TokenPair,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (username, tokens) = (username.to_string(), tokens.clone());
        write!(self, |tx| sessions::create(
            &tx, &username, device_id, &tokens, now
        ))
    }

    async fn session(&self, access_hash: &TokenHash) -> Result<Option<SessionInfo>> {
        let hash = *access_hash;
        read!(self, |tx| sessions::by_access(&tx, &hash))
    }

    fn token_key(&self) -> &[u8; 32] {
        &self.token_key
    }

    async fn rotate_session(
        &self,
        refresh_hash: &TokenHash,
        device_id: DeviceId,
        tokens: &TokenPair,
        now: DateTime<Utc>,
    ) -> Result<Refresh> {
        let (hash, tokens) = (*refresh_hash, tokens.clone());
        write!(self, |tx| sessions::rotate(
            &tx, &hash, device_id, &tokens, now
        ))
    }

    async fn end_sessions(
        &self,
        which: &SessionSelector,
        why: Ending,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let which = which.clone();
        write!(self, |tx| sessions::end_sessions(&tx, &which, why, now))
    }

    async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let username = username.to_string();
        write!(self, |tx| sessions::set_user_disabled(
            &tx, &username, disabled, now
        ))
    }

    async fn sessions(
        &self,
        username: Option<&str>,
        ended: bool,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionRecord>> {
        let username = username.map(str::to_string);
        read!(self, |tx| sessions::list(
            &tx,
            username.as_deref(),
            ended,
            limit,
            now
        ))
    }

    async fn create_console_session(
        &self,
        username: &str,
        token_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<SessionId> {
        let (username, hash) = (username.to_string(), *token_hash);
        write!(self, |tx| console_sessions::create(
            &tx, &username, &hash, now
        ))
    }

    async fn console_session(&self, token_hash: &TokenHash) -> Result<Option<ConsoleSessionInfo>> {
        let hash = *token_hash;
        read!(self, |tx| console_sessions::by_token(&tx, &hash))
    }

    async fn touch_console_session(&self, id: SessionId, now: DateTime<Utc>) -> Result<()> {
        unordered!(self, |tx| console_sessions::touch(&tx, id, now))
    }

    async fn end_console_session(
        &self,
        id: SessionId,
        why: Ending,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        write!(self, |tx| console_sessions::end(&tx, id, why, now))
    }

    async fn change_mark(&self) -> Result<ChangeMark> {
        read!(self, |tx| board::change_mark(&tx))
    }

    async fn board(
        &self,
        query: &onsite_protocol::board::BoardQuery,
    ) -> Result<onsite_protocol::board::Board> {
        let query = query.clone();
        read!(self, |tx| board::board(&tx, &query))
    }

    async fn suggestion_facts(
        &self,
        id: JobId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<SuggestionFacts> {
        read!(self, |tx| suggest::facts(&tx, id, from, to))
    }

    async fn import_jobs(
        &self,
        lines: &[(usize, JobInput)],
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let lines = lines.to_vec();
        write!(self, |tx| jobs::import(&tx, &lines, now))
    }

    async fn import_parts(&self, parts: &[(usize, Part)]) -> Result<ImportReport> {
        let parts = parts.to_vec();
        write!(self, |tx| reference::import_parts(&tx, &parts))
    }

    async fn import_checklists(
        &self,
        templates: &[(usize, ChecklistTemplate)],
    ) -> Result<ImportReport> {
        let templates = templates.to_vec();
        write!(self, |tx| reference::import_checklists(&tx, &templates))
    }

    async fn import_warranty(&self, policies: &[(usize, WarrantyPolicy)]) -> Result<ImportReport> {
        let policies = policies.to_vec();
        write!(self, |tx| reference::import_warranty(&tx, &policies))
    }

    async fn import_guides(&self, guides: &[GuideFile]) -> Result<ImportReport> {
        let guides = guides.to_vec();
        write!(self, |tx| reference::import_guides(&tx, &guides))
    }

    async fn set_letterhead(
        &self,
        letterhead: &onsite_protocol::letterhead::Letterhead,
    ) -> Result<bool> {
        let letterhead = letterhead.clone();
        write!(self, |tx| reference::set_letterhead(&tx, &letterhead))
    }

    async fn letterhead(&self) -> Result<Option<onsite_protocol::letterhead::Letterhead>> {
        read!(self, |tx| reference::letterhead_changed(&tx, 0))
    }

    async fn set_labour(&self, prices: &onsite_protocol::labour::LabourPrices) -> Result<bool> {
        let prices = prices.clone();
        write!(self, |tx| reference::set_labour(&tx, &prices))
    }

    async fn labour(&self) -> Result<Option<onsite_protocol::labour::LabourPrices>> {
        read!(self, |tx| reference::labour_changed(&tx, 0))
    }

    async fn parts(&self, after: Option<&str>, limit: u32) -> Result<PartList> {
        let after = after.map(str::to_string);
        read!(self, |tx| reference::parts(&tx, after.as_deref(), limit))
    }

    async fn checklists(&self, after: Option<&str>, limit: u32) -> Result<ChecklistList> {
        let after = after.map(str::to_string);
        read!(self, |tx| reference::checklists(
            &tx,
            after.as_deref(),
            limit
        ))
    }

    async fn warranty_policies(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<WarrantyPolicyList> {
        let after = after.map(str::to_string);
        read!(self, |tx| reference::warranty_policies(
            &tx,
            after.as_deref(),
            limit
        ))
    }

    async fn guides(&self, after: Option<&str>, limit: u32) -> Result<GuideList> {
        let after = after.map(str::to_string);
        read!(self, |tx| reference::guides(&tx, after.as_deref(), limit))
    }

    async fn reference_update(
        &self,
        technician: &str,
        since: Option<&ReferencePosition>,
    ) -> Result<(Option<ReferenceUpdate>, ReferencePosition)> {
        let (technician, since) = (technician.to_string(), since.cloned());
        read!(self, |tx| reference_pull::update(
            &tx,
            &technician,
            since.as_ref()
        ))
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
        write!(self, |tx| stock::issue(&tx, &to, &sku, &issued, &by, now))
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
        write!(self, |tx| stock::give_back(
            &tx, &from, &sku, &returned, &by, now
        ))
    }

    async fn fill_parts_request(
        &self,
        request: OpId,
        by: &str,
        how: &str,
        now: DateTime<Utc>,
    ) -> Result<onsite_protocol::visit::PartsFill> {
        let (by, how) = (by.to_string(), how.to_string());
        write!(self, |tx| fills::fill(&tx, request, &by, &how, now))
    }

    async fn van_stock(
        &self,
        technician: &str,
        before: Option<i64>,
        limit: u32,
    ) -> Result<VanStock> {
        let technician = technician.to_string();
        read!(self, |tx| stock::van(&tx, &technician, before, limit))
    }

    async fn create_job(&self, input: &JobInput, now: DateTime<Utc>) -> Result<JobView> {
        let input = input.clone();
        write!(self, |tx| jobs::create(&tx, &input, now))
    }

    async fn update_job(&self, id: JobId, patch: &JobPatch, now: DateTime<Utc>) -> Result<JobView> {
        let patch = patch.clone();
        write!(self, |tx| jobs::update(&tx, id, &patch, now))
    }

    async fn assign_job(
        &self,
        id: JobId,
        technician: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        let technician = technician.map(str::to_string);
        write!(self, |tx| jobs::assign(&tx, id, technician.as_deref(), now))
    }

    async fn schedule_job(
        &self,
        id: JobId,
        req: &onsite_protocol::board::ScheduleRequest,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        let req = req.clone();
        write!(self, |tx| jobs::schedule(&tx, id, &req, now))
    }

    async fn cancel_job(
        &self,
        id: JobId,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        let reason = reason.map(str::to_string);
        write!(self, |tx| jobs::cancel(&tx, id, reason.as_deref(), now))
    }

    async fn job(&self, id: JobId) -> Result<JobView> {
        read!(self, |tx| async {
            let job = job_rows::job_by_id(&tx, id)
                .await?
                .ok_or(StorageError::NotFound("job"))?;
            job_rows::view(&tx, job).await
        })
    }

    async fn job_by_number(&self, number: &str) -> Result<JobView> {
        let number = number.trim().to_string();
        read!(self, |tx| async {
            let job = job_rows::job_by_number(&tx, &number)
                .await?
                .ok_or(StorageError::NotFound("job"))?;
            job_rows::view(&tx, job).await
        })
    }

    async fn list_jobs(&self, query: &JobListQuery, max_limit: u32) -> Result<JobList> {
        let query = query.clone();
        read!(self, |tx| job_rows::list(&tx, &query, max_limit))
    }

    async fn pull(
        &self,
        technician: &str,
        after: Option<i64>,
        known: Option<i64>,
        limit: u32,
    ) -> Result<(PullPage, FeedPosition)> {
        let technician = technician.to_string();
        let (page, seq, mark) =
            read!(self, |tx| feed::page(&tx, &technician, after, known, limit))?;
        Ok((
            page,
            FeedPosition {
                instance: self.instance.clone(),
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
        write!(self, |tx| ops::push(&tx, &pusher, &ops, &blobs, now))
    }

    async fn job_ops(&self, id: JobId, after: Option<i64>, limit: u32) -> Result<JobOps> {
        read!(self, |tx| ops::job_ops(&tx, id, after, limit))
    }

    async fn job_visit(&self, id: JobId) -> Result<onsite_protocol::visit::JobVisit> {
        read!(self, |tx| visit::view(&tx, id))
    }

    async fn parts_requests(
        &self,
        after: Option<i64>,
        limit: u32,
    ) -> Result<onsite_protocol::visit::PartsRequestList> {
        read!(self, |tx| visit::parts_requests(&tx, after, limit))
    }

    async fn cases(&self, kind: CaseKind, query: &CaseQuery, limit: u32) -> Result<CaseList> {
        let query = query.clone();
        read!(self, |tx| cases::list(&tx, kind, &query, limit))
    }

    async fn case(&self, kind: CaseKind, id: CaseId) -> Result<Case> {
        read!(self, |tx| cases::get(&tx, kind, id))
    }

    async fn create_case(
        &self,
        kind: CaseKind,
        input: &CaseInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        let (input, by) = (input.clone(), by.to_string());
        write!(self, |tx| cases::create(&tx, kind, &input, &by, now))
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
        write!(self, |tx| cases::update(&tx, kind, id, &patch, &by, now))
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
        write!(self, |tx| cases::return_visit(
            &tx, kind, id, &input, &by, now
        ))
    }

    async fn follow_ups_due(
        &self,
        due: NaiveDate,
        after: Option<i64>,
        limit: u32,
    ) -> Result<FollowUpList> {
        read!(self, |tx| follow_ups::due(&tx, due, after, limit))
    }

    async fn record_call(
        &self,
        id: FollowUpId,
        input: &OutcomeInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<FollowUp> {
        let (input, by) = (input.clone(), by.to_string());
        write!(self, |tx| follow_ups::outcome(&tx, id, &input, &by, now))
    }

    async fn feedback_summary(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        model: Option<&str>,
    ) -> Result<FeedbackSummary> {
        let model = model.map(str::to_string);
        read!(self, |tx| feedback::summary(
            &tx,
            from,
            to,
            model.as_deref()
        ))
    }

    async fn claim_letter(&self, now: DateTime<Utc>) -> Result<Option<Outgoing>> {
        write!(self, |tx| letters::claim(&tx, now))
    }

    async fn letter_sent(&self, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
        write!(self, |tx| letters::sent(&tx, id, now))
    }

    async fn letter_failed(
        &self,
        id: LetterId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Letter> {
        let error = error.to_string();
        write!(self, |tx| letters::fail(&tx, id, &error, retry_at, now))
    }

    async fn reserve_login(
        &self,
        check: &[(String, u32)],
        count: &[String],
        window: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<(usize, DateTime<Utc>)>> {
        write!(self, |tx| login_failures::reserve(
            &tx, check, count, window, now
        ))
    }

    async fn release_login(&self, keys: &[String], forget: &[String]) -> Result<()> {
        write!(self, |tx| login_failures::release(&tx, keys, forget))
    }

    async fn unconfirm_letters(&self, claimed_before: DateTime<Utc>) -> Result<usize> {
        write!(self, |tx| letters::unconfirm(&tx, claimed_before))
    }

    async fn letters(&self, query: &LetterQuery, limit: u32) -> Result<LetterList> {
        let query = query.clone();
        read!(self, |tx| letters::list(&tx, &query, limit))
    }

    async fn letter(&self, id: LetterId) -> Result<Letter> {
        read!(self, |tx| letters::get(&tx, id))
    }

    async fn resend_letter(&self, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
        write!(self, |tx| letters::resend(&tx, id, now))
    }

    async fn letter_template(&self) -> Result<LetterTemplate> {
        read!(self, |tx| letters::template(&tx))
    }

    async fn set_letter_template(&self, template: &LetterTemplate) -> Result<()> {
        let template = template.clone();
        write!(self, |tx| letters::set_template(&tx, &template))
    }

    async fn settings(&self) -> Result<onsite_protocol::settings::Settings> {
        read!(self, |tx| settings::settings(&tx))
    }

    async fn set_settings(&self, values: &onsite_protocol::settings::Settings) -> Result<()> {
        let values = values.clone();
        write!(self, |tx| settings::set_settings(&tx, &values))
    }

    async fn conflicts(&self, all: bool) -> Result<Vec<ConflictView>> {
        read!(self, |tx| ops::conflicts(&tx, all))
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
        write!(self, |tx| ops::resolve(
            &tx,
            op_id,
            resolution,
            note.as_deref(),
            &by,
            now
        ))
    }

    async fn received_ops(&self, after: Option<i64>, limit: u32) -> Result<ReceivedOps> {
        read!(self, |tx| ops::received(&tx, after, limit))
    }
}
