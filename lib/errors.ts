// One error type with a closed set of codes, and one table from code to HTTP status.
import { z } from "zod";
import { isDatabaseBusy, isDatabaseUnavailable } from "@/lib/db/database-errors";

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { field?: string; retryAfterSeconds?: number },
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

/** A person-readable summary of a zod error: "email: Enter a valid email address". */
export function describeZodError(error: z.ZodError): { message: string; field?: string } {
  const first = error.issues[0];
  if (!first) return { message: "Invalid input" };
  const field = first.path.map(String).join(".") || undefined;
  return { message: field ? `${field}: ${first.message}` : first.message, field };
}

/** Maps any thrown value to a status and a body that leaks nothing internal. */
export function toErrorBody(e: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (e instanceof AppError) {
    const headers = e.details?.retryAfterSeconds ? { "retry-after": String(e.details.retryAfterSeconds) } : undefined;
    return { status: e.status, body: { error: { code: e.code, message: e.message, field: e.details?.field } }, headers };
  }
  if (e instanceof z.ZodError) {
    const { message, field } = describeZodError(e);
    return { status: 422, body: { error: { code: "UNPROCESSABLE", message, field } } };
  }
  if (isDatabaseUnavailable(e) || isDatabaseBusy(e)) {
    console.error("database unavailable or busy", e instanceof Error ? e.message : e);
    const message = isDatabaseBusy(e)
      ? "The database is busy and did not answer in time. Retry in a few seconds."
      : "The database cannot be reached right now. Retry in a few seconds; if it persists, contact the operator.";
    return { status: 503, body: { error: { code: "UNAVAILABLE", message } }, headers: { "retry-after": "2" } };
  }
  console.error("unexpected error", e);
  return { status: 500, body: { error: { code: "INTERNAL", message: "Something went wrong on our side. Try again; if it persists, contact the operator." } } };
}
