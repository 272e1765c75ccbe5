import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, toErrorBody } from "./errors";

describe("toErrorBody", () => {
  it("maps an AppError to its status with Retry-After when known", () => {
    expect(toErrorBody(new AppError("RATE_LIMITED", "slow down", { retryAfterSeconds: 30 }))).toEqual({
      status: 429,
      body: { error: { code: "RATE_LIMITED", message: "slow down", field: undefined } },
      headers: { "retry-after": "30" },
    });
  });

  it("maps a zod error to 422 naming the field", () => {
    const error = z.object({ email: z.email("bad email") }).safeParse({ email: "x" }).error!;
    expect(toErrorBody(error)).toMatchObject({ status: 422, body: { error: { code: "UNPROCESSABLE", message: "email: bad email", field: "email" } } });
  });

  it("hides unknown errors behind a generic 500", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const { status, body } = toErrorBody(new Error("connection string postgres://secret"));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain("secret");
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
