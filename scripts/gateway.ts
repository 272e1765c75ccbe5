/**
 * The gateway process: serves deployed apps over HTTP.
 *
 * Settings: environment variables, read once and checked as it starts (scripts/gateway-settings.ts,
 * lib/config/gateway-config.ts); README's settings table says what each does and its default.
 * Without DATABASE_URL it serves a folder of <tenant>/<app>/{module.wasm,manifest.json}
 * (DEPLOYMENTS_DIR). GATEWAY_PROCESSES > 1 runs that many processes on one port (node:cluster): the
 * primary only forks, replaces a process that dies and passes SIGTERM on; each process has its own
 * worker pool and database pool.
 *
 * SIGTERM/SIGINT: stop accepting connections, let the requests in flight finish (up to
 * GATEWAY_DRAIN_MS), write their logs and usage, then exit 0 (docs/operations.md).
 *
 * With DATABASE_URL every request is also written to the database in batches (request record,
 * guest log lines, daily usage): see docs/logs.md.
 */
import cluster from "node:cluster";
import { GATEWAY_FIRST_THREADS, startGuestThreadsEarly } from "../lib/runtime/guest-threads";

// A guest thread takes tens of ms to boot: the first boots while this thread loads and compiles the
// gateway's code (most of its start), and its worker pool adopts it (lib/runtime/guest-threads.ts);
// the others start after the first answer.
startGuestThreadsEarly(process.env, cluster.isPrimary, { atMost: GATEWAY_FIRST_THREADS });
await import("./gateway-process");
