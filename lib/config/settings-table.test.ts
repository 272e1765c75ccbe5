// README's settings table and the configuration schemas name the same variables: a setting added
// to a schema without a row, or a row left behind by a removed setting, fails here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CliSettings } from "@/cli/config";
import { CONSOLE_SETTING_NAMES } from "@/lib/http/check-console-settings";
import { GATEWAY_SETTING_NAMES } from "@/scripts/gateway-settings";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** The rows of README's "Configuration (environment)" table: every `NAME` in a row's first cell, and its process cell. */
function readmeRows(): { name: string; process: string }[] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split("## Configuration (environment)")[1]!.split("\n## ")[0]!;
  const rows = section.split("\n").filter((line) => line.startsWith("| `"));
  return rows.flatMap((row) => {
    const cells = row.split("|");
    return [...cells[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => ({ name: m[1]!, process: cells[2]! }));
  });
}
const readmeSettings = () => readmeRows().map((row) => row.name);

describe("README's settings table", () => {
  it("has a row for every setting of the console, the gateway and the CLI, and no other", () => {
    const schemas = new Set([...CONSOLE_SETTING_NAMES, ...GATEWAY_SETTING_NAMES, ...Object.keys(CliSettings.shape)]);
    const documented = readmeSettings();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...schemas].filter((name) => !documented.includes(name)).sort()).toEqual([]);
    expect(documented.filter((name) => !schemas.has(name)).sort()).toEqual([]);
    // The table is not empty by accident (a renamed heading would make both lists empty).
    expect(documented).toContain("UPLOAD_MAX_BYTES");
  });

  it("says which processes read each setting, as their schemas do", () => {
    const cli = Object.keys(CliSettings.shape);
    const wrong = readmeRows().filter(({ name, process }) => {
      const saysConsole = /console|npm start/.test(process);
      return saysConsole !== CONSOLE_SETTING_NAMES.includes(name) || /gateway/.test(process) !== GATEWAY_SETTING_NAMES.includes(name) || /CLI/.test(process) !== cli.includes(name);
    });
    expect(wrong).toEqual([]);
  });
});
