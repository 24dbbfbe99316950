import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { JobVisit, RecordedOp } from "../shared/hq-api";
import { dora, emptyVisit, fakeBackend, view } from "../test/console-fixtures";
import { HqFailure } from "./backend";
import Console from "./Console.svelte";

const now = () => new Date(2026, 11, 1, 9, 0);

afterEach(() => {
  location.hash = "";
});

describe("the jobs list", () => {
  it("searches with every filter and pages on", async () => {
    location.hash = "#/jobs";
    const backend = fakeBackend({
      session: async () => dora,
      jobs: async (q) =>
        q.after
          ? { jobs: [view("J-3", null, null)], next: null }
          : { jobs: [view("J-1", "tina", "09:00-10:00"), view("J-2", null, null, { sla_due: "2026-12-01T07:00:00Z" })], next: "J-2" },
    });
    render(Console, { backend, now });
    const rows = await screen.findAllByTestId("job-row");
    expect(rows.map((r) => r.dataset.number)).toEqual(["J-1", "J-2"]);
    expect(rows[1]).toHaveTextContent("Overdue");
    expect(within(rows[0]).getByRole("link", { name: "J-1" })).toHaveAttribute("href", "#/jobs/J-1");
    // The export covers this month until a day is picked.
    const month = new URLSearchParams({ from: new Date(2026, 11, 1).toISOString(), to: new Date(2027, 0, 1).toISOString() });
    expect(screen.getByTestId("jobs-export")).toHaveAttribute("href", `/api/v1/exports/jobs.csv?${month}`);

    await userEvent.type(screen.getByTestId("jobs-q"), "  leeds ");
    await userEvent.selectOptions(screen.getByTestId("jobs-kind"), "repair");
    await userEvent.selectOptions(screen.getByTestId("jobs-status"), "assigned");
    await userEvent.type(screen.getByTestId("jobs-technician"), "tina");
    await userEvent.type(screen.getByTestId("jobs-day"), "2026-12-02");
    await userEvent.selectOptions(screen.getByTestId("jobs-sla"), "overdue");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(backend.jobs).toHaveBeenLastCalledWith({
      limit: 50,
      q: "leeds",
      status: "assigned",
      kind: "repair",
      technician: "tina",
      from: new Date(2026, 11, 2).toISOString(),
      to: new Date(2026, 11, 3).toISOString(),
      sla_due_before: now().toISOString(),
    });
    const day = new URLSearchParams({ from: new Date(2026, 11, 2).toISOString(), to: new Date(2026, 11, 3).toISOString() });
    expect(screen.getByTestId("jobs-export")).toHaveAttribute("href", `/api/v1/exports/jobs.csv?${day}`);
    await userEvent.click(await screen.findByTestId("jobs-more"));
    await waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(3));
    expect(backend.jobs).toHaveBeenLastCalledWith(expect.objectContaining({ after: "J-2", q: "leeds" }));
    expect(screen.queryByTestId("jobs-more")).toBeNull();
  });
});

