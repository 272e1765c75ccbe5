// A fresh clone has nothing beside it: no file the repository builds, tests or runs may reach
// outside it for inputs (the WASI testsuite is vendored in fixtures/wasi-testsuite for that).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

// The folder beside a working copy on the development machines (spelled in pieces, so this guard does not name it itself).
const SIBLING = ["..", "shared"].join("/");

it("no tracked file outside the docs reads the shared folder beside the clone", () => {
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  expect(tracked.length).toBeGreaterThan(100);
  const pattern = `${SIBLING.replaceAll(".", "\\.")}|shared/conformance`;
  let hits = "";
  try {
    hits = execFileSync("git", ["grep", "-nE", pattern, "--", ".", ":!*.md", ":!scripts/self-contained.test.ts"], { cwd: ROOT, encoding: "utf8" });
  } catch (e) {
    // git grep exits 1 when nothing matches.
    if ((e as { status?: number }).status !== 1) throw e;
  }
  expect(hits).toBe("");
});
