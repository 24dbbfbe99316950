// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p onsite-desktop bindings`.
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

export type Reason = "malformed_op" | "unknown_kind" | "wrong_device" | "op_id_reused" | "unknown_job" | "not_your_job" | "invalid_value" | "no_asset" | "attachment_missing" | "attachment_too_large" | "status_conflict" | "job_reassigned" | "job_closed" | "superseded" | "implausible_time" | "unknown_part" | "unknown_checklist" | "checklist_incomplete" | "warranty_mismatch" | "needs_review";

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

export type OpState = "pending" | "sent" | "applied" | "conflict" | "rejected";

export type Activity = { 
/**
 * The op's id.
 */
op_id: OpId, 
/**
 * When it was recorded, by the recording device's own wall clock (or, for an op whose
 * time HQ could not trust, when HQ received it). Never the clock stamp's wall time: a
 * stamp follows the fastest clock it has seen.
 */
at: string, 
/**
 * Who recorded it (their display name), when HQ has said; absent for this device's
 * unsent ops.
 */
by: string | null, 
/**
 * Recorded on this device.
 */
mine: boolean, 
/**
 * What it changed.
 */
change: Change, 
/**
 * Where it stands.
 */
state: OpState, 
/**
 * HQ's reason, for conflicts, rejections and superseded corrections.
 */
reason: Reason | null, 
/**
 * HQ's words.
 */
message: string | null, 
/**
 * For a conflict: how a dispatcher settled it.
 */
settled: Settlement | null, };

export type OutboxEntry = { 
/**
 * The op's id.
 */
op_id: OpId, 
/**
 * The job it concerns.
 */
job_number: string, 
/**
 * What it changes.
 */
change: Change, 
/**
 * Where it stands.
 */
state: OpState, 
/**
 * HQ's reason, for conflicts, rejections and superseded corrections.
 */
reason: Reason | null, 
/**
 * HQ's words.
 */
message: string | null, 
/**
 * When it was recorded (this device's clock).
 */
created_at: string, 
/**
 * When HQ's answer was stored.
 */
acked_at: string | null, };

export type Outbox = { 
/**
 * Ops waiting to reach HQ.
 */
waiting: number, 
/**
 * Ops HQ kept as conflicts that no dispatcher has settled yet.
 */
conflicts: number, 
/**
 * Ops HQ refused.
 */
rejected: number, 
/**
 * Every waiting op, oldest first, then the most recently answered ones, newest first.
 */
ops: Array<OutboxEntry>, };

export type Sla = "none" | "on_track" | "due_soon" | "overdue";

export type Warranty = { "state": "in_warranty", 
/**
 * Last covered day.
 */
until: string, 
/**
 * Days from the date asked about to `until`.
 */
days_left: number, } | { "state": "expired", 
/**
 * Last covered day.
 */
ended: string, } | { "state": "unknown" };

export type WorkTime = { 
/**
 * Seconds in finished stretches of work (each from a start to the stop after it).
 */
seconds: number, 
/**
 * When the running stretch started, if the timer runs; the time shown is then
 * `seconds` plus the time since.
 */
running_since: string | null, };

export type ItemType = "yes_no" | "number" | "choice" | "photo" | "text";

export type ChecklistItem = { 
/**
 * Stable within its template: answers name it.
 */
key: string, 
/**
 * The question, as the technician reads it.
 */
label: string, 
/**
 * What kind of answer it takes.
 */
type: ItemType, 
/**
 * Completion waits for an answer.
 */
required: boolean, 
/**
 * A number's unit (`bar`, `°C`).
 */
unit?: string | null, 
/**
 * A number's lowest reading in range; a reading below is recorded and flagged.
 */
min?: number | null, 
/**
 * A number's highest reading in range.
 */
max?: number | null, 
/**
 * A choice's options.
 */
options?: Array<string>, };

export type ChecklistTemplate = { 
/**
 * Stable across versions.
 */
key: string, 
/**
 * 1 and up.
 */
version: number, 
/**
 * Shown above its items.
 */
title: string, 
/**
 * The kinds of job it applies to.
 */
kinds: Array<JobKind>, 
/**
 * The product models it applies to; empty means any.
 */
models: Array<string>, 
/**
 * Its questions, in order.
 */
items: Array<ChecklistItem>, };

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

export type ItemAnswer = { 
/**
 * The item's key.
 */
item: string, 
/**
 * The current answer.
 */
value: boolean | number | string, 
/**
 * A reading outside the item's range: recorded as measured, and flagged.
 */
out_of_range: boolean, 
/**
 * How many earlier answers it replaced (all kept).
 */
earlier: number, };

