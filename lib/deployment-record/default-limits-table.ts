// The limits an app gets without `limits:` in wasmcompute.yaml, as people read them: one table
// built from DEFAULT_LIMITS (record.ts), shown on the console's app page and checked against
// docs/manifest.md (default-limits-table.test.ts), so the numbers live in one place.
import { DEFAULT_LIMITS, type AppLimits } from "./record";

export interface DefaultLimitRow {
  key: keyof AppLimits;
  /** What it limits, for the console. */
  label: string;
  /** The default as written in docs/manifest.md's Limits table, e.g. "128 MiB". */
  value: string;
}

const MIB = 1024 * 1024;

export function defaultLimitsTable(limits: AppLimits = DEFAULT_LIMITS): DefaultLimitRow[] {
  return [
    { key: "memoryMb", label: "Memory", value: `${limits.memoryMb} MiB` },
    { key: "timeoutMs", label: "Time per request", value: `${limits.timeoutMs / 1000} s` },
    { key: "maxRequestBytes", label: "Request body", value: `${limits.maxRequestBytes / MIB} MiB` },
    { key: "maxResponseBytes", label: "Response", value: `${limits.maxResponseBytes / MIB} MiB` },
  ];
}
