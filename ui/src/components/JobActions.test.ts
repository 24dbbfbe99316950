import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { ApiError } from "../lib/api";
import { detail } from "../test/fixtures";
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

  it("offers exactly the statuses the technician may move to, and records the choice", async () => {
    const onChanged = vi.fn();
    render(JobActions, { detail: detail({ next_statuses: ["en_route", "on_site"] }), onChanged });
    expect(screen.getByTestId("status-en_route")).toHaveTextContent("En route");
    expect(screen.getByTestId("status-on_site")).toBeInTheDocument();
    expect(screen.queryByTestId("status-completed")).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId("status-on_site"));
    expect(api.setStatus).toHaveBeenCalledWith("J-000001", "on_site");
    expect(onChanged).toHaveBeenCalledOnce();
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
    render(JobActions, { detail: detail({ working: true }), onChanged: vi.fn() });
    expect(screen.getByTestId("work-toggle")).toHaveTextContent("Stop work");
    await userEvent.click(screen.getByTestId("work-toggle"));
    expect(api.work).toHaveBeenLastCalledWith("J-000001", false);
  });

  it("attaches picked photos and corrects phone and serial", async () => {
    render(JobActions, { detail: detail(), onChanged: vi.fn() });
    const photo = new File(["jpeg"], "boiler.jpg", { type: "image/jpeg" });
    await userEvent.upload(screen.getByTestId("photo-input"), photo);
    expect(api.attachPhoto).toHaveBeenCalledWith("J-000001", photo);
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
    render(JobActions, { detail: detail({ next_statuses: ["completed"] }), onChanged });
    await userEvent.click(screen.getByTestId("status-completed"));
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
