import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { SyncState } from "../lib/bindings";
import SyncStatus from "./SyncStatus.svelte";

function state(extra: Partial<SyncState>): SyncState {
  return {
    running: false,
    connection: "online",
    progress: null,
    last_error: null,
    last_sync_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    last_attempt_at: null,
    waiting: 0,
    conflicts: 0,
    ...extra,
  };
}

describe("SyncStatus", () => {
  it("says online with the last sync, and syncs on request", async () => {
    const onSyncNow = vi.fn();
    render(SyncStatus, { sync: state({}), onSyncNow });
    const status = screen.getByTestId("sync-status");
    expect(status).toHaveAttribute("data-connection", "online");
    expect(status).toHaveTextContent("Online");
    expect(screen.getByTestId("sync-last")).toHaveTextContent("Last sync 5 min ago");
    await userEvent.click(screen.getByTestId("sync-now"));
    expect(onSyncNow).toHaveBeenCalledTimes(1);
  });

  it("says a conflict is open instead of all synced, and both when changes wait too", async () => {
    const { rerender } = render(SyncStatus, { sync: state({ conflicts: 1 }), onSyncNow: () => {} });
    const link = screen.getByTestId("sync-waiting");
    expect(link).toHaveTextContent("1 conflict for a dispatcher");
    expect(link).not.toHaveTextContent("All changes synced");
    await rerender({ sync: state({ conflicts: 2, waiting: 3 }) });
    expect(link).toHaveTextContent("3 changes waiting to sync · 2 conflicts for a dispatcher");
    await rerender({ sync: state({}) });
    expect(link).toHaveTextContent("All changes synced");
  });

  it("says offline, working from the laptop, without an alarming error", () => {
    const last_error = { code: "hq_unreachable" as const, message: "HQ at https://hq is unreachable" };
    render(SyncStatus, { sync: state({ connection: "offline", last_error }), onSyncNow: () => {} });
    expect(screen.getByTestId("sync-status")).toHaveTextContent("Offline");
    expect(screen.getByTestId("sync-status")).toHaveTextContent("working from this laptop");
    expect(screen.queryByTestId("sync-error")).not.toBeInTheDocument();
  });

  it("shows progress while syncing and disables Sync now", () => {
    const progress = { phase: "pulling" as const, done: 200, total: null };
    render(SyncStatus, { sync: state({ running: true, progress }), onSyncNow: () => {} });
    expect(screen.getByTestId("sync-status")).toHaveTextContent("Receiving jobs…");
    expect(screen.getByTestId("sync-progress")).toBeInTheDocument();
    expect(screen.getByText("200 received")).toBeInTheDocument();
    expect(screen.getByTestId("sync-now")).toBeDisabled();
  });

  it("names the phase, with done and total when known", () => {
    const progress = { phase: "pushing" as const, done: 40, total: 120 };
    render(SyncStatus, { sync: state({ running: true, progress }), onSyncNow: () => {} });
    expect(screen.getByTestId("sync-status")).toHaveTextContent("Sending changes…");
    const bar = screen.getByTestId("sync-progress");
    expect(bar).toHaveAttribute("max", "120");
    expect(bar).toHaveAttribute("value", "40");
  });

  it("words a failure other than being offline, and a device that never synced", () => {
    const last_error = { code: "session_expired" as const, message: "your session has ended; log in again" };
    render(SyncStatus, { sync: state({ last_error, last_sync_at: null }), onSyncNow: () => {} });
    expect(screen.getByTestId("sync-error")).toHaveTextContent("your session has ended");
    expect(screen.getByTestId("sync-last")).toHaveTextContent("Never synced");
  });

  it("says how many changes wait, and opens the list", async () => {
    const onShowOutbox = vi.fn();
    const { rerender } = render(SyncStatus, { sync: state({ waiting: 3, connection: "offline" }), onSyncNow: vi.fn(), onShowOutbox });
    const waiting = screen.getByTestId("sync-waiting");
    expect(waiting).toHaveTextContent("3 changes waiting to sync");
    await userEvent.click(waiting);
    expect(onShowOutbox).toHaveBeenCalledOnce();
    await rerender({ sync: state({ waiting: 1 }), onSyncNow: vi.fn(), onShowOutbox });
    expect(screen.getByTestId("sync-waiting")).toHaveTextContent("1 change waiting to sync");
    await rerender({ sync: state({ waiting: 0 }), onSyncNow: vi.fn(), onShowOutbox });
    expect(screen.getByTestId("sync-waiting")).toHaveTextContent("All changes synced");
  });
});
