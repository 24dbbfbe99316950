import { describe, expect, it, vi } from "vitest";
import { dora } from "../test/console-fixtures";
import { HqFailure, HttpBackend } from "./backend";

function answering(...answers: Response[]) {
  const fetcher = vi.fn<typeof fetch>();
  for (const a of answers) fetcher.mockResolvedValueOnce(a);
  return fetcher;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("HttpBackend", () => {
  it("sends the CSRF token from sign-in with changes only", async () => {
    const fetcher = answering(json(200, dora), json(200, { technicians: [], jobs: [], queue: [], truncated: false }), new Response(null, { status: 204 }));
    const hq = new HttpBackend(fetcher);
    await hq.signIn("dora", "pw");
    await hq.board(new Date("2026-12-01T00:00:00Z"), new Date("2026-12-02T00:00:00Z"));
    await hq.signOut();
    const [signIn, board, signOut] = fetcher.mock.calls;
    expect(signIn[0]).toBe("/api/v1/console/sign-in");
    expect(JSON.parse(String(signIn[1]?.body))).toEqual({ username: "dora", password: "pw" });
    expect(board[0]).toBe("/api/v1/board?from=2026-12-01T00%3A00%3A00.000Z&to=2026-12-02T00%3A00%3A00.000Z");
    expect((board[1]?.headers as Record<string, string>)["X-CSRF-Token"]).toBeUndefined();
    expect((board[1]?.headers as Record<string, string>)["X-Onsite-Background"]).toBeUndefined();
    expect((signOut[1]?.headers as Record<string, string>)["X-CSRF-Token"]).toBe("csrf");
    expect(signOut[1]?.credentials).toBe("same-origin");
  });

  it("reads a signed-out browser as no session, and other refusals as failures", async () => {
    const hq = new HttpBackend(answering(json(401, { code: "unauthorized", message: "signed out" })));
    expect(await hq.session()).toBeNull();
    const refused = new HttpBackend(answering(json(403, { code: "forbidden", message: "technicians use the laptop" })));
    await expect(refused.signIn("tina", "pw")).rejects.toMatchObject({ status: 403, code: "forbidden" });
    const proxy = new HttpBackend(answering(new Response("<html>bad gateway</html>", { status: 502 })));
    await expect(proxy.session()).rejects.toMatchObject({ status: 502, code: "internal" });
  });

  it("says HQ did not answer when the network fails", async () => {
    const hq = new HttpBackend(vi.fn<typeof fetch>().mockRejectedValue(new TypeError("Failed to fetch")));
    const failure = await hq.session().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HqFailure);
    expect((failure as HqFailure).code).toBe("network");
  });
});

describe("HttpBackend.watch", () => {
  it("reports changes, liveness, and what changed while it was away", () => {
    const listeners: Record<string, () => void> = {};
    const close = vi.fn();
    const hq = new HttpBackend(vi.fn<typeof fetch>(), (url) => {
      expect(url).toBe("/api/v1/events");
      return { addEventListener: (type, l) => (listeners[type] = l), close, readyState: 0 };
    });
    const onChange = vi.fn();
    const onLive = vi.fn();
    const stop = hq.watch(onChange, onLive);
    listeners.ready();
    expect(onLive).toHaveBeenLastCalledWith(true, false);
    expect(onChange).not.toHaveBeenCalled();
    listeners.change();
    expect(onChange).toHaveBeenCalledTimes(1);
    listeners.error();
    expect(onLive).toHaveBeenLastCalledWith(false, false);
    listeners.ready();
    expect(onChange).toHaveBeenCalledTimes(2);
    stop();
    expect(close).toHaveBeenCalled();
  });
});
