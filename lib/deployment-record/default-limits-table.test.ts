// docs/manifest.md states the defaults the console's app page shows (defaultLimitsTable, from
// DEFAULT_LIMITS): a change to one fails here until the other says the same.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultLimitsTable } from "./default-limits-table";

const MANIFEST_DOC = readFileSync(path.resolve(import.meta.dirname, "../../docs/manifest.md"), "utf8");

describe("the default limits", () => {
  it("read as people write them", () => {
    expect(defaultLimitsTable().map((r) => `${r.key} ${r.value}`)).toEqual(["memoryMb 128 MiB", "timeoutMs 10 s", "maxRequestBytes 10 MiB", "maxResponseBytes 16 MiB"]);
  });

  it.each(defaultLimitsTable().map((r) => [r.key, r.value]))("docs/manifest.md gives %s a default of %s", (key, value) => {
    expect(MANIFEST_DOC).toContain(`| \`${key}\` | ${value} |`);
  });
});