describe("the job form", () => {
  it("refuses a job without its essentials, looks a customer up and creates the job", async () => {
    location.hash = "#/jobs/new";
    const known = view("J-7", null, null);
    known.customer = { ...known.customer, name: "Ada Lovelace", phone: "0113 496 0001" };
    known.site = { ...known.site, address: "12 Analytical Row", town: "London" };
    known.asset = { id: "a-1", customer_id: known.customer.id, site_id: known.site.id, model: "HeatMax 300", serial: "HM3-42", purchased_on: null, installed_on: null, warranty_until: "2027-01-01" };
    const backend = fakeBackend({
      session: async () => dora,
      jobs: async () => ({ jobs: [known, known], next: null }),
      createJob: async () => view("J-100", null, null),
    });
    render(Console, { backend, now });
    const form = within(await screen.findByTestId("job-form"));
    await userEvent.click(form.getByTestId("form-save"));
    expect(form.getByTestId("form-error")).toHaveTextContent("Say what the job is about");
    await userEvent.type(form.getByTestId("form-summary"), "No hot water");
    await userEvent.click(form.getByTestId("form-save"));
    expect(form.getByTestId("form-error")).toHaveTextContent("Name the customer.");
    expect(backend.createJob).not.toHaveBeenCalled();

    await userEvent.type(form.getByTestId("form-customer"), "ada");
    const matches = await form.findAllByTestId("customer-match", {}, { timeout: 2000 });
    expect(matches).toHaveLength(1);
    expect(matches[0]).toHaveTextContent("Ada Lovelace · 12 Analytical Row, London · HeatMax 300");
    await userEvent.click(matches[0]);
    expect(form.getByTestId("form-address")).toHaveValue("12 Analytical Row");
    expect(form.getByTestId("form-model")).toHaveValue("HeatMax 300");
    await userEvent.selectOptions(form.getByTestId("form-priority"), "urgent");
    await userEvent.type(form.getByTestId("form-start"), "2026-12-02T10:00");
    await userEvent.type(form.getByTestId("form-end"), "2026-12-02T09:00");
    await userEvent.click(form.getByTestId("form-save"));
    expect(form.getByTestId("form-error")).toHaveTextContent("The visit must end after it starts.");
    await userEvent.clear(form.getByTestId("form-end"));
    await userEvent.type(form.getByTestId("form-end"), "2026-12-02T11:30");
    await userEvent.click(form.getByTestId("form-save"));
    await waitFor(() => expect(backend.createJob).toHaveBeenCalledTimes(1));
    expect(backend.createJob).toHaveBeenCalledWith({
      number: null,
      kind: "repair",
      priority: "urgent",
      summary: "No hot water",
      description: null,
      technician: null,
      customer: { name: "Ada Lovelace", phone: "0113 496 0001", email: null },
      site: { address: "12 Analytical Row", town: "London", access_notes: null },
      asset: { model: "HeatMax 300", serial: "HM3-42", purchased_on: null, installed_on: null, warranty_until: "2027-01-01" },
      scheduled_start: new Date(2026, 11, 2, 10, 0).toISOString(),
      scheduled_end: new Date(2026, 11, 2, 11, 30).toISOString(),
      sla_due: null,
    });
    await waitFor(() => expect(location.hash).toBe("#/jobs/J-100"));
  });

  it("shows HQ's refusal and keeps what was typed", async () => {
    location.hash = "#/jobs/new";
    const backend = fakeBackend({ session: async () => dora });
    backend.createJob.mockRejectedValueOnce(new HqFailure(422, "validation_failed", "technician \"tna\" does not exist"));
    render(Console, { backend, now });
    const form = within(await screen.findByTestId("job-form"));
    await userEvent.type(form.getByTestId("form-summary"), "Leak");
    await userEvent.type(form.getByTestId("form-customer"), "Bo");
    await userEvent.type(form.getByTestId("form-address"), "2 Low St");
    await userEvent.type(form.getByTestId("form-technician"), "tna");
    await userEvent.click(form.getByTestId("form-save"));
    expect(await form.findByTestId("form-error")).toHaveTextContent('Technician "tna" does not exist');
    expect(form.getByTestId("form-summary")).toHaveValue("Leak");
  });
});

