// What the console asks HQ, behind one interface: components take it from context, the page
// gives them the HTTP implementation, tests give them a fake.
import { getContext, setContext } from "svelte";
import { sentence } from "../shared/format";
import type {
  Account,
  AccountList,
  AccountPatch,
  ApiError,
  Board,
  ConflictView,
  ConsoleSession,
  Ended,
  FollowUp,
  FollowUpList,
  JobView,
  NewAccount,
  OutcomeInput,
  Resolution,
  RevokeRequest,
  ScheduleRequest,
  SessionList,
  Suggestions,
  JobInput,
  JobList,
  JobListQuery,
  JobOps,
  JobPatch,
  JobVisit,
  FeedbackSummary,
  CalendarLink,
  Case,
  CaseKind,
  CaseList,
  CasePatch,
  CaseStatus,
  Letter,
  LetterList,
  PartsRequestList,
  ReturnVisit,
  ImportSummary,
  Letterhead,
  LetterTemplate,
  StockIssueInput,
  StockIssued,
  StockReturned,
  PartList,
  VanStock,
} from "../shared/hq-api";

/** Which reference file an admin imports. */
export type ReferenceKind = "parts" | "checklists" | "warranty" | "guides";

/** HQ refused or could not be reached; `code` is HQ's stable error code, or "network". */
export class HqFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What to tell the dispatcher of a failed request, in a sentence; a `401` (the session is
 * over: idle, revoked) also goes to `onSessionEnded`, which sends them back to sign-in.
 */
export function explain(e: unknown, onSessionEnded: (message: string) => void): string {
  if (e instanceof HqFailure && e.status === 401) onSessionEnded("Your session has ended. Sign in again.");
  return e instanceof HqFailure ? sentence(e.message) : String(e);
}

export interface ConsoleBackend {
  /** Who this browser is signed in as, or null when it is not (or no longer). */
  session(): Promise<ConsoleSession | null>;
  signIn(username: string, password: string): Promise<ConsoleSession>;
  signOut(): Promise<void>;
  /**
   * The board for the window [from, to). `background`: the page asks by itself (a live
   * update), which does not count as the dispatcher's activity.
   */
  board(from: Date, to: Date, background?: boolean): Promise<Board>;
  /** Gives job `jobId` to a technician for a window (`POST /jobs/{id}/schedule`). */
  schedule(jobId: string, request: ScheduleRequest): Promise<JobView>;
  /** The organisation's letterhead, or null until one is set. */
  letterhead(): Promise<Letterhead | null>;
  setLetterhead(letterhead: Letterhead): Promise<unknown>;
  letterTemplate(): Promise<LetterTemplate>;
  setLetterTemplate(template: LetterTemplate): Promise<unknown>;
  /** Imports a reference file, all or nothing. */
  importReference(kind: ReferenceKind, text: string): Promise<ImportSummary>;
  vanStock(technician: string): Promise<VanStock>;
  issueStock(input: StockIssueInput): Promise<StockIssued>;
  /** A page of the parts catalog by SKU, after `after` (the previous page's `next`). */
  parts(after: string | null): Promise<PartList>;
  /** Parts back from a van to HQ, no more than it holds. */
  returnStock(input: StockIssueInput): Promise<StockReturned>;
  /** Complaints or inquiries, newest first (`status`: only those). */
  cases(kind: CaseKind, status: CaseStatus | null): Promise<CaseList>;
  /** A note, a new status or an answer on a case. */
  updateCase(kind: CaseKind, id: string, patch: CasePatch): Promise<Case>;
  /** A repair job going back to the case's customer and product. */
  returnVisit(kind: CaseKind, id: string): Promise<ReturnVisit>;
  /** Parts the field asked for, not filled yet, oldest first. */
  partsRequests(): Promise<PartsRequestList>;
  /** Says how the parts of request `opId` reach the job. */
  fillRequest(opId: string, how: string): Promise<unknown>;
  /** The mail outbox, newest first. */
  letters(): Promise<LetterList>;
  /** Sends a letter that did not go out again. */
  resend(id: string): Promise<Letter>;
  /** The address of `technician`'s calendar feed; `renew`: a new one, the old one stops. */
  calendar(technician: string, renew?: boolean): Promise<CalendarLink>;
  /** What customers said per model (and technician) and month, from `from` to `to` ("YYYY-MM"). */
  feedback(from: string, to: string): Promise<FeedbackSummary>;
  /** Jobs matching `query`, by number, a page at a time. */
  jobs(query: Partial<JobListQuery>): Promise<JobList>;
  /** The job numbered `number`. */
  job(number: string): Promise<JobView>;
  createJob(input: JobInput): Promise<JobView>;
  updateJob(id: string, patch: JobPatch): Promise<JobView>;
  /** Cancels the job, giving the reason for the record. */
  cancelJob(id: string, reason: string | null): Promise<JobView>;
  /** What the visit recorded, with the job's history. */
  visit(id: string): Promise<JobVisit>;
  /** Every op the job's laptops sent, with its outcome, oldest first (one page). */
  jobOps(id: string): Promise<JobOps>;
  /** An attachment's content, as a URL the page can show (revoke it when done). */
  attachment(sha256: string, mediaType: string): Promise<string>;
  /** Technicians ranked for job `jobId` in the working day [from, to), with reasons. */
  suggestions(jobId: string, from: Date, to: Date): Promise<Suggestions>;
  /** Conflicts waiting for a dispatcher (`all`: settled ones too). */
  conflicts(all?: boolean): Promise<ConflictView[]>;
  /** Settles the conflict of op `opId`, with words for the technician. */
  resolve(opId: string, resolution: Resolution, note: string | null): Promise<ConflictView>;
  /** Follow-up calls due on or before `due` (a local day, YYYY-MM-DD). */
  followUps(due: string): Promise<FollowUpList>;
  /** Records what a follow-up call found. */
  callOutcome(id: string, input: OutcomeInput): Promise<FollowUp>;
  /** Every account (admins only). */
  users(): Promise<AccountList>;
  createUser(account: NewAccount): Promise<Account>;
  updateUser(username: string, patch: AccountPatch): Promise<Account>;
  /** A new password; every session of the account ends. */
  resetPassword(username: string, password: string): Promise<Ended>;
  /** Laptop sessions, newest first (`all`: ended ones too). */
  sessions(all: boolean): Promise<SessionList>;
  /** Ends sessions at once: their tokens stop working. */
  revoke(request: RevokeRequest): Promise<Ended>;
  /**
   * Tells `onChange` whenever something at HQ changes (a laptop's push, another dispatcher's
   * edit) and `onLive` whether changes are reaching the page (`ended`: HQ refused the stream,
   * which will not come back by itself — the session has probably ended); returns the way to
   * stop.
   */
  watch(onChange: () => void, onLive: (live: boolean, ended: boolean) => void): () => void;
}

