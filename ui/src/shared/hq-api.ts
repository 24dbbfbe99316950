// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p onsite-protocol --features ts hq_bindings`.
// Do not edit: change the Rust type and regenerate.

export type JobId = string;

export type CustomerId = string;

export type SiteId = string;

export type AssetId = string;

export type UserId = string;

export type DeviceId = string;

export type OpId = string;

export type Role = "admin" | "dispatcher" | "technician";

export type JobKind = "installation" | "debugging" | "maintenance" | "repair";

export type JobStatus = "new" | "assigned" | "en_route" | "on_site" | "waiting_parts" | "completed" | "cancelled";

export type Priority = "low" | "normal" | "high" | "urgent";

export type User = { 
/**
 * Stable id.
 */
id: UserId, 
/**
 * Login name; unique and immutable.
 */
username: string, 
/**
 * Name shown to people.
 */
display_name: string, 
/**
 * What the user may do.
 */
role: Role, 
/**
 * Skills used when dispatching (e.g. "boilers", "heat-pumps").
 */
skills: Array<string>, };

export type Customer = { 
/**
 * Stable id.
 */
id: CustomerId, 
/**
 * Person or company name.
 */
name: string, 
/**
 * Contact phone, as entered.
 */
phone: string | null, 
/**
 * Contact email.
 */
email: string | null, };

export type Site = { 
/**
 * Stable id.
 */
id: SiteId, 
/**
 * The customer this site belongs to.
 */
customer_id: CustomerId, 
/**
 * Street address, one line.
 */
address: string, 
/**
 * Town or city, used for grouping and display.
 */
town: string | null, 
/**
 * How to get in: gate codes, parking, "ring twice".
 */
access_notes: string | null, };

export type Asset = { 
/**
 * Stable id.
 */
id: AssetId, 
/**
 * The customer who owns it.
 */
customer_id: CustomerId, 
/**
 * The site where it is installed, if known.
 */
site_id: SiteId | null, 
/**
 * Product model name.
 */
model: string, 
/**
 * Manufacturer serial number.
 */
serial: string | null, 
/**
 * Date of purchase.
 */
purchased_on: string | null, 
/**
 * Date of installation.
 */
installed_on: string | null, 
/**
 * Last day covered by warranty (inclusive).
 */
warranty_until: string | null, };

export type Job = { 
/**
 * Stable id.
 */
id: JobId, 
/**
 * Human number, e.g. `J-000123`; unique.
 */
number: string, 
/**
 * What kind of work.
 */
kind: JobKind, 
/**
 * How urgent.
 */
priority: Priority, 
/**
 * One line for lists.
 */
summary: string, 
/**
 * Free text from the customer request.
 */
description: string | null, 
/**
 * Who the work is for.
 */
customer_id: CustomerId, 
/**
 * Where the work happens.
 */
site_id: SiteId, 
/**
 * The product concerned, if any.
 */
asset_id: AssetId | null, 
/**
 * Username of the assigned technician, if any.
 */
technician: string | null, 
/**
 * Start of the agreed visit window.
 */
scheduled_start: string | null, 
/**
 * End of the agreed visit window.
 */
scheduled_end: string | null, 
/**
 * When the service-level agreement requires the job done.
 */
sla_due: string | null, 
/**
 * Where the job is in its life cycle.
 */
status: JobStatus, 
/**
 * Incremented by HQ on every change to the job.
 */
version: number, 
/**
 * When HQ last changed the job.
 */
updated_at: string, };

export type HistoryEvent = "created" | "imported" | "updated" | "assigned" | "cancelled" | "status" | "settled";

export type StatusChange = { 
/**
 * The job.
 */
job_id: JobId, 
/**
 * When the job entered `status`.
 */
at: string, 
/**
 * The status entered.
 */
status: JobStatus, 
/**
 * Why, when someone said: the cancel reason, the display name of the technician the job
 * was assigned to or who moved it, or the settlement.
 */
detail: string | null, 
/**
 * What made the change.
 */
event: HistoryEvent, };

export type ErrorCode = "bad_request" | "malformed_json" | "validation_failed" | "payload_too_large" | "not_found" | "method_not_allowed" | "unauthorized" | "token_expired" | "invalid_credentials" | "forbidden" | "csrf_rejected" | "conflict" | "invalid_transition" | "rate_limited" | "busy" | "timeout" | "unsupported_encoding" | "uri_too_long" | "internal";

export type ApiError = { 
/**
 * Stable code to branch on.
 */
code: ErrorCode, 
/**
 * Human-readable explanation, safe to show to a user.
 */
message: string, };

export type Health = { 
/**
 * Always `"ok"` when HQ answers 200.
 */
status: string, 
/**
 * HQ's software version.
 */
version: string, 
/**
 * HQ's clock, for diagnosing skew.
 */
server_time: string, };

export type LoginRequest = { 
/**
 * Account name.
 */
username: string, 
/**
 * Plain password; only ever sent over TLS.
 */
password: string, 
/**
 * The installation logging in; the session is bound to it.
 */
device_id: DeviceId, };

export type Tokens = { 
/**
 * Bearer token for API calls; short-lived.
 */
access_token: string, 
/**
 * When the access token stops working.
 */
access_expires_at: string, 
/**
 * One-time token to get the next pair.
 */
refresh_token: string, 
/**
 * When the refresh token stops working (the user must log in again).
 */
refresh_expires_at: string, 
/**
 * Who is logged in.
 */
user: User, };

export type BoardQuery = { 
/**
 * Start of the window (inclusive).
 */
from: string, 
/**
 * End of the window (exclusive); at most [`MAX_BOARD_HOURS`] after `from`.
 */
to: string, };

export type BoardTechnician = { 
/**
 * Login name: what jobs are assigned to.
 */
username: string, 
/**
 * Name shown.
 */
display_name: string, 
/**
 * Skills, matched against jobs when suggesting who should go.
 */
skills: Array<string>, };

export type Board = { 
/**
 * Every technician whose account is enabled, by display name: one lane each.
 */
technicians: Array<BoardTechnician>, 
/**
 * Jobs held by a technician whose window meets the board's window (any status), and their
 * open jobs with no window yet; by window start.
 */
jobs: Array<JobView>, 
/**
 * Open jobs nobody holds, soonest SLA deadline first, then by priority and number.
 */
queue: Array<JobView>, 
/**
 * More jobs met the window or waited in the queue than a board lists.
 */
truncated: boolean, };

export type ScheduleRequest = { 
/**
 * Username of the technician who goes.
 */
technician: string, 
/**
 * Start of the visit window.
 */
scheduled_start: string, 
/**
 * End of the visit window: after the start, at most [`MAX_WINDOW_HOURS`] later.
 */
scheduled_end: string, 
/**
 * The job's version the dispatcher saw; when given and the job has changed since, HQ
 * refuses (`409`) rather than move a job someone else just moved.
 */
version?: number, 
/**
 * Schedule even though the window overlaps another of the technician's; without it an
 * overlap is refused (`409`) and named.
 */
overlap?: boolean, };