export type ChecklistSection = { 
/**
 * The template.
 */
template: ChecklistTemplate, 
/**
 * Answers to its items, in item order.
 */
answers: Array<ItemAnswer>, };

export type Checklist = { 
/**
 * The versions are fixed: work on the job has started. Before that, the newest versions
 * that apply are shown, and a newer one HQ sends would replace them.
 */
pinned: boolean, 
/**
 * The checklists, by template key.
 */
sections: Array<ChecklistSection>, 
/**
 * Required items still unanswered: completion waits for them.
 */
missing: Array<Missing>, 
/**
 * A pinned version this laptop does not hold (it was removed from HQ's data): its
 * items cannot be shown.
 */
unavailable: Array<TemplateRef>, };

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

export type LetterState = "waiting" | "sending" | "sent" | "unconfirmed" | "failed" | "no_address";

export type LetterNotice = { 
/**
 * The job.
 */
job_id: JobId, 
/**
 * Where the letter stands.
 */
state: LetterState, 
/**
 * When it was sent, once it was.
 */
sent_at: string | null, };

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

export type UsedPart = { 
/**
 * The use as recorded.
 */
used: PartUse, 
/**
 * The part's name.
 */
name: string | null, 
/**
 * Its unit price in cents.
 */
unit_price_cents: number | null, };

export type Visit = { 
/**
 * Its checklists and answers.
 */
checklist: Checklist, 
/**
 * Parts used, voided ones too.
 */
parts: Array<UsedPart>, 
/**
 * Warranty decisions, voided ones too; the last one not voided stands.
 */
decisions: Array<Decision>, 
/**
 * Parts the job waits for.
 */
requests: Array<PartsRequest>, 
/**
 * Every signed report, oldest first: the last counts, and says whether the job changed
 * after it was signed.
 */
signoffs: Array<SignOff>, 
/**
 * Every rating the customer gave, oldest first: the last counts.
 */
ratings: Array<Rating>, };

export type ServiceVisit = { 
/**
 * The product.
 */
asset_id: AssetId, 
/**
 * The job.
 */
job_id: JobId, 
/**
 * Its number.
 */
number: string, 
/**
 * Its kind.
 */
kind: JobKind, 
/**
 * Where it stands.
 */
status: JobStatus, 
/**
 * What it was about.
 */
summary: string, 
/**
 * When: the visit's scheduled start, else when HQ last changed the job.
 */
at: string, 
/**
 * Who did it.
 */
technician: string | null, 
/**
 * Parts used (voided uses left out).
 */
parts: Array<PartUse>, 
/**
 * The warranty decision that stands.
 */
decision: Decision | null, };

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

export type Guide = { 
/**
 * Stable: the imported file's name without `.md`; a re-import updates by it.
 */
id: string, 
/**
 * Increases whenever HQ's copy changes.
 */
version: number, 
/**
 * Its heading in lists.
 */
title: string, 
/**
 * The product models it is about; empty means every model.
 */
models: Array<string>, 
/**
 * The text, in Markdown.
 */
body: string, };

export type VanLine = { 
/**
 * The part.
 */
sku: string, 
/**
 * Its name in the catalog.
 */
name: string, 
/**
 * Units in the van now: HQ's balance less what waits to reach HQ.
 */
qty: number, 
/**
 * For a serialized part, the serials in the van and not used.
 */
serials: Array<string>, 
/**
 * Units used on this laptop that HQ has not counted yet (less any a waiting correction
 * puts back).
 */
unsent: number, 
/**
 * More used than the van was issued: recorded, and flagged for HQ to look into.
 */
negative: boolean, };

export type WarrantyStart = "purchase" | "installation";

export type WarrantyPolicy = { 
/**
 * The product model it covers, exactly as assets name it.
 */
model: string, 
/**
 * Increases with every change; a decision records the version it used.
 */
version: number, 
/**
 * Which of the asset's dates the periods count from.
 */
from: WarrantyStart, 
/**
 * Last day (counting the start as day 0) a performance fault may be returned.
 */
return_days: number, 
/**
 * Last day (counting the start as day 0) a fault may be replaced.
 */
replace_days: number, 
/**
 * Length of the free-repair period, in calendar months from the start.
 */
repair_months: number, 
/**
 * Free repairs for performance faults after which a new failure may be replaced or returned.
 */
max_repairs: number, 
/**
 * Faults the warranty never covers.
 */
excluded_faults: Array<FaultCategory>, };

export type WarrantyOption = { 
/**
 * What may be done.
 */
remedy: Remedy, 
/**
 * Why it is allowed.
 */
rule: WarrantyRule, };

