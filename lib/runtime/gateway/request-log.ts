import type { GatewayErrorCode } from "./errors";

/** One record per request (the record step writes it; lib/logs stores it, lib/usage meters it). */
export interface RequestLog {
  requestId: string;
  time: string;
  tenant: string | null;
  app: string | null;
  versionId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Guest stderr, one entry per line. */
  stderr: string[];
  /** Lines the guest sent through the host log import. */
  guestLogs: { level: string; message: string }[];
  memoryBytes?: number;
  /** Present when the request failed: the code and an explanation a person can act on. */
  error?: { code: GatewayErrorCode; message: string; detail?: string };
  /** Database ids of the tenant and app, when the deployment carries them (log sink, metering). */
  tenantId?: string;
  appId?: string;
  /** The WAGI route that matched, e.g. "/hello/...". */
  route?: string;
  bytesIn?: number;
  /** Response body bytes sent (its Content-Length). */
  bytesOut?: number;
  /** The app's memory cap for this request (GB-seconds = cap × duration). */
  memoryLimitMb?: number;
  /** Time the guest ran in its worker (instantiate + run), in milliseconds. */
  computeMs?: number;
  /** Key-value operations the request made (metered per day; set where the kv session is known). */
  kvOps?: number;
  /** false: not metered (a request refused by the spending cap); it is still logged. */
  billable?: boolean;
}
