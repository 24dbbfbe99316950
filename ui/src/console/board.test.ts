import { describe, expect, it } from "vitest";
import { board, technician, view } from "../test/console-fixtures";
import { addDays, axisFor, clashesWith, dayWindow, lanes, overlaps, timeAt, visitLength } from "./board";

const day = new Date(2026, 11, 1, 15, 30);

describe("the board's layout", () => {
  it("covers the local day, whatever time of it", () => {
    const { from, to } = dayWindow(day);
    expect(from).toEqual(new Date(2026, 11, 1));
    expect(to).toEqual(new Date(2026, 11, 2));
    expect(addDays(day, -1)).toEqual(new Date(2026, 10, 30));
    expect(addDays(new Date(2026, 11, 31), 1)).toEqual(new Date(2027, 0, 1));
  });

  it("shows the working day, widened to every window", () => {
    const cases: [string[], number, number][] = [
      // (windows, first hour, last hour)
      [[], 7, 19],
      [["09:00-10:00"], 7, 19],
      [["06:15-07:00"], 6, 19],
      [["18:00-20:30"], 7, 21],
      [["05:00-06:00", "19:00-22:00"], 5, 22],
    ];
    for (const [windows, first, last] of cases) {
      const axis = axisFor(day, windows.map((w, i) => view(`J-${i}`, "tina", w)));
      expect([axis.start.getHours(), axis.end.getHours()], windows.join()).toEqual([first, last]);
      expect(axis.hours.length).toBe(last - first + 1);
    }
  });

  it("places each job in its technician's lane and names clashing windows", () => {
    const b = board({
      jobs: [
        view("J-1", "tina", "08:00-10:00"),
        view("J-2", "tina", "09:30-11:00"),
        view("J-3", "tina", "11:00-12:00"),
        view("J-4", "tom", "13:00-14:00"),
        view("J-5", "tina", null),
        view("J-6", "tina", "09:00-10:00", { status: "cancelled" }),
      ],
    });
    const axis = axisFor(day, b.jobs);
    const [tina, tom] = lanes(b, axis);
    expect(tina.technician.username).toBe("tina");
    const placed = Object.fromEntries(tina.placed.map((p) => [p.view.job.number, p]));
    expect(Object.keys(placed)).toEqual(["J-1", "J-2", "J-3"]);
    expect(placed["J-1"].left).toBeCloseTo((1 / 12) * 100);
    expect(placed["J-1"].width).toBeCloseTo((2 / 12) * 100);
    expect(placed["J-1"].clashes).toEqual(["J-2"]);
    expect(placed["J-2"].clashes).toEqual(["J-1"]);
    expect(placed["J-3"].clashes).toEqual([]);
    expect(tina.unscheduled.map((v) => v.job.number)).toEqual(["J-5"]);
    expect(tom.placed.map((p) => p.view.job.number)).toEqual(["J-4"]);
  });

  it("gives every technician a lane, even an empty one", () => {
    const b = board({ technicians: [technician("sara", "Sara")], jobs: [view("J-1", "tina", "08:00-09:00")] });
    const [sara] = lanes(b, axisFor(day, b.jobs));
    expect(sara.placed).toEqual([]);
  });

  it("counts touching windows as apart", () => {
    const cases: [number, number, number, number, boolean][] = [
      [0, 10, 10, 20, false],
      [0, 10, 9, 20, true],
      [5, 6, 0, 10, true],
      [0, 10, 20, 30, false],
    ];
    for (const [a, b, c, d, expected] of cases) expect(overlaps(a, b, c, d)).toBe(expected);
  });
});

describe("moving a job", () => {
  it("snaps a drop to the quarter hour along the axis", () => {
    const axis = axisFor(day, []);
    const cases: [number, [number, number]][] = [
      [0, [7, 0]],
      [0.5, [13, 0]],
      [0.51, [13, 0]],
      [0.52, [13, 15]],
      [1, [19, 0]],
      [-1, [7, 0]],
      [2, [19, 0]],
    ];
    for (const [fraction, [h, m]] of cases) {
      const at = timeAt(axis, fraction);
      expect([at.getHours(), at.getMinutes()], String(fraction)).toEqual([h, m]);
    }
  });

  it("keeps a job's own length, an hour without one", () => {
    expect(visitLength(view("J-1", "tina", "09:00-11:30"))).toBe(2.5 * 3_600_000);
    expect(visitLength(view("J-2", null, null))).toBe(3_600_000);
  });

  it("finds what a window would overlap in a technician's day", () => {
    const b = board({
      jobs: [
        view("J-1", "tina", "09:00-11:00"),
        view("J-2", "tom", "09:00-11:00"),
        view("J-3", "tina", "12:00-13:00", { status: "cancelled" }),
      ],
    });
    const at = (h: number) => new Date(2026, 11, 1, h);
    const numbers = (t: string, id: string, a: number, b2: number) =>
      clashesWith(b, t, id, at(a), at(b2)).map((v) => v.job.number);
    expect(numbers("tina", "id-J-9", 10, 12)).toEqual(["J-1"]);
    expect(numbers("tina", "id-J-9", 11, 13)).toEqual([]);
    // A job does not clash with itself.
    expect(numbers("tina", "id-J-1", 9, 10)).toEqual([]);
    expect(numbers("tom", "id-J-9", 8, 10)).toEqual(["J-2"]);
  });
});
