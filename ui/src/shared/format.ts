// Dates and labels for display, in the local time zone of whoever reads them. Pure functions: the
// current time is always passed in.
import type {
  Change,
  FaultCategory,
  JobKind,
  JobStatus,
  Priority,
  Reason,
  Remedy,
  StatusChange,
  WarrantyRule,
} from "./hq-api";

const MS_PER_DAY = 86_400_000;

/** Local midnight at the start of `now`'s day. */
export function startOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** `YYYY-MM-DD` of the local date of `d`. */
export function dayKey(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "Today · Mon 23 Nov", "Tomorrow · …", "Yesterday · …" or "Wed 25 Nov". */
export function dayLabel(day: Date, now: Date): string {
  const diff = Math.round((startOfDay(day).getTime() - startOfDay(now).getTime()) / MS_PER_DAY);
  const date = day.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });
  const relative = { [-1]: "Yesterday", 0: "Today", 1: "Tomorrow" }[diff];
  return relative ? `${relative} · ${date}` : date;
}

export function time(iso: string): string {
  return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

export function dateTime(iso: string): string {
  const d = new Date(iso);
  return `${d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" })} ${time(iso)}`;
}

/** A visit window: "08:00–10:00", or "Unscheduled". */
export function visitWindow(start: string | null, end: string | null): string {
  if (!start) return "Unscheduled";
  return end ? `${time(start)}–${time(end)}` : time(start);
}

/** "just now", "5 min ago", "3 h ago", or a date. */
export function ago(iso: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return dateTime(iso);
}

/** Completed and cancelled jobs are closed: nothing more is expected on site. */
export function isClosed(status: JobStatus): boolean {
  return status === "completed" || status === "cancelled";
}

/** An open job scheduled before today: work left behind, shown before today's. */
export function isOverdue(job: { status: JobStatus; scheduled_start: string | null }, now: Date): boolean {
  return (
    !isClosed(job.status) &&
    job.scheduled_start !== null &&
    new Date(job.scheduled_start).getTime() < startOfDay(now).getTime()
  );
}

export const KIND_LABEL: Record<JobKind, string> = {
  installation: "Installation",
  debugging: "Debugging",
  maintenance: "Maintenance",
  repair: "Repair",
};

export const STATUS_LABEL: Record<JobStatus, string> = {
  new: "New",
  assigned: "Assigned",
  en_route: "En route",
  on_site: "On site",
  waiting_parts: "Waiting for parts",
  completed: "Completed",
  cancelled: "Cancelled",
};

export const PRIORITY_LABEL: Record<Priority, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};

/** What the job knows to name a checklist item or a part by, instead of its key or SKU. */
export interface Names {
  item?: (template: string, item: string) => string | undefined;
  part?: (sku: string) => string | undefined;
}

/** One line for a change recorded on site. */
export function describeChange(change: Change, names: Names = {}): string {
  switch (change.kind) {
    case "status":
      return `Status → ${STATUS_LABEL[change.to]}`;
    case "note":
      return change.text;
    case "attachment": {
      const what = change.media_type.startsWith("image/") ? "Photo" : "Document";
      const caption = change.caption ? `: ${change.caption}` : "";
      return `${what} ${change.file_name} (${size(change.bytes)})${caption}`;
    }
    case "work_started":
      return `Work started ${time(change.at)}`;
    case "work_stopped":
      return `Work stopped ${time(change.at)}`;
    case "contact_phone":
      return `Contact phone corrected to ${change.phone}`;
    case "asset_serial":
      return `Serial corrected to ${change.serial}`;
    case "checklist_pinned":
      return change.templates.length === 0
        ? "Work started: no checklist applies"
        : `Checklist kept at ${change.templates.map((t) => `${t.key} v${t.version}`).join(", ")}`;
    case "checklist_answer":
      return `${names.item?.(change.template.key, change.item) ?? change.item}: ${answerText(change.value)}`;
    case "part_used": {
      const serial = change.serial ? `, serial ${change.serial}` : "";
      return `Part used: ${change.qty} × ${names.part?.(change.sku) ?? change.sku}${serial}`;
    }
    case "warranty_decided":
      return `Warranty: ${REMEDY_LABEL[change.remedy].toLowerCase()} (${FAULT_LABEL[change.fault].toLowerCase()})`;
    case "voided":
      return `Voided an earlier entry${change.reason ? `: ${change.reason}` : ""}`;
    case "parts_requested":
      return `Parts requested: ${change.qty} × ${names.part?.(change.sku) ?? change.sku}`;
    case "signed_off":
      return `Report signed by ${change.signer}${change.signature ? "" : " (typed name)"}`;
    case "rated": {
      const recommend = change.recommend == null ? "" : `, would recommend ${change.recommend}/10`;
      return `Customer rated the visit ${change.satisfaction}/5${recommend}${change.complaint ? ", with a complaint" : ""}`;
    }
  }
}