/** The part of the browser's `EventSource` the console uses. */
export interface EventStream {
  addEventListener(type: string, listener: () => void): void;
  close(): void;
  /** 2 once the browser has given up reconnecting. */
  readonly readyState: number;
}

const KEY = Symbol("console backend");

export function provideBackend(backend: ConsoleBackend): void {
  setContext(KEY, backend);
}

export function useBackend(): ConsoleBackend {
  const backend = getContext<ConsoleBackend | undefined>(KEY);
  if (!backend) throw new Error("no console backend in context");
  return backend;
}

/**
 * The console over HQ's API on the page's own origin. The session is an HttpOnly cookie the
 * browser sends by itself; the CSRF token HQ gave at sign-in goes with every change.
 */
export class HttpBackend implements ConsoleBackend {
  private csrf: string | null = null;

  constructor(
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
    private readonly stream: (url: string) => EventStream = (url) => new EventSource(url),
  ) {}

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    background = false,
    contentType = "application/json",
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (background) headers["X-Onsite-Background"] = "1";
    if (body !== undefined) headers["Content-Type"] = contentType;
    if (method !== "GET" && this.csrf) headers["X-CSRF-Token"] = this.csrf;
    let response: Response;
    try {
      response = await this.fetcher(`/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      throw new HqFailure(0, "network", "HQ did not answer. Check the connection and try again.");
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's HTML error page, say: reported below by status.
    }
    if (!response.ok) {
      const error = parsed as Partial<ApiError> | null;
      throw new HqFailure(
        response.status,
        error?.code ?? "internal",
        error?.message ?? `HQ answered ${response.status}.`,
      );
    }
    return parsed as T;
  }

  private keep(session: ConsoleSession): ConsoleSession {
    this.csrf = session.csrf_token;
    return session;
  }

  async session(): Promise<ConsoleSession | null> {
    try {
      return this.keep(await this.call<ConsoleSession>("GET", "/console/session"));
    } catch (e) {
      if (e instanceof HqFailure && e.status === 401) return null;
      throw e;
    }
  }

  async signIn(username: string, password: string): Promise<ConsoleSession> {
    return this.keep(await this.call<ConsoleSession>("POST", "/console/sign-in", { username, password }));
  }

  async signOut(): Promise<void> {
    await this.call<void>("POST", "/console/sign-out");
    this.csrf = null;
  }

  board(from: Date, to: Date, background = false): Promise<Board> {
    const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
    return this.call<Board>("GET", `/board?${q}`, undefined, background);
  }

  watch(onChange: () => void, onLive: (live: boolean, ended: boolean) => void): () => void {
    // EventSource reconnects by itself after an error or when HQ ends a stream; `ready`
    // says each connection is live again, and what changed while it was away is fetched.
    const events = this.stream("/api/v1/events");
    let connected = false;
    let live = false;
    events.addEventListener("ready", () => {
      if (connected && !live) onChange();
      connected = live = true;
      onLive(true, false);
    });
    events.addEventListener("change", () => onChange());
    events.addEventListener("error", () => {
      live = false;
      onLive(false, events.readyState === 2);
    });
    return () => events.close();
  }

  schedule(jobId: string, request: ScheduleRequest): Promise<JobView> {
    return this.call<JobView>("POST", `/jobs/${encodeURIComponent(jobId)}/schedule`, request);
  }

  async letterhead(): Promise<Letterhead | null> {
    try {
      return await this.call<Letterhead>("GET", "/letterhead");
    } catch (e) {
      if (e instanceof HqFailure && e.status === 404) return null;
      throw e;
    }
  }

  setLetterhead(letterhead: Letterhead): Promise<unknown> {
    return this.call("PUT", "/letterhead", letterhead);
  }

  letterTemplate(): Promise<LetterTemplate> {
    return this.call<LetterTemplate>("GET", "/letter-template");
  }

  setLetterTemplate(template: LetterTemplate): Promise<unknown> {
    return this.call("PUT", "/letter-template", template);
  }

  importReference(kind: ReferenceKind, text: string): Promise<ImportSummary> {
    const path = { parts: "/parts/import", checklists: "/checklists/import", warranty: "/warranty-policies/import", guides: "/guides/import" }[kind];
    return this.call<ImportSummary>("POST", path, text, false, kind === "parts" ? "text/csv" : "application/json");
  }

  vanStock(technician: string): Promise<VanStock> {
    return this.call<VanStock>("GET", `/stock?${new URLSearchParams({ technician, limit: "50" })}`);
  }

  issueStock(input: StockIssueInput): Promise<StockIssued> {
    return this.call<StockIssued>("POST", "/stock/issue", input);
  }

  parts(after: string | null): Promise<PartList> {
    const q = new URLSearchParams({ limit: "200" });
    if (after) q.set("after", after);
    return this.call<PartList>("GET", `/parts?${q}`);
  }

  returnStock(input: StockIssueInput): Promise<StockReturned> {
    return this.call<StockReturned>("POST", "/stock/return", input);
  }

  cases(kind: CaseKind, status: CaseStatus | null): Promise<CaseList> {
    const q = new URLSearchParams({ limit: "200" });
    if (status) q.set("status", status);
    return this.call<CaseList>("GET", `/${kind === "complaint" ? "complaints" : "inquiries"}?${q}`);
  }

  updateCase(kind: CaseKind, id: string, patch: CasePatch): Promise<Case> {
    return this.call<Case>("PATCH", `/${kind === "complaint" ? "complaints" : "inquiries"}/${encodeURIComponent(id)}`, patch);
  }

  returnVisit(kind: CaseKind, id: string): Promise<ReturnVisit> {
    const path = `/${kind === "complaint" ? "complaints" : "inquiries"}/${encodeURIComponent(id)}/return-visit`;
    return this.call<ReturnVisit>("POST", path, { summary: null, technician: null, scheduled_start: null, scheduled_end: null });
  }

  partsRequests(): Promise<PartsRequestList> {
    return this.call<PartsRequestList>("GET", "/parts-requests?limit=500");
  }

  fillRequest(opId: string, how: string): Promise<unknown> {
    return this.call("POST", `/parts-requests/${encodeURIComponent(opId)}/fill`, { how });
  }

  letters(): Promise<LetterList> {
    return this.call<LetterList>("GET", "/mail?limit=200");
  }

  resend(id: string): Promise<Letter> {
    return this.call<Letter>("POST", `/mail/${encodeURIComponent(id)}/resend`);
  }

  calendar(technician: string, renew = false): Promise<CalendarLink> {
    const path = `/technicians/${encodeURIComponent(technician)}/calendar`;
    return renew ? this.call<CalendarLink>("POST", `${path}/renew`) : this.call<CalendarLink>("GET", path);
  }

  feedback(from: string, to: string): Promise<FeedbackSummary> {
    return this.call<FeedbackSummary>("GET", `/feedback/summary?${new URLSearchParams({ from, to })}`);
  }

  jobs(query: Partial<JobListQuery>): Promise<JobList> {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== null && value !== undefined && value !== "") q.set(key, String(value));
    }
    return this.call<JobList>("GET", `/jobs?${q}`);
  }

  job(number: string): Promise<JobView> {
    return this.call<JobView>("GET", `/jobs/by-number/${encodeURIComponent(number)}`);
  }

  createJob(input: JobInput): Promise<JobView> {
    return this.call<JobView>("POST", "/jobs", input);
  }

  updateJob(id: string, patch: JobPatch): Promise<JobView> {
    return this.call<JobView>("PATCH", `/jobs/${encodeURIComponent(id)}`, patch);
  }

  cancelJob(id: string, reason: string | null): Promise<JobView> {
    return this.call<JobView>("POST", `/jobs/${encodeURIComponent(id)}/cancel`, { reason });
  }

  visit(id: string): Promise<JobVisit> {
    return this.call<JobVisit>("GET", `/jobs/${encodeURIComponent(id)}/visit`);
  }

  jobOps(id: string): Promise<JobOps> {
    return this.call<JobOps>("GET", `/jobs/${encodeURIComponent(id)}/ops?limit=500`);
  }

  async attachment(sha256: string, mediaType: string): Promise<string> {
    let response: Response;
    try {
      response = await this.fetcher(`/api/v1/blobs/${encodeURIComponent(sha256)}`, { credentials: "same-origin" });
    } catch {
      throw new HqFailure(0, "network", "HQ did not answer. Check the connection and try again.");
    }
    if (!response.ok) throw new HqFailure(response.status, "not_found", "The attachment is not at HQ yet.");
    return URL.createObjectURL(new Blob([await response.arrayBuffer()], { type: mediaType }));
  }

  suggestions(jobId: string, from: Date, to: Date): Promise<Suggestions> {
    const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
    return this.call<Suggestions>("GET", `/jobs/${encodeURIComponent(jobId)}/suggestions?${q}`);
  }

  conflicts(all = false): Promise<ConflictView[]> {
    return this.call<ConflictView[]>("GET", all ? "/conflicts?all=true" : "/conflicts");
  }

  resolve(opId: string, resolution: Resolution, note: string | null): Promise<ConflictView> {
    return this.call<ConflictView>("POST", `/conflicts/${encodeURIComponent(opId)}/resolve`, { resolution, note });
  }

  followUps(due: string): Promise<FollowUpList> {
    return this.call<FollowUpList>("GET", `/follow-ups?${new URLSearchParams({ due, limit: "200" })}`);
  }

  callOutcome(id: string, input: OutcomeInput): Promise<FollowUp> {
    return this.call<FollowUp>("POST", `/follow-ups/${encodeURIComponent(id)}/outcome`, input);
  }

  users(): Promise<AccountList> {
    return this.call<AccountList>("GET", "/users");
  }

  createUser(account: NewAccount): Promise<Account> {
    return this.call<Account>("POST", "/users", account);
  }

  updateUser(username: string, patch: AccountPatch): Promise<Account> {
    return this.call<Account>("PATCH", `/users/${encodeURIComponent(username)}`, patch);
  }

  resetPassword(username: string, password: string): Promise<Ended> {
    return this.call<Ended>("POST", `/users/${encodeURIComponent(username)}/password`, { password });
  }

  sessions(all: boolean): Promise<SessionList> {
    return this.call<SessionList>("GET", all ? "/sessions?all=true" : "/sessions");
  }

  revoke(request: RevokeRequest): Promise<Ended> {
    return this.call<Ended>("POST", "/sessions/revoke", request);
  }
}
