// The only module that talks to the Tauri shell. Everything else imports from here, so
// components can be tested with this module mocked, and the IPC surface is in one place.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  DeviceStatus,
  ErrorReport,
  HqProbe,
  JobDetail,
  JobQuery,
  JobSummary,
  SyncState,
  User,
} from "./bindings";

export type * from "./bindings";

/** A failed command: the shell's stable `code` and a message meant for the technician. */
export class ApiError extends Error {
  readonly code: string;
  constructor(report: ErrorReport) {
    super(report.message);
    this.code = report.code;
  }
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
export const logout = () => call<null>("logout");
export const jobs = (query: JobQuery) => call<JobSummary[]>("jobs", { query });
export const job = (number: string) => call<JobDetail>("job", { number });
export const syncNow = () => call<SyncState>("sync_now");
export const syncState = () => call<SyncState>("sync_state");
/** Tells the shell the first job list is on screen (start-up timing). */
export const uiReady = () => call<number>("ui_ready");

/** Calls `handler` with every sync state change; returns the function that stops listening. */
export function onSyncState(handler: (state: SyncState) => void): Promise<UnlistenFn> {
  return listen<SyncState>("sync-state", (event) => handler(event.payload));
}