export type SuggestionQuery = { 
/**
 * Start of the working day (inclusive); no slot starts before it.
 */
from: string, 
/**
 * End of the working day (exclusive); at most [`MAX_BOARD_HOURS`] after `from`.
 */
to: string, };

export type Consideration = "skills" | "time" | "parts" | "distance";

export type SuggestionReason = { 
/**
 * What it weighs.
 */
about: Consideration, 
/**
 * Whether it counts for them (or against).
 */
good: boolean, 
/**
 * The reason, for people: "knows boilers", "no free 60 minutes".
 */
text: string, };

export type Suggestion = { 
/**
 * Login name.
 */
username: string, 
/**
 * Name shown.
 */
display_name: string, 
/**
 * The sum the ranking is by; higher is better. Only its order means anything.
 */
score: number, 
/**
 * Why, one reason per consideration that could be judged.
 */
reasons: Array<SuggestionReason>, 
/**
 * Minutes of the working day not taken by their visits.
 */
free_minutes: number, 
/**
 * The earliest start, on a quarter hour, where the visit fits between theirs.
 */
slot: string | null, 
/**
 * Metres from the nearest of their visits that day to the site, when both have
 * coordinates.
 */
distance_m: number | null, };

export type Suggestions = { 
/**
 * The job.
 */
job_id: JobId, 
/**
 * How long the visit is taken to last: its window, or an hour.
 */
visit_minutes: number, 
/**
 * The technicians, best first.
 */
technicians: Array<Suggestion>, };

export type ConsoleSignIn = { 
/**
 * Account name.
 */
username: string, 
/**
 * Plain password; only ever sent over TLS.
 */
password: string, };

export type ConsoleSession = { 
/**
 * Who is signed in.
 */
user: User, 
/**
 * Sent back in `X-CSRF-Token` with every request that changes something.
 */
csrf_token: string, 
/**
 * The session ends after this many minutes without a request.
 */
idle_minutes: number, 
/**
 * The session ends at this moment however busy it is.
 */
expires_at: string, };

export type CustomerInput = { 
/**
 * Person or company name. Required.
 */
name: string, 
/**
 * Contact phone.
 */
phone: string | null, 
/**
 * Contact email.
 */
email: string | null, };

export type SiteInput = { 
/**
 * Street address. Required.
 */
address: string, 
/**
 * Town or city.
 */
town: string | null, 
/**
 * How to get in.
 */
access_notes: string | null, 
/**
 * Latitude in degrees (WGS 84), with `lon`: lets HQ say how far a technician is from
 * the site when suggesting who should go.
 */
lat?: number, 
/**
 * Longitude in degrees (WGS 84), with `lat`.
 */
lon?: number, };

export type AssetInput = { 
/**
 * Product model. Required when an asset is given.
 */
model: string, 
/**
 * Manufacturer serial number.
 */
serial: string | null, 
/**
 * Date of purchase.
 */
purchased_on: string | null, 
/**
 * Date of installation.
 */
installed_on: string | null, 
/**
 * Last day of warranty (inclusive).
 */
warranty_until: string | null, };

export type JobInput = { 
/**
 * Human number; required by import, generated by HQ when creating without one.
 */
number: string | null, 
/**
 * Kind of work.
 */
kind: JobKind, 
/**
 * One line for lists.
 */
summary: string, 
/**
 * Longer text.
 */
description: string | null, 
/**
 * Defaults to normal.
 */
priority: Priority | null, 
/**
 * Username of the technician to assign.
 */
technician: string | null, 
/**
 * Who the job is for.
 */
customer: CustomerInput, 
/**
 * Where.
 */
site: SiteInput, 
/**
 * The product concerned.
 */
asset: AssetInput | null, 
/**
 * Start of the visit window.
 */
scheduled_start: string | null, 
/**
 * End of the visit window.
 */
scheduled_end: string | null, 
/**
 * SLA deadline.
 */
sla_due: string | null, };

export type JobPatch = { 
/**
 * New kind.
 */
kind?: JobKind | null, 
/**
 * New priority.
 */
priority?: Priority | null, 
/**
 * New summary.
 */
summary?: string | null, 
/**
 * New description, or `null` to clear.
 */
description?: string | null, 
/**
 * New window start, or `null` to clear.
 */
scheduled_start?: string | null, 
/**
 * New window end, or `null` to clear.
 */
scheduled_end?: string | null, 
/**
 * New SLA deadline, or `null` to clear.
 */
sla_due?: string | null, 
/**
 * The customer's contact phone, corrected at HQ (competes last-writer-wins with
 * technicians' corrections).
 */
contact_phone?: string | null, 
/**
 * The asset's serial, corrected at HQ (last-writer-wins, like the phone).
 */
asset_serial?: string | null, };

export type AssignRequest = { 
/**
 * Username of a technician, or `null` to take the job back to `new`.
 */
technician: string | null, };

export type CancelRequest = { 
/**
 * Why, for the record.
 */
reason: string | null, };

export type JobView = { 
/**
 * The job.
 */
job: Job, 
/**
 * Its customer.
 */
customer: Customer, 
/**
 * Its site.
 */
site: Site, 
/**
 * Its asset, if any.
 */
asset: Asset | null, };

export type JobListQuery = { 
/**
 * Only jobs in this status.
 */
status: JobStatus | null, 
/**
 * Only jobs assigned to this username.
 */
technician: string | null, 
/**
 * Only the job with exactly this number (`J-000123`).
 */
number: string | null, 
/**
 * Only jobs of this kind.
 */
kind?: JobKind | null, 
/**
 * Only jobs whose number, customer, address, town or product serial contains these
 * words (any case); at most [`MAX_SEARCH_CHARS`] characters.
 */
q?: string | null, 
/**
 * Only jobs whose visit window ends after this instant (with `to`: meets the range).
 */
from?: string | null, 
/**
 * Only jobs whose visit window starts before this instant.
 */
to?: string | null, 
/**
 * Only open jobs whose SLA deadline is before this instant: now for the overdue ones,
 * a few hours ahead for those due soon.
 */
sla_due_before?: string | null, 
/**
 * Continue after this job number (from `next`).
 */
after: string | null, 
/**
 * Page size; HQ caps it.
 */
limit: number | null, };

export type JobList = { 
/**
 * This page.
 */
jobs: Array<JobView>, 
/**
 * Pass as `after` to get the next page; absent on the last page.
 */
next: string | null, };