export type WarrantyOptions = { 
/**
 * The remedies allowed, most favourable to the customer first; never empty.
 */
options: Array<WarrantyOption>, 
/**
 * The date the periods count from, when known.
 */
start: string | null, 
/**
 * Days from `start` to the visit (the start is day 0).
 */
age_days: number | null, 
/**
 * The free-repair period's last day, when known.
 */
repair_until: string | null, 
/**
 * The facts were not enough to decide (a missing start date): any remedy may be recorded,
 * and HQ reviews it.
 */
needs_review: boolean, };

export type OfferedRemedy = { 
/**
 * What may be done.
 */
remedy: Remedy, 
/**
 * The clause that allows it.
 */
rule: WarrantyRule, 
/**
 * The clause in words a technician can read out.
 */
words: string, };

export type WarrantyChoice = { 
/**
 * The product model.
 */
model: string, 
/**
 * The fault.
 */
fault: FaultCategory, 
/**
 * The policy version decided under.
 */
policy: WarrantyPolicy, 
/**
 * The asset's facts, as this laptop holds them.
 */
facts: WarrantyFacts, 
/**
 * The visit's date.
 */
visit_on: string, 
/**
 * What the rules found.
 */
found: WarrantyOptions, 
/**
 * The remedies allowed, most favourable to the customer first.
 */
options: Array<OfferedRemedy>, };

export type JobReadiness = { 
/**
 * The job.
 */
number: string, 
/**
 * The customer's name.
 */
customer: string, 
/**
 * The product's model.
 */
model: string | null, 
/**
 * Checklists on the laptop for it.
 */
checklists: number, 
/**
 * Guides on the laptop for its product.
 */
guides: number, 
/**
 * What stops it being worked offline, in words; empty when it can be.
 */
problems: Array<string>, 
/**
 * Worth knowing, not blocking (no guide for the product, no phone number).
 */
notes: Array<string>, };

export type MissingPart = { 
/**
 * The part.
 */
sku: string, 
/**
 * Its name.
 */
name: string, 
/**
 * The day's products it fits.
 */
models: Array<string>, };

export type Readiness = { 
/**
 * The day checked.
 */
day: string, 
/**
 * The day can be worked offline: no problem anywhere.
 */
ready: boolean, 
/**
 * What stops it, for the laptop as a whole.
 */
problems: Array<string>, 
/**
 * The day's jobs (open jobs scheduled that day or overdue from before).
 */
jobs: Array<JobReadiness>, 
/**
 * Parts that fit the day's products and are not in the van.
 */
missing_parts: Array<MissingPart>, 
/**
 * Changes waiting to reach HQ.
 */
waiting: number, 
/**
 * When the laptop last synced.
 */
last_sync_at: string | null, };

export type JobRange = { "kind": "all" } | { "kind": "upcoming", 
/**
 * Start of the period ahead (e.g. the start of today).
 */
from: string, } | { "kind": "past", 
/**
 * Latest start shown (exclusive).
 */
before: string, };

export type JobQuery = { 
/**
 * Matches job number, customer name, address, town or asset serial (case-insensitive,
 * anywhere in the text).
 */
search: string | null, 
/**
 * Part of the schedule.
 */
range: JobRange, 
/**
 * At most this many rows; all when absent.
 */
limit: number | null, 
/**
 * Rows to skip, for paging.
 */
offset: number, };

export type JobSummary = { 
/**
 * Human number.
 */
number: string, 
/**
 * Kind of work.
 */
kind: JobKind, 
/**
 * Current status.
 */
status: JobStatus, 
/**
 * Urgency.
 */
priority: Priority, 
/**
 * One line.
 */
summary: string, 
/**
 * Customer name.
 */
customer: string, 
/**
 * Site address.
 */
address: string, 
/**
 * Site town.
 */
town: string | null, 
/**
 * Visit window start.
 */
scheduled_start: string | null, 
/**
 * Visit window end.
 */
scheduled_end: string | null, 
/**
 * SLA deadline.
 */
sla_due: string | null, 
/**
 * Where the job stands against `sla_due` at the time of the query.
 */
sla: Sla, 
/**
 * The visit window has passed and the technician has not reached the site yet.
 */
late: boolean, 
/**
 * This device's changes to the job that have not reached HQ yet.
 */
waiting: number, 
/**
 * HQ gave the job to someone else; it stays until `waiting` changes are sent.
 */
read_only: boolean, };

