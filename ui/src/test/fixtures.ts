import type { Activity, JobDetail, JobSummary } from "../lib/bindings";

export function summary(number: string, start: string | null, extra: Partial<JobSummary> = {}): JobSummary {
  return {
    number,
    kind: "repair",
    status: "assigned",
    priority: "normal",
    summary: `Leak at ${number}`,
    customer: "Ada Lovelace",
    address: "12 Analytical Row",
    town: "London",
    scheduled_start: start,
    scheduled_end: null,
    sla_due: null,
    sla: "none",
    late: false,
    waiting: 0,
    read_only: false,
    ...extra,
  };
}

export function detail(extra: Partial<JobDetail> = {}): JobDetail {
  return {
    job: {
      id: "0190a6e0-0000-7000-8000-000000000001",
      number: "J-000001",
      kind: "repair",
      priority: "urgent",
      summary: "No hot water",
      description: "Boiler shows F28.",
      customer_id: "c1",
      site_id: "s1",
      asset_id: "a1",
      technician: "tina",
      scheduled_start: "2026-11-23T08:00:00Z",
      scheduled_end: "2026-11-23T10:00:00Z",
      sla_due: "2026-11-23T14:00:00Z",
      status: "assigned",
      version: 2,
      updated_at: "2026-11-22T10:00:00Z",
    },
    customer: { id: "c1", name: "Ada Lovelace", phone: "+44 20 7946 0100", email: null },
    site: { id: "s1", customer_id: "c1", address: "12 Analytical Row", town: "London", access_notes: "Gate code 1843" },
    asset: {
      id: "a1",
      customer_id: "c1",
      site_id: "s1",
      model: "HeatMax 300",
      serial: "HM3-00042",
      purchased_on: null,
      installed_on: "2025-01-10",
      warranty_until: "2027-01-01",
    },
    warranty: { state: "in_warranty", until: "2027-01-01", days_left: 39 },
    sla: "due_soon",
    late: false,
    history: [
      { job_id: "j1", at: "2026-11-20T09:00:00Z", status: "new", detail: null, event: "created" },
      { job_id: "j1", at: "2026-11-20T10:00:00Z", status: "assigned", detail: "Tina Fischer", event: "assigned" },
    ],
    company: null,
    letter: null,
    activity: [],
    working: false,
    work: { seconds: 0, running_since: null },
    read_only: false,
    next_statuses: ["en_route", "on_site"],
    undo_status: null,
    visit: {
      checklist: { pinned: false, sections: [], missing: [], unavailable: [] },
      parts: [],
      decisions: [],
      requests: [],
      signoffs: [],
      ratings: [],
    },
    service_history: [],
    ...extra,
  };
}

/** An activity entry (a change recorded on site). */
export function activity(extra: Partial<Activity> = {}): Activity {
  return {
    op_id: `op-${Math.random()}`,
    at: "2026-11-23T09:30:00Z",
    by: "Tina Fischer",
    mine: true,
    change: { kind: "note", text: "Replaced the pump seal" },
    state: "applied",
    reason: null,
    message: null,
    settled: null,
    ...extra,
  };
}

/** A promise and the functions that settle it, to hold a component in its loading state. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