export type TemplateRef = { 
/**
 * The template's key.
 */
key: string, 
/**
 * Its version.
 */
version: number, };

export type FaultCategory = "performance" | "physical_damage" | "misuse" | "unauthorised_repair" | "wear";

export type Remedy = "return" | "replace" | "repair" | "chargeable";

export type WarrantyRule = "excluded_fault" | "return_period" | "replace_period" | "repair_period" | "repeated_failure" | "out_of_warranty" | "unknown_start";

export type WarrantyFacts = { 
/**
 * Date of purchase.
 */
purchased_on: string | null, 
/**
 * Date of installation.
 */
installed_on: string | null, 
/**
 * An extended warranty's last day: replaces the repair period's end when set.
 */
warranty_until: string | null, 
/**
 * Free repairs already made for performance faults.
 */
prior_repairs: number, };

export type CaseId = string;

export type FollowUpId = string;

export type CaseKind = "complaint" | "inquiry";

export type CaseStatus = "open" | "in_progress" | "resolved";

export type CaseSource = "rating" | "follow_up" | "dispatcher";

export type CaseNote = { 
/**
 * When.
 */
at: string, 
/**
 * Who: a dispatcher's name, or what opened it ("the customer's rating").
 */
by: string, 
/**
 * What they wrote.
 */
text: string | null, 
/**
 * The status it moved to, when it moved.
 */
status: CaseStatus | null, };

export type CaseJob = { 
/**
 * The job.
 */
job_id: JobId, 
/**
 * Its number.
 */
number: string, };

export type Case = { 
/**
 * Its id.
 */
id: CaseId, 
/**
 * Complaint or inquiry.
 */
kind: CaseKind, 
/**
 * Where it stands.
 */
status: CaseStatus, 
/**
 * How it came in.
 */
source: CaseSource, 
/**
 * One line.
 */
subject: string, 
/**
 * The customer's words.
 */
details: string | null, 
/**
 * The answer given (an inquiry's), or how it was put right.
 */
answer: string | null, 
/**
 * The customer.
 */
customer_id: CustomerId | null, 
/**
 * Their name.
 */
customer_name: string | null, 
/**
 * The job it is about.
 */
job_id: JobId | null, 
/**
 * Its number.
 */
job_number: string | null, 
/**
 * The product model it is about.
 */
model: string | null, 
/**
 * When it came in.
 */
opened_at: string, 
/**
 * When it last changed.
 */
updated_at: string, 
/**
 * The return visit it led to.
 */
return_visit: CaseJob | null, 
/**
 * Its history, oldest first.
 */
notes: Array<CaseNote>, };

export type CaseInput = { 
/**
 * One line.
 */
subject: string, 
/**
 * The customer's words.
 */
details: string | null, 
/**
 * The job it is about.
 */
job_id: JobId | null, 
/**
 * The customer, when no job is named.
 */
customer_id: CustomerId | null, };

export type CasePatch = { 
/**
 * The new status.
 */
status: CaseStatus | null, 
/**
 * A note for the history.
 */
note: string | null, 
/**
 * The answer given, or how it was put right.
 */
answer: string | null, };

export type ReturnVisitInput = { 
/**
 * One line for lists; "Return visit: " and the case's subject when absent.
 */
summary: string | null, 
/**
 * The technician to send.
 */
technician: string | null, 
/**
 * Start of the visit window.
 */
scheduled_start: string | null, 
/**
 * End of the visit window.
 */
scheduled_end: string | null, };

export type ReturnVisit = { 
/**
 * The case, now linked to the job.
 */
case: Case, 
/**
 * The new job.
 */
job: JobView, };

export type CaseList = { 
/**
 * The cases.
 */
cases: Array<Case>, 
/**
 * Pass as `after` for the next page; absent on the last.
 */
next: number | null, };

export type CallOutcome = "satisfied" | "not_satisfied" | "no_answer" | "wrong_number";

export type FollowUpReason = "installation" | "complaint";

export type FollowUpState = "due" | "done" | "unanswered";

export type Call = { 
/**
 * When it was made.
 */
at: string, 
/**
 * Who called.
 */
by: string, 
/**
 * What it found.
 */
outcome: CallOutcome, 
/**
 * Their words.
 */
note: string | null, };

export type FollowUp = { 
/**
 * Its id.
 */
id: FollowUpId, 
/**
 * Why.
 */
reason: FollowUpReason, 
/**
 * Where it stands.
 */
state: FollowUpState, 
/**
 * The day it is due.
 */
due_on: string, 
/**
 * When the customer would rather be called.
 */
call_time: CallTime | null, 
/**
 * The job it follows.
 */
job_id: JobId, 
/**
 * Its number.
 */
job_number: string, 
/**
 * The customer.
 */
customer_name: string, 
/**
 * The number to call.
 */
phone: string | null, 
/**
 * The complaint it follows, or the one it opened.
 */
case_id: CaseId | null, 
/**
 * The calls made, oldest first.
 */
calls: Array<Call>, };

export type FollowUpList = { 
/**
 * The calls.
 */
follow_ups: Array<FollowUp>, 
/**
 * Pass as `after` for the next page; absent on the last.
 */
next: number | null, };

export type OutcomeInput = { 
/**
 * What the call found.
 */
outcome: CallOutcome, 
/**
 * The caller's words (for a complaint it opens, its details).
 */
note: string | null, };

export type FaultCount = { 
/**
 * The fault.
 */
fault: FaultCategory, 
/**
 * Decisions that found it.
 */
count: number, };

export type FeedbackRow = { 
/**
 * The product model ("no product" for jobs without one).
 */
model: string, 
/**
 * `YYYY-MM`.
 */
month: string, 
/**
 * Ratings given (the latest per job).
 */
ratings: number, 
/**
 * Their mean satisfaction, 1 to 5.
 */
mean_satisfaction: number | null, 
/**
 * Answers to "would you recommend us?".
 */
recommend_answers: number, 
/**
 * Net promoter score, -100 to 100: promoters (9-10) less detractors (0-6), in percent.
 */
nps: number | null, 
/**
 * Complaints opened.
 */
complaints: number, 
/**
 * Warranty decisions by fault category found.
 */
faults: Array<FaultCount>, };

export type TechnicianRow = { 
/**
 * The technician's username.
 */
technician: string, 
/**
 * `YYYY-MM`.
 */
month: string, 
/**
 * Ratings given (the latest per job).
 */
ratings: number, 
/**
 * Their mean satisfaction, 1 to 5.
 */
mean_satisfaction: number | null, 
/**
 * Answers to "would you recommend us?".
 */
recommend_answers: number, 
/**
 * Net promoter score, -100 to 100.
 */
nps: number | null, 
/**
 * Complaints opened about jobs they held.
 */
complaints: number, };

