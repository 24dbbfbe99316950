import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import type { Checklist, ChecklistTemplate, OutboxEntry, WarrantyChoice } from "../lib/api";
import { detail } from "../test/fixtures";
import ChecklistPanel from "./ChecklistPanel.svelte";
import CompleteDialog from "./CompleteDialog.svelte";
import GuidesPanel from "./GuidesPanel.svelte";
import PartsPanel from "./PartsPanel.svelte";
import ReadyPanel from "./ReadyPanel.svelte";
import VanStockPanel from "./VanStockPanel.svelte";
import WarrantyPanel from "./WarrantyPanel.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return {
    ...real,
    answer: vi.fn(),
    usePart: vi.fn(),
    voidFact: vi.fn(),
    requestParts: vi.fn(),
    parts: vi.fn(),
    vanStock: vi.fn(),
    warranty: vi.fn(),
    decide: vi.fn(),
    ready: vi.fn(),
    guides: vi.fn(),
  };
});
const answer = vi.mocked(api.answer);
const usePart = vi.mocked(api.usePart);
const voidFact = vi.mocked(api.voidFact);
const entry = { op_id: "op-1" } as unknown as OutboxEntry;

const template: ChecklistTemplate = {
  key: "boiler-service",
  version: 2,
  title: "Boiler service",
  kinds: ["repair"],
  models: [],
  items: [
    { key: "earth", label: "Earth tested", type: "yes_no", required: true },
    { key: "pressure", label: "System pressure", type: "number", required: true, unit: "bar", min: 1, max: 2.5 },
    { key: "mode", label: "Mode", type: "choice", required: false, options: ["heating", "hot water"] },
  ],
};

function withChecklist(checklist: Partial<Checklist>) {
  return detail({
    job: { ...detail().job, status: "on_site" },
    visit: {
      checklist: { pinned: true, sections: [], missing: [], unavailable: [], ...checklist },
      parts: [],
      decisions: [],
      requests: [],
      signoffs: [],
      ratings: [],
    },
  });
}

beforeEach(() => {
  for (const f of [answer, usePart, voidFact]) {
    f.mockReset();
    f.mockResolvedValue(entry);
  }
});

describe("ChecklistPanel", () => {
  it("answers items inline in the kind each takes, and flags a reading out of range", async () => {
    const onChanged = vi.fn();
    const d = withChecklist({
      sections: [{ template, answers: [{ item: "pressure", value: 0.6, out_of_range: true, earlier: 0 }] }],
      missing: [{ template: { key: "boiler-service", version: 2 }, item: "earth", label: "Earth tested" }],
    });
    render(ChecklistPanel, { detail: d, onChanged });
    expect(screen.getByText(/version 2 · kept since work started/)).toBeInTheDocument();
    expect(screen.getByTestId("out-of-range")).toBeInTheDocument();
    expect(screen.getByTestId("checklist-missing")).toHaveTextContent("Completion waits for: Earth tested");
    const items = screen.getAllByTestId("checklist-item");
    await userEvent.click(within(items[0]).getByTestId("answer-yes"));
    expect(answer).toHaveBeenLastCalledWith("J-000001", { key: "boiler-service", version: 2 }, "earth", true);
    const reading = within(items[1]).getByTestId("answer-input");
    await userEvent.type(reading, "1,8");
    await userEvent.click(within(items[1]).getByTestId("answer-save"));
    expect(answer.mock.lastCall?.slice(2)).toEqual(["pressure", 1.8]);
    await userEvent.selectOptions(within(items[2]).getByTestId("answer-choice"), "hot water");
    expect(answer.mock.lastCall?.slice(2)).toEqual(["mode", "hot water"]);
    expect(onChanged).toHaveBeenCalledTimes(3);
  });

  it("refuses a reading that is not a number before anything is recorded", async () => {
    render(ChecklistPanel, { detail: withChecklist({ sections: [{ template, answers: [] }] }), onChanged: vi.fn() });
    const items = screen.getAllByTestId("checklist-item");
    await userEvent.type(within(items[1]).getByTestId("answer-input"), "high");
    await userEvent.click(within(items[1]).getByTestId("answer-save"));
    expect(answer).not.toHaveBeenCalled();
    expect(screen.getByTestId("checklist-error")).toHaveTextContent("System pressure takes a number in bar");
  });

  it("shows nothing when no checklist applies", () => {
    render(ChecklistPanel, { detail: withChecklist({}), onChanged: vi.fn() });
    expect(screen.queryByTestId("checklist")).toBeNull();
  });
});

