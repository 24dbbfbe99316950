import { render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { ApiError } from "../lib/api";
import Thumbnail from "./Thumbnail.svelte";

vi.mock("../lib/api", async (original) => {
  const real = await original<typeof import("../lib/api")>();
  return { ...real, attachment: vi.fn() };
});

describe("Thumbnail", () => {
  beforeEach(() => {
    URL.createObjectURL = vi.fn(() => "blob:photo");
    URL.revokeObjectURL = vi.fn();
  });
  afterEach(() => vi.mocked(api.attachment).mockReset());

  it("shows a photo kept on this laptop, and lets it go when unmounted", async () => {
    vi.mocked(api.attachment).mockImplementation(async () => new Uint8Array([1, 2, 3]).buffer);
    const { unmount } = render(Thumbnail, { sha256: "ab", mediaType: "image/jpeg", name: "boiler.jpg" });
    const img = await screen.findByTestId("thumbnail");
    expect(img).toHaveAttribute("src", "blob:photo");
    expect(img).toHaveAttribute("alt", "boiler.jpg");
    expect(api.attachment).toHaveBeenCalledWith("ab");
    unmount();
    expect(URL.revokeObjectURL).toHaveBeenCalledWith("blob:photo");
  });

  it("shows nothing for a photo not on this laptop, or a document", async () => {
    vi.mocked(api.attachment).mockImplementation(async () => {
      throw new ApiError({ code: "unknown_attachment", message: "not on this device" });
    });
    render(Thumbnail, { sha256: "cd", mediaType: "image/png", name: "x.png" });
    render(Thumbnail, { sha256: "ef", mediaType: "application/pdf", name: "report.pdf" });
    await Promise.resolve();
    expect(screen.queryByTestId("thumbnail")).not.toBeInTheDocument();
    expect(api.attachment).toHaveBeenCalledTimes(1);
  });
});
