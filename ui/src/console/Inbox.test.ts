import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { Account, Case, ConflictView, DeviceSession, FollowUp, Letter, OpenPartsRequest } from "../shared/hq-api";
import { dora, fakeBackend, view } from "../test/console-fixtures";
import { HqFailure } from "./backend";
import Console from "./Console.svelte";
import { route } from "./route";

const now = () => new Date(2026, 11, 1, 9, 0);

function conflict(number: string, extra: Partial<ConflictView> = {}): ConflictView {
  return {
    op: {
      op_id: `op-${number}`,
      device_id: "dev-1",
      job_id: `id-${number}`,
      hlc: "0000000000001-0000-dev",
      recorded_at: "2026-12-01T08:30:00Z",
      kind: "status",
      to: "completed",
      by: "tina",
      by_name: "Tina Fischer",
      received_at: "2026-12-01T08:40:00Z",
      outcome: "conflict",
      reason: "status_conflict",
      message: "the job was cancelled at HQ",
    },
    job_number: number,
    job_status: "cancelled",
    technician: "tina",
    ...extra,
  };
}

function followUp(number: string): FollowUp {
  return {
    id: `f-${number}`,
    reason: "installation",
    state: "due",
    due_on: "2026-12-01",
    call_time: "morning",
    job_id: `id-${number}`,
    job_number: number,
    customer_name: `Customer ${number}`,
    phone: "0113 496 0000",
    case_id: null,
    calls: [],
  };
}

const admin = { ...dora, user: { ...dora.user, username: "alex", display_name: "Alex Admin", role: "admin" as const } };

function open(hash: string) {
  location.hash = hash;
}

afterEach(() => {
  location.hash = "";
});

describe("the console's pages", () => {
  it("come from the address, and anything unknown is the board", () => {
    const cases: [string, string][] = [
      ["", "board"],
      ["#/board", "board"],
      ["#/inbox/conflicts", "conflicts"],
      ["#/inbox/conflicts/", "conflicts"],
      ["#/inbox/follow-ups", "follow-ups"],
      ["#/admin/users", "users"],
      ["#/admin/devices", "devices"],
      ["#/nowhere", "board"],
      ["#/jobs", "jobs"],
      ["#/inbox/cases", "cases"],
      ["#/inbox/parts", "parts"],
      ["#/inbox/mail", "mail"],
      ["#/quality", "quality"],
      ["#/jobs/new", "new-job"],
      ["#/jobs/J-001", "job"],
      ["#/jobs/%E0%A4%A", "jobs"],
    ];
    for (const [hash, page] of cases) expect(route(hash).page, hash).toBe(page);
    expect(route("#/jobs/J%2F7")).toEqual({ page: "job", number: "J/7" });
  });

  it("offers admin pages to admins only", async () => {
    open("#/admin/devices");
    render(Console, { backend: fakeBackend({ session: async () => dora }), now });
    expect(await screen.findByRole("alert")).toHaveTextContent("Only admins manage users, devices and setup.");
    expect(screen.queryByTestId("nav-devices")).toBeNull();
    expect(screen.getByTestId("nav-conflicts")).toBeInTheDocument();
  });
});

