import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../lib/api";
import * as api from "../lib/api";
import { deferred, summary } from "../test/fixtures";
import JobList from "./JobList.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return { ...real, jobs: vi.fn(), countJobs: vi.fn() };
});
const jobs = vi.mocked(api.jobs);
const countJobs = vi.mocked(api.countJobs);

describe("JobList", () => {
  // The list groups by the local day: a fixed "now" (07:00 on 23 November 2026) keeps the
  // tests about days independent of when they run. Only Date is faked, so timers still run.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(2026, 10, 23, 7, 0));
    countJobs.mockResolvedValue(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

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
    const at = (d: number, h: number) => new Date(2026, 10, d, h).toISOString();
    jobs.mockResolvedValue([
      summary("J-1", at(23, 8), { sla: "overdue", priority: "urgent" }),
      summary("J-2", at(23, 13), { kind: "installation" }),
      summary("J-3", at(25, 9)),
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

  it("puts overdue open work first, flags late windows", async () => {
    const at = (d: number, h: number) => new Date(2026, 10, d, h).toISOString();
    jobs.mockResolvedValue([
      summary("J-OLD", at(21, 9), { status: "waiting_parts" }),
      summary("J-YDAY", at(22, 14), { late: true }),
      summary("J-NOW", at(23, 8), { late: true }),
      summary("J-LATER", at(23, 13)),
    ]);
    render(JobList, { onSelect: () => {} });
    const rows = await screen.findAllByTestId("job-row");
    expect(rows.map((r) => r.dataset.number)).toEqual(["J-OLD", "J-YDAY", "J-NOW", "J-LATER"]);
    const days = screen.getAllByTestId("job-day");
    expect(days[0]).toHaveAttribute("data-group", "overdue");
    expect(days[0]).toHaveTextContent("Overdue 2");
    expect(days[1]).toHaveTextContent(/^Today/);
    expect(within(rows[2]).getByTestId("late-badge")).toHaveTextContent("Late");
    expect(within(rows[3]).queryByTestId("late-badge")).not.toBeInTheDocument();
  });

  it("says how many matches of a search the other tab holds, and goes there", async () => {
    jobs.mockResolvedValue([summary("J-1", new Date(2026, 10, 23, 9).toISOString())]);
    countJobs.mockResolvedValue(3);
    render(JobList, { onSelect: () => {} });
    await screen.findAllByTestId("job-row");
    expect(screen.queryByTestId("search-elsewhere")).not.toBeInTheDocument();
    await userEvent.type(screen.getByTestId("job-search"), "Lovelace");
    const more = await screen.findByTestId("search-elsewhere");
    expect(more).toHaveTextContent("3 more in Past");
    expect(countJobs.mock.lastCall?.[0]).toMatchObject({ search: "Lovelace", range: { kind: "past" } });
    await userEvent.click(more);
    await waitFor(() => expect(jobs.mock.lastCall?.[0]).toMatchObject({ search: "Lovelace", range: { kind: "past" } }));
    expect(screen.getByTestId("job-tab-past")).toHaveAttribute("aria-selected", "true");
  });

  it("is one stop for Tab: the arrows move between rows, Tab leaves the list", async () => {
    const at = (h: number) => new Date(2026, 10, 23, h).toISOString();
    jobs.mockResolvedValue([summary("J-1", at(8)), summary("J-2", at(9)), summary("J-3", at(10))]);
    render(JobList, { onSelect: () => {}, selected: "J-2" });
    const rows = await screen.findAllByTestId("job-row");
    expect(rows.map((r) => r.tabIndex)).toEqual([-1, 0, -1]);
    screen.getByTestId("job-search").focus();
    await userEvent.tab();
    expect(document.activeElement).toBe(rows[1]);
    await userEvent.keyboard("{End}");
    expect(document.activeElement).toBe(rows[2]);
    await userEvent.keyboard("{Home}");
    expect(document.activeElement).toBe(rows[0]);
    await userEvent.tab();
    expect(rows).not.toContain(document.activeElement);
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
