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

describe("scheduling from the keyboard", () => {
  const withQueue = () =>
    board({
      jobs: [view("J-1", "tina", "09:00-11:00")],
      queue: [view("J-9", null, null)],
    });

  it("gives a queued job to a technician at a time, then shows the board again", async () => {
    const backend = fakeBackend({ session: async () => dora, board: async () => withQueue() });
    render(Console, { backend, now });
    const card = await screen.findByTestId("queue-job");
    card.focus();
    await userEvent.keyboard("{Enter}");
    const dialog = await screen.findByTestId("schedule-dialog");
    expect(document.activeElement).toBe(screen.getByTestId("schedule-technician"));
    await userEvent.selectOptions(screen.getByTestId("schedule-technician"), "tom");
    const start = screen.getByTestId("schedule-start");
    await userEvent.clear(start);
    await userEvent.type(start, "13:30");
    expect(within(dialog).queryByTestId("schedule-clash")).toBeNull();
    await userEvent.click(screen.getByTestId("schedule-confirm"));
    await waitFor(() => expect(backend.schedule).toHaveBeenCalledTimes(1));
    expect(backend.schedule).toHaveBeenCalledWith("id-J-9", {
      technician: "tom",
      scheduled_start: new Date(2026, 11, 1, 13, 30).toISOString(),
      scheduled_end: new Date(2026, 11, 1, 14, 30).toISOString(),
      version: 1,
      overlap: false,
    });
    await waitFor(() => expect(screen.queryByTestId("schedule-dialog")).toBeNull());
    expect(screen.getByTestId("board-done")).toHaveTextContent("J-9 given to Tom Okafor, 13:30–14:30.");
    expect(backend.board).toHaveBeenCalledTimes(2);
  });

  it("names the visit a window would overlap, and schedules anyway only when asked", async () => {
    const backend = fakeBackend({ session: async () => dora, board: async () => withQueue() });
    render(Console, { backend, now });
    (await screen.findByTestId("queue-job")).focus();
    await userEvent.keyboard("{Enter}");
    await screen.findByTestId("schedule-dialog");
    const start = screen.getByTestId("schedule-start");
    await userEvent.clear(start);
    await userEvent.type(start, "10:00");
    expect(screen.getByTestId("schedule-clash")).toHaveTextContent("Overlaps Tina Fischer's J-1");
    expect(screen.getByTestId("schedule-confirm")).toHaveTextContent("Schedule anyway");
    await userEvent.click(screen.getByTestId("schedule-confirm"));
    await waitFor(() => expect(backend.schedule).toHaveBeenCalled());
    expect(backend.schedule.mock.calls[0][1].overlap).toBe(true);
  });

  it("keeps the dialog open with HQ's reason when it refuses, and Escape leaves", async () => {
    const backend = fakeBackend({ session: async () => dora, board: async () => withQueue() });
    backend.schedule.mockRejectedValueOnce(new HqFailure(409, "conflict", "job J-9 changed since you loaded it; look again before moving it"));
    render(Console, { backend, now });
    (await screen.findByTestId("queue-job")).focus();
    await userEvent.keyboard("{Enter}");
    await userEvent.click(await screen.findByTestId("schedule-confirm"));
    expect(await screen.findByTestId("schedule-error")).toHaveTextContent("Job J-9 changed since you loaded it");
    await userEvent.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("schedule-dialog")).toBeNull());
  });
});

describe("live updates", () => {
  it("fetches the board again when HQ says something changed, and says whether it is live", async () => {
    let changed = () => {};
    let live = (_: boolean, __: boolean) => {};
    let day = board({ jobs: [view("J-1", "tina", "09:00-10:00")] });
    const backend = fakeBackend({
      session: async () => dora,
      board: async () => day,
      watch: (onChange, onLive) => {
        changed = onChange;
        live = onLive;
        return () => {};
      },
    });
    render(Console, { backend, now });
    const card = await screen.findByTestId("job-card");
    expect(card.dataset.status).toBe("assigned");
    expect(screen.getByTestId("board-live")).toHaveTextContent("Connecting…");
    live(true, false);
    await waitFor(() => expect(screen.getByTestId("board-live")).toHaveTextContent("Live"));
    day = board({ jobs: [view("J-1", "tina", "09:00-10:00", { status: "completed" })] });
    changed();
    changed();
    await waitFor(() => expect(screen.getByTestId("job-card").dataset.status).toBe("completed"));
    expect(backend.board).toHaveBeenCalledTimes(2);
    expect(backend.board.mock.calls[1][2]).toBe(true);
  });

  it("goes to sign-in when HQ turns the stream away and the session is over", async () => {
    let live = (_: boolean, __: boolean) => {};
    const backend = fakeBackend({
      session: async () => dora,
      watch: (_, onLive) => {
        live = onLive;
        return () => {};
      },
    });
    render(Console, { backend, now });
    await screen.findByTestId("board");
    backend.board.mockRejectedValueOnce(new HqFailure(401, "unauthorized", "signed out after 30 minutes without activity; sign in again"));
    live(false, true);
    expect(await screen.findByTestId("signin-notice")).toHaveTextContent("Signed out after 30 minutes");
  });
});