export type FeedbackSummary = { 
/**
 * First month covered.
 */
from: string, 
/**
 * Last month covered.
 */
to: string, 
/**
 * The rows.
 */
rows: Array<FeedbackRow>, 
/**
 * The same per technician (who sent the rating; the job's holder for a complaint), by
 * technician then month; a model filter applies to them too.
 */
technicians: Array<TechnicianRow>, };

export type LetterId = string;

export type LetterState = "waiting" | "sending" | "sent" | "unconfirmed" | "failed" | "no_address";

export type Letter = { 
/**
 * Its id.
 */
id: LetterId, 
/**
 * The job it thanks the customer for.
 */
job_id: JobId, 
/**
 * Its number.
 */
job_number: string, 
/**
 * The customer.
 */
customer_name: string, 
/**
 * Where it goes.
 */
to: string | null, 
/**
 * Its subject.
 */
subject: string, 
/**
 * Its text.
 */
body: string, 
/**
 * Where it stands.
 */
state: LetterState, 
/**
 * Tries made to hand it over.
 */
tries: number, 
/**
 * When the next try is due, while waiting after a failed one.
 */
next_attempt_at: string | null, 
/**
 * Why the last try failed.
 */
last_error: string | null, 
/**
 * When it was written.
 */
created_at: string, 
/**
 * When the mail server accepted it.
 */
sent_at: string | null, };

export type LetterList = { 
/**
 * The letters.
 */
letters: Array<Letter>, 
/**
 * Pass as `after` for the next page; absent on the last.
 */
next: number | null, };

export type LetterTemplate = { 
/**
 * The subject line.
 */
subject: string, 
/**
 * The text.
 */
body: string, };

export type Letterhead = { 
/**
 * The organisation's name, as customers know it.
 */
name: string, 
/**
 * Lines printed under the name (address, phone, e-mail), at most [`MAX_LINES`].
 */
lines: Array<string>, 
/**
 * The logo, a PNG or JPEG file in standard base64, at most [`MAX_LOGO_BYTES`] decoded.
 */
logo?: string, };

export type LabourPrices = { 
/**
 * Charged once for a chargeable visit, whatever its length (travel and call-out).
 */
call_out_cents: number, 
/**
 * Charged per hour of work time recorded on the job.
 */
hourly_cents: number, 
/**
 * Work time is charged by started block of this many minutes, 1 to 60: 15 charges 20
 * minutes as 30.
 */
increment_minutes: number, };

export type Settings = { 
/**
 * Days from a visit to its follow-up call, 1 to [`MAX_FOLLOW_UP_DAYS`]. Calls already
 * scheduled keep their day; the new delay applies to calls scheduled from then on.
 */
follow_up_days: number, };

export type BlobRef = { 
/**
 * Lower-case hex SHA-256 of the content.
 */
sha256: string, 
/**
 * Its size.
 */
bytes: number, };

export type CallTime = "morning" | "afternoon" | "evening";

export type SignOff = { 
/**
 * The sign-off op.
 */
op_id: OpId, 
/**
 * The exact PDF signed.
 */
report: BlobRef, 
/**
 * Who signed, as printed.
 */
signer: string, 
/**
 * The drawn signature; none when signed by typing the name and ticking.
 */
signature: BlobRef | null, 
/**
 * When, by the laptop's clock.
 */
signed_at: string, 
/**
 * The job changed after this signature in a way the report shows: the signed report no
 * longer says what the job now records, and a new signature is needed.
 */
changed_since: boolean, };

export type SignedReports = { 
/**
 * The job.
 */
job_id: JobId, 
/**
 * Each signed report.
 */
reports: Array<SignOff>, };

export type Change = { "kind": "status", 
/**
 * The status entered.
 */
to: JobStatus, } | { "kind": "note", 
/**
 * The note.
 */
text: string, } | { "kind": "attachment", 
/**
 * Lower-case hex SHA-256 of the content.
 */
sha256: string, 
/**
 * The file's name on the device, for people.
 */
file_name: string, 
/**
 * Media type, e.g. `image/jpeg`.
 */
media_type: string, 
/**
 * Size of the content.
 */
bytes: number, 
/**
 * What the photo shows, in the technician's words.
 */
caption?: string | null, } | { "kind": "work_started", 
/**
 * When.
 */
at: string, } | { "kind": "work_stopped", 
/**
 * When.
 */
at: string, } | { "kind": "contact_phone", 
/**
 * The new number.
 */
phone: string, } | { "kind": "asset_serial", 
/**
 * The new serial.
 */
serial: string, } | { "kind": "checklist_pinned", 
/**
 * The versions pinned, by template key.
 */
templates: Array<TemplateRef>, } | { "kind": "checklist_answer", 
/**
 * The template, at the version the job pinned.
 */
template: TemplateRef, 
/**
 * The item's key.
 */
item: string, 
/**
 * The answer.
 */
value: boolean | number | string, } | { "kind": "part_used", 
/**
 * The part.
 */
sku: string, 
/**
 * Units used.
 */
qty: number, 
/**
 * The unit's serial, for a serialized part.
 */
serial?: string, 
/**
 * The serial of the faulty part it replaced, when it had one.
 */
removed_serial?: string, } | { "kind": "warranty_decided", 
/**
 * The fault found.
 */
fault: FaultCategory, 
/**
 * What is done.
 */
remedy: Remedy, 
/**
 * The clause that allows it.
 */
rule: WarrantyRule, 
/**
 * The policy version it was decided under.
 */
policy_version: number, 
/**
 * The asset's facts as the laptop held them.
 */
facts: WarrantyFacts, 
/**
 * The day of the visit, the technician's local date.
 */
visit_on: string, 
/**
 * The facts were not enough (no start date): HQ reviews it.
 */
needs_review?: boolean, 
/**
 * The technician's words.
 */
note?: string, 
/**
 * For `replace`: the new unit's serial, which becomes the asset's.
 */
replacement_serial?: string, 
/**
 * For `return` and `replace`: the reference the faulty unit travels back under.
 */
return_ref?: string, } | { "kind": "voided", 
/**
 * The op voided.
 */
voids: OpId, 
/**
 * Why, in the technician's words.
 */
reason?: string, } | { "kind": "parts_requested", 
/**
 * The part.
 */
sku: string, 
/**
 * Units needed.
 */
qty: number, 
/**
 * What for, in the technician's words.
 */
note?: string, } | { "kind": "signed_off", 
/**
 * The exact PDF signed.
 */
report: BlobRef, 
/**
 * The signer's printed name.
 */
signer: string, 
/**
 * The drawn signature, PNG; none when the customer typed their name and ticked.
 */
signature?: BlobRef, 
/**
 * When, by the laptop's clock (as printed on the report).
 */
signed_at: string, } | { "kind": "rated", 
/**
 * 1 (very dissatisfied) to 5 (very satisfied).
 */
satisfaction: number, 
/**
 * "Would you recommend us?", 0 to 10.
 */
recommend?: number, 
/**
 * Their words.
 */
comment?: string, 
/**
 * What they complain of: opens a complaint at HQ.
 */
complaint?: string, 
/**
 * They agree to a follow-up call.
 */
call_ok?: boolean, 
/**
 * When they would rather be called.
 */
call_time?: CallTime, };

