import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, inWords, toErrorBody } from "./errors";

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

  it("lists every invalid field of a zod error, each named in words", () => {
    const schema = z.object({ name: z.string().min(1, "give it a name"), version: z.string().min(1, "version: use a number like 0.0.1"), extra: z.number() });
    const error = schema.safeParse({ name: "", version: "" }).error!;
    expect(toErrorBody(error).body.error).toEqual({
      code: "UNPROCESSABLE",
      message: "name: give it a name",
      field: "name",
      fields: { name: "Name: give it a name", version: "Version: use a number like 0.0.1", extra: expect.stringMatching(/^extra: /) },
    });
  });

  it("gives an AppError's field its message in words, or the fields it lists", () => {
    expect(toErrorBody(new AppError("UNPROCESSABLE", "module: attach the compiled .wasm file.", { field: "module" })).body.error.fields).toEqual({
      module: "Module: attach the compiled .wasm file.",
    });
    const both = new AppError("UNPROCESSABLE", "version: give it", { field: "version", fields: { version: "Version: give it", module: "Module: attach it" } });
    expect(toErrorBody(both).body.error.fields).toEqual({ version: "Version: give it", module: "Module: attach it" });
    expect(toErrorBody(new AppError("NOT_FOUND", "No such app")).body.error).not.toHaveProperty("fields");
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

describe("inWords", () => {
  it("puts the field's words before a message that does not name it", () => {
    expect(inWords("module", "Attach the compiled .wasm file.")).toBe("Module: attach the compiled .wasm file.");
    expect(inWords("tenant", "tenant: JSON is not allowed")).toBe("Tenant name: JSON is not allowed");
  });
  it("keeps a message whose first words name the field", () => {
    expect(inWords("password", "Password must be at least 10 characters")).toBe("Password must be at least 10 characters");
    expect(inWords("name", "App name is required")).toBe("App name is required");
    expect(inWords("tenant", 'The tenant name "x" is taken')).toBe('The tenant name "x" is taken');
    expect(inWords("name", "Give the token a name")).toBe("Name: give the token a name");
    expect(inWords("email", "email: Enter a valid email address")).toBe("Email: enter a valid email address");
  });
});
