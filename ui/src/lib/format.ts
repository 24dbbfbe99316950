// Labels and rules the technician's app alone shows; everything both front ends show is in
// the shared module this one re-exports.
import type { HqLogout, JobStatus, JobSummary, OpState, Warranty, WorkTime } from "./bindings";
import { STATUS_LABEL, dayKey, dayLabel, isOverdue } from "../shared/format";

export * from "../shared/format";

export interface DayGroup {
  key: string;
  label: string;
  jobs: JobSummary[];
}

/**
 * Consecutive jobs of one local day share a group; unscheduled jobs form the last one. Open
 * jobs from before today form one "Overdue" group instead of their days' groups.
 */
export function groupByDay(jobs: JobSummary[], now: Date): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const job of jobs) {
    const start = job.scheduled_start ? new Date(job.scheduled_start) : null;
    const overdue = isOverdue(job, now);
    const key = overdue ? "overdue" : start ? dayKey(start) : "unscheduled";
    let group = groups[groups.length - 1];
    if (!group || group.key !== key) {
      const label = overdue ? "Overdue" : start ? dayLabel(start, now) : "Unscheduled";
      group = { key, label, jobs: [] };
      groups.push(group);
    }
    group.jobs.push(job);
  }
  return groups;
}

/**
 * Status moves as the action a technician takes, for buttons: "Arrived", not "On site". Moves
 * back are undos and say so (see `undoLabel`).
 */
export const ACTION_LABEL: Partial<Record<JobStatus, string>> = {
  en_route: "On my way",
  on_site: "Arrived",
  waiting_parts: "Waiting for parts",
  completed: "Complete…",
};

/** "Undo: back to assigned". */
export function undoLabel(to: JobStatus): string {
  return `Undo: back to ${STATUS_LABEL[to].toLowerCase()}`;
}

function longDate(iso: string): string {
  return new Date(`${iso}T00:00:00`).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}

/** "In warranty until 1 January 2027 (39 days left)", "Warranty expired on …", or unknown. */
export function warrantyText(w: Warranty): string {
  switch (w.state) {
    case "in_warranty":
      return `In warranty until ${longDate(w.until)} (${w.days_left === 0 ? "last day" : `${w.days_left} days left`})`;
    case "expired":
      return `Warranty expired on ${longDate(w.ended)}`;
    default:
      return "Warranty end date unknown";
  }
}

export const OP_STATE_LABEL: Record<OpState, string> = {
  pending: "Waiting to sync",
  sent: "Sent",
  applied: "Synced",
  conflict: "Conflict",
  rejected: "Rejected",
};

/** Seconds worked by `now`, counting a running timer up to `now`. */
export function workedSeconds(work: WorkTime, now: Date): number {
  const running = work.running_since
    ? Math.max(0, Math.floor((now.getTime() - new Date(work.running_since).getTime()) / 1000))
    : 0;
  return work.seconds + running;
}

/** What the login screen says after a logout, by what became of the session at HQ. */
export function logoutNotice(r: HqLogout): string {
  switch (r.at_hq) {
    case "ended":
      return "You are logged out. HQ has ended this laptop's session, so its sign-in no longer works anywhere.";
    case "already_ended":
    case "no_session":
      return "You are logged out.";
    case "not_reached":
      return (
        `You are logged out and HQ's data is removed from this laptop, but HQ could not be told (${r.reason}). ` +
        "Its session stays valid at HQ until it expires: if this laptop may have been copied, ask an HQ admin to revoke it."
      );
  }
}