export type Op = { 
/**
 * Minted on the device; the idempotency key.
 */
op_id: OpId, 
/**
 * The device that recorded it.
 */
device_id: DeviceId, 
/**
 * The job it concerns.
 */
job_id: JobId, 
/**
 * When it was recorded, by the device's hybrid logical clock: this orders changes. Its
 * wall part is no time to show people: after seeing a stamp from a clock that runs
 * ahead, every clock's stamps follow it.
 */
hlc: string, 
/**
 * When the technician recorded it, by the device's own wall clock: the time people are
 * shown. Absent from ops older devices sent, and dropped by HQ when it is further ahead
 * of HQ's time than HQ tolerates; then the time HQ received it is shown.
 */
recorded_at?: string, } & ({ "kind": "status", 
/**
 * The status entered.
 */
to: JobStatus, } | { "kind": "note", 
/**
 * The note.
 */
text: string, } | { "kind": "attachment", 
/**
 * Lower-case hex SHA-256 of the content.
 */
sha256: string, 
/**
 * The file's name on the device, for people.
 */
file_name: string, 
/**
 * Media type, e.g. `image/jpeg`.
 */
media_type: string, 
/**
 * Size of the content.
 */
bytes: number, 
/**
 * What the photo shows, in the technician's words.
 */
caption?: string | null, } | { "kind": "work_started", 
/**
 * When.
 */
at: string, } | { "kind": "work_stopped", 
/**
 * When.
 */
at: string, } | { "kind": "contact_phone", 
/**
 * The new number.
 */
phone: string, } | { "kind": "asset_serial", 
/**
 * The new serial.
 */
serial: string, } | { "kind": "checklist_pinned", 
/**
 * The versions pinned, by template key.
 */
templates: Array<TemplateRef>, } | { "kind": "checklist_answer", 
/**
 * The template, at the version the job pinned.
 */
template: TemplateRef, 
/**
 * The item's key.
 */
item: string, 
/**
 * The answer.
 */
value: boolean | number | string, } | { "kind": "part_used", 
/**
 * The part.
 */
sku: string, 
/**
 * Units used.
 */
qty: number, 
/**
 * The unit's serial, for a serialized part.
 */
serial?: string, 
/**
 * The serial of the faulty part it replaced, when it had one.
 */
removed_serial?: string, } | { "kind": "warranty_decided", 
/**
 * The fault found.
 */
fault: FaultCategory, 
/**
 * What is done.
 */
remedy: Remedy, 
/**
 * The clause that allows it.
 */
rule: WarrantyRule, 
/**
 * The policy version it was decided under.
 */
policy_version: number, 
/**
 * The asset's facts as the laptop held them.
 */
facts: WarrantyFacts, 
/**
 * The day of the visit, the technician's local date.
 */
visit_on: string, 
/**
 * The facts were not enough (no start date): HQ reviews it.
 */
needs_review?: boolean, 
/**
 * The technician's words.
 */
note?: string, 
/**
 * For `replace`: the new unit's serial, which becomes the asset's.
 */
replacement_serial?: string, 
/**
 * For `return` and `replace`: the reference the faulty unit travels back under.
 */
return_ref?: string, } | { "kind": "voided", 
/**
 * The op voided.
 */
voids: OpId, 
/**
 * Why, in the technician's words.
 */
reason?: string, } | { "kind": "parts_requested", 
/**
 * The part.
 */
sku: string, 
/**
 * Units needed.
 */
qty: number, 
/**
 * What for, in the technician's words.
 */
note?: string, } | { "kind": "signed_off", 
/**
 * The exact PDF signed.
 */
report: BlobRef, 
/**
 * The signer's printed name.
 */
signer: string, 
/**
 * The drawn signature, PNG; none when the customer typed their name and ticked.
 */
signature?: BlobRef, 
/**
 * When, by the laptop's clock (as printed on the report).
 */
signed_at: string, } | { "kind": "rated", 
/**
 * 1 (very dissatisfied) to 5 (very satisfied).
 */
satisfaction: number, 
/**
 * "Would you recommend us?", 0 to 10.
 */
recommend?: number, 
/**
 * Their words.
 */
comment?: string, 
/**
 * What they complain of: opens a complaint at HQ.
 */
complaint?: string, 
/**
 * They agree to a follow-up call.
 */
call_ok?: boolean, 
/**
 * When they would rather be called.
 */
call_time?: CallTime, });

export type Outcome = "applied" | "duplicate" | "conflict" | "rejected";

export type Reason = "malformed_op" | "unknown_kind" | "wrong_device" | "op_id_reused" | "unknown_job" | "not_your_job" | "invalid_value" | "no_asset" | "attachment_missing" | "attachment_too_large" | "status_conflict" | "job_reassigned" | "job_closed" | "superseded" | "implausible_time" | "unknown_part" | "unknown_checklist" | "checklist_incomplete" | "warranty_mismatch" | "needs_review";

export type OpResult = { 
/**
 * The op's id, when it had a readable one.
 */
op_id: OpId | null, 
/**
 * What HQ did.
 */
outcome: Outcome, 
/**
 * For a duplicate: the outcome the op received when HQ first recorded it.
 */
first?: Outcome | null, 
/**
 * Why (for rejected and conflict; `superseded` for an applied correction that lost).
 */
reason?: Reason | null, 
/**
 * Words for people.
 */
message?: string | null, };

export type PushResponse = { 
/**
 * One per pushed op, same order.
 */
results: Array<OpResult>, 
/**
 * HQ's clock after the push; the device observes it so its next stamps follow HQ's.
 */
hlc: string, };

export type Resolution = "accept_device" | "keep_hq";

export type Settlement = { 
/**
 * What was decided.
 */
resolution: Resolution, 
/**
 * The dispatcher who decided (username).
 */
by: string, 
/**
 * Their display name.
 */
by_name?: string | null, 
/**
 * When.
 */
at: string, 
/**
 * What the dispatcher said about it, for the technician.
 */
note?: string | null, };

