import { fireEvent, render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import type { OutboxEntry, SignOff } from "../lib/api";
import { activity, detail } from "../test/fixtures";
import CustomerMode from "./CustomerMode.svelte";
import SignDialog from "./SignDialog.svelte";
import SignOffPanel from "./SignOffPanel.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return { ...real, signOff: vi.fn(), rate: vi.fn() };
});
const signOff = vi.mocked(api.signOff);
const rate = vi.mocked(api.rate);
const entry = { op_id: "op-1" } as unknown as OutboxEntry;

function signed(extra: Partial<SignOff> = {}): SignOff {
  return {
    op_id: "s1",
    report: { sha256: "ab".repeat(32), bytes: 30000 },
    signer: "Ada Lovelace",
    signature: { sha256: "cd".repeat(32), bytes: 900 },
    signed_at: "2026-12-02T10:07:00Z",
    changed_since: false,
    ...extra,
  };
}

beforeEach(() => {
  // jsdom draws nothing; the pad's strokes are what the tests look at.
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
  signOff.mockReset().mockResolvedValue(entry);
  rate.mockReset().mockResolvedValue(entry);
});

describe("SignOffPanel", () => {
  it("offers the sign-off once the technician is on site", () => {
    const { unmount } = render(SignOffPanel, { detail: detail(), onChanged: vi.fn() });
    expect(screen.getByTestId("signoff-later")).toHaveTextContent("once you are on site");
    expect(screen.queryByTestId("sign-open")).toBeNull();
    unmount();
    render(SignOffPanel, { detail: detail({ job: { ...detail().job, status: "on_site" } }), onChanged: vi.fn() });
    expect(screen.getByTestId("signoff-state")).toHaveTextContent("Not signed yet");
    expect(screen.getByTestId("sign-open")).toHaveTextContent("Sign off with the customer");
  });

  it("says who signed, that HQ received it, the letter, and asks again after a change", () => {
    const d = detail({
      activity: [activity({ op_id: "s1", state: "applied", change: { kind: "note", text: "x" } })],
      letter: { job_id: "j1", state: "sent", sent_at: "2026-12-02T11:00:00Z" },
    });
    d.job.status = "completed";
    d.visit.signoffs = [signed({ changed_since: true })];
    d.visit.ratings = [
      { op_id: "r1", satisfaction: 2, recommend: 4, comment: null, complaint: "Late", call_ok: true, call_time: null },
    ];
    render(SignOffPanel, { detail: d, onChanged: vi.fn() });
    expect(screen.getByTestId("signoff-state")).toHaveTextContent("Signed by Ada Lovelace");
    expect(screen.getByTestId("signoff-changed")).toHaveTextContent("changed after it was signed");
    expect(screen.getByTestId("signoff-received")).toHaveTextContent("received at HQ");
    expect(screen.getByTestId("signoff-letter")).toHaveTextContent("Thank-you letter sent to the customer");
    expect(screen.getByTestId("rating-state")).toHaveTextContent("2/5, Dissatisfied; would recommend us 4/10; with a complaint");
    expect(screen.getByTestId("sign-open")).toHaveTextContent("Sign again");
  });

  it("offers nothing on a job taken away from this laptop", () => {
    render(SignOffPanel, { detail: detail({ read_only: true }), onChanged: vi.fn() });
    expect(screen.queryByTestId("sign-open")).toBeNull();
    expect(screen.queryByTestId("customer-mode-open")).toBeNull();
  });
});

