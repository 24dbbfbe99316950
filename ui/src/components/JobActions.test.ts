import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { ApiError } from "../lib/api";
import { activity, detail } from "../test/fixtures";
import JobActions from "./JobActions.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return {
    ...real,
    setStatus: vi.fn(),
    addNote: vi.fn(),
    work: vi.fn(),
    correctPhone: vi.fn(),
    correctSerial: vi.fn(),
    attachPhoto: vi.fn(),
  };
});

const entry = {} as api.OutboxEntry;

describe("JobActions", () => {
  beforeEach(() => {
    for (const f of [api.setStatus, api.addNote, api.work, api.correctPhone, api.correctSerial, api.attachPhoto]) {
      vi.mocked(f).mockImplementation(async () => entry);
    }
  });

  it("offers the next moves as actions and a step back only as an undo, and keeps focus off them", async () => {
    const onChanged = vi.fn();
    render(JobActions, {
      detail: detail({ job: { ...detail().job, status: "en_route" }, next_statuses: ["on_site"], undo_status: "assigned" }),
      onChanged,
    });
    const arrived = screen.getByTestId("status-on_site");
    expect(arrived).toHaveTextContent("Arrived");
    expect(arrived.className).toContain("primary");
    const undo = screen.getByTestId("status-undo");
    expect(undo).toHaveTextContent("Undo: back to assigned");
    expect(undo.className).toContain("secondary");
    expect(screen.queryByTestId("status-assigned")).not.toBeInTheDocument();
    await userEvent.click(arrived);
    expect(api.setStatus).toHaveBeenCalledWith("J-000001", "on_site");
    expect(onChanged).toHaveBeenCalledOnce();
    await waitFor(() => expect(screen.getByTestId("status-line")).toHaveFocus());
    await userEvent.click(screen.getByTestId("status-undo"));
    expect(api.setStatus).toHaveBeenLastCalledWith("J-000001", "assigned");
  });

  it("asks before completing, with a summary, and says a running timer will stop", async () => {
    const onChanged = vi.fn();
    const d = detail({
      job: { ...detail().job, status: "on_site" },
      next_statuses: ["waiting_parts", "completed"],
      working: true,
      work: { seconds: 1800, running_since: new Date(Date.now() - 600_000).toISOString() },
      activity: [
        activity({ change: { kind: "note", text: "Seal replaced" } }),
        activity({ change: { kind: "note", text: "Tested" } }),
        activity({
          change: { kind: "attachment", sha256: "ab", file_name: "a.jpg", media_type: "image/jpeg", bytes: 9, caption: null },
        }),
      ],
    });
    render(JobActions, { detail: d, onChanged });
    const before = vi.mocked(api.setStatus).mock.calls.length;
    expect(screen.getByTestId("status-completed")).toHaveTextContent("Complete…");
    await userEvent.click(screen.getByTestId("status-completed"));
    expect(vi.mocked(api.setStatus).mock.calls.length).toBe(before);
    expect(screen.getByTestId("complete-time")).toHaveTextContent("40 min");
    expect(screen.getByTestId("complete-notes")).toHaveTextContent("2");
    expect(screen.getByTestId("complete-photos")).toHaveTextContent("1");
    expect(screen.getByTestId("complete-stops-timer")).toHaveTextContent("Work time is running");
    expect(screen.getByTestId("complete-cancel")).toHaveFocus();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByTestId("complete-dialog")).not.toBeInTheDocument();
    expect(vi.mocked(api.setStatus).mock.calls.length).toBe(before);
    await userEvent.click(screen.getByTestId("status-completed"));
    await userEvent.click(screen.getByTestId("complete-confirm"));
    expect(api.setStatus).toHaveBeenLastCalledWith("J-000001", "completed");
    await waitFor(() => expect(screen.queryByTestId("complete-dialog")).not.toBeInTheDocument());
    expect(onChanged).toHaveBeenCalledOnce();
  });

  it("shows the time on site and a running clock", () => {
    const { unmount } = render(JobActions, {
      detail: detail({ work: { seconds: 3900, running_since: null } }),
      onChanged: vi.fn(),
    });
    expect(screen.getByTestId("work-total")).toHaveTextContent("Time on site: 1 h 05 min");
    unmount();
    render(JobActions, {
      detail: detail({ working: true, work: { seconds: 0, running_since: new Date(Date.now() - 65_000).toISOString() } }),
      onChanged: vi.fn(),
    });
    expect(screen.getByTestId("work-clock").textContent).toMatch(/^0:01:0[5-7]$/);
  });

  it("a closed job offers no more work time, but still a stop for a timer left running", () => {
    const closed = { ...detail().job, status: "cancelled" as const };
    const { unmount } = render(JobActions, { detail: detail({ job: closed, next_statuses: [] }), onChanged: vi.fn() });
    expect(screen.queryByTestId("work-toggle")).not.toBeInTheDocument();
    expect(screen.getByTestId("work-closed")).toHaveTextContent("no more work time");
    unmount();
    render(JobActions, {
      detail: detail({ job: closed, next_statuses: [], working: true, work: { seconds: 0, running_since: new Date().toISOString() } }),
      onChanged: vi.fn(),
    });
    expect(screen.getByTestId("work-toggle")).toHaveTextContent("Stop work");
  });

  it("adds a note, then clears the box; an empty note cannot be sent", async () => {
    const onChanged = vi.fn();
    render(JobActions, { detail: detail(), onChanged });
    const add = screen.getByTestId("note-add");
    expect(add).toBeDisabled();
    await userEvent.type(screen.getByTestId("note-text"), "Pump seal worn");
    await userEvent.click(add);
    expect(api.addNote).toHaveBeenCalledWith("J-000001", "Pump seal worn");
    expect(screen.getByTestId("note-text")).toHaveValue("");
    expect(onChanged).toHaveBeenCalledOnce();
  });

  it("starts or stops work depending on whether it runs", async () => {
    const { unmount } = render(JobActions, { detail: detail({ working: false }), onChanged: vi.fn() });
    await userEvent.click(screen.getByTestId("work-toggle"));
    expect(api.work).toHaveBeenLastCalledWith("J-000001", true);
    unmount();
    render(JobActions, {
      detail: detail({ working: true, work: { seconds: 0, running_since: new Date().toISOString() } }),
      onChanged: vi.fn(),
    });
    expect(screen.getByTestId("work-toggle")).toHaveTextContent("Stop work");
    await userEvent.click(screen.getByTestId("work-toggle"));
    expect(api.work).toHaveBeenLastCalledWith("J-000001", false);
  });

  it("attaches a picked photo with its caption once asked to, and corrects phone and serial", async () => {
    URL.createObjectURL ??= () => "blob:x";
    URL.revokeObjectURL ??= () => {};
    render(JobActions, { detail: detail(), onChanged: vi.fn() });
    const photo = new File(["jpeg"], "boiler.jpg", { type: "image/jpeg" });
    const other = new File(["jpeg"], "other.jpg", { type: "image/jpeg" });
    await userEvent.upload(screen.getByTestId("photo-input"), [photo, other]);
    expect(api.attachPhoto).not.toHaveBeenCalled();
    expect(screen.getAllByTestId("staged-photo")).toHaveLength(2);
    await userEvent.click(screen.getAllByTestId("photo-discard")[1]);
    await userEvent.type(screen.getByTestId("photo-caption"), "Front panel");
    await userEvent.click(screen.getByTestId("photo-attach"));
    expect(api.attachPhoto).toHaveBeenCalledExactlyOnceWith("J-000001", photo, "Front panel");
    await waitFor(() => expect(screen.queryByTestId("staged-photo")).not.toBeInTheDocument());
    await userEvent.click(screen.getByText("Correct the contact phone or the product serial"));
    await userEvent.type(screen.getByTestId("phone-input"), "0113 496 0000");
    await userEvent.click(screen.getByTestId("phone-save"));
    expect(api.correctPhone).toHaveBeenCalledWith("J-000001", "0113 496 0000");
    await userEvent.type(screen.getByTestId("serial-input"), "HM3-1");
    await userEvent.click(screen.getByTestId("serial-save"));
    expect(api.correctSerial).toHaveBeenCalledWith("J-000001", "HM3-1");
  });

  it("shows why a change was refused and does not report a change", async () => {
    vi.mocked(api.setStatus).mockImplementation(async () => {
      throw new ApiError({ code: "invalid_transition", message: "job J-000001: a job cannot go from assigned to completed" });
    });
    const onChanged = vi.fn();
    render(JobActions, { detail: detail({ next_statuses: ["en_route"] }), onChanged });
    await userEvent.click(screen.getByTestId("status-en_route"));
    expect(await screen.findByTestId("action-error")).toHaveTextContent("cannot go from assigned to completed");
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("a job given to someone else is read-only", () => {
    render(JobActions, { detail: detail({ read_only: true, next_statuses: [] }), onChanged: vi.fn() });
    expect(screen.getByTestId("read-only")).toHaveTextContent("given to another technician");
    expect(screen.queryByTestId("note-text")).not.toBeInTheDocument();
    expect(screen.queryByTestId("photo-input")).not.toBeInTheDocument();
  });
});
