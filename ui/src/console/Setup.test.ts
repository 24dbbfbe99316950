import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { dora, fakeBackend } from "../test/console-fixtures";
import { HqFailure } from "./backend";
import Console from "./Console.svelte";

const now = () => new Date(2026, 11, 1, 9, 0);
const admin = { ...dora, user: { ...dora.user, username: "ada", display_name: "Ada Admin", role: "admin" as const } };

afterEach(() => {
  location.hash = "";
});

describe("setup", () => {
  it("saves the letterhead and the letter", async () => {
    location.hash = "#/admin/setup";
    const backend = fakeBackend({
      session: async () => admin,
      letterhead: async () => ({ name: "Northwind", lines: ["14 Mill Lane"] }),
      setLetterhead: async () => ({}),
      setLetterTemplate: async () => ({}),
    });
    render(Console, { backend, now });
    const head = within(await screen.findByTestId("letterhead"));
    await waitFor(() => expect(head.getByTestId("letterhead-name")).toHaveValue("Northwind"));
    await userEvent.type(head.getByRole("textbox", { name: /Lines under it/ }), "\n\n0113 496 0000 ");
    await userEvent.click(head.getByRole("button", { name: "Save the letterhead" }));
    expect(backend.setLetterhead).toHaveBeenCalledWith({ name: "Northwind", lines: ["14 Mill Lane", "0113 496 0000"] });
    expect(await screen.findByTestId("setup-done")).toHaveTextContent("every laptop gets it");

    const letter = within(screen.getByTestId("letter-template"));
    await userEvent.click(letter.getByRole("button", { name: "Save the letter" }));
    expect(backend.setLetterTemplate).toHaveBeenCalledWith({ subject: "Thank you", body: "Dear {customer}" });
  });

  it("imports a reference file and passes on where HQ found a mistake", async () => {
    location.hash = "#/admin/setup";
    const backend = fakeBackend({ session: async () => admin });
    backend.importReference
      .mockResolvedValueOnce({ entries: 3, created: 2, updated: 1, unchanged: 0 })
      .mockRejectedValueOnce(new HqFailure(422, "validation_failed", "line 3: unit_price_cents must be a whole number"));
    render(Console, { backend, now });
    const form = within(await screen.findByTestId("reference-import"));
    await userEvent.click(form.getByTestId("reference-submit"));
    expect(screen.getByTestId("setup-error")).toHaveTextContent("Choose the file to import.");
    const csv = new File(["sku,name\nA,B\n"], "parts.csv", { type: "text/csv" });
    await userEvent.upload(form.getByTestId("reference-file"), csv);
    await userEvent.click(form.getByTestId("reference-submit"));
    await waitFor(() => expect(screen.getByTestId("setup-done")).toHaveTextContent("parts.csv: 3 entries, 2 new, 1 updated, 0 unchanged."));
    expect(backend.importReference).toHaveBeenCalledWith("parts", "sku,name\nA,B\n");
    await userEvent.click(form.getByTestId("reference-submit"));
    expect(await screen.findByTestId("setup-error")).toHaveTextContent("Line 3: unit_price_cents must be a whole number");
  });

  it("puts parts into a van and shows what is in it", async () => {
    location.hash = "#/admin/setup";
    const backend = fakeBackend({
      session: async () => admin,
      issueStock: async () => ({ moves: [], fills: [], balance: 4 }),
      vanStock: async (t) => ({ technician: t, balances: [{ sku: "HM3-DIV", name: "Diverter valve", qty: 4, serials: [] }], moves: [], next: null }),
    });
    render(Console, { backend, now });
    const form = within(await screen.findByTestId("van-stock"));
    await userEvent.type(form.getByTestId("van-technician"), "tina");
    await userEvent.type(form.getByTestId("van-sku"), "HM3-DIV");
    await userEvent.clear(form.getByTestId("van-qty"));
    await userEvent.type(form.getByTestId("van-qty"), "2");
    await userEvent.click(form.getByTestId("van-issue"));
    expect(backend.issueStock).toHaveBeenCalledWith({ technician: "tina", sku: "HM3-DIV", qty: 2, serials: null });
    expect(await screen.findByTestId("setup-done")).toHaveTextContent("2 × HM3-DIV into tina's van: 4 there now.");
    expect(screen.getByTestId("van-balances")).toHaveTextContent("Diverter valve HM3-DIV4");
  });

  it("takes serials back from a van and says when HQ refuses more than it holds", async () => {
    location.hash = "#/admin/setup";
    const line = { id: 9, sku: "HX-100", qty: -1, serial: "SN-2", kind: "returned" as const, job_id: null, by: "Ada Admin", at: "2026-12-01T09:05:00Z" };
    const backend = fakeBackend({
      session: async () => admin,
      returnStock: async () => ({ moves: [line], balance: 1 }),
      vanStock: async (t) => ({
        technician: t,
        balances: [{ sku: "HX-100", name: "Heat exchanger", qty: 1, serials: ["SN-1"] }],
        moves: [line],
        next: null,
      }),
    });
    backend.returnStock.mockRejectedValueOnce(new HqFailure(409, "conflict", "tina's van holds 1 of HX-100: it cannot give back 2"));
    render(Console, { backend, now });
    const form = within(await screen.findByTestId("van-stock"));
    await userEvent.click(form.getByTestId("van-return"));
    expect(screen.getByTestId("setup-error")).toHaveTextContent("Name the technician and the part");
    await userEvent.type(form.getByTestId("van-technician"), "tina");
    await userEvent.type(form.getByTestId("van-sku"), "HX-100");
    await userEvent.clear(form.getByTestId("van-qty"));
    await userEvent.type(form.getByTestId("van-qty"), "2");
    await userEvent.click(form.getByTestId("van-return"));
    expect(await screen.findByTestId("setup-error")).toHaveTextContent("Tina's van holds 1 of HX-100");
    await userEvent.type(form.getByTestId("van-serials"), "SN-2{Enter}");
    await userEvent.click(form.getByTestId("van-return"));
    expect(backend.returnStock).toHaveBeenLastCalledWith({ technician: "tina", sku: "HX-100", qty: null, serials: ["SN-2"] });
    await waitFor(() => expect(screen.getByTestId("setup-done")).toHaveTextContent("1 unit(s) of HX-100 back from tina's van: 1 there now."));
    expect(screen.getByTestId("van-balances")).toHaveTextContent("SN-1");
    expect(screen.getByTestId("van-moves")).toHaveTextContent("-1 HX-100 (SN-2), back to HQ, by Ada Admin");
  });

  it("lists the parts catalog a page at a time and offers its parts and the technicians in the van form", async () => {
    location.hash = "#/admin/setup";
    const part = (sku: string, serialized = false) => ({ sku, name: `Part ${sku}`, unit_price_cents: 1250, serialized, models: [] });
    const backend = fakeBackend({
      session: async () => admin,
      parts: async (after) => (after ? { parts: [part("C")], next: null } : { parts: [part("A"), part("B", true)], next: "B" }),
      users: async () => ({
        users: [
          { ...admin.user, disabled: false, created_at: "2026-01-01T00:00:00Z" },
          { id: "u-tina", username: "tina", display_name: "Tina Tech", role: "technician", skills: [], disabled: false, created_at: "2026-01-01T00:00:00Z" },
          { id: "u-old", username: "old", display_name: "Gone", role: "technician", skills: [], disabled: true, created_at: "2026-01-01T00:00:00Z" },
        ],
        truncated: false,
      }),
    });
    render(Console, { backend, now });
    const catalog = within(await screen.findByTestId("catalog"));
    await waitFor(() => expect(catalog.getAllByTestId("catalog-part")).toHaveLength(2));
    expect(catalog.getAllByTestId("catalog-part")[1]).toHaveTextContent("BPart B£12.50each unitany model");
    const options = (id: string) => [...document.querySelectorAll(`#${id} option`)].map((o) => (o as HTMLOptionElement).value);
    expect(options("van-parts")).toEqual(["A", "B"]);
    expect(options("van-technicians")).toEqual(["tina"]);
    await userEvent.click(catalog.getByRole("button", { name: "More parts" }));
    await waitFor(() => expect(catalog.getAllByTestId("catalog-part")).toHaveLength(3));
    expect(backend.parts).toHaveBeenLastCalledWith("B");
    expect(catalog.queryByRole("button", { name: "More parts" })).toBeNull();
  });

  it("is for admins only", async () => {
    location.hash = "#/admin/setup";
    render(Console, { backend: fakeBackend({ session: async () => dora }), now });
    expect(await screen.findByRole("alert")).toHaveTextContent("Only admins");
  });
});