describe("the job page", () => {
  const op = (n: number, extra: Partial<RecordedOp>): RecordedOp =>
    ({
      op_id: `op-${n}`,
      device_id: "d",
      job_id: "id-J-1",
      hlc: "h",
      recorded_at: `2026-12-01T0${n}:00:00Z`,
      by: "tina",
      by_name: "Tina Fischer",
      received_at: `2026-12-01T0${n}:05:00Z`,
      outcome: "applied",
      ...extra,
    }) as RecordedOp;

  const recorded = (id: string): JobVisit => ({
    ...emptyVisit(id),
    history: [
      { job_id: id, at: "2026-11-30T12:00:00Z", status: "assigned", detail: "tina", event: "created" },
      { job_id: id, at: "2026-12-01T08:00:00Z", status: "on_site", detail: null, event: "status" },
    ],
    labels: [{ template: { key: "service", version: 1 }, item: "flue", label: "Flue gas CO (ppm)" }],
    record: {
      ...emptyVisit(id).record,
      answers: [{ template: { key: "service", version: 1 }, item: "flue", value: 48, op_id: "op-3", earlier: [] }],
      ratings: [{ op_id: "op-5", satisfaction: 4, recommend: 9, comment: "Tidy work", complaint: null, call_ok: true, call_time: null }],
    },
  });

  it("shows the history, the visit record and every op with its outcome", async () => {
    location.hash = "#/jobs/J-1";
    const backend = fakeBackend({
      session: async () => dora,
      job: async () => view("J-1", "tina", "09:00-10:00", { status: "on_site" }),
      visit: async (id) => recorded(id),
      jobOps: async () => ({
        ops: [
          op(1, { kind: "status", to: "on_site" }),
          op(2, { kind: "note", text: "Diverter valve stuck" }),
          op(3, { kind: "checklist_answer", template: { key: "service", version: 1 }, item: "flue", value: 48 }),
          op(4, { kind: "status", to: "cancelled", outcome: "rejected", reason: "invalid_value", message: "technicians cannot cancel jobs" }),
        ],
        replaced: [],
        next: null,
      }),
    });
    render(Console, { backend, now });
    const page = await screen.findByTestId("job-page");
    expect(page.dataset.status).toBe("on_site");
    expect(screen.getByTestId("job-history")).toHaveTextContent("Job created and assigned to tina");
    const record = screen.getByTestId("job-visit");
    expect(record).toHaveTextContent("Diverter valve stuck");
    expect(record).toHaveTextContent("Flue gas CO (ppm)");
    expect(screen.getByTestId("job-rating")).toHaveTextContent("4/5 · would recommend 9/10 — “Tidy work”");
    const rows = screen.getAllByTestId("job-op");
    expect(rows.map((r) => r.dataset.outcome)).toEqual(["applied", "applied", "applied", "rejected"]);
    expect(rows[2]).toHaveTextContent("Flue gas CO (ppm): 48");
    expect(rows[3]).toHaveTextContent("Technicians cannot cancel jobs");
  });

  it("cancels with a reason and edits the job", async () => {
    location.hash = "#/jobs/J-1";
    let status: "assigned" | "cancelled" = "assigned";
    const backend = fakeBackend({
      session: async () => dora,
      job: async () => view("J-1", "tina", "09:00-10:00", { status }),
      updateJob: async (_id, patch) => view("J-1", "tina", "09:00-10:00", { summary: patch.summary ?? "" }),
      cancelJob: async () => {
        status = "cancelled";
        return view("J-1", "tina", "09:00-10:00", { status });
      },
    });
    render(Console, { backend, now });
    await userEvent.click(await screen.findByTestId("job-edit"));
    const summary = await screen.findByTestId("form-summary");
    expect(summary).toHaveValue("Leak");
    await userEvent.clear(summary);
    await userEvent.type(summary, "Leak under the sink");
    await userEvent.click(screen.getByTestId("form-save"));
    await waitFor(() => expect(backend.updateJob).toHaveBeenCalledTimes(1));
    expect(backend.updateJob).toHaveBeenCalledWith("id-J-1", expect.objectContaining({ summary: "Leak under the sink", kind: "repair" }));
    expect(await screen.findByTestId("job-done")).toHaveTextContent("J-1 is saved.");

    await userEvent.click(screen.getByTestId("job-cancel"));
    await userEvent.type(screen.getByTestId("cancel-reason"), "Customer moved house");
    await userEvent.click(screen.getByTestId("cancel-confirm"));
    expect(backend.cancelJob).toHaveBeenCalledWith("id-J-1", "Customer moved house");
    await waitFor(() => expect(screen.getByTestId("job-page").dataset.status).toBe("cancelled"));
    expect(screen.queryByTestId("job-cancel")).toBeNull();
  });

  it("says so when there is no such job", async () => {
    location.hash = "#/jobs/J-404";
    const backend = fakeBackend({ session: async () => dora });
    backend.job.mockRejectedValue(new HqFailure(404, "not_found", "job not found"));
    render(Console, { backend, now });
    expect(await screen.findByRole("alert")).toHaveTextContent("Job not found");
  });
});