describe("conflicts", () => {
  it("shows the laptop's change beside HQ's state and settles it with the dispatcher's words", async () => {
    open("#/inbox/conflicts");
    const backend = fakeBackend({
      session: async () => dora,
      conflicts: async () => [conflict("J-1"), conflict("J-2", { job_status: "assigned", technician: "tom" })],
      resolve: async () => conflict("J-1"),
    });
    render(Console, { backend, now });
    const cards = await screen.findAllByTestId("conflict");
    expect(cards).toHaveLength(2);
    const first = within(cards[0]);
    expect(first.getByTestId("conflict-device")).toHaveTextContent("Status → Completed");
    expect(first.getByTestId("conflict-hq")).toHaveTextContent("Cancelled");
    expect(first.getByTestId("conflict-hq")).toHaveTextContent("held by tina");
    expect(cards[0]).toHaveTextContent("On Tina Fischer's laptop");
    expect(cards[0]).toHaveTextContent("Tina Fischer was told: “The job was cancelled at HQ”");
    expect(within(cards[1]).getByTestId("conflict-hq")).toHaveTextContent("held by tom");

    await userEvent.type(first.getByTestId("conflict-note"), "  the customer confirmed it was done ");
    await userEvent.click(first.getByTestId("conflict-accept"));
    expect(backend.resolve).toHaveBeenCalledWith("op-J-1", "accept_device", "the customer confirmed it was done");
    expect(await screen.findByTestId("conflicts-done")).toHaveTextContent("J-1: the laptop's change is applied.");
    expect(screen.getAllByTestId("conflict").map((c) => c.dataset.number)).toEqual(["J-2"]);

    await userEvent.click(screen.getByTestId("conflict-keep"));
    expect(backend.resolve).toHaveBeenLastCalledWith("op-J-2", "keep_hq", null);
    expect(await screen.findByTestId("conflicts-empty")).toHaveTextContent("No conflicts to settle.");
  });

  it("keeps the conflict and says why when HQ refuses", async () => {
    open("#/inbox/conflicts");
    const backend = fakeBackend({ session: async () => dora, conflicts: async () => [conflict("J-1")] });
    backend.resolve.mockRejectedValueOnce(new HqFailure(409, "conflict", "this conflict was settled already"));
    render(Console, { backend, now });
    await userEvent.click(await screen.findByTestId("conflict-keep"));
    expect(await screen.findByRole("alert")).toHaveTextContent("This conflict was settled already");
    expect(screen.getAllByTestId("conflict")).toHaveLength(1);
  });
});

describe("follow-up calls", () => {
  it("asks for today's calls and records an outcome with one click", async () => {
    open("#/inbox/follow-ups");
    const backend = fakeBackend({
      session: async () => dora,
      followUps: async () => ({ follow_ups: [followUp("J-1"), followUp("J-2")], next: null }),
      callOutcome: async (id) => ({ ...followUp(id.slice(2)), state: "done" }),
    });
    render(Console, { backend, now });
    const calls = await screen.findAllByTestId("follow-up");
    expect(backend.followUps).toHaveBeenCalledWith("2026-12-01");
    expect(calls[0]).toHaveTextContent("Customer J-1");
    expect(calls[0]).toHaveTextContent("prefers mornings");
    expect(within(calls[0]).getByRole("link", { name: "0113 496 0000" })).toHaveAttribute("href", "tel:0113 496 0000");

    await userEvent.type(within(calls[1]).getByTestId("follow-up-note"), "boiler is noisy");
    await userEvent.click(within(calls[1]).getByTestId("outcome-not_satisfied"));
    expect(backend.callOutcome).toHaveBeenCalledWith("f-J-2", { outcome: "not_satisfied", note: "boiler is noisy" });
    expect(await screen.findByTestId("follow-ups-done")).toHaveTextContent(
      "Customer J-2 (J-2): not satisfied, a complaint is opened.",
    );
    expect(screen.getAllByTestId("follow-up").map((c) => c.dataset.number)).toEqual(["J-1"]);
  });

  it("keeps a call still due today after no answer", async () => {
    open("#/inbox/follow-ups");
    const backend = fakeBackend({
      session: async () => dora,
      followUps: async () => ({ follow_ups: [followUp("J-1")], next: null }),
      callOutcome: async () => ({ ...followUp("J-1"), due_on: "2026-12-03" }),
    });
    render(Console, { backend, now });
    await userEvent.click(await screen.findByTestId("outcome-no_answer"));
    expect(await screen.findByTestId("follow-ups-done")).toHaveTextContent("no answer, called again later");
    expect(await screen.findByTestId("follow-ups-empty")).toBeInTheDocument();
  });
});