describe("a day HQ does not answer for", () => {
  it("shows the failure, never the previous day's board under the new day", async () => {
    const backend = fakeBackend({
      session: async () => dora,
      board: async () => board({ jobs: [view("J-1", "tina", "09:00-10:00")] }),
    });
    render(Console, { backend, now });
    await screen.findByTestId("job-card");
    backend.board.mockRejectedValueOnce(new HqFailure(0, "network", "HQ did not answer. Check the connection and try again."));
    await userEvent.click(screen.getByTestId("day-next"));
    expect(await screen.findByText("HQ did not answer. Check the connection and try again.")).toBeInTheDocument();
    expect(screen.getByTestId("board-day")).toHaveTextContent("Tomorrow");
    expect(screen.queryByTestId("board-lane")).toBeNull();
    expect(screen.queryByTestId("job-card")).toBeNull();
  });
});

describe("who should go", () => {
  it("shows HQ's ranking with its reasons and gives the job to the pick in one click", async () => {
    const backend = fakeBackend({
      session: async () => dora,
      board: async () => board({ queue: [view("J-9", null, null)] }),
      suggestions: async (id) => ({
        job_id: id,
        visit_minutes: 90,
        technicians: [
          {
            username: "tina",
            display_name: "Tina Fischer",
            score: 9,
            reasons: [
              { about: "skills", good: true, text: "knows boilers" },
              { about: "parts", good: false, text: "no parts for the HeatMax 300 in the van" },
            ],
            free_minutes: 480,
            slot: new Date(2026, 11, 1, 10, 15).toISOString(),
            distance_m: 1200,
          },
          {
            username: "tom",
            display_name: "Tom Okafor",
            score: -3,
            reasons: [{ about: "time", good: false, text: "no free 1 h 30 min in the day (5 visits booked)" }],
            free_minutes: 30,
            slot: null,
            distance_m: null,
          },
        ],
      }),
    });
    render(Console, { backend, now });
    (await screen.findByTestId("queue-job")).focus();
    await userEvent.keyboard("{Enter}");
    const picks = await screen.findAllByTestId("suggestion");
    // Not before now (09:00) on today's board.
    expect(backend.suggestions).toHaveBeenCalledWith("id-J-9", new Date(2026, 11, 1, 9), new Date(2026, 11, 1, 18));
    // The form starts at the best pick.
    expect(screen.getByTestId("schedule-technician")).toHaveValue("tina");
    expect(screen.getByTestId("schedule-start")).toHaveValue("10:15");
    expect(picks.map((p) => p.dataset.technician)).toEqual(["tina", "tom"]);
    expect(picks[0]).toHaveTextContent("knows boilers");
    expect(within(picks[0]).getByText("no parts for the HeatMax 300 in the van")).toHaveClass("bad");
    expect(picks[1]).toHaveTextContent("no free slot");
    expect(within(picks[1]).queryByTestId("suggestion-assign")).toBeNull();
    await userEvent.click(within(picks[0]).getByTestId("suggestion-assign"));
    await waitFor(() => expect(backend.schedule).toHaveBeenCalledTimes(1));
    expect(backend.schedule).toHaveBeenCalledWith("id-J-9", {
      technician: "tina",
      scheduled_start: new Date(2026, 11, 1, 10, 15).toISOString(),
      scheduled_end: new Date(2026, 11, 1, 11, 45).toISOString(),
      version: 1,
      overlap: false,
    });
  });
});
