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
    readonly details?: { field?: string; retryAfterSeconds?: number; fields?: FieldErrors },
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/**
 * Every invalid field of a request and what to do about it, the field named in words, e.g.
 * `{ module: "Module: attach the compiled .wasm file." }`: a form shows each under its input.
 */
export type FieldErrors = Record<string, string>;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; fields?: FieldErrors };
}

/** How forms and messages name a request's fields; a field not listed is named by its key. */
const FIELD_WORDS: Record<string, string> = {
  name: "Name",
  scope: "Scope",
  expiresInDays: "Expiry",
  version: "Version",
  module: "Module",
  manifest: "Manifest",
  files: "Files",
  email: "Email",
  password: "Password",
  currentPassword: "Current password",
  newPassword: "New password",
  tenant: "Tenant name",
  template: "Template",
  value: "Value",
  key: "Key",
  secret: "Secret",
  environment: "Environment",
};

/**
 * "module" + "module: attach the compiled .wasm file." → "Module: attach the compiled .wasm file.";
 * a message whose first words name the field ("App name is required", "The tenant name … is taken")
 * stays as is.
 */
export function inWords(field: string, message: string): string {
  const words = FIELD_WORDS[field] ?? field;
  const bare = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  const opening = bare.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).slice(0, 3).join(" ");
  if (` ${opening} `.includes(` ${words.toLowerCase()} `)) return bare;
  // Lower-case a sentence's first letter after the label, but not an acronym's ("URL", "JSON").
  const lowered = /^[A-Z][a-z]/.test(bare) ? bare[0]!.toLowerCase() + bare.slice(1) : bare;
  return `${words}: ${lowered}`;
}

/** A person-readable summary of a zod error: "email: Enter a valid email address", and every field's issue. */
export function describeZodError(error: z.ZodError): { message: string; field?: string; fields?: FieldErrors } {
  const first = error.issues[0];
  if (!first) return { message: "Invalid input" };
  const field = first.path.map(String).join(".") || undefined;
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    if (path && !(path in fields)) fields[path] = inWords(path, issue.message);
  }
  return { message: field ? `${field}: ${first.message}` : first.message, field, ...(Object.keys(fields).length ? { fields } : {}) };
}

/** Maps any thrown value to a status and a body that leaks nothing internal. */
export function toErrorBody(e: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (e instanceof AppError) {
    const headers = e.details?.retryAfterSeconds ? { "retry-after": String(e.details.retryAfterSeconds) } : undefined;
    const field = e.details?.field;
    const fields = e.details?.fields ?? (field ? { [field]: inWords(field, e.message) } : undefined);
    return { status: e.status, body: { error: { code: e.code, message: e.message, field, ...(fields ? { fields } : {}) } }, headers };
  }
  if (e instanceof z.ZodError) {
    return { status: 422, body: { error: { code: "UNPROCESSABLE", ...describeZodError(e) } } };
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