describe("CompleteDialog", () => {
  it("names what the checklist still needs and will not complete", () => {
    const d = withChecklist({
      sections: [{ template, answers: [] }],
      missing: [{ template: { key: "boiler-service", version: 2 }, item: "earth", label: "Earth tested" }],
    });
    render(CompleteDialog, { detail: d, now: new Date(), onConfirm: vi.fn(), onCancel: vi.fn() });
    expect(screen.getByTestId("complete-blocked")).toHaveTextContent("Earth tested");
    expect(screen.getByTestId("complete-confirm")).toBeDisabled();
  });
});

describe("PartsPanel", () => {
  beforeEach(() => {
    vi.mocked(api.parts).mockResolvedValue([
      { sku: "HM-PCB-3", name: "Main control board", unit_price_cents: 14500, serialized: true, models: ["HeatMax 300"] },
      { sku: "SEAL-22", name: "Pump seal", unit_price_cents: 320, serialized: false, models: [] },
      { sku: "AS-FAN", name: "Heat pump fan", unit_price_cents: 9000, serialized: false, models: ["AirSource"] },
    ]);
    vi.mocked(api.vanStock).mockResolvedValue([
      { sku: "HM-PCB-3", name: "Main control board", qty: 1, serials: ["PCB-1"], unsent: 0, negative: false },
    ]);
  });

  it("offers the parts that fit the product, the van's first, and records a serialized one with its serials", async () => {
    render(PartsPanel, { detail: detail(), onChanged: vi.fn() });
    const pick = screen.getByTestId("part-pick");
    await vi.waitFor(() => expect(within(pick).getAllByRole("option")).toHaveLength(3));
    const offered = within(pick).getAllByRole("option").slice(1).map((o) => o.textContent);
    expect(offered).toEqual(["Main control board (HM-PCB-3) — 1 in the van", "Pump seal (SEAL-22) — not in the van"]);
    await userEvent.selectOptions(pick, "HM-PCB-3");
    expect(screen.getByTestId("part-use")).toBeDisabled();
    await userEvent.type(screen.getByTestId("part-serial"), "PCB-1");
    await userEvent.type(screen.getByTestId("part-removed"), "PCB-OLD");
    await userEvent.click(screen.getByTestId("part-use"));
    expect(usePart).toHaveBeenLastCalledWith("J-000001", {
      sku: "HM-PCB-3",
      qty: 1,
      serial: "PCB-1",
      removed_serial: "PCB-OLD",
    });
  });

  it("says a part not in the van is still recorded, and lists uses with a way to void them", async () => {
    const d = detail({
      visit: {
        checklist: { pinned: false, sections: [], missing: [], unavailable: [] },
        parts: [
          {
            used: { op_id: "u1", sku: "SEAL-22", qty: 2, serial: null, removed_serial: null, voided: false },
            name: "Pump seal",
            unit_price_cents: 320,
          },
        ],
        decisions: [],
        requests: [{ op_id: "r1", sku: "HM-PCB-3", qty: 1, note: null }],
        signoffs: [],
        ratings: [],
      },
    });
    render(PartsPanel, { detail: d, onChanged: vi.fn() });
    expect(screen.getByTestId("part-used")).toHaveTextContent("£6.40");
    expect(screen.getByTestId("parts-requested")).toHaveTextContent(/Waiting for: 1 × .*HM-PCB-3/);
    await vi.waitFor(() => expect(within(screen.getByTestId("part-pick")).getAllByRole("option").length).toBeGreaterThan(1));
    await userEvent.selectOptions(screen.getByTestId("part-pick"), "SEAL-22");
    expect(screen.getByRole("note")).toHaveTextContent("Not in your van by HQ's count");
    await userEvent.click(screen.getByTestId("part-void"));
    expect(voidFact.mock.lastCall?.slice(0, 2)).toEqual(["J-000001", "u1"]);
  });

  it("moves a request HQ filled out of the waiting line, saying how and by whom", async () => {
    const fill = { request: "r2", job_id: "j1", at: "2026-12-02T09:30:00Z", by: "Dora Dispatch", how: "put into tina's van" };
    const d = detail({
      visit: {
        checklist: { pinned: false, sections: [], missing: [], unavailable: [] },
        parts: [],
        decisions: [],
        requests: [
          { op_id: "r1", sku: "HM-PCB-3", qty: 1, note: null },
          { op_id: "r2", sku: "SEAL-22", qty: 2, note: null, filled: fill },
        ],
        signoffs: [],
        ratings: [],
      },
    });
    render(PartsPanel, { detail: d, onChanged: vi.fn() });
    await vi.waitFor(() =>
      expect(screen.getByTestId("parts-requested")).toHaveTextContent(/^Waiting for: 1 × Main control board \(HM-PCB-3\)$/),
    );
    const filled = screen.getByTestId("parts-filled");
    expect(filled).toHaveTextContent("Filled");
    expect(filled).toHaveTextContent("2 × Pump seal (SEAL-22): put into tina's van");
    expect(filled).toHaveTextContent("Dora Dispatch");
  });
});

