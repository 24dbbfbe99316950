// The board's layout, as pure functions of the board HQ answered and the moment: which day,
// which hours the axis spans, where each job sits in its lane, which windows clash.
import type { Board, BoardTechnician, JobView } from "../shared/hq-api";

const HOUR = 3_600_000;
/** The working day the axis always shows, in local hours; jobs outside it widen it. */
export const DAY_START_HOUR = 7;
export const DAY_END_HOUR = 19;
/** A job with a start and no end is drawn this long. */
const DEFAULT_VISIT_MS = HOUR;

/** The local day holding `day`: [midnight, next midnight), right across clock changes. */
export function dayWindow(day: Date): { from: Date; to: Date } {
  const from = new Date(day.getFullYear(), day.getMonth(), day.getDate());
  const to = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
  return { from, to };
}

/** `day` moved by `days` local days. */
export function addDays(day: Date, days: number): Date {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + days);
}

export interface Axis {
  /** Start and end of the axis. */
  start: Date;
  end: Date;
  /** Each whole hour on it, for the ruler. */
  hours: Date[];
}

function span(job: JobView): { start: number; end: number } | null {
  if (!job.job.scheduled_start) return null;
  const start = new Date(job.job.scheduled_start).getTime();
  const end = job.job.scheduled_end ? new Date(job.job.scheduled_end).getTime() : start + DEFAULT_VISIT_MS;
  return { start, end: Math.max(end, start) };
}

/** The hours the axis spans on `day`: the working day, widened to every job's window. */
export function axisFor(day: Date, jobs: JobView[]): Axis {
  const { from, to } = dayWindow(day);
  const at = (h: number) => new Date(from.getFullYear(), from.getMonth(), from.getDate(), h);
  let start = at(DAY_START_HOUR).getTime();
  let end = at(DAY_END_HOUR).getTime();
  for (const job of jobs) {
    const s = span(job);
    if (!s) continue;
    start = Math.min(start, Math.max(s.start, from.getTime()));
    end = Math.max(end, Math.min(s.end, to.getTime()));
  }
  const first = new Date(start);
  first.setMinutes(0, 0, 0);
  const last = new Date(end);
  if (last.getMinutes() || last.getSeconds() || last.getMilliseconds()) {
    last.setHours(last.getHours() + 1, 0, 0, 0);
  }
  const hours: Date[] = [];
  for (let t = new Date(first); t.getTime() <= last.getTime(); t = new Date(t.getTime() + HOUR)) {
    hours.push(t);
  }
  return { start: first, end: last, hours };
}

export interface Placed {
  view: JobView;
  /** Position and width on the axis, in percent. */
  left: number;
  width: number;
  /** Numbers of the jobs in the same lane whose window clashes with this one. */
  clashes: string[];
}

export interface Lane {
  technician: BoardTechnician;
  placed: Placed[];
  /** Open jobs the technician holds with no window yet. */
  unscheduled: JobView[];
}

/** Whether windows [a, b) and [c, d) share any time. */
export function overlaps(a: number, b: number, c: number, d: number): boolean {
  return a < d && c < b;
}

/** One lane per technician of the board, each job placed on `axis`, clashes named. */
export function lanes(board: Board, axis: Axis): Lane[] {
  const start = axis.start.getTime();
  const end = axis.end.getTime();
  const length = Math.max(end - start, 1);
  // One pass over the jobs (windows read once), then each lane on its own: a day of two
  // thousand jobs is laid out without comparing every job with every other.
  const held = new Map<string, { view: JobView; s: { start: number; end: number } | null }[]>();
  for (const view of board.jobs) {
    const who = view.job.technician;
    if (who === null) continue;
    let mine = held.get(who);
    if (!mine) held.set(who, (mine = []));
    mine.push({ view, s: span(view) });
  }
  return board.technicians.map((technician) => {
    const mine = held.get(technician.username) ?? [];
    const timed = mine.filter((j) => j.s !== null && j.view.job.status !== "cancelled");
    const placed = timed.map(({ view, s }) => {
      const w = s!;
      const from = Math.max(w.start, start);
      const to = Math.min(Math.max(w.end, from), end);
      const clashes = timed
        .filter((other) => other.view !== view && overlaps(w.start, w.end, other.s!.start, other.s!.end))
        .map((other) => other.view.job.number);
      return {
        view,
        left: ((from - start) / length) * 100,
        width: Math.max(((to - from) / length) * 100, 0.5),
        clashes,
      };
    });
    return { technician, placed, unscheduled: mine.filter((j) => j.s === null).map((j) => j.view) };
  });
}

/** Drops and picked times snap to this. */
export const SNAP_MINUTES = 15;

/** The time at `fraction` (0 to 1) along `axis`, snapped to [`SNAP_MINUTES`]. */
export function timeAt(axis: Axis, fraction: number): Date {
  const start = axis.start.getTime();
  const at = start + Math.min(Math.max(fraction, 0), 1) * (axis.end.getTime() - start);
  const snap = SNAP_MINUTES * 60_000;
  return new Date(Math.round(at / snap) * snap);
}

/** How long the job's visit lasts when it moves: its own window, or an hour. */
export function visitLength(view: JobView): number {
  const s = span(view);
  return s && s.end > s.start ? s.end - s.start : DEFAULT_VISIT_MS;
}

/**
 * The jobs of `technician` on the board, other than `jobId` and not cancelled, whose window
 * shares time with [start, end): what scheduling there would overlap.
 */
export function clashesWith(board: Board, technician: string, jobId: string, start: Date, end: Date): JobView[] {
  return board.jobs.filter((other) => {
    if (other.job.id === jobId || other.job.technician !== technician || other.job.status === "cancelled") return false;
    const o = span(other);
    return o !== null && overlaps(start.getTime(), end.getTime(), o.start, o.end);
  });
}
