// Where the console is, from the address's fragment (`#/inbox/conflicts`): a reload or a
// bookmark comes back to the same page, and HQ serves one document for all of them.

export type Page =
  | { page: "board" }
  | { page: "conflicts" }
  | { page: "follow-ups" }
  | { page: "devices" }
  | { page: "users" };

/** The pages a console offers, in menu order; `admin`: only admins see it. */
export const PAGES: { page: Page["page"]; hash: string; label: string; admin: boolean }[] = [
  { page: "board", hash: "#/board", label: "Board", admin: false },
  { page: "conflicts", hash: "#/inbox/conflicts", label: "Conflicts", admin: false },
  { page: "follow-ups", hash: "#/inbox/follow-ups", label: "Follow-up calls", admin: false },
  { page: "users", hash: "#/admin/users", label: "Users", admin: true },
  { page: "devices", hash: "#/admin/devices", label: "Devices", admin: true },
];

/** The page a fragment names; the board for anything else (an old or mistyped bookmark). */
export function route(hash: string): Page {
  const found = PAGES.find((p) => p.hash === hash.replace(/\/+$/, ""));
  return { page: found?.page ?? "board" } as Page;
}
