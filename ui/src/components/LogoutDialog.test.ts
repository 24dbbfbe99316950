import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import LogoutDialog from "./LogoutDialog.svelte";

describe("LogoutDialog", () => {
  it("warns that local data goes, starts on the safe choice, and Escape keeps the session", async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(LogoutDialog, { onConfirm, onCancel });
    expect(screen.getByRole("alertdialog")).toHaveTextContent("removes your jobs");
    expect(document.activeElement).toHaveTextContent("Stay logged in");
    await userEvent.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("takes the screen: the app behind is inert until it closes", () => {
    const app = document.createElement("div");
    app.id = "app";
    document.body.appendChild(app);
    const { unmount } = render(LogoutDialog, { onConfirm: vi.fn(), onCancel: vi.fn() });
    expect(app).toHaveAttribute("inert");
    expect(screen.getByTestId("logout-dialog").closest("#app")).toBeNull();
    unmount();
    expect(app).not.toHaveAttribute("inert");
    app.remove();
  });

  it("logs out on request and shows a failure inside the dialog", async () => {
    const onConfirm = vi.fn();
    render(LogoutDialog, { onConfirm, onCancel: () => {}, error: "local database error: disk full" });
    await userEvent.click(screen.getByTestId("logout-confirm"));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onConfirm).toHaveBeenCalledWith(false);
    expect(screen.getByTestId("logout-error")).toHaveTextContent("disk full");
  });

  it("with changes not yet sent, says they would be lost and asks for an explicit discard", async () => {
    const onConfirm = vi.fn();
    render(LogoutDialog, { onConfirm, onCancel: () => {}, waiting: 2 });
    expect(screen.getByTestId("logout-waiting")).toHaveTextContent("2 changes have not reached HQ yet");
    expect(screen.queryByTestId("logout-confirm")).not.toBeInTheDocument();
    const discard = screen.getByTestId("logout-discard");
    expect(discard).toHaveTextContent("Log out and discard 2 changes");
    expect(document.activeElement).toHaveTextContent("Stay logged in");
    await userEvent.click(discard);
    expect(onConfirm).toHaveBeenCalledWith(true);
  });
});
