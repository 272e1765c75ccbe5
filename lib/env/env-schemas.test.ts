import { describe, expect, it } from "vitest";
import { wagiEnvironment } from "@/lib/wasm/wagi-environment";
import { envNameProblem, envValueProblem, ENV_NAME_MAX, ENV_VALUE_MAX_BYTES, WAGI_NAMES, WAGI_PREFIXES } from "./env-schemas";

describe("variable names", () => {
  it("accepts POSIX names up to the limit", () => {
    for (const name of ["API_KEY", "_private", "a", "Db_Url2", "A".repeat(ENV_NAME_MAX)]) expect(envNameProblem(name)).toBeNull();
  });

  it("refuses malformed names with a reason", () => {
    expect(envNameProblem("")).toMatch(/needs a name/);
    expect(envNameProblem("1ABC")).toMatch(/does not start with a digit/);
    expect(envNameProblem("MY-VAR")).toMatch(/letters, digits and underscores/);
    expect(envNameProblem("A B")).toMatch(/letters, digits and underscores/);
    expect(envNameProblem("A".repeat(ENV_NAME_MAX + 1))).toMatch(/at most 128/);
  });

  it("refuses every name the WAGI host sets for a request, saying why", () => {
    // What the host really sets for a request with headers, a body and a query.
    const set = wagiEnvironment(
      { method: "POST", url: "http://h.example:8080/a/b?x=1", headers: [["Content-Type", "text/plain"], ["X-Custom", "1"], ["Accept", "*/*"]], body: new Uint8Array(3), remoteAddr: "1.2.3.4", route: "/a/..." },
      "h.example",
      "8080",
    );
    const names = Object.keys(set);
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) expect(envNameProblem(name), name).toMatch(/set by the gateway for every request/);
    // And the list is no broader than the host: each entry is something it sets.
    for (const name of WAGI_NAMES) expect(names).toContain(name);
    for (const prefix of WAGI_PREFIXES) expect(names.some((n) => n.startsWith(prefix)), prefix).toBe(true);
    expect(envNameProblem("HTTP_PROXY")).toMatch(/request headers/);
    expect(envNameProblem("SERVERLESS")).toBeNull();
  });
});

describe("variable values", () => {
  it("limits the size in UTF-8 bytes and refuses NUL", () => {
    expect(envValueProblem("x".repeat(ENV_VALUE_MAX_BYTES))).toBeNull();
    expect(envValueProblem("é".repeat(ENV_VALUE_MAX_BYTES / 2 + 1))).toMatch(/at most 16384 bytes/);
    expect(envValueProblem("a\0b")).toMatch(/NUL/);
    expect(envValueProblem("")).toBeNull();
  });
});