describe("devices", () => {
  const session = (id: number, user: string, device: string): DeviceSession => ({
    id,
    username: user,
    device_id: device,
    created_at: "2026-11-30T08:00:00Z",
    refreshed_at: "2026-12-01T08:55:00Z",
    standing: "active",
  });

  it("revokes a lost laptop only after a second, explicit click", async () => {
    open("#/admin/devices");
    let revoked = false;
    const backend = fakeBackend({
      session: async () => admin,
      sessions: async () => ({
        sessions: [
          { ...session(2, "tina", "aaaaaaaa-1111"), standing: revoked ? "revoked" : "active" },
          session(1, "tom", "bbbbbbbb-2222"),
        ],
      }),
      revoke: async () => {
        revoked = true;
        return { sessions: 1 };
      },
    });
    render(Console, { backend, now });
    const rows = await screen.findAllByTestId("device-session");
    expect(rows[0]).toHaveTextContent("tina");
    expect(rows[0]).toHaveTextContent("5 min ago");
    await userEvent.click(within(rows[0]).getByTestId("revoke-device"));
    expect(backend.revoke).not.toHaveBeenCalled();
    await userEvent.click(within(rows[0]).getByTestId("revoke-confirm"));
    expect(backend.revoke).toHaveBeenCalledWith({ device: "aaaaaaaa-1111" });
    expect(await screen.findByTestId("devices-done")).toHaveTextContent("Laptop aaaaaaaa (tina): 1 session ended.");
    await screen.findByText("Revoked");
    expect(screen.getAllByTestId("device-session")[0].dataset.standing).toBe("revoked");
  });
});

describe("users", () => {
  const account = (username: string, role: Account["role"], disabled = false): Account => ({
    id: `u-${username}`,
    username,
    display_name: username.toUpperCase(),
    role,
    skills: [],
    disabled,
    created_at: "2026-11-01T00:00:00Z",
  });

  it("creates an account, checking the fields first", async () => {
    open("#/admin/users");
    const backend = fakeBackend({
      session: async () => admin,
      users: async () => ({ users: [account("alex", "admin"), account("tina", "technician")], truncated: false }),
      createUser: async (a) => ({ ...account(a.username, a.role), display_name: a.display_name ?? a.username }),
    });
    render(Console, { backend, now });
    const form = within(await screen.findByTestId("new-user"));
    await userEvent.click(form.getByRole("button", { name: "Create user" }));
    expect(form.getByRole("alert")).toHaveTextContent("Give the new account a username.");
    await userEvent.type(form.getByLabelText("Username"), "sara");
    await userEvent.type(form.getByLabelText("First password"), "short");
    await userEvent.click(form.getByRole("button", { name: "Create user" }));
    expect(form.getByRole("alert")).toHaveTextContent("at least 8 characters");
    expect(backend.createUser).not.toHaveBeenCalled();

    await userEvent.type(form.getByLabelText("First password"), "-but-longer");
    await userEvent.type(form.getByLabelText("Name shown"), "Sara Sun");
    await userEvent.type(form.getByLabelText("Skills (comma-separated)"), "boilers, , heat-pumps");
    await userEvent.click(form.getByRole("button", { name: "Create user" }));
    expect(backend.createUser).toHaveBeenCalledWith({
      username: "sara",
      display_name: "Sara Sun",
      role: "technician",
      skills: ["boilers", "heat-pumps"],
      password: "short-but-longer",
    });
    expect(await screen.findByTestId("users-done")).toHaveTextContent("Sara Sun (sara) can log in now as technician.");
  });

  it("disables others but never offers to disable yourself", async () => {
    open("#/admin/users");
    const backend = fakeBackend({
      session: async () => admin,
      users: async () => ({ users: [account("alex", "admin"), account("tina", "technician")], truncated: false }),
      updateUser: async (u) => account(u, "technician", true),
    });
    render(Console, { backend, now });
    const rows = await screen.findAllByTestId("user");
    expect(within(rows[0]).queryByTestId("user-disable")).toBeNull();
    await userEvent.click(within(rows[1]).getByTestId("user-disable"));
    expect(backend.updateUser).toHaveBeenCalledWith("tina", { disabled: true });
    expect(await screen.findByTestId("users-done")).toHaveTextContent("TINA is disabled");
  });
});

