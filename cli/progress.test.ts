import { describe, expect, it } from "vitest";
import { createProgress } from "./progress";

function writer(isTTY: boolean) {
  const out = { text: "", isTTY, write: (s: string) => (out.text += s) };
  return out;
}

describe("createProgress", () => {
  it("prints a line at 25, 50, 75 and 100% when stderr is not a terminal (CI logs)", () => {
    const out = writer(false);
    const p = createProgress(out, "  uploading");
    const total = 4 * 1024 * 1024;
    for (let sent = 64 * 1024; sent <= total; sent += 64 * 1024) p.update(sent, total);
    p.finish();
    expect(out.text).toBe(
      ["1.0 MiB / 4.0 MiB (25%)", "2.0 MiB / 4.0 MiB (50%)", "3.0 MiB / 4.0 MiB (75%)", "4.0 MiB / 4.0 MiB (100%)"].map((l) => `  uploading ${l}\n`).join(""),
    );
  });

  it("rewrites one line on a terminal, at most every 100 ms, always showing the end", () => {
    const out = writer(true);
    let now = 0;
    const p = createProgress(out, "up", () => now);
    p.update(10, 100); // drawn (first)
    now = 150;
    p.update(20, 100); // drawn
    now = 160;
    p.update(30, 100); // throttled
    p.update(100, 100); // the end is always drawn
    p.finish();
    expect(out.text).toBe("\rup 10 B / 100 B (10%)\x1b[K\rup 20 B / 100 B (20%)\x1b[K\rup 100 B / 100 B (100%)\x1b[K\n");
  });
});