describe("SignDialog", () => {
  it("signs only with a name and a drawing or the typed-name tick", async () => {
    const onSigned = vi.fn();
    render(SignDialog, { detail: detail(), onSigned, onCancel: vi.fn() });
    const confirm = screen.getByTestId("sign-confirm");
    expect(screen.getByTestId("sign-name")).toHaveValue("Ada Lovelace");
    expect(confirm).toBeDisabled();
    await userEvent.click(screen.getByTestId("sign-typed"));
    expect(confirm).toBeEnabled();
    await userEvent.clear(screen.getByTestId("sign-name"));
    expect(confirm).toBeDisabled();
    await userEvent.type(screen.getByTestId("sign-name"), "Charles Babbage");
    await userEvent.click(confirm);
    expect(signOff).toHaveBeenCalledWith("J-000001", "Charles Babbage", null);
    expect(onSigned).toHaveBeenCalled();
  });

  it("counts a stroke on the pad as a drawn signature, and clears it", async () => {
    render(SignDialog, { detail: detail(), onSigned: vi.fn(), onCancel: vi.fn() });
    const pad = screen.getByTestId("signature-pad");
    await fireEvent.pointerDown(pad, { clientX: 10, clientY: 10, pointerId: 1 });
    await fireEvent.pointerMove(pad, { clientX: 40, clientY: 30, pointerId: 1 });
    await fireEvent.pointerUp(pad, { pointerId: 1 });
    expect(pad).toHaveAttribute("data-drawn", "true");
    expect(screen.getByTestId("sign-confirm")).toBeEnabled();
    await userEvent.click(screen.getByTestId("sign-clear"));
    expect(pad).toHaveAttribute("data-drawn", "false");
    expect(screen.getByTestId("sign-confirm")).toBeDisabled();
  });

  it("keeps Tab and the pointer inside the dialog while it is open", () => {
    const app = document.createElement("div");
    app.id = "app";
    document.body.appendChild(app);
    const { unmount } = render(SignDialog, { detail: detail(), onSigned: vi.fn(), onCancel: vi.fn() });
    expect(app).toHaveAttribute("inert");
    unmount();
    expect(app).not.toHaveAttribute("inert");
    app.remove();
  });

  it("shows why HQ's laptop refused, and keeps the dialog", async () => {
    signOff.mockRejectedValue(new api.ApiError({ code: "invalid_input", message: "the signer's name must be 1 to 100 characters" }));
    render(SignDialog, { detail: detail(), onSigned: vi.fn(), onCancel: vi.fn() });
    await userEvent.click(screen.getByTestId("sign-typed"));
    await userEvent.click(screen.getByTestId("sign-confirm"));
    expect(await screen.findByTestId("sign-error")).toHaveTextContent("1 to 100 characters");
  });
});

describe("CustomerMode", () => {
  afterEach(() => {
    vi.useRealTimers();
    document.getElementById("app")?.remove();
  });

  it("takes the customer's rating, complaint and call consent", async () => {
    const onRated = vi.fn();
    render(CustomerMode, { number: "J-1", company: "Northwind", onRated, onLeave: vi.fn() });
    const send = screen.getByTestId("rate-submit");
    expect(send).toBeDisabled();
    await userEvent.click(screen.getByTestId("rate-satisfaction-2"));
    await userEvent.click(screen.getByTestId("rate-recommend-4"));
    await userEvent.click(screen.getByTestId("rate-complaint-toggle"));
    expect(send).toBeDisabled();
    await userEvent.type(screen.getByTestId("rate-complaint"), "Two hours late");
    await userEvent.click(screen.getByTestId("rate-call-ok"));
    await userEvent.click(screen.getByTestId("rate-call-time-evening"));
    await userEvent.click(send);
    expect(rate).toHaveBeenCalledWith("J-1", {
      satisfaction: 2,
      recommend: 4,
      comment: "",
      complaint: "Two hours late",
      callOk: true,
      callTime: "evening",
    });
    expect(await screen.findByTestId("customer-thanks")).toHaveTextContent("hand the laptop back");
    expect(onRated).toHaveBeenCalled();
  });

  it("keeps the app behind it out of reach, and lets the technician out only by holding and confirming", async () => {
    const app = document.createElement("div");
    app.id = "app";
    document.body.appendChild(app);
    const onLeave = vi.fn();
    render(CustomerMode, { number: "J-1", company: "Northwind", onRated: vi.fn(), onLeave });
    expect(app).toHaveAttribute("inert");
    const exit = screen.getByTestId("customer-exit");
    // Escape and a click do nothing.
    await userEvent.keyboard("{Escape}");
    await userEvent.click(exit);
    expect(screen.queryByTestId("customer-exit-dialog")).toBeNull();
    // Held for two seconds: the technician confirms.
    vi.useFakeTimers();
    await fireEvent.pointerDown(exit);
    vi.advanceTimersByTime(2100);
    vi.useRealTimers();
    await userEvent.click(await screen.findByTestId("customer-exit-stay"));
    expect(onLeave).not.toHaveBeenCalled();
    vi.useFakeTimers();
    await fireEvent.keyDown(exit, { key: " " });
    vi.advanceTimersByTime(2100);
    vi.useRealTimers();
    await userEvent.click(await screen.findByTestId("customer-exit-confirm"));
    expect(onLeave).toHaveBeenCalled();
  });
});
