import { describe, expect, it } from "vitest";
import { summary } from "../test/fixtures";
import { activity } from "../test/fixtures";
import type { Change, StatusChange } from "./bindings";
import {
  ACTION_LABEL,
  answerText,
  describeChange,
  ago,
  clock,
  dayLabel,
  describeEvent,
  duration,
  groupByDay,
  logoutNotice,
  size,
  startOfDay,
  undoLabel,
  warrantyText,
  workedSeconds,
} from "./format";
import { timeline } from "./timeline";

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

  it("puts open jobs from before today in one Overdue group at the top; closed ones keep their day", () => {
    const at = (d: number, h: number) => new Date(2026, 10, d, h).toISOString();
    const groups = groupByDay(
      [
        summary("OLD", at(21, 9), { status: "waiting_parts" }),
        summary("Y", at(22, 9), { status: "en_route" }),
        summary("DONE", at(22, 11), { status: "completed" }),
        summary("T", at(23, 8)),
      ],
      now,
    );
    expect(groups.map((g) => [g.label.split(" · ")[0], g.jobs.map((j) => j.number)])).toEqual([
      ["Overdue", ["OLD", "Y"]],
      ["Yesterday", ["DONE"]],
      ["Today", ["T"]],
    ]);
  });

  it("names status moves as actions and step backs as undos", () => {
    expect(ACTION_LABEL.on_site).toBe("Arrived");
    expect(ACTION_LABEL.completed).toBe("Complete…");
    expect(undoLabel("assigned")).toBe("Undo: back to assigned");
  });

  it("counts time on site, a running timer up to now", () => {
    const work = { seconds: 3600, running_since: new Date(now.getTime() - 125_000).toISOString() };
    expect(workedSeconds(work, now)).toBe(3725);
    expect(workedSeconds({ seconds: 90, running_since: null }, now)).toBe(90);
    expect(clock(3725)).toBe("1:02:05");
    expect(duration(3725)).toBe("1 h 02 min");
    expect(duration(720)).toBe("12 min");
    expect(duration(20)).toBe("under a minute");
  });

  it("words what HQ did to a job", () => {
    const step = (extra: Partial<StatusChange>): StatusChange => ({
      job_id: "j",
      at: "2026-11-23T08:00:00Z",
      status: "assigned",
      detail: null,
      event: "assigned",
      ...extra,
    });
    expect(describeEvent(step({ detail: "Tom Okafor" }))).toBe("Assigned to Tom Okafor");
    expect(describeEvent(step({ event: "cancelled", status: "cancelled", detail: "customer moved" }))).toBe(
      "Cancelled at HQ: customer moved",
    );
    expect(describeEvent(step({ event: "created", detail: "Tina Fischer" }))).toBe(
      "Job created and assigned to Tina Fischer",
    );
  });

  it("makes one timeline, newest first, with a technician's status change shown once", () => {
    const history: StatusChange[] = [
      { job_id: "j", at: "2026-11-23T08:00:00Z", status: "assigned", detail: "Tina Fischer", event: "created" },
      { job_id: "j", at: "2026-11-23T09:01:00Z", status: "on_site", detail: "Tina Fischer", event: "status" },
      { job_id: "j", at: "2026-11-23T11:00:00Z", status: "cancelled", detail: null, event: "cancelled" },
    ];
    const arrived = activity({ op_id: "s", at: "2026-11-23T09:00:00Z", change: { kind: "status", to: "on_site" } });
    const note = activity({ op_id: "n", at: "2026-11-23T09:30:00Z" });
    const entries = timeline(history, [arrived, note]);
    expect(entries.map((e) => (e.kind === "hq" ? e.event.event : e.activity.op_id))).toEqual([
      "cancelled",
      "n",
      "s",
      "created",
    ]);
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

describe("logoutNotice", () => {
  it.each([
    [{ at_hq: "ended" } as const, "HQ has ended this laptop's session"],
    [{ at_hq: "already_ended" } as const, "You are logged out."],
    [{ at_hq: "no_session" } as const, "You are logged out."],
    [{ at_hq: "not_reached", reason: "https://hq unreachable: Connection refused" } as const, "could not be told (https://hq unreachable: Connection refused)"],
  ])("%j", (r, expected) => {
    expect(logoutNotice(r)).toContain(expected);
  });
  it("asks for a revocation only when HQ was not told", () => {
    expect(logoutNotice({ at_hq: "ended" })).not.toContain("revoke");
    expect(logoutNotice({ at_hq: "not_reached", reason: "x" })).toContain("ask an HQ admin to revoke it");
  });
});

describe("describeChange for the visit record", () => {
  const cases: [Change, string][] = [
    [{ kind: "checklist_pinned", templates: [] }, "no checklist applies"],
    [{ kind: "checklist_answer", template: { key: "repair", version: 1 }, item: "earth", value: true }, "earth: yes"],
    [{ kind: "part_used", sku: "PUMP", qty: 1, serial: "P-1" }, "Part used: 1 × PUMP, serial P-1"],
    [{ kind: "parts_requested", sku: "SEAL", qty: 2 }, "Parts requested: 2 × SEAL"],
  ];
  it.each(cases)("%j", (change, expected) => {
    expect(describeChange(change)).toContain(expected);
  });
  it("names items and parts as the job knows them", () => {
    const names = { item: () => "Earth tested", part: (sku: string) => (sku === "PUMP" ? "Circulating pump" : undefined) };
    expect(
      describeChange({ kind: "checklist_answer", template: { key: "t", version: 1 }, item: "earth", value: false }, names),
    ).toBe("Earth tested: no");
    expect(describeChange({ kind: "part_used", sku: "PUMP", qty: 2 }, names)).toBe("Part used: 2 × Circulating pump");
  });
  it("shows readings as typed and photos by name", () => {
    expect(answerText(1.8)).toBe("1.8");
    expect(answerText(false)).toBe("no");
    expect(answerText("ab".repeat(32))).toBe("photo");
  });
});
