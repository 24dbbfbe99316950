import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import OutboxPanel from "./OutboxPanel.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return { ...real, outbox: vi.fn() };
});

const entry = (extra: Partial<api.OutboxEntry>): api.OutboxEntry => ({
  op_id: `op-${Math.random()}`,
  job_number: "J-000001",
  change: { kind: "note", text: "Pump seal worn" },
  state: "pending",
  reason: null,
  message: null,
  created_at: "2026-11-23T09:00:00Z",
  acked_at: null,
  ...extra,
});

describe("OutboxPanel", () => {
  it("lists waiting changes and what became of the others, with reasons", async () => {
    vi.mocked(api.outbox).mockImplementation(async () => ({
      waiting: 1,
      conflicts: 1,
      rejected: 1,
      ops: [
        entry({ state: "pending" }),
        entry({ state: "applied", change: { kind: "status", to: "on_site" } }),
        entry({ state: "conflict", reason: "status_conflict", message: "HQ has the job cancelled" }),
        entry({ state: "rejected", reason: "not_your_job", job_number: "J-000009" }),
      ],
    }));
    const onClose = vi.fn();
    render(OutboxPanel, { onClose });
    const items = await screen.findAllByTestId("outbox-item");
    expect(items.map((i) => i.dataset.state)).toEqual(["pending", "applied", "conflict", "rejected"]);
    expect(screen.getByTestId("outbox-summary")).toHaveTextContent("1 change waiting to sync.");
    expect(screen.getByTestId("outbox-summary")).toHaveTextContent("1 conflict for a dispatcher.");
    expect(items[2]).toHaveTextContent("HQ changed the status: HQ has the job cancelled");
    expect(items[3]).toHaveTextContent("not your job");
    await userEvent.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalled();
  });

  it("says when everything reached HQ", async () => {
    vi.mocked(api.outbox).mockImplementation(async () => ({ waiting: 0, conflicts: 0, rejected: 0, ops: [] }));
    render(OutboxPanel, { onClose: vi.fn() });
    expect(await screen.findByTestId("outbox-summary")).toHaveTextContent("Everything has reached HQ.");
  });
});