describe("WarrantyPanel", () => {
  const choice: WarrantyChoice = {
    model: "HeatMax 300",
    fault: "performance",
    policy: {
      model: "HeatMax 300",
      version: 3,
      from: "purchase",
      return_days: 7,
      replace_days: 15,
      repair_months: 24,
      max_repairs: 2,
      excluded_faults: [],
    },
    facts: { purchased_on: "2026-11-20", installed_on: null, warranty_until: null, prior_repairs: 0 },
    visit_on: "2026-11-23",
    found: { options: [], start: "2026-11-20", age_days: 3, repair_until: "2028-11-19", needs_review: false },
    options: [
      { remedy: "return", rule: "return_period", words: "Within the 7-day return period: day 3 since purchase" },
      { remedy: "replace", rule: "return_period", words: "Within the 7-day return period: day 3 since purchase" },
    ],
  };

  it("shows the options for the fault with their rules, and a replacement takes the new serial", async () => {
    vi.mocked(api.warranty).mockResolvedValue(choice);
    vi.mocked(api.decide).mockResolvedValue(entry);
    const onChanged = vi.fn();
    render(WarrantyPanel, { detail: detail(), onChanged });
    await userEvent.selectOptions(screen.getByTestId("warranty-fault"), "performance");
    expect(vi.mocked(api.warranty)).toHaveBeenLastCalledWith("J-000001", "performance");
    const options = await screen.findAllByTestId("warranty-option");
    expect(options.map((o) => o.dataset.remedy)).toEqual(["return", "replace"]);
    expect(options[0]).toHaveTextContent("day 3 since purchase");
    await userEvent.click(within(options[1]).getByRole("radio"));
    expect(screen.getByTestId("warranty-decide")).toBeDisabled();
    await userEvent.type(screen.getByTestId("warranty-replacement"), "HM3-NEW");
    await userEvent.click(screen.getByTestId("warranty-decide"));
    expect(vi.mocked(api.decide)).toHaveBeenLastCalledWith("J-000001", "replace", "performance", null, "HM3-NEW");
    expect(onChanged).toHaveBeenCalled();
  });

  it("says plainly when the laptop has no policy for the product", async () => {
    vi.mocked(api.warranty).mockRejectedValue(
      new api.ApiError({ code: "no_warranty_policy", message: 'no warranty policy for "HeatMax 300" on this laptop' }),
    );
    render(WarrantyPanel, { detail: detail(), onChanged: vi.fn() });
    await userEvent.selectOptions(screen.getByTestId("warranty-fault"), "wear");
    expect(await screen.findByTestId("warranty-error")).toHaveTextContent("no warranty policy");
  });
});