describe("a call from an earlier day", () => {
  it("says it is late", async () => {
    open("#/inbox/follow-ups");
    const late = { ...followUp("J-1"), due_on: "2026-11-30" };
    const older = { ...followUp("J-2"), due_on: "2026-11-27" };
    const backend = fakeBackend({ session: async () => dora, followUps: async () => ({ follow_ups: [late, older, followUp("J-3")], next: null }) });
    render(Console, { backend, now });
    const calls = await screen.findAllByTestId("follow-up");
    expect(calls[0]).toHaveTextContent("late: due yesterday");
    expect(calls[1]).toHaveTextContent("late: due Fri 27 Nov");
    expect(calls[2]).toHaveTextContent("due today");
  });
});

describe("a technician's calendar address", () => {
  it("is shown in full and can be renewed", async () => {
    open("#/admin/users");
    const tina: Account = {
      id: "u-tina",
      username: "tina",
      display_name: "Tina Fischer",
      role: "technician",
      skills: [],
      disabled: false,
      created_at: "2026-11-01T00:00:00Z",
    };
    const backend = fakeBackend({ session: async () => admin, users: async () => ({ users: [tina], truncated: false }) });
    render(Console, { backend, now });
    await userEvent.click(await screen.findByTestId("user-calendar"));
    expect(await screen.findByTestId("calendar-url")).toHaveValue(`${location.origin}/api/v1/technicians/tina/calendar.ics?token=old`);
    await userEvent.click(screen.getByTestId("calendar-renew"));
    expect(backend.calendar).toHaveBeenLastCalledWith("tina", true);
    await waitFor(() =>
      expect(screen.getByTestId("calendar-url")).toHaveValue(`${location.origin}/api/v1/technicians/tina/calendar.ics?token=new`),
    );
    expect(screen.getByTestId("users-done")).toHaveTextContent("the old one no longer works");
  });
});

