import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseLogQuery } from "./log-query";

function messageOf(query: string): string {
  try {
    parseLogQuery(new URLSearchParams(query));
  } catch (e) {
    if (e instanceof AppError) return `${e.status} ${e.details?.field}: ${e.message}`;
    throw e;
  }
  throw new Error(`${query} parsed`);
}

describe("log filters", () => {
  it("reads status codes and classes, levels and a search", () => {
    expect(parseLogQuery(new URLSearchParams("status=404, 5xx&level=stderr,error&q=hi"))).toMatchObject({ status: ["404", "5xx"], level: ["stderr", "error"], q: "hi" });
  });

  it("names a bad filter in words, never by its zod path", () => {
    expect(messageOf("status=404,abc")).toBe('422 status: Status: use a code like 404 or a class like 5xx ("abc" is not one).');
    expect(messageOf("level=loud")).toBe('422 level: Level: use one of request, stderr, debug, info, warn, error ("loud" is not one).');
    expect(messageOf("from=yesterday")).toMatch(/^422 from: From: use an ISO date-time \(2025-01-31T12:00:00Z\) or a duration/);
    expect(messageOf("requestId=x")).toBe("422 requestId: Request: use a request id (a UUID, the x-request-id header).");
  });
});
