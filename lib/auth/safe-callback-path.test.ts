// The sign-in redirect's target: paths of the console only, whatever a browser would make of the
// value (issue #13 item 9; the browser story is e2e/auth/sign-in-redirect.spec.ts).
import { describe, expect, it } from "vitest";
import { AFTER_SIGN_IN, safeCallbackPath } from "./safe-callback-path";

const ORIGIN = "https://console.example.com";

describe("safeCallbackPath", () => {
  it("keeps paths of the console, relative or as absolute URLs of its origin", () => {
    expect(safeCallbackPath("/dashboard/tokens", ORIGIN)).toBe("/dashboard/tokens");
    expect(safeCallbackPath("/dashboard/settings?tab=1#audit", ORIGIN)).toBe("/dashboard/settings?tab=1#audit");
    expect(safeCallbackPath(`${ORIGIN}/dashboard/apps/x`, ORIGIN)).toBe("/dashboard/apps/x");
    expect(safeCallbackPath(ORIGIN, ORIGIN)).toBe("/");
    expect(safeCallbackPath("/dashboard/../dashboard/logs", ORIGIN)).toBe("/dashboard/logs");
    expect(safeCallbackPath("/%2F%2Fevil.example", ORIGIN)).toBe("/%2F%2Fevil.example"); // a path, still encoded
  });

  it("sends everything else to the dashboard", () => {
    for (const value of [
      "/\\evil.example", // browsers: //evil.example
      "/\\\\evil.example/",
      "\\\\evil.example",
      "/\t/evil.example", // the tab is dropped: //evil.example
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/\u0000/evil.example",
      "//evil.example",
      "///evil.example",
      "/.//evil.example", // normalises to //evil.example
      "/./\\evil.example",
      "https://evil.example/",
      `${ORIGIN}.evil.example/`,
      `${ORIGIN}@evil.example/`,
      "http://console.example.com/", // another scheme is another origin
      "http:evil.example",
      "javascript:alert(1)",
      "data:text/html,hi",
      "dashboard",
      "%2F%2Fevil.example",
      "",
      "/" + "a".repeat(3000),
      undefined,
      null,
      ["/dashboard"],
      42,
    ]) {
      expect(safeCallbackPath(value, ORIGIN), JSON.stringify(value)).toBe(AFTER_SIGN_IN);
    }
  });

  it("without a known origin keeps paths and refuses every absolute URL", () => {
    expect(safeCallbackPath("/dashboard/usage")).toBe("/dashboard/usage");
    expect(safeCallbackPath(`${ORIGIN}/dashboard`)).toBe(AFTER_SIGN_IN);
    expect(safeCallbackPath("/\\evil.example")).toBe(AFTER_SIGN_IN);
  });
});