export type JobDetail = { 
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
asset: Asset | null, 
/**
 * Warranty of the asset on the day asked about; absent without an asset.
 */
warranty: Warranty | null, 
/**
 * Where the job stands against its SLA deadline at the time asked about.
 */
sla: Sla, 
/**
 * The visit window has passed and the technician has not reached the site yet.
 */
late: boolean, 
/**
 * The statuses the job went through, oldest first.
 */
history: Array<StatusChange>, 
/**
 * Every change recorded on site (notes, photos, time, status, corrections), from any
 * device, with where each stands; oldest first.
 */
activity: Array<Activity>, 
/**
 * Work on site is running (started and not stopped).
 */
working: boolean, 
/**
 * The time worked on site, from every device's work entries.
 */
work: WorkTime, 
/**
 * What the visit recorded: checklists and answers, parts used, warranty decisions, parts
 * requested.
 */
visit: Visit, 
/**
 * The product's other visits, newest first: what was done, the parts, the decision.
 */
service_history: Array<ServiceVisit>, 
/**
 * The organisation's name from its letterhead, for what the customer is shown.
 */
company: string | null, 
/**
 * Where the customer's thank-you letter stands at HQ, as of the last sync.
 */
letter: LetterNotice | null, 
/**
 * HQ gave the job to someone else; nothing more can be recorded on it here, and it goes
 * once this device's changes to it are sent.
 */
read_only: boolean, 
/**
 * The statuses the technician may move the job on to from here, along the visit (none
 * when read-only).
 */
next_statuses: Array<JobStatus>, 
/**
 * The status a step back would return the job to, when the last move can be undone
 * (setting off by mistake).
 */
undo_status: JobStatus | null, };

export type DeviceStatus = { 
/**
 * A session is stored.
 */
logged_in: boolean, 
/**
 * Who logged in last (kept after logout or session end, to pre-fill the login form).
 */
username: string | null, 
/**
 * Their display name.
 */
display_name: string | null, 
/**
 * HQ's address.
 */
hq_url: string | null, 
/**
 * Pinned fingerprint.
 */
fingerprint: string | null, 
/**
 * This installation's id.
 */
device_id: DeviceId, 
/**
 * Start of the last successful sync.
 */
last_sync_at: string | null, 
/**
 * Jobs held locally.
 */
jobs: number, 
/**
 * Changes waiting to reach HQ.
 */
waiting: number, };

export type HqProbe = { 
/**
 * HQ's address, normalised.
 */
url: string, 
/**
 * Fingerprint of the certificate HQ presented (`sha256:…`).
 */
fingerprint: string, 
/**
 * True when the operating system already trusts the certificate (a CA-issued one), so no
 * fingerprint needs confirming.
 */
trusted: boolean, 
/**
 * HQ's version, as it reported it over the connection pinned to `fingerprint`.
 */
version: string, 
/**
 * The fingerprint the technician confirmed for this address before, if any: when it is
 * `fingerprint`, there is nothing to confirm again; when it differs, HQ's certificate
 * changed since.
 */
confirmed: string | null, };

export type HqLogout = { "at_hq": "ended" } | { "at_hq": "already_ended" } | { "at_hq": "no_session" } | { "at_hq": "not_reached", "reason": string };

export type SyncPhase = "connecting" | "uploading" | "pushing" | "pulling" | "done";

export type SyncProgress = { 
/**
 * Current phase.
 */
phase: SyncPhase, 
/**
 * Items handled so far in this phase.
 */
done: number, 
/**
 * Items expected in this phase, when known.
 */
total: number | null, };

export type Reachability = "unknown" | "online" | "offline";

export type SyncState = { 
/**
 * A sync is in progress.
 */
running: boolean, 
/**
 * The result of the last attempt, as far as reaching HQ goes.
 */
connection: Reachability, 
/**
 * Progress of the running sync.
 */
progress: SyncProgress | null, 
/**
 * Why the last attempt failed; cleared by a success.
 */
last_error: ErrorReport | null, 
/**
 * Start of the last successful sync (kept across restarts).
 */
last_sync_at: string | null, 
/**
 * Start of the last attempt since the app started.
 */
last_attempt_at: string | null, 
/**
 * Changes recorded on this device that have not reached HQ yet.
 */
waiting: number, 
/**
 * This device's changes HQ kept as conflicts that no dispatcher has settled yet.
 */
conflicts: number, };

export type DeviceErrorCode = "not_logged_in" | "hq_unreachable" | "fingerprint_mismatch" | "untrusted_certificate" | "invalid_credentials" | "not_a_technician" | "session_expired" | "rate_limited" | "unknown_job" | "unknown_guide" | "unknown_part" | "checklist_incomplete" | "remedy_not_allowed" | "no_warranty_policy" | "invalid_input" | "invalid_transition" | "job_read_only" | "job_closed" | "already_sent" | "attachment_too_large" | "unsupported_file" | "unsynced_changes" | "unknown_attachment" | "hq_error" | "protocol" | "schema_too_new" | "store" | "io" | "report" | "internal";

export type ErrorReport = { 
/**
 * [`CoreError::code`].
 */
code: DeviceErrorCode, 
/**
 * The error's message.
 */
message: string, };

