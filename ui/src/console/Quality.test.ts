import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { FeedbackSummary } from "../shared/hq-api";
import { dora, fakeBackend } from "../test/console-fixtures";
import Console from "./Console.svelte";

const now = () => new Date(2026, 11, 1, 9, 0);

afterEach(() => {
  location.hash = "";
});

const row = (model: string, month: string, satisfaction: number | null, nps: number | null, complaints = 0) => ({
  model,
  month,
  ratings: satisfaction === null ? 0 : 2,
  mean_satisfaction: satisfaction,
  recommend_answers: nps === null ? 0 : 2,
  nps,
  complaints,
  faults: [],
});

const summary: FeedbackSummary = {
  from: "2026-10",
  to: "2026-12",
  rows: [
    row("HeatMax 300", "2026-10", 4.5, 50),
    row("HeatMax 300", "2026-12", 3, -20, 2),
    row("AquaPure DW45", "2026-11", 5, 100),
    { ...row("AquaPure DW45", "2026-12", null, null, 1), faults: [{ fault: "wear", count: 3 }, { fault: "performance", count: 1 }] },
  ],
  technicians: [
    { technician: "tina", month: "2026-11", ratings: 3, mean_satisfaction: 4.67, recommend_answers: 3, nps: 67, complaints: 0 },
  ],
};

describe("the quality page", () => {
  it("asks for the last twelve months and draws a line per model, breaking where nothing was rated", async () => {
    location.hash = "#/quality";
    const backend = fakeBackend({ session: async () => dora, feedback: async () => summary });
    render(Console, { backend, now });
    const chart = await screen.findByTestId("chart-satisfaction");
    expect(backend.feedback).toHaveBeenCalledWith("2026-01", "2026-12");
    const lines = [...chart.querySelectorAll("path.series")].map((p) => [p.getAttribute("data-series"), p.getAttribute("d")]);
    expect(lines.map(([name]) => name)).toEqual(["AquaPure DW45", "HeatMax 300"]);
    // HeatMax: October and December, nothing in November: two dots, not one line through it.
    expect(lines[1][1]!.match(/M /g)).toHaveLength(2);
    expect(within(chart).getByText("Nov 2026")).toBeInTheDocument();
    const complaints = screen.getByTestId("chart-complaints");
    expect([...complaints.querySelectorAll("text.label")].map((t) => t.textContent)).toEqual(["HeatMax 300", "AquaPure DW45"]);
    expect(screen.getByTestId("chart-faults")).toHaveTextContent("Wear");
  });

  it("draws a line per technician on request and shows the figures", async () => {
    location.hash = "#/quality";
    const backend = fakeBackend({ session: async () => dora, feedback: async () => summary });
    render(Console, { backend, now });
    await userEvent.click(await screen.findByTestId("quality-by-technician"));
    const chart = screen.getByTestId("chart-nps");
    expect([...chart.querySelectorAll("path.series")].map((p) => p.getAttribute("data-series"))).toEqual(["tina"]);
    expect(screen.getByTestId("quality-table")).toHaveTextContent("tina2026-113");
  });

  it("says so when nothing was rated", async () => {
    location.hash = "#/quality";
    render(Console, { backend: fakeBackend({ session: async () => dora }), now });
    const chart = await screen.findByTestId("chart-satisfaction");
    expect(chart).toHaveTextContent("No ratings in the range.");
    expect(screen.getByTestId("chart-complaints")).toHaveTextContent("No complaints in the range.");
  });
});
