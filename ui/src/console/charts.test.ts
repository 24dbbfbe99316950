import { describe, expect, it } from "vitest";
import { linePath, months, monthsBefore, scale, seriesOf, totals } from "./quality";

describe("the quality charts' arithmetic", () => {
  it("lists the months of a range", () => {
    const cases: [string, string, string[]][] = [
      ["2026-11", "2026-11", ["2026-11"]],
      ["2026-11", "2027-02", ["2026-11", "2026-12", "2027-01", "2027-02"]],
      ["2026-12", "2026-11", []],
    ];
    for (const [from, to, want] of cases) expect(months(from, to), `${from}..${to}`).toEqual(want);
  });

  it("counts months back across a year", () => {
    const cases: [string, number, string][] = [
      ["2026-12", 11, "2026-01"],
      ["2026-03", 3, "2025-12"],
      ["2026-01", 0, "2026-01"],
      ["2026-01", 24, "2024-01"],
    ];
    for (const [month, n, want] of cases) expect(monthsBefore(month, n), `${month} - ${n}`).toBe(want);
  });

  it("aligns each model's values to the months, gaps where nothing was rated", () => {
    const axis = ["2026-10", "2026-11", "2026-12"];
    const rows = [
      { model: "B", month: "2026-11", v: 4 },
      { model: "A", month: "2026-10", v: 5 },
      { model: "A", month: "2026-12", v: null },
      { model: "A", month: "2026-07", v: 1 },
    ];
    expect(seriesOf(rows, axis, (r) => r.model, (r) => r.v)).toEqual([
      { name: "A", values: [5, null, null] },
      { name: "B", values: [null, 4, null] },
    ]);
  });

  it("totals per model, largest first", () => {
    const rows = [
      { model: "B", n: 1 },
      { model: "A", n: 2 },
      { model: "B", n: 1 },
      { model: "C", n: 0 },
    ];
    expect(totals(rows, (r) => r.model, (r) => r.n)).toEqual([
      { name: "A", total: 2 },
      { name: "B", total: 2 },
      { name: "C", total: 0 },
    ]);
  });

  it("maps values onto the drawing, upside down for heights", () => {
    const y = scale(1, 5, 100, 0);
    expect([y(1), y(3), y(5)]).toEqual([100, 50, 0]);
    expect(scale(2, 2, 0, 10)(2)).toBe(0);
  });

  it("breaks a line at gaps and draws a lone month as a dot", () => {
    const x = (i: number) => i * 10;
    const y = (v: number) => v;
    const cases: [(number | null)[], string][] = [
      [[1, 2, 3], "M 0 1 L 10 2 L 20 3"],
      [[1, null, 3, 4], "M 0 1 L 0 1 M 20 3 L 30 4"],
      [[null, 2, null], "M 10 2 L 10 2"],
      [[null, null], ""],
      [[], ""],
    ];
    for (const [values, want] of cases) expect(linePath(values, x, y), JSON.stringify(values)).toBe(want);
  });
});
