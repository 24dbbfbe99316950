import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../lib/api";
import * as api from "../lib/api";
import { deferred } from "../test/fixtures";
import Login from "./Login.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return { ...real, probeHq: vi.fn(), login: vi.fn() };
});
const probeHq = vi.mocked(api.probeHq);
const login = vi.mocked(api.login);

const FP = "sha256:" + "ab".repeat(32);
const user = { id: "u1", username: "tina", display_name: "Tina", role: "technician" as const, skills: [] };

beforeEach(() => {
  probeHq.mockClear();
  login.mockClear();
});

async function fill(url: string, username: string, password: string) {
  if (url) await userEvent.type(screen.getByTestId("login-url"), url);
  if (username) await userEvent.type(screen.getByTestId("login-username"), username);
  if (password) await userEvent.type(screen.getByTestId("login-password"), password);
}

describe("Login", () => {
  it("puts the keyboard in the first field still to fill", () => {
    const first = render(Login, { onLoggedIn: () => {} });
    expect(document.activeElement).toBe(screen.getByTestId("login-url"));
    first.unmount();
    // After a logout the address and username are remembered: the password is next.
    render(Login, { initialUrl: "https://hq:8443", initialUsername: "tina", onLoggedIn: () => {} });
    expect(document.activeElement).toBe(screen.getByTestId("login-password"));
  });

  it("asks for every field before contacting HQ", async () => {
    render(Login, { onLoggedIn: () => {} });
    await fill("https://hq:8443", "", "secret-pw");
    await userEvent.click(screen.getByTestId("login-submit"));
    expect(screen.getByTestId("login-error")).toHaveTextContent("Enter the HQ address, your username and your password");
    expect(probeHq).not.toHaveBeenCalled();
  });

  it("shows HQ's fingerprint for confirmation, then logs in pinned to it", async () => {
    probeHq.mockResolvedValue({ url: "https://hq:8443", fingerprint: FP, trusted: false, version: "0.1.0", confirmed: null });
    login.mockResolvedValue(user);
    const onLoggedIn = vi.fn();
    render(Login, { onLoggedIn });
    await fill("https://hq:8443", "tina", "secret-pw");
    await userEvent.click(screen.getByTestId("login-submit"));
    const shown = await screen.findByTestId("fingerprint-value");
    expect(shown).toHaveAttribute("data-fingerprint", FP);
    // As HQ prints it, so the two can be compared character for character.
    expect(shown.textContent).toBe(FP);
    expect(login).not.toHaveBeenCalled();
    await userEvent.click(screen.getByTestId("fingerprint-accept"));
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalled());
    expect(login).toHaveBeenCalledWith("https://hq:8443", "tina", "secret-pw", FP);
  });

  it("refusing the fingerprint logs nobody in and says what to do", async () => {
    probeHq.mockResolvedValue({ url: "https://hq:8443", fingerprint: FP, trusted: false, version: "0.1.0", confirmed: null });
    render(Login, { onLoggedIn: () => {} });
    await fill("https://hq:8443", "tina", "secret-pw");
    await userEvent.click(screen.getByTestId("login-submit"));
    await userEvent.click(await screen.findByTestId("fingerprint-reject"));
    expect(screen.getByTestId("login-error")).toHaveTextContent("did not match");
    expect(login).not.toHaveBeenCalled();
    expect(screen.getByTestId("login-password")).toHaveValue("secret-pw");
  });

  it("with a typed fingerprint logs in directly and shows a wrong password in the form", async () => {
    login.mockImplementation(async () => {
      throw new ApiError({ code: "invalid_credentials", message: "wrong username or password" });
    });
    render(Login, { onLoggedIn: () => {} });
    await fill("https://hq:8443", "tina", "bad-password");
    await userEvent.type(screen.getByTestId("login-fingerprint"), FP);
    await userEvent.click(screen.getByTestId("login-submit"));
    expect(await screen.findByTestId("login-error")).toHaveTextContent("wrong username or password");
    expect(probeHq).not.toHaveBeenCalled();
    expect(login).toHaveBeenCalledWith("https://hq:8443", "tina", "bad-password", FP);
    expect(screen.getByTestId("login-submit")).toBeEnabled();
    expect(screen.getByTestId("login-password")).toHaveValue("");
  });

  it("a wrong password after confirming goes back to the form, and the retry does not ask again", async () => {
    probeHq.mockResolvedValueOnce({ url: "https://hq:8443", fingerprint: FP, trusted: false, version: "0.1.0", confirmed: null });
    login.mockImplementationOnce(async () => {
      throw new ApiError({ code: "invalid_credentials", message: "wrong username or password" });
    });
    const onLoggedIn = vi.fn();
    render(Login, { onLoggedIn });
    await fill("https://hq:8443", "tina", "bad-password");
    await userEvent.click(screen.getByTestId("login-submit"));
    await userEvent.click(await screen.findByTestId("fingerprint-accept"));
    expect(await screen.findByTestId("login-error")).toHaveTextContent("wrong username or password");
    expect(screen.getByTestId("login-password")).toHaveValue("");
    // The device now remembers the confirmed certificate for this address.
    probeHq.mockResolvedValueOnce({ url: "https://hq:8443", fingerprint: FP, trusted: false, version: "0.1.0", confirmed: FP });
    login.mockResolvedValueOnce(user);
    await userEvent.type(screen.getByTestId("login-password"), "secret-pw");
    await userEvent.click(screen.getByTestId("login-submit"));
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalled());
    expect(screen.queryByTestId("fingerprint-confirm")).not.toBeInTheDocument();
    expect(login).toHaveBeenLastCalledWith("https://hq:8443", "tina", "secret-pw", FP);
  });

  it("warns when HQ's certificate changed since it was confirmed", async () => {
    const before = "sha256:" + "cd".repeat(32);
    probeHq.mockResolvedValue({ url: "https://hq:8443", fingerprint: FP, trusted: false, version: "0.1.0", confirmed: before });
    render(Login, { onLoggedIn: () => {} });
    await fill("https://hq:8443", "tina", "secret-pw");
    await userEvent.click(screen.getByTestId("login-submit"));
    const warning = await screen.findByTestId("fingerprint-changed");
    expect(warning).toHaveTextContent("changed since you last confirmed it");
    expect(warning).toHaveTextContent(before);
    expect(login).not.toHaveBeenCalled();
  });

  it("tells a dispatcher this app is for technicians", async () => {
    login.mockImplementation(async () => {
      throw new ApiError({
        code: "not_a_technician",
        message: "Dora Dispatch is a dispatcher account, and Onsite on the laptop is for technicians.",
      });
    });
    render(Login, { onLoggedIn: () => {} });
    await fill("https://hq:8443", "dora", "secret-pw");
    await userEvent.type(screen.getByTestId("login-fingerprint"), FP);
    await userEvent.click(screen.getByTestId("login-submit"));
    expect(await screen.findByTestId("login-error")).toHaveTextContent("Onsite on the laptop is for technicians");
  });

  it("says HQ is unreachable and keeps the form usable", async () => {
    probeHq.mockImplementation(async () => {
      throw new ApiError({ code: "hq_unreachable", message: "HQ at https://hq:8443 is unreachable (connection refused)" });
    });
    render(Login, { onLoggedIn: () => {} });
    await fill("https://hq:8443", "tina", "secret-pw");
    await userEvent.click(screen.getByTestId("login-submit"));
    expect(await screen.findByTestId("login-error")).toHaveTextContent("unreachable");
    expect(screen.getByTestId("login-submit")).toBeEnabled();
  });

  it("shows that it is working while HQ answers", async () => {
    const pending = deferred<api.HqProbe>();
    probeHq.mockReturnValue(pending.promise);
    render(Login, { onLoggedIn: () => {}, initialUrl: "https://hq:8443", initialUsername: "tina" });
    await fill("", "", "secret-pw");
    await userEvent.click(screen.getByTestId("login-submit"));
    expect(screen.getByTestId("login-submit")).toBeDisabled();
    expect(screen.getByTestId("login-submit")).toHaveTextContent("Connecting");
    pending.resolve({ url: "https://hq:8443", fingerprint: FP, trusted: false, version: "0.1.0", confirmed: null });
    await screen.findByTestId("fingerprint-confirm");
  });
});
