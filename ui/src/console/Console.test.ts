import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { board, dora, fakeBackend, view } from "../test/console-fixtures";
import { HqFailure } from "./backend";
import Console from "./Console.svelte";

const now = () => new Date(2026, 11, 1, 9, 0);

async function signIn(username: string, password: string) {
  if (username) await userEvent.type(await screen.findByTestId("signin-username"), username);
  if (password) await userEvent.type(screen.getByTestId("signin-password"), password);
  await userEvent.click(screen.getByTestId("signin-submit"));
}

describe("signing in", () => {
  it("asks for both fields before asking HQ", async () => {
    const backend = fakeBackend();
    render(Console, { backend, now });
    await signIn("dora", "");
    expect(screen.getByTestId("signin-error")).toHaveTextContent("Enter your username and your password.");
    expect(document.activeElement).toBe(screen.getByTestId("signin-password"));
    expect(backend.signIn).not.toHaveBeenCalled();
  });

  it("says a wrong password plainly, clears it, and lets the dispatcher try again", async () => {
    const backend = fakeBackend();
    backend.signIn.mockRejectedValueOnce(new HqFailure(401, "invalid_credentials", "wrong username or password"));
    render(Console, { backend, now });
    await signIn(" dora ", "wrong");
    expect(await screen.findByTestId("signin-error")).toHaveTextContent("Wrong username or password.");
    expect(screen.getByTestId("signin-password")).toHaveValue("");
    expect(backend.signIn).toHaveBeenCalledWith("dora", "wrong");
    await signIn("", "right-one");
    expect(await screen.findByTestId("board")).toBeInTheDocument();
    expect(screen.getByText("Dora Dispatch")).toBeInTheDocument();
  });

  it("passes on why HQ turned a technician away", async () => {
    const backend = fakeBackend();
    backend.signIn.mockRejectedValueOnce(
      new HqFailure(403, "forbidden", "the console is for dispatchers and admins; technicians use the Onsite app on their laptop"),
    );
    render(Console, { backend, now });
    await signIn("tina", "pw");
    expect(await screen.findByTestId("signin-error")).toHaveTextContent("The console is for dispatchers and admins; technicians use the Onsite app on their laptop");
    expect(screen.queryByTestId("board")).toBeNull();
  });

  it("opens on the board when the browser is still signed in, and signs out", async () => {
    const backend = fakeBackend({ session: async () => dora });
    render(Console, { backend, now });
    await screen.findByTestId("board");
    await userEvent.click(screen.getByTestId("sign-out"));
    expect(backend.signOut).toHaveBeenCalled();
    expect(await screen.findByTestId("signin-notice")).toHaveTextContent("You are signed out.");
  });
});

describe("the board", () => {
  it("shows a lane per technician with their jobs, and the unassigned queue", async () => {
    const backend = fakeBackend({
      session: async () => dora,
      board: async () =>
        board({
          jobs: [
            view("J-1", "tina", "08:00-10:00"),
            view("J-2", "tina", "09:00-11:00"),
            view("J-3", "tom", "13:00-14:00", { status: "completed" }),
          ],
          queue: [view("J-9", null, null, { sla_due: "2026-12-01T08:00:00Z" })],
        }),
    });
    render(Console, { backend, now });
    const lanes = await screen.findAllByTestId("board-lane");
    expect(lanes.map((l) => l.dataset.technician)).toEqual(["tina", "tom"]);
    const tina = within(lanes[0]).getAllByTestId("job-card");
    expect(tina.map((c) => c.dataset.number)).toEqual(["J-1", "J-2"]);
    expect(tina[0]).toHaveAccessibleName(/overlaps J-2/);
    expect(within(lanes[0]).getByText("2 overlapping")).toBeInTheDocument();
    expect(within(lanes[1]).getByTestId("job-card").dataset.status).toBe("completed");
    const queued = screen.getByTestId("queue-job");
    expect(queued.dataset.number).toBe("J-9");
    expect(within(queued).getByText("SLA overdue")).toBeInTheDocument();
  });

  it("moves between days and asks HQ for each local day", async () => {
    const backend = fakeBackend({ session: async () => dora });
    render(Console, { backend, now });
    await screen.findByTestId("board");
    expect(screen.getByTestId("board-day")).toHaveTextContent("Today");
    await userEvent.click(screen.getByTestId("day-next"));
    await waitFor(() => expect(screen.getByTestId("board-day")).toHaveTextContent("Tomorrow"));
    await waitFor(() => expect(backend.board).toHaveBeenCalledTimes(2));
    const [from, to] = backend.board.mock.calls[1];
    expect([from, to]).toEqual([new Date(2026, 11, 2), new Date(2026, 11, 3)]);
    await userEvent.click(screen.getByRole("button", { name: "Today" }));
    await waitFor(() => expect(screen.getByTestId("board-day")).toHaveTextContent("Today"));
  });

  it("goes back to sign-in, saying why, when HQ ended the session", async () => {
    const backend = fakeBackend({ session: async () => dora });
    backend.board.mockRejectedValueOnce(new HqFailure(401, "unauthorized", "signed out after 30 minutes without activity; sign in again"));
    render(Console, { backend, now });
    expect(await screen.findByTestId("signin-notice")).toHaveTextContent("Signed out after 30 minutes without activity");
  });
});
