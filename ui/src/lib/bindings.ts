// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p onsite-desktop bindings`.
// Do not edit: change the Rust type and regenerate.

export type JobId = string;

export type CustomerId = string;

export type SiteId = string;

export type AssetId = string;

export type UserId = string;

export type DeviceId = string;

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
 * Why, when someone said (e.g. the cancel reason, or who the job was assigned to).
 */
detail: string | null, };

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

export type JobRange = { "kind": "all" } | { "kind": "upcoming", 
/**
 * Earliest start shown.
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
sla: Sla, };

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
 * The statuses the job went through, oldest first.
 */
history: Array<StatusChange>, };

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
jobs: number, };

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
version: string, };

export type SyncPhase = "connecting" | "pulling" | "done";

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

export type Connection = "unknown" | "online" | "offline";

export type SyncState = { 
/**
 * A sync is in progress.
 */
running: boolean, 
/**
 * The result of the last attempt, as far as reaching HQ goes.
 */
connection: Connection, 
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
last_attempt_at: string | null, };

export type ErrorReport = { 
/**
 * [`CoreError::code`].
 */
code: string, 
/**
 * The error's message.
 */
message: string, };