export type RecordedOp = { 
/**
 * Username of the technician who sent it.
 */
by: string, 
/**
 * Their display name.
 */
by_name?: string | null, 
/**
 * When HQ received it.
 */
received_at: string, 
/**
 * `applied`, `conflict` or `rejected`.
 */
outcome: Outcome, 
/**
 * Why, when there is a reason.
 */
reason?: Reason | null, 
/**
 * Words for people.
 */
message?: string | null, 
/**
 * For a conflict: how a dispatcher settled it, once they have.
 */
settled?: Settlement | null, 
/**
 * Minted on the device; the idempotency key.
 */
op_id: OpId, 
/**
 * The device that recorded it.
 */
device_id: DeviceId, 
/**
 * The job it concerns.
 */
job_id: JobId, 
/**
 * When it was recorded, by the device's hybrid logical clock: this orders changes. Its
 * wall part is no time to show people: after seeing a stamp from a clock that runs
 * ahead, every clock's stamps follow it.
 */
hlc: string, 
/**
 * When the technician recorded it, by the device's own wall clock: the time people are
 * shown. Absent from ops older devices sent, and dropped by HQ when it is further ahead
 * of HQ's time than HQ tolerates; then the time HQ received it is shown.
 */
recorded_at?: string, } & ({ "kind": "status", 
/**
 * The status entered.
 */
to: JobStatus, } | { "kind": "note", 
/**
 * The note.
 */
text: string, } | { "kind": "attachment", 
/**
 * Lower-case hex SHA-256 of the content.
 */
sha256: string, 
/**
 * The file's name on the device, for people.
 */
file_name: string, 
/**
 * Media type, e.g. `image/jpeg`.
 */
media_type: string, 
/**
 * Size of the content.
 */
bytes: number, 
/**
 * What the photo shows, in the technician's words.
 */
caption?: string | null, } | { "kind": "work_started", 
/**
 * When.
 */
at: string, } | { "kind": "work_stopped", 
/**
 * When.
 */
at: string, } | { "kind": "contact_phone", 
/**
 * The new number.
 */
phone: string, } | { "kind": "asset_serial", 
/**
 * The new serial.
 */
serial: string, } | { "kind": "checklist_pinned", 
/**
 * The versions pinned, by template key.
 */
templates: Array<TemplateRef>, } | { "kind": "checklist_answer", 
/**
 * The template, at the version the job pinned.
 */
template: TemplateRef, 
/**
 * The item's key.
 */
item: string, 
/**
 * The answer.
 */
value: boolean | number | string, } | { "kind": "part_used", 
/**
 * The part.
 */
sku: string, 
/**
 * Units used.
 */
qty: number, 
/**
 * The unit's serial, for a serialized part.
 */
serial?: string, 
/**
 * The serial of the faulty part it replaced, when it had one.
 */
removed_serial?: string, } | { "kind": "warranty_decided", 
/**
 * The fault found.
 */
fault: FaultCategory, 
/**
 * What is done.
 */
remedy: Remedy, 
/**
 * The clause that allows it.
 */
rule: WarrantyRule, 
/**
 * The policy version it was decided under.
 */
policy_version: number, 
/**
 * The asset's facts as the laptop held them.
 */
facts: WarrantyFacts, 
/**
 * The day of the visit, the technician's local date.
 */
visit_on: string, 
/**
 * The facts were not enough (no start date): HQ reviews it.
 */
needs_review?: boolean, 
/**
 * The technician's words.
 */
note?: string, 
/**
 * For `replace`: the new unit's serial, which becomes the asset's.
 */
replacement_serial?: string, 
/**
 * For `return` and `replace`: the reference the faulty unit travels back under.
 */
return_ref?: string, } | { "kind": "voided", 
/**
 * The op voided.
 */
voids: OpId, 
/**
 * Why, in the technician's words.
 */
reason?: string, } | { "kind": "parts_requested", 
/**
 * The part.
 */
sku: string, 
/**
 * Units needed.
 */
qty: number, 
/**
 * What for, in the technician's words.
 */
note?: string, } | { "kind": "signed_off", 
/**
 * The exact PDF signed.
 */
report: BlobRef, 
/**
 * The signer's printed name.
 */
signer: string, 
/**
 * The drawn signature, PNG; none when the customer typed their name and ticked.
 */
signature?: BlobRef, 
/**
 * When, by the laptop's clock (as printed on the report).
 */
signed_at: string, } | { "kind": "rated", 
/**
 * 1 (very dissatisfied) to 5 (very satisfied).
 */
satisfaction: number, 
/**
 * "Would you recommend us?", 0 to 10.
 */
recommend?: number, 
/**
 * Their words.
 */
comment?: string, 
/**
 * What they complain of: opens a complaint at HQ.
 */
complaint?: string, 
/**
 * They agree to a follow-up call.
 */
call_ok?: boolean, 
/**
 * When they would rather be called.
 */
call_time?: CallTime, });

export type ReplacedValue = { 
/**
 * `contact_phone` or `asset_serial`.
 */
field: string, 
/**
 * The value that lost.
 */
value: string | null, 
/**
 * Its clock stamp, when it had one.
 */
hlc: string | null, 
/**
 * Who had set it, when known.
 */
by: string | null, 
/**
 * When it was replaced or lost.
 */
replaced_at: string, };

export type JobOps = { 
/**
 * A page of the ops HQ could read that name the job, in receive order, whatever their
 * outcome.
 */
ops: Array<RecordedOp>, 
/**
 * Values of the job's customer phone and asset serial that lost, oldest first (on the
 * first page only).
 */
replaced: Array<ReplacedValue>, 
/**
 * Pass as `after` for the next page; absent on the last page.
 */
next: number | null, };

export type JobOpsQuery = { 
/**
 * Continue after this position (a page's `next`).
 */
after: number | null, 
/**
 * Page size; HQ caps it.
 */
limit: number | null, };

export type ConflictView = { 
/**
 * The conflicting op.
 */
op: RecordedOp, 
/**
 * The job's number.
 */
job_number: string, 
/**
 * The job's status at HQ now.
 */
job_status: JobStatus, 
/**
 * Who holds the job now.
 */
technician: string | null, };

export type ConflictQuery = { 
/**
 * Include settled conflicts too (default: open ones only).
 */
all: boolean, };

export type ResolveRequest = { 
/**
 * The decision.
 */
resolution: Resolution, 
/**
 * Words for the technician (why), shown on their conflict card; at most
 * [`MAX_SETTLEMENT_NOTE_CHARS`] characters.
 */
note?: string | null, };

export type ReceivedOp = { 
/**
 * Receive order at HQ; strictly increasing.
 */
seq: number, 
/**
 * The op id, if the op had a readable one.
 */
op_id: OpId | null, 
/**
 * The session's device.
 */
device_id: DeviceId, 
/**
 * The session's user.
 */
username: string, 
/**
 * The job the op names, if readable.
 */
job_id: JobId | null, 
/**
 * The device's clock stamp, if readable.
 */
hlc: string | null, 
/**
 * HQ's clock when it recorded the op; absent only if the stored stamp cannot be read
 * (a database written by a version whose clock could overflow), so one bad row never
 * costs the rest of the page.
 */
hq_hlc: string | null, 
/**
 * HQ's wall clock when it recorded the op.
 */
received_at: string, 
/**
 * `applied`, `conflict` or `rejected`.
 */
outcome: Outcome, 
/**
 * Why.
 */
reason?: Reason | null, 
/**
 * The op exactly as received.
 */
body: unknown, };

