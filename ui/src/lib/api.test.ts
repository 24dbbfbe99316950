import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const api = await import("./api");

describe("api", () => {
  beforeEach(() => {
    invoke.mockImplementation(async () => ({}));
  });

  it("sends every change through the one record command, typed", async () => {
    await api.setStatus("J-1", "on_site");
    await api.addNote("J-1", "Seal replaced");
    await api.correctPhone("J-1", "0113 496 0000");
    await api.work("J-1", true);
    const calls = invoke.mock.calls.slice(-4);
    expect(calls.map((c) => c[0])).toEqual(["record", "record", "record", "record"]);
    expect(calls[0][1]).toEqual({ number: "J-1", change: { kind: "status", to: "on_site" } });
    expect(calls[1][1]).toEqual({ number: "J-1", change: { kind: "note", text: "Seal replaced" } });
    expect(calls[2][1]).toEqual({ number: "J-1", change: { kind: "contact_phone", phone: "0113 496 0000" } });
    expect(calls[3][1].change.kind).toBe("work_started");
    expect(Date.parse(calls[3][1].change.at)).not.toBeNaN();
  });

  it("turns a refusal into an error with the shell's code and message", async () => {
    invoke.mockImplementation(async () => {
      throw { code: "job_closed", message: "job J-1 is cancelled" };
    });
    const err = await api.work("J-1", true).catch((e) => e);
    expect(err).toBeInstanceOf(api.ApiError);
    expect([err.code, err.message]).toEqual(["job_closed", "job J-1 is cancelled"]);
  });
});

describe("errors", () => {
  it("has one way to word a failure and to check its code", () => {
    const report = new api.ApiError({ code: "unsynced_changes", message: "2 change(s) on this device have not reached HQ yet" });
    expect(api.messageOf(report)).toBe("2 change(s) on this device have not reached HQ yet");
    expect(api.messageOf("plain")).toBe("plain");
    expect(api.hasCode(report, "unsynced_changes")).toBe(true);
    expect(api.hasCode(report, "store")).toBe(false);
    expect(api.hasCode(new Error("x"), "store")).toBe(false);
  });
});