/** A checklist answer as a technician reads it. */
export function answerText(value: boolean | number | string): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" && /^[0-9a-f]{64}$/.test(value)) return "photo";
  return String(value);
}

export const REASON_LABEL: Record<Reason, string> = {
  malformed_op: "not readable by HQ",
  unknown_kind: "not a change HQ accepts",
  wrong_device: "sent from another device",
  op_id_reused: "duplicate id",
  unknown_job: "job unknown at HQ",
  not_your_job: "not your job",
  invalid_value: "value not accepted",
  no_asset: "job has no product",
  attachment_missing: "photo never reached HQ",
  attachment_too_large: "photo too large",
  status_conflict: "HQ changed the status",
  job_reassigned: "job given to someone else",
  job_closed: "job already closed",
  superseded: "a later correction won",
  implausible_time: "laptop date or time wrong",
  unknown_part: "part not in HQ's catalog",
  unknown_checklist: "checklist unknown at HQ",
  checklist_incomplete: "checklist not complete at HQ",
  warranty_mismatch: "HQ's warranty facts differ",
  needs_review: "for HQ to review",
};

/** "3.0 MB", "240 KB", "12 bytes". */
export function size(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} bytes`;
}

/** "2 h 05 min", "12 min", "under a minute". */
export function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** A running timer as a clock: "1:05:09". */
export function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** One line for something HQ did to the job (its status history, as HQ recorded it). */
export function describeEvent(h: StatusChange): string {
  switch (h.event) {
    case "created":
      return h.detail ? `Job created and assigned to ${h.detail}` : "Job created";
    case "assigned":
      return h.detail ? `Assigned to ${h.detail}` : "Unassigned: back with the dispatchers";
    case "cancelled":
      return h.detail ? `Cancelled at HQ: ${h.detail}` : "Cancelled at HQ";
    case "settled":
      return `Conflict settled${h.detail ? `: ${h.detail}` : ""} → ${STATUS_LABEL[h.status]}`;
    case "status":
      return `Status → ${STATUS_LABEL[h.status]}${h.detail ? ` (${h.detail})` : ""}`;
    case "imported":
    case "updated":
      return `${STATUS_LABEL[h.status]}${h.detail ? ` · ${h.detail}` : ""} (changed at HQ)`;
  }
}

/** A price in cents as "£12.50" (HQ's catalog is in one currency). */
export function price(cents: number): string {
  return `£${(cents / 100).toFixed(2)}`;
}

export const FAULT_LABEL: Record<FaultCategory, string> = {
  performance: "Does not work as it should",
  physical_damage: "Physical damage",
  misuse: "Misuse",
  unauthorised_repair: "Unauthorised repair",
  wear: "Wear",
};

export const RULE_LABEL: Record<WarrantyRule, string> = {
  excluded_fault: "the policy excludes this fault",
  return_period: "within the return period",
  replace_period: "within the replacement period",
  repair_period: "within the free-repair period",
  repeated_failure: "failed again after its free repairs",
  out_of_warranty: "past every warranty period",
  unknown_start: "no start date on record",
};

export const REMEDY_LABEL: Record<Remedy, string> = {
  return: "Return (refund)",
  replace: "Replace the unit",
  repair: "Repair free of charge",
  chargeable: "Chargeable repair",
};

/** A satisfaction score (1 to 5) in the words the customer picks it by. */
export const SATISFACTION_WORDS: Record<number, string> = {
  1: "Very dissatisfied",
  2: "Dissatisfied",
  3: "Neither satisfied nor dissatisfied",
  4: "Satisfied",
  5: "Very satisfied",
};

/** Where a job stands against its SLA deadline (the rule of `onsite_core::sla::state`). */
export type SlaState = "none" | "on_track" | "due_soon" | "overdue";

/** A deadline at most this far away is "due soon" (`onsite_core::sla::DUE_SOON`). */
export const SLA_DUE_SOON_MS = 4 * 3_600_000;

/** The SLA state at `now` of a job in `status` due at `due`: closed jobs have none. */
export function slaState(due: string | null, status: JobStatus, now: Date): SlaState {
  if (due === null || isClosed(status)) return "none";
  const left = new Date(due).getTime() - now.getTime();
  if (left < 0) return "overdue";
  return left <= SLA_DUE_SOON_MS ? "due_soon" : "on_track";
}

/** HQ's messages (lower case, to follow a colon) as a sentence on their own. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
