// The only module that talks to the Tauri shell. Everything else imports from here, so
// components can be tested with this module mocked, and the IPC surface is in one place.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  CallTime,
  Change,
  FaultCategory,
  Guide,
  Part,
  Readiness,
  Remedy,
  TemplateRef,
  VanLine,
  WarrantyChoice,
  DeviceErrorCode,
  DeviceStatus,
  ErrorReport,
  HqLogout,
  HqProbe,
  JobDetail,
  JobQuery,
  JobStatus,
  JobSummary,
  Outbox,
  OutboxEntry,
  SyncState,
  User,
} from "./bindings";

export type * from "./bindings";

/** A failed command: the shell's stable `code` and a message meant for the technician. */
export class ApiError extends Error {
  readonly code: DeviceErrorCode;
  constructor(report: ErrorReport) {
    super(report.message);
    this.code = report.code;
  }
}

/** What to tell the technician about a failure, whatever was thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Whether `e` is a failure the shell reported with `code`. */
export function hasCode(e: unknown, code: DeviceErrorCode): boolean {
  return e instanceof ApiError && e.code === code;
}

function isReport(e: unknown): e is ErrorReport {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new ApiError(isReport(e) ? e : { code: "internal", message: String(e) });
  }
}

export const status = () => call<DeviceStatus>("status");
export const probeHq = (url: string) => call<HqProbe>("probe_hq", { url });
export const login = (url: string, username: string, password: string, fingerprint: string | null) =>
  call<User>("login", { url, username, password, fingerprint });
/** Logs out (at HQ too when it answers, and says whether it did); with changes not yet sent it
 * fails with `unsynced_changes` unless `discard`. */
export const logout = (discard = false) => call<HqLogout>("logout", { discard });
export const jobs = (query: JobQuery) => call<JobSummary[]>("jobs", { query });
/** How many jobs `query` matches, whatever its paging (a search's matches on the other tab). */
export const countJobs = (query: JobQuery) => call<number>("count_jobs", { query });
export const job = (number: string) => call<JobDetail>("job", { number });
export const syncNow = () => call<SyncState>("sync_now");
export const syncState = () => call<SyncState>("sync_state");
/** Records a change to a job: the one command every change but a photo's bytes goes through. */
export const record = (number: string, change: Change) => call<OutboxEntry>("record", { number, change });
export const setStatus = (number: string, to: JobStatus) => record(number, { kind: "status", to });
export const addNote = (number: string, text: string) => record(number, { kind: "note", text });
/** Starts or stops the work timer now (this laptop's clock, as every change is stamped). */
export const work = (number: string, start: boolean) =>
  record(number, { kind: start ? "work_started" : "work_stopped", at: new Date().toISOString() });
export const correctPhone = (number: string, phone: string) => record(number, { kind: "contact_phone", phone });
export const correctSerial = (number: string, serial: string) =>
  record(number, { kind: "asset_serial", serial });
export const outbox = (recent = 50) => call<Outbox>("outbox", { recent });

/** Answers a checklist item of the version the job keeps. */
export const answer = (number: string, template: TemplateRef, item: string, value: boolean | number | string) =>
  record(number, { kind: "checklist_answer", template, item, value });
/** Records parts from the van used on the job. */
export const usePart = (
  number: string,
  part: { sku: string; qty: number; serial?: string; removed_serial?: string },
) => record(number, { kind: "part_used", ...part });
/** Voids a part use or decision recorded by mistake; both stay on record. */
export const voidFact = (number: string, voids: string, reason?: string) =>
  record(number, { kind: "voided", voids, reason });
/** Asks HQ for parts the job waits for. */
export const requestParts = (number: string, sku: string, qty: number, note?: string) =>
  record(number, { kind: "parts_requested", sku, qty, note });
/** The van: HQ's balances less what was used here and not sent yet. */
export const vanStock = () => call<VanLine[]>("van_stock");
/** The parts catalog on this laptop. */
export const parts = () => call<Part[]>("parts");
/** What the warranty allows for a fault on the job's product, today. */
export const warranty = (number: string, fault: FaultCategory) => call<WarrantyChoice>("warranty", { number, fault });
/** Records the warranty decision (`remedy_not_allowed` names the options). */
export const decide = (
  number: string,
  remedy: Remedy,
  fault: FaultCategory,
  note: string | null,
  replacementSerial: string | null,
) => call<OutboxEntry>("decide", { number, remedy, fault, note, replacementSerial });
/** Guides on this laptop, or those matching `search`, best first. */
export const guides = (search: string | null = null) => call<Guide[]>("guides", { search });
/** Whether today can be worked offline. */
export const ready = () => call<Readiness>("ready");

/**
 * Attaches a picked file: its bytes go as the raw IPC body; the job, the name and the caption
 * as headers.
 */
export async function attachPhoto(number: string, file: File, caption = ""): Promise<OutboxEntry> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const headers: Record<string, string> = {
    "onsite-job": encodeURIComponent(number),
    "onsite-file-name": encodeURIComponent(file.name),
  };
  if (caption.trim()) headers["onsite-caption"] = encodeURIComponent(caption.trim());
  try {
    return await invoke<OutboxEntry>("attach_photo", bytes, { headers });
  } catch (e) {
    throw new ApiError(isReport(e) ? e : { code: "internal", message: String(e) });
  }
}

/**
 * The customer signs the job's report: what they drew (a PNG from the pad) goes as the raw
 * IPC body, empty when they typed their name and ticked instead; the job and their printed
 * name as headers.
 */
export async function signOff(number: string, signer: string, drawing: Uint8Array | null): Promise<OutboxEntry> {
  const headers = {
    "onsite-job": encodeURIComponent(number),
    "onsite-signer": encodeURIComponent(signer.trim()),
  };
  try {
    return await invoke<OutboxEntry>("sign_off", drawing ?? new Uint8Array(), { headers });
  } catch (e) {
    throw new ApiError(isReport(e) ? e : { code: "internal", message: String(e) });
  }
}

/** What the customer said of the visit, in customer mode. */
export interface RatingInput {
  satisfaction: number;
  recommend: number | null;
  comment: string;
  complaint: string | null;
  callOk: boolean;
  callTime: CallTime | null;
}

/** Records the customer's rating of the visit. */
export const rate = (number: string, r: RatingInput) =>
  record(number, {
    kind: "rated",
    satisfaction: r.satisfaction,
    recommend: r.recommend ?? undefined,
    comment: r.comment.trim() || undefined,
    complaint: r.complaint?.trim() || undefined,
    call_ok: r.callOk,
    call_time: r.callOk ? (r.callTime ?? undefined) : undefined,
  });

/** Takes back a photo that has not been sent yet (`already_sent` once it has). */
export const withdraw = (opId: string) => call<null>("withdraw", { opId });

/** The bytes of a photo captured on this laptop, by hash. */
export async function attachment(sha256: string): Promise<ArrayBuffer> {
  const bytes = await call<ArrayBuffer | number[]>("attachment", { sha256 });
  return bytes instanceof ArrayBuffer ? bytes : new Uint8Array(bytes).buffer;
}

/** Tells the shell the first job list is on screen (start-up timing). */
export const uiReady = () => call<number>("ui_ready");

/** Calls `handler` with every sync state change; returns the function that stops listening. */
export function onSyncState(handler: (state: SyncState) => void): Promise<UnlistenFn> {
  return listen<SyncState>("sync-state", (event) => handler(event.payload));
}
