// Levels of a log line: "request" is the access line every request gets, "stderr" a line the guest
// wrote to stderr, the others come from the guest's log import or from the gateway ("error": a
// failed request with its explanation).
import { z } from "zod";
import { LOG_LEVELS } from "../api-shapes/log-shapes";

export { LOG_LEVELS };
export const LogLevel = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevel>;

/** The guest log import's level names → ours. */
export const LOG_LEVELS_FROM_GATEWAY: Record<string, LogLevel> = { debug: "debug", info: "info", warn: "warn", error: "error" };