describe("complaints and inquiries", () => {
  const complaint = (id: string, status: "open" | "in_progress" | "resolved"): Case => ({
    id,
    kind: "complaint",
    status,
    source: "rating",
    subject: `Knocking noise ${id}`,
    details: "It still knocks at night.",
    answer: null,
    customer_id: "c-1",
    customer_name: "John Backus",
    job_id: "id-J-55",
    job_number: "J-55",
    model: "HeatMax 300",
    opened_at: "2026-11-30T10:00:00Z",
    updated_at: "2026-11-30T10:00:00Z",
    return_visit: null,
    notes: [],
  });

  it("lists the unresolved ones, keeps a note, resolves, and sends a technician back", async () => {
    open("#/inbox/cases");
    const backend = fakeBackend({
      session: async () => dora,
      cases: async () => ({ cases: [complaint("k1", "open"), complaint("k2", "resolved")], next: null }),
      updateCase: async (_kind, id, patch) => ({
        ...complaint(id, patch.status ?? "open"),
        notes: patch.note ? [{ at: "2026-12-01T09:00:00Z", by: "Dora Dispatch", text: patch.note, status: patch.status }] : [],
      }),
      returnVisit: async (_kind, id) => ({
        case: { ...complaint(id, "in_progress"), return_visit: { job_id: "id-J-90", number: "J-90" } },
        job: view("J-90", null, null),
      }),
    });
    render(Console, { backend, now });
    const cards = await screen.findAllByTestId("case");
    expect(cards).toHaveLength(1);
    expect(backend.cases).toHaveBeenCalledWith("complaint", null);
    expect(cards[0]).toHaveTextContent("from the customer's rating on site");
    await userEvent.type(within(cards[0]).getByTestId("case-note"), "Called him back");
    await userEvent.click(within(cards[0]).getByTestId("case-add-note"));
    expect(backend.updateCase).toHaveBeenCalledWith("complaint", "k1", { status: null, note: "Called him back", answer: null });
    expect(await screen.findByText(/Dora Dispatch: Called him back/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("case-return-visit"));
    expect(await screen.findByTestId("cases-done")).toHaveTextContent("J-90 goes back to Customer J-90");
    expect(screen.getByRole("link", { name: "J-90" })).toHaveAttribute("href", "#/jobs/J-90");
    await userEvent.click(screen.getByTestId("case-resolve"));
    expect(backend.updateCase).toHaveBeenLastCalledWith("complaint", "k1", { status: "resolved", note: null, answer: null });
    await userEvent.click(screen.getByTestId("cases-inquiries"));
    expect(backend.cases).toHaveBeenLastCalledWith("inquiry", null);
  });
});

describe("parts requests", () => {
  it("fills a request only with words saying how", async () => {
    open("#/inbox/parts");
    const request: OpenPartsRequest = {
      op_id: "op-1",
      job_id: "id-J-11",
      job_number: "J-11",
      job_status: "waiting_parts",
      technician: "sara",
      sku: "HM3-DIV",
      name: "Diverter valve",
      qty: 1,
      note: "Back as soon as it arrives",
      requested_at: "2026-11-30T10:00:00Z",
    };
    const backend = fakeBackend({
      session: async () => dora,
      partsRequests: async () => ({ requests: [request], next: null }),
      fillRequest: async () => ({}),
    });
    render(Console, { backend, now });
    await userEvent.click(await screen.findByTestId("parts-fill"));
    expect(screen.getByRole("alert")).toHaveTextContent("Say how the parts reach the job");
    expect(backend.fillRequest).not.toHaveBeenCalled();
    await userEvent.type(screen.getByTestId("parts-how"), "Courier to the customer tomorrow");
    await userEvent.click(screen.getByTestId("parts-fill"));
    expect(backend.fillRequest).toHaveBeenCalledWith("op-1", "Courier to the customer tomorrow");
    expect(await screen.findByTestId("parts-done")).toHaveTextContent("J-11: 1 × Diverter valve — Courier to the customer tomorrow.");
    expect(await screen.findByTestId("parts-empty")).toBeInTheDocument();
  });
});

describe("the mail outbox", () => {
  it("offers to send again only what did not go out", async () => {
    open("#/inbox/mail");
    const letter = (id: string, state: Letter["state"]): Letter => ({
      id,
      job_id: "id-J-1",
      job_number: "J-1",
      customer_name: `Customer ${id}`,
      to: "ann@example.org",
      subject: "Thank you",
      body: "…",
      state,
      tries: state === "failed" ? 5 : 1,
      next_attempt_at: null,
      last_error: state === "failed" ? "mailbox unavailable" : null,
      created_at: "2026-11-30T10:00:00Z",
      sent_at: state === "sent" ? "2026-11-30T10:01:00Z" : null,
    });
    const backend = fakeBackend({
      session: async () => dora,
      letters: async () => ({ letters: [letter("a", "sent"), letter("b", "failed")], next: null }),
      resend: async (id) => letter(id, "waiting"),
    });
    render(Console, { backend, now });
    const rows = await screen.findAllByTestId("letter");
    expect(within(rows[0]).queryByTestId("letter-resend")).toBeNull();
    expect(rows[1]).toHaveTextContent("mailbox unavailable (5 tries)");
    await userEvent.click(within(rows[1]).getByTestId("letter-resend"));
    expect(backend.resend).toHaveBeenCalledWith("b");
    expect(await screen.findByTestId("mail-done")).toHaveTextContent("The letter to Customer b goes out again to ann@example.org.");
    expect(screen.getAllByTestId("letter")[1].dataset.state).toBe("waiting");
  });
});
