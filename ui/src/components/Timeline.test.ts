import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { ApiError } from "../lib/api";
import { activity } from "../test/fixtures";
import Timeline from "./Timeline.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return { ...real, withdraw: vi.fn(), attachment: vi.fn() };
});

const photo = (sha: string, caption: string | null = null) => ({
  kind: "attachment" as const,
  sha256: sha,
  file_name: "boiler.jpg",
  media_type: "image/jpeg",
  bytes: 3_000_000,
  caption,
});

describe("Timeline", () => {
  beforeEach(() => {
    vi.mocked(api.attachment).mockImplementation(async () => new ArrayBuffer(4));
    vi.mocked(api.withdraw).mockImplementation(async () => null);
    URL.createObjectURL ??= () => "blob:x";
    URL.revokeObjectURL ??= () => {};
  });

  it("leaves out the checklist pin and names answers by their item", () => {
    render(Timeline, {
      activity: [
        activity({ op_id: "p", change: { kind: "checklist_pinned", templates: [{ key: "boiler", version: 1 }] } }),
        activity({
          op_id: "a",
          change: { kind: "checklist_answer", template: { key: "boiler", version: 1 }, item: "earth", value: true },
        }),
      ],
      names: { item: (t: string, i: string) => (t === "boiler" && i === "earth" ? "Earth tested" : undefined) },
    });
    const items = screen.getAllByTestId("activity-item");
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent("Earth tested: yes");
  });

  it("lists changes newest first with where each stands", () => {
    render(Timeline, {
      activity: [
        activity({ op_id: "a", at: "2026-11-23T09:00:00Z", change: { kind: "status", to: "on_site" } }),
        activity({ op_id: "b", at: "2026-11-23T09:10:00Z", state: "pending", by: null }),
        activity({
          op_id: "c",
          at: "2026-11-23T09:20:00Z",
          mine: false,
          by: "Tom Okafor",
          change: photo("ab", "Front panel"),
        }),
      ],
    });
    const items = screen.getAllByTestId("activity-item");
    expect(items.map((i) => i.dataset.kind)).toEqual(["attachment", "note", "status"]);
    expect(items[0]).toHaveTextContent("Photo boiler.jpg (3.0 MB): Front panel");
    expect(items[0]).toHaveTextContent("Tom Okafor");
    expect(items[1]).toHaveTextContent("Waiting to sync");
    expect(items[1]).toHaveTextContent("You");
    expect(items[2]).toHaveTextContent("Status → On site");
    expect(items[2].querySelector("[data-testid=activity-state]")).toBeNull();
  });

  it("shows a conflict in plain words until a dispatcher settles it, then their decision and note, calmly", async () => {
    const conflict = activity({
      op_id: "x",
      change: { kind: "status", to: "completed" },
      state: "conflict",
      reason: "status_conflict",
      message: "You completed the job, but HQ had already cancelled it. A dispatcher decides; nothing you recorded is lost.",
    });
    const { rerender } = render(Timeline, { activity: [conflict] });
    const card = screen.getByTestId("conflict-card");
    expect(card).toHaveTextContent("Waiting for a dispatcher");
    expect(card).toHaveTextContent("You completed the job, but HQ had already cancelled it.");
    expect(card.className).toContain("conflict");
    expect(screen.getByTestId("activity-state")).toHaveTextContent("Conflict · HQ changed the status");
    await rerender({
      activity: [
        {
          ...conflict,
          settled: {
            resolution: "keep_hq",
            by: "dora",
            by_name: "Dora Dispatch",
            at: "2026-11-23T10:00:00Z",
            note: "The customer moved out; nothing to do.",
          },
        },
      ],
    });
    const settled = screen.getByTestId("conflict-card");
    expect(settled).toHaveTextContent("Settled by Dora Dispatch: HQ's version was kept");
    expect(screen.getByTestId("settlement-note")).toHaveTextContent("The customer moved out; nothing to do.");
    expect(settled.className).not.toContain("conflict");
    expect(screen.getByTestId("activity-state")).toHaveTextContent("Settled");
  });

  it("shows what HQ did in the same timeline, once", () => {
    render(Timeline, {
      activity: [activity({ op_id: "s", at: "2026-11-23T09:00:00Z", change: { kind: "status", to: "on_site" } })],
      history: [
        { job_id: "j", at: "2026-11-23T08:00:00Z", status: "assigned", detail: "Tina Fischer", event: "created" },
        { job_id: "j", at: "2026-11-23T09:00:01Z", status: "on_site", detail: "Tina Fischer", event: "status" },
      ],
    });
    expect(screen.getAllByTestId("activity-item")).toHaveLength(1);
    const hq = screen.getAllByTestId("timeline-hq");
    expect(hq).toHaveLength(1);
    expect(hq[0]).toHaveTextContent("Job created and assigned to Tina Fischer");
  });

  it("opens a photo full size and closes it with Escape", async () => {
    render(Timeline, { activity: [activity({ op_id: "p", change: photo("cd", "Rating label") })] });
    await userEvent.click(await screen.findByTestId("thumbnail-open"));
    expect(screen.getByTestId("photo-viewer")).toHaveAccessibleName("Rating label");
    expect(screen.getByTestId("thumbnail-caption")).toHaveTextContent("Rating label");
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByTestId("photo-viewer")).not.toBeInTheDocument();
    expect(screen.getByTestId("thumbnail-open")).toHaveFocus();
  });

  it("removes a photo not yet synced, and only such a photo", async () => {
    const onChanged = vi.fn();
    render(Timeline, {
      activity: [
        activity({ op_id: "waiting", state: "pending", change: photo("ee") }),
        activity({ op_id: "synced", state: "applied", change: photo("ff") }),
      ],
      onChanged,
    });
    const remove = screen.getAllByTestId("photo-remove");
    expect(remove).toHaveLength(1);
    await userEvent.click(remove[0]);
    expect(api.withdraw).not.toHaveBeenCalled();
    await userEvent.click(screen.getByTestId("photo-remove-confirm"));
    expect(api.withdraw).toHaveBeenCalledWith("waiting");
    await waitFor(() => expect(onChanged).toHaveBeenCalledOnce());
  });

  it("says why a photo could not be removed", async () => {
    vi.mocked(api.withdraw).mockImplementation(async () => {
      throw new ApiError({ code: "already_sent", message: "this change has already been sent to HQ, so it stays on the job" });
    });
    render(Timeline, { activity: [activity({ op_id: "w", state: "pending", change: photo("ee") })] });
    await userEvent.click(screen.getByTestId("photo-remove"));
    await userEvent.click(screen.getByTestId("photo-remove-confirm"));
    expect(await screen.findByTestId("timeline-error")).toHaveTextContent("already been sent");
  });

  it("says when nothing is recorded", () => {
    render(Timeline, { activity: [] });
    expect(screen.getByTestId("activity-empty")).toBeInTheDocument();
  });
});
