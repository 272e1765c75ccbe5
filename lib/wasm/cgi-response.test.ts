// Runs the parseCgiResponse cases (cgi-response-cases.ts) in Node; e2e/wasm-host runs the same
// list in Chromium.
import { describe, expect, it } from "vitest";
import { CGI_RESPONSE_CASES } from "./cgi-response-cases";

describe("parseCgiResponse (same cases run in Chromium by e2e/wasm-host)", () => {
  for (const c of CGI_RESPONSE_CASES) it(c.name, () => expect(c.run({})).toEqual(c.expected));
});
