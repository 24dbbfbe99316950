import { describe, expect, it } from "vitest";
import { summary } from "../test/fixtures";
import { ago, dayLabel, groupByDay, size, startOfDay, warrantyText } from "./format";

describe("format", () => {
  const now = new Date(2026, 10, 23, 14, 30);

  it("labels days relative to today", () => {
    expect(dayLabel(new Date(2026, 10, 23, 8), now)).toMatch(/^Today · /);
    expect(dayLabel(new Date(2026, 10, 24, 8), now)).toMatch(/^Tomorrow · /);
    expect(dayLabel(new Date(2026, 10, 22, 8), now)).toMatch(/^Yesterday · /);
    expect(dayLabel(new Date(2026, 10, 27, 8), now)).not.toMatch(/Today|Tomorrow|Yesterday/);
    expect(startOfDay(now).getHours()).toBe(0);
  });

  it("groups consecutive jobs of a local day, unscheduled last", () => {
    const at = (d: number, h: number) => new Date(2026, 10, d, h).toISOString();
    const groups = groupByDay(
      [summary("A", at(23, 8)), summary("B", at(23, 20)), summary("C", at(24, 8)), summary("D", null)],
      now,
    );
    expect(groups.map((g) => g.jobs.map((j) => j.number))).toEqual([["A", "B"], ["C"], ["D"]]);
    expect(groups[2].label).toBe("Unscheduled");
  });

  it("says how long ago", () => {
    expect(ago(new Date(now.getTime() - 20_000).toISOString(), now)).toBe("just now");
    expect(ago(new Date(now.getTime() - 5 * 60_000).toISOString(), now)).toBe("5 min ago");
    expect(ago(new Date(now.getTime() - 3 * 3_600_000).toISOString(), now)).toBe("3 h ago");
  });

  it("words warranty states", () => {
    expect(warrantyText({ state: "in_warranty", until: "2027-01-01", days_left: 0 })).toContain("last day");
    expect(warrantyText({ state: "unknown" })).toBe("Warranty end date unknown");
  });

  it("sizes files in words a person reads", () => {
    expect(size(3_000_000)).toBe("3.0 MB");
    expect(size(240_400)).toBe("240 KB");
    expect(size(12)).toBe("12 bytes");
  });
});
