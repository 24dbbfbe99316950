// Boards, jobs and a fake HQ for the console's component tests.
import { vi } from "vitest";
import type { ConsoleBackend } from "../console/backend";
import type { Board, BoardTechnician, ConsoleSession, Job, JobView, JobVisit } from "../shared/hq-api";

/** A job on the board; `at` is "HH:MM-HH:MM" local on 1 Dec 2026, or null for none. */
export function view(number: string, technician: string | null, at: string | null, extra: Partial<Job> = {}): JobView {
  const local = (hm: string) => {
    const [h, m] = hm.split(":").map(Number);
    return new Date(2026, 11, 1, h, m).toISOString();
  };
  const [start, end] = at ? at.split("-").map(local) : [null, null];
  return {
    job: {
      id: `id-${number}`,
      number,
      kind: "repair",
      priority: "normal",
      summary: "Leak",
      description: null,
      customer_id: `c-${number}`,
      site_id: `s-${number}`,
      asset_id: null,
      technician,
      scheduled_start: start,
      scheduled_end: end,
      sla_due: null,
      status: technician ? "assigned" : "new",
      version: 1,
      updated_at: "2026-11-30T12:00:00Z",
      ...extra,
    },
    customer: { id: `c-${number}`, name: `Customer ${number}`, phone: null, email: null },
    site: { id: `s-${number}`, customer_id: `c-${number}`, address: "1 High St", town: "Leeds", access_notes: null },
    asset: null,
  };
}

export function technician(username: string, display_name: string): BoardTechnician {
  return { username, display_name, skills: [] };
}

export function board(extra: Partial<Board> = {}): Board {
  return {
    technicians: [technician("tina", "Tina Fischer"), technician("tom", "Tom Okafor")],
    jobs: [],
    queue: [],
    truncated: false,
    ...extra,
  };
}

export const dora: ConsoleSession = {
  user: { id: "u-dora", username: "dora", display_name: "Dora Dispatch", role: "dispatcher", skills: [] },
  csrf_token: "csrf",
  idle_minutes: 30,
  expires_at: "2026-12-01T20:00:00Z",
};

/** A visit that recorded nothing yet. */
export function emptyVisit(id: string): JobVisit {
  return {
    job_id: id,
    record: { pinned: null, answers: [], parts: [], decisions: [], requests: [], signoffs: [], ratings: [] },
    checklists: [],
    missing: [],
    out_of_range: [],
    needs_review: false,
    history: [],
    labels: [],
  };
}

/** A change the test did not set up an answer for: fails loudly. */
function unexpected(name: string) {
  return async (): Promise<never> => {
    throw new Error(`the test did not expect ${name}`);
  };
}