export type ReceivedOpsQuery = { 
/**
 * Continue after this `seq`.
 */
after: number | null, 
/**
 * Page size; HQ caps it.
 */
limit: number | null, };

export type ReceivedOps = { 
/**
 * This page.
 */
ops: Array<ReceivedOp>, 
/**
 * Pass as `after` for the next page; absent on the last page.
 */
next: number | null, };

export type Account = { 
/**
 * May not log in; their sessions ended when it was disabled.
 */
disabled: boolean, 
/**
 * When the account was created.
 */
created_at: string, 
/**
 * Stable id.
 */
id: UserId, 
/**
 * Login name; unique and immutable.
 */
username: string, 
/**
 * Name shown to people.
 */
display_name: string, 
/**
 * What the user may do.
 */
role: Role, 
/**
 * Skills used when dispatching (e.g. "boilers", "heat-pumps").
 */
skills: Array<string>, };

export type AccountList = { 
/**
 * The accounts.
 */
users: Array<Account>, 
/**
 * More accounts exist than were listed.
 */
truncated: boolean, };

export type NewAccount = { 
/**
 * Login name: 1 to [`MAX_USERNAME_CHARS`] characters, no spaces; it never changes.
 */
username: string, 
/**
 * Name shown to people (the username when absent or blank).
 */
display_name?: string | null, 
/**
 * What they may do.
 */
role: Role, 
/**
 * Skills matched against jobs when suggesting who should go.
 */
skills: Array<string>, 
/**
 * First password, [`MIN_PASSWORD_CHARS`] to [`MAX_PASSWORD_CHARS`] characters.
 */
password: string, };

export type AccountPatch = { 
/**
 * New shown name.
 */
display_name?: string | null, 
/**
 * New skills (the whole list).
 */
skills?: Array<string> | null, 
/**
 * Disable (their sessions end at once) or enable again (ended sessions stay ended).
 */
disabled?: boolean | null, };

export type PasswordReset = { 
/**
 * The new password, [`MIN_PASSWORD_CHARS`] to [`MAX_PASSWORD_CHARS`] characters.
 */
password: string, };

export type Ended = { 
/**
 * How many sessions (laptop and browser) ended.
 */
sessions: number, };

export type SessionStanding = "active" | "expired" | "logged_out" | "revoked" | "disabled" | "reused";

export type DeviceSession = { 
/**
 * Its number (what `POST /sessions/revoke` takes as `id`).
 */
id: number, 
/**
 * Whose.
 */
username: string, 
/**
 * The installation it is bound to.
 */
device_id: DeviceId, 
/**
 * When they logged in.
 */
created_at: string, 
/**
 * When its tokens were last refreshed: about when the laptop last synced.
 */
refreshed_at?: string | null, 
/**
 * Where it stands now.
 */
standing: SessionStanding, 
/**
 * When it ended, if it was ended.
 */
ended_at?: string | null, 
/**
 * How far ahead of HQ the device's clock was found, in milliseconds, if it was.
 */
clock_ahead_ms?: number | null, };

export type SessionQuery = { 
/**
 * Only this user's.
 */
user?: string | null, 
/**
 * Ended and expired ones too (default: active ones only).
 */
all: boolean, };

export type SessionList = { 
/**
 * The sessions.
 */
sessions: Array<DeviceSession>, };

export type RevokeRequest = { 
/**
 * One session, by its number.
 */
id?: number | null, 
/**
 * Every session on this device (a lost laptop), whoever logged in on it.
 */
device?: DeviceId | null, 
/**
 * Every session of this user, laptop and browser.
 */
user?: string | null, };

export type CalendarLink = { 
/**
 * The feed's path on HQ, token included: `/api/v1/technicians/tina/calendar.ics?token=…`.
 */
path: string, };

export type ExportQuery = { 
/**
 * Start of the range (inclusive).
 */
from: string, 
/**
 * End of the range (exclusive); at most [`MAX_EXPORT_DAYS`] after `from`.
 */
to: string, };

export type Missing = { 
/**
 * The template it belongs to.
 */
template: TemplateRef, 
/**
 * The item's key.
 */
item: string, 
/**
 * The item's label, to name it to the technician.
 */
label: string, };

export type Rating = { 
/**
 * The rating op.
 */
op_id: OpId, 
/**
 * 1 to 5.
 */
satisfaction: number, 
/**
 * 0 to 10.
 */
recommend: number | null, 
/**
 * Their words.
 */
comment: string | null, 
/**
 * What they complain of.
 */
complaint: string | null, 
/**
 * They agree to a follow-up call.
 */
call_ok: boolean, 
/**
 * When they would rather be called.
 */
call_time: CallTime | null, };

export type RecordedAnswer = { 
/**
 * The template and version.
 */
template: TemplateRef, 
/**
 * The item's key.
 */
item: string, 
/**
 * The latest answer (by HLC).
 */
value: boolean | number | string, 
/**
 * The op that recorded it.
 */
op_id: OpId, 
/**
 * Earlier answers to the item, oldest first.
 */
earlier: Array<boolean | number | string>, };

export type PartUse = { 
/**
 * The op; a correction names it.
 */
op_id: OpId, 
/**
 * The part.
 */
sku: string, 
/**
 * Units used.
 */
qty: number, 
/**
 * The unit's serial.
 */
serial: string | null, 
/**
 * The faulty part's serial.
 */
removed_serial: string | null, 
/**
 * A later correction voided it: the parts went back into the van.
 */
voided: boolean, };

export type Decision = { 
/**
 * The op; a correction names it.
 */
op_id: OpId, 
/**
 * The fault found.
 */
fault: FaultCategory, 
/**
 * What is done.
 */
remedy: Remedy, 
/**
 * The clause that allows it.
 */
rule: WarrantyRule, 
/**
 * The policy version.
 */
policy_version: number, 
/**
 * The facts it was decided on.
 */
facts: WarrantyFacts, 
/**
 * The visit's date.
 */
visit_on: string, 
/**
 * Decided without a start date: for HQ to review.
 */
needs_review: boolean, 
/**
 * The technician's words.
 */
note: string | null, 
/**
 * The new unit's serial, for a replacement.
 */
replacement_serial: string | null, 
/**
 * The faulty unit's return reference.
 */
return_ref: string | null, 
/**
 * A later correction voided it.
 */
voided: boolean, };

