import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../lib/api";
import * as api from "../lib/api";
import { deferred, summary } from "../test/fixtures";
import JobList from "./JobList.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return { ...real, jobs: vi.fn() };
});
const jobs = vi.mocked(api.jobs);

describe("JobList", () => {
  it("shows a loading state until the store answers", async () => {
    const pending = deferred<api.JobSummary[]>();
    jobs.mockReturnValue(pending.promise);
    render(JobList, { onSelect: () => {} });
    expect(screen.getByTestId("job-list-loading")).toBeInTheDocument();
    pending.resolve([]);
    await screen.findByTestId("job-list-empty");
    expect(screen.queryByTestId("job-list-loading")).not.toBeInTheDocument();
  });

  it("says so when no job is assigned yet", async () => {
    jobs.mockResolvedValue([]);
    render(JobList, { onSelect: () => {} });
    expect(await screen.findByTestId("job-list-empty")).toHaveTextContent("No jobs assigned yet");
  });

  it("shows the error the store gave, not a blank list", async () => {
    jobs.mockImplementation(async () => {
      throw new ApiError({ code: "store", message: "local database error: disk I/O" });
    });
    render(JobList, { onSelect: () => {} });
    expect(await screen.findByTestId("job-list-error")).toHaveTextContent("disk I/O");
  });

  it("groups rows by day, shows what a technician needs, and opens a job", async () => {
    jobs.mockResolvedValue([
      summary("J-1", "2026-11-23T08:00:00Z", { sla: "overdue", priority: "urgent" }),
      summary("J-2", "2026-11-23T13:00:00Z", { kind: "installation" }),
      summary("J-3", "2026-11-25T09:00:00Z"),
      summary("J-4", null),
    ]);
    const onSelect = vi.fn();
    const onPainted = vi.fn();
    render(JobList, { onSelect, onPainted });
    const rows = await screen.findAllByTestId("job-row");
    expect(rows.map((r) => r.dataset.number)).toEqual(["J-1", "J-2", "J-3", "J-4"]);
    const days = screen.getAllByTestId("job-day").map((d) => d.textContent);
    expect(days).toHaveLength(3);
    expect(days[2]).toContain("Unscheduled");
    const first = within(rows[0]);
    expect(first.getByText("Repair")).toBeInTheDocument();
    expect(first.getByText("Urgent")).toBeInTheDocument();
    expect(first.getByText("Assigned")).toBeInTheDocument();
    expect(first.getByTestId("sla-badge")).toHaveTextContent("SLA overdue");
    expect(first.getByText(/Ada Lovelace · London/)).toBeInTheDocument();
    expect(within(rows[1]).getByText("Installation")).toBeInTheDocument();

    await userEvent.click(rows[2]);
    expect(onSelect).toHaveBeenCalledWith("J-3");
    await waitFor(() => expect(onPainted).toHaveBeenCalledTimes(1));
  });

  it("asks for upcoming jobs from local midnight, then past ones, then searches", async () => {
    jobs.mockResolvedValue([]);
    const before = jobs.mock.calls.length;
    render(JobList, { onSelect: () => {} });
    await screen.findByTestId("job-list-empty");
    const first = jobs.mock.calls[before][0];
    expect(first.range.kind).toBe("upcoming");
    const from = new Date((first.range as { from: string }).from);
    expect([from.getHours(), from.getMinutes()]).toEqual([0, 0]);
    expect(first.offset).toBe(0);

    await userEvent.click(screen.getByTestId("job-tab-past"));
    await waitFor(() => expect(jobs.mock.lastCall?.[0].range.kind).toBe("past"));
    expect(await screen.findByTestId("job-list-empty")).toHaveTextContent("No past jobs");

    await userEvent.type(screen.getByTestId("job-search"), "HM3");
    await waitFor(() => expect(jobs.mock.lastCall?.[0].search).toBe("HM3"));
    expect(await screen.findByTestId("job-list-empty")).toHaveTextContent("No jobs match “HM3”");
  });

  it("loads the next page on demand instead of everything at once", async () => {
    const page = (from: number) =>
      Array.from({ length: 100 }, (_, i) => summary(`J-${from + i}`, "2026-11-24T08:00:00Z"));
    jobs.mockResolvedValueOnce(page(0)).mockResolvedValueOnce(page(100).slice(0, 20));
    const before = jobs.mock.calls.length;
    render(JobList, { onSelect: () => {} });
    expect(await screen.findAllByTestId("job-row")).toHaveLength(100);
    await userEvent.click(screen.getByTestId("job-list-more"));
    await waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(120));
    expect(jobs.mock.calls[before + 1][0].offset).toBe(100);
    expect(screen.queryByTestId("job-list-more")).not.toBeInTheDocument();
  });

  it("moves through the rows with the arrow keys and focuses search with /", async () => {
    jobs.mockResolvedValue([summary("J-1", "2026-11-23T08:00:00Z"), summary("J-2", "2026-11-23T09:00:00Z")]);
    render(JobList, { onSelect: () => {} });
    const rows = await screen.findAllByTestId("job-row");
    rows[0].focus();
    await userEvent.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(rows[1]);
    await userEvent.keyboard("{ArrowUp}");
    expect(document.activeElement).toBe(rows[0]);
    await userEvent.keyboard("/");
    expect(document.activeElement).toBe(screen.getByTestId("job-search"));
  });

  it("after a sync, reads again every row on screen instead of dropping back to the first page", async () => {
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => summary(`J-${from + i}`, "2026-11-24T08:00:00Z"));
    jobs.mockResolvedValueOnce(page(0, 100)).mockResolvedValueOnce(page(100, 50)).mockResolvedValueOnce(page(0, 150));
    const before = jobs.mock.calls.length;
    const view = render(JobList, { onSelect: () => {}, version: "2026-11-23T10:00:00Z" });
    await screen.findAllByTestId("job-row");
    await userEvent.click(screen.getByTestId("job-list-more"));
    await waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(150));

    await view.rerender({ onSelect: () => {}, version: "2026-11-23T10:01:00Z" });
    await waitFor(() => expect(jobs.mock.calls.length).toBe(before + 3));
    const refresh = jobs.mock.calls[before + 2][0];
    expect([refresh.offset, refresh.limit]).toEqual([0, 150]);
    await waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(150));
  });
});
