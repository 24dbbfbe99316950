// One timeline of a job: what HQ did (created, assigned, cancelled, settled) and every change
// recorded on site, newest first. A technician's status change is both an op and a step of
// HQ's status history; it is shown once, as the op, with where it stands.
import type { Activity, StatusChange } from "./bindings";

export type TimelineEntry =
  | { kind: "change"; key: string; at: string; activity: Activity }
  | { kind: "hq"; key: string; at: string; event: StatusChange };

/** Merges HQ's history and the job's activity, newest first; ties keep HQ's step first. */
export function timeline(history: StatusChange[], activity: Activity[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...history
      .filter((h) => h.event !== "status")
      .map((h, i) => ({ kind: "hq" as const, key: `hq-${i}`, at: h.at, event: h })),
    // The checklist versions a job keeps are bookkeeping, shown with the checklist itself.
    ...activity
      .filter((a) => a.change.kind !== "checklist_pinned")
      .map((a) => ({ kind: "change" as const, key: a.op_id, at: a.at, activity: a })),
  ];
  // A stable sort on time: activity is already in clock order and keeps it among equals.
  return entries
    .map((e, i) => ({ e, i, t: new Date(e.at).getTime() }))
    .sort((a, b) => b.t - a.t || b.i - a.i)
    .map(({ e }) => e);
}
