// The quality charts' arithmetic, as pure functions: the months a range covers, one series per
// product model (or technician) aligned to them, the scales and the SVG paths. Drawn as plain
// SVG by `Quality.svelte`: nothing to download, nothing the page's CSP would refuse.

/** Every month from `from` to `to` inclusive, as "YYYY-MM" (none when `to` is before `from`). */
export function months(from: string, to: string): string[] {
  const [fy, fm] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  const out: string[] = [];
  for (let y = fy, m = fm; y < ty || (y === ty && m <= tm); m === 12 ? ((y += 1), (m = 1)) : (m += 1)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    if (out.length > 1200) break;
  }
  return out;
}

/** The month `n` months before "YYYY-MM" `month`. */
export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number);
  const total = y * 12 + (m - 1) - n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

/** A line: its name and one value (or a gap) per month of the chart. */
export interface Series {
  name: string;
  values: (number | null)[];
}

/**
 * One series per distinct `key` of `rows`, aligned to `axis` (a month with no row, or a null
 * value, is a gap), ordered by name.
 */
export function seriesOf<R extends { month: string }>(
  rows: R[],
  axis: string[],
  key: (r: R) => string,
  value: (r: R) => number | null,
): Series[] {
  const byName = new Map<string, (number | null)[]>();
  for (const r of rows) {
    const i = axis.indexOf(r.month);
    if (i < 0) continue;
    const name = key(r);
    if (!byName.has(name)) byName.set(name, axis.map(() => null));
    byName.get(name)![i] = value(r);
  }
  return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, values]) => ({ name, values }));
}

/** Totals per key of `rows` (e.g. complaints per model), largest first, then by name. */
export function totals<R>(rows: R[], key: (r: R) => string, value: (r: R) => number): { name: string; total: number }[] {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(key(r), (sums.get(key(r)) ?? 0) + value(r));
  return [...sums.entries()]
    .map(([name, total]) => ({ name, total }))
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
}

/** A linear map from `[d0, d1]` onto `[r0, r1]`. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/**
 * The SVG path of `values` at x positions `x(i)` and heights `y(v)`: a gap breaks the line, and
 * a lone point between gaps is a dot (a zero-length segment drawn with round caps).
 */
export function linePath(values: (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let path = "";
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null) {
      drawing = false;
      return;
    }
    const point = `${round(x(i))} ${round(y(v))}`;
    const lonely = !drawing && (i + 1 >= values.length || values[i + 1] === null);
    path += drawing ? ` L ${point}` : `${path ? " " : ""}M ${point}${lonely ? ` L ${point}` : ""}`;
    drawing = true;
  });
  return path;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Colours for up to eight series, distinguishable for most colour vision; then they repeat. */
export const PALETTE = ["#0f766e", "#b45309", "#1d4ed8", "#be123c", "#6d28d9", "#4d7c0f", "#0e7490", "#a16207"];

/** "Nov 2026" for "2026-11". */
export function monthLabel(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return new Date(y, m - 1, 1).toLocaleDateString("en-GB", { month: "short", year: "numeric" });
}
