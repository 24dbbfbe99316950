//! [`Storage`] on PostgreSQL: each method is one transaction on a pooled connection.
//! The methods not ported yet answer [`StorageError::Backend`] naming themselves; until none
//! is left, no HQ command opens this engine.

use super::{PostgresStorage, console_sessions, sessions, users};
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

fn not_yet<T>(method: &str) -> Result<T> {
    Err(StorageError::Backend(format!(
        "{method} is not on the PostgreSQL engine yet"
    )))
}

#[async_trait::async_trait]
impl Storage for PostgresStorage {
    fn instance_id(&self) -> &str {
        &self.instance
    }

    async fn ping(&self) -> Result<()> {
        read!(self, |tx| async {
            tx.query_one("SELECT 1", &[])
                .await
                .map(|_| ())
                .map_err(StorageError::from)
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
        write!(self, |tx| users::change(&tx, username, change, now))
    }

    async fn calendar_generation(&self, username: &str) -> Result<Option<u32>> {
        read!(self, |tx| users::calendar_generation(&tx, username))
    }

    async fn renew_calendar(&self, username: &str) -> Result<u32> {
        write!(self, |tx| users::renew_calendar(&tx, username))
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        read!(self, |tx| users::credentials(&tx, username))
    }

    async fn known_device(&self, username: &str, device_id: DeviceId) -> Result<bool> {
        read!(self, |tx| sessions::known_device(&tx, username, device_id))
    }

    async fn create_session(
        &self,
        username: &str,
        device_id: DeviceId,
        tokens: &TokenPair,
        now: DateTime<Utc>,
    ) -> Result<()> {
        write!(self, |tx| sessions::create(
            &tx, username, device_id, tokens, now
        ))
    }

    async fn session(&self, access_hash: &TokenHash) -> Result<Option<SessionInfo>> {
        read!(self, |tx| sessions::by_access(&tx, access_hash))
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
        write!(self, |tx| sessions::rotate(
            &tx,
            refresh_hash,
            device_id,
            tokens,
            now
        ))
    }

    async fn end_sessions(
        &self,
        which: &SessionSelector,
        why: Ending,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        write!(self, |tx| sessions::end_sessions(&tx, which, why, now))
    }

    async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        write!(self, |tx| sessions::set_user_disabled(
            &tx, username, disabled, now
        ))
    }

    async fn sessions(
        &self,
        username: Option<&str>,
        ended: bool,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionRecord>> {
        read!(self, |tx| sessions::list(&tx, username, ended, limit, now))
    }

    async fn create_console_session(
        &self,
        username: &str,
        token_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<SessionId> {
        write!(self, |tx| console_sessions::create(
            &tx, username, token_hash, now
        ))
    }

    async fn console_session(&self, token_hash: &TokenHash) -> Result<Option<ConsoleSessionInfo>> {
        read!(self, |tx| console_sessions::by_token(&tx, token_hash))
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
        not_yet("change_mark")
    }

    async fn board(
        &self,
        query: &onsite_protocol::board::BoardQuery,
    ) -> Result<onsite_protocol::board::Board> {
        let _ = (query,);
        not_yet("board")
    }

    async fn suggestion_facts(
        &self,
        id: JobId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<SuggestionFacts> {
        let _ = (id, from, to);
        not_yet("suggestion_facts")
    }

    async fn import_jobs(
        &self,
        lines: &[(usize, JobInput)],
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let _ = (lines, now);
        not_yet("import_jobs")
    }

    async fn import_parts(&self, parts: &[(usize, Part)]) -> Result<ImportReport> {
        let _ = (parts,);
        not_yet("import_parts")
    }

    async fn import_checklists(
        &self,
        templates: &[(usize, ChecklistTemplate)],
    ) -> Result<ImportReport> {
        let _ = (templates,);
        not_yet("import_checklists")
    }

    async fn import_warranty(&self, policies: &[(usize, WarrantyPolicy)]) -> Result<ImportReport> {
        let _ = (policies,);
        not_yet("import_warranty")
    }

    async fn import_guides(&self, guides: &[GuideFile]) -> Result<ImportReport> {
        let _ = (guides,);
        not_yet("import_guides")
    }

    async fn set_letterhead(
        &self,
        letterhead: &onsite_protocol::letterhead::Letterhead,
    ) -> Result<bool> {
        let _ = (letterhead,);
        not_yet("set_letterhead")
    }

    async fn letterhead(&self) -> Result<Option<onsite_protocol::letterhead::Letterhead>> {
        not_yet("letterhead")
    }

    async fn set_labour(&self, prices: &onsite_protocol::labour::LabourPrices) -> Result<bool> {
        let _ = (prices,);
        not_yet("set_labour")
    }

    async fn labour(&self) -> Result<Option<onsite_protocol::labour::LabourPrices>> {
        not_yet("labour")
    }

    async fn parts(&self, after: Option<&str>, limit: u32) -> Result<PartList> {
        let _ = (after, limit);
        not_yet("parts")
    }

    async fn checklists(&self, after: Option<&str>, limit: u32) -> Result<ChecklistList> {
        let _ = (after, limit);
        not_yet("checklists")
    }

    async fn warranty_policies(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<WarrantyPolicyList> {
        let _ = (after, limit);
        not_yet("warranty_policies")
    }

    async fn guides(&self, after: Option<&str>, limit: u32) -> Result<GuideList> {
        let _ = (after, limit);
        not_yet("guides")
    }

    async fn issue_stock(
        &self,
        to: &str,
        sku: &str,
        issued: &StockIssue,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<StockIssued> {
        let _ = (to, sku, issued, by, now);
        not_yet("issue_stock")
    }

    async fn return_stock(
        &self,
        from: &str,
        sku: &str,
        returned: &StockIssue,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<StockReturned> {
        let _ = (from, sku, returned, by, now);
        not_yet("return_stock")
    }

    async fn fill_parts_request(
        &self,
        request: OpId,
        by: &str,
        how: &str,
        now: DateTime<Utc>,
    ) -> Result<onsite_protocol::visit::PartsFill> {
        let _ = (request, by, how, now);
        not_yet("fill_parts_request")
    }

    async fn van_stock(
        &self,
        technician: &str,
        before: Option<i64>,
        limit: u32,
    ) -> Result<VanStock> {
        let _ = (technician, before, limit);
        not_yet("van_stock")
    }

    async fn create_job(&self, input: &JobInput, now: DateTime<Utc>) -> Result<JobView> {
        let _ = (input, now);
        not_yet("create_job")
    }

    async fn update_job(&self, id: JobId, patch: &JobPatch, now: DateTime<Utc>) -> Result<JobView> {
        let _ = (id, patch, now);
        not_yet("update_job")
    }

    async fn assign_job(
        &self,
        id: JobId,
        technician: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        let _ = (id, technician, now);
        not_yet("assign_job")
    }

    async fn schedule_job(
        &self,
        id: JobId,
        req: &onsite_protocol::board::ScheduleRequest,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        let _ = (id, req, now);
        not_yet("schedule_job")
    }

    async fn cancel_job(
        &self,
        id: JobId,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<JobView> {
        let _ = (id, reason, now);
        not_yet("cancel_job")
    }

    async fn job(&self, id: JobId) -> Result<JobView> {
        let _ = (id,);
        not_yet("job")
    }

    async fn job_by_number(&self, number: &str) -> Result<JobView> {
        let _ = (number,);
        not_yet("job_by_number")
    }

    async fn list_jobs(&self, query: &JobListQuery, max_limit: u32) -> Result<JobList> {
        let _ = (query, max_limit);
        not_yet("list_jobs")
    }

    async fn pull(
        &self,
        technician: &str,
        after: Option<i64>,
        known: Option<i64>,
        limit: u32,
    ) -> Result<(PullPage, FeedPosition)> {
        let _ = (technician, after, known, limit);
        not_yet("pull")
    }

    async fn reference_update(
        &self,
        technician: &str,
        since: Option<&ReferencePosition>,
    ) -> Result<(Option<ReferenceUpdate>, ReferencePosition)> {
        let _ = (technician, since);
        not_yet("reference_update")
    }

    async fn push(
        &self,
        pusher: &Pusher,
        ops: &[serde_json::Value],
        blobs: &BlobSizes,
        now: DateTime<Utc>,
    ) -> Result<PushResponse> {
        let _ = (pusher, ops, blobs, now);
        not_yet("push")
    }

    async fn job_ops(&self, id: JobId, after: Option<i64>, limit: u32) -> Result<JobOps> {
        let _ = (id, after, limit);
        not_yet("job_ops")
    }

    async fn conflicts(&self, all: bool) -> Result<Vec<ConflictView>> {
        let _ = (all,);
        not_yet("conflicts")
    }

    async fn resolve_conflict(
        &self,
        op_id: OpId,
        resolution: Resolution,
        note: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<ConflictView> {
        let _ = (op_id, resolution, note, by, now);
        not_yet("resolve_conflict")
    }

    async fn received_ops(&self, after: Option<i64>, limit: u32) -> Result<ReceivedOps> {
        let _ = (after, limit);
        not_yet("received_ops")
    }

    async fn job_visit(&self, id: JobId) -> Result<onsite_protocol::visit::JobVisit> {
        let _ = (id,);
        not_yet("job_visit")
    }

    async fn parts_requests(
        &self,
        after: Option<i64>,
        limit: u32,
    ) -> Result<onsite_protocol::visit::PartsRequestList> {
        let _ = (after, limit);
        not_yet("parts_requests")
    }

    async fn cases(&self, kind: CaseKind, query: &CaseQuery, limit: u32) -> Result<CaseList> {
        let _ = (kind, query, limit);
        not_yet("cases")
    }

    async fn case(&self, kind: CaseKind, id: CaseId) -> Result<Case> {
        let _ = (kind, id);
        not_yet("case")
    }

    async fn create_case(
        &self,
        kind: CaseKind,
        input: &CaseInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        let _ = (kind, input, by, now);
        not_yet("create_case")
    }

    async fn update_case(
        &self,
        kind: CaseKind,
        id: CaseId,
        patch: &CasePatch,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        let _ = (kind, id, patch, by, now);
        not_yet("update_case")
    }

    async fn return_visit(
        &self,
        kind: CaseKind,
        id: CaseId,
        input: &ReturnVisitInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(Case, JobView)> {
        let _ = (kind, id, input, by, now);
        not_yet("return_visit")
    }

    async fn follow_ups_due(
        &self,
        due: NaiveDate,
        after: Option<i64>,
        limit: u32,
    ) -> Result<FollowUpList> {
        let _ = (due, after, limit);
        not_yet("follow_ups_due")
    }

    async fn record_call(
        &self,
        id: FollowUpId,
        input: &OutcomeInput,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<FollowUp> {
        let _ = (id, input, by, now);
        not_yet("record_call")
    }

    async fn feedback_summary(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        model: Option<&str>,
    ) -> Result<FeedbackSummary> {
        let _ = (from, to, model);
        not_yet("feedback_summary")
    }

    async fn claim_letter(&self, now: DateTime<Utc>) -> Result<Option<Outgoing>> {
        let _ = (now,);
        not_yet("claim_letter")
    }

    async fn letter_sent(&self, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
        let _ = (id, now);
        not_yet("letter_sent")
    }

    async fn letter_failed(
        &self,
        id: LetterId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Letter> {
        let _ = (id, error, retry_at, now);
        not_yet("letter_failed")
    }

    async fn unconfirm_letters(&self) -> Result<usize> {
        not_yet("unconfirm_letters")
    }

    async fn letters(&self, query: &LetterQuery, limit: u32) -> Result<LetterList> {
        let _ = (query, limit);
        not_yet("letters")
    }

    async fn letter(&self, id: LetterId) -> Result<Letter> {
        let _ = (id,);
        not_yet("letter")
    }

    async fn resend_letter(&self, id: LetterId, now: DateTime<Utc>) -> Result<Letter> {
        let _ = (id, now);
        not_yet("resend_letter")
    }

    async fn letter_template(&self) -> Result<LetterTemplate> {
        not_yet("letter_template")
    }

    async fn set_letter_template(&self, template: &LetterTemplate) -> Result<()> {
        let _ = (template,);
        not_yet("set_letter_template")
    }

    async fn settings(&self) -> Result<onsite_protocol::settings::Settings> {
        not_yet("settings")
    }

    async fn set_settings(&self, settings: &onsite_protocol::settings::Settings) -> Result<()> {
        let _ = (settings,);
        not_yet("set_settings")
    }
}