/** A fake HQ: every method a mock, by default answering a signed-out browser and an empty board. */
export function fakeBackend(overrides: Partial<ConsoleBackend> = {}) {
  return {
    session: vi.fn<ConsoleBackend["session"]>(overrides.session ?? (async () => null)),
    signIn: vi.fn<ConsoleBackend["signIn"]>(overrides.signIn ?? (async () => dora)),
    signOut: vi.fn<ConsoleBackend["signOut"]>(overrides.signOut ?? (async () => {})),
    board: vi.fn<ConsoleBackend["board"]>(overrides.board ?? (async () => board())),
    watch: vi.fn<ConsoleBackend["watch"]>(overrides.watch ?? (() => () => {})),
    schedule: vi.fn<ConsoleBackend["schedule"]>(overrides.schedule ?? (async (id) => view(id, "tina", "10:00-11:00"))),
    letterhead: vi.fn<ConsoleBackend["letterhead"]>(overrides.letterhead ?? (async () => null)),
    setLetterhead: vi.fn<ConsoleBackend["setLetterhead"]>(overrides.setLetterhead ?? unexpected("setLetterhead")),
    letterTemplate: vi.fn<ConsoleBackend["letterTemplate"]>(
      overrides.letterTemplate ?? (async () => ({ subject: "Thank you", body: "Dear {customer}" })),
    ),
    setLetterTemplate: vi.fn<ConsoleBackend["setLetterTemplate"]>(overrides.setLetterTemplate ?? unexpected("setLetterTemplate")),
    importReference: vi.fn<ConsoleBackend["importReference"]>(overrides.importReference ?? unexpected("importReference")),
    vanStock: vi.fn<ConsoleBackend["vanStock"]>(
      overrides.vanStock ?? (async (t) => ({ technician: t, balances: [], moves: [], next: null })),
    ),
    issueStock: vi.fn<ConsoleBackend["issueStock"]>(overrides.issueStock ?? unexpected("issueStock")),
    parts: vi.fn<ConsoleBackend["parts"]>(overrides.parts ?? (async () => ({ parts: [], next: null }))),
    returnStock: vi.fn<ConsoleBackend["returnStock"]>(overrides.returnStock ?? unexpected("returnStock")),
    cases: vi.fn<ConsoleBackend["cases"]>(overrides.cases ?? (async () => ({ cases: [], next: null }))),
    updateCase: vi.fn<ConsoleBackend["updateCase"]>(overrides.updateCase ?? unexpected("updateCase")),
    returnVisit: vi.fn<ConsoleBackend["returnVisit"]>(overrides.returnVisit ?? unexpected("returnVisit")),
    partsRequests: vi.fn<ConsoleBackend["partsRequests"]>(overrides.partsRequests ?? (async () => ({ requests: [], next: null }))),
    fillRequest: vi.fn<ConsoleBackend["fillRequest"]>(overrides.fillRequest ?? unexpected("fillRequest")),
    letters: vi.fn<ConsoleBackend["letters"]>(overrides.letters ?? (async () => ({ letters: [], next: null }))),
    resend: vi.fn<ConsoleBackend["resend"]>(overrides.resend ?? unexpected("resend")),
    calendar: vi.fn<ConsoleBackend["calendar"]>(
      overrides.calendar ??
        (async (t, renew) => ({ path: `/api/v1/technicians/${t}/calendar.ics?token=${renew ? "new" : "old"}` })),
    ),
    feedback: vi.fn<ConsoleBackend["feedback"]>(
      overrides.feedback ?? (async (from, to) => ({ from, to, rows: [], technicians: [] })),
    ),
    jobs: vi.fn<ConsoleBackend["jobs"]>(overrides.jobs ?? (async () => ({ jobs: [], next: null }))),
    job: vi.fn<ConsoleBackend["job"]>(overrides.job ?? (async (n) => view(n, null, null))),
    createJob: vi.fn<ConsoleBackend["createJob"]>(overrides.createJob ?? unexpected("createJob")),
    updateJob: vi.fn<ConsoleBackend["updateJob"]>(overrides.updateJob ?? unexpected("updateJob")),
    cancelJob: vi.fn<ConsoleBackend["cancelJob"]>(overrides.cancelJob ?? unexpected("cancelJob")),
    visit: vi.fn<ConsoleBackend["visit"]>(overrides.visit ?? (async (id) => emptyVisit(id))),
    jobOps: vi.fn<ConsoleBackend["jobOps"]>(overrides.jobOps ?? (async () => ({ ops: [], replaced: [], next: null }))),
    attachment: vi.fn<ConsoleBackend["attachment"]>(overrides.attachment ?? (async (sha) => `blob:${sha}`)),
    suggestions: vi.fn<ConsoleBackend["suggestions"]>(
      overrides.suggestions ?? (async (id) => ({ job_id: id, visit_minutes: 60, technicians: [] })),
    ),
    conflicts: vi.fn<ConsoleBackend["conflicts"]>(overrides.conflicts ?? (async () => [])),
    resolve: vi.fn<ConsoleBackend["resolve"]>(overrides.resolve ?? unexpected("resolve")),
    followUps: vi.fn<ConsoleBackend["followUps"]>(overrides.followUps ?? (async () => ({ follow_ups: [], next: null }))),
    callOutcome: vi.fn<ConsoleBackend["callOutcome"]>(overrides.callOutcome ?? unexpected("callOutcome")),
    users: vi.fn<ConsoleBackend["users"]>(overrides.users ?? (async () => ({ users: [], truncated: false }))),
    createUser: vi.fn<ConsoleBackend["createUser"]>(overrides.createUser ?? unexpected("createUser")),
    updateUser: vi.fn<ConsoleBackend["updateUser"]>(overrides.updateUser ?? unexpected("updateUser")),
    resetPassword: vi.fn<ConsoleBackend["resetPassword"]>(overrides.resetPassword ?? unexpected("resetPassword")),
    sessions: vi.fn<ConsoleBackend["sessions"]>(overrides.sessions ?? (async () => ({ sessions: [] }))),
    revoke: vi.fn<ConsoleBackend["revoke"]>(overrides.revoke ?? unexpected("revoke")),
  };
}
