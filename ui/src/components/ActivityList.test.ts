import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { activity } from "../test/fixtures";
import ActivityList from "./ActivityList.svelte";

describe("ActivityList", () => {
  it("lists changes newest first with where each stands", () => {
    render(ActivityList, {
      activity: [
        activity({ op_id: "a", at: "2026-11-23T09:00:00Z", change: { kind: "status", to: "on_site" } }),
        activity({ op_id: "b", at: "2026-11-23T09:10:00Z", state: "pending", by: null }),
        activity({
          op_id: "c",
          at: "2026-11-23T09:20:00Z",
          mine: false,
          by: "tom",
          change: { kind: "attachment", sha256: "ab", file_name: "boiler.jpg", media_type: "image/jpeg", bytes: 3_000_000 },
        }),
      ],
    });
    const items = screen.getAllByTestId("activity-item");
    expect(items.map((i) => i.dataset.kind)).toEqual(["attachment", "note", "status"]);
    expect(items[0]).toHaveTextContent("Photo boiler.jpg (3.0 MB)");
    expect(items[0]).toHaveTextContent("tom");
    expect(items[1]).toHaveTextContent("Waiting to sync");
    expect(items[1]).toHaveTextContent("You");
    expect(items[2]).toHaveTextContent("Status → On site");
    expect(items[2].querySelector("[data-testid=activity-state]")).toBeNull();
  });

  it("shows a conflict card until a dispatcher settles it, then the settlement", async () => {
    const conflict = activity({
      op_id: "x",
      change: { kind: "status", to: "completed" },
      state: "conflict",
      reason: "status_conflict",
      message: "HQ has the job cancelled",
    });
    const { rerender } = render(ActivityList, { activity: [conflict] });
    const card = screen.getByTestId("conflict-card");
    expect(card).toHaveTextContent("Waiting for a dispatcher");
    expect(card).toHaveTextContent("HQ has the job cancelled");
    expect(screen.getByTestId("activity-state")).toHaveTextContent("Conflict · HQ changed the status");
    await rerender({
      activity: [{ ...conflict, settled: { resolution: "keep_hq", by: "dora", at: "2026-11-23T10:00:00Z" } }],
    });
    expect(screen.getByTestId("conflict-card")).toHaveTextContent("Settled by dora: HQ's version was kept");
  });

  it("says when nothing is recorded", () => {
    render(ActivityList, { activity: [] });
    expect(screen.getByTestId("activity-empty")).toBeInTheDocument();
  });
});