export type PartsFill = { 
/**
 * The request (the op that asked).
 */
request: OpId, 
/**
 * Its job.
 */
job_id: JobId, 
/**
 * When HQ filled it.
 */
at: string, 
/**
 * Who filled it.
 */
by: string, 
/**
 * How, in words: "put into tina's van", or the dispatcher's own words.
 */
how: string, };

export type PartsRequest = { 
/**
 * The op.
 */
op_id: OpId, 
/**
 * The part.
 */
sku: string, 
/**
 * Units needed.
 */
qty: number, 
/**
 * What for.
 */
note: string | null, 
/**
 * How HQ filled it, once it has (the record of ops alone never says: HQ does).
 */
filled?: PartsFill, };

export type FillInput = { 
/**
 * How, in words.
 */
how: string, };

export type ItemRef = { 
/**
 * The template and version.
 */
template: TemplateRef, 
/**
 * The item's key.
 */
item: string, };

export type VisitRecord = { 
/**
 * The checklist versions the job keeps, once work on it has started (the earliest pin).
 */
pinned: Array<TemplateRef> | null, 
/**
 * Each answered item's current answer, by template and item key.
 */
answers: Array<RecordedAnswer>, 
/**
 * Every part use, voided ones too, in recording order.
 */
parts: Array<PartUse>, 
/**
 * Every decision, voided ones too, in recording order; the last one not voided stands.
 */
decisions: Array<Decision>, 
/**
 * Parts the job waits for.
 */
requests: Array<PartsRequest>, 
/**
 * Every signed report, oldest first; the last one counts, and each says whether the job
 * changed after it was signed.
 */
signoffs: Array<SignOff>, 
/**
 * Every rating the customer gave, oldest first; the last one counts.
 */
ratings: Array<Rating>, };

export type ItemLabel = { 
/**
 * The template and version.
 */
template: TemplateRef, 
/**
 * The item's key.
 */
item: string, 
/**
 * What the technician was asked.
 */
label: string, };

export type JobVisit = { 
/**
 * The job.
 */
job_id: JobId, 
/**
 * What its applied ops recorded.
 */
record: VisitRecord, 
/**
 * The checklist versions it keeps (or, not started, those that apply now).
 */
checklists: Array<TemplateRef>, 
/**
 * Required items not answered.
 */
missing: Array<Missing>, 
/**
 * Readings recorded outside their item's range.
 */
out_of_range: Array<ItemRef>, 
/**
 * The decision that stands was made without the product's start date.
 */
needs_review: boolean, 
/**
 * What moved the job's status or holder at HQ, oldest first.
 */
history: Array<StatusChange>, 
/**
 * The label of each item of the checklists it keeps, for showing answers by name.
 */
labels: Array<ItemLabel>, };

export type OpenPartsRequest = { 
/**
 * The op that asked.
 */
op_id: OpId, 
/**
 * The job waiting.
 */
job_id: JobId, 
/**
 * Its number.
 */
job_number: string, 
/**
 * Its status.
 */
job_status: JobStatus, 
/**
 * Who asked.
 */
technician: string, 
/**
 * The part.
 */
sku: string, 
/**
 * Its name in the catalog.
 */
name: string | null, 
/**
 * Units needed.
 */
qty: number, 
/**
 * What for.
 */
note: string | null, 
/**
 * When HQ received it.
 */
requested_at: string, };

export type PartsRequestList = { 
/**
 * The requests.
 */
requests: Array<OpenPartsRequest>, 
/**
 * Pass as `after` for the next page; absent on the last.
 */
next: number | null, };

export type ImportSummary = { 
/**
 * Entries in the file (parts, template or policy versions, guides).
 */
entries: number, 
/**
 * Records that did not exist before.
 */
created: number, 
/**
 * Records whose content was replaced (a part by SKU, a guide by id: a new version).
 */
updated: number, 
/**
 * Records already identical.
 */
unchanged: number, };

export type Part = { 
/**
 * Stock-keeping unit: the part's stable name; a re-import updates by it.
 */
sku: string, 
/**
 * What it is.
 */
name: string, 
/**
 * Price of one, in cents of the organisation's currency.
 */
unit_price_cents: number, 
/**
 * Each unit has a serial number, recorded when it is issued and used.
 */
serialized: boolean, 
/**
 * The product models it fits; empty means any.
 */
models: Array<string>, };

export type PartList = { 
/**
 * This page.
 */
parts: Array<Part>, 
/**
 * Pass as `after` for the next page; absent on the last.
 */
next: string | null, };

export type StockMoveKind = "issued" | "used" | "returned" | "voided";

export type StockMove = { 
/**
 * Its place in the ledger, increasing.
 */
id: number, 
/**
 * The part.
 */
sku: string, 
/**
 * Units into the van (positive) or out of it (negative).
 */
qty: number, 
/**
 * The unit's serial, for a serialized part (one unit a line).
 */
serial: string | null, 
/**
 * Why.
 */
kind: StockMoveKind, 
/**
 * The job a use was recorded on.
 */
job_id: JobId | null, 
/**
 * Who recorded it (the admin issuing, the technician using).
 */
by: string, 
/**
 * When HQ recorded it.
 */
at: string, };

export type StockBalance = { 
/**
 * The part.
 */
sku: string, 
/**
 * Its name in the catalog.
 */
name: string, 
/**
 * Units in the van; below zero when more were used than issued.
 */
qty: number, 
/**
 * For a serialized part, the serials issued to the van and not used yet.
 */
serials: Array<string>, };

export type VanStock = { 
/**
 * Whose van.
 */
technician: string, 
/**
 * Every part the van holds or owes, by SKU.
 */
balances: Array<StockBalance>, 
/**
 * Ledger lines, newest first.
 */
moves: Array<StockMove>, 
/**
 * Pass as `before` for older lines; absent when these are the oldest.
 */
next: number | null, };

export type StockIssueInput = { 
/**
 * The technician's username.
 */
technician: string, 
/**
 * The part.
 */
sku: string, 
/**
 * How many, 1 to [`MAX_ISSUE_QTY`], for a part without serials.
 */
qty: number | null, 
/**
 * Each unit's serial, 1 to [`MAX_ISSUE_SERIALS`], for a serialized part.
 */
serials: Array<string> | null, };

export type StockIssued = { 
/**
 * The lines added to the van's ledger.
 */
moves: Array<StockMove>, 
/**
 * The requests filled by them.
 */
fills: Array<PartsFill>, 
/**
 * What the van holds of the part now.
 */
balance: number, };

export type StockReturned = { 
/**
 * The lines added to the van's ledger.
 */
moves: Array<StockMove>, 
/**
 * What the van holds of the part now.
 */
balance: number, };