describe("ReadyPanel and VanStockPanel", () => {
  it("says the day is not ready and why, with a sync at hand", async () => {
    vi.mocked(api.ready).mockResolvedValue({
      day: "2026-11-23",
      ready: false,
      problems: ["2 change(s) wait to reach HQ: sync before leaving"],
      jobs: [
        {
          number: "J-000001",
          customer: "Ada Lovelace",
          model: "HeatMax 300",
          checklists: 1,
          guides: 0,
          problems: ["no warranty policy for HeatMax 300 on this laptop"],
          notes: ["no guide for HeatMax 300 on this laptop"],
        },
      ],
      missing_parts: [{ sku: "HM-PCB-3", name: "Main control board", models: ["HeatMax 300"] }],
      waiting: 2,
      last_sync_at: "2026-11-23T07:00:00Z",
    });
    const onSyncNow = vi.fn();
    render(ReadyPanel, { onSyncNow });
    expect(await screen.findByTestId("ready-verdict")).toHaveTextContent("Not ready yet");
    expect(screen.getByTestId("ready-job")).toHaveTextContent("no warranty policy");
    expect(screen.getByTestId("ready-missing-parts")).toHaveTextContent("Main control board");
    await userEvent.click(screen.getByTestId("ready-sync"));
    expect(onSyncNow).toHaveBeenCalled();
  });

  it("shows the van with what waits to sync and parts below zero", async () => {
    vi.mocked(api.vanStock).mockResolvedValue([
      { sku: "SEAL-22", name: "Pump seal", qty: 3, serials: [], unsent: 2, negative: false },
      { sku: "HM-PCB-3", name: "Main control board", qty: -1, serials: [], unsent: 1, negative: true },
    ]);
    render(VanStockPanel, { onClose: vi.fn() });
    const lines = await screen.findAllByTestId("van-line");
    expect(lines).toHaveLength(2);
    expect(screen.getByTestId("van-summary")).toHaveTextContent("less 3 units used here and waiting to sync");
    expect(screen.getByTestId("van-summary")).toHaveTextContent("1 part below zero");
    expect(lines[1]).toHaveTextContent("below zero");
  });
});

describe("GuidesPanel", () => {
  it("shows a guide's Markdown as headings, lists and marks, and anything else as text", async () => {
    vi.mocked(api.guides).mockResolvedValue([
      {
        id: "heatmax-codes",
        version: 1,
        title: "HeatMax fault codes",
        models: ["HeatMax 300"],
        body: "# Fault codes\n\n- **E5**: low pressure\n- **F28**: no ignition\n\n<script>alert(1)</script>",
      },
    ]);
    const { container } = render(GuidesPanel, { model: "HeatMax 300" });
    await userEvent.click(await screen.findByRole("button", { name: "HeatMax fault codes" }));
    const body = screen.getByTestId("guide-body");
    expect(within(body).getByRole("heading", { name: "Fault codes" })).toBeInTheDocument();
    expect(within(body).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["E5: low pressure", "F28: no ignition"]);
    expect(within(body).getByText("E5").tagName).toBe("STRONG");
    expect(body).toHaveTextContent("<script>alert(1)</script>");
    expect(container.querySelector("script")).toBeNull();
  });
});
