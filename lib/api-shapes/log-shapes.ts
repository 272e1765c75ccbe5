// An app's logs and request records, as the REST API answers them (docs/api.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";

/** "request" is the access line every request gets, "stderr" a line the guest wrote to stderr. */
export const LOG_LEVELS = ["request", "stderr", "debug", "info", "warn", "error"] as const;

/** One log line with the request it belongs to. `id` is the cursor (a string: it is a bigint). */
export const LogEntry = z.looseObject({
  id: z.string(),
  time: Timestamp,
  level: z.enum(LOG_LEVELS),
  message: z.string(),
  requestId: z.string(),
  status: z.number().nullable(),
  method: z.string().nullable(),
  path: z.string().nullable(),
  durationMs: z.number().nullable(),
  version: z.string().nullable(),
  /** The app the line belongs to (null once the app is deleted): the tenant-wide listing shows it. */
  app: z.string().nullable(),
});
export type LogEntry = z.infer<typeof LogEntry>;

/** One request's access record. */
export const RequestView = z.looseObject({
  id: z.string(),
  time: Timestamp,
  method: z.string(),
  path: z.string(),
  route: z.string(),
  status: z.number(),
  durationMs: z.number(),
  memoryBytes: z.number().nullable(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
  version: z.string().nullable(),
});
export type RequestView = z.infer<typeof RequestView>;

/** GET /apps/{app}/logs and GET /logs (every app of the tenant): a page of lines; `nextCursor` is null when there are no more. */
export const LogsResponse = z.looseObject({
  logs: z.array(LogEntry),
  nextCursor: z.string().nullable(),
  order: z.enum(["newest-first", "oldest-first"]),
});
export type LogsResponse = z.infer<typeof LogsResponse>;
/** GET /apps/{app}/logs/requests/{requestId}. */
export const RequestLogResponse = z.object({ request: RequestView, lines: z.array(LogEntry) });
export type RequestLogResponse = z.infer<typeof RequestLogResponse>;
