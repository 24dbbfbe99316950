// Where the console is, from the address's fragment (`#/inbox/conflicts`, `#/jobs/J-001`): a
// reload or a bookmark comes back to the same page, and HQ serves one document for all.

export type Page =
  | { page: "board" }
  | { page: "jobs" }
  | { page: "new-job" }
  | { page: "job"; number: string }
  | { page: "conflicts" }
  | { page: "follow-ups" }
  | { page: "cases" }
  | { page: "parts" }
  | { page: "mail" }
  | { page: "quality" }
  | { page: "devices" }
  | { page: "users" }
  | { page: "setup" };

/** The pages the menu offers, in its order; `admin`: only admins see it. */
export const PAGES: { page: Page["page"]; hash: string; label: string; admin: boolean }[] = [
  { page: "board", hash: "#/board", label: "Board", admin: false },
  { page: "jobs", hash: "#/jobs", label: "Jobs", admin: false },
  { page: "conflicts", hash: "#/inbox/conflicts", label: "Conflicts", admin: false },
  { page: "follow-ups", hash: "#/inbox/follow-ups", label: "Calls", admin: false },
  { page: "cases", hash: "#/inbox/cases", label: "Cases", admin: false },
  { page: "parts", hash: "#/inbox/parts", label: "Parts", admin: false },
  { page: "mail", hash: "#/inbox/mail", label: "Mail", admin: false },
  { page: "quality", hash: "#/quality", label: "Quality", admin: false },
  { page: "users", hash: "#/admin/users", label: "Users", admin: true },
  { page: "devices", hash: "#/admin/devices", label: "Devices", admin: true },
  { page: "setup", hash: "#/admin/setup", label: "Setup", admin: true },
];

/** The address of job `number`'s page. */
export function jobHash(number: string): string {
  return `#/jobs/${encodeURIComponent(number)}`;
}

/** The page a fragment names; the board for anything else (an old or mistyped bookmark). */
export function route(hash: string): Page {
  const path = hash.replace(/\/+$/, "");
  if (path === "#/jobs/new") return { page: "new-job" };
  const job = /^#\/jobs\/(.+)$/.exec(path);
  if (job) {
    try {
      return { page: "job", number: decodeURIComponent(job[1]) };
    } catch {
      return { page: "jobs" };
    }
  }
  const found = PAGES.find((p) => p.hash === path);
  return { page: found?.page ?? "board" } as Page;
}

/** The menu entry a page belongs under. */
export function section(page: Page): Page["page"] {
  return page.page === "job" || page.page === "new-job" ? "jobs" : page.page;
}
