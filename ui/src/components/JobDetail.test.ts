import { render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../lib/api";
import * as api from "../lib/api";
import { deferred, detail } from "../test/fixtures";
import JobDetail from "./JobDetail.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return { ...real, job: vi.fn() };
});
const job = vi.mocked(api.job);

describe("JobDetail", () => {
  it("shows a loading state, then the job", async () => {
    const pending = deferred<api.JobDetail>();
    job.mockReturnValue(pending.promise);
    render(JobDetail, { number: "J-000001" });
    expect(screen.getByTestId("job-detail-loading")).toBeInTheDocument();
    pending.resolve(detail());
    expect(await screen.findByTestId("job-detail")).toHaveAttribute("data-number", "J-000001");
    expect(job.mock.lastCall).toEqual(["J-000001"]);
  });

  it("shows what the customer reported and the product first, then the rest, and one timeline", async () => {
    job.mockResolvedValue(detail());
    render(JobDetail, { number: "J-000001" });
    await screen.findByTestId("job-detail");
    expect(screen.getByTestId("job-customer")).toHaveTextContent("Ada Lovelace");
    expect(screen.getByText("+44 20 7946 0100")).toBeInTheDocument();
    expect(screen.getByText("Gate code 1843")).toBeInTheDocument();
    expect(screen.getByText("HM3-00042")).toBeInTheDocument();
    const warranty = screen.getByTestId("job-warranty");
    expect(warranty).toHaveAttribute("data-state", "in_warranty");
    expect(warranty).toHaveTextContent("In warranty until 1 January 2027 (39 days left)");
    expect(screen.getByText("SLA due soon")).toBeInTheDocument();
    expect(screen.getByText("Urgent priority")).toBeInTheDocument();
    // Reading order: the report, the product and its warranty, then the visit, then the log.
    const order = ["job-description", "job-warranty", "job-customer", "job-actions", "timeline"].map((id) =>
      screen.getByTestId(id),
    );
    for (let i = 1; i < order.length; i++) {
      expect(order[i - 1].compareDocumentPosition(order[i]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
    expect(screen.getByTestId("job-description")).toHaveTextContent("Boiler shows F28.");
    const hq = screen.getAllByTestId("timeline-hq");
    expect(hq.map((h) => h.textContent)).toEqual([
      expect.stringContaining("Assigned to Tina Fischer"),
      expect.stringContaining("Job created"),
    ]);
  });

  it("takes the focus when a job opens, so the keyboard is in the job", async () => {
    job.mockResolvedValue(detail());
    render(JobDetail, { number: "J-000001" });
    await screen.findByTestId("job-detail");
    expect(document.activeElement).toBe(screen.getByRole("heading", { level: 1 }));
  });

  it("shows the product's earlier visits with their parts and decision", async () => {
    job.mockResolvedValue(
      detail({
        service_history: [
          {
            asset_id: "a1",
            job_id: "j9",
            number: "J-000090",
            kind: "repair",
            status: "completed",
            summary: "Pump noisy",
            at: "2026-03-02T09:00:00Z",
            technician: "tom",
            parts: [{ op_id: "o1", sku: "HX-PUMP-60", qty: 1, serial: "PU-1", removed_serial: null, voided: false }],
            decision: null,
          },
        ],
      }),
    );
    render(JobDetail, { number: "J-000001", focusOnOpen: false });
    const visit = await screen.findByTestId("service-visit");
    expect(visit).toHaveTextContent("J-000090");
    expect(visit).toHaveTextContent("Parts: 1 × HX-PUMP-60 (PU-1)");
  });

  it("says when the warranty has expired", async () => {
    job.mockResolvedValue(detail({ warranty: { state: "expired", ended: "2026-11-01" } }));
    render(JobDetail, { number: "J-000001" });
    expect(await screen.findByTestId("job-warranty")).toHaveTextContent("Warranty expired on 1 November 2026");
  });

  it("shows the error instead of an empty page", async () => {
    job.mockImplementation(async () => {
      throw new ApiError({ code: "unknown_job", message: "no job numbered J-9 on this device" });
    });
    render(JobDetail, { number: "J-9" });
    expect(await screen.findByTestId("job-detail-error")).toHaveTextContent("no job numbered J-9");
  });
});
